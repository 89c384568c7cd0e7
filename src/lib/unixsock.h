/* unixsock.h — handing a file descriptor to another program over a unix socket
 * (SCM_RIGHTS), as engines expect for --pidfd-socket and --console-socket. */
#ifndef CONTAIN_UNIXSOCK_H
#define CONTAIN_UNIXSOCK_H

#include "error.h"

/* Connects a SOCK_STREAM socket to path; `what` names the option in errors. */
int unix_connect(const char *path, const char *what, int *sock, struct error **err);
/* Sends fd with a short payload (e.g. its name) in one message. */
int unix_send_fd(int sock, int fd, const char *payload, struct error **err);

#endif
