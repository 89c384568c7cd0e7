/* rootfs.h — the container's filesystem, built by its init.
 *
 * rootfs_prepare() and rootfs_finalize() run in the container's init after it has entered its new
 * mount namespace (and its other namespaces: user, pid, net, cgroup...) and before the process's
 * own user, capabilities and seccomp are applied. In order it: sets the propagation of /
 * (rootfsPropagation, default rslave), bind-mounts the rootfs onto itself, performs config.mounts
 * in order (bind/rbind with flags and propagation options, proc, sysfs, tmpfs, devpts, mqueue,
 * cgroup...), creates the default devices and linux.devices (mknod, or bind mounts from the host
 * when `in_userns`), the /dev symlinks (fd, stdin, stdout, stderr, ptmx, core), pivots (pivot_root,
 * or MS_MOVE + chroot with no_pivot), then applies rootfsPropagation to the new /; and at last
 * (rootfs_finalize) remounts read-only the tmpfs and /dev mounts that asked for "ro" (they stay
 * writable until then so that mount points and devices can be made in them), makes / read-only for
 * root.readonly, and applies readonlyPaths and maskedPaths. On return the cwd is the new "/".
 *
 * Every destination is resolved inside the rootfs (openat2 RESOLVE_IN_ROOT, see
 * safe-path.h) and mounted through its fd: a symlink in the rootfs can never make a
 * mount or a device land outside it, nor be swapped in between check and use.
 * Nothing in the container's own /proc is trusted: fds are named through the host's
 * procfs, opened (and checked to be procfs) on entry and held until the end.
 *
 * Errors say which mount (config.json: .mounts[N]) or path, the rootfs, and why. */
#ifndef CONTAIN_ROOTFS_H
#define CONTAIN_ROOTFS_H

#include <stdbool.h>

#include "error.h"
#include "oci-types.h"

struct rootfs_opts {
  const oci_config *config;
  const char *rootfs; /* absolute host path of root.path, symlinks resolved */
  const char *bundle; /* relative bind-mount sources are resolved from here (runtime-spec:
                         "relative to the bundle"); NULL: from the cwd at the call */
  bool no_pivot;
  bool in_userns; /* the init is in a user namespace other than the host's */
  /* Optional: called once the mounts and devices are in place in the rootfs, just
   * before the pivot, with the cwd inside the rootfs. This is where runc has its
   * parent run the prestart and createRuntime hooks (which, like the NVIDIA hook, mount
   * into <rootfs>/... from the container's mount namespace). Its error is returned
   * unchanged. */
  int (*before_pivot)(void *arg, struct error **err);
  void *before_pivot_arg;
};

/* The work comes in two halves, for an init that has work to do in the container's
 * final tree before it is made read-only — as runc binds the console's pty on
 * /dev/console between the two: rootfs_prepare() does everything up to and including
 * the pivot (and the new root's propagation); rootfs_finalize() then does the
 * read-only remounts, readonlyPaths and maskedPaths, and frees *r whatever happens.
 * On failure rootfs_prepare() frees what it made and sets *r to NULL. */
struct rootfs;
int rootfs_prepare(const struct rootfs_opts *opts, struct rootfs **r, struct error **err);
int rootfs_finalize(struct rootfs *r, struct error **err);
/* Only to drop a prepared rootfs without finalizing it (an error in between). */
void rootfs_free(struct rootfs *r);

#endif
