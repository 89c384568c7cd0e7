/* cmd/list.c — `contain list [-f table|json] [-q]`, with runc's table columns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "container.h"
#include "util.h"

/* runc aligns with Go's tabwriter: cells padded to the widest plus 3, at least 12. */
static void print_table(oci_state **s, size_t n) {
  enum { NCOL = 6 };
  static const char *const head[NCOL] = {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"};
  char ***cells = xcalloc(n + 1, sizeof *cells);
  size_t width[NCOL] = {0};
  for (size_t r = 0; r <= n; r++) {
    cells[r] = xcalloc(NCOL, sizeof **cells);
    for (int k = 0; k < NCOL; k++) {
      if (r == 0) {
        cells[r][k] = xstrdup(head[k]);
      } else {
        const oci_state *st = s[r - 1];
        const char *v[NCOL] = {st->id, NULL, st->status, st->bundle, st->created, st->owner};
        cells[r][k] = k == 1 ? xasprintf("%d", st->pid) : xstrdup(v[k] ? v[k] : "");
      }
      size_t w = strlen(cells[r][k]);
      if (w > width[k])
        width[k] = w;
    }
  }
  for (size_t r = 0; r <= n; r++) {
    for (int k = 0; k < NCOL; k++) {
      size_t w = width[k] + 3 < 12 ? 12 : width[k] + 3;
      if (k == NCOL - 1)
        printf("%s\n", cells[r][k]);
      else
        printf("%-*s", (int)w, cells[r][k]);
      free(cells[r][k]);
    }
    free(cells[r]);
  }
  free(cells);
}

static int print_json(oci_state **s, size_t n, struct error **err) {
  if (n == 0) {
    puts("null"); /* as runc prints an empty list */
    return 0;
  }
  fputc('[', stdout);
  for (size_t i = 0; i < n; i++) {
    char *msg = NULL;
    char *json = oci_state_generate_json(s[i], &msg);
    if (json == NULL) {
      error_set(err, ERR_GENERIC, 0, "serialize the state of %s: %s", s[i]->id, msg ? msg : "?");
      free(msg);
      return -1;
    }
    printf("%s%s", i ? "," : "", json);
    free(json);
  }
  puts("]");
  return 0;
}

int cmd_list(struct global *g, int argc, char **argv, struct error **err) {
  static const struct option opts[] = {
      {"format", required_argument, NULL, 'f'},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {0},
  };
  const char *format = "table";
  bool quiet = false;
  int c;
  while ((c = getopt_long_only(argc, argv, ":f:qh", opts, NULL)) != -1) {
    switch (c) {
    case 'f': format = optarg; break;
    case 'q': quiet = true; break;
    case 'h': puts("usage: contain list [-f table|json] [-q]"); return 0;
    default: return cli_bad_option("list", c, argv, err);
    }
  }
  if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
    return cli_usage_error("list", err, "invalid format option \"%s\": use table or json", format);
  if (cli_want_args("list", argc, argv, 0, "", err) < 0)
    return -1;
  oci_state **states = NULL;
  size_t n = 0;
  if (container_list(g->root, &states, &n, err) < 0)
    return -1;
  int r = 0;
  if (quiet)
    for (size_t i = 0; i < n; i++)
      puts(states[i]->id);
  else if (strcmp(format, "json") == 0)
    r = print_json(states, n, err);
  else
    print_table(states, n);
  for (size_t i = 0; i < n; i++)
    oci_state_free(states[i]);
  free(states);
  return r;
}
