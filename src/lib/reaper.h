/* reaper.h — waiting for a container's process in the foreground (run, exec) while
 * forwarding the signals a terminal user sends to it. The signals are blocked from
 * before the process is made (reaper_block) so none is lost in between; the process
 * itself unblocks them before it executes. */
#ifndef CONTAIN_REAPER_H
#define CONTAIN_REAPER_H

#include <signal.h>
#include <sys/types.h>

#include "error.h"

void reaper_block(sigset_t *mask);
/* Reaps children until pid exits; *exit_status is its status, 128+N for signal N. */
int reaper_wait(pid_t pid, const sigset_t *mask, int *exit_status, struct error **err);

#endif
