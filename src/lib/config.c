/* config.c — loading and semantic checks of config.json (see config.h). */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "debug.h"
#include "lsm.h"
#include "scheduling.h"
#include "seccomp.h"
#include "util.h"

/* Fields of runtime-spec 1.2 that contain does not apply yet. Each is refused by
 * name when present, so that no config is run with a part of it silently dropped. */
struct unsupported {
  const char *path;
  bool (*present)(const oci_config *c);
};

static bool has_intel_rdt(const oci_config *c) { return c->linux && c->linux->intel_rdt; }
static bool has_net_devices(const oci_config *c) {
  return c->linux && c->linux->net_devices && c->linux->net_devices->len;
}
static bool has_mount_label(const oci_config *c) {
  return c->linux && c->linux->mount_label && c->linux->mount_label[0];
}
static bool has_mount_idmap(const oci_config *c) {
  for (size_t i = 0; i < c->mounts_len; i++)
    if (c->mounts[i]->uid_mappings_len || c->mounts[i]->gid_mappings_len)
      return true;
  return false;
}

static const struct unsupported unsupported_config[] = {
    {"linux.intelRdt", has_intel_rdt},
    {"linux.netDevices", has_net_devices},
    {"linux.mountLabel", has_mount_label},
    {"mounts[].uidMappings/gidMappings (idmapped mounts)", has_mount_idmap},
};

int config_check_process(const oci_process *p, const char *where, struct error **err) {
  if (p->args_len == 0 || p->args[0] == NULL || p->args[0][0] == '\0')
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     "%s.args: the process needs a command (args is empty)", where);
  if (p->cwd == NULL || p->cwd[0] != '/')
    return error_set(err, ERR_INVALID_CONFIG, 0, "%s.cwd: \"%s\" is not an absolute path", where,
                     p->cwd ? p->cwd : "");
  if (p->exec_cpu_affinity) {
    unsigned char mask[128];
    const char *lists[] = {p->exec_cpu_affinity->initial, p->exec_cpu_affinity->final};
    for (int k = 0; k < 2; k++)
      if (lists[k] && lists[k][0] && scheduling_parse_cpus(lists[k], mask, sizeof mask) < 0)
        return error_set(err, ERR_INVALID_CONFIG, 0,
                         "%s.execCPUAffinity.%s: \"%s\" is not a cpu list (e.g. 0-3,7)", where,
                         k ? "final" : "initial", lists[k]);
  }
  return lsm_check(p, where, err);
}

static int check_config(struct bundle *b, struct error **err) {
  const oci_config *c = b->config;
  if (c->oci_version == NULL || strncmp(c->oci_version, "1.", 2) != 0)
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     "config.json: .ociVersion: \"%s\" is not a 1.x runtime-spec version",
                     c->oci_version ? c->oci_version : "");
  for (size_t i = 0; i < sizeof unsupported_config / sizeof unsupported_config[0]; i++)
    if (unsupported_config[i].present(c))
      return error_set(err, ERR_HOST_UNSUPPORTED, 0, "config.json: .%s: not supported yet",
                       unsupported_config[i].path);
  if (c->process == NULL)
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     "config.json: .process: required to create a container");
  if (config_check_process(c->process, "config.json: .process", err) < 0)
    return -1;
  if (c->linux == NULL)
    return error_set(err, ERR_INVALID_CONFIG, 0, "config.json: .linux: required on Linux");
  if (ns_plan_make(c->linux, &b->ns, err) < 0)
    return -1;
  if (seccomp_validate(c->linux->seccomp, err) < 0)
    return -1;
  const struct ns_plan *ns = &b->ns;
  if (!ns->new_ns[NS_MOUNT] && !ns->join[NS_MOUNT])
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     "config.json: .linux.namespaces: a mount namespace is required "
                     "(contain builds the root filesystem in it); add {\"type\": \"mount\"}");
  bool has_maps = c->linux->uid_mappings_len || c->linux->gid_mappings_len;
  if (ns->new_ns[NS_USER] && (!c->linux->uid_mappings_len || !c->linux->gid_mappings_len))
    return error_set(
        err, ERR_INVALID_CONFIG, 0,
        "config.json: .linux: a new user namespace needs both uidMappings and gidMappings");
  if (has_maps && !ns->new_ns[NS_USER])
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     "config.json: .linux.uidMappings/gidMappings are set but no new user "
                     "namespace is asked for in .linux.namespaces");
  if (c->hostname && c->hostname[0] && !ns->new_ns[NS_UTS])
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     "config.json: .hostname: setting the hostname needs a new uts namespace");
  const oci_linux_time_offsets_map *to = c->linux->time_offsets;
  for (size_t i = 0; to && i < to->len; i++) {
    if (!ns->new_ns[NS_TIME])
      return error_set(err, ERR_INVALID_CONFIG, 0,
                       "config.json: .linux.timeOffsets: needs a new time namespace in "
                       ".linux.namespaces");
    if (strcmp(to->keys[i], "monotonic") != 0 && strcmp(to->keys[i], "boottime") != 0)
      return error_set(err, ERR_INVALID_CONFIG, 0,
                       "config.json: .linux.timeOffsets.%s: unknown clock (monotonic or boottime)",
                       to->keys[i]);
  }
  /* runtime-spec: a relative destination SHOULD NOT be used and is taken from "/"; runc
   * warns, so does contain. */
  for (size_t i = 0; i < c->mounts_len; i++)
    if (c->mounts[i]->destination[0] != '/')
      warning("config.json: .mounts[%zu].destination: \"%s\" is not an absolute path; it is "
              "mounted at /%s",
              i, c->mounts[i]->destination, c->mounts[i]->destination);
  if (c->domainname && c->domainname[0] && !ns->new_ns[NS_UTS])
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     "config.json: .domainname: setting the domainname needs a new uts namespace");
  return 0;
}

static int resolve_paths(struct bundle *b, const char *bundle_dir, struct error **err) {
  char buf[PATH_MAX];
  if (realpath(bundle_dir, buf) == NULL)
    return error_sys(err, "bundle %s", bundle_dir);
  b->bundle = xstrdup(buf);
  const oci_root *root = b->config->root;
  if (root == NULL || root->path == NULL || root->path[0] == '\0')
    return error_set(err, ERR_INVALID_CONFIG, 0, "config.json: .root.path: required");
  autofree char *rootfs =
      root->path[0] == '/' ? xstrdup(root->path) : xasprintf("%s/%s", b->bundle, root->path);
  if (realpath(rootfs, buf) == NULL)
    return error_set(err, errno == ENOENT ? ERR_NOT_FOUND : ERR_INVALID_CONFIG, errno,
                     "config.json: .root.path: rootfs %s", rootfs);
  struct stat st;
  if (stat(buf, &st) < 0 || !S_ISDIR(st.st_mode))
    return error_set(err, ERR_INVALID_CONFIG, ENOTDIR, "config.json: .root.path: rootfs %s", buf);
  b->rootfs = xstrdup(buf);
  return 0;
}

int config_load(const char *bundle_dir, struct bundle **out, struct error **err) {
  struct bundle *b = xcalloc(1, sizeof *b);
  autofree char *path = xasprintf("%s/config.json", bundle_dir);
  autofree char *msg = NULL;
  if (read_file(path, &b->raw, &b->raw_len, err) < 0) {
    bundle_free(b);
    if ((*err)->errnum == ENOENT)
      (*err)->kind = ERR_NOT_FOUND;
    return error_prefix(err, "bundle %s", bundle_dir);
  }
  b->config = oci_config_parse_data(b->raw, b->raw_len, "config.json", &msg);
  if (b->config == NULL) {
    bundle_free(b);
    return error_set(err, ERR_INVALID_CONFIG, 0, "%s", msg ? msg : "config.json: cannot parse");
  }
  if (resolve_paths(b, bundle_dir, err) < 0 || check_config(b, err) < 0) {
    bundle_free(b);
    return -1;
  }
  *out = b;
  return 0;
}

void bundle_free(struct bundle *b) {
  if (b == NULL)
    return;
  oci_config_free(b->config);
  free(b->bundle);
  free(b->rootfs);
  free(b->raw);
  free(b);
}
