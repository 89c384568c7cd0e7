/* init.c — the container's init, child side of create (see init.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "debug.h"
#include "hooks.h"
#include "init.h"
#include "netlink.h"
#include "process.h"
#include "rootfs.h"
#include "scheduling.h"
#include "seccomp.h"
#include "security.h"
#include "sync.h"
#include "terminal.h"
#include "util.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#define KEYCTL_JOIN_SESSION_KEYRING 1

/* sysctls that belong to a namespace the container has; any other key would change
 * the host, so it is refused. */
static int check_sysctl(const char *key, const struct ns_plan *ns, struct error **err) {
  static const struct {
    const char *prefix;
    bool exact;
    enum ns_kind ns;
  } allowed[] = {
      {"kernel.msgmax", true, NS_IPC},   {"kernel.msgmnb", true, NS_IPC},
      {"kernel.msgmni", true, NS_IPC},   {"kernel.sem", true, NS_IPC},
      {"kernel.shmall", true, NS_IPC},   {"kernel.shmmax", true, NS_IPC},
      {"kernel.shmmni", true, NS_IPC},   {"kernel.shm_rmid_forced", true, NS_IPC},
      {"fs.mqueue.", false, NS_IPC},     {"net.", false, NS_NET},
      {"kernel.hostname", true, NS_UTS}, {"kernel.domainname", true, NS_UTS},
  };
  for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
    bool match = allowed[i].exact ? strcmp(key, allowed[i].prefix) == 0
                                  : strncmp(key, allowed[i].prefix, strlen(allowed[i].prefix)) == 0;
    if (!match)
      continue;
    if (ns->new_ns[allowed[i].ns] || ns->join[allowed[i].ns])
      return 0;
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     "config.json: .linux.sysctl.%s: needs the container to have its own %s "
                     "namespace (it would change the host's value)",
                     key, ns_spec_name(allowed[i].ns));
  }
  return error_set(err, ERR_INVALID_CONFIG, 0,
                   "config.json: .linux.sysctl.%s: not a namespaced sysctl; it would change the "
                   "whole host, so it is refused",
                   key);
}

/* Written through the host's /proc before the pivot: /proc/sys shows the writer's own
 * net, ipc and uts namespaces, which are the container's by now. */
static int apply_sysctls(const oci_linux *linux, const struct ns_plan *ns, struct error **err) {
  const oci_string_map *m = linux->sysctl;
  for (size_t i = 0; m && i < m->len; i++) {
    if (check_sysctl(m->keys[i], ns, err) < 0)
      return -1;
    autofree char *path = xasprintf("/proc/sys/%s", m->keys[i]);
    for (char *c = path + strlen("/proc/sys/"); *c; c++)
      if (*c == '.')
        *c = '/';
    if (write_file(path, m->values[i], strlen(m->values[i]), err) < 0)
      return error_prefix(err, "config.json: .linux.sysctl.%s", m->keys[i]);
  }
  return 0;
}

/* The new time namespace holds the init's children and, from execve on, the init
 * itself; its offsets can be written only until a process is in it. */
static int set_time_ns(const oci_linux_time_offsets_map *to, struct error **err) {
  if (unshare(CLONE_NEWTIME) < 0)
    return error_sys(err, "unshare the time namespace");
  for (size_t i = 0; to && i < to->len; i++) {
    char buf[96];
    int n = snprintf(buf, sizeof buf, "%s %lld %u\n", to->keys[i], (long long)to->values[i]->secs,
                     to->values[i]->nanosecs);
    if (write_file("/proc/self/timens_offsets", buf, (size_t)n, err) < 0)
      return error_prefix(err, "config.json: .linux.timeOffsets.%s", to->keys[i]);
  }
  return 0;
}

static int set_names(const oci_config *c, struct error **err) {
  if (c->hostname && sethostname(c->hostname, strlen(c->hostname)) < 0)
    return error_sys(err, "sethostname \"%s\"", c->hostname);
  if (c->domainname && setdomainname(c->domainname, strlen(c->domainname)) < 0)
    return error_sys(err, "setdomainname \"%s\"", c->domainname);
  return 0;
}

static int join_keyring(const char *id, struct error **err) {
  autofree char *name = xasprintf("_ses.%s", id);
  if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name, 0, 0, 0) < 0 && errno != ENOSYS)
    return error_sys(err, "join a new session keyring \"%s\" (--no-new-keyring skips it)", name);
  return 0;
}

static int wait_for_start(int dirfd, struct error **err) {
  int fd;
  do
    fd = openat(dirfd, "exec.fifo", O_WRONLY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    return error_sys(err, "open the exec fifo");
  int r = write_all(fd, "0", 1);
  close(fd);
  if (r < 0)
    return error_sys(err, "write the exec fifo");
  return 0;
}

struct hook_ctx {
  const struct init_args *a;
  pid_t host_pid;
};

/* Mounts are in place, the pivot comes next: the parent runs prestart and
 * createRuntime now (they may mount into the rootfs), then createContainer runs
 * here, in the container's namespaces. */
static int before_pivot(void *arg, struct error **err) {
  const struct hook_ctx *h = arg;
  const struct bundle *b = h->a->bundle;
  const oci_hooks *hooks = b->config->hooks;
  if (hooks_present(hooks, HOOK_PRESTART) || hooks_present(hooks, HOOK_CREATE_RUNTIME)) {
    if (sync_send(h->a->sync_fd, SYNC_HOOKS, 0, err) < 0 ||
        sync_expect(h->a->sync_fd, SYNC_GO, NULL, err) < 0)
      return -1;
  }
  if (!hooks_present(hooks, HOOK_CREATE_CONTAINER))
    return 0;
  autofree char *state = hooks_state_json(b->config, h->a->id, "creating", h->host_pid, b->bundle);
  return hooks_run(hooks, HOOK_CREATE_CONTAINER, state, err);
}

/* process.terminal: a pty of the container's devpts, bound on /dev/console, the
 * process's controlling terminal and stdio; its master goes out over the console fd.
 * Between rootfs_prepare and rootfs_finalize, as runc: /dev may be made read-only next. */
static int setup_terminal(const struct init_args *a, const oci_process *p, struct error **err) {
  if (!p->terminal)
    return 0;
  autoclose int master = -1;
  debug("init: allocating the pty; its master goes over the console socket");
  if (terminal_setup_in_init(p->console_size, &master, err) < 0 ||
      terminal_set_owner(p->user ? p->user->uid : 0, err) < 0 ||
      terminal_send_master(a->console_fd, master, err) < 0)
    return -1;
  close(a->console_fd);
  return 0;
}

static int setup(const struct init_args *a, struct hook_ctx *hc, struct process_ready *ready,
                 struct error **err) {
  const struct bundle *b = a->bundle;
  const oci_config *c = b->config;
  const oci_process *p = c->process;
  const struct ns_plan *ns = &b->ns;

  int32_t host_pid = 0;
  if (sync_expect(a->sync_fd, SYNC_GO, &host_pid, err) < 0)
    return -1;
  hc->host_pid = host_pid;
  if (ns_join_paths(ns, false, err) < 0)
    return -1;
  bool in_userns = ns->new_ns[NS_USER] || ns->join[NS_USER];
  if (in_userns && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
    return error_sys(err, "become root in the user namespace (is uid/gid 0 mapped?)");
  if (ns->new_ns[NS_CGROUP] && unshare(CLONE_NEWCGROUP) < 0)
    return error_sys(err, "unshare the cgroup namespace");
  if (ns->new_ns[NS_TIME] && set_time_ns(c->linux->time_offsets, err) < 0)
    return -1;
  if (set_names(c, err) < 0 || apply_sysctls(c->linux, ns, err) < 0)
    return -1;
  if (ns->new_ns[NS_NET]) {
    debug("init: bringing up lo in the new network namespace");
    if (netlink_loopback_up(err) < 0)
      return -1;
  }
  if (scheduling_cpu_affinity(p, false, err) < 0 ||
      scheduling_personality(c->linux->personality, err) < 0)
    return -1;
  /* Compiled while the host's paths are visible: listenerPath is one. */
  if (seccomp_prepare(c->linux->seccomp, &ready->seccomp, err) < 0)
    return -1;
  if (ns->new_ns[NS_MOUNT]) {
    debug("init: building the root filesystem at %s", b->rootfs);
    struct rootfs_opts ro = {.config = c,
                             .rootfs = b->rootfs,
                             .bundle = b->bundle,
                             .no_pivot = a->no_pivot,
                             .in_userns = in_userns,
                             .before_pivot = before_pivot,
                             .before_pivot_arg = hc};
    struct rootfs *r = NULL;
    if (rootfs_prepare(&ro, &r, err) < 0)
      return -1;
    /* A missing cwd is made while the root may still be written (runc does so too). */
    if (process_make_cwd(p->cwd, err) < 0 || setup_terminal(a, p, err) < 0) {
      rootfs_free(r);
      return -1;
    }
    if (rootfs_finalize(r, err) < 0)
      return -1;
  } else if (before_pivot(hc, err) < 0 || setup_terminal(a, p, err) < 0) {
    return -1;
  }
  if (security_rlimits(p, err) < 0)
    return -1;
  if (a->new_keyring && join_keyring(a->id, err) < 0)
    return -1;
  return process_prepare(p, in_userns, a->preserve_fds, ready, err);
}

_Noreturn void init_main(const struct init_args *a) {
  struct error *err = NULL;
  struct process_ready ready = {0};
  process_child_begin();
  for (size_t i = 0; i < sizeof a->parent_fds / sizeof a->parent_fds[0]; i++)
    if (a->parent_fds[i] >= 0)
      close(a->parent_fds[i]);

  struct hook_ctx hc = {.a = a};
  if (setup(a, &hc, &ready, &err) < 0)
    goto fail;
  if (sync_send(a->sync_fd, SYNC_READY, 0, &err) < 0)
    goto fail;
  /* The parent commits the state, then says go; if it died instead, stop here. */
  if (sync_expect(a->sync_fd, SYNC_GO, NULL, &err) < 0)
    _exit(1);
  close(a->sync_fd);
  if (wait_for_start(a->state_dirfd, &err) < 0) {
    fprintf(stderr, "contain init: %s\n", err->msg);
    _exit(1);
  }
  const oci_config *cfg = a->bundle->config;
  if (hooks_present(cfg->hooks, HOOK_START_CONTAINER)) {
    autofree char *state = hooks_state_json(cfg, a->id, "created", hc.host_pid, a->bundle->bundle);
    if (hooks_run(cfg->hooks, HOOK_START_CONTAINER, state, &err) < 0) {
      fprintf(stderr, "contain init: %s\n", err->msg);
      _exit(1);
    }
  }
  if (ready.seccomp) {
    ready.seccomp_state = hooks_state_json(cfg, a->id, "created", hc.host_pid, a->bundle->bundle);
    ready.host_pid = hc.host_pid;
  }
  process_exec(a->bundle->config->process, &ready);

fail:
  sync_send_error(a->sync_fd, err);
  _exit(1);
}
