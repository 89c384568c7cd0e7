/* sync.h — the only channel between the runtime (parent) and the container's
 * init (child): a SOCK_SEQPACKET socketpair carrying one fixed-size message per
 * datagram. The child reports a failure as SYNC_ERROR with its error, so the
 * parent prints it once, as every other error. */
#ifndef CONTAIN_SYNC_H
#define CONTAIN_SYNC_H

#include <stdint.h>

#include "error.h"

enum sync_type {
  SYNC_GO = 1, /* parent -> child: ids mapped, cgroup joined: go on */
  SYNC_READY,  /* child -> parent: set up, about to wait for `start` */
  SYNC_PID,    /* intermediate -> parent: the init's pid (when joining a pid namespace) */
  SYNC_HOOKS,  /* child -> parent: mounts done, run prestart/createRuntime; answered by GO */
  SYNC_ERROR,  /* child -> parent: setup failed; carries the error */
};

struct sync_pair {
  int parent; /* the parent's end */
  int child;  /* the child's end */
};

int sync_pair_open(struct sync_pair *p, struct error **err);
void sync_pair_close(struct sync_pair *p);

int sync_send(int fd, enum sync_type type, int32_t value, struct error **err);
/* Sends e (kind, errno, text) as SYNC_ERROR; used by the child before it exits. */
void sync_send_error(int fd, const struct error *e);
/* Receives one message. A SYNC_ERROR becomes *err and returns -1; EOF is an
 * error saying the peer exited. Otherwise *type and *value are set. */
int sync_recv(int fd, enum sync_type *type, int32_t *value, struct error **err);
/* sync_recv, and an error unless the message is of type `want`. */
int sync_expect(int fd, enum sync_type want, int32_t *value, struct error **err);

#endif
