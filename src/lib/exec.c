/* exec.c — a process in a running container (see exec.h). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "clone.h"
#include "config.h"
#include "container.h"
#include "debug.h"
#include "exec.h"
#include "hooks.h"
#include "namespaces.h"
#include "process.h"
#include "reaper.h"
#include "scheduling.h"
#include "seccomp.h"
#include "security.h"
#include "state.h"
#include "sync.h"
#include "terminal.h"
#include "util.h"

struct exec_child {
  const oci_process *process;
  int pidfd;    /* the init's */
  int ns_flags; /* namespaces to join, CLONE_NEWPID excluded */
  bool in_userns;
  int preserve_fds;
  int sync_fd;
  int parent_fd;                /* the parent's end, closed first */
  struct seccomp_plan *seccomp; /* the container's filter, prepared by the parent */
  char *seccomp_state;
  int console_fd;     /* with a terminal: where the pty's master goes; else -1 */
  int console_parent; /* the parent's end of run-style pair, closed first */
};

/* The namespaces of pid that differ from ours: those exec joins. */
static int differing_namespaces(pid_t pid, bool *userns) {
  int flags = 0;
  for (int k = 0; k < NS_COUNT; k++) {
    char mine[64], theirs[64];
    snprintf(mine, sizeof mine, "/proc/self/ns/%s", ns_proc_name((enum ns_kind)k));
    snprintf(theirs, sizeof theirs, "/proc/%d/ns/%s", (int)pid, ns_proc_name((enum ns_kind)k));
    struct stat a, b;
    if (stat(mine, &a) < 0 || stat(theirs, &b) < 0)
      continue;
    if (a.st_ino != b.st_ino || a.st_dev != b.st_dev) {
      flags |= ns_clone_flag((enum ns_kind)k);
      if (k == NS_USER)
        *userns = true;
    }
  }
  return flags;
}

static _Noreturn void exec_child_main(const struct exec_child *c) {
  struct error *err = NULL;
  struct process_ready ready = {0};
  process_child_begin();
  close(c->parent_fd);
  if (c->console_parent >= 0)
    close(c->console_parent);
  int32_t host_pid = 0;
  if (scheduling_cpu_affinity(c->process, false, &err) < 0 ||
      sync_expect(c->sync_fd, SYNC_GO, &host_pid, &err) < 0)
    goto fail;
  ready.seccomp = c->seccomp;
  ready.seccomp_state = c->seccomp_state;
  ready.host_pid = host_pid;
  /* One setns on the pidfd enters them all at once, the user namespace first. */
  if (c->ns_flags && setns(c->pidfd, c->ns_flags) < 0) {
    error_sys(&err, "join the container's namespaces (flags 0x%x)", c->ns_flags);
    goto fail;
  }
  close(c->pidfd);
  if (c->console_fd >= 0) {
    /* The pty of the container's devpts; no /dev/console for an exec (as runc). */
    autoclose int master = -1;
    const oci_process *p = c->process;
    if (terminal_setup(p->console_size, false, &master, &err) < 0 ||
        terminal_set_owner(p->user ? p->user->uid : 0, &err) < 0 ||
        terminal_send_master(c->console_fd, master, &err) < 0)
      goto fail;
    close(c->console_fd);
  }
  if (process_prepare(c->process, c->in_userns, c->preserve_fds, &ready, &err) < 0)
    goto fail;
  if (sync_send(c->sync_fd, SYNC_READY, 0, &err) < 0)
    goto fail;
  close(c->sync_fd);
  process_exec(c->process, &ready);
fail:
  sync_send_error(c->sync_fd, err);
  _exit(1);
}

static int check_execable(enum status s, bool ignore_paused, struct error **err) {
  switch (s) {
  case STATUS_RUNNING:
  case STATUS_CREATED: return 0;
  case STATUS_PAUSED:
    if (ignore_paused)
      return 0;
    return error_set(err, ERR_INVALID_STATE, 0,
                     "cannot exec in a paused container (resume it, or use --ignore-paused)");
  default: return error_set(err, ERR_NOT_RUNNING, 0, "cannot exec in a stopped container");
  }
}

int container_exec(const struct exec_opts *o, int *exit_status, struct error **err) {
  struct container_dir d = {.dirfd = -1, .rootfd = -1};
  oci_runtime_state *st = NULL;
  struct cgroup *cg = NULL;
  struct sync_pair sp = {-1, -1};
  struct seccomp_plan *plan = NULL;
  char *plan_state = NULL;
  autoclose int pidfd = -1;
  autoclose int own_pidns = -1;
  sigset_t mask;
  pid_t pid = -1;
  int r = -1;
  *exit_status = 0;
  autoclose int console_child = -1, console_parent = -1, caller_tty = -1, master = -1;
  bool terminal = o->process->terminal_present && o->process->terminal;
  if (terminal_check_options(terminal, o->detach, o->console_socket, err) < 0)
    goto out;
  if (config_check_process(o->process, "exec: process", err) < 0 ||
      security_check_caps(o->process, "exec: process", err) < 0)
    goto out;
  if (state_dir_open(o->root, o->id, false, &d, err) < 0 || state_read(&d, &st, err) < 0)
    goto out;
  if (check_execable(state_status(&d, st), o->ignore_paused, err) < 0)
    goto out;
  {
    /* The container's seccomp filter applies to exec'd processes too (as in runc); it is
     * compiled, and its listener connected, here, where the host's paths are visible. */
    oci_config *cfg = state_saved_config(&d);
    int sr = seccomp_prepare(cfg && cfg->linux ? cfg->linux->seccomp : NULL, &plan, err);
    if (sr == 0 && plan)
      plan_state = hooks_state_json(cfg, o->id, "running", st->pid, st->bundle);
    oci_config_free(cfg);
    if (sr < 0)
      goto out;
  }
  pidfd = state_init_pidfd(st);
  if (pidfd < 0) {
    error_set(err, ERR_NOT_RUNNING, 0, "cannot exec in a stopped container");
    goto out;
  }
  if (st->cgroup_paths && cgroup_load(st->cgroup_paths, &cg, err) < 0)
    goto out;
  if (terminal && o->console_socket &&
      terminal_connect_console_socket(o->console_socket, &console_child, err) < 0)
    goto out;
  if (terminal && !o->console_socket &&
      (terminal_caller_tty(&caller_tty, err) < 0 ||
       terminal_console_pair(&console_parent, &console_child, err) < 0))
    goto out;
  bool userns = false;
  int flags = differing_namespaces(st->pid, &userns);
  /* The child is born in the container's pid namespace; we stay where we are, and our
   * own later children (none, but a sanitizer's at exit) are born in ours again. */
  if ((flags & CLONE_NEWPID) &&
      ((own_pidns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC)) < 0 ||
       setns(pidfd, CLONE_NEWPID) < 0)) {
    error_sys(err, "join the container's pid namespace");
    goto out;
  }
  int listen_fds = process_listen_fds();
  process_add_listen_env(o->process, listen_fds);
  if (sync_pair_open(&sp, err) < 0)
    goto out;
  if (!o->detach)
    reaper_block(&mask);
  struct exec_child c = {.process = o->process,
                         .pidfd = pidfd,
                         .ns_flags = flags & ~CLONE_NEWPID,
                         .in_userns = userns,
                         .preserve_fds = listen_fds + o->preserve_fds,
                         .sync_fd = sp.child,
                         .parent_fd = sp.parent,
                         .seccomp = plan,
                         .seccomp_state = plan_state,
                         .console_fd = console_child,
                         .console_parent = console_parent};
  bool in_cgroup = false;
  debug("exec %s: cloning into the container (namespaces 0x%x)", o->id, flags);
  pid = clone_child(0, cg ? cgroup_dirfd(cg) : -1, &in_cgroup);
  if (pid < 0) {
    error_sys(err, "clone the exec process");
    goto out;
  }
  if (pid == 0)
    exec_child_main(&c);
  /* The child has its copy; ours of the listener socket would hold the agent's
   * connection open past the child's execve. */
  seccomp_plan_free(plan);
  plan = NULL;
  if (own_pidns >= 0 && setns(own_pidns, CLONE_NEWPID) < 0) {
    error_sys(err, "return to our own pid namespace");
    goto out;
  }
  closep(&sp.child);
  closep(&console_child);
  if ((!in_cgroup && cg && cgroup_enter(cg, pid, err) < 0) ||
      sync_send(sp.parent, SYNC_GO, pid, err) < 0 ||
      sync_expect(sp.parent, SYNC_READY, NULL, err) < 0)
    goto out;
  if (write_pid_file(o->pid_file, pid, err) < 0 || send_pidfd(o->pidfd_socket, pid, err) < 0)
    goto out;
  if (o->detach) {
    r = 0;
    pid = -1;
    goto out;
  }
  if (console_parent >= 0) {
    if (terminal_recv_master(console_parent, &master, err) < 0)
      goto out;
    terminal_prepare_proxy(master, caller_tty);
    r = terminal_proxy(master, caller_tty, pid, &mask, exit_status, err);
  } else {
    r = reaper_wait(pid, &mask, exit_status, err);
  }
  pid = -1;
out:
  /* Never left in the container's pid namespace: a child made at exit (a sanitizer's)
   * would land there. */
  if (own_pidns >= 0)
    setns(own_pidns, CLONE_NEWPID);
  if (pid > 0) {
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
      ;
  }
  sync_pair_close(&sp);
  seccomp_plan_free(plan);
  free(plan_state);
  cgroup_free(cg);
  oci_runtime_state_free(st);
  state_dir_close(&d);
  return r;
}

int container_exec_template(const char *root, const char *id, oci_process **out,
                            struct error **err) {
  struct container_dir d = {.dirfd = -1, .rootfd = -1};
  int r = -1;
  if (state_dir_open(root, id, false, &d, err) < 0)
    goto out;
  oci_config *cfg = state_saved_config(&d);
  if (cfg == NULL || cfg->process == NULL) {
    oci_config_free(cfg);
    error_set(err, ERR_GENERIC, 0, "%s/config.json: cannot read the container's process", d.path);
    goto out;
  }
  *out = cfg->process;
  cfg->process = NULL;
  oci_config_free(cfg);
  r = 0;
out:
  state_dir_close(&d);
  return r;
}
