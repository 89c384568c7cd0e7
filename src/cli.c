/* cli.c — parsing helpers and output shared by the commands (see cli.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "cli.h"
#include "container.h"
#include "util.h"

int cli_usage_error(const char *cmd, struct error **err, const char *fmt, ...) {
  char *msg = NULL;
  va_list ap;
  va_start(ap, fmt);
  if (vasprintf(&msg, fmt, ap) < 0)
    abort();
  va_end(ap);
  error_set(err, ERR_USAGE, 0, "%s (see contain %s --help)", msg, cmd);
  free(msg);
  return -1;
}

int cli_bad_option(const char *cmd, int c, char **argv, struct error **err) {
  const char *opt = argv[optind - 1];
  if (c == ':')
    return cli_usage_error(cmd, err, "%s: option %s needs a value", cmd, opt);
  return cli_usage_error(cmd, err, "%s: unknown option %s", cmd, opt);
}

int cli_want_args(const char *cmd, int argc, char **argv, int n, const char *what,
                  struct error **err) {
  /* runc's wording, which scripts and engines match */
  int have = argc - optind;
  if (have == n)
    return 0;
  if (n == 0)
    return cli_usage_error(cmd, err, "\"%s\" requires exactly 0 arguments (unexpected \"%s\")", cmd,
                           argv[optind]);
  return cli_usage_error(cmd, err, "\"%s\" requires exactly %d argument(s): %s", cmd, n, what);
}

int cli_parse_uint(const char *cmd, const char *opt, const char *value, int *out,
                   struct error **err) {
  char *end;
  errno = 0;
  long v = strtol(value, &end, 10);
  if (*value == '\0' || *end != '\0' || v < 0 || v > 1 << 20 || errno)
    return cli_usage_error(cmd, err, "%s: %s: \"%s\" is not a valid number", cmd, opt, value);
  *out = (int)v;
  return 0;
}

static void gen_tree(yajl_gen g, yajl_val v) {
  if (YAJL_IS_OBJECT(v)) {
    yajl_gen_map_open(g);
    for (size_t i = 0; i < v->u.object.len; i++) {
      yajl_gen_string(g, (const unsigned char *)v->u.object.keys[i], strlen(v->u.object.keys[i]));
      gen_tree(g, v->u.object.values[i]);
    }
    yajl_gen_map_close(g);
  } else if (YAJL_IS_ARRAY(v)) {
    yajl_gen_array_open(g);
    for (size_t i = 0; i < v->u.array.len; i++)
      gen_tree(g, v->u.array.values[i]);
    yajl_gen_array_close(g);
  } else if (YAJL_IS_STRING(v)) {
    yajl_gen_string(g, (const unsigned char *)v->u.string, strlen(v->u.string));
  } else if (YAJL_IS_NUMBER(v)) {
    yajl_gen_number(g, v->u.number.r, strlen(v->u.number.r));
  } else if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v)) {
    yajl_gen_bool(g, YAJL_IS_TRUE(v));
  } else {
    yajl_gen_null(g);
  }
}

void cli_print_json_pretty(const char *json) {
  char errbuf[256];
  yajl_val tree = yajl_tree_parse(json, errbuf, sizeof errbuf);
  if (tree == NULL) {
    printf("%s\n", json);
    return;
  }
  yajl_gen g = yajl_gen_alloc(NULL);
  yajl_gen_config(g, yajl_gen_beautify, 1);
  yajl_gen_config(g, yajl_gen_indent_string, "  ");
  gen_tree(g, tree);
  const unsigned char *buf;
  size_t len;
  yajl_gen_get_buf(g, &buf, &len);
  /* yajl ends a beautified document with a newline of its own */
  fwrite(buf, 1, len, stdout);
  if (len == 0 || buf[len - 1] != '\n')
    putchar('\n');
  yajl_gen_free(g);
  yajl_tree_free(tree);
}

int cli_create_option(int opt, const char *arg, struct create_opts *o, struct error **err) {
  switch (opt) {
  case 'b': o->bundle = arg; return 1;
  case OPT_PID_FILE: o->pid_file = arg; return 1;
  case OPT_CONSOLE_SOCKET: o->console_socket = arg; return 1;
  case OPT_NO_PIVOT: o->no_pivot = true; return 1;
  case OPT_NO_NEW_KEYRING: o->no_new_keyring = true; return 1;
  case OPT_PIDFD_SOCKET_C: o->pidfd_socket = arg; return 1;
  case OPT_PRESERVE_FDS:
    return cli_parse_uint("create", "--preserve-fds", arg, &o->preserve_fds, err) < 0 ? -1 : 1;
  default: return 0;
  }
}
