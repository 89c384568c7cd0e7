/* cmd/start.c — `contain start <container-id>` */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "container.h"

int cmd_start(struct global *g, int argc, char **argv, struct error **err) {
  static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {0}};
  int c;
  while ((c = getopt_long_only(argc, argv, ":h", opts, NULL)) != -1) {
    if (c != 'h')
      return cli_bad_option("start", c, argv, err);
    puts("usage: contain start <container-id>\n\n"
         "Makes a created container's init exec the user's process.");
    return 0;
  }
  if (cli_want_args("start", argc, argv, 1, "the container id", err) < 0)
    return -1;
  return container_start(g->root, argv[optind], getenv("NOTIFY_SOCKET"), err);
}
