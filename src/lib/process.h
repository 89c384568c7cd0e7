/* process.h — the last steps before a container's process runs, shared by the init
 * (create) and exec: rlimits; the cwd, checked to lie inside the container's root;
 * user and capabilities; no_new_privs; the executable looked up in the process's
 * PATH; the environment (HOME added from /etc/passwd when unset); and every fd but
 * stdio and --preserve-fds made close-on-exec. */
#ifndef CONTAIN_PROCESS_H
#define CONTAIN_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "oci-types.h"

struct seccomp_plan;
struct process_ready {
  struct seccomp_plan *seccomp; /* from seccomp_prepare, set before process_prepare; or NULL */
  char *seccomp_state;          /* the container's state JSON, for a seccomp agent */
  pid_t host_pid;               /* the process's pid as the runtime sees it */
  char *exe;                    /* the resolved executable */
  char **env;                   /* NULL-terminated */
  int trampoline_fd;            /* a sealed memfd of the trampoline (src/trampoline.c) */
};

/* First thing in a child that will become the container's process (the init, exec's
 * child): signals unblocked and at their defaults (the parent blocked the ones it
 * forwards), and non-dumpable while it holds the runtime's memory in the container. */
void process_child_begin(void);

int process_prepare(const oci_process *p, bool in_userns, int preserve_fds,
                    struct process_ready *out, struct error **err);
/* Executes the process through the trampoline: no execve of the container's choosing
 * ever runs with the runtime's binary as /proc/self/exe (CVE-2019-5736). */
_Noreturn void process_exec(const oci_process *p, const struct process_ready *r);

/* Socket activation as runc honours it: when LISTEN_FDS names fds of this process
 * (LISTEN_PID is ours), they are the first fds passed (3 .. 3+N-1) and the process's
 * env gets LISTEN_FDS=N and LISTEN_PID=1. Returns N (0 without activation). */
int process_listen_fds(void);
void process_add_listen_env(oci_process *p, int n);

/* Makes the cwd (and its parents) if missing; run while the root is writable. */
int process_make_cwd(const char *cwd, struct error **err);

/* `file` itself when it has a '/', else the first PATH entry (of env's PATH, or the
 * default) where it is an executable file. On failure runc's phrase, which engines
 * match: exec: "foo": executable file not found in $PATH. */
int process_find_executable(const char *file, char *const *env, size_t env_len, char **out,
                            struct error **err);

#endif
