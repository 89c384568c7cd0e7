/* error.h — the one error type of contain.
 *
 * A function that can fail returns a negative int (or NULL) and fills *err with
 * a kind, the errno at the failure site (0 when none) and a one-line message
 * that says what failed and where. Callers propagate it unchanged or prepend
 * context with error_prefix(). Only the command layer (src/cmd) prints it. */
#ifndef CONTAIN_ERROR_H
#define CONTAIN_ERROR_H

#include <stdarg.h>

enum error_kind {
  ERR_GENERIC = 0,
  ERR_NOT_FOUND,        /* "container does not exist", missing file */
  ERR_EXISTS,           /* duplicate id */
  ERR_INVALID_CONFIG,   /* config.json / process.json / arguments */
  ERR_INVALID_STATE,    /* lifecycle transition not allowed */
  ERR_NOT_RUNNING,      /* "container not running" */
  ERR_HOST_UNSUPPORTED, /* the host cannot do what was asked */
  ERR_PERMISSION,
  ERR_USAGE, /* bad command line */
};

struct error {
  enum error_kind kind;
  int errnum;
  char *msg; /* includes strerror(errnum) when errnum != 0 */
};

/* Each returns -1 so that `return error_set(err, ...)` reads naturally.
 * err may be NULL (the error is then dropped). An existing *err is replaced. */
int error_set(struct error **err, enum error_kind kind, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* kind ERR_GENERIC (ERR_NOT_FOUND for ENOENT, ERR_PERMISSION for EPERM/EACCES), errno taken now. */
int error_sys(struct error **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "context: previous message"; returns -1. */
int error_prefix(struct error **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void error_free(struct error *e);
void error_freep(struct error **e);
#define autoerror __attribute__((cleanup(error_freep)))

#endif
