/* exec.h — a new process in a running container (`contain exec`). The runtime joins
 * the init's pid namespace for its child (setns on the init's pidfd, so a reused PID
 * cannot mislead it) and clones it into the container's cgroup; the child joins the
 * other namespaces through the same pidfd (the user namespace first), stays
 * non-dumpable until execve, and applies the process as the init does (process.h). */
#ifndef CONTAIN_EXEC_H
#define CONTAIN_EXEC_H

#include <stdbool.h>

#include "error.h"
#include "oci-types.h"

struct exec_opts {
  const char *root;
  const char *id;
  oci_process *process;
  const char *pid_file;
  const char *console_socket;
  const char *pidfd_socket;
  int preserve_fds; /* including LISTEN_FDS ones */
  bool detach;
  bool ignore_paused;
};

/* Unless detached, waits and sets *exit_status to the process's status. */
int container_exec(const struct exec_opts *o, int *exit_status, struct error **err);

/* The container's config.process, the base exec builds on (caller frees). */
int container_exec_template(const char *root, const char *id, oci_process **out,
                            struct error **err);

#endif
