/* cmd/exec.c — `contain exec [options] <container-id> <command> [args...]`
 * The process is the container's own config.process (or --process FILE) with the
 * options applied on top, as runc builds it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exec.h"
#include "util.h"

static const char help[] =
    "usage: contain exec [options] <container-id> <command> [args...]\n\n"
    "Runs a new process in a running container: in its namespaces and cgroup, with the\n"
    "container's process settings unless overridden. Exits with the process's status.\n\n"
    "  -p, --process FILE       the process as a runtime-spec process JSON\n"
    "  -e, --env NAME=VALUE     add to the environment (repeatable)\n"
    "      --cwd DIR            working directory\n"
    "  -u, --user UID[:GID]     user\n"
    "  -g, --additional-gids G  supplementary group (repeatable)\n"
    "  -c, --cap CAP            add a capability (repeatable)\n"
    "      --no-new-privs       set no_new_privs\n"
    "  -t, --tty                allocate a terminal (with -d, --console-socket gets it)\n"
    "  -d, --detach             do not wait for the process\n"
    "      --pid-file FILE      write the process's pid to FILE\n"
    "      --preserve-fds N     pass fds 3 .. 3+N-1 to the process\n"
    "      --pidfd-socket S     send a pidfd of the process to the unix socket S\n"
    "      --ignore-paused      exec even into a paused container\n"
    "      --apparmor P, --process-label L   LSM labels\n"
    "      --cgroup C           a sub-cgroup to join (not supported yet)\n";

enum {
  OPT_CWD = 400,
  OPT_NNP,
  OPT_PID_FILE_E,
  OPT_CONSOLE,
  OPT_PRESERVE,
  OPT_APPARMOR,
  OPT_LABEL,
  OPT_CGROUP,
  OPT_PIDFD_SOCKET,
  OPT_IGNORE_PAUSED
};

static void append(char ***v, size_t *n, const char *s) {
  *v = xrealloc(*v, (*n + 2) * sizeof **v);
  (*v)[(*n)++] = xstrdup(s);
  (*v)[*n] = NULL;
}

static void replace_args(oci_process *p, char **args, int n) {
  for (size_t i = 0; i < p->args_len; i++)
    free(p->args[i]);
  free(p->args);
  p->args = NULL;
  p->args_len = 0;
  for (int i = 0; i < n; i++)
    append(&p->args, &p->args_len, args[i]);
}

static int parse_id(const char *opt, const char *s, unsigned *out, struct error **err) {
  char *end;
  unsigned long v = strtoul(s, &end, 10);
  if (*s == '\0' || *s == '-' || (*end != '\0' && *end != ':') || v > 0xffffffffUL)
    return cli_usage_error("exec", err, "%s: \"%s\" is not a number", opt, s);
  *out = (unsigned)v;
  return 0;
}

struct exec_flags {
  const char *process_file, *cwd, *user, *apparmor, *label;
  char **env, **gids, **caps;
  size_t env_n, gids_n, caps_n;
  bool nnp, tty;
};

static int apply_flags(oci_process *p, const struct exec_flags *f, struct error **err) {
  for (size_t i = 0; i < f->env_n; i++)
    append(&p->env, &p->env_len, f->env[i]);
  if (f->cwd) {
    free(p->cwd);
    p->cwd = xstrdup(f->cwd);
  }
  if (f->user || f->gids_n) {
    if (p->user == NULL)
      p->user = xcalloc(1, sizeof *p->user);
    if (f->user) {
      unsigned uid, gid = 0;
      const char *colon = strchr(f->user, ':');
      if (parse_id("--user", f->user, &uid, err) < 0 ||
          (colon && parse_id("--user", colon + 1, &gid, err) < 0))
        return -1;
      p->user->uid = uid;
      p->user->gid = colon ? gid : p->user->gid;
    }
    for (size_t i = 0; i < f->gids_n; i++) {
      unsigned g;
      if (parse_id("--additional-gids", f->gids[i], &g, err) < 0)
        return -1;
      p->user->additional_gids =
          xrealloc(p->user->additional_gids, (p->user->additional_gids_len + 1) * sizeof(uint32_t));
      p->user->additional_gids[p->user->additional_gids_len++] = g;
    }
  }
  if (f->caps_n) {
    if (p->capabilities == NULL)
      p->capabilities = xcalloc(1, sizeof *p->capabilities);
    oci_capabilities *c = p->capabilities;
    for (size_t i = 0; i < f->caps_n; i++) {
      append(&c->bounding, &c->bounding_len, f->caps[i]);
      append(&c->effective, &c->effective_len, f->caps[i]);
      append(&c->permitted, &c->permitted_len, f->caps[i]);
      append(&c->ambient, &c->ambient_len, f->caps[i]);
    }
  }
  if (f->nnp) {
    p->no_new_privileges = true;
    p->no_new_privileges_present = true;
  }
  if (f->tty) {
    p->terminal = true;
    p->terminal_present = true;
  }
  if (f->apparmor) {
    free(p->apparmor_profile);
    p->apparmor_profile = xstrdup(f->apparmor);
  }
  if (f->label) {
    free(p->selinux_label);
    p->selinux_label = xstrdup(f->label);
  }
  return 0;
}

int cmd_exec(struct global *g, int argc, char **argv, struct error **err) {
  static const struct option opts[] = {
      {"process", required_argument, NULL, 'p'},
      {"env", required_argument, NULL, 'e'},
      {"cwd", required_argument, NULL, OPT_CWD},
      {"user", required_argument, NULL, 'u'},
      {"additional-gids", required_argument, NULL, 'g'},
      {"cap", required_argument, NULL, 'c'},
      {"no-new-privs", no_argument, NULL, OPT_NNP},
      {"tty", no_argument, NULL, 't'},
      {"detach", no_argument, NULL, 'd'},
      {"pid-file", required_argument, NULL, OPT_PID_FILE_E},
      {"console-socket", required_argument, NULL, OPT_CONSOLE},
      {"preserve-fds", required_argument, NULL, OPT_PRESERVE},
      {"apparmor", required_argument, NULL, OPT_APPARMOR},
      {"process-label", required_argument, NULL, OPT_LABEL},
      {"cgroup", required_argument, NULL, OPT_CGROUP},
      {"pidfd-socket", required_argument, NULL, OPT_PIDFD_SOCKET},
      {"ignore-paused", no_argument, NULL, OPT_IGNORE_PAUSED},
      {"help", no_argument, NULL, 'h'},
      {0},
  };
  struct exec_opts o = {.root = g->root};
  struct exec_flags f = {0};
  int c, r = -1;
  /* '+': the command's own options after the id are not ours */
  while ((c = getopt_long_only(argc, argv, "+:p:e:u:g:c:tdh", opts, NULL)) != -1) {
    switch (c) {
    case 'p': f.process_file = optarg; break;
    case 'e': append(&f.env, &f.env_n, optarg); break;
    case OPT_CWD: f.cwd = optarg; break;
    case 'u': f.user = optarg; break;
    case 'g': append(&f.gids, &f.gids_n, optarg); break;
    case 'c': append(&f.caps, &f.caps_n, optarg); break;
    case OPT_NNP: f.nnp = true; break;
    case 't': f.tty = true; break;
    case 'd': o.detach = true; break;
    case OPT_PID_FILE_E: o.pid_file = optarg; break;
    case OPT_CONSOLE: o.console_socket = optarg; break;
    case OPT_PRESERVE:
      if (cli_parse_uint("exec", "--preserve-fds", optarg, &o.preserve_fds, err) < 0)
        goto out;
      break;
    case OPT_APPARMOR: f.apparmor = optarg; break;
    case OPT_PIDFD_SOCKET: o.pidfd_socket = optarg; break;
    case OPT_IGNORE_PAUSED: o.ignore_paused = true; break;
    case OPT_LABEL: f.label = optarg; break;
    case OPT_CGROUP:
      error_set(err, ERR_USAGE, 0, "exec --cgroup: joining a sub-cgroup is not supported yet");
      goto out;
    case 'h':
      fputs(help, stdout);
      r = 0;
      goto out;
    default: cli_bad_option("exec", c, argv, err); goto out;
    }
  }
  int have = argc - optind;
  if (have < 1 || (have < 2 && f.process_file == NULL)) {
    cli_usage_error("exec", err,
                    "\"exec\" requires a minimum of 2 argument(s): the container id "
                    "and the command (or --process FILE)");
    goto out;
  }
  o.id = argv[optind];
  if (f.process_file) {
    char *msg = NULL;
    o.process = oci_process_parse_file(f.process_file, &msg);
    if (o.process == NULL) {
      error_set(err, ERR_INVALID_CONFIG, 0, "%s", msg ? msg : f.process_file);
      free(msg);
      goto out;
    }
  } else if (container_exec_template(g->root, o.id, &o.process, err) < 0) {
    goto out;
  }
  if (have >= 2)
    replace_args(o.process, argv + optind + 1, have - 1);
  if (apply_flags(o.process, &f, err) < 0)
    goto out;
  int status = 0;
  if (container_exec(&o, &status, err) == 0)
    r = status;
out:
  oci_process_free(o.process);
  for (size_t i = 0; i < f.env_n; i++)
    free(f.env[i]);
  for (size_t i = 0; i < f.gids_n; i++)
    free(f.gids[i]);
  for (size_t i = 0; i < f.caps_n; i++)
    free(f.caps[i]);
  free(f.env);
  free(f.gids);
  free(f.caps);
  return r;
}
