/* error.c — building and freeing struct error; printing is the command layer's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "util.h"

static int verror_set(struct error **err, enum error_kind kind, int errnum, const char *fmt,
                      va_list ap) {
  if (err == NULL)
    return -1;
  char *text = NULL;
  if (vasprintf(&text, fmt, ap) < 0)
    abort();
  if (errnum != 0) {
    char *full = xasprintf("%s: %s", text, strerror(errnum));
    free(text);
    text = full;
  }
  error_free(*err);
  struct error *e = xmalloc(sizeof *e);
  e->kind = kind;
  e->errnum = errnum;
  e->msg = text;
  *err = e;
  return -1;
}

int error_set(struct error **err, enum error_kind kind, int errnum, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  verror_set(err, kind, errnum, fmt, ap);
  va_end(ap);
  return -1;
}

static enum error_kind kind_of_errno(int e) {
  switch (e) {
  case ENOENT: return ERR_NOT_FOUND;
  case EPERM:
  case EACCES: return ERR_PERMISSION;
  default: return ERR_GENERIC;
  }
}

int error_sys(struct error **err, const char *fmt, ...) {
  int saved = errno;
  va_list ap;
  va_start(ap, fmt);
  verror_set(err, kind_of_errno(saved), saved, fmt, ap);
  va_end(ap);
  errno = saved;
  return -1;
}

int error_prefix(struct error **err, const char *fmt, ...) {
  if (err == NULL || *err == NULL)
    return -1;
  char *ctx = NULL;
  va_list ap;
  va_start(ap, fmt);
  if (vasprintf(&ctx, fmt, ap) < 0)
    abort();
  va_end(ap);
  char *full = xasprintf("%s: %s", ctx, (*err)->msg);
  free(ctx);
  free((*err)->msg);
  (*err)->msg = full;
  return -1;
}

void error_free(struct error *e) {
  if (e == NULL)
    return;
  free(e->msg);
  free(e);
}

void error_freep(struct error **e) {
  error_free(*e);
  *e = NULL;
}
