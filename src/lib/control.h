/* control.h — what is done to an existing container's cgroup: pause, resume, update, ps,
 * stats and events. Each takes the state root (--root) and an id, and says what runc says
 * when the container is not in a state for it ("container not running", "container not
 * paused"). */
#ifndef CONTAIN_CONTROL_H
#define CONTAIN_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "oci-types.h"

/* Freezes every process of a created or running container and waits until the kernel says
 * it is frozen; `state` then says paused. Else "container not running" (ERR_NOT_RUNNING). */
int container_pause(const char *root, const char *id, struct error **err);
/* Thaws a paused container; else "container not paused" (ERR_INVALID_STATE). */
int container_resume(const char *root, const char *id, struct error **err);

/* Applies the resources given to the cgroup of a container that is not stopped: the fields
 * present change, the others stay (cgroup_update's rules). */
int container_update(const char *root, const char *id, const oci_linux_resources *r,
                     struct error **err);

/* The host PIDs of every process of the container (malloc'd; none when it is stopped). */
int container_pids(const char *root, const char *id, pid_t **pids, size_t *n, struct error **err);

/* One "stats" event of runc: {"type":"stats","id":ID,"data":{cpu, memory, pids...}} (malloc'd,
 * no newline). "container with id ID is not running" when it is stopped. */
int container_stats(const char *root, const char *id, char **json, struct error **err);

/* The event stream: stats when asked, an "oom" event ({"type":"oom","id":ID}) for each OOM
 * kill in the container's cgroup, and the end when the container's init is gone. */
struct container_events;
int container_events_open(const char *root, const char *id, struct container_events **out,
                          struct error **err);
/* The "stats" event now (malloc'd). */
int container_events_stats(struct container_events *ev, char **json, struct error **err);
enum container_event {
  CONTAINER_EVENT_TIMEOUT, /* nothing happened within the time given */
  CONTAINER_EVENT_OOM,     /* *json holds the "oom" event (malloc'd) */
  CONTAINER_EVENT_EXIT,    /* the container stopped: nothing more will come */
};
/* Waits up to timeout_ms (restarted after a signal that is not fatal) for the next event. */
int container_events_wait(struct container_events *ev, long timeout_ms, enum container_event *what,
                          char **json, struct error **err);
void container_events_close(struct container_events *ev);

#endif
