/* log.c — the error and debug sinks of the command layer (see log.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

#include "debug.h"
#include "log.h"
#include "util.h"

static int log_fd = STDERR_FILENO;
static bool log_to_file;
static bool log_json;

static void write_line(const char *level, const char *msg);
static void warning_line(const char *line) { write_line("warning", line); }

int log_open(const char *path, const char *format, struct error **err) {
  if (format != NULL) {
    if (strcmp(format, "json") == 0)
      log_json = true;
    else if (strcmp(format, "text") != 0)
      return error_set(err, ERR_USAGE, 0, "--log-format: unknown format \"%s\" (text or json)",
                       format);
  }
  if (path != NULL && path[0] != '\0') {
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
      return error_sys(err, "--log: open %s", path);
    log_fd = fd;
    log_to_file = true;
  }
  warning_set_sink(warning_line);
  return 0;
}

static void now_rfc3339(char *buf, size_t len) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Text lines quote msg as logrus does: backslash and double quote escaped. */
static char *quote_text(const char *s) {
  size_t n = strlen(s);
  char *out = xmalloc(2 * n + 3), *o = out;
  *o++ = '"';
  for (; *s; s++) {
    if (*s == '"' || *s == '\\')
      *o++ = '\\';
    *o++ = *s == '\n' ? ' ' : *s;
  }
  *o++ = '"';
  *o = '\0';
  return out;
}

static void write_line(const char *level, const char *msg) {
  char ts[64];
  now_rfc3339(ts, sizeof ts);
  char *line;
  if (log_json) {
    yajl_gen g = yajl_gen_alloc(NULL);
    yajl_gen_map_open(g);
    const char *kv[] = {"level", level, "msg", msg, "time", ts};
    for (size_t i = 0; i < 6; i++)
      yajl_gen_string(g, (const unsigned char *)kv[i], strlen(kv[i]));
    yajl_gen_map_close(g);
    const unsigned char *buf;
    size_t len;
    yajl_gen_get_buf(g, &buf, &len);
    line = xasprintf("%.*s\n", (int)len, (const char *)buf);
    yajl_gen_free(g);
  } else {
    autofree char *q = quote_text(msg);
    line = xasprintf("time=\"%s\" level=%s msg=%s\n", ts, level, q);
  }
  (void)write_all(log_fd, line, strlen(line));
  free(line);
}

static void debug_line(const char *line) { write_line("debug", line); }

void log_enable_debug(void) { debug_set_sink(debug_line); }

void log_error(const struct error *e) {
  if (log_to_file || log_json)
    write_line("error", e->msg);
  if (log_to_file || !log_json) {
    autofree char *line = xasprintf("contain: %s\n", e->msg);
    (void)write_all(STDERR_FILENO, line, strlen(line));
  }
}
