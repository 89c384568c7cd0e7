/* floor.c — the kernel work of starting a container and nothing else: the lower bound
 * the bench shows every runtime against (contrib/bench/bench.py).
 *
 *   floor ROOTFS            clone with the bench config's namespace flags (pid, net, ipc,
 *                           uts, mount), make the mounts private, bind the rootfs onto
 *                           itself, pivot_root into it, execve /bin/true; the parent waits.
 *   floor -m ROOTFS         the same, plus the mounts the bench config asks for (proc, a
 *                           tmpfs /dev with the six device nodes, devpts, shm, mqueue, sysfs,
 *                           a cgroup tmpfs, the masked and read-only paths, a read-only
 *                           root): the kernel work a runtime cannot avoid for that config.
 *   floor -e PID            the kernel work of `exec`: setns into PID's pid, net, ipc, uts
 *                           and mount namespaces through a pidfd, fork, execve /bin/true in
 *                           the container's root, wait.
 *
 * Exits with the child's status (0 when /bin/true ran), 111 on a setup failure (the
 * failing step is printed to stderr). No allocation, no libraries beyond libc. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define NS_FLAGS (CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS)

static void die(const char *what) {
  fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
  _exit(111);
}

static char *const true_argv[] = {"/bin/true", NULL};
static char *const true_envp[] = {"PATH=/bin", NULL};

static void mnt(const char *src, const char *dst, const char *type, unsigned long flags,
                const char *data) {
  if (mount(src, dst, type, flags, data) < 0)
    die(dst);
}

/* The mounts of `contain spec`'s config.json (the bench's config), done directly. */
static void config_mounts(void) {
  static const char *const masked[] = {"proc/acpi",        "proc/asound",        "proc/kcore",
                                       "proc/keys",        "proc/latency_stats", "proc/timer_list",
                                       "proc/timer_stats", "proc/sched_debug",   "sys/firmware",
                                       "proc/scsi"};
  static const char *const ro[] = {"proc/bus", "proc/fs", "proc/irq", "proc/sys",
                                   "proc/sysrq-trigger"};
  static const struct {
    const char *name;
    unsigned maj, min;
  } devs[] = {{"dev/null", 1, 3},   {"dev/zero", 1, 5},    {"dev/full", 1, 7},
              {"dev/random", 1, 8}, {"dev/urandom", 1, 9}, {"dev/tty", 5, 0}};
  const unsigned long nse = MS_NOSUID | MS_NOEXEC | MS_NODEV;
  mnt("proc", "proc", "proc", nse, NULL);
  mnt("tmpfs", "dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k");
  for (size_t i = 0; i < sizeof devs / sizeof devs[0]; i++)
    if (mknod(devs[i].name, S_IFCHR | 0666, makedev(devs[i].maj, devs[i].min)) < 0)
      die(devs[i].name);
  if (mkdir("dev/pts", 0755) < 0 || mkdir("dev/shm", 01777) < 0 || mkdir("dev/mqueue", 0755) < 0)
    die("mkdir dev/*");
  mnt("devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
      "newinstance,ptmxmode=0666,mode=0620,gid=5");
  mnt("shm", "dev/shm", "tmpfs", nse, "mode=1777,size=65536k");
  mnt("mqueue", "dev/mqueue", "mqueue", nse, NULL);
  mnt("sysfs", "sys", "sysfs", nse | MS_RDONLY, NULL);
  mnt("tmpfs", "sys/fs/cgroup", "tmpfs", nse | MS_RDONLY, "mode=755");
  for (size_t i = 0; i < sizeof masked / sizeof masked[0]; i++) {
    struct stat sb;
    if (stat(masked[i], &sb) < 0)
      continue;
    if (S_ISDIR(sb.st_mode))
      mnt("tmpfs", masked[i], "tmpfs", MS_RDONLY, NULL);
    else
      mnt("/dev/null", masked[i], NULL, MS_BIND, NULL);
  }
  for (size_t i = 0; i < sizeof ro / sizeof ro[0]; i++) {
    if (mount(ro[i], ro[i], NULL, MS_BIND | MS_REC, NULL) < 0) {
      if (errno == ENOENT)
        continue;
      die(ro[i]);
    }
    mnt(NULL, ro[i], NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC, NULL);
  }
}

static int child(const char *rootfs, int with_mounts) {
  mnt(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
  mnt(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL);
  if (chdir(rootfs) < 0)
    die("chdir rootfs");
  if (with_mounts)
    config_mounts();
  if (syscall(SYS_pivot_root, ".", ".") < 0)
    die("pivot_root");
  if (umount2(".", MNT_DETACH) < 0)
    die("umount the old root");
  if (chdir("/") < 0)
    die("chdir /");
  if (with_mounts)
    mnt(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL);
  execve(true_argv[0], true_argv, true_envp);
  die("execve /bin/true");
  return 111;
}

static int wait_child(pid_t pid) {
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      die("waitpid");
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

static int do_exec(pid_t target) {
  int pidfd = (int)syscall(SYS_pidfd_open, target, 0);
  if (pidfd < 0)
    die("pidfd_open");
  if (setns(pidfd, NS_FLAGS) < 0)
    die("setns");
  pid_t pid = fork();
  if (pid < 0)
    die("fork");
  if (pid == 0) {
    execve(true_argv[0], true_argv, true_envp);
    die("execve /bin/true");
  }
  return wait_child(pid);
}

int main(int argc, char **argv) {
  int with_mounts = 0;
  if (argc == 3 && strcmp(argv[1], "-e") == 0)
    return do_exec((pid_t)atoi(argv[2]));
  if (argc == 3 && strcmp(argv[1], "-m") == 0) {
    with_mounts = 1;
    argv++;
    argc--;
  }
  if (argc != 2) {
    fputs("usage: floor [-m] ROOTFS | floor -e PID\n", stderr);
    return 2;
  }
  /* clone(2) with no new stack behaves as fork(2), with the namespace flags. */
  pid_t pid = (pid_t)syscall(SYS_clone, NS_FLAGS | SIGCHLD, NULL, NULL, NULL, 0);
  if (pid < 0)
    die("clone");
  if (pid == 0)
    return child(argv[1], with_mounts);
  return wait_child(pid);
}
