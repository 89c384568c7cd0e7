/* contain.c — main(): the global options and the table of commands. */
#include <getopt.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>
#include <yajl/yajl_version.h>

#include "cli.h"
#include "cmd/cgroup-cmds.h"
#include "cmd/check.h"
#include "config.h"
#include "log.h"
#include "seccomp.h"

#define SPEC_VERSION "1.2.0"

/* podman takes `checkpoint --help` exiting 0 as "checkpoint works": these commands
 * fail whatever their arguments. */
static int cmd_unsupported(struct global *g, int argc, char **argv, struct error **err) {
  return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                   "%s: checkpoint and restore need CRIU, which contain does not support", argv[0]);
}

static const struct command commands[] = {
    {"create", cmd_create, "[options] <container-id>", "create a container"},
    {"start", cmd_start, "<container-id>", "start the user process of a created container"},
    {"run", cmd_run, "[options] <container-id>", "create and start a container"},
    {"exec", cmd_exec, "[options] <container-id> <command> [args...]",
     "run a new process in a running container"},
    {"state", cmd_state, "<container-id>", "print the state of a container"},
    {"list", cmd_list, "[-f table|json] [-q]", "list the containers"},
    {"kill", cmd_kill, "[-a] <container-id> [signal]",
     "send a signal (default SIGTERM) to the container's init, or with -a to all its processes"},
    {"delete", cmd_delete, "[-f] <container-id>", "delete a container and what it holds"},
    {"pause", cmd_pause, "<container-id>", "suspend every process of a container"},
    {"resume", cmd_resume, "<container-id>", "resume the processes of a paused container"},
    {"update", cmd_update, "[options] <container-id>", "change the resource limits of a container"},
    {"ps", cmd_ps, "[-f table|json] <container-id> [ps options]",
     "list the processes of a container"},
    {"events", cmd_events, "[--stats] [--interval D] <container-id>",
     "print the stats and OOM events of a container"},
    {"spec", cmd_spec, "[-b bundle] [--rootless]", "write a default config.json"},
    {"check", cmd_check, "[-b bundle] [-f text|json] [--fix-cgroups]",
     "diagnose what this host (and a bundle) can do"},
    {"features", cmd_features, "", "print what this build and kernel support (JSON)"},
    {"checkpoint", cmd_unsupported, "", "not supported: contain has no CRIU support"},
    {"restore", cmd_unsupported, "", "not supported: contain has no CRIU support"},
};

static void usage(FILE *out) {
  fprintf(out,
          "usage: contain [global options] command [command options] [arguments...]\n\n"
          "contain runs OCI containers (runtime-spec %s) with runc's command line.\n\n"
          "commands:\n",
          SPEC_VERSION);
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].help);
  fprintf(out, "\nglobal options:\n"
               "  --root DIR             state directory (default /run/contain)\n"
               "  --log FILE             write errors and debug lines to FILE\n"
               "  --log-format text|json format of the log (default text)\n"
               "  --debug                narrate each step to the log\n"
               "  --systemd-cgroup       use the systemd cgroup driver (not supported yet)\n"
               "  --cgroup-manager cgroupfs|systemd|disabled\n"
               "  --rootless true|false|auto\n"
               "  -v, --version          print the versions\n"
               "  -h, --help             print this help\n"
               "\n'contain COMMAND --help' describes a command.\n");
}

static void version(void) {
  const struct scmp_version *sv = seccomp_version();
  printf("contain version %s\ncommit: %s\nspec: %s\nlibseccomp: %u.%u.%u\nyajl: %d.%d.%d\n"
         "libcap: %d.%d\n",
         PACKAGE_VERSION, CONTAIN_COMMIT, SPEC_VERSION, sv->major, sv->minor, sv->micro, YAJL_MAJOR,
         YAJL_MINOR, YAJL_MICRO, LIBCAP_MAJOR, LIBCAP_MINOR);
}

static const struct command *find_command(const char *name) {
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

enum {
  OPT_ROOT = 256,
  OPT_LOG,
  OPT_LOG_FORMAT,
  OPT_DEBUG,
  OPT_SYSTEMD,
  OPT_ROOTLESS,
  OPT_CRIU,
  OPT_CGROUP_MANAGER
};

int main(int argc, char **argv) {
  static const struct option opts[] = {
      {"root", required_argument, NULL, OPT_ROOT},
      {"log", required_argument, NULL, OPT_LOG},
      {"log-format", required_argument, NULL, OPT_LOG_FORMAT},
      {"debug", no_argument, NULL, OPT_DEBUG},
      {"systemd-cgroup", no_argument, NULL, OPT_SYSTEMD},
      {"rootless", required_argument, NULL, OPT_ROOTLESS},
      {"criu", required_argument, NULL, OPT_CRIU},
      {"cgroup-manager", required_argument, NULL, OPT_CGROUP_MANAGER},
      {"version", no_argument, NULL, 'v'},
      {"help", no_argument, NULL, 'h'},
      {0},
  };
  struct global g = {.root = "/run/contain"};
  const char *log_path = NULL, *log_format = NULL, *rootless = NULL;
  struct error *err = NULL;
  int c;
  opterr = 0;
  while ((c = getopt_long_only(argc, argv, "+vh", opts, NULL)) != -1) {
    switch (c) {
    case OPT_ROOT: g.root = optarg; break;
    case OPT_LOG: log_path = optarg; break;
    case OPT_LOG_FORMAT: log_format = optarg; break;
    case OPT_DEBUG: g.debug = true; break;
    case OPT_SYSTEMD: g.systemd_cgroup = true; break;
    case OPT_ROOTLESS: rootless = optarg; break;
    case OPT_CGROUP_MANAGER:
      /* crun's spelling of the driver choice; podman sends it for --cgroups=disabled */
      if (strcmp(optarg, "systemd") == 0) {
        g.systemd_cgroup = true;
      } else if (strcmp(optarg, "disabled") == 0) {
        g.no_cgroup = true;
      } else if (strcmp(optarg, "cgroupfs") != 0) {
        error_set(&err, ERR_USAGE, 0,
                  "--cgroup-manager: expected cgroupfs, systemd or disabled, found \"%s\"", optarg);
        goto fail;
      }
      break;
    case OPT_CRIU:
      error_set(&err, ERR_USAGE, 0, "--criu: checkpoint and restore are not supported");
      goto fail;
    case 'v': version(); return 0;
    case 'h': usage(stdout); return 0;
    default:
      error_set(&err, ERR_USAGE, 0, "unknown global option %s (see contain --help)",
                argv[optind - 1]);
      goto fail;
    }
  }
  if (log_open(log_path, log_format, &err) < 0)
    goto fail;
  if (g.debug)
    log_enable_debug();
  /* Compiled seccomp filters, shared by every --root (seccomp.h); root only. */
  if (geteuid() == 0)
    seccomp_set_cache_dir("/run/contain-seccomp-cache");
  if (rootless && strcmp(rootless, "false") != 0 && strcmp(rootless, "auto") != 0) {
    if (strcmp(rootless, "true") == 0)
      error_set(&err, ERR_USAGE, 0, "--rootless true: rootless containers are not supported yet");
    else
      error_set(&err, ERR_USAGE, 0, "--rootless: expected true, false or auto, found \"%s\"",
                rootless);
    goto fail;
  }
  if (optind >= argc) {
    usage(stderr);
    return 1;
  }
  const struct command *cmd = find_command(argv[optind]);
  if (cmd == NULL) {
    error_set(&err, ERR_USAGE, 0, "unknown command \"%s\" (see contain --help)", argv[optind]);
    goto fail;
  }
  if (g.root[0] != '/') {
    error_set(&err, ERR_USAGE, 0, "--root: \"%s\" is not an absolute path", g.root);
    goto fail;
  }
  argv += optind;
  argc -= optind;
  optind = 0; /* 0 resets getopt's state for the command's own parsing */
  int status = cmd->run(&g, argc, argv, &err);
  if (status >= 0)
    return status;
fail:
  log_error(err);
  error_free(err);
  return 1;
}
