/* rootfs-cgroup.c — the "cgroup" mount type: the container's view of its cgroups
 * (declared in rootfs-internal.h), as runc builds it.
 *
 * cgroup v2 (host_cgroup_mode() == UNIFIED): a cgroup2 mount; where the kernel refuses
 *   it (a user namespace without its own cgroup namespace), a bind of the host's
 *   cgroup2 mount instead.
 * v1 and hybrid: a tmpfs (mode 755, nosuid nodev noexec) at the destination and in it
 *   one directory per v1 hierarchy of /proc/self/cgroup, named as the host names its
 *   mount point ("cpu,cpuacct", "memory", "systemd"), holding either a fresh `cgroup`
 *   mount of that hierarchy (in a cgroup namespace, whose root is the container's
 *   cgroup) or a bind of the host's mount at the init's own cgroup; symlinks for the
 *   co-mounted controllers (cpu -> cpu,cpuacct); on hybrid, the cgroup2 hierarchy as
 *   "unified" the same way. "ro" makes every part read-only, the tmpfs last. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "host.h"
#include "mountinfo.h"
#include "rootfs-internal.h"
#include "safe-path.h"
#include "util.h"

#define CGROUP_TMPFS_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)

struct cg_line {
  char *controllers; /* "cpu,cpuacct", "name=systemd", "" for v2 */
  char *path;        /* the init's cgroup, relative to its cgroup namespace */
  bool v2;
};

/* /proc/self/cgroup: "ID:controllers:path" per line. Strings point into text. */
static size_t parse_proc_cgroup(char *text, struct cg_line **out) {
  size_t n = 0, cap = 0;
  *out = NULL;
  for (char *line = text; line && *line;) {
    char *nl = strchr(line, '\n');
    if (nl)
      *nl = '\0';
    char *c1 = strchr(line, ':');
    char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (c2) {
      *c1 = *c2 = '\0';
      if (n == cap) {
        cap = cap ? cap * 2 : 16;
        *out = xrealloc(*out, cap * sizeof **out);
      }
      (*out)[n++] = (struct cg_line){
          .controllers = c1 + 1, .path = c2 + 1, .v2 = strcmp(line, "0") == 0 && !c1[1]};
    }
    line = nl ? nl + 1 : NULL;
  }
  return n;
}

/* The host's mount of a hierarchy: for v1 the first cgroup mount whose super options
 * hold the hierarchy's first controller (each controller is in one hierarchy only),
 * for v2 a cgroup2 mount; one under /sys/fs/cgroup is preferred. */
static const struct mountinfo_entry *find_mount(const struct mountinfo *mi,
                                                const struct cg_line *l) {
  const struct mountinfo_entry *found = NULL;
  autofree char *first = xstrdup(l->controllers);
  char *comma = strchr(first, ',');
  if (comma)
    *comma = '\0';
  for (size_t i = 0; i < mi->n; i++) {
    const struct mountinfo_entry *e = &mi->e[i];
    bool match =
        l->v2 ? strcmp(e->fstype, "cgroup2") == 0
              : strcmp(e->fstype, "cgroup") == 0 && mountinfo_has_option(e->super_options, first);
    if (!match)
      continue;
    if (strncmp(e->mountpoint, "/sys/fs/cgroup/", 15) == 0 ||
        strcmp(e->mountpoint, "/sys/fs/cgroup") == 0)
      return e;
    if (found == NULL)
      found = e;
  }
  return found;
}

/* The host path showing the init's own cgroup in the mount e: mountpoint + the cgroup
 * path relative to the mount's root. NULL when the mount does not hold it (the
 * runtime's view is narrower than the init's cgroup). */
static char *own_cgroup_source(const struct mountinfo_entry *e, const char *path) {
  size_t n = strcmp(e->root, "/") == 0 ? 0 : strlen(e->root);
  if (strncmp(path, e->root, n) != 0 || (path[n] != '\0' && path[n] != '/'))
    return NULL;
  return xasprintf("%s%s", e->mountpoint, path + n);
}

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

static int bind_own_cgroup(struct rootfs *r, const struct mountinfo_entry *e, const char *cgpath,
                           const char *dest, unsigned long flags, const struct mount_opts *o,
                           struct error **err) {
  autofree char *src = own_cgroup_source(e, cgpath);
  if (src == NULL)
    return error_set(err, ERR_GENERIC, 0,
                     "the host's cgroup mount %s shows %s, which does not hold the init's "
                     "cgroup %s",
                     e->mountpoint, e->root, cgpath);
  struct mount_opts b = *o;
  b.flags = flags | MS_BIND | MS_REC;
  b.bind = true;
  return rfs_bind_mount(r, src, dest, &b, NULL, err);
}

/* A fresh mount of type at dest (made inside the root), then o's propagation. */
static int fresh_mount(struct rootfs *r, const char *dest, const char *source, const char *type,
                       unsigned long flags, const char *data, const struct mount_opts *o,
                       struct error **err) {
  autoclose int dst = safe_mkdir_all(r->root_fd, dest, 0755, err);
  if (dst < 0 || rfs_check_dest(r, dst, false, type, -1, err) < 0)
    return -1;
  if (rfs_mount(r, source, -1, dst, type, flags, data) < 0)
    return error_sys(err, "mount %s (%s) on \"%s\"", type, data ? data : source, dest);
  if (o->propagation_len == 0 && !o->has_rec)
    return 0;
  autoclose int mnt = rfs_reopen_mount(r, dst, err);
  if (mnt < 0)
    return -1;
  return rfs_apply_mount_opts_after(r, mnt, o, err);
}

static int mount_v2(struct rootfs *r, const oci_mount *m, const char *dest,
                    const struct mount_opts *o, struct error **err) {
  const char *source = m->source && m->source[0] ? m->source : "cgroup2";
  {
    autoclose int dst = safe_mkdir_all(r->root_fd, dest, 0755, err);
    if (dst < 0 || rfs_check_dest(r, dst, false, "cgroup2", -1, err) < 0)
      return -1;
    if (rfs_mount(r, source, -1, dst, "cgroup2", o->flags, o->data) == 0) {
      if (o->propagation_len == 0 && !o->has_rec)
        return 0;
      autoclose int mnt = rfs_reopen_mount(r, dst, err);
      if (mnt < 0)
        return -1;
      return rfs_apply_mount_opts_after(r, mnt, o, err);
    }
    if (errno != EPERM && errno != EBUSY)
      return error_sys(err, "mount cgroup2");
  }
  /* A user namespace without its own cgroup namespace may not mount cgroup2: bind the
   * host's mount (in a cgroup namespace, just the init's cgroup, as runc emulates it). */
  struct mountinfo mi;
  autofree char *cgroups = NULL;
  if (mountinfo_read(r->proc_fd, &mi, err) < 0)
    return -1;
  int ret = -1;
  struct cg_line v2 = {.controllers = "", .path = "/", .v2 = true};
  const struct mountinfo_entry *e = find_mount(&mi, &v2);
  if (e == NULL) {
    error_set(err, ERR_HOST_UNSUPPORTED, 0, "no cgroup2 mount on the host to bind");
    goto out;
  }
  struct mount_opts b = *o;
  b.flags |= MS_BIND | MS_REC;
  b.bind = true;
  if (r->cgroupns && read_file_at(r->proc_fd, "self/cgroup", &cgroups, NULL, NULL) == 0) {
    struct cg_line *lines;
    size_t n = parse_proc_cgroup(cgroups, &lines);
    for (size_t i = 0; i < n; i++)
      if (lines[i].v2) {
        autofree char *src = own_cgroup_source(e, lines[i].path);
        if (src) {
          ret = rfs_bind_mount(r, src, dest, &b, NULL, err);
          free(lines);
          goto out;
        }
      }
    free(lines);
  }
  ret = rfs_bind_mount(r, e->mountpoint, dest, &b, NULL, err);
out:
  mountinfo_free(&mi);
  return ret;
}

static int mount_v1(struct rootfs *r, const char *dest, const struct mount_opts *o, bool hybrid,
                    struct error **err) {
  autofree char *cgroups = NULL;
  if (read_file_at(r->proc_fd, "self/cgroup", &cgroups, NULL, err) < 0)
    return -1;
  struct mountinfo mi;
  if (mountinfo_read(r->proc_fd, &mi, err) < 0)
    return -1;
  struct cg_line *lines = NULL;
  size_t n = parse_proc_cgroup(cgroups, &lines);
  int ret = -1;
  int tmpfs = -1;

  /* the tmpfs that holds the hierarchies */
  {
    autoclose int dst = safe_mkdir_all(r->root_fd, dest, 0755, err);
    if (dst < 0 || rfs_check_dest(r, dst, false, "tmpfs", -1, err) < 0)
      goto out;
    if (rfs_mount(r, "tmpfs", -1, dst, "tmpfs", CGROUP_TMPFS_FLAGS, "mode=755") < 0) {
      error_sys(err, "mount the tmpfs that holds the cgroup v1 hierarchies");
      goto out;
    }
    tmpfs = rfs_reopen_mount(r, dst, err);
    if (tmpfs < 0 || rfs_apply_mount_opts_after(r, tmpfs, o, err) < 0)
      goto out;
  }

  unsigned long flags = (o->flags & ~(MS_BIND | MS_REC | MS_REMOUNT)) | CGROUP_TMPFS_FLAGS;
  for (size_t i = 0; i < n; i++) {
    const struct cg_line *l = &lines[i];
    if (l->v2 ? !hybrid : l->controllers[0] == '\0')
      continue;
    const struct mountinfo_entry *e = find_mount(&mi, l);
    if (e == NULL && !r->cgroupns)
      continue; /* not mounted on the host: nothing to bind */
    const char *name;
    if (e)
      name = base_name(e->mountpoint);
    else if (l->v2)
      name = "unified";
    else if (strncmp(l->controllers, "name=", 5) == 0)
      name = l->controllers + 5;
    else
      name = l->controllers;
    if (!name[0] || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
      continue;
    autofree char *sub = xasprintf("%s/%s", dest, name);
    int rc;
    if (r->cgroupns)
      rc = l->v2 ? fresh_mount(r, sub, "cgroup2", "cgroup2", flags, NULL, o, err)
                 : fresh_mount(r, sub, "cgroup", "cgroup", flags, l->controllers, o, err);
    else
      rc = bind_own_cgroup(r, e, l->path, sub, flags, o, err);
    if (rc < 0) {
      error_prefix(err, "cgroup hierarchy %s", l->v2 ? "(v2)" : l->controllers);
      goto out;
    }
    /* cpu -> cpu,cpuacct: the controller names find the co-mounted hierarchy */
    if (strchr(name, ',')) {
      autofree char *parts = xstrdup(name);
      char *save = NULL;
      for (char *p = strtok_r(parts, ",", &save); p; p = strtok_r(NULL, ",", &save))
        if (symlinkat(name, tmpfs, p) < 0 && errno != EEXIST) {
          error_sys(err, "symlink %s/%s -> %s", dest, p, name);
          goto out;
        }
    }
  }
  if ((o->flags & MS_RDONLY) &&
      rfs_remount_bind(r, tmpfs, MS_RDONLY | CGROUP_TMPFS_FLAGS, 0, err) < 0) {
    error_prefix(err, "make the cgroup tmpfs read-only");
    goto out;
  }
  ret = 0;
out:
  if (tmpfs >= 0)
    close(tmpfs);
  free(lines);
  mountinfo_free(&mi);
  return ret;
}

int rfs_mount_cgroup(struct rootfs *r, const oci_mount *m, const char *dest,
                     const struct mount_opts *o, struct error **err) {
  switch (host_cgroup_mode()) {
  case CGROUP_MODE_UNIFIED: return mount_v2(r, m, dest, o, err);
  case CGROUP_MODE_LEGACY: return mount_v1(r, dest, o, false, err);
  case CGROUP_MODE_HYBRID: return mount_v1(r, dest, o, true, err);
  default:
    return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                     "the host has no cgroup filesystem at /sys/fs/cgroup to show the container");
  }
}
