/* seccomp-agent.c — the seccomp helper of tests/bats/seccomp.bats. Built static, so the same
 * binary runs on the host (the agent) and inside the busybox container (the probes).
 *
 *   seccomp-agent serve SOCKET LOG [NAME=ANSWER...]
 *       The SCMP_ACT_NOTIFY agent: listens on the unix socket SOCKET, and for each
 *       connection receives the listener fd (SCM_RIGHTS) and the container process state,
 *       which it appends to LOG as one line of JSON. Every notification of syscall NAME
 *       (x86_64 or i386 name, or a number) gets ANSWER: errno:N (fail with errno N),
 *       ok:V (succeed, returning V, without running it) or continue (run it); unnamed
 *       syscalls are continued. Each notification is also logged to stderr. Runs until
 *       killed.
 *   seccomp-agent personality VALUE       personality(VALUE), raw syscall
 *   seccomp-agent mkdir PATH [MODE]       mkdir(PATH, MODE) (octal, default 0755), raw syscall
 *   seccomp-agent mkdir32 PATH [MODE]     the same through the i386 ABI (int $0x80)
 *   seccomp-agent personality32 VALUE     personality through the i386 ABI
 *   seccomp-agent trap-mkdir PATH         mkdir with a SIGSYS handler that reports the signal
 * A probe prints "ok RESULT" or "errno N (TEXT)" and exits 0 or 1. */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef AUDIT_ARCH_I386
#define AUDIT_ARCH_I386 0x40000003U
#endif

static int usage(void) {
  fputs("usage: seccomp-agent serve SOCKET LOG [NAME=errno:N|ok:V|continue...]\n"
        "       seccomp-agent personality VALUE | personality32 VALUE | mkdir PATH [MODE] |\n"
        "                     mkdir32 PATH [MODE] | trap-mkdir PATH\n",
        stderr);
  return 2;
}

static int report(long r) {
  if (r < 0) {
    int e = errno;
    printf("errno %d (%s)\n", e, strerror(e));
    return 1;
  }
  printf("ok %ld\n", r);
  return 0;
}

/* --- probes -------------------------------------------------------------------------- */

#if defined(__x86_64__)
/* int $0x80 takes 32-bit pointers: the path is copied into .bss, below 4 GiB in a static
 * non-PIE binary. */
static char low_path[4096];

static long int80(long nr, long a, long b) {
  long r;
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b) : "memory");
  int ret = (int)r;
  if (ret < 0 && ret > -4096) {
    errno = -ret;
    return -1;
  }
  return ret;
}

static long mkdir32(const char *path, unsigned mode) {
  if ((uintptr_t)low_path > 0xffffffffu) {
    errno = EFAULT;
    return -1;
  }
  snprintf(low_path, sizeof low_path, "%s", path);
  return int80(39 /* i386 __NR_mkdir */, (long)(uintptr_t)low_path, (long)mode);
}
#endif

static void on_sigsys(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  char buf[128];
  int n = snprintf(buf, sizeof buf, "SIGSYS signal=%d code=%d syscall=%d\n", sig, si->si_code,
                   si->si_syscall);
  if (write(1, buf, (size_t)n) < 0)
    _exit(3);
}

static int probe(int argc, char **argv) {
  const char *what = argv[1];
  if (strcmp(what, "personality") == 0 && argc == 3)
    return report(syscall(SYS_personality, strtoul(argv[2], NULL, 0)));
  unsigned mode = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 8) : 0755;
  if (strcmp(what, "mkdir") == 0 && (argc == 3 || argc == 4))
    return report(syscall(SYS_mkdir, argv[2], mode));
#if defined(__x86_64__)
  if (strcmp(what, "mkdir32") == 0 && (argc == 3 || argc == 4))
    return report(mkdir32(argv[2], mode));
  if (strcmp(what, "personality32") == 0 && argc == 3)
    return report(int80(136 /* i386 __NR_personality */, (long)strtoul(argv[2], NULL, 0), 0));
#endif
  if (strcmp(what, "trap-mkdir") == 0 && argc == 3) {
    struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};
    sigaction(SIGSYS, &sa, NULL);
    return report(syscall(SYS_mkdir, argv[2], 0755));
  }
  return usage();
}

/* --- the agent ----------------------------------------------------------------------- */

static const struct {
  const char *name;
  int nr64, nr32;
} names[] = {
    {"mkdir", SYS_mkdir, 39},        {"mkdirat", SYS_mkdirat, 296},
    {"rmdir", SYS_rmdir, 40},        {"chmod", SYS_chmod, 15},
    {"fchmodat", SYS_fchmodat, 306}, {"uname", SYS_uname, 122},
    {"getpid", SYS_getpid, 20},      {"unlink", SYS_unlink, 10},
    {"unlinkat", SYS_unlinkat, 301}, {"personality", SYS_personality, 136},
};

struct answer {
  int nr64, nr32;
  enum { ANS_CONTINUE, ANS_ERRNO, ANS_OK } kind;
  long value;
};
static struct answer answers[32];
static size_t n_answers;

static int parse_answer(const char *arg) {
  const char *eq = strchr(arg, '=');
  if (eq == NULL || n_answers == sizeof answers / sizeof answers[0])
    return -1;
  struct answer *a = &answers[n_answers];
  a->nr64 = a->nr32 = -1;
  char name[64];
  snprintf(name, sizeof name, "%.*s", (int)(eq - arg), arg);
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(names[i].name, name) == 0) {
      a->nr64 = names[i].nr64;
      a->nr32 = names[i].nr32;
    }
  if (a->nr64 < 0) {
    char *end;
    long nr = strtol(name, &end, 0);
    if (*end != '\0' || end == name)
      return -1;
    a->nr64 = a->nr32 = (int)nr;
  }
  const char *v = eq + 1;
  if (strcmp(v, "continue") == 0)
    a->kind = ANS_CONTINUE;
  else if (strncmp(v, "errno:", 6) == 0)
    a->kind = ANS_ERRNO, a->value = strtol(v + 6, NULL, 0);
  else if (strncmp(v, "ok:", 3) == 0)
    a->kind = ANS_OK, a->value = strtol(v + 3, NULL, 0);
  else
    return -1;
  n_answers++;
  return 0;
}

static void answer(int fd) {
  struct seccomp_notif req;
  struct seccomp_notif_resp resp;
  memset(&req, 0, sizeof req);
  if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
    if (errno != EINTR && errno != ENOENT)
      perror("seccomp-agent: SECCOMP_IOCTL_NOTIF_RECV");
    return;
  }
  memset(&resp, 0, sizeof resp);
  resp.id = req.id;
  resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
  const char *how = "continue";
  bool is32 = req.data.arch == AUDIT_ARCH_I386;
  for (size_t i = 0; i < n_answers; i++) {
    if ((is32 ? answers[i].nr32 : answers[i].nr64) != req.data.nr)
      continue;
    if (answers[i].kind == ANS_ERRNO) {
      resp.flags = 0;
      resp.error = -(int)answers[i].value;
      how = "errno";
    } else if (answers[i].kind == ANS_OK) {
      resp.flags = 0;
      resp.val = answers[i].value;
      how = "ok";
    }
  }
  fprintf(stderr, "seccomp-agent: pid %u syscall %d%s: %s\n", req.pid, req.data.nr,
          is32 ? " (i386)" : "", how);
  if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 && errno != ENOENT)
    perror("seccomp-agent: SECCOMP_IOCTL_NOTIF_SEND");
}

#define MAX_FDS 64
enum { FD_LISTEN, FD_CONN, FD_NOTIFY };
struct slot {
  int kind;
  char *buf; /* FD_CONN: the state received so far */
  size_t len;
};

static int serve(const char *sock_path, const char *log_path) {
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  if (strlen(sock_path) >= sizeof sa.sun_path) {
    fprintf(stderr, "seccomp-agent: socket path too long\n");
    return 1;
  }
  strcpy(sa.sun_path, sock_path);
  int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  unlink(sock_path);
  if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(ls, 16) < 0) {
    perror("seccomp-agent: listen");
    return 1;
  }
  struct pollfd pfd[MAX_FDS];
  struct slot slot[MAX_FDS];
  size_t n = 1;
  pfd[0] = (struct pollfd){.fd = ls, .events = POLLIN};
  slot[0] = (struct slot){.kind = FD_LISTEN};
  for (;;) {
    if (poll(pfd, n, -1) < 0) {
      if (errno == EINTR)
        continue;
      perror("seccomp-agent: poll");
      return 1;
    }
    for (size_t i = 0; i < n; i++) {
      if (pfd[i].revents == 0)
        continue;
      bool drop = false;
      if (slot[i].kind == FD_LISTEN) {
        int c = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
        if (c >= 0 && n < MAX_FDS) {
          pfd[n] = (struct pollfd){.fd = c, .events = POLLIN};
          slot[n++] = (struct slot){.kind = FD_CONN};
        } else if (c >= 0) {
          close(c);
        }
      } else if (slot[i].kind == FD_NOTIFY) {
        if (pfd[i].revents & POLLIN)
          answer(pfd[i].fd);
        else if (pfd[i].revents & (POLLHUP | POLLERR | POLLNVAL))
          drop = true; /* every task of the filter is gone */
      } else {
        char data[4096];
        union {
          char buf[CMSG_SPACE(4 * sizeof(int))];
          struct cmsghdr align;
        } u;
        struct iovec iov = {.iov_base = data, .iov_len = sizeof data};
        struct msghdr m = {
            .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
        ssize_t r = recvmsg(pfd[i].fd, &m, MSG_CMSG_CLOEXEC);
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); r >= 0 && c; c = CMSG_NXTHDR(&m, c)) {
          if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
          size_t nfd = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
          for (size_t k = 0; k < nfd; k++) {
            int fd;
            memcpy(&fd, CMSG_DATA(c) + k * sizeof(int), sizeof fd);
            if (n < MAX_FDS) {
              pfd[n] = (struct pollfd){.fd = fd, .events = POLLIN};
              slot[n++] = (struct slot){.kind = FD_NOTIFY};
            }
            fprintf(stderr, "seccomp-agent: got fd %d\n", fd);
          }
        }
        if (r > 0) {
          slot[i].buf = realloc(slot[i].buf, slot[i].len + (size_t)r + 1);
          memcpy(slot[i].buf + slot[i].len, data, (size_t)r);
          slot[i].len += (size_t)r;
        } else {
          /* EOF: the runtime sent all and closed (by its execve) */
          FILE *log = fopen(log_path, "a");
          if (log) {
            fprintf(log, "%.*s\n", (int)slot[i].len, slot[i].buf ? slot[i].buf : "");
            fclose(log);
          }
          free(slot[i].buf);
          drop = true;
        }
      }
      if (drop) {
        close(pfd[i].fd);
        pfd[i] = pfd[n - 1];
        slot[i] = slot[n - 1];
        n--;
        i--;
      }
    }
  }
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  setvbuf(stderr, NULL, _IOLBF, 0);
  if (argc < 2)
    return usage();
  if (strcmp(argv[1], "serve") == 0) {
    if (argc < 4)
      return usage();
    for (int i = 4; i < argc; i++)
      if (parse_answer(argv[i]) < 0) {
        fprintf(stderr, "seccomp-agent: bad answer \"%s\"\n", argv[i]);
        return 2;
      }
    signal(SIGPIPE, SIG_IGN);
    return serve(argv[2], argv[3]);
  }
  return probe(argc, argv);
}
