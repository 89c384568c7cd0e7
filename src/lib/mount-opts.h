/* mount-opts.h — config.json mount options as mount(2) arguments.
 *
 * Pure code (no syscalls): the table of the runtime-spec's filesystem-independent
 * options, as runc reads them. Each option either sets or clears an MS_* flag, asks
 * for a propagation change after the mount (shared, rslave...), sets a recursive
 * mount attribute (rro, rnosuid... via mount_setattr(AT_RECURSIVE)), or, when it is
 * not in the table, goes verbatim to the filesystem's data string ("mode=755",
 * "size=64m"), comma-joined in the given order. */
#ifndef CONTAIN_MOUNT_OPTS_H
#define CONTAIN_MOUNT_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mount.h>

#include "error.h"

#define MOUNT_OPTS_MAX_PROPAGATION 8

struct mount_opts {
  unsigned long flags;   /* MS_* to pass to mount(2); bind = MS_BIND, rbind = MS_BIND|MS_REC */
  unsigned long cleared; /* MS_* an option explicitly cleared (rw, suid, dev, exec, atime...) */
  /* Propagation changes, each one mount(2) call after the mount, in the given order
   * (MS_SHARED, MS_SLAVE|MS_REC...). */
  unsigned long propagation[MOUNT_OPTS_MAX_PROPAGATION];
  size_t propagation_len;
  /* Recursive attributes (MOUNT_ATTR_*) for mount_setattr(AT_RECURSIVE). */
  uint64_t rec_set, rec_clr;
  bool has_rec;
  bool rec_best_effort; /* set by contain, not by an option: skip rec_* without mount_setattr */
  bool bind;            /* bind or rbind was given */
  char *data;           /* the unknown options, comma-joined; NULL when none */
};

/* Parses options[0..n). On an option contain refuses (tmpcopyup, idmap, ridmap) or too
 * many propagation options, fills *err (ERR_INVALID_CONFIG) naming the option and
 * returns -1; *out then holds nothing to free. */
int mount_opts_parse(char *const *options, size_t n, struct mount_opts *out, struct error **err);
void mount_opts_free(struct mount_opts *o);

/* Every option name contain applies (flags, propagation, recursive attributes), for
 * `contain features`: a NULL-terminated malloc'd array of static strings. */
const char **mount_opts_known(size_t *n);

/* "shared", "slave", "private", "unbindable" and their r- (recursive) variants ->
 * MS_* flags; -1 (and *flags untouched) when the name is none of them. */
int mount_propagation_parse(const char *name, unsigned long *flags);

/* statfs(2)'s f_flags (ST_*) as the MS_* flags a bind remount understands
 * (MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, atime flags, MS_NOSYMFOLLOW). */
unsigned long mount_flags_from_statfs(unsigned long st_flags);

/* The per-mount flags a user namespace may lock on a mount it did not create:
 * a bind remount must keep them or it fails with EPERM. */
#define MOUNT_LOCKED_FLAGS (MS_RDONLY | MS_NODEV | MS_NOEXEC | MS_NOSUID)
#define MOUNT_ATIME_FLAGS (MS_NOATIME | MS_RELATIME | MS_STRICTATIME | MS_NODIRATIME)

#endif
