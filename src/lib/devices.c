/* devices.c — /dev in the container: the runtime-spec's default devices, linux.devices,
 * /dev/ptmx and the /dev symlinks (declared in rootfs-internal.h).
 *
 * Devices are made with mknod, or, in a user namespace (where mknod is refused), by
 * bind-mounting the host's node of the same path onto an empty file, as runc does.
 * Every path is resolved inside the rootfs (safe-path.h); a name that exists already
 * is left as it is. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "rootfs-internal.h"
#include "safe-path.h"
#include "util.h"

struct dev {
  const char *path;
  char type; /* c b u p */
  int64_t major, minor;
  mode_t mode;
  uid_t uid;
  gid_t gid;
};

/* runtime-spec config-linux.md, "Default Devices" (and runc's modes for them). */
static const struct dev default_devices[] = {
    {"/dev/null", 'c', 1, 3, 0666, 0, 0},    {"/dev/zero", 'c', 1, 5, 0666, 0, 0},
    {"/dev/full", 'c', 1, 7, 0666, 0, 0},    {"/dev/random", 'c', 1, 8, 0666, 0, 0},
    {"/dev/urandom", 'c', 1, 9, 0666, 0, 0}, {"/dev/tty", 'c', 5, 0, 0666, 0, 0},
};

static mode_t type_bits(char type) {
  switch (type) {
  case 'c':
  case 'u': return S_IFCHR;
  case 'b': return S_IFBLK;
  case 'p': return S_IFIFO;
  default: return 0;
  }
}

/* The host's node at d->path, bound over an empty file at the same path in the rootfs. */
static int bind_host_node(struct rootfs *r, const struct dev *d, const char *clean,
                          struct error **err) {
  autoclose int src = open(d->path, O_PATH | O_CLOEXEC);
  if (src < 0)
    return error_sys(err,
                     "open the host's %s to bind it (mknod is not allowed in a user "
                     "namespace)",
                     d->path);
  struct stat sb;
  if (fstat(src, &sb) < 0)
    return error_sys(err, "stat the host's %s", d->path);
  if ((sb.st_mode & S_IFMT) != type_bits(d->type) ||
      (d->type != 'p' &&
       (major(sb.st_rdev) != (unsigned)d->major || minor(sb.st_rdev) != (unsigned)d->minor)))
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     "the host's %s is not the device %c %lld:%lld of the config, so it cannot "
                     "be bound in its place (mknod is not allowed in a user namespace)",
                     d->path, d->type, (long long)d->major, (long long)d->minor);
  autoclose int dst = safe_create_file(r->root_fd, clean, 0666, err);
  if (dst < 0)
    return -1;
  if (rfs_mount(r, NULL, src, dst, NULL, MS_BIND, NULL) < 0)
    return error_sys(err, "bind the host's %s", d->path);
  return 0;
}

static int make_device(struct rootfs *r, const struct dev *d, struct error **err) {
  autofree char *clean = path_clean(d->path);
  if (strcmp(clean, "/") == 0)
    return error_set(err, ERR_INVALID_CONFIG, 0, "a device cannot be made at \"/\"");
  if (type_bits(d->type) == 0)
    return error_set(err, ERR_INVALID_CONFIG, 0, "unknown device type '%c'", d->type);
  if (d->type != 'p' && (d->major < 0 || d->minor < 0 || d->major > 0xfff || d->minor > 0xfffff))
    return error_set(err, ERR_INVALID_CONFIG, 0, "device number %lld:%lld is out of range",
                     (long long)d->major, (long long)d->minor);
  /* A fifo needs no privilege: it is always made, never bound. */
  if (!r->in_userns || d->type == 'p') {
    char *slash = strrchr(clean, '/');
    autofree char *dir = slash == clean ? xstrdup("/") : strndup(clean, (size_t)(slash - clean));
    if (dir == NULL)
      abort();
    autoclose int parent = safe_mkdir_all(r->root_fd, dir, 0755, err);
    if (parent < 0)
      return -1;
    mode_t old = umask(0);
    dev_t dev = d->type == 'p' ? 0 : makedev((unsigned)d->major, (unsigned)d->minor);
    int ret = mknodat(parent, slash + 1, type_bits(d->type) | (d->mode & 07777), dev);
    int e = errno;
    umask(old);
    if (ret == 0) {
      if (fchownat(parent, slash + 1, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
        return error_sys(err, "chown %s to %u:%u", clean, (unsigned)d->uid, (unsigned)d->gid);
      return 0;
    }
    if (e == EEXIST)
      return 0; /* the image has it: left as it is, as runc does */
    if (e != EPERM || d->type == 'p') {
      errno = e;
      return error_sys(err, "mknod %s", clean);
    }
    /* EPERM outside a user namespace we were told of: bind it, as runc does */
  }
  struct stat sb;
  autoclose int existing = safe_open(r->root_fd, clean, O_PATH);
  if (existing >= 0 && fstat(existing, &sb) == 0 && (sb.st_mode & S_IFMT) == type_bits(d->type) &&
      sb.st_rdev == makedev((unsigned)d->major, (unsigned)d->minor))
    return 0; /* the right node is there already */
  return bind_host_node(r, d, clean, err);
}

static bool in_config(const oci_linux *l, const char *path) {
  autofree char *clean = path_clean(path);
  for (size_t i = 0; l && i < l->devices_len; i++) {
    if (l->devices[i]->path == NULL)
      continue;
    autofree char *other = path_clean(l->devices[i]->path);
    if (strcmp(clean, other) == 0)
      return true;
  }
  return false;
}

static int make_symlinks(struct rootfs *r, struct error **err) {
  autoclose int dev = safe_mkdir_all(r->root_fd, "/dev", 0755, err);
  if (dev < 0)
    return -1;
  /* /dev/ptmx -> pts/ptmx: the devpts instance's own ptmx (runc's setupPtmx) */
  if (unlinkat(dev, "ptmx", 0) < 0 && errno != ENOENT)
    return error_sys(err, "remove /dev/ptmx");
  if (symlinkat("pts/ptmx", dev, "ptmx") < 0)
    return error_sys(err, "symlink /dev/ptmx -> pts/ptmx");
  static const char *const links[][2] = {
      {"/proc/self/fd", "fd"},       {"/proc/self/fd/0", "stdin"}, {"/proc/self/fd/1", "stdout"},
      {"/proc/self/fd/2", "stderr"}, {"/proc/kcore", "core"},
  };
  for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
    /* /dev/core only where the kernel has /proc/kcore (CONFIG_PROC_KCORE), as runc */
    if (strcmp(links[i][1], "core") == 0 && faccessat(r->proc_fd, "kcore", F_OK, 0) < 0)
      continue;
    if (symlinkat(links[i][0], dev, links[i][1]) < 0 && errno != EEXIST)
      return error_sys(err, "symlink /dev/%s -> %s", links[i][1], links[i][0]);
  }
  return 0;
}

int rfs_setup_dev(struct rootfs *r, struct error **err) {
  const oci_linux *l = r->config->linux;
  for (size_t i = 0; i < sizeof default_devices / sizeof default_devices[0]; i++) {
    if (in_config(l, default_devices[i].path))
      continue; /* the config's own entry wins */
    if (make_device(r, &default_devices[i], err) < 0)
      return error_prefix(err, "default device %s", default_devices[i].path);
  }
  for (size_t i = 0; l && i < l->devices_len; i++) {
    const oci_device *od = l->devices[i];
    if (od->path == NULL || od->type == NULL || od->type[0] == '\0' || od->type[1] != '\0')
      return error_set(err, ERR_INVALID_CONFIG, 0,
                       "config.json: .linux.devices[%zu]: path and a one-letter type are required",
                       i);
    if (od->type[0] != 'p' && (!od->major_present || !od->minor_present))
      return error_set(err, ERR_INVALID_CONFIG, 0,
                       "config.json: .linux.devices[%zu]: %s: major and minor are required for "
                       "type %s",
                       i, od->path, od->type);
    struct dev d = {
        .path = od->path,
        .type = od->type[0],
        .major = od->major,
        .minor = od->minor,
        .mode = od->file_mode_present ? (mode_t)od->file_mode & 07777 : 0666,
        .uid = od->uid_present ? od->uid : 0,
        .gid = od->gid_present ? od->gid : 0,
    };
    if (make_device(r, &d, err) < 0)
      return error_prefix(err, "config.json: .linux.devices[%zu] (%s)", i, od->path);
  }
  return make_symlinks(r, err);
}

static bool is_null_device(const struct stat *sb) {
  return S_ISCHR(sb->st_mode) && major(sb->st_rdev) == 1 && minor(sb->st_rdev) == 3;
}

int rfs_open_dev_null(struct rootfs *r, struct error **err) {
  int fd = safe_open(r->root_fd, "/dev/null", O_PATH | O_NOFOLLOW);
  if (fd < 0)
    return error_sys(err, "open /dev/null in the container");
  struct stat sb;
  if (fstat(fd, &sb) < 0 || !is_null_device(&sb)) {
    close(fd);
    return error_set(err, ERR_GENERIC, 0,
                     "/dev/null in the container is not the null device (char 1:3): refusing "
                     "to mask paths with it");
  }
  return fd;
}

int rfs_reopen_dev_null(struct rootfs *r, struct error **err) {
  /* Checked before it is opened for real: a node of the image could be anything. */
  autoclose int path = safe_open(r->root_fd, "/dev/null", O_PATH | O_NOFOLLOW);
  struct stat ns;
  if (path < 0 || fstat(path, &ns) < 0 || !is_null_device(&ns))
    return 0; /* nothing to point the fds at; they stay as they are */
  char name[32];
  snprintf(name, sizeof name, "self/fd/%d", path);
  autoclose int null = openat(r->proc_fd, name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (null < 0)
    return error_sys(err, "open the container's /dev/null");
  for (int fd = 0; fd < 3; fd++) {
    struct stat sb;
    if (fstat(fd, &sb) < 0 || !is_null_device(&sb))
      continue;
    if (sb.st_dev == ns.st_dev && sb.st_ino == ns.st_ino)
      continue;
    if (dup3(null, fd, 0) < 0)
      return error_sys(err, "point fd %d at the container's /dev/null", fd);
  }
  return 0;
}
