/* cmd/ps.c — `contain ps [-f table|json] <container-id> [ps options]`.
 * json: the host PIDs of the container's processes (what containerd reads); table: ps(1)
 * run with the options given (default -ef), its header, then only the container's lines,
 * as runc does. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup-cmds.h"
#include "control.h"
#include "util.h"

static void print_json(const pid_t *pids, size_t n) {
  if (n == 0) {
    puts("null"); /* as runc prints no processes */
    return;
  }
  fputc('[', stdout);
  for (size_t i = 0; i < n; i++)
    printf("%s%d", i ? "," : "", (int)pids[i]);
  puts("]");
}

/* Runs ps with args, stdout and stderr together (as runc reports a failure). */
static int run_ps(char **args, int nargs, char **out, int *status, struct error **err) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0)
    return error_sys(err, "ps: pipe");
  char **argv = xcalloc((size_t)nargs + 3, sizeof *argv);
  argv[0] = "ps";
  if (nargs == 0)
    argv[1] = "-ef";
  for (int i = 0; i < nargs; i++)
    argv[i + 1] = args[i];
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) {
    free(argv);
    close(p[0]);
    close(p[1]);
    return error_sys(err, "ps: fork");
  }
  if (pid == 0) {
    signal(SIGPIPE, SIG_DFL);
    if (dup2(p[1], STDOUT_FILENO) < 0 || dup2(p[1], STDERR_FILENO) < 0)
      _exit(127);
    execvp("ps", argv);
    fprintf(stderr, "exec: \"ps\": %s\n", strerror(errno));
    _exit(127);
  }
  free(argv);
  close(p[1]);
  size_t len = 0, cap = 4096;
  *out = xmalloc(cap + 1);
  for (;;) {
    if (len == cap)
      *out = xrealloc(*out, (cap *= 2) + 1);
    ssize_t n = read(p[0], *out + len, cap - len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    len += (size_t)n;
  }
  (*out)[len] = '\0';
  close(p[0]);
  while (waitpid(pid, status, 0) < 0)
    if (errno != EINTR)
      return error_sys(err, "ps: wait");
  return 0;
}

/* The index of the PID column in ps's header. */
static int pid_column(const char *header) {
  int col = 0;
  for (const char *p = header; *p;) {
    while (*p == ' ' || *p == '\t')
      p++;
    if (*p == '\0')
      break;
    size_t n = strcspn(p, " \t");
    if (n == 3 && strncmp(p, "PID", 3) == 0)
      return col;
    col++;
    p += n;
  }
  return -1;
}

static int field_pid(const char *line, int col, long *pid) {
  const char *p = line;
  for (int i = 0;; i++) {
    while (*p == ' ' || *p == '\t')
      p++;
    if (*p == '\0')
      return -1;
    size_t n = strcspn(p, " \t");
    if (i == col) {
      char *end;
      *pid = strtol(p, &end, 10);
      return end == p + n ? 0 : -1;
    }
    p += n;
  }
}

static int print_table(const pid_t *pids, size_t n, char **args, int nargs, struct error **err) {
  char *out = NULL;
  int status = 0;
  if (run_ps(args, nargs, &out, &status, err) < 0)
    return -1;
  int rc = -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    size_t len = strlen(out);
    while (len > 0 && out[len - 1] == '\n')
      out[--len] = '\0';
    if (WIFEXITED(status))
      error_set(err, ERR_GENERIC, 0, "exit status %d: %s", WEXITSTATUS(status), out);
    else
      error_set(err, ERR_GENERIC, 0, "ps: killed by signal %d: %s", WTERMSIG(status), out);
    goto done;
  }
  char *next = strchr(out, '\n');
  if (next)
    *next++ = '\0';
  int col = pid_column(out);
  if (col < 0) {
    error_set(err, ERR_GENERIC, 0, "couldn't find PID field in ps output");
    goto done;
  }
  puts(out);
  for (char *line = next; line && *line; line = next) {
    next = strchr(line, '\n');
    if (next)
      *next++ = '\0';
    if (line[0] == '\0')
      continue;
    long pid;
    if (field_pid(line, col, &pid) < 0) {
      error_set(err, ERR_GENERIC, 0, "unable to parse pid: %s", line);
      goto done;
    }
    for (size_t i = 0; i < n; i++)
      if (pids[i] == pid) {
        puts(line);
        break;
      }
  }
  rc = 0;
done:
  free(out);
  return rc;
}

int cmd_ps(struct global *g, int argc, char **argv, struct error **err) {
  static const struct option opts[] = {
      {"format", required_argument, NULL, 'f'},
      {"help", no_argument, NULL, 'h'},
      {0},
  };
  const char *format = "table";
  int c;
  /* "+": the options after the container id are ps's own */
  while ((c = getopt_long_only(argc, argv, "+:f:h", opts, NULL)) != -1) {
    switch (c) {
    case 'f': format = optarg; break;
    case 'h':
      puts("usage: contain ps [-f table|json] <container-id> [ps options]\n\n"
           "  -f, --format table|json  table (default): ps(1)'s lines of the container's\n"
           "                           processes (ps options default to -ef); json: their\n"
           "                           host PIDs");
      return 0;
    default: return cli_bad_option("ps", c, argv, err);
    }
  }
  if (optind >= argc)
    return cli_usage_error("ps", err, "\"ps\" requires a minimum of 1 argument: the container id");
  bool json = strcmp(format, "json") == 0;
  if (!json && strcmp(format, "table") != 0)
    return error_set(err, ERR_USAGE, 0, "invalid format option");
  autofree pid_t *pids = NULL;
  size_t n = 0;
  if (container_pids(g->root, argv[optind], &pids, &n, err) < 0)
    return -1;
  if (json) {
    print_json(pids, n); /* ps options, if any, are ignored, as by runc */
    return 0;
  }
  return print_table(pids, n, argv + optind + 1, argc - optind - 1, err) < 0 ? -1 : 0;
}
