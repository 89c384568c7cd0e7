/* debug.c — forwards --debug lines to the command layer's sink. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "debug.h"

static debug_sink debug_out, warning_out;

void debug_set_sink(debug_sink sink) { debug_out = sink; }
void warning_set_sink(debug_sink sink) { warning_out = sink; }

static void emit(debug_sink sink, const char *fmt, va_list ap) {
  char *line = NULL;
  if (vasprintf(&line, fmt, ap) >= 0)
    sink(line);
  free(line);
}

bool debug_enabled(void) { return debug_out != NULL; }

void debug(const char *fmt, ...) {
  if (debug_out == NULL)
    return;
  va_list ap;
  va_start(ap, fmt);
  emit(debug_out, fmt, ap);
  va_end(ap);
}

void warning(const char *fmt, ...) {
  if (warning_out == NULL)
    return;
  va_list ap;
  va_start(ap, fmt);
  emit(warning_out, fmt, ap);
  va_end(ap);
}
