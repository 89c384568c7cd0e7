/* util.h — memory that aborts on exhaustion, cleanup attributes, small file helpers.
 * Out-of-memory is not an error contain reports: it aborts. */
#ifndef CONTAIN_UTIL_H
#define CONTAIN_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void freep(void *p);  /* takes a pointer to a pointer */
void closep(int *fd); /* closes when >= 0 */
#define autofree __attribute__((cleanup(freep)))
#define autoclose __attribute__((cleanup(closep)))

/* Whole-file helpers. read_file: NUL-terminated, *len optional. */
int read_file(const char *path, char **out, size_t *len, struct error **err);
int read_file_at(int dirfd, const char *path, char **out, size_t *len, struct error **err);
/* Writes data to an existing file (no O_CREAT), as for /proc and cgroupfs. */
int write_file(const char *path, const char *data, size_t len, struct error **err);
int write_file_at(int dirfd, const char *path, const char *data, size_t len, struct error **err);

/* write(2)/read(2) that retry on EINTR and short counts. Return 0 or -1 with errno. */
int write_all(int fd, const void *buf, size_t len);

/* --pid-file: written whole under a temporary name and renamed; NULL path: nothing. */
int write_pid_file(const char *path, pid_t pid, struct error **err);

#endif
