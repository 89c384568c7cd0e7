/* cmd/run.c — `contain run [options] <container-id>`: create, start, wait. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "container.h"

static const char help[] =
    "usage: contain run [options] <container-id>\n\n"
    "Creates and starts the container; unless detached, waits for its process,\n"
    "forwarding signals, deletes the container and exits with the process's status\n"
    "(128+N when it was killed by signal N).\n\n"
    "  -b, --bundle DIR        the bundle (default: the current directory)\n"
    "  -d, --detach            return once the process runs\n"
    "      --keep              do not delete the container when it exits\n"
    "      --no-subreaper      do not reap the processes the container leaves behind\n"
    "      --pidfd-socket S    send a pidfd of the init to the unix socket S\n"
    "      --pid-file FILE     write the init's pid to FILE\n"
    "      --console-socket S  unix socket to send the terminal's master to\n"
    "      --no-pivot          MS_MOVE + chroot instead of pivot_root\n"
    "      --no-new-keyring    keep the caller's session keyring\n"
    "      --preserve-fds N    pass fds 3 .. 3+N-1 to the process\n";

int cmd_run(struct global *g, int argc, char **argv, struct error **err) {
  static const struct option opts[] = {
      CLI_CREATE_LONGOPTS,
      {"detach", no_argument, NULL, 'd'},
      {"keep", no_argument, NULL, 'k'},
      {"no-subreaper", no_argument, NULL, 'S'},
      {0},
  };
  struct run_opts o = {.create = {
                           .root = g->root,
                           .systemd_cgroup = g->systemd_cgroup,
                           .no_cgroup = g->no_cgroup,
                       }};
  int c;
  while ((c = getopt_long_only(argc, argv, ":b:dh", opts, NULL)) != -1) {
    int r = cli_create_option(c, optarg, &o.create, err);
    if (r < 0)
      return -1;
    if (r > 0)
      continue;
    switch (c) {
    case 'd': o.detach = true; break;
    case 'k': o.keep = true; break;
    case 'S': o.create.no_subreaper = true; break;
    case 'h': fputs(help, stdout); return 0;
    default: return cli_bad_option("run", c, argv, err);
    }
  }
  if (cli_want_args("run", argc, argv, 1, "the container id", err) < 0)
    return -1;
  o.create.id = argv[optind];
  o.create.notify_socket = getenv("NOTIFY_SOCKET");
  int status = 0;
  if (container_run(&o, &status, err) < 0)
    return -1;
  return status;
}
