/* host.h — facts about the host, probed once per process and cached.
 * Shared by the cgroup drivers, the rootfs code, `check` and `features`. */
#ifndef CONTAIN_HOST_H
#define CONTAIN_HOST_H

#include <stdbool.h>

enum cgroup_mode {
  CGROUP_MODE_UNKNOWN = 0, /* no cgroup filesystem found at /sys/fs/cgroup */
  CGROUP_MODE_LEGACY,      /* v1 controllers only */
  CGROUP_MODE_HYBRID,      /* v1 controllers + cgroup2 at /sys/fs/cgroup/unified */
  CGROUP_MODE_UNIFIED,     /* cgroup2 at /sys/fs/cgroup */
};

enum cgroup_mode host_cgroup_mode(void);
const char *host_cgroup_mode_name(enum cgroup_mode m); /* "v1", "hybrid", "v2", "none" */

/* ---- the kernel ---------------------------------------------------------------------------
 * Each probe runs once per process and is cached. A probe answers 0 when the kernel offers
 * the feature to this process, else the errno that says why not: ENOSYS (not in this kernel,
 * or hidden by a seccomp filter that answers ENOSYS, as Docker's default profile does for
 * clone3), EPERM (refused: no privilege, or a seccomp filter), EINVAL (the kernel has the
 * call but not the flag), or what the kernel said. Probes that could change anything run
 * in a forked child (the mount ones in a new mount namespace) and touch nothing that stays. */

/* The release as numbers ("6.1.0-18-amd64" -> 6, 1); false when uname cannot be parsed. */
bool host_kernel_version(unsigned *major, unsigned *minor);
bool host_kernel_at_least(unsigned major, unsigned minor);
/* Whether name ("overlay", "tmpfs") is listed in /proc/filesystems (a module that is not
 * loaded yet is not). */
bool host_has_filesystem(const char *name);

/* Whether this process's namespace of a kind ("cgroup", "pid", "user", "ipc", "uts",
 * "time", as in /proc/self/ns/) is the initial one, the host's: those have fixed inode
 * numbers. 1 yes, 0 no, -1 cannot tell (no such file; "mnt" and "net" have no fixed inode). */
int host_ns_is_initial(const char *proc_name);

/* unshare(flag) (one CLONE_NEW* flag) in a forked child: whether a new namespace of that
 * kind can be made here. Cached per flag. */
int host_probe_unshare(int flag);
int host_probe_clone3(void);
/* clone3 with CLONE_INTO_CGROUP (Linux 5.7): probed with a closed fd, so the kernel refuses
 * the fd (EBADF: the flag is known) or the flag (EINVAL) and no process is made. */
int host_probe_clone_into_cgroup(void);
int host_probe_pidfd_open(void);
int host_probe_open_tree(void); /* and move_mount: the new mount API (Linux 5.2) */
int host_probe_move_mount(void);
int host_probe_mount_setattr(void);
/* An idmapped mount (MOUNT_ATTR_IDMAP, Linux 5.12; per filesystem) of a detached copy of the
 * mount at path, in a forked child in a new mount namespace with a new user namespace's fd.
 * EINVAL: the filesystem of path cannot be idmapped. Not cached (depends on path). */
int host_probe_idmapped_mount(const char *path);

/* The seccomp mode of this process (0 none, 1 strict, 2 filter), -1 unknown. */
int host_seccomp_mode(void);

#endif
