/* reaper.c — foreground wait with signal forwarding (see reaper.h). */
#include <errno.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reaper.h"
#include "util.h"

static const int forwarded_signals[] = {SIGHUP,  SIGINT,   SIGQUIT, SIGTERM, SIGUSR1,
                                        SIGUSR2, SIGWINCH, SIGCONT, SIGTSTP, SIGALRM};

void reaper_block(sigset_t *mask) {
  sigemptyset(mask);
  for (size_t i = 0; i < sizeof forwarded_signals / sizeof forwarded_signals[0]; i++)
    sigaddset(mask, forwarded_signals[i]);
  sigaddset(mask, SIGCHLD);
  sigprocmask(SIG_BLOCK, mask, NULL);
}

int reaper_wait(pid_t pid, const sigset_t *mask, int *exit_status, struct error **err) {
  autoclose int sigfd = signalfd(-1, mask, SFD_CLOEXEC);
  if (sigfd < 0)
    return error_sys(err, "signalfd");
  for (;;) {
    int status;
    pid_t w;
    while ((w = waitpid(-1, &status, WNOHANG)) > 0)
      if (w == pid) {
        *exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return 0;
      }
    if (w < 0 && errno == ECHILD)
      return error_set(err, ERR_GENERIC, ECHILD, "wait for the container's process %d", (int)pid);
    struct signalfd_siginfo si;
    ssize_t n = read(sigfd, &si, sizeof si);
    if (n < 0 && errno == EINTR)
      continue;
    if (n != sizeof si)
      return error_sys(err, "read signalfd");
    if (si.ssi_signo != SIGCHLD)
      kill(pid, (int)si.ssi_signo);
  }
}
