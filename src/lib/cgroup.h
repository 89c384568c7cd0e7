/* cgroup.h — the container's cgroup, through one driver chosen once from the host
 * (v2 unified, v1 legacy, or hybrid: v1 controllers + cgroup2 for what it holds).
 *
 * cgroupsPath as runc treats it: absolute paths are taken from the cgroup root,
 * relative paths and the empty default ("<id>") lie beneath the caller's own
 * cgroup in each hierarchy. A cgroup that holds the caller (its own, or an
 * ancestor) is never given limits: such a request is refused with the reason.
 * The driver never writes to a cgroup it did not create, except to enable
 * controllers in subtree_control where v2 needs it (never on the caller's own). */
#ifndef CONTAIN_CGROUP_H
#define CONTAIN_CGROUP_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "oci-types.h"

struct cgroup;

struct cgroup_request {
  const char *id;
  const char *cgroups_path;              /* linux.cgroupsPath, may be NULL */
  const oci_linux_resources *resources;  /* may be NULL */
  bool systemd;                          /* --systemd-cgroup: refused until the driver exists */
};

/* Makes the cgroup directories (in every hierarchy) and applies the resources. */
int cgroup_create(const struct cgroup_request *req, struct cgroup **out, struct error **err);
/* Moves pid into the container's cgroup(s). */
int cgroup_enter(struct cgroup *cg, pid_t pid, struct error **err);
/* On v2, an O_DIRECTORY fd of the cgroup for clone3(CLONE_INTO_CGROUP); -1 elsewhere. */
int cgroup_dirfd(struct cgroup *cg);
/* Re-applies resources (update). */
int cgroup_update(struct cgroup *cg, const oci_linux_resources *resources, struct error **err);
int cgroup_freeze(struct cgroup *cg, bool frozen, struct error **err);
int cgroup_is_frozen(struct cgroup *cg, bool *frozen, struct error **err);
/* PIDs of every process in the cgroup (malloc'd array). */
int cgroup_pids(struct cgroup *cg, pid_t **pids, size_t *n, struct error **err);
/* Removes the directories it made (retrying while the kernel drains them). */
int cgroup_destroy(struct cgroup *cg, struct error **err);

/* The paths kept in the runtime state, and the handle rebuilt from them. */
oci_string_map *cgroup_paths(const struct cgroup *cg);
int cgroup_load(const oci_string_map *paths, struct cgroup **out, struct error **err);
void cgroup_free(struct cgroup *cg);

#endif
