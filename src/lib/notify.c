/* notify.c — NOTIFY_SOCKET relayed through the container (see notify.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "debug.h"
#include "notify.h"
#include "util.h"

#define NOTIFY_DIR "notify"
#define NOTIFY_NAME "notify.sock"

static void append_str(char ***v, size_t *n, const char *s) {
  *v = xrealloc(*v, (*n + 2) * sizeof **v);
  (*v)[(*n)++] = xstrdup(s);
  (*v)[*n] = NULL;
}

int notify_prepare(oci_config *cfg, const struct container_dir *d, const char *host_socket,
                   struct error **err) {
  if (host_socket == NULL || host_socket[0] != '/')
    return 0; /* abstract sockets cannot be reached from another mount namespace anyway */
  if (mkdirat(d->dirfd, NOTIFY_DIR, 0755) < 0 && errno != EEXIST)
    return error_sys(err, "NOTIFY_SOCKET: make %s/%s", d->path, NOTIFY_DIR);
  autofree char *copy = xstrdup(host_socket);
  const char *dir = dirname(copy);
  oci_mount *m = xcalloc(1, sizeof *m);
  m->destination = xstrdup(dir);
  m->source = xasprintf("%s/%s", d->path, NOTIFY_DIR);
  m->type = xstrdup("bind");
  static const char *const opts[] = {"bind", "nosuid", "noexec", "nodev"};
  for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
    append_str(&m->options, &m->options_len, opts[i]);
  cfg->mounts = xrealloc(cfg->mounts, (cfg->mounts_len + 2) * sizeof *cfg->mounts);
  cfg->mounts[cfg->mounts_len++] = m;
  cfg->mounts[cfg->mounts_len] = NULL;
  autofree char *inside = xasprintf("%s/%s", dir, NOTIFY_NAME);
  autofree char *env = xasprintf("NOTIFY_SOCKET=%s", inside);
  append_str(&cfg->process->env, &cfg->process->env_len, env);
  debug("create: NOTIFY_SOCKET: %s is the container's %s", m->source, inside);
  return 0;
}

/* The socket is named through the directory's fd: <root>/<id>/ may be too long a
 * path for a sockaddr_un. */
static void socket_addr(const struct container_dir *d, struct sockaddr_un *sa) {
  memset(sa, 0, sizeof *sa);
  sa->sun_family = AF_UNIX;
  snprintf(sa->sun_path, sizeof sa->sun_path, "/proc/self/fd/%d/" NOTIFY_DIR "/" NOTIFY_NAME,
           d->dirfd);
}

int notify_listen(const struct container_dir *d, int *sock, struct error **err) {
  *sock = -1;
  struct stat st;
  if (fstatat(d->dirfd, NOTIFY_DIR, &st, 0) < 0)
    return 0;
  struct sockaddr_un sa;
  socket_addr(d, &sa);
  unlink(sa.sun_path);
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return error_sys(err, "NOTIFY_SOCKET: socket");
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
    error_sys(err, "NOTIFY_SOCKET: bind %s/%s/%s", d->path, NOTIFY_DIR, NOTIFY_NAME);
    close(fd);
    return -1;
  }
  /* The container's process may run as any user. */
  chmod(sa.sun_path, 0777);
  *sock = fd;
  return 0;
}

static int forward(const char *host_socket, const char *msg, size_t len, struct error **err) {
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  if (strlen(host_socket) >= sizeof sa.sun_path)
    return error_set(err, ERR_USAGE, 0, "NOTIFY_SOCKET: %s is too long a path", host_socket);
  strcpy(sa.sun_path, host_socket);
  socklen_t salen = sizeof sa;
  if (sa.sun_path[0] == '@') {
    sa.sun_path[0] = '\0';
    salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(host_socket));
  }
  autoclose int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || sendto(fd, msg, len, MSG_NOSIGNAL, (struct sockaddr *)&sa, salen) < 0)
    return error_sys(err, "NOTIFY_SOCKET: forward READY=1 to %s", host_socket);
  return 0;
}

int notify_relay(int sock, int init_pidfd, const char *host_socket, struct error **err) {
  struct pollfd p[2] = {{.fd = sock, .events = POLLIN}, {.fd = init_pidfd, .events = POLLIN}};
  char buf[4096];
  for (;;) {
    int r = poll(p, 2, -1);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return error_sys(err, "NOTIFY_SOCKET: wait for READY=1");
    if (p[0].revents & POLLIN) {
      ssize_t n = recv(sock, buf, sizeof buf - 1, 0);
      if (n <= 0)
        continue;
      buf[n] = '\0';
      if (strstr(buf, "READY=1") != NULL) {
        debug("start: the container said READY=1; forwarding to %s", host_socket);
        return forward(host_socket, buf, (size_t)n, err);
      }
      continue;
    }
    if (p[1].revents)
      return error_set(err, ERR_GENERIC, 0,
                       "NOTIFY_SOCKET: the container exited before it said READY=1");
  }
}
