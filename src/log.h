/* log.h — where errors and --debug lines go: --log FILE (default stderr) in
 * --log-format text or json, the JSON lines being runc's
 * {"level":"error","msg":"...","time":"..."} that engines read back. */
#ifndef CONTAIN_LOG_H
#define CONTAIN_LOG_H

#include <stdbool.h>

#include "error.h"

int log_open(const char *path, const char *format, struct error **err);
void log_enable_debug(void);
/* Prints an error once: to the log and, as plain text, to stderr. */
void log_error(const struct error *e);

#endif
