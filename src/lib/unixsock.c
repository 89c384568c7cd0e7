/* unixsock.c — fd passing over unix sockets (see unixsock.h). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "unixsock.h"
#include "util.h"

int unix_connect(const char *path, const char *what, int *sock, struct error **err) {
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof sa.sun_path)
    return error_set(err, ERR_USAGE, 0, "%s: the path %s is too long for a unix socket", what,
                     path);
  strcpy(sa.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return error_sys(err, "%s: socket", what);
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
    error_sys(err, "%s: connect to %s", what, path);
    close(fd);
    return -1;
  }
  *sock = fd;
  return 0;
}

int unix_send_fd(int sock, int fd, const char *payload, struct error **err) {
  char ctrl[CMSG_SPACE(sizeof(int))];
  memset(ctrl, 0, sizeof ctrl);
  struct iovec iov = {.iov_base = (void *)payload, .iov_len = strlen(payload)};
  struct msghdr msg = {
      .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctrl, .msg_controllen = sizeof ctrl};
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof(int));
  ssize_t n;
  do
    n = sendmsg(sock, &msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return error_sys(err, "send an fd over the socket");
  return 0;
}
