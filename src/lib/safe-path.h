/* safe-path.h — paths inside the container's root, resolved as if it were "/".
 *
 * A container's rootfs is hostile ground: any component of a path may be a symlink
 * (absolute or full of ".."), and a plain open or mkdir by host path would follow it
 * out of the rootfs (runc's CVE-2021-30465 and friends). Every function here takes
 * root_fd, an fd of the directory that plays "/", and resolves the path with
 * openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS): symlinks are followed but stay
 * inside, ".." stops at the root, /proc magic links are refused. On kernels without
 * openat2 (before 5.6) the same rules are applied by a component-by-component walk
 * (O_PATH | O_NOFOLLOW at each step, symlinks read and re-rooted by hand).
 *
 * The fds returned are O_PATH | O_CLOEXEC unless said otherwise: use them as mount
 * targets ("/proc/self/fd/N"), for fstat, or as dirfds of the *at() calls. */
#ifndef CONTAIN_SAFE_PATH_H
#define CONTAIN_SAFE_PATH_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

/* Lexical cleaning of an in-container path, as runc's CleanPath: the result is absolute,
 * without ".", "..", doubled or trailing slashes ("" -> "/", "a/../../b" -> "/b").
 * A relative path is taken from "/" (the runtime-spec's deprecated relative
 * destinations). Never fails; the result is malloc'd. */
char *path_clean(const char *path);

/* Opens path inside root. flags are open(2) flags (O_PATH, O_DIRECTORY, O_NOFOLLOW for a
 * final symlink...; O_CLOEXEC is added). Returns the fd, or -1 with errno set (ENOENT,
 * ENOTDIR, ELOOP, EXDEV... and no error object: the caller knows whether a missing path
 * is an error). */
int safe_open(int root_fd, const char *path, int flags);

/* Opens the directory at path inside root, making each missing component with mode
 * (a dangling symlink on the way is followed, inside the root, and its target made).
 * Returns an O_PATH fd of the directory, or -1 with *err naming the path. */
int safe_mkdir_all(int root_fd, const char *path, mode_t mode, struct error **err);

/* Opens path inside root; when it is missing, creates an empty regular file there with
 * mode (its parents as directories, 0755). An existing path of any type is opened as it
 * is. Returns an O_PATH fd, or -1 with *err naming the path. */
int safe_create_file(int root_fd, const char *path, mode_t mode, struct error **err);

/* For tests: forget that openat2 exists, so that the fallback walk is used. */
void safe_path_disable_openat2(bool disable);

#endif
