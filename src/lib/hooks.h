/* hooks.h — the six hook points of runtime-spec config.md. A hook is run with the
 * container's state JSON on its stdin, its own args and env, and its timeout; a hook
 * that fails or times out is an error naming the point and the index. Who runs which:
 *   prestart, createRuntime  the parent, when the init reports its mounts are done
 *   createContainer          the init, in the container's namespaces, before pivot
 *   startContainer           the init, after `start`, just before execve
 *   poststart                `start` (or `run`), once the init was released
 *   poststop                 `delete`, once the container is gone */
#ifndef CONTAIN_HOOKS_H
#define CONTAIN_HOOKS_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "oci-types.h"

enum hook_point {
  HOOK_PRESTART,
  HOOK_CREATE_RUNTIME,
  HOOK_CREATE_CONTAINER,
  HOOK_START_CONTAINER,
  HOOK_POSTSTART,
  HOOK_POSTSTOP,
};

bool hooks_present(const oci_hooks *h, enum hook_point point);
/* Runs every hook of the point in order; stops at the first failure. */
int hooks_run(const oci_hooks *h, enum hook_point point, const char *state_json,
              struct error **err);
/* The state JSON hooks get: the spec's state of the container at that point. */
char *hooks_state_json(const oci_config *c, const char *id, const char *status, pid_t pid,
                       const char *bundle);

#endif
