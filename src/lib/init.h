/* init.h — the container's init: the child side of create. It runs in a copy of the
 * runtime's memory (no re-exec), so it uses the parsed config directly. Ordered steps:
 * wait for the parent's go; join namespaces by path; unshare cgroup/time; hostname,
 * sysctl, loopback; the root filesystem; oom score, rlimits, keyring; cwd; user and
 * capabilities and the rest of process.h; report ready; wait for the parent's
 * commit; block on the exec fifo until `start`; startContainer hooks; execve.
 * Any failure is sent to the parent over the sync socket and the init exits. */
#ifndef CONTAIN_INIT_H
#define CONTAIN_INIT_H

#include <stdbool.h>

#include "config.h"

struct init_args {
  const struct bundle *bundle;
  const char *id;
  int sync_fd;       /* the child's end of the sync pair */
  int state_dirfd;   /* <root>/<id>, where exec.fifo is: an fd of the init's own */
  int parent_fds[4]; /* the parent's fds the init closes first: the locked state
                        directory above all, whose lock would else outlive the parent */
  int console_fd;    /* process.terminal: where the pty's master goes (the connected
                        --console-socket, or run's pair); -1 without a terminal */
  int preserve_fds;  /* fds 3 .. 3+N-1 pass to the process */
  bool no_pivot;
  bool new_keyring;
};

_Noreturn void init_main(const struct init_args *a);

#endif
