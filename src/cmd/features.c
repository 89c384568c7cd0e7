/* cmd/features.c — `contain features`: the runtime-spec features document as JSON. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "features.h"

int cmd_features(struct global *g, int argc, char **argv, struct error **err) {
  static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {0}};
  int c;
  while ((c = getopt_long_only(argc, argv, ":h", opts, NULL)) != -1) {
    if (c != 'h')
      return cli_bad_option("features", c, argv, err);
    puts("usage: contain features\n\n"
         "Prints what this build of contain supports on this kernel (runtime-spec features.md).");
    return 0;
  }
  if (cli_want_args("features", argc, argv, 0, "", err) < 0)
    return -1;
  oci_features *f = features_get();
  char *msg = NULL;
  char *json = oci_features_generate_json(f, &msg);
  oci_features_free(f);
  if (json == NULL) {
    error_set(err, ERR_GENERIC, 0, "features: %s", msg ? msg : "cannot serialize");
    free(msg);
    return -1;
  }
  cli_print_json_pretty(json);
  free(json);
  return 0;
}
