/* hooks.c — running the hooks of config.json (see hooks.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "debug.h"
#include "hooks.h"
#include "util.h"

static const char *const point_names[] = {
    [HOOK_PRESTART] = "prestart",
    [HOOK_CREATE_RUNTIME] = "createRuntime",
    [HOOK_CREATE_CONTAINER] = "createContainer",
    [HOOK_START_CONTAINER] = "startContainer",
    [HOOK_POSTSTART] = "poststart",
    [HOOK_POSTSTOP] = "poststop",
};

static oci_hook **point_hooks(const oci_hooks *h, enum hook_point p, size_t *n) {
  switch (p) {
  case HOOK_PRESTART: *n = h->prestart_len; return h->prestart;
  case HOOK_CREATE_RUNTIME: *n = h->create_runtime_len; return h->create_runtime;
  case HOOK_CREATE_CONTAINER: *n = h->create_container_len; return h->create_container;
  case HOOK_START_CONTAINER: *n = h->start_container_len; return h->start_container;
  case HOOK_POSTSTART: *n = h->poststart_len; return h->poststart;
  default: *n = h->poststop_len; return h->poststop;
  }
}

bool hooks_present(const oci_hooks *h, enum hook_point point) {
  size_t n = 0;
  if (h != NULL)
    point_hooks(h, point, &n);
  return n > 0;
}

static int run_one(const oci_hook *hk, const char *where, const char *state_json,
                   struct error **err) {
  int in[2];
  if (pipe2(in, O_CLOEXEC) < 0)
    return error_sys(err, "%s: pipe", where);
  pid_t pid = fork();
  if (pid < 0) {
    close(in[0]);
    close(in[1]);
    return error_sys(err, "%s: fork", where);
  }
  if (pid == 0) {
    dup2(in[0], STDIN_FILENO);
    char *argv0[] = {hk->path, NULL};
    char *noenv[] = {NULL};
    execve(hk->path, hk->args_len ? hk->args : argv0, hk->env_len ? hk->env : noenv);
    fprintf(stderr, "contain: %s: exec %s: %s\n", where, hk->path, strerror(errno));
    _exit(127);
  }
  close(in[0]);
  /* A hook that does not read its stdin is fine: EPIPE is not its failure. */
  signal(SIGPIPE, SIG_IGN);
  (void)write_all(in[1], state_json, strlen(state_json));
  close(in[1]);
  int timeout_ms = hk->timeout_present && hk->timeout > 0 ? hk->timeout * 1000 : -1;
  int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  bool timed_out = false;
  if (pidfd >= 0) {
    struct pollfd p = {.fd = pidfd, .events = POLLIN};
    int r;
    do
      r = poll(&p, 1, timeout_ms);
    while (r < 0 && errno == EINTR);
    if (r == 0) {
      timed_out = true;
      kill(pid, SIGKILL);
    }
    close(pidfd);
  }
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (timed_out)
    return error_set(err, ERR_GENERIC, 0, "%s: %s timed out after %d s", where, hk->path,
                     hk->timeout);
  if (WIFSIGNALED(status))
    return error_set(err, ERR_GENERIC, 0, "%s: %s was killed by signal %d", where, hk->path,
                     WTERMSIG(status));
  if (WEXITSTATUS(status) != 0)
    return error_set(err, ERR_GENERIC, 0, "%s: %s exited with status %d", where, hk->path,
                     WEXITSTATUS(status));
  return 0;
}

int hooks_run(const oci_hooks *h, enum hook_point point, const char *state_json,
              struct error **err) {
  size_t n = 0;
  oci_hook **hooks = h ? point_hooks(h, point, &n) : NULL;
  for (size_t i = 0; i < n; i++) {
    autofree char *where = xasprintf("hook %s[%zu]", point_names[point], i);
    debug("running %s: %s", where, hooks[i]->path);
    if (run_one(hooks[i], where, state_json, err) < 0)
      return -1;
  }
  return 0;
}

char *hooks_state_json(const oci_config *c, const char *id, const char *status, pid_t pid,
                       const char *bundle) {
  oci_state st = {
      .oci_version = c->oci_version,
      .id = (char *)id,
      .status = (char *)status,
      .pid = pid,
      .pid_present = pid > 0,
      .bundle = (char *)bundle,
      .annotations = c->annotations,
  };
  char *msg = NULL;
  char *json = oci_state_generate_json(&st, &msg);
  free(msg);
  return json ? json : xstrdup("{}");
}
