/* mountinfo.c — parsing /proc/self/mountinfo (see mountinfo.h). */
#include <stdlib.h>
#include <string.h>

#include "mountinfo.h"
#include "util.h"

/* Decodes \ooo escapes in place. */
static void unescape(char *s) {
  char *o = s;
  for (char *p = s; *p; p++) {
    if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' && p[3] >= '0' &&
        p[3] <= '7') {
      *o++ = (char)(((p[1] - '0') << 6) | ((p[2] - '0') << 3) | (p[3] - '0'));
      p += 3;
    } else {
      *o++ = *p;
    }
  }
  *o = '\0';
}

/* Next space-separated field of *line, NUL-terminated in place; NULL at the end. */
static char *field(char **line) {
  char *p = *line;
  while (*p == ' ')
    p++;
  if (!*p)
    return NULL;
  char *start = p;
  while (*p && *p != ' ')
    p++;
  if (*p)
    *p++ = '\0';
  *line = p;
  return start;
}

static int parse_line(char *line, struct mountinfo_entry *e) {
  char *id = field(&line), *parent = field(&line), *dev = field(&line);
  e->root = field(&line);
  e->mountpoint = field(&line);
  e->options = field(&line);
  if (!id || !parent || !dev || !e->options)
    return -1;
  /* optional fields up to "-", joined back with the single spaces they had */
  char *opt_start = NULL;
  for (;;) {
    char *f = field(&line);
    if (f == NULL)
      return -1;
    if (strcmp(f, "-") == 0)
      break;
    if (opt_start == NULL)
      opt_start = f;
    else
      f[-1] = ' ';
  }
  e->optional = opt_start ? opt_start : "";
  e->fstype = field(&line);
  e->source = field(&line);
  e->super_options = field(&line);
  if (!e->fstype || !e->source)
    return -1;
  if (!e->super_options)
    e->super_options = "";
  char *end;
  e->id = (int)strtol(id, &end, 10);
  if (*end)
    return -1;
  e->parent = (int)strtol(parent, &end, 10);
  if (*end)
    return -1;
  unescape(e->root);
  unescape(e->mountpoint);
  unescape(e->source);
  return 0;
}

int mountinfo_parse(char *text, struct mountinfo *out, struct error **err) {
  memset(out, 0, sizeof *out);
  out->text = text;
  size_t cap = 0;
  size_t lineno = 0;
  for (char *line = text; line && *line;) {
    char *nl = strchr(line, '\n');
    if (nl)
      *nl = '\0';
    lineno++;
    if (*line) {
      if (out->n == cap) {
        cap = cap ? cap * 2 : 64;
        out->e = xrealloc(out->e, cap * sizeof *out->e);
      }
      if (parse_line(line, &out->e[out->n]) < 0) {
        mountinfo_free(out);
        return error_set(err, ERR_GENERIC, 0, "mountinfo: line %zu is not in the format of proc(5)",
                         lineno);
      }
      out->n++;
    }
    line = nl ? nl + 1 : NULL;
  }
  return 0;
}

int mountinfo_read(int proc_fd, struct mountinfo *out, struct error **err) {
  char *text = NULL;
  if (read_file_at(proc_fd, "self/mountinfo", &text, NULL, err) < 0)
    return -1;
  return mountinfo_parse(text, out, err);
}

void mountinfo_free(struct mountinfo *mi) {
  free(mi->e);
  free(mi->text);
  memset(mi, 0, sizeof *mi);
}

bool mountinfo_has_option(const char *list, const char *opt) {
  size_t n = strlen(opt);
  for (const char *p = list; p && *p;) {
    const char *end = strchrnul(p, ',');
    if ((size_t)(end - p) == n && strncmp(p, opt, n) == 0)
      return true;
    p = *end ? end + 1 : end;
  }
  return false;
}
