/* terminal.c — ptys for the container's process and --console-socket (see terminal.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "safe-path.h"
#include "terminal.h"
#include "util.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif
#ifndef DEVPTS_SUPER_MAGIC
#define DEVPTS_SUPER_MAGIC 0x1cd1
#endif
#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif
#ifndef SYSFS_MAGIC
#define SYSFS_MAGIC 0x62656572
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef MOVE_MOUNT_T_EMPTY_PATH
#define MOVE_MOUNT_T_EMPTY_PATH 0x00000040
#endif
#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif

#define PTMX_MAJOR 5
#define PTMX_MINOR 2
#define PTY_SLAVE_MAJOR_FIRST 136 /* UNIX98_PTY_SLAVE_MAJOR .. +7 */
#define PTY_SLAVE_MAJOR_LAST 143
/* how much of what the console socket's peer sends with the fd is read */
#define MASTER_NAME_MAX 4096

/* ---- the command line ------------------------------------------------------------ */

int terminal_check_options(bool terminal, bool detach, const char *console_socket,
                           struct error **err) {
  if (detach && terminal && console_socket == NULL)
    return error_set(err, ERR_USAGE, 0,
                     "cannot allocate tty if contain will detach without setting console socket "
                     "(process.terminal is true: pass --console-socket, run in the foreground, "
                     "or set \"terminal\": false)");
  if (console_socket != NULL && (!detach || !terminal))
    return error_set(err, ERR_USAGE, 0,
                     "cannot use console socket if contain will not detach or allocate tty "
                     "(--console-socket needs process.terminal true%s)",
                     detach ? "" : " and a detached process: create, or run -d");
  return 0;
}

int terminal_connect_console_socket(const char *path, int *sock, struct error **err) {
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof sa.sun_path)
    return error_set(
        err, ERR_USAGE, 0,
        "--console-socket %s: the path is too long for a unix socket (%zu bytes at most)", path,
        sizeof sa.sun_path - 1);
  memcpy(sa.sun_path, path, strlen(path) + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return error_sys(err, "--console-socket: socket");
  int r;
  do
    r = connect(fd, (const struct sockaddr *)&sa, sizeof sa);
  while (r < 0 && errno == EINTR);
  if (r < 0) {
    int e = errno;
    close(fd);
    errno = e;
    /* runc: "dial unix PATH: connect: no such file or directory" */
    if (e == ECONNREFUSED)
      return error_set(err, ERR_GENERIC, 0,
                       "--console-socket: dial unix %s: connect: %s (nothing listens on it)", path,
                       strerror(e));
    return error_sys(err, "--console-socket: dial unix %s: connect", path);
  }
  *sock = fd;
  return 0;
}

int terminal_console_pair(int *parent, int *child, struct error **err) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
    return error_sys(err, "socketpair for the terminal's master");
  *parent = fds[0];
  *child = fds[1];
  return 0;
}

int terminal_caller_tty(int *fd, struct error **err) {
  static const int stdio[] = {STDERR_FILENO, STDOUT_FILENO, STDIN_FILENO};
  for (size_t i = 0; i < sizeof stdio / sizeof stdio[0]; i++) {
    if (!isatty(stdio[i]))
      continue;
    int d = fcntl(stdio[i], F_DUPFD_CLOEXEC, 3);
    if (d < 0)
      return error_sys(err, "dup the caller's terminal (fd %d)", stdio[i]);
    *fd = d;
    return 0;
  }
  int t = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (t < 0)
    return error_set(err, ERR_USAGE, 0,
                     "process.terminal: run in the foreground gives the container the caller's "
                     "terminal, but stdin, stdout and stderr are not ttys and there is no "
                     "controlling terminal (open /dev/tty: %s); run it from a terminal, use -d "
                     "with --console-socket, or set \"terminal\": false",
                     strerror(errno));
  *fd = t;
  return 0;
}

/* ---- the pty, in the container ------------------------------------------------------ */

static int check_devpts_node(int fd, const char *what, bool master, dev_t devpts_dev,
                             struct stat *out, struct error **err) {
  struct stat sb;
  struct statfs sf;
  if (fstat(fd, &sb) < 0 || fstatfs(fd, &sf) < 0)
    return error_sys(err, "stat %s in the container", what);
  if (sf.f_type != DEVPTS_SUPER_MAGIC)
    return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                     "%s in the container is not on a devpts mount (a terminal needs a devpts "
                     "mounted on /dev/pts: add one to .mounts)",
                     what);
  bool ok = S_ISCHR(sb.st_mode) &&
            (master ? (major(sb.st_rdev) == PTMX_MAJOR && minor(sb.st_rdev) == PTMX_MINOR)
                    : (major(sb.st_rdev) >= PTY_SLAVE_MAJOR_FIRST &&
                       major(sb.st_rdev) <= PTY_SLAVE_MAJOR_LAST && sb.st_dev == devpts_dev));
  if (!ok)
    return error_set(err, ERR_GENERIC, 0,
                     "%s in the container is not the %s of its devpts (type %o, device %u:%u)",
                     what, master ? "ptmx" : "pty slave", (unsigned)(sb.st_mode & S_IFMT),
                     major(sb.st_rdev), minor(sb.st_rdev));
  if (out)
    *out = sb;
  return 0;
}

/* /dev/pts/ptmx of the container's devpts: looked at through O_PATH first, so that
 * nothing but the real ptmx is ever opened for reading and writing. */
static int open_ptmx(int root, int *out, struct stat *ptmx_st, struct error **err) {
  static const char path[] = "/dev/pts/ptmx";
  autoclose int h = safe_open(root, path, O_PATH | O_NOFOLLOW);
  if (h < 0) {
    if (errno == ENOENT)
      return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                       "process.terminal: %s does not exist in the container (a terminal needs a "
                       "devpts mounted on /dev/pts: add one to .mounts)",
                       path);
    return error_sys(err, "process.terminal: open %s in the container", path);
  }
  struct stat first;
  if (check_devpts_node(h, path, true, 0, &first, err) < 0)
    return -1;
  int fd = safe_open(root, path, O_RDWR | O_NOCTTY | O_NOFOLLOW);
  if (fd < 0)
    return error_sys(err, "process.terminal: open %s in the container", path);
  if (check_devpts_node(fd, path, true, 0, ptmx_st, err) < 0) {
    close(fd);
    return -1;
  }
  if (ptmx_st->st_dev != first.st_dev || ptmx_st->st_ino != first.st_ino) {
    close(fd);
    return error_set(err, ERR_GENERIC, 0, "%s in the container changed while it was opened", path);
  }
  *out = fd;
  return 0;
}

/* The slave of master: TIOCGPTPEER where the kernel has it (4.13), which needs no path;
 * else /dev/pts/N, checked to be a pty of the same devpts. */
static int open_slave(int root, int master, dev_t devpts_dev, int *out, struct error **err) {
  int fd = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  char path[64];
  if (fd >= 0) {
    snprintf(path, sizeof path, "the pty slave");
  } else {
    if (errno != EINVAL && errno != ENOTTY)
      return error_sys(err, "process.terminal: open the pty's slave (TIOCGPTPEER)");
    unsigned n = 0;
    if (ioctl(master, TIOCGPTN, &n) < 0)
      return error_sys(err, "process.terminal: the pty's number (TIOCGPTN)");
    snprintf(path, sizeof path, "/dev/pts/%u", n);
    fd = safe_open(root, path, O_RDWR | O_NOCTTY | O_NOFOLLOW);
    if (fd < 0)
      return error_sys(err, "process.terminal: open %s in the container", path);
  }
  if (check_devpts_node(fd, path, false, devpts_dev, NULL, err) < 0) {
    close(fd);
    return -1;
  }
  *out = fd;
  return 0;
}

/* /dev/console, made (an empty file) when missing. The bind mount goes on the node
 * itself: a symlink there, or a path that resolves into procfs or sysfs, could turn
 * the mount onto a file the container must not write (CVE-2025-52565), so both are
 * refused. */
static int open_console_target(int root, int *out, struct error **err) {
  int fd = safe_open(root, "/dev/console", O_PATH | O_NOFOLLOW);
  if (fd < 0 && errno == ENOENT) {
    autoclose int dev = safe_open(root, "/dev", O_PATH | O_DIRECTORY);
    if (dev < 0)
      return error_sys(err, "process.terminal: open /dev in the container");
    int n = openat(dev, "console", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (n < 0 && errno != EEXIST)
      return error_sys(err, "process.terminal: create /dev/console in the container");
    if (n >= 0)
      close(n);
    fd = openat(dev, "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
  }
  if (fd < 0)
    return error_sys(err, "process.terminal: open /dev/console in the container");
  struct stat sb;
  struct statfs sf;
  if (fstat(fd, &sb) < 0 || fstatfs(fd, &sf) < 0) {
    error_sys(err, "process.terminal: stat /dev/console in the container");
    close(fd);
    return -1;
  }
  const char *bad = NULL;
  if (S_ISLNK(sb.st_mode))
    bad = "is a symlink";
  else if (!S_ISREG(sb.st_mode) && !S_ISCHR(sb.st_mode))
    bad = "is neither a file nor a character device";
  else if (sf.f_type == PROC_SUPER_MAGIC || sf.f_type == SYSFS_MAGIC)
    bad = "resolves into procfs or sysfs";
  if (bad) {
    close(fd);
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     "process.terminal: /dev/console in the container %s; the pty is not bound "
                     "there",
                     bad);
  }
  *out = fd;
  return 0;
}

static int bind_console(int root, int slave, struct error **err) {
  autoclose int target = -1;
  if (open_console_target(root, &target, err) < 0)
    return -1;
  /* The new mount API works on the two fds: no path is looked up again. */
  autoclose int tree =
      (int)syscall(SYS_open_tree, slave, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
  if (tree >= 0) {
    if (syscall(SYS_move_mount, tree, "", target, "",
                MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
      return error_sys(err, "process.terminal: bind the pty on /dev/console");
    return 0;
  }
  if (errno != ENOSYS)
    return error_sys(err, "process.terminal: clone the pty's mount (open_tree)");
  /* Before 5.2: through the container's /proc, once it is seen to be a procfs. */
  struct statfs sf;
  if (statfs("/proc/self/fd", &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)
    return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                     "process.terminal: cannot bind the pty on /dev/console: the kernel has no "
                     "open_tree and the container's /proc is not a procfs");
  char src[64], dst[64];
  snprintf(src, sizeof src, "/proc/self/fd/%d", slave);
  snprintf(dst, sizeof dst, "/proc/self/fd/%d", target);
  if (mount(src, dst, NULL, MS_BIND, NULL) < 0)
    return error_sys(err, "process.terminal: bind the pty on /dev/console");
  return 0;
}

/* The slave as the controlling terminal of a new session, and as fds 0, 1, 2. */
static int take_slave(int slave, struct error **err) {
  if (setsid() < 0 && getsid(0) != getpid())
    return error_sys(err, "process.terminal: setsid");
  if (ioctl(slave, TIOCSCTTY, 0) < 0)
    return error_sys(err, "process.terminal: make the pty the controlling terminal (TIOCSCTTY)");
  for (int fd = 0; fd < 3; fd++)
    if (slave != fd && dup2(slave, fd) < 0)
      return error_sys(err, "process.terminal: make the pty fd %d", fd);
  /* dup2 leaves 0, 1, 2 inheritable; the slave itself, if it was one of them, too */
  if (slave < 3 && fcntl(slave, F_SETFD, 0) < 0)
    return error_sys(err, "process.terminal: make the pty inheritable");
  return 0;
}

int terminal_setup(const oci_process_console_size *size, bool bind, int *master,
                   struct error **err) {
  autoclose int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0)
    return error_sys(err, "process.terminal: open the container's /");
  autoclose int m = -1;
  struct stat ptmx_st;
  if (open_ptmx(root, &m, &ptmx_st, err) < 0)
    return -1;
  int unlock = 0;
  if (ioctl(m, TIOCSPTLCK, &unlock) < 0)
    return error_sys(err, "process.terminal: unlock the pty (TIOCSPTLCK)");
  autoclose int slave = -1;
  if (open_slave(root, m, ptmx_st.st_dev, &slave, err) < 0)
    return -1;
  if (size && size->height && size->width) {
    struct winsize ws = {.ws_row = (unsigned short)size->height,
                         .ws_col = (unsigned short)size->width};
    if (ioctl(m, TIOCSWINSZ, &ws) < 0)
      return error_sys(err, "process.consoleSize: set the pty's size %ux%u", size->height,
                       size->width);
  }
  if (bind && bind_console(root, slave, err) < 0)
    return -1;
  if (take_slave(slave, err) < 0)
    return -1;
  if (slave < 3)
    slave = -1; /* it is stdio now */
  *master = m;
  m = -1;
  return 0;
}

int terminal_setup_in_init(const oci_process_console_size *size, int *master, struct error **err) {
  return terminal_setup(size, true, master, err);
}

int terminal_set_owner(uid_t uid, struct error **err) {
  struct stat sb;
  if (fstat(STDIN_FILENO, &sb) < 0)
    return error_sys(err, "process.terminal: stat the pty");
  if (sb.st_uid == uid)
    return 0;
  if (fchown(STDIN_FILENO, uid, (gid_t)-1) < 0 && errno != EINVAL && errno != EPERM)
    return error_sys(err, "process.terminal: give the pty to uid %u", (unsigned)uid);
  return 0;
}

/* ---- passing the master ---------------------------------------------------------- */

int terminal_send_master(int sock, int master, struct error **err) {
  static const char name[] = TERMINAL_MASTER_NAME;
  struct iovec iov = {.iov_base = (void *)name, .iov_len = sizeof name - 1};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } u;
  memset(&u, 0, sizeof u);
  struct msghdr msg = {
      .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &master, sizeof master);
  ssize_t n;
  do
    n = sendmsg(sock, &msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EPIPE || errno == ECONNRESET)
      return error_sys(err, "process.terminal: send the pty's master to the console socket (its "
                            "receiver closed the connection)");
    return error_sys(err, "process.terminal: send the pty's master to the console socket");
  }
  return 0;
}

int terminal_recv_master(int sock, int *master, struct error **err) {
  char name[MASTER_NAME_MAX];
  union {
    char buf[CMSG_SPACE(4 * sizeof(int))];
    struct cmsghdr align;
  } u;
  struct iovec iov = {.iov_base = name, .iov_len = sizeof name};
  struct msghdr msg = {
      .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  ssize_t n;
  do
    n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return error_sys(err, "receive the pty's master from the container's init");
  int fd = -1;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
      continue;
    size_t nfds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < nfds; i++) {
      int f;
      memcpy(&f, CMSG_DATA(c) + i * sizeof(int), sizeof f);
      if (fd < 0)
        fd = f;
      else
        close(f);
    }
  }
  if (fd < 0)
    return error_set(err, ERR_GENERIC, 0,
                     "the container's init %s without sending the pty's master",
                     n == 0 ? "closed the console socket" : "wrote to the console socket");
  unsigned ptn;
  if (ioctl(fd, TIOCGPTN, &ptn) < 0) {
    error_sys(err, "the fd the container's init sent is not a pty master");
    close(fd);
    return -1;
  }
  *master = fd;
  return 0;
}

/* ---- the foreground proxy -------------------------------------------------------- */

/* containerd/console's raw mode, which runc uses: input raw, output processing kept. */
static void make_raw(struct termios *t) {
  t->c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
  t->c_oflag |= OPOST;
  t->c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
  t->c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
  t->c_cflag |= CS8;
  t->c_cc[VMIN] = 1;
  t->c_cc[VTIME] = 0;
}

static void copy_winsize(int from, int to) {
  struct winsize ws;
  if (from >= 0 && ioctl(from, TIOCGWINSZ, &ws) == 0 && (ws.ws_row || ws.ws_col))
    (void)ioctl(to, TIOCSWINSZ, &ws);
}

static int status_of(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* master -> fd 1: one read. 1 when something was copied, 0 when nothing is there
 * (EAGAIN), -1 when the pty has no slave left (EIO) or fd 1 failed. */
static int copy_out(int master) {
  char buf[8192];
  ssize_t n = read(master, buf, sizeof buf);
  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return 0;
  if (n <= 0)
    return -1;
  return write_all(STDOUT_FILENO, buf, (size_t)n) < 0 ? -1 : 1;
}

/* After the process exited: what the pty still holds. The kernel hands over all that was
 * written before the last slave closed, then EIO; a pty someone outside a pid namespace
 * keeps open is left when it goes quiet for a moment (or after a few seconds). */
static void drain(int master) {
  long end = now_ms() + 3000;
  struct pollfd p = {.fd = master, .events = POLLIN};
  while (now_ms() < end) {
    int r = poll(&p, 1, 200);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return;
    if (copy_out(master) < 0)
      return;
  }
}

void terminal_prepare_proxy(int master, int caller_tty_fd) {
  struct termios pt;
  if (tcgetattr(master, &pt) == 0 && (pt.c_oflag & ONLCR)) {
    pt.c_oflag &= ~(tcflag_t)ONLCR;
    (void)tcsetattr(master, TCSANOW, &pt);
  }
  copy_winsize(caller_tty_fd, master);
}

int terminal_proxy(int master, int caller_tty_fd, pid_t pid, const sigset_t *mask, int *exit_status,
                   struct error **err) {
  autoclose int sigfd = signalfd(-1, mask, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sigfd < 0)
    return error_sys(err, "signalfd");
  int fl = fcntl(master, F_GETFL);
  if (fl < 0 || fcntl(master, F_SETFL, fl | O_NONBLOCK) < 0)
    return error_sys(err, "make the pty's master non-blocking");
  terminal_prepare_proxy(master, caller_tty_fd);
  struct termios saved;
  bool raw = false;
  if (caller_tty_fd >= 0 && tcgetattr(caller_tty_fd, &saved) == 0) {
    struct termios t = saved;
    make_raw(&t);
    if (tcsetattr(caller_tty_fd, TCSANOW, &t) < 0)
      return error_sys(err, "put the caller's terminal in raw mode");
    raw = true;
  }

  char in[4096];
  size_t in_len = 0, in_off = 0;
  bool stdin_open = true, master_open = true;
  int r = 0;
  for (;;) {
    int status;
    pid_t w;
    bool exited = false;
    while ((w = waitpid(-1, &status, WNOHANG)) > 0)
      if (w == pid) {
        *exit_status = status_of(status);
        exited = true;
      }
    if (exited) {
      if (master_open)
        drain(master);
      break;
    }
    if (w < 0 && errno == ECHILD) {
      r = error_set(err, ERR_GENERIC, ECHILD, "wait for the container's process %d", (int)pid);
      break;
    }
    struct pollfd p[3] = {
        {.fd = sigfd, .events = POLLIN},
        {.fd = master_open ? master : -1, .events = (short)(POLLIN | (in_len ? POLLOUT : 0))},
        {.fd = stdin_open && in_len == 0 ? STDIN_FILENO : -1, .events = POLLIN},
    };
    if (poll(p, 3, -1) < 0) {
      if (errno == EINTR)
        continue;
      r = error_sys(err, "poll the terminal");
      break;
    }
    /* signals first: a resize that came before a keystroke is applied before it */
    if (p[0].revents) {
      struct signalfd_siginfo si;
      while (read(sigfd, &si, sizeof si) == sizeof si) {
        if (si.ssi_signo == SIGWINCH)
          copy_winsize(caller_tty_fd, master); /* the kernel signals the container's group */
        else if (si.ssi_signo != SIGCHLD)
          kill(pid, (int)si.ssi_signo);
      }
    }
    if (p[1].revents & POLLOUT) {
      ssize_t n = write(master, in + in_off, in_len - in_off);
      if (n > 0) {
        in_off += (size_t)n;
        if (in_off == in_len)
          in_len = in_off = 0;
      } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
        in_len = in_off = 0;
      }
    }
    if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      /* POLLHUP alone: no slave is open (the process closed its tty, or is gone). Stop
       * polling it, or the loop would spin; its exit comes as SIGCHLD. */
      int c = copy_out(master);
      if (c < 0 || (c == 0 && !(p[1].revents & POLLIN)))
        master_open = false;
    }
    if (p[2].revents) {
      ssize_t n = read(STDIN_FILENO, in, sizeof in);
      if (n > 0)
        in_len = (size_t)n, in_off = 0;
      else if (n == 0 || (errno != EAGAIN && errno != EINTR))
        stdin_open = false; /* EOF: the container's terminal stays, without input */
    }
  }
  if (raw)
    tcsetattr(caller_tty_fd, TCSANOW, &saved);
  return r;
}
