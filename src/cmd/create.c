/* cmd/create.c — `contain create [options] <container-id>` */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "container.h"

static const char help[] =
    "usage: contain create [options] <container-id>\n\n"
    "Creates the container from the bundle: its init holds the namespaces, has built the\n"
    "root filesystem and waits for `contain start`.\n\n"
    "  -b, --bundle DIR        the bundle (default: the current directory)\n"
    "      --pid-file FILE     write the init's pid to FILE\n"
    "      --console-socket S  unix socket to send the terminal's master to\n"
    "      --no-pivot          MS_MOVE + chroot instead of pivot_root (for ramfs roots)\n"
    "      --no-new-keyring    keep the caller's session keyring\n"
    "      --preserve-fds N    pass fds 3 .. 3+N-1 to the process\n"
    "      --pidfd-socket S    send a pidfd of the init to the unix socket S\n";

int cmd_create(struct global *g, int argc, char **argv, struct error **err) {
  static const struct option opts[] = {CLI_CREATE_LONGOPTS, {0}};
  struct create_opts o = {
      .root = g->root, .systemd_cgroup = g->systemd_cgroup, .no_cgroup = g->no_cgroup};
  int c;
  while ((c = getopt_long_only(argc, argv, ":b:h", opts, NULL)) != -1) {
    int r = cli_create_option(c, optarg, &o, err);
    if (r < 0)
      return -1;
    if (r > 0)
      continue;
    if (c == 'h') {
      fputs(help, stdout);
      return 0;
    }
    return cli_bad_option("create", c, argv, err);
  }
  if (cli_want_args("create", argc, argv, 1, "the container id", err) < 0)
    return -1;
  o.id = argv[optind];
  o.notify_socket = getenv("NOTIFY_SOCKET");
  return container_create(&o, err);
}
