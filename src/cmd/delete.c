/* cmd/delete.c — `contain delete [-f] <container-id>` */
#include <stdio.h>

#include "cli.h"
#include "container.h"

int cmd_delete(struct global *g, int argc, char **argv, struct error **err) {
  static const struct option opts[] = {
      {"force", no_argument, NULL, 'f'},
      {"help", no_argument, NULL, 'h'},
      {0},
  };
  bool force = false;
  int c;
  while ((c = getopt_long_only(argc, argv, ":fh", opts, NULL)) != -1) {
    switch (c) {
    case 'f': force = true; break;
    case 'h':
      puts(
          "usage: contain delete [-f] <container-id>\n\n"
          "Deletes a stopped or created container: its processes, cgroup and state.\n"
          "  -f, --force   also a running one (killed with SIGKILL), or what a failed create left");
      return 0;
    default: return cli_bad_option("delete", c, argv, err);
    }
  }
  if (cli_want_args("delete", argc, argv, 1, "the container id", err) < 0)
    return -1;
  return container_delete(g->root, argv[optind], force, err);
}
