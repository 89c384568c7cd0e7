/* namespaces.h — the spec's namespace types as kernel flags, and the work on them:
 * the plan (which to create, which to join by path), joining, and the id maps
 * the parent writes for a new user namespace. */
#ifndef CONTAIN_NAMESPACES_H
#define CONTAIN_NAMESPACES_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "oci-types.h"

enum ns_kind { NS_USER, NS_MOUNT, NS_PID, NS_NET, NS_IPC, NS_UTS, NS_CGROUP, NS_TIME, NS_COUNT };

struct ns_plan {
  unsigned long clone_flags;  /* new namespaces made at clone time */
  bool new_ns[NS_COUNT];      /* asked for without a path */
  const char *join[NS_COUNT]; /* path to join, or NULL */
};

/* Validates linux.namespaces (known type, no duplicate, absolute path) and fills plan.
 * The cgroup and time namespaces are never in clone_flags: the init unshares them
 * once it is in its cgroup (so the cgroup namespace's root is the container's). */
int ns_plan_make(const oci_linux *linux, struct ns_plan *plan, struct error **err);

/* Child side: joins every namespace with a path (the user namespace first); the pid
 * namespace is skipped: it is joined by whoever clones the init. */
int ns_join_paths(const struct ns_plan *plan, bool include_pid, struct error **err);

/* setns to one namespace file, checking that it is of the expected kind. */
int ns_join(enum ns_kind kind, const char *path, struct error **err);

/* Parent side: writes /proc/PID/{uid_map,gid_map} from the mappings. */
int ns_write_id_maps(pid_t pid, const oci_linux *linux, struct error **err);

/* The names of the namespaces in clone flags, "CLONE_NEWPID|CLONE_NEWNS" (malloc'd). */
char *ns_flags_describe(unsigned long flags);

/* "pid", "network"... and the /proc/PID/ns/ name ("net", "mnt"...). */
const char *ns_spec_name(enum ns_kind kind);
const char *ns_proc_name(enum ns_kind kind);
int ns_clone_flag(enum ns_kind kind);

#endif
