/* namespaces.c — namespace plan, setns and id maps (see namespaces.h). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "debug.h"
#include "namespaces.h"
#include "util.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const struct {
  const char *spec;
  const char *proc;
  int flag;
} ns_table[NS_COUNT] = {
    [NS_USER] = {"user", "user", CLONE_NEWUSER},
    [NS_MOUNT] = {"mount", "mnt", CLONE_NEWNS},
    [NS_PID] = {"pid", "pid", CLONE_NEWPID},
    [NS_NET] = {"network", "net", CLONE_NEWNET},
    [NS_IPC] = {"ipc", "ipc", CLONE_NEWIPC},
    [NS_UTS] = {"uts", "uts", CLONE_NEWUTS},
    [NS_CGROUP] = {"cgroup", "cgroup", CLONE_NEWCGROUP},
    [NS_TIME] = {"time", "time", CLONE_NEWTIME},
};

const char *ns_spec_name(enum ns_kind kind) { return ns_table[kind].spec; }
const char *ns_proc_name(enum ns_kind kind) { return ns_table[kind].proc; }
int ns_clone_flag(enum ns_kind kind) { return ns_table[kind].flag; }

char *ns_flags_describe(unsigned long flags) {
  static const char *const flag_names[NS_COUNT] = {
      [NS_USER] = "CLONE_NEWUSER",     [NS_MOUNT] = "CLONE_NEWNS",  [NS_PID] = "CLONE_NEWPID",
      [NS_NET] = "CLONE_NEWNET",       [NS_IPC] = "CLONE_NEWIPC",   [NS_UTS] = "CLONE_NEWUTS",
      [NS_CGROUP] = "CLONE_NEWCGROUP", [NS_TIME] = "CLONE_NEWTIME",
  };
  char *out = xstrdup("");
  for (int k = 0; k < NS_COUNT; k++) {
    if (!(flags & (unsigned long)ns_table[k].flag))
      continue;
    char *next = xasprintf("%s%s%s", out, out[0] ? "|" : "", flag_names[k]);
    free(out);
    out = next;
  }
  if (out[0] == '\0') {
    free(out);
    out = xstrdup("none");
  }
  return out;
}

static int ns_kind_of(const char *type) {
  for (int k = 0; k < NS_COUNT; k++)
    if (strcmp(type, ns_table[k].spec) == 0)
      return k;
  return -1;
}

int ns_plan_make(const oci_linux *linux, struct ns_plan *plan, struct error **err) {
  memset(plan, 0, sizeof *plan);
  if (linux == NULL)
    return 0;
  bool seen[NS_COUNT] = {false};
  for (size_t i = 0; i < linux->namespaces_len; i++) {
    const oci_namespace *ns = linux->namespaces[i];
    int k = ns->type ? ns_kind_of(ns->type) : -1;
    if (k < 0)
      return error_set(err, ERR_INVALID_CONFIG, 0,
                       "config.json: .linux.namespaces[%zu].type: unknown namespace type \"%s\"", i,
                       ns->type ? ns->type : "");
    if (seen[k])
      return error_set(err, ERR_INVALID_CONFIG, 0,
                       "config.json: .linux.namespaces[%zu]: namespace \"%s\" is listed twice", i,
                       ns->type);
    seen[k] = true;
    if (ns->path != NULL && ns->path[0] != '\0') {
      if (ns->path[0] != '/')
        return error_set(err, ERR_INVALID_CONFIG, 0,
                         "config.json: .linux.namespaces[%zu].path: \"%s\" is not an absolute path",
                         i, ns->path);
      plan->join[k] = ns->path;
    } else {
      plan->new_ns[k] = true;
      if (k != NS_CGROUP && k != NS_TIME)
        plan->clone_flags |= (unsigned long)ns_table[k].flag;
    }
  }
  return 0;
}

int ns_join(enum ns_kind kind, const char *path, struct error **err) {
  autoclose int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return error_sys(err, "open %s namespace %s", ns_table[kind].spec, path);
  if (setns(fd, ns_table[kind].flag) < 0) {
    if (errno == EINVAL)
      return error_set(err, ERR_INVALID_CONFIG, EINVAL,
                       "join %s namespace %s (is it a %s namespace file, such as /proc/PID/ns/%s?)",
                       ns_table[kind].spec, path, ns_table[kind].spec, ns_table[kind].proc);
    return error_sys(err, "join %s namespace %s", ns_table[kind].spec, path);
  }
  return 0;
}

int ns_join_paths(const struct ns_plan *plan, bool include_pid, struct error **err) {
  /* The user namespace first: the others are then joined with its privileges. */
  for (int k = 0; k < NS_COUNT; k++) {
    if (plan->join[k] == NULL || (k == NS_PID && !include_pid))
      continue;
    debug("init: joining the %s namespace %s", ns_table[k].spec, plan->join[k]);
    if (ns_join((enum ns_kind)k, plan->join[k], err) < 0)
      return -1;
  }
  return 0;
}

static int write_map(pid_t pid, const char *file, oci_id_mapping **maps, size_t n,
                     struct error **err) {
  size_t cap = 64 * (n + 1), used = 0;
  autofree char *buf = xmalloc(cap);
  buf[0] = '\0';
  for (size_t i = 0; i < n; i++)
    used += (size_t)snprintf(buf + used, cap - used, "%u %u %u\n", maps[i]->container_id,
                             maps[i]->host_id, maps[i]->size);
  autofree char *path = xasprintf("/proc/%d/%s", (int)pid, file);
  debug("create: writing %s: %.*s", path, (int)(used && buf[used - 1] == '\n' ? used - 1 : used),
        buf);
  if (write_file(path, buf, used, err) < 0)
    return error_prefix(err, "write the user namespace's %s (%zu mappings)", file, n);
  return 0;
}

int ns_write_id_maps(pid_t pid, const oci_linux *linux, struct error **err) {
  if (write_map(pid, "uid_map", linux->uid_mappings, linux->uid_mappings_len, err) < 0)
    return -1;
  return write_map(pid, "gid_map", linux->gid_mappings, linux->gid_mappings_len, err);
}
