/* notify.h — sd_notify through the container, as runc relays it (podman's
 * --sdnotify=container). When the caller of create has NOTIFY_SOCKET, the container
 * gets a socket at that same path: <state dir>/notify/ is bind-mounted on the path's
 * directory and the process's NOTIFY_SOCKET names it. `start` (or `run`) binds the
 * socket before releasing the init, waits for the container's READY=1, and forwards
 * that message to its own NOTIFY_SOCKET. */
#ifndef CONTAIN_NOTIFY_H
#define CONTAIN_NOTIFY_H

#include "error.h"
#include "oci-types.h"
#include "state.h"

/* create: makes <dir>/notify and edits cfg (the mount, the process env). */
int notify_prepare(oci_config *cfg, const struct container_dir *d, const char *host_socket,
                   struct error **err);
/* start: *sock is -1 when the container was created without NOTIFY_SOCKET. */
int notify_listen(const struct container_dir *d, int *sock, struct error **err);
/* start: waits for READY=1 from the container (or the init's exit) and forwards it. */
int notify_relay(int sock, int init_pidfd, const char *host_socket, struct error **err);

#endif
