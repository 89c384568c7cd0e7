/* cmd/pause.c — `contain pause <container-id>` and `contain resume <container-id>`. */
#include <stdio.h>
#include <string.h>

#include "cgroup-cmds.h"
#include "control.h"

static int one_id(const char *cmd, const char *help, int argc, char **argv, struct error **err) {
  static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {0}};
  int c;
  while ((c = getopt_long_only(argc, argv, ":h", opts, NULL)) != -1) {
    switch (c) {
    case 'h': puts(help); return 1;
    default: return cli_bad_option(cmd, c, argv, err);
    }
  }
  return cli_want_args(cmd, argc, argv, 1, "the container id", err);
}

int cmd_pause(struct global *g, int argc, char **argv, struct error **err) {
  int r = one_id("pause",
                 "usage: contain pause <container-id>\n\n"
                 "Suspends every process of the container (the cgroup freezer); "
                 "`contain resume` lets them go on.",
                 argc, argv, err);
  if (r != 0)
    return r < 0 ? -1 : 0;
  return container_pause(g->root, argv[optind], err);
}

int cmd_resume(struct global *g, int argc, char **argv, struct error **err) {
  int r = one_id("resume",
                 "usage: contain resume <container-id>\n\n"
                 "Resumes the processes of a container that `contain pause` suspended.",
                 argc, argv, err);
  if (r != 0)
    return r < 0 ? -1 : 0;
  return container_resume(g->root, argv[optind], err);
}
