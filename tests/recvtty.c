/* recvtty — the receiving end of --console-socket, for the tests (as runc's
 * contrib/cmd/recvtty, and what conmon and the containerd shim do).
 *
 *   recvtty [options] SOCKET
 *
 * Listens on the unix stream socket SOCKET, accepts one connection, receives the pty
 * master the runtime sends (SCM_RIGHTS), and then, as the options say, types into it and
 * copies what it prints.
 *
 *   -r FILE     create FILE once SOCKET listens (a test waits for it before create)
 *   -i FILE     write what arrived to FILE, one "key=value" a line:
 *                 payload=...      the bytes sent with the fd
 *                 fds=N            how many fds came
 *                 pty=N            the pty's number (TIOCGPTN): the fd is a pty master
 *                 flags=0xN        the fd's access mode (O_RDWR is 0x2)
 *                 winsize=ROWSxCOLS the size the pty had on arrival
 *   -s ROWSxCOLS set the pty's window size once it arrived
 *   -w TEXT     type TEXT into the pty (\n \r \t \\ and \NNN octal are understood)
 *   -u TEXT     read the pty's output until TEXT has been printed
 *               Each -w begins a step, and the -u after it ends that step; a -u without
 *               a -w of its own is a step of its own. The steps run in order: type, then
 *               wait. When the last step waits for nothing (or there is no step), the
 *               output is copied until the pty hangs up (every slave closed).
 *   -o FILE     where the pty's output goes (default: stdout)
 *   -c          accept the connection and close it at once (a receiver that hangs up)
 *   -k          after the output ended, keep the master open until killed
 *   -t SECONDS  give up after SECONDS (default 20): exit status 2
 *
 * Exit status 0 when all went as asked, 1 on an error (the pty hung up before an
 * awaited text, say), 2 on the timeout. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAX_STEPS 16
#define OUT_MAX (1 << 20)

static long deadline_ms;

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int left_ms(void) {
  long l = deadline_ms - now_ms();
  return l < 0 ? 0 : (int)l;
}

static void die(const char *what) {
  fprintf(stderr, "recvtty: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void timed_out(const char *what) {
  fprintf(stderr, "recvtty: timed out %s\n", what);
  exit(2);
}

static char *unescape(const char *s, size_t *len) {
  char *out = malloc(strlen(s) + 1);
  size_t n = 0;
  if (out == NULL)
    die("malloc");
  for (; *s; s++) {
    if (*s != '\\' || s[1] == '\0') {
      out[n++] = *s;
      continue;
    }
    s++;
    switch (*s) {
    case 'n': out[n++] = '\n'; break;
    case 'r': out[n++] = '\r'; break;
    case 't': out[n++] = '\t'; break;
    case '\\': out[n++] = '\\'; break;
    default:
      if (*s >= '0' && *s <= '7') {
        int v = 0, i = 0;
        for (; i < 3 && s[i] >= '0' && s[i] <= '7'; i++)
          v = v * 8 + (s[i] - '0');
        out[n++] = (char)v;
        s += i - 1;
      } else {
        out[n++] = '\\';
        out[n++] = *s;
      }
    }
  }
  *len = n;
  return out;
}

static void write_all(int fd, const char *buf, size_t len, const char *what) {
  while (len > 0) {
    ssize_t n = write(fd, buf, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && errno == EAGAIN) {
      struct pollfd p = {.fd = fd, .events = POLLOUT};
      if (poll(&p, 1, left_ms()) == 0)
        timed_out(what);
      continue;
    }
    if (n < 0)
      die(what);
    buf += n;
    len -= (size_t)n;
  }
}

static void usage(void) {
  fprintf(stderr, "usage: recvtty [-r READY] [-i INFO] [-s ROWSxCOLS] [-w TEXT] [-u UNTIL] "
                  "[-o OUT] [-c] [-k] [-t SECONDS] SOCKET\n");
  exit(1);
}

int main(int argc, char **argv) {
  const char *ready = NULL, *info = NULL, *size = NULL, *out_path = NULL;
  struct {
    const char *write, *until;
  } steps[MAX_STEPS];
  int nsteps = 0, timeout = 20;
  bool hang_up = false, keep = false;
  int c;
  while ((c = getopt(argc, argv, "r:i:s:w:u:o:ckt:")) != -1) {
    switch (c) {
    case 'r': ready = optarg; break;
    case 'i': info = optarg; break;
    case 's': size = optarg; break;
    case 'w': /* a -w begins a step */
      if (nsteps == MAX_STEPS)
        usage();
      steps[nsteps].write = optarg;
      steps[nsteps++].until = NULL;
      break;
    case 'u': /* the -u after a -w ends its step; another -u is a step of its own */
      if (nsteps == 0 || steps[nsteps - 1].until) {
        if (nsteps == MAX_STEPS)
          usage();
        steps[nsteps].write = NULL;
        steps[nsteps++].until = NULL;
      }
      steps[nsteps - 1].until = optarg;
      break;
    case 'o': out_path = optarg; break;
    case 'c': hang_up = true; break;
    case 'k': keep = true; break;
    case 't': timeout = atoi(optarg); break;
    default: usage();
    }
  }
  if (optind != argc - 1)
    usage();
  signal(SIGPIPE, SIG_IGN);
  deadline_ms = now_ms() + timeout * 1000L;

  const char *path = argv[optind];
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof sa.sun_path) {
    fprintf(stderr, "recvtty: %s: path too long\n", path);
    return 1;
  }
  strcpy(sa.sun_path, path);
  int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (ls < 0)
    die("socket");
  unlink(path);
  if (bind(ls, (struct sockaddr *)&sa, sizeof sa) < 0)
    die(path);
  if (listen(ls, 1) < 0)
    die("listen");
  if (ready) {
    int fd = open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
      die(ready);
    close(fd);
  }

  struct pollfd lp = {.fd = ls, .events = POLLIN};
  int r;
  while ((r = poll(&lp, 1, left_ms())) < 0 && errno == EINTR)
    ;
  if (r == 0)
    timed_out("waiting for the runtime to connect");
  int conn = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
  if (conn < 0)
    die("accept");
  close(ls);
  unlink(path);
  if (hang_up) {
    close(conn);
    return 0;
  }

  char payload[4096];
  union {
    char buf[CMSG_SPACE(8 * sizeof(int))];
    struct cmsghdr align;
  } u;
  struct iovec iov = {.iov_base = payload, .iov_len = sizeof payload - 1};
  struct msghdr msg = {
      .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  struct pollfd cp = {.fd = conn, .events = POLLIN};
  while ((r = poll(&cp, 1, left_ms())) < 0 && errno == EINTR)
    ;
  if (r == 0)
    timed_out("waiting for the pty's master");
  ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
  if (n < 0)
    die("recvmsg");
  payload[n] = '\0';
  int fds[8], nfds = 0;
  for (struct cmsghdr *h = CMSG_FIRSTHDR(&msg); h; h = CMSG_NXTHDR(&msg, h)) {
    if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS)
      continue;
    size_t k = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < k && nfds < 8; i++)
      memcpy(&fds[nfds++], CMSG_DATA(h) + i * sizeof(int), sizeof(int));
  }
  close(conn);
  if (nfds == 0) {
    fprintf(stderr, "recvtty: no fd arrived (payload \"%s\")\n", payload);
    return 1;
  }
  int master = fds[0];
  unsigned ptn = 0;
  bool is_pty = ioctl(master, TIOCGPTN, &ptn) == 0;
  struct winsize ws = {0};
  ioctl(master, TIOCGWINSZ, &ws);
  if (info) {
    FILE *f = fopen(info, "w");
    if (f == NULL)
      die(info);
    fprintf(f, "payload=%s\nfds=%d\n", payload, nfds);
    if (is_pty)
      fprintf(f, "pty=%u\n", ptn);
    fprintf(f, "flags=0x%x\nwinsize=%ux%u\n", (unsigned)fcntl(master, F_GETFL) & 0x3, ws.ws_row,
            ws.ws_col);
    fclose(f);
  }
  if (!is_pty) {
    fprintf(stderr, "recvtty: the fd that arrived is not a pty master\n");
    return 1;
  }
  if (size) {
    unsigned rows, cols;
    if (sscanf(size, "%ux%u", &rows, &cols) != 2)
      usage();
    struct winsize nws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
    if (ioctl(master, TIOCSWINSZ, &nws) < 0)
      die("TIOCSWINSZ");
  }

  int out = STDOUT_FILENO;
  if (out_path && (out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
    die(out_path);
  fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
  static char seen[OUT_MAX + 1];
  size_t seen_len = 0, mark = 0;
  /* each step: type its text, then read until its text was printed; after the last
   * step, unless it waited for a text, read until the pty hangs up */
  bool wait_hangup = nsteps == 0 || steps[nsteps - 1].until == NULL;
  for (int step = 0; step <= nsteps; step++) {
    const char *until = NULL;
    if (step < nsteps) {
      if (steps[step].write) {
        size_t len;
        char *text = unescape(steps[step].write, &len);
        write_all(master, text, len, "writing into the pty");
        free(text);
      }
      until = steps[step].until;
      if (until == NULL)
        continue;
    } else if (!wait_hangup) {
      break;
    }
    for (;;) {
      if (until) {
        seen[seen_len] = '\0';
        char *at = strstr(seen + mark, until);
        if (at) {
          mark = (size_t)(at - seen) + strlen(until);
          break;
        }
      }
      struct pollfd p = {.fd = master, .events = POLLIN};
      while ((r = poll(&p, 1, left_ms())) < 0 && errno == EINTR)
        ;
      if (r == 0)
        timed_out(until ? "waiting for the expected output" : "waiting for the pty to hang up");
      char buf[4096];
      n = read(master, buf, sizeof buf);
      if (n < 0 && (errno == EAGAIN || errno == EINTR))
        continue;
      if (n <= 0) { /* EIO: every slave closed */
        if (until) {
          fprintf(stderr, "recvtty: the pty hung up before \"%s\" was printed\n", until);
          return 1;
        }
        break;
      }
      write_all(out, buf, (size_t)n, "writing the output");
      if (seen_len + (size_t)n <= OUT_MAX) {
        memcpy(seen + seen_len, buf, (size_t)n);
        seen_len += (size_t)n;
      }
    }
  }
  if (keep)
    for (;;)
      pause();
  return 0;
}
