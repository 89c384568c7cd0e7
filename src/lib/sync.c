/* sync.c — the parent <-> init protocol (see sync.h). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sync.h"
#include "util.h"

#define SYNC_TEXT_MAX 4000

struct sync_msg {
  uint32_t type;
  int32_t value;
  uint32_t kind;
  int32_t errnum;
  char text[SYNC_TEXT_MAX];
};

int sync_pair_open(struct sync_pair *p, struct error **err) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
    return error_sys(err, "socketpair");
  p->parent = fds[0];
  p->child = fds[1];
  return 0;
}

void sync_pair_close(struct sync_pair *p) {
  closep(&p->parent);
  closep(&p->child);
}

static int send_msg(int fd, const struct sync_msg *m, size_t len) {
  for (;;) {
    ssize_t n = send(fd, m, len, MSG_NOSIGNAL);
    if (n >= 0)
      return 0;
    if (errno != EINTR)
      return -1;
  }
}

int sync_send(int fd, enum sync_type type, int32_t value, struct error **err) {
  struct sync_msg m = {.type = type, .value = value};
  if (send_msg(fd, &m, offsetof(struct sync_msg, text)) < 0)
    return error_sys(err, "sync: send");
  return 0;
}

void sync_send_error(int fd, const struct error *e) {
  struct sync_msg m = {.type = SYNC_ERROR, .kind = e->kind, .errnum = e->errnum};
  snprintf(m.text, sizeof m.text, "%s", e->msg);
  (void)send_msg(fd, &m, offsetof(struct sync_msg, text) + strlen(m.text) + 1);
}

int sync_recv(int fd, enum sync_type *type, int32_t *value, struct error **err) {
  struct sync_msg m;
  ssize_t n;
  do
    n = recv(fd, &m, sizeof m, 0);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return error_sys(err, "sync: receive");
  if (n == 0)
    return error_set(err, ERR_GENERIC, 0, "the container's init exited during setup");
  if ((size_t)n < offsetof(struct sync_msg, text))
    return error_set(err, ERR_GENERIC, 0, "sync: short message (%zd bytes)", n);
  if (m.type == SYNC_ERROR) {
    m.text[sizeof m.text - 1] = '\0';
    if ((size_t)n == offsetof(struct sync_msg, text))
      m.text[0] = '\0';
    /* the text already carries strerror(errnum) */
    error_set(err, (enum error_kind)m.kind, 0, "%s", m.text);
    (*err)->errnum = m.errnum;
    return -1;
  }
  *type = (enum sync_type)m.type;
  if (value)
    *value = m.value;
  return 0;
}

int sync_expect(int fd, enum sync_type want, int32_t *value, struct error **err) {
  enum sync_type got;
  if (sync_recv(fd, &got, value, err) < 0)
    return -1;
  if (got != want)
    return error_set(err, ERR_GENERIC, 0, "sync: expected message %d, got %d", want, got);
  return 0;
}
