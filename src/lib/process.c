/* process.c — the last steps before a container's process runs (see process.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "debug.h"
#include "lsm.h"
#include "process.h"
#include "scheduling.h"
#include "seccomp.h"
#include "security.h"
#include "util.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static const char default_path[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

static int mkdir_p(char *path) {
  for (char *s = path + 1; *s; s++) {
    if (*s != '/')
      continue;
    *s = '\0';
    int r = mkdir(path, 0755);
    *s = '/';
    if (r < 0 && errno != EEXIST)
      return -1;
  }
  return mkdir(path, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

/* The cwd is checked to lie inside the container's root: a cwd like /proc/self/fd/N could name a
 * directory of the host that an fd still open here points to (CVE-2024-21626). */
static int enter_cwd(const char *cwd, struct error **err) {
  if (chdir(cwd) < 0)
    return error_sys(err, "chdir to the process's cwd %s", cwd);
  char buf[PATH_MAX];
  if (getcwd(buf, sizeof buf) == NULL || buf[0] != '/')
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     "config.json: .process.cwd: \"%s\" is outside the container's root", cwd);
  return 0;
}

static const char *env_get(char *const *env, size_t n, const char *name) {
  size_t len = strlen(name);
  for (size_t i = 0; i < n; i++)
    if (env[i] && strncmp(env[i], name, len) == 0 && env[i][len] == '=')
      return env[i] + len + 1;
  return NULL;
}

int process_find_executable(const char *file, char *const *env, size_t env_len, char **out,
                            struct error **err) {
  struct stat st;
  if (strchr(file, '/') != NULL) {
    /* Go's lower-case wording, as runc prints it: engines match these texts. */
    if (stat(file, &st) < 0)
      return error_set(err, ERR_NOT_FOUND, 0, "exec: \"%s\": stat %s: %s", file, file,
                       errno == ENOENT ? "no such file or directory" : strerror(errno));
    if (S_ISDIR(st.st_mode) || access(file, X_OK) < 0)
      return error_set(err, ERR_PERMISSION, 0, "exec: \"%s\": permission denied", file);
    *out = xstrdup(file);
    return 0;
  }
  const char *path = env_get(env, env_len, "PATH");
  autofree char *dirs = xstrdup(path ? path : default_path);
  char *save = NULL;
  for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
    autofree char *cand = xasprintf("%s/%s", d[0] ? d : ".", file);
    if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0) {
      *out = xstrdup(cand);
      return 0;
    }
  }
  return error_set(err, ERR_NOT_FOUND, 0, "exec: \"%s\": executable file not found in $PATH", file);
}

/* Every fd from 3 + preserve_fds up is made close-on-exec: nothing the runtime or
 * its caller opened reaches the container's process. The preserved ones are made
 * inheritable. */
static int seal_fds(int preserve_fds, struct error **err) {
  for (int fd = 3; fd < 3 + preserve_fds; fd++) {
    int fl = fcntl(fd, F_GETFD);
    if (fl >= 0 && fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC) < 0)
      return error_sys(err, "--preserve-fds: fd %d", fd);
  }
  if (syscall(SYS_close_range, 3 + preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
    return 0;
  for (int fd = 3 + preserve_fds; fd < 65536; fd++) {
    int fl = fcntl(fd, F_GETFD);
    if (fl >= 0)
      fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
  }
  return 0;
}

/* The home directory of uid in the container's /etc/passwd, "/" when there is none. */
static char *home_of(uid_t uid) {
  autofree char *passwd = NULL;
  struct error *e = NULL;
  if (read_file("/etc/passwd", &passwd, NULL, &e) < 0) {
    error_free(e);
    return xstrdup("/");
  }
  char *save = NULL;
  for (char *line = strtok_r(passwd, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char *field[7] = {NULL};
    int n = 0;
    for (char *f = line; n < 7; n++) {
      field[n] = f;
      f = strchr(f, ':');
      if (f == NULL)
        break;
      *f++ = '\0';
    }
    if (n >= 5 && field[2] && strtoul(field[2], NULL, 10) == uid && field[2][0] != '\0')
      return xstrdup(field[5] && field[5][0] ? field[5] : "/");
  }
  return xstrdup("/");
}

/* The process's environment, NULL-terminated; HOME is added from /etc/passwd when
 * the config sets none, as runc does. */
static char **process_env(const oci_process *p) {
  char **env = xcalloc(p->env_len + 2, sizeof *env);
  for (size_t i = 0; i < p->env_len; i++)
    env[i] = p->env[i];
  if (env_get(p->env, p->env_len, "HOME") == NULL) {
    autofree char *home = home_of(p->user ? p->user->uid : 0);
    env[p->env_len] = xasprintf("HOME=%s", home);
  }
  return env;
}

int process_listen_fds(void) {
  const char *fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
  if (fds == NULL || pid == NULL || strtol(pid, NULL, 10) != getpid())
    return 0;
  long n = strtol(fds, NULL, 10);
  return n > 0 && n < 1024 ? (int)n : 0;
}

void process_add_listen_env(oci_process *p, int n) {
  if (n <= 0)
    return;
  p->env = xrealloc(p->env, (p->env_len + 3) * sizeof *p->env);
  p->env[p->env_len++] = xasprintf("LISTEN_FDS=%d", n);
  p->env[p->env_len++] = xstrdup("LISTEN_PID=1");
  p->env[p->env_len] = NULL;
}

int process_make_cwd(const char *cwd, struct error **err) {
  autofree char *copy = xstrdup(cwd);
  if (mkdir_p(copy) < 0)
    return error_sys(err, "make the process's cwd %s", cwd);
  return 0;
}

static int set_oom_score(const oci_process *p, struct error **err) {
  if (!p->oom_score_adj_present)
    return 0;
  char buf[32];
  int n = snprintf(buf, sizeof buf, "%d", p->oom_score_adj);
  if (write_file("/proc/self/oom_score_adj", buf, (size_t)n, err) < 0)
    return error_prefix(err,
                        "config.json: .process.oomScoreAdj %d (lowering it needs "
                        "CAP_SYS_RESOURCE)",
                        p->oom_score_adj);
  return 0;
}

void process_child_begin(void) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  for (int s = 1; s < NSIG; s++)
    if (s != SIGKILL && s != SIGSTOP)
      signal(s, SIG_DFL);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

extern const unsigned char trampoline_elf[];
extern const size_t trampoline_elf_len;

/* Made before seccomp is loaded: afterwards only the exec itself may run. */
static int make_trampoline(int *out, struct error **err) {
  int fd = memfd_create("contain-exec", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
  if (fd < 0 && errno == EINVAL)
    fd = memfd_create("contain-exec", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0)
    return error_sys(err, "memfd_create for the exec trampoline");
  if (write_all(fd, trampoline_elf, trampoline_elf_len) < 0 ||
      fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) {
    error_sys(err, "write and seal the exec trampoline");
    close(fd);
    return -1;
  }
  *out = fd;
  return 0;
}

int process_prepare(const oci_process *p, bool in_userns, int preserve_fds,
                    struct process_ready *out, struct error **err) {
  if (set_oom_score(p, err) < 0 || security_rlimits(p, err) < 0 || scheduling_apply(p, err) < 0 ||
      scheduling_cpu_affinity(p, true, err) < 0 || lsm_apply(p, err) < 0 ||
      enter_cwd(p->cwd, err) < 0)
    return -1;
  debug("process: switching to uid %u gid %u and setting capabilities", p->user ? p->user->uid : 0,
        p->user ? p->user->gid : 0);
  if (security_user_and_caps(p, in_userns, seccomp_needs_sys_admin(out->seccomp, p), err) < 0 ||
      security_no_new_privs(p, err) < 0)
    return -1;
  /* A change of uid makes the kernel reset dumpable from fs.suid_dumpable: not again
   * readable before execve. */
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (process_find_executable(p->args[0], p->env, p->env_len, &out->exe, err) < 0)
    return -1;
  out->env = process_env(p);
  if (make_trampoline(&out->trampoline_fd, err) < 0)
    return -1;
  return seal_fds(preserve_fds, err);
}

_Noreturn void process_exec(const oci_process *p, const struct process_ready *r) {
  debug("process: execve %s (%zu arguments) through the trampoline", r->exe, p->args_len);
  char **argv = xcalloc(p->args_len + 3, sizeof *argv);
  argv[0] = "contain-exec";
  argv[1] = r->exe;
  for (size_t i = 0; i < p->args_len; i++)
    argv[i + 2] = p->args[i];
  /* The filter comes last: after it, only the trampoline's execveat and execve (see
   * seccomp.h); no debug() or allocation below. */
  struct error *err = NULL;
  if (seccomp_apply(r->seccomp, r->seccomp_state, r->host_pid, &err) < 0) {
    fprintf(stderr, "contain: %s\n", err->msg);
    _exit(1);
  }
  /* execve makes the process dumpable again, now that it no longer maps the runtime. */
  fexecve(r->trampoline_fd, argv, r->env);
  fprintf(stderr, "contain: exec %s: %s\n", r->exe, strerror(errno));
  _exit(127);
}
