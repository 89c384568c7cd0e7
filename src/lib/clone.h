/* clone.h — a child made with clone3: with namespace flags, and on cgroup v2 born
 * into the container's cgroup (CLONE_INTO_CGROUP), so it never runs a moment in the
 * caller's. Falls back to clone(2) where clone3 is missing or hidden (ENOSYS) and to
 * no CLONE_INTO_CGROUP where the kernel lacks it; *into_cgroup says whether the child
 * is in the cgroup already or must be moved there. Returns as fork() does. */
#ifndef CONTAIN_CLONE_H
#define CONTAIN_CLONE_H

#include <stdbool.h>
#include <sys/types.h>

pid_t clone_child(unsigned long flags, int cgroup_fd, bool *into_cgroup);

#endif
