/* cgroup.h — the container's cgroup, through one driver chosen once from the host
 * (v2 unified, v1 legacy, or hybrid: v1 controllers + cgroup2 for what it holds).
 *
 * cgroupsPath as runc treats it: absolute paths are taken from the cgroup root,
 * relative paths and the empty default ("<id>") lie beneath the caller's own
 * cgroup in each hierarchy; ".." never climbs above either. The systemd form
 * "slice:prefix:name" (and --systemd-cgroup) is refused until that driver exists.
 * A cgroup that holds the caller (its own, or an ancestor) is never given limits:
 * such a request is refused with the reason. An existing cgroup that holds
 * processes, or is frozen, is refused too ("container's cgroup is not empty").
 *
 * The driver writes only to the container's cgroup (made by it, or an empty one
 * that cgroupsPath names), except: on v2, "+controller" into the
 * cgroup.subtree_control of ancestors that lack what the resources need (never one
 * that holds the caller: that is an error saying how to fix it); on v1, the empty
 * cpuset.cpus/mems of new (or still empty) cpusets on the way down, which no task
 * can join otherwise.
 *
 * A resource this host cannot apply (controller not mounted, file missing, a field
 * cgroup v2 has no equivalent for) is an error naming the field and the file, never
 * skipped. Device rules: v1 writes devices.deny "a", the rules in order, then the
 * default devices (as runc); v2 attaches an eBPF device filter generated from the same
 * rules (devices-bpf.h), always, and replaces it when an update brings rules. A hole
 * punched into a wildcard rule is refused on v2 (v1 would silently ignore it). */
#ifndef CONTAIN_CGROUP_H
#define CONTAIN_CGROUP_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "oci-types.h"

struct cgroup;

struct cgroup_request {
  const char *id;
  const char *cgroups_path;             /* linux.cgroupsPath, may be NULL */
  const oci_linux_resources *resources; /* may be NULL */
  bool systemd;                         /* --systemd-cgroup: refused until the driver exists */
};

/* Makes the cgroup directories (in every hierarchy) and applies the resources.
 * On failure nothing it made is left. */
int cgroup_create(const struct cgroup_request *req, struct cgroup **out, struct error **err);
/* Moves pid into the container's cgroup(s) (every hierarchy on v1/hybrid). */
int cgroup_enter(struct cgroup *cg, pid_t pid, struct error **err);
/* On v2, an O_DIRECTORY fd of the cgroup for clone3(CLONE_INTO_CGROUP); -1 elsewhere.
 * The handle owns it (closed by cgroup_free/cgroup_destroy): do not close it. */
int cgroup_dirfd(struct cgroup *cg);
/* Applies the resources given (update): the fields present are changed, the others
 * kept (cpu.max keeps the quota or period not given). Device rules change only on v2
 * (the filter is replaced) when the resources hold some; v1 keeps them, as runc update
 * does, with a warning. */
int cgroup_update(struct cgroup *cg, const oci_linux_resources *resources, struct error **err);
/* Freezes or thaws, and waits (bounded) until the kernel says it is done; a freeze that
 * does not complete is undone and reported. v1 freezer.state, else cgroup.freeze. */
int cgroup_freeze(struct cgroup *cg, bool frozen, struct error **err);
/* Frozen, or freezing: what `state` shows as paused. */
int cgroup_is_frozen(struct cgroup *cg, bool *frozen, struct error **err);
/* PIDs of every process in the cgroup and in the cgroups beneath it (malloc'd). */
int cgroup_pids(struct cgroup *cg, pid_t **pids, size_t *n, struct error **err);
/* Removes the container's cgroups, and any made beneath them, retrying for ~2 s while
 * the kernel lets go of exiting processes. A handle from cgroup_create removes only
 * what it made (and the parents it made); one from cgroup_load removes the recorded
 * cgroups. Never a hierarchy's root or a cgroup that holds the caller. Thaw first:
 * frozen processes do not die. */
int cgroup_destroy(struct cgroup *cg, struct error **err);

/* The paths kept in the runtime state: key = the hierarchy ("memory", "cpu,cpuacct",
 * "name=systemd"; "unified" for a hybrid host's cgroup2; "" on v2), value = the
 * absolute path. Made with oci_string_map_new (free with oci_string_map_free).
 * cgroup_load rebuilds the handle in another process; it refuses paths that are not
 * normalized, not cgroups, or a hierarchy's root, and keys of another cgroup mode. */
oci_string_map *cgroup_paths(const struct cgroup *cg);
int cgroup_load(const oci_string_map *paths, struct cgroup **out, struct error **err);
void cgroup_free(struct cgroup *cg);

#endif
