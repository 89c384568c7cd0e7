/* unit.h — the few checks the libocispec unit tests need.
 * Each test program counts its checks and ends with the line
 * "N passed, N failed"; it exits 1 when any check failed. */
#ifndef UNIT_H
#define UNIT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf */
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_passed, unit_failed;

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (cond) {                                                                                    \
      unit_passed++;                                                                               \
    } else {                                                                                       \
      unit_failed++;                                                                               \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                     \
    }                                                                                              \
  } while (0)

/* Compares two C strings; NULL equals only NULL. */
#define CHECK_STR(got, want)                                                                       \
  do {                                                                                             \
    const char *g_ = (got), *w_ = (want);                                                          \
    if ((g_ == NULL && w_ == NULL) || (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0)) {         \
      unit_passed++;                                                                               \
    } else {                                                                                       \
      unit_failed++;                                                                               \
      fprintf(stderr, "%s:%d: %s\n  got:  %s\n  want: %s\n", __FILE__, __LINE__, #got,             \
              g_ ? g_ : "(null)", w_ ? w_ : "(null)");                                             \
    }                                                                                              \
  } while (0)

static inline int unit_report(void) {
  printf("%d passed, %d failed\n", unit_passed, unit_failed);
  return unit_failed ? 1 : 0;
}

/* The fixture directory: UNIT_DATA_DIR from the build, else ./data. */
#ifndef UNIT_DATA_DIR
#define UNIT_DATA_DIR "data"
#endif

static inline char *unit_data(const char *name) {
  char *p;
  if (asprintf(&p, "%s/%s", UNIT_DATA_DIR, name) < 0)
    abort();
  return p;
}

#endif
