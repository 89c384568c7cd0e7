/* seccomp.h — linux.seccomp of runtime-spec 1.2: checked, compiled to BPF with libseccomp
 * while the init still sees the host (and the listener socket of SCMP_ACT_NOTIFY is
 * connected then), and loaded with the raw seccomp(2) call as the last step before execve.
 *
 * The syscalls the process makes once the filter is loaded are only these, in order:
 *   seccomp(2)   the load itself
 *   sendmsg(2)   only with SCMP_ACT_NOTIFY: the listener fd and the container process
 *                state to listenerPath (so SCMP_ACT_NOTIFY on sendmsg is refused)
 *   capset(2)    only when noNewPrivileges is false and the process's capabilities lack
 *                CAP_SYS_ADMIN (see seccomp_needs_sys_admin)
 *   execveat(2)  the caller's fexecve of the trampoline (src/trampoline.c), then the
 *   execve(2)    trampoline's execve of the program. The socket and the listener fd are
 *                close-on-exec: the exec closes them, which ends the agent's connection.
 * A filter that refuses execveat or execve makes the exec fail (or kills the process), as
 * with runc: the exec error (or the signal, 128+31) is what the user sees. */
#ifndef CONTAIN_SECCOMP_H
#define CONTAIN_SECCOMP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "oci-types.h"

struct seccomp_plan;

/* The checks that need no kernel: unknown action, operator, architecture or flag, an
 * argument index above 5, an errnoRet on an action that takes none, SCMP_ACT_NOTIFY
 * without listenerPath (or as the default action, or on sendmsg), listenerMetadata
 * without listenerPath. ERR_INVALID_CONFIG errors naming the JSON path, e.g.
 * config.json: .linux.seccomp.syscalls[3].action: unknown action "SCMP_ACT_FOO".
 * config_load() calls it, so a bad profile is refused before anything is made.
 * NULL is fine. */
int seccomp_validate(const oci_seccomp *s, struct error **err);

/* In the init, before the pivot (host paths still visible) and before `start`: validates,
 * checks the flags against the kernel, compiles the filter (unknown syscall names are
 * skipped with a debug line, as runc does) and exports its BPF; when an SCMP_ACT_NOTIFY
 * rule is in the filter, connects to listenerPath. NULL seccomp: *out = NULL, 0. */
int seccomp_prepare(const oci_seccomp *s, struct seccomp_plan **out, struct error **err);

/* Keep compiled filters in dir (made 0700 when missing; it must be owned by the euid and
 * not writable by group or others, else it is not used): a container whose profile was
 * compiled before skips libseccomp (~10-20 ms for the default profile). A file per
 * profile, at most 256; the file holds the whole key (the rules, libseccomp's version,
 * the architecture), compared in full on a hit. NULL (the default): no cache. For the
 * command layer, once, e.g. with a directory beside the state root. */
void seccomp_set_cache_dir(const char *dir);

/* With noNewPrivileges false, the kernel loads a filter only for a task that has
 * CAP_SYS_ADMIN in its effective set. True when the process's own capabilities (what
 * security_user_and_caps sets from process.capabilities and process.user) will lack it:
 * the capability step must then leave CAP_SYS_ADMIN in the effective and permitted sets,
 * and seccomp_apply takes it out again right after the load (from effective; from
 * permitted too unless process.capabilities.permitted lists it). NULL plan: false. */
bool seccomp_needs_sys_admin(struct seccomp_plan *p, const oci_process *proc);

/* The last step before execve (see the list above). state_json is the container's state
 * (runtime-spec's state, as hooks get it); with NOTIFY it goes, wrapped as the container
 * process state {ociVersion, fds: ["seccompFd"], pid: host_pid, metadata, state}, with
 * the listener fd (SCM_RIGHTS) over the connected socket. NULL plan: nothing, 0.
 * No debug() between this and execve: its sink writes. */
int seccomp_apply(struct seccomp_plan *p, const char *state_json, pid_t host_pid,
                  struct error **err);
void seccomp_plan_free(struct seccomp_plan *p);

/* For `contain features`: enabled, the actions the kernel has, the operators, the
 * architectures this libseccomp knows, knownFlags and the supportedFlags of this kernel.
 * Free with oci_features_linux_seccomp_free. */
oci_features_linux_seccomp *seccomp_features(void);

/* contrib/seccomp/default.json (the profile `contain spec` puts in config.json): a
 * runtime-spec linux.seccomp object, as JSON text (tab-indented, ending in "}\n"), its
 * architectures those of this host (x86_64: X86_64, X86, X32; aarch64: AARCH64, ARM; ...). */
const char *seccomp_default_profile_json(void);
/* The same as the file has it (architectures of the x86_64 family): seccomp-default.c,
 * generated at build time. seccomp_default_profile_json() is this with the architectures
 * of the host. */
const char *seccomp_default_profile_text(void);

/* The pure translation, unit-tested (tests/unit/test-seccomp.c). */
/* SCMP_ACT_* name -> libseccomp action; errno_ret is used by ERRNO and TRACE (EPERM when
 * has_errno is false). 0, or -1 for an unknown name. */
int seccomp_action_value(const char *name, bool has_errno, uint32_t errno_ret, uint32_t *out);
bool seccomp_action_takes_errno(const char *name);
/* SCMP_CMP_* name -> enum scmp_compare, -1 when unknown. */
int seccomp_op_value(const char *name);
/* SCMP_ARCH_* name -> libseccomp arch token, 0 when unknown. */
uint32_t seccomp_arch_value(const char *name);
/* SECCOMP_FILTER_FLAG_* name (the four of the spec) -> flag bit, 0 when unknown. */
unsigned long seccomp_flag_value(const char *name);

#endif
