/* debug.h — the --debug narrative, and warnings. libcontain never prints: it hands each step's
 * line to the sink the command layer installed (none by default). */
#ifndef CONTAIN_DEBUG_H
#define CONTAIN_DEBUG_H

#include <stdbool.h>

typedef void (*debug_sink)(const char *line);

void debug_set_sink(debug_sink sink);
void debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* For lines that cost something to build. */
bool debug_enabled(void);
/* For what goes on despite a failure (a poststart hook, a poststop hook): the
 * command layer logs it as a warning. */
void warning_set_sink(debug_sink sink);
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
