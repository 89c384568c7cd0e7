/* container.h — the lifecycle, parent side: create, start, run, kill, delete,
 * state and list. Each takes the state root (--root) and an id; each leaves the
 * container as it was when it fails (a failed create leaves nothing at all). */
#ifndef CONTAIN_CONTAINER_H
#define CONTAIN_CONTAINER_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "oci-types.h"

struct create_opts {
  const char *root;
  const char *id;
  const char *bundle;   /* directory; NULL means the cwd */
  const char *pid_file; /* may be NULL */
  const char *console_socket;
  int preserve_fds;
  bool no_pivot;
  bool no_new_keyring;
  bool systemd_cgroup;
  bool no_cgroup;            /* --cgroup-manager disabled */
  bool no_subreaper;         /* run: do not become the subreaper of the container */
  const char *pidfd_socket;  /* send a pidfd of the init there */
  const char *notify_socket; /* the caller's NOTIFY_SOCKET */
};

int container_create(const struct create_opts *o, struct error **err);
/* --pidfd-socket: sends a pidfd of pid to the socket at path (NULL: nothing). */
int send_pidfd(const char *socket_path, pid_t pid, struct error **err);
/* notify_socket: the caller's NOTIFY_SOCKET (or NULL), see notify.h. */
int container_start(const char *root, const char *id, const char *notify_socket,
                    struct error **err);

struct run_opts {
  struct create_opts create;
  bool detach;
  bool keep; /* do not delete the container once it exits */
};
/* Creates and starts; unless detached, waits, forwarding signals, and sets
 * *exit_status to the process's status (128+N when killed by signal N). */
int container_run(const struct run_opts *o, int *exit_status, struct error **err);

int container_kill(const char *root, const char *id, int sig, bool all, struct error **err);
int container_delete(const char *root, const char *id, bool force, struct error **err);

/* The state as `state` prints it (runc's fields). */
int container_state(const char *root, const char *id, oci_state **out, struct error **err);
/* Every container under root; containers that vanish while listed are skipped. */
int container_list(const char *root, oci_state ***out, size_t *n, struct error **err);

#endif
