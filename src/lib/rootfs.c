/* rootfs.c — the container's filesystem: propagation, config.mounts, the pivot, and
 * the read-only and masked paths (see rootfs.h). /dev is in devices.c, the "cgroup"
 * mount type in rootfs-cgroup.c, the option table in mount-opts.c, path resolution
 * inside the rootfs in safe-path.c. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "debug.h"
#include "mount-opts.h"
#include "mountinfo.h"
#include "rootfs-internal.h"
#include "rootfs.h"
#include "safe-path.h"
#include "util.h"

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif
#define PROC_ROOT_INO 1
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef STATX_MNT_ID
#define STATX_MNT_ID 0x00001000U
#endif

/* The layout of mount_setattr(2)'s argument (MOUNT_ATTR_SIZE_VER0), spelled out so
 * that older C libraries build this too. */
struct rfs_mount_attr {
  uint64_t attr_set, attr_clr, propagation, userns_fd;
};

/* ---------------------------------------------------------------- primitives */

int rfs_mount(struct rootfs *r, const char *src, int src_fd, int dst_fd, const char *type,
              unsigned long flags, const char *data) {
  char s[32], d[32];
  if (src_fd >= 0) {
    snprintf(s, sizeof s, "self/fd/%d", src_fd);
    src = s;
  }
  snprintf(d, sizeof d, "self/fd/%d", dst_fd);
  if (fchdir(r->proc_fd) < 0)
    return -1;
  int ret = mount(src, d, type, flags, data);
  int e = errno;
  if (fchdir(r->root_fd) < 0 && ret == 0)
    return -1;
  errno = e;
  return ret;
}

char *rfs_fd_path(struct rootfs *r, int fd) {
  char name[32], buf[PATH_MAX + 1];
  snprintf(name, sizeof name, "self/fd/%d", fd);
  ssize_t n = readlinkat(r->proc_fd, name, buf, PATH_MAX);
  if (n < 0)
    return NULL;
  buf[n] = '\0';
  return xstrdup(buf);
}

/* A path the kernel names (from rfs_fd_path) as a path inside the root; NULL when it
 * is not inside. */
static char *in_root(const struct rootfs *r, const char *path) {
  const char *root = r->root_path;
  if (strcmp(root, "/") == 0)
    return xstrdup(path);
  size_t n = strlen(root);
  if (strncmp(path, root, n) != 0 || (path[n] != '\0' && path[n] != '/'))
    return NULL;
  return xstrdup(path[n] ? path + n : "/");
}

static int mount_id(int fd, uint64_t *id) {
  struct statx sx;
  if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &sx) < 0 ||
      !(sx.stx_mask & STATX_MNT_ID))
    return -1;
  *id = sx.stx_mnt_id;
  return 0;
}

int rfs_reopen_mount(struct rootfs *r, int dst_fd, struct error **err) {
  autofree char *path = rfs_fd_path(r, dst_fd);
  if (path == NULL)
    return error_sys(err, "read the path of the mount point");
  autofree char *rel = in_root(r, path);
  if (rel == NULL)
    return error_set(err, ERR_GENERIC, EXDEV, "the mount point \"%s\" is outside the rootfs %s",
                     path, r->root_path);
  int fd = safe_open(r->root_fd, rel, O_PATH);
  if (fd < 0)
    return error_sys(err, "open the new mount at \"%s\"", rel);
  autofree char *now = rfs_fd_path(r, fd);
  if (now == NULL || strcmp(now, path) != 0) {
    close(fd);
    return error_set(err, ERR_GENERIC, 0,
                     "the mount point \"%s\" was moved while it was being mounted (now \"%s\")",
                     rel, now ? now : "?");
  }
  uint64_t before, after;
  if (mount_id(dst_fd, &before) == 0 && mount_id(fd, &after) == 0 && before == after) {
    close(fd);
    return error_set(err, ERR_GENERIC, 0, "nothing was mounted on \"%s\"", rel);
  }
  return fd;
}

int rfs_remount_bind(struct rootfs *r, int mnt_fd, unsigned long flags, unsigned long cleared,
                     struct error **err) {
  unsigned long f = (flags & ~MS_REC) | MS_BIND | MS_REMOUNT;
  if (rfs_mount(r, NULL, -1, mnt_fd, NULL, f, NULL) == 0)
    return 0;
  if (errno != EPERM)
    return error_sys(err, "remount the bind mount with its flags");
  /* A user namespace cannot clear the flags locked on a mount from a more privileged
   * one; keep those of the source, unless the options asked to clear them. */
  struct statfs sf;
  if (fstatfs(mnt_fd, &sf) < 0)
    return error_sys(err, "statfs the bind mount");
  unsigned long src = mount_flags_from_statfs((unsigned long)sf.f_flags);
  unsigned long conflict = cleared & src & MOUNT_LOCKED_FLAGS;
  if (conflict) {
    char names[64] = "";
    static const struct {
      unsigned long flag;
      const char *name;
    } locked[] = {
        {MS_RDONLY, "ro"}, {MS_NOSUID, "nosuid"}, {MS_NODEV, "nodev"}, {MS_NOEXEC, "noexec"}};
    for (size_t i = 0; i < sizeof locked / sizeof locked[0]; i++)
      if (conflict & locked[i].flag) {
        if (names[0])
          strcat(names, ",");
        strcat(names, locked[i].name);
      }
    errno = EPERM;
    return error_sys(err,
                     "remount the bind mount: its source is %s, which the options ask to "
                     "clear and a user namespace cannot",
                     names);
  }
  if (!(flags & MOUNT_ATIME_FLAGS))
    f |= src & MOUNT_ATIME_FLAGS;
  f |= src & MOUNT_LOCKED_FLAGS;
  if (rfs_mount(r, NULL, -1, mnt_fd, NULL, f, NULL) < 0)
    return error_sys(err, "remount the bind mount with its flags (and the source's locked ones)");
  return 0;
}

static const char *propagation_name(unsigned long p) {
  static const char *const names[] = {"private", "shared", "slave", "unbindable"};
  static const unsigned long bits[] = {MS_PRIVATE, MS_SHARED, MS_SLAVE, MS_UNBINDABLE};
  static const char *const rnames[] = {"rprivate", "rshared", "rslave", "runbindable"};
  for (size_t i = 0; i < 4; i++)
    if (p & bits[i])
      return p & MS_REC ? rnames[i] : names[i];
  return "?";
}

int rfs_apply_mount_opts_after(struct rootfs *r, int mnt_fd, const struct mount_opts *o,
                               struct error **err) {
  for (size_t i = 0; i < o->propagation_len; i++)
    if (rfs_mount(r, NULL, -1, mnt_fd, NULL, o->propagation[i], NULL) < 0)
      return error_sys(err, "make the mount %s", propagation_name(o->propagation[i]));
  if (o->has_rec) {
    struct rfs_mount_attr a = {.attr_set = o->rec_set, .attr_clr = o->rec_clr};
    if (syscall(SYS_mount_setattr, mnt_fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof a) < 0) {
      if (errno == ENOSYS && o->rec_best_effort)
        return 0;
      if (errno == ENOSYS)
        return error_set(err, ERR_HOST_UNSUPPORTED, ENOSYS,
                         "the recursive mount options (rro, rnosuid...) need mount_setattr(2), "
                         "Linux 5.12 or later");
      return error_sys(err, "set the recursive mount options (mount_setattr)");
    }
  }
  return 0;
}

/* ---------------------------------------------------------------- errors */

static enum error_kind kind_of(int e) {
  switch (e) {
  case ENOENT: return ERR_NOT_FOUND;
  case EPERM:
  case EACCES: return ERR_PERMISSION;
  case ENODEV: return ERR_HOST_UNSUPPORTED;
  default: return ERR_GENERIC;
  }
}

/* The well-known reasons a mount fails in a container, said after the kernel's word. */
static const char *mount_hint(const struct rootfs *r, const char *type, int e) {
  if (type == NULL)
    return NULL;
  if (e == ENODEV)
    return "the kernel does not know this filesystem type: see /proc/filesystems";
  if (e != EPERM || !r->in_userns)
    return NULL;
  if (strcmp(type, "proc") == 0)
    return "in a user namespace, proc can only be mounted by an init in its own pid "
           "namespace: add {\"type\": \"pid\"} to linux.namespaces";
  if (strcmp(type, "mqueue") == 0)
    return "in a user namespace, mqueue needs the container's own ipc namespace: add "
           "{\"type\": \"ipc\"} to linux.namespaces, or bind-mount /dev/mqueue";
  return NULL;
}

/* Sets *err to "ctx: strerror(e) (hint)" with kind and errno of e; returns -1. */
static int fail(struct error **err, int e, const char *ctx, const char *hint) {
  if (hint)
    error_set(err, kind_of(e), 0, "%s: %s (%s)", ctx, strerror(e), hint);
  else
    error_set(err, kind_of(e), 0, "%s: %s", ctx, strerror(e));
  if (err && *err)
    (*err)->errnum = e;
  return -1;
}

/* ---------------------------------------------------------------- config.mounts */

static const char *const proc_allowed[] = {
    /* files that lxcfs and similar FUSE filesystems emulate (runc's list) */
    "/proc/cpuinfo", "/proc/diskstats",
    "/proc/meminfo", "/proc/stat",
    "/proc/swaps",   "/proc/uptime",
    "/proc/loadavg", "/proc/slabinfo",
    "/proc/net/dev", "/proc/sys/kernel/ns_last_pid",
};

/* Mounting over /proc or inside it would hide what masked and read-only paths protect
 * (CVE-2019-16884, CVE-2019-19921): only procfs goes on /proc, and only the few files
 * lxcfs emulates inside it. dst_fd is the resolved target, so a symlink cannot dodge. */
int rfs_check_dest(struct rootfs *r, int dst_fd, bool bind, const char *type, int src_fd,
                   struct error **err) {
  autofree char *path = rfs_fd_path(r, dst_fd);
  if (path == NULL)
    return error_sys(err, "read the path of the mount point");
  autofree char *rel = in_root(r, path);
  if (rel == NULL)
    return error_set(err, ERR_GENERIC, EXDEV, "the mount point \"%s\" is outside the rootfs", path);
  if (strcmp(rel, "/proc") == 0) {
    struct statfs sf;
    if (!bind && type && strcmp(type, "proc") == 0)
      return 0;
    if (bind && fstatfs(src_fd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC)
      return 0;
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     "\"%s\" cannot be mounted because it is not of type proc", rel);
  }
  /* Judged by the filesystem too, not only the path: an image whose /proc is a symlink
   * puts procfs elsewhere, and a mount there would cover the kernel's files all the
   * same (CVE-2019-16884, CVE-2025-52881). */
  struct statfs dsf;
  bool on_proc = fstatfs(dst_fd, &dsf) == 0 && dsf.f_type == PROC_SUPER_MAGIC;
  bool under_proc = strncmp(rel, "/proc/", 6) == 0;
  if (under_proc || on_proc) {
    for (size_t i = 0; i < sizeof proc_allowed / sizeof proc_allowed[0]; i++)
      if (strcmp(rel, proc_allowed[i]) == 0)
        return 0;
    return error_set(err, ERR_INVALID_CONFIG, 0, "\"%s\" cannot be mounted because it is inside %s",
                     rel, under_proc ? "/proc" : "a procfs (the image's /proc is a symlink there)");
  }
  return 0;
}

static bool data_has_key(const char *data, const char *key) {
  size_t n = strlen(key);
  for (const char *p = data; p && *p;) {
    if (strncmp(p, key, n) == 0 && p[n] == '=')
      return true;
    p = strchr(p, ',');
    if (p)
      p++;
  }
  return false;
}

int rfs_bind_mount(struct rootfs *r, const char *source, const char *dest,
                   const struct mount_opts *o, const char *ctx, struct error **err) {
  autofree char *own_ctx = ctx ? NULL : xasprintf("bind-mount \"%s\" on \"%s\"", source, dest);
  if (ctx == NULL)
    ctx = own_ctx;
  autoclose int src = openat(r->base_fd, source, O_PATH | O_CLOEXEC);
  if (src < 0)
    return fail(err, errno, ctx, errno == ENOENT ? "the bind source does not exist" : NULL);
  struct stat sb;
  if (fstat(src, &sb) < 0)
    return fail(err, errno, ctx, "stat the bind source");
  autoclose int dst = S_ISDIR(sb.st_mode) ? safe_mkdir_all(r->root_fd, dest, 0755, err)
                                          : safe_create_file(r->root_fd, dest, 0644, err);
  if (dst < 0 || rfs_check_dest(r, dst, true, NULL, src, err) < 0)
    return error_prefix(err, "%s", ctx);
  if (rfs_mount(r, NULL, src, dst, NULL, MS_BIND | (o->flags & MS_REC), NULL) < 0)
    return fail(err, errno, ctx, NULL);
  autoclose int mnt = rfs_reopen_mount(r, dst, err);
  if (mnt < 0)
    return error_prefix(err, "%s", ctx);
  /* A bind mount takes none of the flags: they need a remount. */
  if ((o->flags & ~(MS_BIND | MS_REC | MS_REMOUNT)) &&
      rfs_remount_bind(r, mnt, o->flags, o->cleared, err) < 0)
    return error_prefix(err, "%s", ctx);
  if (rfs_apply_mount_opts_after(r, mnt, o, err) < 0)
    return error_prefix(err, "%s", ctx);
  return 0;
}

static int fs_mount(struct rootfs *r, size_t index, const oci_mount *m, const char *dest,
                    const struct mount_opts *o, const char *ctx, struct error **err) {
  const char *type = m->type;
  struct stat before;
  bool existed = false;
  int dst = safe_open(r->root_fd, dest, O_PATH | O_DIRECTORY);
  if (dst >= 0)
    existed = fstat(dst, &before) == 0;
  else
    dst = safe_mkdir_all(r->root_fd, dest, 0755, err);
  if (dst < 0)
    return error_prefix(err, "%s", ctx);
  autoclose int dst_fd = dst;
  if (rfs_check_dest(r, dst_fd, false, type, -1, err) < 0)
    return error_prefix(err, "%s", ctx);

  /* tmpfs and /dev stay writable until rootfs_finalize(): mount points and devices
   * are yet to be made in them. */
  unsigned long flags = o->flags;
  bool defer = (flags & MS_RDONLY) && (strcmp(type, "tmpfs") == 0 || strcmp(dest, "/dev") == 0);
  if (defer)
    flags &= ~MS_RDONLY;
  const char *src = m->source && m->source[0] ? m->source : type;
  if (rfs_mount(r, src, -1, dst_fd, type, flags, o->data) < 0) {
    int e = errno;
    if (strcmp(type, "sysfs") == 0 && (e == EPERM || e == EBUSY) && r->in_userns) {
      /* A user namespace without its own network namespace cannot mount sysfs; runc
       * then binds the host's /sys, recursively and with the same flags. That brings
       * the host's mounts under /sys along: "ro" is made recursive for them (where
       * mount_setattr exists), which runc does not. */
      struct mount_opts b = *o;
      b.flags |= MS_BIND | MS_REC;
      b.bind = true;
      if (o->flags & MS_RDONLY) {
        b.has_rec = b.rec_best_effort = true;
        b.rec_set |= 0x00000001; /* MOUNT_ATTR_RDONLY */
      }
      return rfs_bind_mount(r, "/sys", dest, &b, ctx, err);
    }
    return fail(err, e, ctx, mount_hint(r, type, e));
  }
  bool chmod_root = strcmp(type, "tmpfs") == 0 && existed && !data_has_key(o->data, "mode");
  if (!defer && !chmod_root && o->propagation_len == 0 && !o->has_rec)
    return 0;
  int mnt = rfs_reopen_mount(r, dst_fd, err);
  if (mnt < 0)
    return error_prefix(err, "%s", ctx);
  /* runc's tmpfs keeps the mode of the directory it covers, unless mode= is given */
  char name[32];
  snprintf(name, sizeof name, "self/fd/%d", mnt);
  if (chmod_root && fchmodat(r->proc_fd, name, before.st_mode & 07777, 0) < 0) {
    fail(err, errno, ctx, "chmod the new tmpfs to the mode of the directory it covers");
    close(mnt);
    return -1;
  }
  if (rfs_apply_mount_opts_after(r, mnt, o, err) < 0) {
    close(mnt);
    return error_prefix(err, "%s", ctx);
  }
  if (!defer) {
    close(mnt);
    return 0;
  }
  r->deferred = xrealloc(r->deferred, (r->deferred_len + 1) * sizeof *r->deferred);
  r->deferred[r->deferred_len++] =
      (struct rootfs_deferred_ro){.index = index, .fd = mnt, .flags = o->flags};
  return 0;
}

static bool opts_say_bind(const oci_mount *m) {
  if (m->type && strcmp(m->type, "bind") == 0)
    return true;
  for (size_t i = 0; i < m->options_len; i++)
    if (strcmp(m->options[i], "bind") == 0 || strcmp(m->options[i], "rbind") == 0)
      return true;
  return false;
}

static char *join_options(const oci_mount *m) {
  char *out = xstrdup(m->options_len ? "" : "none");
  for (size_t i = 0; i < m->options_len; i++) {
    char *next = xasprintf("%s%s%s", out, i ? "," : "", m->options[i]);
    free(out);
    out = next;
  }
  return out;
}

static int mount_entry(struct rootfs *r, size_t index, const oci_mount *m, struct error **err) {
  autofree char *dest = path_clean(m->destination ? m->destination : "");
  const char *what = m->source ? m->source : m->type ? m->type : "";
  autofree char *ctx = xasprintf("config.json: .mounts[%zu]: mount \"%s\" on \"%s\" (rootfs %s)",
                                 index, what, m->destination ? m->destination : "", r->rootfs);
  if (strcmp(dest, "/") == 0)
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     "%s: a mount over the container's root itself is not supported (root.path "
                     "is the root)",
                     ctx);
  struct mount_opts o;
  if (mount_opts_parse(m->options, m->options_len, &o, err) < 0)
    return error_prefix(err, "%s", ctx);
  if (debug_enabled()) {
    autofree char *opts = join_options(m);
    debug("rootfs: mount %s on %s (type %s, options %s)", what, dest, m->type ? m->type : "none",
          opts);
  }
  int ret;
  if (opts_say_bind(m)) {
    if (!o.bind) {
      o.flags |= MS_BIND; /* type "bind" without a bind option */
      o.bind = true;
    }
    if (m->source == NULL || m->source[0] == '\0')
      ret = error_set(err, ERR_INVALID_CONFIG, 0, "%s: a bind mount needs a source", ctx);
    else
      ret = rfs_bind_mount(r, m->source, dest, &o, ctx, err);
  } else if (m->type == NULL || m->type[0] == '\0') {
    ret = error_set(err, ERR_INVALID_CONFIG, 0,
                    "%s: the type is required (unless the options say bind or rbind)", ctx);
  } else if (strcmp(m->type, "cgroup") == 0) {
    ret = rfs_mount_cgroup(r, m, dest, &o, err);
    if (ret < 0)
      error_prefix(err, "%s", ctx);
  } else {
    ret = fs_mount(r, index, m, dest, &o, ctx, err);
  }
  mount_opts_free(&o);
  return ret;
}

/* ---------------------------------------------------------------- root, pivot */

/* pivot_root(2) refuses a new root whose parent mount is shared, and a shared parent
 * would propagate the rootfs bind back to the host: make it private (runc's
 * rootfsParentMountPrivate). */
static int make_parent_private(struct rootfs *r, struct error **err) {
  struct mountinfo mi;
  if (mountinfo_read(r->proc_fd, &mi, err) < 0)
    return -1;
  const struct mountinfo_entry *best = NULL;
  size_t best_len = 0;
  for (size_t i = 0; i < mi.n; i++) {
    const char *mp = mi.e[i].mountpoint;
    size_t n = strcmp(mp, "/") == 0 ? 0 : strlen(mp);
    if (n && (strncmp(r->rootfs, mp, n) != 0 || (r->rootfs[n] != '/' && r->rootfs[n] != '\0')))
      continue;
    if (n >= best_len) {
      best = &mi.e[i];
      best_len = n;
    }
  }
  int ret = 0;
  if (best && strstr(best->optional, "shared:") &&
      mount(NULL, best->mountpoint, NULL, MS_PRIVATE, NULL) < 0)
    ret = error_sys(err, "make the mount %s (which holds the rootfs) private", best->mountpoint);
  mountinfo_free(&mi);
  return ret;
}

/* The propagation of / in the new mount namespace, before anything is mounted.
 * By default, and for every rootfsPropagation but shared and rshared, everything is
 * made rslave first, so that no mount made here can reach the host (runc applies a
 * non-recursive "private" or "slave" to / alone, leaving the other mounts shared with
 * the host). shared and rshared are applied alone, as runc does: they are asked for
 * so that mounts propagate both ways (Kubernetes' Bidirectional volumes). An
 * unbindable / could not be bound onto itself: that one is only applied at the end. */
static int set_root_propagation(struct rootfs *r, struct error **err) {
  unsigned long p = r->root_propagation;
  const unsigned long rslave = MS_SLAVE | MS_REC;
  if (!(p & MS_SHARED) && mount(NULL, "/", NULL, rslave, NULL) < 0)
    return error_sys(err, "make / rslave in the container's mount namespace");
  if (p && p != rslave && !(p & MS_UNBINDABLE) && mount(NULL, "/", NULL, p, NULL) < 0)
    return error_sys(err,
                     "config.json: .linux.rootfsPropagation: make / %s in the container's "
                     "mount namespace",
                     propagation_name(p));
  return 0;
}

static int prepare_root(struct rootfs *r, struct error **err) {
  if (set_root_propagation(r, err) < 0)
    return -1;
  if (make_parent_private(r, err) < 0)
    return -1;
  if (mount(r->rootfs, r->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
    return error_sys(err, "bind-mount the rootfs %s onto itself", r->rootfs);
  r->root_fd = open(r->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (r->root_fd < 0)
    return error_sys(err, "open the rootfs %s", r->rootfs);
  r->root_path = rfs_fd_path(r, r->root_fd);
  if (r->root_path == NULL)
    return error_sys(err, "read the path of the rootfs %s", r->rootfs);
  return 0;
}

static int pivot(struct rootfs *r, struct error **err) {
  debug("rootfs: pivot_root into %s; the old root is detached", r->rootfs);
  autoclose int old_root = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  if (old_root < 0)
    return error_sys(err, "open /");
  if (fchdir(r->root_fd) < 0)
    return error_sys(err, "chdir to the rootfs %s", r->rootfs);
  if (syscall(SYS_pivot_root, ".", ".") < 0) {
    int e = errno;
    autofree char *ctx = xasprintf("pivot_root into %s", r->rootfs);
    return fail(err, e, ctx,
                e == EINVAL ? "pivot_root cannot leave an initramfs (ramfs root); --no-pivot can"
                            : NULL);
  }
  /* "." is now the old root, stacked on the new one: detach it without the unmount
   * reaching the host. */
  if (fchdir(old_root) < 0)
    return error_sys(err, "chdir to the old root");
  if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
    return error_sys(err, "make the old root rslave");
  if (umount2(".", MNT_DETACH) < 0)
    return error_sys(err, "detach the old root");
  if (chdir("/") < 0)
    return error_sys(err, "chdir to the new root");
  return 0;
}

static bool path_under(const char *path, const char *dir) {
  size_t n = strlen(dir);
  return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* --no-pivot: MS_MOVE the rootfs onto / and chroot, as runc's msMoveRoot. The host's
 * full procfs and sysfs mounts stay reachable in this mount namespace otherwise, and
 * the kernel checks those when the container mounts its own proc or sysfs: they are
 * detached first (or, where a user namespace may not, covered with a tmpfs). */
static int move_root(struct rootfs *r, struct error **err) {
  struct mountinfo mi;
  if (mountinfo_read(r->proc_fd, &mi, err) < 0)
    return -1;
  int ret = 0;
  for (size_t i = 0; i < mi.n && ret == 0; i++) {
    const struct mountinfo_entry *e = &mi.e[i];
    if (strcmp(e->root, "/") != 0 || path_under(e->mountpoint, r->rootfs) ||
        (strcmp(e->fstype, "proc") != 0 && strcmp(e->fstype, "sysfs") != 0))
      continue;
    if (mount(NULL, e->mountpoint, NULL, MS_SLAVE | MS_REC, NULL) < 0) {
      if (errno == ENOENT)
        continue; /* under something detached already */
      ret = error_sys(err, "make %s rslave", e->mountpoint);
      break;
    }
    if (umount2(e->mountpoint, MNT_DETACH) < 0) {
      if (errno != EINVAL && errno != EPERM)
        ret = error_sys(err, "detach %s", e->mountpoint);
      else if (mount("tmpfs", e->mountpoint, "tmpfs", 0, NULL) < 0)
        ret = error_sys(err, "cover %s with a tmpfs", e->mountpoint);
    }
  }
  mountinfo_free(&mi);
  if (ret < 0)
    return -1;
  if (fchdir(r->root_fd) < 0)
    return error_sys(err, "chdir to the rootfs %s", r->rootfs);
  if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
    return error_sys(err, "move the rootfs %s onto /", r->rootfs);
  if (chroot(".") < 0)
    return error_sys(err, "chroot into the rootfs %s", r->rootfs);
  if (chdir("/") < 0)
    return error_sys(err, "chdir to the new root");
  return 0;
}

static int enter_root(struct rootfs *r, struct error **err) {
  if ((r->no_pivot ? move_root(r, err) : pivot(r, err)) < 0)
    return error_prefix(err, "jail the process in its rootfs");
  r->pivoted = true;
  int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return error_sys(err, "open the new /");
  close(r->root_fd);
  r->root_fd = fd;
  free(r->root_path);
  r->root_path = xstrdup("/");
  return 0;
}

/* ---------------------------------------------------------------- setup */

void rootfs_free(struct rootfs *r) {
  if (r == NULL)
    return;
  closep(&r->proc_fd);
  closep(&r->base_fd);
  closep(&r->root_fd);
  for (size_t i = 0; i < r->deferred_len; i++)
    closep(&r->deferred[i].fd);
  free(r->deferred);
  free(r->root_path);
  free(r->rootfs);
  free(r);
}

static int open_host_proc(struct rootfs *r, struct error **err) {
  r->proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (r->proc_fd < 0)
    return error_sys(err, "open /proc");
  struct statfs sf;
  struct stat sb;
  if (fstatfs(r->proc_fd, &sf) < 0 || fstat(r->proc_fd, &sb) < 0)
    return error_sys(err, "stat /proc");
  if (sf.f_type != PROC_SUPER_MAGIC || sb.st_ino != PROC_ROOT_INO)
    return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                     "/proc is not the root of a procfs mount: contain needs the host's procfs "
                     "there to build the container's filesystem");
  return 0;
}

static bool has_namespace(const oci_config *c, const char *type) {
  for (size_t i = 0; c->linux && i < c->linux->namespaces_len; i++)
    if (c->linux->namespaces[i]->type && strcmp(c->linux->namespaces[i]->type, type) == 0)
      return true;
  return false;
}

static int prepare(const struct rootfs_opts *opts, struct rootfs *r, struct error **err) {
  const oci_config *c = opts->config;
  r->config = c;
  r->rootfs = xstrdup(opts->rootfs);
  r->no_pivot = opts->no_pivot;
  r->in_userns = opts->in_userns;
  r->cgroupns = has_namespace(c, "cgroup");
  r->setup_dev = true;
  for (size_t i = 0; i < c->mounts_len; i++) {
    autofree char *d = path_clean(c->mounts[i]->destination ? c->mounts[i]->destination : "");
    if (strcmp(d, "/dev") == 0 && opts_say_bind(c->mounts[i]))
      r->setup_dev = false;
  }
  const char *prop = c->linux ? c->linux->rootfs_propagation : NULL;
  if (prop && prop[0] && mount_propagation_parse(prop, &r->root_propagation) < 0)
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     "config.json: .linux.rootfsPropagation: \"%s\" is none of shared, slave, "
                     "private, unbindable (or their r- variants)",
                     prop);

  if (open_host_proc(r, err) < 0)
    return -1;
  r->base_fd = open(opts->bundle ? opts->bundle : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (r->base_fd < 0)
    return error_sys(err, "open the bundle %s", opts->bundle ? opts->bundle : "(the cwd)");
  if (prepare_root(r, err) < 0)
    return -1;
  for (size_t i = 0; i < c->mounts_len; i++)
    if (mount_entry(r, i, c->mounts[i], err) < 0)
      return -1;
  if (r->setup_dev && rfs_setup_dev(r, err) < 0)
    return error_prefix(err, "set up /dev in the rootfs %s", r->rootfs);
  if (opts->before_pivot) {
    if (fchdir(r->root_fd) < 0)
      return error_sys(err, "chdir to the rootfs %s", r->rootfs);
    if (opts->before_pivot(opts->before_pivot_arg, err) < 0)
      return -1;
  }
  if (enter_root(r, err) < 0)
    return -1;
  if (r->setup_dev && rfs_reopen_dev_null(r, err) < 0)
    return -1;
  /* Only now: on the old / it would have reached the host (runc does the same). */
  if (r->root_propagation && mount(NULL, "/", NULL, r->root_propagation, NULL) < 0)
    return error_sys(err, "config.json: .linux.rootfsPropagation: make the new / %s",
                     propagation_name(r->root_propagation));
  return 0;
}

int rootfs_prepare(const struct rootfs_opts *opts, struct rootfs **out, struct error **err) {
  struct rootfs *r = xcalloc(1, sizeof *r);
  r->proc_fd = r->base_fd = r->root_fd = -1;
  if (prepare(opts, r, err) < 0) {
    rootfs_free(r);
    *out = NULL;
    return -1;
  }
  *out = r;
  return 0;
}

/* ---------------------------------------------------------------- finalize */

static int remount_deferred(struct rootfs *r, struct error **err) {
  for (size_t i = 0; i < r->deferred_len; i++) {
    const struct rootfs_deferred_ro *d = &r->deferred[i];
    unsigned long f = (d->flags & ~(MS_BIND | MS_REC)) | MS_REMOUNT | MS_RDONLY;
    int ret, tries = 0;
    while ((ret = rfs_mount(r, NULL, -1, d->fd, NULL, f, NULL)) < 0 && errno == EBUSY &&
           ++tries < 5)
      usleep(100 * 1000);
    if (ret < 0)
      return error_sys(err, "config.json: .mounts[%zu]: remount \"%s\" read-only", d->index,
                       r->config->mounts[d->index]->destination);
  }
  return 0;
}

static int root_readonly(struct rootfs *r, struct error **err) {
  unsigned long f = MS_BIND | MS_REMOUNT | MS_RDONLY;
  if (mount(NULL, "/", NULL, f, NULL) == 0)
    return 0;
  /* in a user namespace: keep the locked flags of the rootfs mount */
  struct statfs sf;
  if (statfs("/", &sf) < 0)
    return error_sys(err, "config.json: .root.readonly: statfs /");
  f |= mount_flags_from_statfs((unsigned long)sf.f_flags);
  if (mount(NULL, "/", NULL, f, NULL) < 0)
    return error_sys(err, "config.json: .root.readonly: remount / read-only");
  return 0;
}

static int readonly_path(struct rootfs *r, size_t i, const char *path, struct error **err) {
  autoclose int fd = safe_open(r->root_fd, path, O_PATH);
  if (fd < 0) {
    if (errno == ENOENT)
      return 0;
    return error_sys(err, "config.json: .linux.readonlyPaths[%zu]: open \"%s\"", i, path);
  }
  if (rfs_mount(r, NULL, fd, fd, NULL, MS_BIND | MS_REC, NULL) < 0)
    return error_sys(err, "config.json: .linux.readonlyPaths[%zu]: bind \"%s\" onto itself", i,
                     path);
  autoclose int mnt = rfs_reopen_mount(r, fd, err);
  struct statfs sf;
  if (mnt < 0 || fstatfs(mnt, &sf) < 0) {
    if (mnt >= 0)
      error_sys(err, "statfs");
    return error_prefix(err, "config.json: .linux.readonlyPaths[%zu]: \"%s\"", i, path);
  }
  unsigned long keep =
      mount_flags_from_statfs((unsigned long)sf.f_flags) & (MS_NOSUID | MS_NODEV | MS_NOEXEC);
  if (rfs_remount_bind(r, mnt, MS_RDONLY | keep, 0, err) < 0)
    return error_prefix(err, "config.json: .linux.readonlyPaths[%zu]: make \"%s\" read-only", i,
                        path);
  return 0;
}

/* A masked file gets /dev/null bound over it, a masked directory an empty read-only
 * tmpfs. The /dev/null used is the container's, opened without following a symlink
 * and checked to be char 1:3 (CVE-2025-31133: a /dev/null swapped for a symlink to
 * /proc/sys/... would otherwise unmask what it was meant to hide). */
static int mask_path(struct rootfs *r, size_t i, const char *path, int *null_fd,
                     struct error **err) {
  autoclose int fd = safe_open(r->root_fd, path, O_PATH);
  if (fd < 0) {
    if (errno == ENOENT)
      return 0;
    return error_sys(err, "config.json: .linux.maskedPaths[%zu]: open \"%s\"", i, path);
  }
  struct stat sb;
  if (fstat(fd, &sb) < 0)
    return error_sys(err, "config.json: .linux.maskedPaths[%zu]: stat \"%s\"", i, path);
  if (S_ISDIR(sb.st_mode)) {
    if (rfs_mount(r, "tmpfs", -1, fd, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) <
        0)
      return error_sys(err, "config.json: .linux.maskedPaths[%zu]: mount an empty tmpfs on \"%s\"",
                       i, path);
    return 0;
  }
  if (*null_fd < 0 && (*null_fd = rfs_open_dev_null(r, err)) < 0)
    return error_prefix(err, "config.json: .linux.maskedPaths[%zu]: \"%s\"", i, path);
  if (rfs_mount(r, NULL, *null_fd, fd, NULL, MS_BIND, NULL) < 0)
    return error_sys(err, "config.json: .linux.maskedPaths[%zu]: bind /dev/null on \"%s\"", i,
                     path);
  return 0;
}

static int finalize(struct rootfs *r, struct error **err) {
  const oci_config *c = r->config;
  if (remount_deferred(r, err) < 0)
    return -1;
  if (c->root && c->root->readonly && root_readonly(r, err) < 0)
    return -1;
  if (c->linux) {
    for (size_t i = 0; i < c->linux->readonly_paths_len; i++)
      if (readonly_path(r, i, c->linux->readonly_paths[i], err) < 0)
        return -1;
    autoclose int null_fd = -1;
    for (size_t i = 0; i < c->linux->masked_paths_len; i++)
      if (mask_path(r, i, c->linux->masked_paths[i], &null_fd, err) < 0)
        return -1;
  }
  if (chdir("/") < 0)
    return error_sys(err, "chdir to /");
  return 0;
}

int rootfs_finalize(struct rootfs *r, struct error **err) {
  int ret = finalize(r, err);
  rootfs_free(r);
  return ret;
}
