/* cmd/kill.c — `contain kill [-a] <container-id> [signal]` */
#include <signal.h>
#include <stdio.h>

#include "cli.h"
#include "container.h"
#include "signals.h"

int cmd_kill(struct global *g, int argc, char **argv, struct error **err) {
  static const struct option opts[] = {
      {"all", no_argument, NULL, 'a'},
      {"help", no_argument, NULL, 'h'},
      {0},
  };
  bool all = false;
  int c;
  while ((c = getopt_long_only(argc, argv, ":ah", opts, NULL)) != -1) {
    switch (c) {
    case 'a': all = true; break;
    case 'h':
      puts("usage: contain kill [-a] <container-id> [signal]\n\n"
           "signal: a name (KILL, SIGKILL) or a number; the default is SIGTERM.\n"
           "  -a, --all   signal every process of the container, not only its init");
      return 0;
    default: return cli_bad_option("kill", c, argv, err);
    }
  }
  int have = argc - optind;
  if (have < 1 || have > 2)
    return cli_usage_error("kill", err,
                           "\"kill\" requires a minimum of 1 argument(s) and a maximum of 2: "
                           "the container id and the signal");
  int sig = SIGTERM;
  if (have == 2 && (sig = signal_parse(argv[optind + 1])) < 0)
    return cli_usage_error("kill", err, "unknown signal \"%s\" (a name such as KILL or a number)",
                           argv[optind + 1]);
  return container_kill(g->root, argv[optind], sig, all, err);
}
