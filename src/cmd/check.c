/* cmd/check.c — `contain check [-b BUNDLE] [--format text|json] [--fix-cgroups]`:
 * the report of src/lib/check.c, as a table or as JSON. */
#include <stdio.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "cmd/check.h"
#include "lib/check.h" /* not "check.h": that is cmd/check.h, next to this file */

static const char help[] =
    "usage: contain check [-b BUNDLE] [-f text|json] [--fix-cgroups]\n\n"
    "Reports what this host offers a container, one line per item (ok, warn, missing) with\n"
    "the reason and a fix: cgroups (mode, the caller's cgroups, controllers, delegation,\n"
    "writability), whether this is a container, systemd, namespaces, seccomp, capabilities,\n"
    "no_new_privs, LSMs, the mount API, idmapped mounts, clone3, pidfds, overlayfs.\n\n"
    "  -b, --bundle DIR   also check the bundle's config.json field by field: exit status 1\n"
    "                     when something it asks for cannot be honoured here\n"
    "  -f, --format FMT   text (the default) or json\n"
    "      --fix-cgroups  at the root of a container's cgroup namespace (cgroup v2), move its\n"
    "                     processes into a leaf (init) and enable the controllers for the\n"
    "                     cgroups beneath, printing each step; refused anywhere else\n";

enum { OPT_FIX = 500 };

static void print_step(const char *line, void *ctx) {
  (void)ctx;
  printf("+ %s\n", line);
  fflush(stdout);
}

static void print_text(const struct check_report *r) {
  size_t w = 4;
  for (size_t i = 0; i < r->n; i++)
    if (strlen(r->items[i].name) > w)
      w = strlen(r->items[i].name);
  if (w > 36)
    w = 36;
  const char *section = NULL;
  size_t count[3] = {0};
  for (size_t i = 0; i < r->n; i++) {
    const struct check_item *it = &r->items[i];
    if (section == NULL || strcmp(section, it->section) != 0) {
      section = it->section;
      if (strcmp(section, "bundle") == 0)
        printf("%sbundle %s\n", i ? "\n" : "", r->bundle ? r->bundle : "");
      else
        printf("%s%s\n", i ? "\n" : "", section);
    }
    count[it->status]++;
    printf("  %-7s  %-*s  %s\n", check_status_name(it->status), (int)w, it->name, it->detail);
    if (it->fix)
      printf("  %-7s  %-*s  fix: %s\n", "", (int)w, "", it->fix);
  }
  printf("\n%zu ok, %zu warn, %zu missing\n", count[CHECK_OK], count[CHECK_WARN],
         count[CHECK_MISSING]);
  if (r->bundle)
    printf("bundle %s: %s\n", r->bundle,
           r->runnable ? "can run here" : "cannot run here (see the missing items)");
}

static void gen_str(yajl_gen g, const char *s) {
  yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static int print_json(const struct check_report *r, struct error **err) {
  yajl_gen g = yajl_gen_alloc(NULL);
  yajl_gen_config(g, yajl_gen_beautify, 1);
  yajl_gen_config(g, yajl_gen_indent_string, "  ");
  yajl_gen_map_open(g);
  gen_str(g, "items");
  yajl_gen_array_open(g);
  size_t count[3] = {0};
  for (size_t i = 0; i < r->n; i++) {
    const struct check_item *it = &r->items[i];
    count[it->status]++;
    yajl_gen_map_open(g);
    gen_str(g, "section");
    gen_str(g, it->section);
    gen_str(g, "name");
    gen_str(g, it->name);
    gen_str(g, "status");
    gen_str(g, check_status_name(it->status));
    gen_str(g, "detail");
    gen_str(g, it->detail);
    gen_str(g, "fix");
    if (it->fix)
      gen_str(g, it->fix);
    else
      yajl_gen_null(g);
    yajl_gen_map_close(g);
  }
  yajl_gen_array_close(g);
  gen_str(g, "summary");
  yajl_gen_map_open(g);
  static const char *const names[] = {"ok", "warn", "missing"};
  for (int s = 0; s < 3; s++) {
    gen_str(g, names[s]);
    yajl_gen_integer(g, (long long)count[s]);
  }
  yajl_gen_map_close(g);
  if (r->bundle) {
    gen_str(g, "bundle");
    gen_str(g, r->bundle);
    gen_str(g, "runnable");
    yajl_gen_bool(g, r->runnable);
  }
  yajl_gen_map_close(g);
  const unsigned char *buf;
  size_t len;
  int rc = 0;
  if (yajl_gen_get_buf(g, &buf, &len) != yajl_gen_status_ok) {
    rc = error_set(err, ERR_GENERIC, 0, "check: cannot make the JSON report");
  } else {
    fwrite(buf, 1, len, stdout);
    if (len == 0 || buf[len - 1] != '\n')
      putchar('\n');
  }
  yajl_gen_free(g);
  return rc;
}

int cmd_check(struct global *g, int argc, char **argv, struct error **err) {
  static const struct option opts[] = {
      {"bundle", required_argument, NULL, 'b'},
      {"format", required_argument, NULL, 'f'},
      {"fix-cgroups", no_argument, NULL, OPT_FIX},
      {"help", no_argument, NULL, 'h'},
      {0},
  };
  const char *bundle = NULL, *format = "text";
  bool fix = false;
  int c;
  while ((c = getopt_long(argc, argv, ":b:f:h", opts, NULL)) != -1) {
    switch (c) {
    case 'b': bundle = optarg; break;
    case 'f': format = optarg; break;
    case OPT_FIX: fix = true; break;
    case 'h': fputs(help, stdout); return 0;
    default: return cli_bad_option("check", c, argv, err);
    }
  }
  if (cli_want_args("check", argc, argv, 0, "", err) < 0)
    return -1;
  if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
    return cli_usage_error("check", err, "--format: expected text or json, found \"%s\"", format);
  if (fix) {
    if (bundle)
      return cli_usage_error("check", err, "--fix-cgroups takes no bundle");
    return check_fix_cgroups(print_step, NULL, err) < 0 ? -1 : 0;
  }
  struct check_report r = {0};
  check_host(&r);
  if (bundle)
    check_bundle(&r, bundle, g->systemd_cgroup);
  int rc = 0;
  if (strcmp(format, "json") == 0)
    rc = print_json(&r, err);
  else
    print_text(&r);
  bool runnable = r.bundle == NULL || r.runnable;
  check_report_free(&r);
  if (rc < 0)
    return -1;
  return runnable ? 0 : 1;
}
