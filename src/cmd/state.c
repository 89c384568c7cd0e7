/* cmd/state.c — `contain state <container-id>`: the state as JSON. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "container.h"

int cmd_state(struct global *g, int argc, char **argv, struct error **err) {
  static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {0}};
  int c;
  while ((c = getopt_long_only(argc, argv, ":h", opts, NULL)) != -1) {
    if (c != 'h')
      return cli_bad_option("state", c, argv, err);
    puts("usage: contain state <container-id>\n\n"
         "Prints the container's state (runtime-spec state plus rootfs, created, owner).");
    return 0;
  }
  if (cli_want_args("state", argc, argv, 1, "the container id", err) < 0)
    return -1;
  oci_state *st = NULL;
  if (container_state(g->root, argv[optind], &st, err) < 0)
    return -1;
  char *msg = NULL;
  char *json = oci_state_generate_json(st, &msg);
  oci_state_free(st);
  if (json == NULL) {
    error_set(err, ERR_GENERIC, 0, "serialize the state: %s", msg ? msg : "?");
    free(msg);
    return -1;
  }
  cli_print_json_pretty(json);
  free(json);
  return 0;
}
