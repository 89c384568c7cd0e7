/* cmd/events.c — `contain events [--stats] [--interval DURATION] <container-id>`: runc's
 * JSON lines, {"type":"stats","id":ID,"data":{...}} every interval (default 5s) and
 * {"type":"oom","id":ID} when the kernel OOM-kills a process of the container, until the
 * container stops; with --stats one stats line, then exit. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgroup-cmds.h"
#include "control.h"
#include "debug.h"

/* A Go duration, as runc's --interval takes it: "5s", "500ms", "1m30s", "1.5h", "0".
 * Milliseconds in *ms (rounded up). */
static int parse_duration(const char *s, long *ms) {
  static const struct {
    const char *unit;
    double ms;
  } units[] = {{"ns", 1e-6}, {"us", 1e-3}, {"\xc2\xb5s", 1e-3}, {"\xce\xbcs", 1e-3},
               {"ms", 1},    {"s", 1e3},   {"m", 6e4},          {"h", 3.6e6}};
  if (strcmp(s, "0") == 0) {
    *ms = 0;
    return 0;
  }
  const char *p = s;
  bool neg = *p == '-';
  if (*p == '-' || *p == '+')
    p++;
  if (*p == '\0')
    return -1;
  double total = 0;
  while (*p) {
    char *end;
    if ((*p < '0' || *p > '9') && *p != '.')
      return -1;
    double v = strtod(p, &end);
    if (end == p)
      return -1;
    p = end;
    size_t best = 0, best_len = 0;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
      size_t n = strlen(units[i].unit);
      if (n > best_len && strncmp(p, units[i].unit, n) == 0) {
        best = i;
        best_len = n;
      }
    }
    if (best_len == 0)
      return -1; /* a number without a unit */
    total += v * units[best].ms;
    p += best_len;
  }
  if (neg)
    total = -total;
  if (!isfinite(total) || total > 1e12)
    return -1;
  *ms = total > 0 ? (long)ceil(total) : (long)floor(total);
  return 0;
}

static void emit(const char *json) {
  printf("%s\n", json);
  fflush(stdout);
}

static long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int cmd_events(struct global *g, int argc, char **argv, struct error **err) {
  enum { OPT_INTERVAL = 300, OPT_STATS };
  static const struct option opts[] = {
      {"interval", required_argument, NULL, OPT_INTERVAL},
      {"stats", no_argument, NULL, OPT_STATS},
      {"help", no_argument, NULL, 'h'},
      {0},
  };
  long interval = 5000;
  bool once = false;
  int c;
  while ((c = getopt_long_only(argc, argv, ":h", opts, NULL)) != -1) {
    switch (c) {
    case OPT_INTERVAL:
      if (parse_duration(optarg, &interval) < 0)
        return cli_usage_error("events", err,
                               "invalid value \"%s\" for --interval: a duration "
                               "such as 5s, 500ms or 1m",
                               optarg);
      break;
    case OPT_STATS: once = true; break;
    case 'h':
      puts("usage: contain events [--stats] [--interval DURATION] <container-id>\n\n"
           "Prints the container's resource usage every interval (default 5s) and its OOM\n"
           "kills as they happen, as JSON lines, until the container stops.\n\n"
           "  --interval DURATION  time between two stats lines (5s, 500ms, 1m...)\n"
           "  --stats              print the stats once and exit");
      return 0;
    default: return cli_bad_option("events", c, argv, err);
    }
  }
  if (cli_want_args("events", argc, argv, 1, "the container id", err) < 0)
    return -1;
  if (interval <= 0)
    return error_set(err, ERR_USAGE, 0, "duration interval must be greater than 0");
  const char *id = argv[optind];
  char *json = NULL;
  if (once) {
    if (container_stats(g->root, id, &json, err) < 0)
      return -1;
    emit(json);
    free(json);
    return 0;
  }
  struct container_events *ev = NULL;
  if (container_events_open(g->root, id, &ev, err) < 0)
    return -1;
  int rc = 0;
  long next = now_ms() + interval; /* as runc: the first stats after one interval */
  for (;;) {
    enum container_event what;
    long left = next - now_ms();
    if (container_events_wait(ev, left > 0 ? left : 0, &what, &json, err) < 0) {
      rc = -1;
      break;
    }
    if (what == CONTAINER_EVENT_EXIT)
      break;
    if (what == CONTAINER_EVENT_OOM) {
      emit(json);
      free(json);
      continue;
    }
    next += interval;
    if (next < now_ms())
      next = now_ms() + interval; /* a stats read took longer than the interval */
    struct error *e = NULL;
    if (container_events_stats(ev, &json, &e) == 0) {
      emit(json);
      free(json);
    } else {
      warning("%s", e->msg); /* as runc: logged, and the stream goes on */
      error_free(e);
    }
  }
  container_events_close(ev);
  return rc;
}
