/* clone.c — making a child with clone3 (see clone.h). */
#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clone.h"

pid_t clone_child(unsigned long flags, int cgroup_fd, bool *into_cgroup) {
  struct clone_args ca = {.flags = flags, .exit_signal = SIGCHLD};
  if (cgroup_fd >= 0) {
    ca.flags |= CLONE_INTO_CGROUP;
    ca.cgroup = (unsigned)cgroup_fd;
  }
  pid_t pid = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
  if (pid < 0 && errno == ENOSYS) {
    /* No clone3 (an old kernel, valgrind, or a seccomp profile that hides it, as
     * container engines' defaults do): the classic clone, then cgroup.procs. */
    *into_cgroup = false;
    return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
  }
  if (pid < 0 && cgroup_fd >= 0 && (errno == EINVAL || errno == E2BIG)) {
    ca.flags &= ~(unsigned long long)CLONE_INTO_CGROUP;
    ca.cgroup = 0;
    cgroup_fd = -1;
    pid = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
  }
  *into_cgroup = pid >= 0 && cgroup_fd >= 0;
  return pid;
}
