/* rootfs-internal.h — what rootfs.c, devices.c and rootfs-cgroup.c share: the state
 * of one rootfs build and the fd-based mount primitives. Not for the rest of lib/. */
#ifndef CONTAIN_ROOTFS_INTERNAL_H
#define CONTAIN_ROOTFS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "mount-opts.h"
#include "oci-types.h"
#include "rootfs.h"

/* A tmpfs (or /dev) mount that asked for "ro": mounted writable, made read-only in
 * rootfs_finalize() through the fd of its root, held until then. */
struct rootfs_deferred_ro {
  size_t index; /* in config.mounts */
  int fd;
  unsigned long flags; /* the mount's MS_* flags, MS_RDONLY included */
};

struct rootfs {
  const oci_config *config;
  char *rootfs; /* host path */
  bool no_pivot, in_userns, cgroupns;
  bool setup_dev; /* /dev is not a bind mount: contain makes its devices and links */
  bool pivoted;
  unsigned long root_propagation; /* linux.rootfsPropagation as MS_*; 0 when unset */
  int proc_fd;     /* the host's procfs root (as "/proc" on entry), checked to be procfs */
  int base_fd;     /* relative bind sources are resolved from here */
  int root_fd;     /* the container's "/": the rootfs mount before the pivot, "/" after */
  char *root_path; /* root_fd's path as the kernel names it ("/" after the pivot) */
  struct rootfs_deferred_ro *deferred;
  size_t deferred_len;
};

/* mount(2) with fds for source and target, never paths in the container: an fd >= 0
 * is named "self/fd/N" relative to proc_fd (the cwd is moved there for the call, and
 * back to root_fd after). src_fd < 0 passes src as given (a device or filesystem
 * name, or NULL). Returns 0, or -1 with errno. */
int rfs_mount(struct rootfs *r, const char *src, int src_fd, int dst_fd, const char *type,
              unsigned long flags, const char *data);

/* The path of fd as the kernel names it (readlink of /proc/self/fd/N), malloc'd; NULL
 * with errno on failure. */
char *rfs_fd_path(struct rootfs *r, int fd);

/* After a mount onto dst_fd (which still names the directory under the new mount),
 * an O_PATH fd of the new mount's root: the path is resolved again inside the root
 * and must lead to the same place, now a different mount. -1 with *err otherwise. */
int rfs_reopen_mount(struct rootfs *r, int dst_fd, struct error **err);

/* MS_BIND | MS_REMOUNT | flags on the mount whose root is mnt_fd. When the kernel says
 * EPERM (flags that a user namespace locked on the source: nodev, nosuid, noexec, ro,
 * atime), retries with the source's locked flags added, as runc does; a locked flag
 * the options explicitly cleared (`cleared`: rw, dev, suid, exec) is an error instead. */
int rfs_remount_bind(struct rootfs *r, int mnt_fd, unsigned long flags, unsigned long cleared,
                     struct error **err);

/* Applies propagation and recursive attributes of o to the mount whose root is mnt_fd. */
int rfs_apply_mount_opts_after(struct rootfs *r, int mnt_fd, const struct mount_opts *o,
                               struct error **err);

/* Refuses a mount over /proc (unless it is procfs: a proc mount, or a bind of a procfs)
 * or inside it (but for the files lxcfs emulates), judged on the resolved target. */
int rfs_check_dest(struct rootfs *r, int dst_fd, bool bind, const char *type, int src_fd,
                   struct error **err);

/* A bind mount of the host path source (relative: from base_fd) on dest in the root,
 * with o's flags (a remount), propagation and recursive attributes. A missing dest is
 * made: a directory, or an empty file when the source is not a directory. ctx starts
 * the error messages (NULL: "bind-mount SRC on DEST"). */
int rfs_bind_mount(struct rootfs *r, const char *source, const char *dest,
                   const struct mount_opts *o, const char *ctx, struct error **err);

/* devices.c: the default devices and linux.devices, /dev/ptmx and the /dev symlinks,
 * in the rootfs before the pivot. */
int rfs_setup_dev(struct rootfs *r, struct error **err);
/* devices.c, after the pivot: fds 0-2 that are the host's /dev/null are pointed at the
 * container's, as runc does. */
int rfs_reopen_dev_null(struct rootfs *r, struct error **err);
/* devices.c: an O_PATH fd of the container's /dev/null, checked to be the null device
 * (char 1:3) and no symlink; for masking paths. */
int rfs_open_dev_null(struct rootfs *r, struct error **err);

/* rootfs-cgroup.c: a mount of type "cgroup" (the container's view of its cgroups) at
 * dest, with the mount's options o. */
int rfs_mount_cgroup(struct rootfs *r, const oci_mount *m, const char *dest,
                     const struct mount_opts *o, struct error **err);

#endif
