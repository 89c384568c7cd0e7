/* terminal.h — process.terminal: a pty for the container's process, and its master for
 * whoever drives it.
 *
 * The pty comes from the container's own devpts (/dev/pts/ptmx, checked to be the ptmx
 * of a real devpts mount, opened without following a symlink), is made in the init
 * (or the exec child) and never touches the host's devpts. The slave becomes the
 * process's controlling terminal and its fds 0, 1, 2; the init also bind-mounts it on
 * /dev/console. The master leaves the container one of two ways:
 *   - `create --console-socket PATH` (and `run -d --console-socket`): the runtime
 *     connects to PATH before it clones the init; the init sends the master over that
 *     connection as runc does — one sendmsg, the master as SCM_RIGHTS and the master's
 *     path ("/dev/pts/ptmx") as the payload — which conmon and the containerd shim
 *     accept;
 *   - `run` in the foreground without a socket: the init sends it the same way over a
 *     socketpair, and the runtime proxies its own terminal to it (terminal_proxy).
 * runc's rules on which of these the command line may ask for are terminal_check_options. */
#ifndef CONTAIN_TERMINAL_H
#define CONTAIN_TERMINAL_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "oci-types.h"

/* The payload of the console-socket message: the master's path as it was opened. */
#define TERMINAL_MASTER_NAME "/dev/pts/ptmx"

/* ---- parent side, before anything is made ---- */

/* runc's checks, with runc's phrases: a terminal with a detached process (create, or
 * run -d) needs a console socket; a console socket needs a terminal and a detached
 * process. `detach` is true for create and run -d. */
int terminal_check_options(bool terminal, bool detach, const char *console_socket,
                           struct error **err);

/* Connects to the unix stream socket at path (--console-socket). *sock is close-on-exec.
 * A path that does not exist is ERR_NOT_FOUND; nothing listening is "connection refused". */
int terminal_connect_console_socket(const char *path, int *sock, struct error **err);

/* For `run` in the foreground: a connected pair; the init sends the master on *child,
 * the runtime receives it on *parent (both close-on-exec). */
int terminal_console_pair(int *parent, int *child, struct error **err);

/* For `run` in the foreground: the caller's terminal, whose mode and size the proxy
 * takes: the first of stderr, stdout, stdin that is a tty (dup'ed), else /dev/tty.
 * None at all is an error (runc's case too), found before anything is made. *fd is
 * close-on-exec and the caller's to close. */
int terminal_caller_tty(int *fd, struct error **err);

/* ---- the container's side (init, exec child) ---- */

/* In the init, after rootfs_prepare (the container's /dev/pts mounted, the new / in
 * place) and before rootfs_finalize: opens a pty from /dev/pts/ptmx, applies
 * consoleSize (when both fields are non-zero, as runc), bind-mounts the slave on
 * /dev/console (made when missing; refused when it is a symlink or on procfs/sysfs),
 * makes the slave the controlling terminal (setsid + TIOCSCTTY) and fds 0, 1, 2.
 * *master is close-on-exec; the caller sends it (terminal_send_master) and closes it. */
int terminal_setup_in_init(const oci_process_console_size *size, int *master, struct error **err);

/* The same, with the /dev/console bind mount optional: exec does without it (runc). */
int terminal_setup(const oci_process_console_size *size, bool bind_console, int *master,
                   struct error **err);

/* Gives the slave (fd 0, as terminal_setup left it) to the process's uid, group kept,
 * as runc's fixStdioPermissions: so that a process running as another user can reopen
 * its own tty. Call while still root; EINVAL/EPERM (an unmapped uid) are ignored. */
int terminal_set_owner(uid_t uid, struct error **err);

/* Sends master over a connected unix socket: one sendmsg, SCM_RIGHTS with the one fd,
 * TERMINAL_MASTER_NAME as the payload (runc's utils.SendFile shape). */
int terminal_send_master(int sock, int master, struct error **err);

/* ---- parent side, after create ---- */

/* Receives the master the init sent (terminal_send_master), checked to be a pty master.
 * *master is close-on-exec. */
int terminal_recv_master(int sock, int *master, struct error **err);

/* Before the process starts (start_init), so that it sees both from its first
 * instruction: the caller's window size onto the pty, and ONLCR cleared on it (runc: the
 * pty passes \n as it is, the caller's terminal turns it into \r\n). caller_tty_fd may be
 * -1. terminal_proxy does it again; nothing here can fail that matters. */
void terminal_prepare_proxy(int master, int caller_tty_fd);

/* `run` (or exec) in the foreground with a terminal: puts caller_tty_fd in raw mode
 * (output processing kept, as runc; restored before returning), does what
 * terminal_prepare_proxy does, copies the window size again on each SIGWINCH, and copies bytes
 * fd 0 -> master and master -> fd 1 until pid exits, then what the pty still holds.
 * Meanwhile it reaps children and forwards the other signals of mask to pid, as
 * reaper_wait does (mask is the one reaper_block blocked). *exit_status is pid's status,
 * 128+N when killed by signal N. caller_tty_fd may be -1 (no mode, no size). Neither fd
 * is closed. */
int terminal_proxy(int master, int caller_tty_fd, pid_t pid, const sigset_t *mask, int *exit_status,
                   struct error **err);

#endif
