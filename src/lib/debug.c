/* debug.c — forwards --debug lines to the command layer's sink. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "debug.h"

static debug_sink current;

void debug_set_sink(debug_sink sink) { current = sink; }

void debug(const char *fmt, ...) {
  if (current == NULL)
    return;
  char *line = NULL;
  va_list ap;
  va_start(ap, fmt);
  int r = vasprintf(&line, fmt, ap);
  va_end(ap);
  if (r >= 0)
    current(line);
  free(line);
}
