/* util.c — allocation that aborts, cleanup helpers, whole-file I/O. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static void *oom(void) {
  static const char msg[] = "contain: out of memory\n";
  (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
  abort();
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  return p ? p : oom();
}

void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  return p ? p : oom();
}

void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  return q ? q : oom();
}

char *xstrdup(const char *s) {
  char *p = strdup(s);
  return p ? p : oom();
}

char *xasprintf(const char *fmt, ...) {
  char *s = NULL;
  va_list ap;
  va_start(ap, fmt);
  int r = vasprintf(&s, fmt, ap);
  va_end(ap);
  return r < 0 ? oom() : s;
}

void freep(void *p) { free(*(void **)p); }

void closep(int *fd) {
  if (*fd >= 0) {
    int saved = errno;
    close(*fd);
    errno = saved;
    *fd = -1;
  }
}

int write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

int read_file_at(int dirfd, const char *path, char **out, size_t *len, struct error **err) {
  autoclose int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return error_sys(err, "open %s", path);
  size_t cap = 4096, used = 0;
  char *buf = xmalloc(cap);
  for (;;) {
    if (used + 1 >= cap) {
      cap *= 2;
      buf = xrealloc(buf, cap);
    }
    ssize_t n = read(fd, buf + used, cap - used - 1);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      free(buf);
      return error_sys(err, "read %s", path);
    }
    if (n == 0)
      break;
    used += (size_t)n;
  }
  buf[used] = '\0';
  *out = buf;
  if (len)
    *len = used;
  return 0;
}

int read_file(const char *path, char **out, size_t *len, struct error **err) {
  return read_file_at(AT_FDCWD, path, out, len, err);
}

int write_file_at(int dirfd, const char *path, const char *data, size_t len, struct error **err) {
  autoclose int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return error_sys(err, "open %s", path);
  if (write_all(fd, data, len) < 0)
    return error_sys(err, "write %s", path);
  return 0;
}

int write_file(const char *path, const char *data, size_t len, struct error **err) {
  return write_file_at(AT_FDCWD, path, data, len, err);
}

int write_pid_file(const char *path, pid_t pid, struct error **err) {
  if (path == NULL)
    return 0;
  /* Written whole under a temporary name and renamed, so a reader never sees half. */
  autofree char *tmp = xasprintf("%s.tmp-contain", path);
  autoclose int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return error_sys(err, "--pid-file: create %s", tmp);
  char buf[32];
  int n = snprintf(buf, sizeof buf, "%d", (int)pid);
  if (write_all(fd, buf, (size_t)n) < 0 || rename(tmp, path) < 0) {
    error_sys(err, "--pid-file: write %s", path);
    unlink(tmp);
    return -1;
  }
  return 0;
}
