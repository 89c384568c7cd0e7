/* container.c — the lifecycle, parent side (see container.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "clone.h"
#include "config.h"
#include "container.h"
#include "debug.h"
#include "hooks.h"
#include "init.h"
#include "notify.h"
#include "process.h"
#include "reaper.h"
#include "security.h"
#include "state.h"
#include "sync.h"
#include "terminal.h"
#include "unixsock.h"
#include "util.h"

#define OCI_VERSION "1.2.0"
/* How long delete waits for a killed init to be gone. */
#define KILL_WAIT_MS 10000

struct creation {
  struct bundle *bundle;
  struct container_dir dir;
  struct cgroup *cgroup;
  struct sync_pair sync;
  oci_runtime_state *state;
  pid_t pid;
  /* process.terminal: the init sends the pty's master on console_child (the connected
   * --console-socket, or one end of a pair whose other end, console_parent, `run`
   * receives it on); caller_tty is the terminal a foreground `run` proxies. */
  int console_parent, console_child, caller_tty;
};

static void creation_free(struct creation *c) {
  sync_pair_close(&c->sync);
  closep(&c->console_parent);
  closep(&c->console_child);
  closep(&c->caller_tty);
  cgroup_free(c->cgroup);
  oci_runtime_state_free(c->state);
  state_dir_close(&c->dir);
  bundle_free(c->bundle);
  memset(c, 0, sizeof *c);
}

static char *timestamp_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  char buf[64];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return xasprintf("%s.%09ldZ", buf, ts.tv_nsec);
}

static oci_string_map *string_map_copy(const oci_string_map *m) {
  if (m == NULL)
    return NULL;
  oci_string_map *c = xcalloc(1, sizeof *c);
  c->len = m->len;
  c->keys = xcalloc(m->len + 1, sizeof *c->keys);
  c->values = xcalloc(m->len + 1, sizeof *c->values);
  for (size_t i = 0; i < m->len; i++) {
    c->keys[i] = xstrdup(m->keys[i]);
    c->values[i] = xstrdup(m->values[i]);
  }
  return c;
}

/* ---- processes ---------------------------------------------------------------- */

static int wait_pidfd(int pidfd, int timeout_ms) {
  struct pollfd p = {.fd = pidfd, .events = POLLIN};
  int r;
  do
    r = poll(&p, 1, timeout_ms);
  while (r < 0 && errno == EINTR);
  return r > 0 ? 0 : -1;
}

static int signal_all(struct cgroup *cg, int sig, struct error **err) {
  autofree pid_t *pids = NULL;
  size_t n = 0;
  if (cgroup_pids(cg, &pids, &n, err) < 0)
    return -1;
  for (size_t i = 0; i < n; i++)
    if (kill(pids[i], sig) < 0 && errno != ESRCH)
      return error_sys(err, "kill %d with signal %d", (int)pids[i], sig);
  return 0;
}

/* Without a cgroup, the container's processes are those of the init's pid namespace
 * (when it has one of its own; else only the init, signalled by the caller). */
static int signal_pid_namespace(const oci_runtime_state *st, int sig, struct error **err) {
  char path[64];
  struct stat self_ns, init_ns;
  snprintf(path, sizeof path, "/proc/%d/ns/pid", (int)st->pid);
  if (stat(path, &init_ns) < 0 || stat("/proc/self/ns/pid", &self_ns) < 0)
    return error_sys(err, "stat the pid namespace of %d", (int)st->pid);
  if (init_ns.st_ino == self_ns.st_ino)
    return 0;
  DIR *proc = opendir("/proc");
  if (proc == NULL)
    return error_sys(err, "open /proc");
  struct dirent *de;
  while ((de = readdir(proc)) != NULL) {
    char *end;
    long pid = strtol(de->d_name, &end, 10);
    if (*end != '\0' || pid <= 0 || pid == st->pid)
      continue;
    struct stat ns;
    snprintf(path, sizeof path, "/proc/%ld/ns/pid", pid);
    if (stat(path, &ns) == 0 && ns.st_ino == init_ns.st_ino && ns.st_dev == init_ns.st_dev)
      kill((pid_t)pid, sig);
  }
  closedir(proc);
  return 0;
}

/* Kills everything in the container and waits for the init to be gone. */
static int kill_and_wait(const oci_runtime_state *st, struct cgroup *cg, struct error **err) {
  autoclose int pidfd = state_init_pidfd(st);
  if (pidfd >= 0 && syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) < 0 && errno != ESRCH)
    return error_sys(err, "kill the container's init %d", (int)st->pid);
  if (cg != NULL) {
    /* A cgroup that is gone holds no process. */
    struct error *e = NULL;
    if (signal_all(cg, SIGKILL, &e) < 0 && e->kind != ERR_NOT_FOUND) {
      if (err)
        *err = e;
      else
        error_free(e);
      return -1;
    }
    error_free(e);
    bool frozen = false;
    struct error *ignored = NULL;
    /* A frozen task only dies once thawed. */
    if (cgroup_is_frozen(cg, &frozen, &ignored) == 0 && frozen)
      cgroup_freeze(cg, false, NULL);
    error_free(ignored);
  }
  if (pidfd >= 0 && wait_pidfd(pidfd, KILL_WAIT_MS) < 0)
    return error_set(err, ERR_GENERIC, 0, "the container's init %d did not die after SIGKILL",
                     (int)st->pid);
  return 0;
}

/* ---- hooks after create ------------------------------------------------------ */

/* poststart and poststop failures are warnings: the lifecycle goes on (runtime-spec). */
static void run_late_hooks(const struct container_dir *d, const oci_runtime_state *st,
                           oci_config *cfg, enum hook_point point, const char *status) {
  if (cfg == NULL || !hooks_present(cfg->hooks, point))
    return;
  autofree char *state =
      hooks_state_json(cfg, st->id, status, status[0] == 's' ? 0 : st->pid, st->bundle);
  struct error *e = NULL;
  if (hooks_run(cfg->hooks, point, state, &e) < 0)
    warning("container %s: %s", d->id, e->msg);
  error_free(e);
}

static void poststart(const struct container_dir *d, const oci_runtime_state *st) {
  if (!st->late_hooks)
    return;
  oci_config *cfg = state_saved_config(d);
  run_late_hooks(d, st, cfg, HOOK_POSTSTART, "running");
  oci_config_free(cfg);
}

/* Removes what a container leaves: its processes, cgroup and state directory. */
static int destroy(struct container_dir *d, const oci_runtime_state *st, struct error **err) {
  struct cgroup *cg = NULL;
  struct error *cgerr = NULL;
  /* A cgroup someone else removed must not make the container undeletable. */
  if (st && st->cgroup_paths && cgroup_load(st->cgroup_paths, &cg, &cgerr) < 0) {
    warning("delete %s: %s; going on without it", d->id, cgerr->msg);
    error_free(cgerr);
    cg = NULL;
  }
  oci_config *cfg = st && st->late_hooks ? state_saved_config(d) : NULL;
  int r = 0;
  if (st)
    r = kill_and_wait(st, cg, err);
  if (r == 0 && cg)
    r = cgroup_destroy(cg, err);
  cgroup_free(cg);
  if (r == 0)
    r = state_dir_remove(d, err);
  if (r == 0 && st)
    run_late_hooks(d, st, cfg, HOOK_POSTSTOP, "stopped");
  oci_config_free(cfg);
  return r;
}

/* ---- create ------------------------------------------------------------------ */

/* Makes the init. When a user or pid namespace is joined by path, an intermediate
 * process joins it first and clones the init there, so that the new namespaces
 * belong to the joined user namespace and the init lands in the joined pid one. */
static int spawn_init(struct creation *c, const struct init_args *ia, bool *in_cgroup,
                      struct error **err) {
  const struct ns_plan *ns = &c->bundle->ns;
  int cgfd = c->cgroup ? cgroup_dirfd(c->cgroup) : -1;
  if (ns->join[NS_USER] == NULL && ns->join[NS_PID] == NULL) {
    pid_t pid = clone_child(ns->clone_flags, cgfd, in_cgroup);
    if (pid < 0)
      return error_sys(err, "clone the container's init (namespace flags 0x%lx)", ns->clone_flags);
    if (pid == 0)
      init_main(ia);
    c->pid = pid;
    return 0;
  }
  *in_cgroup = false;
  pid_t mid = fork();
  if (mid < 0)
    return error_sys(err, "fork");
  if (mid == 0) {
    struct error *e = NULL;
    bool unused;
    if (ns->join[NS_USER] && ns_join(NS_USER, ns->join[NS_USER], &e) < 0)
      goto fail;
    if (ns->join[NS_PID] && ns_join(NS_PID, ns->join[NS_PID], &e) < 0)
      goto fail;
    pid_t pid = clone_child(ns->clone_flags, -1, &unused);
    if (pid < 0) {
      error_sys(&e, "clone the container's init (namespace flags 0x%lx)", ns->clone_flags);
      goto fail;
    }
    if (pid == 0)
      init_main(ia);
    if (sync_send(ia->sync_fd, SYNC_PID, pid, &e) < 0)
      goto fail;
    _exit(0);
  fail:
    sync_send_error(ia->sync_fd, e);
    _exit(1);
  }
  int status;
  int32_t pid = 0;
  int r = sync_expect(c->sync.parent, SYNC_PID, &pid, err);
  while (waitpid(mid, &status, 0) < 0 && errno == EINTR)
    ;
  if (r < 0)
    return -1;
  c->pid = pid;
  return 0;
}

static int new_state(struct creation *c, const struct create_opts *o) {
  oci_runtime_state *st = xcalloc(1, sizeof *st);
  st->oci_version = xstrdup(OCI_VERSION);
  st->id = xstrdup(o->id);
  st->phase = xstrdup("creating");
  st->bundle = xstrdup(c->bundle->bundle);
  st->rootfs = xstrdup(c->bundle->rootfs);
  st->created = timestamp_now();
  st->annotations = string_map_copy(c->bundle->config->annotations);
  st->systemd = o->systemd_cgroup;
  st->systemd_present = true;
  const oci_hooks *h = c->bundle->config->hooks;
  st->late_hooks = hooks_present(h, HOOK_POSTSTART) || hooks_present(h, HOOK_POSTSTOP);
  st->late_hooks_present = true;
  c->state = st;
  return 0;
}

static int save_config(struct creation *c, struct error **err) {
  autoclose int fd =
      openat(c->dir.dirfd, "config.json", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 || write_all(fd, c->bundle->raw, c->bundle->raw_len) < 0)
    return error_sys(err, "save %s/config.json", c->dir.path);
  return 0;
}

/* Serves the init's requests until it is ready: the runtime-namespace hooks. */
static int wait_ready(struct creation *c, struct error **err) {
  for (;;) {
    enum sync_type t;
    if (sync_recv(c->sync.parent, &t, NULL, err) < 0)
      return -1;
    if (t == SYNC_READY)
      return 0;
    if (t != SYNC_HOOKS)
      return error_set(err, ERR_GENERIC, 0, "sync: unexpected message %d from the init", t);
    const oci_config *cfg = c->bundle->config;
    autofree char *state = hooks_state_json(cfg, c->dir.id, "creating", c->pid, c->bundle->bundle);
    if (hooks_run(cfg->hooks, HOOK_PRESTART, state, err) < 0 ||
        hooks_run(cfg->hooks, HOOK_CREATE_RUNTIME, state, err) < 0 ||
        sync_send(c->sync.parent, SYNC_GO, 0, err) < 0)
      return -1;
  }
}

/* --pidfd-socket: a pidfd of pid for the caller's socket (runc's message shape). */
int send_pidfd(const char *socket_path, pid_t pid, struct error **err) {
  if (socket_path == NULL)
    return 0;
  autoclose int sock = -1;
  autoclose int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (pidfd < 0)
    return error_sys(err, "--pidfd-socket: pidfd_open %d", (int)pid);
  if (unix_connect(socket_path, "--pidfd-socket", &sock, err) < 0 ||
      unix_send_fd(sock, pidfd, "pidfd", err) < 0)
    return error_prefix(err, "--pidfd-socket %s", socket_path);
  return 0;
}

/* Whether resources ask for more than device rules, which a container without a
 * cgroup can do without (runc's default spec always has one). */
static bool limits_requested(const oci_linux_resources *r) {
  return r && (r->memory || r->cpu || r->pids || r->block_io || r->hugepage_limits_len ||
               r->network || r->rdma || (r->unified && r->unified->len));
}

/* process.terminal, before anything is made: runc's rules on the command line, then the
 * console socket connected (create, run -d) or run's pair and the caller's terminal. */
static int open_console(const struct create_opts *o, bool foreground, struct creation *c,
                        struct error **err) {
  const oci_process *p = c->bundle->config->process;
  bool terminal = p->terminal_present && p->terminal;
  if (terminal_check_options(terminal, !foreground, o->console_socket, err) < 0)
    return -1;
  if (!terminal)
    return 0;
  if (o->console_socket)
    return terminal_connect_console_socket(o->console_socket, &c->console_child, err);
  if (terminal_caller_tty(&c->caller_tty, err) < 0)
    return -1;
  return terminal_console_pair(&c->console_parent, &c->console_child, err);
}

/* Everything of create up to the init waiting for start; on failure nothing is left.
 * foreground: `run` without -d, which waits for the process (and proxies its terminal). */
static int create_container(const struct create_opts *o, bool foreground, struct creation *c,
                            struct error **err) {
  autoclose int init_dirfd = -1;
  memset(c, 0, sizeof *c);
  c->sync.parent = c->sync.child = -1;
  c->dir.dirfd = c->dir.rootfd = -1;
  c->console_parent = c->console_child = c->caller_tty = -1;
  if (state_check_id(o->id, err) < 0)
    goto early;
  const char *bundle_dir = o->bundle ? o->bundle : ".";
  debug("create %s: loading %s/config.json", o->id, bundle_dir);
  if (config_load(bundle_dir, &c->bundle, err) < 0)
    goto early;
  const oci_config *cfg = c->bundle->config;
  if (security_check_caps(cfg->process, "config.json: .process", err) < 0)
    goto early;
  if (open_console(o, foreground, c, err) < 0 || state_dir_create(o->root, o->id, &c->dir, err) < 0)
    goto early;
  debug("create %s: state directory %s", o->id, c->dir.path);
  new_state(c, o);
  /* The first state.json is written once the cgroup exists, so that delete --force of an
   * interrupted create finds it. */
  if (save_config(c, err) < 0 ||
      notify_prepare(c->bundle->config, &c->dir, o->notify_socket, err) < 0)
    goto fail;

  if (o->no_cgroup) {
    if (limits_requested(cfg->linux->resources)) {
      error_set(err, ERR_INVALID_CONFIG, 0,
                "config.json: .linux.resources: limits need a cgroup, and --cgroup-manager "
                "disabled asks for none");
      goto fail;
    }
    if (cfg->linux->resources && cfg->linux->resources->devices_len)
      warning("create %s: linux.resources.devices is not applied: --cgroup-manager disabled "
              "gives the container no cgroup to hold the rules",
              o->id);
    debug("create %s: no cgroup (--cgroup-manager disabled)", o->id);
  } else {
    struct cgroup_request req = {.id = o->id,
                                 .cgroups_path = cfg->linux->cgroups_path,
                                 .resources = cfg->linux->resources,
                                 .systemd = o->systemd_cgroup};
    if (cgroup_create(&req, &c->cgroup, err) < 0)
      goto fail;
    c->state->cgroup_paths = cgroup_paths(c->cgroup);
  }
  if (state_write(&c->dir, c->state, err) < 0)
    goto fail;

  if (mkfifoat(c->dir.dirfd, STATE_FIFO, 0622) < 0 ||
      fchmodat(c->dir.dirfd, STATE_FIFO, 0622, 0) < 0) {
    error_sys(err, "make %s/%s", c->dir.path, STATE_FIFO);
    goto fail;
  }
  int listen_fds = process_listen_fds();
  process_add_listen_env(cfg->process, listen_fds);
  if (sync_pair_open(&c->sync, err) < 0)
    goto fail;
  init_dirfd = openat(c->dir.dirfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (init_dirfd < 0) {
    error_sys(err, "open %s", c->dir.path);
    goto fail;
  }
  struct init_args ia = {
      .bundle = c->bundle,
      .id = o->id,
      .sync_fd = c->sync.child,
      .state_dirfd = init_dirfd,
      .parent_fds = {c->dir.dirfd, c->dir.rootfd, c->sync.parent, c->console_parent},
      .console_fd = c->console_child,
      .preserve_fds = listen_fds + o->preserve_fds,
      .no_pivot = o->no_pivot,
      .new_keyring = !o->no_new_keyring};
  bool in_cgroup = false;
  if (debug_enabled()) {
    autofree char *names = ns_flags_describe(c->bundle->ns.clone_flags);
    debug("create %s: clone3 of the init with %s%s", o->id, names,
          c->cgroup && cgroup_dirfd(c->cgroup) >= 0 ? " into its cgroup (CLONE_INTO_CGROUP)" : "");
  }
  if (spawn_init(c, &ia, &in_cgroup, err) < 0)
    goto fail;
  closep(&c->sync.child);
  closep(&c->console_child);
  closep(&init_dirfd);
  debug("create %s: init is pid %d", o->id, (int)c->pid);
  if (c->bundle->ns.new_ns[NS_USER] && ns_write_id_maps(c->pid, cfg->linux, err) < 0)
    goto fail;
  if (!in_cgroup && c->cgroup && cgroup_enter(c->cgroup, c->pid, err) < 0)
    goto fail;
  if (sync_send(c->sync.parent, SYNC_GO, c->pid, err) < 0 || wait_ready(c, err) < 0)
    goto fail;
  c->state->pid = c->pid;
  c->state->pid_present = true;
  c->state->init_start_time = proc_start_time(c->pid);
  c->state->init_start_time_present = true;
  free(c->state->phase);
  c->state->phase = xstrdup("created");
  if (state_write(&c->dir, c->state, err) < 0 || write_pid_file(o->pid_file, c->pid, err) < 0 ||
      send_pidfd(o->pidfd_socket, c->pid, err) < 0 ||
      sync_send(c->sync.parent, SYNC_GO, 0, err) < 0)
    goto fail;
  closep(&c->sync.parent);
  debug("create %s: created; the init waits for start", o->id);
  return 0;

fail:
  if (c->pid > 0) {
    kill(c->pid, SIGKILL);
    while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
      ;
  }
  if (c->cgroup)
    cgroup_destroy(c->cgroup, NULL);
  state_dir_remove(&c->dir, NULL);
early:
  creation_free(c);
  return -1;
}

int container_create(const struct create_opts *o, struct error **err) {
  struct creation c;
  if (create_container(o, false, &c, err) < 0)
    return -1;
  creation_free(&c);
  return 0;
}

/* ---- start ------------------------------------------------------------------- */

static int check_startable(enum status s, struct error **err) {
  switch (s) {
  case STATUS_CREATED: return 0;
  case STATUS_STOPPED:
    return error_set(err, ERR_INVALID_STATE, 0, "cannot start a container that has stopped");
  case STATUS_CREATING:
    return error_set(err, ERR_INVALID_STATE, 0,
                     "cannot start a container that is still being created");
  default: return error_set(err, ERR_INVALID_STATE, 0, "cannot start an already running container");
  }
}

/* Opens the exec fifo: the init, blocked opening its other end, goes on to execve. */
static int start_init(const struct container_dir *d, const oci_runtime_state *st,
                      struct error **err) {
  /* The pidfd first: once the fifo is open the init may exec and exit at once. */
  autoclose int pidfd = state_init_pidfd(st);
  if (pidfd < 0)
    return error_set(err, ERR_INVALID_STATE, 0, "cannot start a container that has stopped");
  autoclose int fifo = openat(d->dirfd, STATE_FIFO, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fifo < 0)
    return error_sys(err, "open %s/%s", d->path, STATE_FIFO);
  struct pollfd p[2] = {{.fd = fifo, .events = POLLIN}, {.fd = pidfd, .events = POLLIN}};
  for (;;) {
    int r = poll(p, 2, -1);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return error_sys(err, "wait for the container's init");
    char byte;
    if ((p[0].revents & POLLIN) && read(fifo, &byte, 1) == 1)
      break;
    if (p[0].revents & (POLLHUP | POLLERR) || p[1].revents)
      return error_set(err, ERR_GENERIC, 0, "the container's init exited before it could start");
  }
  if (unlinkat(d->dirfd, STATE_FIFO, 0) < 0)
    return error_sys(err, "remove %s/%s", d->path, STATE_FIFO);
  return 0;
}

/* start_init, with NOTIFY_SOCKET's READY=1 relayed when the container has the socket. */
static int start_notifying(const struct container_dir *d, const oci_runtime_state *st,
                           const char *notify_socket, struct error **err) {
  autoclose int sock = -1;
  if (notify_socket && notify_listen(d, &sock, err) < 0)
    return -1;
  autoclose int pidfd = sock >= 0 ? state_init_pidfd(st) : -1;
  if (start_init(d, st, err) < 0)
    return -1;
  poststart(d, st);
  if (sock >= 0 && notify_relay(sock, pidfd, notify_socket, err) < 0)
    return -1;
  return 0;
}

int container_start(const char *root, const char *id, const char *notify_socket,
                    struct error **err) {
  struct container_dir d = {.dirfd = -1, .rootfd = -1};
  oci_runtime_state *st = NULL;
  int r = -1;
  if (state_dir_open(root, id, true, &d, err) < 0 || state_read(&d, &st, err) < 0)
    goto out;
  if (check_startable(state_status(&d, st), err) < 0)
    goto out;
  debug("start %s: opening the exec fifo", id);
  r = start_notifying(&d, st, notify_socket, err);
out:
  oci_runtime_state_free(st);
  state_dir_close(&d);
  return r;
}

/* ---- run --------------------------------------------------------------------- */

int container_run(const struct run_opts *o, int *exit_status, struct error **err) {
  sigset_t mask;
  if (!o->detach)
    reaper_block(&mask);
  /* Processes the container leaves behind are reparented here and reaped. */
  if (!o->create.no_subreaper)
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  struct creation c;
  if (create_container(&o->create, !o->detach, &c, err) < 0)
    return -1;
  /* The init sent the pty's master before it said ready: it waits in the pair. Size and
   * line settings go on it before the process starts, so that it sees them at once. */
  autoclose int master = -1;
  int r = 0;
  if (c.console_parent >= 0 && (r = terminal_recv_master(c.console_parent, &master, err)) == 0)
    terminal_prepare_proxy(master, c.caller_tty);
  debug("run %s: starting the process", o->create.id);
  if (r == 0)
    r = start_notifying(&c.dir, c.state, o->create.notify_socket, err);
  if (r < 0 || o->detach) {
    if (r < 0)
      destroy(&c.dir, c.state, NULL);
    creation_free(&c);
    *exit_status = 0;
    return r;
  }
  pid_t pid = c.pid;
  autoclose int tty = c.caller_tty;
  c.caller_tty = -1;
  /* Others may kill, inspect or delete the container while it runs. */
  creation_free(&c);
  if (master >= 0)
    r = terminal_proxy(master, tty, pid, &mask, exit_status, err);
  else
    r = reaper_wait(pid, &mask, exit_status, err);
  if (r == 0 && !o->keep) {
    struct error *e = NULL;
    if (container_delete(o->create.root, o->create.id, true, &e) < 0 && e->kind != ERR_NOT_FOUND) {
      *err = e;
      return -1;
    }
    error_free(e);
  }
  return r;
}

/* ---- kill, delete ------------------------------------------------------------ */

int container_kill(const char *root, const char *id, int sig, bool all, struct error **err) {
  struct container_dir d = {.dirfd = -1, .rootfd = -1};
  oci_runtime_state *st = NULL;
  struct cgroup *cg = NULL;
  int pidfd = -1;
  int r = -1;
  if (state_dir_open(root, id, false, &d, err) < 0 || state_read(&d, &st, err) < 0)
    goto out;
  enum status s = state_status(&d, st);
  if (s == STATUS_STOPPED || s == STATUS_CREATING) {
    error_set(err, ERR_NOT_RUNNING, 0, "container not running");
    goto out;
  }
  debug("kill %s: signal %d to %s", id, sig, all ? "every process" : "the init");
  if (all && st->cgroup_paths) {
    if (cgroup_load(st->cgroup_paths, &cg, err) < 0 || signal_all(cg, sig, err) < 0)
      goto out;
    r = 0;
    goto out;
  }
  if (all && signal_pid_namespace(st, sig, err) < 0)
    goto out;
  pidfd = state_init_pidfd(st);
  if (pidfd < 0 || syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0) {
    if (errno == ESRCH)
      error_set(err, ERR_NOT_RUNNING, 0, "container not running");
    else
      error_sys(err, "send signal %d to the container's init %d", sig, (int)st->pid);
    goto out;
  }
  r = 0;
out:
  closep(&pidfd);
  cgroup_free(cg);
  oci_runtime_state_free(st);
  state_dir_close(&d);
  return r;
}

int container_delete(const char *root, const char *id, bool force, struct error **err) {
  struct container_dir d = {.dirfd = -1, .rootfd = -1};
  oci_runtime_state *st = NULL;
  int r = -1;
  if (state_dir_open(root, id, true, &d, err) < 0) {
    /* runc's delete --force of a container that is gone succeeds. */
    if (force && (*err)->kind == ERR_NOT_FOUND) {
      error_free(*err);
      *err = NULL;
      r = 0;
    }
    goto out;
  }
  if (state_read(&d, &st, err) < 0) {
    /* A create that died before its first state write leaves only the directory. */
    if (!force)
      goto out;
    error_free(*err);
    *err = NULL;
    r = state_dir_remove(&d, err);
    goto out;
  }
  enum status s = state_status(&d, st);
  if (!force && (s == STATUS_RUNNING || s == STATUS_PAUSED || s == STATUS_CREATING)) {
    error_set(err, ERR_INVALID_STATE, 0, "cannot delete container %s that is not stopped: %s", id,
              status_name(s));
    goto out;
  }
  debug("delete %s: status %s%s", id, status_name(s), force ? " (forced)" : "");
  r = destroy(&d, st, err);
out:
  oci_runtime_state_free(st);
  state_dir_close(&d);
  return r;
}

/* ---- state, list ------------------------------------------------------------- */

static char *owner_of(const struct container_dir *d) {
  struct stat sb;
  if (fstat(d->dirfd, &sb) < 0)
    return xstrdup("");
  struct passwd *pw = getpwuid(sb.st_uid);
  return pw ? xstrdup(pw->pw_name) : xasprintf("#%u", (unsigned)sb.st_uid);
}

static oci_state *state_of(const struct container_dir *d, const oci_runtime_state *rs) {
  oci_state *s = xcalloc(1, sizeof *s);
  enum status status = state_status(d, rs);
  s->oci_version = xstrdup(rs->oci_version ? rs->oci_version : OCI_VERSION);
  s->id = xstrdup(rs->id);
  s->status = xstrdup(status_name(status));
  s->pid = status == STATUS_STOPPED || !rs->pid_present ? 0 : rs->pid;
  s->pid_present = true;
  s->bundle = xstrdup(rs->bundle ? rs->bundle : "");
  s->rootfs = xstrdup(rs->rootfs ? rs->rootfs : "");
  s->created = xstrdup(rs->created ? rs->created : "");
  s->owner = owner_of(d);
  s->annotations = string_map_copy(rs->annotations);
  return s;
}

int container_state(const char *root, const char *id, oci_state **out, struct error **err) {
  struct container_dir d = {.dirfd = -1, .rootfd = -1};
  oci_runtime_state *rs = NULL;
  int r = -1;
  if (state_dir_open(root, id, false, &d, err) < 0 || state_read(&d, &rs, err) < 0)
    goto out;
  *out = state_of(&d, rs);
  r = 0;
out:
  oci_runtime_state_free(rs);
  state_dir_close(&d);
  return r;
}

int container_list(const char *root, oci_state ***out, size_t *n, struct error **err) {
  char **ids = NULL;
  size_t nids = 0;
  if (state_list_ids(root, &ids, &nids, err) < 0)
    return -1;
  *out = xcalloc(nids + 1, sizeof **out);
  *n = 0;
  for (size_t i = 0; i < nids; i++) {
    struct error *e = NULL;
    oci_state *s = NULL;
    if (container_state(root, ids[i], &s, &e) == 0)
      (*out)[(*n)++] = s;
    error_free(e);
    free(ids[i]);
  }
  free(ids);
  return 0;
}
