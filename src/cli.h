/* cli.h — what the commands under src/cmd/ share: the global options, the command
 * table entry and small parsing helpers. Commands parse their arguments, call
 * libcontain and print results; they do no kernel work of their own. */
#ifndef CONTAIN_CLI_H
#define CONTAIN_CLI_H

#include <getopt.h>
#include <stdbool.h>

#include "error.h"

struct global {
  const char *root;
  bool debug;
  bool systemd_cgroup;
  bool no_cgroup; /* --cgroup-manager disabled */
};

/* Returns the exit status (0 on success), or -1 with *err set. */
typedef int (*command_fn)(struct global *g, int argc, char **argv, struct error **err);

struct command {
  const char *name;
  command_fn run;
  const char *usage; /* arguments, after the command's name */
  const char *help;  /* one line */
};

int cmd_create(struct global *g, int argc, char **argv, struct error **err);
int cmd_start(struct global *g, int argc, char **argv, struct error **err);
int cmd_run(struct global *g, int argc, char **argv, struct error **err);
int cmd_state(struct global *g, int argc, char **argv, struct error **err);
int cmd_list(struct global *g, int argc, char **argv, struct error **err);
int cmd_kill(struct global *g, int argc, char **argv, struct error **err);
int cmd_delete(struct global *g, int argc, char **argv, struct error **err);
int cmd_spec(struct global *g, int argc, char **argv, struct error **err);
int cmd_exec(struct global *g, int argc, char **argv, struct error **err);
int cmd_features(struct global *g, int argc, char **argv, struct error **err);

/* The usage error every command gives for a bad option or a missing argument. */
int cli_usage_error(const char *cmd, struct error **err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The error for what getopt_long returned as ':' (value missing) or '?' (unknown). */
int cli_bad_option(const char *cmd, int c, char **argv, struct error **err);
/* Exactly `n` positional arguments remain after option parsing (from optind). */
int cli_want_args(const char *cmd, int argc, char **argv, int n, const char *what,
                  struct error **err);
/* A non-negative decimal integer option value. */
int cli_parse_uint(const char *cmd, const char *opt, const char *value, int *out,
                   struct error **err);
/* Prints v as indented JSON (as runc prints state) followed by a newline. */
void cli_print_json_pretty(const char *json);

/* Options shared by create and run: the entries of their getopt_long tables, and
 * the handler that returns 1 when it took the option, 0 when it is not one of them. */
enum {
  OPT_PID_FILE = 300,
  OPT_CONSOLE_SOCKET,
  OPT_NO_PIVOT,
  OPT_NO_NEW_KEYRING,
  OPT_PRESERVE_FDS,
  OPT_PIDFD_SOCKET_C
};
#define CLI_CREATE_LONGOPTS                                                                        \
  {"bundle", required_argument, NULL, 'b'}, {"pid-file", required_argument, NULL, OPT_PID_FILE},   \
      {"console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET},                             \
      {"no-pivot", no_argument, NULL, OPT_NO_PIVOT},                                               \
      {"no-new-keyring", no_argument, NULL, OPT_NO_NEW_KEYRING},                                   \
      {"preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS},                                 \
      {"pidfd-socket", required_argument, NULL, OPT_PIDFD_SOCKET_C}, {                             \
    "help", no_argument, NULL, 'h'                                                                 \
  }
struct create_opts;
int cli_create_option(int opt, const char *arg, struct create_opts *o, struct error **err);

#endif
