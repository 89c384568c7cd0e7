/* host.c — facts about the host, probed once per process and cached (see host.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/magic.h>

#include "host.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

static enum cgroup_mode probe_cgroup_mode(void) {
  struct statfs fs;
  if (statfs("/sys/fs/cgroup", &fs) < 0)
    return CGROUP_MODE_UNKNOWN;
  if (fs.f_type == CGROUP2_SUPER_MAGIC)
    return CGROUP_MODE_UNIFIED;
  /* v1 hierarchies are mounted beneath a tmpfs; systemd's hybrid layout adds a cgroup2
   * at unified/. A v1 hierarchy mounted straight on /sys/fs/cgroup is legacy too. */
  if (fs.f_type == TMPFS_MAGIC) {
    struct statfs u;
    if (statfs("/sys/fs/cgroup/unified", &u) == 0 && u.f_type == CGROUP2_SUPER_MAGIC)
      return CGROUP_MODE_HYBRID;
    return CGROUP_MODE_LEGACY;
  }
  if (fs.f_type == CGROUP_SUPER_MAGIC)
    return CGROUP_MODE_LEGACY;
  return CGROUP_MODE_UNKNOWN;
}

enum cgroup_mode host_cgroup_mode(void) {
  /* Probed once: the layout does not change under a running process. */
  static enum cgroup_mode cached = CGROUP_MODE_UNKNOWN;
  static bool probed;
  if (!probed) {
    cached = probe_cgroup_mode();
    probed = true;
  }
  return cached;
}

const char *host_cgroup_mode_name(enum cgroup_mode m) {
  static const char *const names[] = {
      [CGROUP_MODE_UNKNOWN] = "none",
      [CGROUP_MODE_LEGACY] = "v1",
      [CGROUP_MODE_HYBRID] = "hybrid",
      [CGROUP_MODE_UNIFIED] = "v2",
  };
  if ((unsigned)m >= sizeof names / sizeof names[0])
    return "none";
  return names[m];
}

/* ---- the kernel ---------------------------------------------------------------------------- */

#ifndef __NR_open_tree
#define __NR_open_tree 428
#endif
#ifndef __NR_move_mount
#define __NR_move_mount 429
#endif
#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif
#ifndef __NR_clone3
#define __NR_clone3 435
#endif
#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#define H_OPEN_TREE_CLONE 1
#define H_OPEN_TREE_CLOEXEC O_CLOEXEC
#define H_MOUNT_ATTR_IDMAP 0x00100000
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

/* The layouts of the kernel's uapi, kept here so that no libc header is needed. */
struct h_clone_args {
  uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
      set_tid_size, cgroup;
};
struct h_mount_attr {
  uint64_t attr_set, attr_clr, propagation, userns_fd;
};

bool host_kernel_version(unsigned *major, unsigned *minor) {
  static unsigned ma, mi;
  static int state; /* 0 unprobed, 1 known, -1 unknown */
  if (state == 0) {
    struct utsname u;
    state = uname(&u) == 0 && sscanf(u.release, "%u.%u", &ma, &mi) == 2 ? 1 : -1;
  }
  if (major)
    *major = state > 0 ? ma : 0;
  if (minor)
    *minor = state > 0 ? mi : 0;
  return state > 0;
}

bool host_kernel_at_least(unsigned major, unsigned minor) {
  unsigned ma, mi;
  if (!host_kernel_version(&ma, &mi))
    return false;
  return ma > major || (ma == major && mi >= minor);
}

bool host_has_filesystem(const char *name) {
  FILE *f = fopen("/proc/filesystems", "re");
  if (f == NULL)
    return false;
  char line[256];
  bool found = false;
  while (!found && fgets(line, sizeof line, f)) {
    char *fs = strchr(line, '\t');
    fs = fs ? fs + 1 : line;
    fs[strcspn(fs, "\n")] = '\0';
    found = strcmp(fs, name) == 0;
  }
  fclose(f);
  return found;
}

int host_ns_is_initial(const char *proc_name) {
  /* PROC_*_INIT_INO of include/linux/proc_ns.h */
  static const struct {
    const char *name;
    unsigned long ino;
  } initial[] = {
      {"ipc", 0xEFFFFFFFUL}, {"uts", 0xEFFFFFFEUL},    {"user", 0xEFFFFFFDUL},
      {"pid", 0xEFFFFFFCUL}, {"cgroup", 0xEFFFFFFBUL}, {"time", 0xEFFFFFFAUL},
  };
  for (size_t i = 0; i < sizeof initial / sizeof initial[0]; i++) {
    if (strcmp(initial[i].name, proc_name) != 0)
      continue;
    char path[64];
    snprintf(path, sizeof path, "/proc/self/ns/%s", proc_name);
    struct stat st;
    if (stat(path, &st) < 0)
      return -1;
    return (unsigned long)st.st_ino == initial[i].ino ? 1 : 0;
  }
  return -1;
}

/* Runs fn in a forked child and returns what it returned (an errno, 0..255). */
static int in_child(int (*fn)(const void *), const void *arg) {
  pid_t pid = fork();
  if (pid < 0)
    return errno;
  if (pid == 0)
    _exit(fn(arg) & 0xff);
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR)
      return errno;
  return WIFEXITED(st) ? WEXITSTATUS(st) : EFAULT;
}

static int child_unshare(const void *arg) { return unshare(*(const int *)arg) == 0 ? 0 : errno; }

int host_probe_unshare(int flag) {
  static const int flags[] = {CLONE_NEWNS,  CLONE_NEWUTS,  CLONE_NEWIPC,    CLONE_NEWPID,
                              CLONE_NEWNET, CLONE_NEWUSER, CLONE_NEWCGROUP, CLONE_NEWTIME};
  static int result[sizeof flags / sizeof flags[0]];
  static bool probed[sizeof flags / sizeof flags[0]];
  for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
    if (flags[i] != flag)
      continue;
    if (!probed[i]) {
      result[i] = in_child(child_unshare, &flag);
      probed[i] = true;
    }
    return result[i];
  }
  return EINVAL;
}

/* A syscall made with arguments the kernel refuses (expect): it is there when the answer
 * is expect; ENOSYS or EPERM are returned as they are. */
#define PROBE_ONCE(expr, expect)                                                                   \
  static int cached = -1;                                                                          \
  if (cached < 0) {                                                                                \
    long r_ = (expr);                                                                              \
    cached = r_ >= 0 || errno == (expect) ? 0 : errno;                                             \
  }                                                                                                \
  return cached

int host_probe_clone3(void) {
  /* size 0 is below CLONE_ARGS_SIZE_VER0: EINVAL from a kernel that has clone3 */
  PROBE_ONCE(syscall(__NR_clone3, NULL, (size_t)0), EINVAL);
}

int host_probe_clone_into_cgroup(void) {
  static int cached = -1;
  if (cached >= 0)
    return cached;
  int c3 = host_probe_clone3();
  if (c3 != 0)
    return cached = c3;
  int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return cached = errno;
  close(fd); /* a number that is surely no open fd now (no other thread opens one) */
  struct h_clone_args ca;
  memset(&ca, 0, sizeof ca);
  ca.flags = CLONE_INTO_CGROUP;
  ca.exit_signal = SIGCHLD;
  ca.cgroup = (uint64_t)fd;
  long r = syscall(__NR_clone3, &ca, sizeof ca);
  if (r == 0)
    _exit(0); /* cannot happen (the fd is closed); a child must not go on */
  if (r > 0) {
    waitpid((pid_t)r, NULL, 0);
    return cached = 0;
  }
  return cached = errno == EBADF ? 0 : errno;
}

int host_probe_pidfd_open(void) {
  static int cached = -1;
  if (cached < 0) {
    long fd = syscall(__NR_pidfd_open, getpid(), 0);
    cached = fd >= 0 ? 0 : errno;
    if (fd >= 0)
      close((int)fd);
  }
  return cached;
}

int host_probe_open_tree(void) {
  /* unknown flags: EINVAL from a kernel that has it */
  PROBE_ONCE(syscall(__NR_open_tree, AT_FDCWD, "/", 0xffff0000U), EINVAL);
}

int host_probe_move_mount(void) {
  PROBE_ONCE(syscall(__NR_move_mount, -1, "", -1, "", 0xffff0000U), EINVAL);
}

int host_probe_mount_setattr(void) {
  PROBE_ONCE(syscall(__NR_mount_setattr, -1, "", 0xffff0000U, NULL, (size_t)0), EINVAL);
}

static int child_idmapped(const void *arg) {
  const char *path = arg;
  if (unshare(CLONE_NEWNS) < 0)
    return errno;
  /* A user namespace to map through: a grandchild makes one and waits. */
  int ready[2], done[2];
  if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(done, O_CLOEXEC) < 0)
    return errno;
  pid_t pid = fork();
  if (pid < 0)
    return errno;
  if (pid == 0) {
    close(ready[0]);
    close(done[1]); /* so that the parent's close is seen as EOF */
    char c = unshare(CLONE_NEWUSER) == 0 ? 0 : (char)errno;
    if (write(ready[1], &c, 1) != 1)
      _exit(1);
    (void)!read(done[0], &c, 1);
    _exit(0);
  }
  close(ready[1]);
  close(done[0]);
  char c = EIO;
  int rc = read(ready[0], &c, 1) == 1 ? c : EIO;
  int usern = -1;
  if (rc == 0) {
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/uid_map", (int)pid);
    int m = open(p, O_WRONLY | O_CLOEXEC);
    if (m >= 0) {
      (void)!write(m, "0 100000 65536\n", 15);
      close(m);
    }
    snprintf(p, sizeof p, "/proc/%d/gid_map", (int)pid);
    m = open(p, O_WRONLY | O_CLOEXEC);
    if (m >= 0) {
      (void)!write(m, "0 100000 65536\n", 15);
      close(m);
    }
    snprintf(p, sizeof p, "/proc/%d/ns/user", (int)pid);
    usern = open(p, O_RDONLY | O_CLOEXEC);
    if (usern < 0)
      rc = errno;
  }
  close(done[1]); /* the grandchild goes */
  waitpid(pid, NULL, 0);
  if (rc != 0)
    return rc;
  long tree = syscall(__NR_open_tree, AT_FDCWD, path, H_OPEN_TREE_CLONE | H_OPEN_TREE_CLOEXEC);
  if (tree < 0)
    return errno;
  struct h_mount_attr a;
  memset(&a, 0, sizeof a);
  a.attr_set = H_MOUNT_ATTR_IDMAP;
  a.userns_fd = (uint64_t)usern;
  if (syscall(__NR_mount_setattr, (int)tree, "", AT_EMPTY_PATH, &a, sizeof a) < 0)
    return errno;
  return 0; /* the detached copy goes with this process */
}

int host_probe_idmapped_mount(const char *path) {
  int e = host_probe_mount_setattr();
  if (e != 0)
    return e;
  if ((e = host_probe_open_tree()) != 0)
    return e;
  return in_child(child_idmapped, path);
}

int host_seccomp_mode(void) {
  FILE *f = fopen("/proc/self/status", "re");
  if (f == NULL)
    return -1;
  char line[256];
  int mode = -1;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "Seccomp: %d", &mode) == 1)
      break;
  fclose(f);
  return mode;
}
