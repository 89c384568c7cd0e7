/* safe-path.c — resolving and creating paths inside the container's root
 * (see safe-path.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "safe-path.h"
#include "util.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

#define MAX_SYMLINKS 40 /* the kernel's own limit (MAXSYMLINKS) */

static int have_openat2 = -1; /* unknown until the first call */

static char *xstrndup(const char *s, size_t n) {
  char *p = strndup(s, n);
  if (p == NULL)
    abort();
  return p;
}

void safe_path_disable_openat2(bool disable) { have_openat2 = disable ? 0 : -1; }

/* ---- lexical paths ---- */

char *path_clean(const char *path) {
  size_t len = strlen(path);
  char *out = xmalloc(len + 2);
  size_t o = 0;
  const char *p = path;
  while (*p) {
    while (*p == '/')
      p++;
    if (!*p)
      break;
    const char *end = strchrnul(p, '/');
    size_t n = (size_t)(end - p);
    if (n == 1 && p[0] == '.') {
      /* nothing */
    } else if (n == 2 && p[0] == '.' && p[1] == '.') {
      while (o > 0 && out[o - 1] != '/')
        o--;
      if (o > 0)
        o--; /* the slash before the component */
    } else {
      out[o++] = '/';
      memcpy(out + o, p, n);
      o += n;
    }
    p = end;
  }
  if (o == 0)
    out[o++] = '/';
  out[o] = '\0';
  return out;
}

/* "/a/b/c" -> "a/b/c"; "/" -> "." (what openat wants for the root itself). */
static const char *rel_of(const char *clean) { return clean[1] ? clean + 1 : "."; }

/* ---- the fallback walk, for kernels without openat2 ---- */

struct fdstack {
  int fd[PATH_MAX / 2];
  size_t n;
};

static void fdstack_clear(struct fdstack *s, size_t keep) {
  while (s->n > keep)
    close(s->fd[--s->n]);
}

/* Resolves clean (absolute) under root_fd one component at a time. Each component is
 * opened O_PATH | O_NOFOLLOW from its resolved parent; a symlink is read and its
 * target spliced in front of the rest (an absolute one restarts from the root), ".."
 * pops back to the parent but never above the root. Magic links (absolute symlinks
 * on procfs, like /proc/self/fd/N or /proc/self/exe) are refused with ELOOP, as
 * RESOLVE_NO_MAGICLINKS does. */
static int walk_in_root(int root_fd, const char *clean, int flags) {
  struct fdstack *st = xmalloc(sizeof *st);
  st->n = 0;
  int r = -1, links = 0;
  int top = fcntl(root_fd, F_DUPFD_CLOEXEC, 0);
  if (top < 0) {
    free(st);
    return -1;
  }
  st->fd[st->n++] = top;
  char *rest = xstrdup(clean);
  char *cur = rest;
  for (;;) {
    while (*cur == '/')
      cur++;
    if (!*cur) {
      /* the path ends on a directory already on the stack */
      int fd = st->fd[st->n - 1];
      if ((flags & O_PATH) != 0) {
        r = fcntl(fd, F_DUPFD_CLOEXEC, 0);
      } else {
        r = openat(fd, ".", (flags & ~O_NOFOLLOW) | O_CLOEXEC);
      }
      break;
    }
    char *end = strchrnul(cur, '/');
    bool last = true;
    for (const char *q = end; *q; q++)
      if (*q != '/') {
        last = false;
        break;
      }
    char saved = *end;
    *end = '\0';
    if (strcmp(cur, ".") == 0) {
      *end = saved;
      cur = end;
      continue;
    }
    if (strcmp(cur, "..") == 0) {
      if (st->n > 1)
        close(st->fd[--st->n]);
      *end = saved;
      cur = end;
      continue;
    }
    int parent = st->fd[st->n - 1];
    int fd = openat(parent, cur, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
      break;
    struct stat sb;
    if (fstat(fd, &sb) < 0) {
      close(fd);
      break;
    }
    if (S_ISLNK(sb.st_mode) && !(last && (flags & O_NOFOLLOW))) {
      char target[PATH_MAX + 1];
      ssize_t n = readlinkat(fd, "", target, PATH_MAX);
      struct statfs sf;
      int fs_ok = fstatfs(fd, &sf);
      close(fd);
      if (n < 0)
        break;
      target[n] = '\0';
      if (++links > MAX_SYMLINKS ||
          (fs_ok == 0 && sf.f_type == PROC_SUPER_MAGIC && target[0] == '/')) {
        errno = ELOOP;
        break;
      }
      if (target[0] == '/')
        fdstack_clear(st, 1);
      *end = saved;
      char *next = xasprintf("%s/%s", target, end);
      free(rest);
      rest = cur = next;
      continue;
    }
    *end = saved;
    if (!last) {
      if (!S_ISDIR(sb.st_mode)) {
        close(fd);
        errno = ENOTDIR;
        break;
      }
      if (st->n == sizeof st->fd / sizeof st->fd[0]) {
        close(fd);
        errno = ENAMETOOLONG;
        break;
      }
      st->fd[st->n++] = fd;
      cur = end;
      continue;
    }
    /* the final component */
    if ((flags & O_DIRECTORY) && !S_ISDIR(sb.st_mode)) {
      close(fd);
      errno = ENOTDIR;
      break;
    }
    if (flags & O_PATH) {
      r = fd;
      break;
    }
    /* A real open, from the same parent, refusing a symlink swapped in meanwhile. */
    *end = '\0';
    r = openat(parent, cur, flags | O_NOFOLLOW | O_CLOEXEC);
    *end = saved;
    close(fd);
    break;
  }
  int saved_errno = errno;
  free(rest);
  fdstack_clear(st, 0);
  free(st);
  errno = saved_errno;
  return r;
}

static int do_openat2(int root_fd, const char *rel, int flags) {
  struct open_how how = {
      .flags = (unsigned long long)(flags | O_CLOEXEC),
      .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
  };
  int fd;
  int tries = 0;
  do
    fd = (int)syscall(SYS_openat2, root_fd, rel, &how, sizeof how);
  while (fd < 0 && (errno == EAGAIN || errno == EINTR) && ++tries < 64);
  return fd;
}

int safe_open(int root_fd, const char *path, int flags) {
  autofree char *clean = path_clean(path);
  if (have_openat2 != 0) {
    int fd = do_openat2(root_fd, rel_of(clean), flags);
    if (fd >= 0 || errno != ENOSYS) {
      have_openat2 = 1;
      return fd;
    }
    have_openat2 = 0;
  }
  return walk_in_root(root_fd, clean, flags);
}

/* ---- creating ---- */

/* "/a/b/c" -> "/a/b" and "c" (both in one malloc'd copy). */
static void split_last(char *clean, char **dir, char **base) {
  char *slash = strrchr(clean, '/');
  *base = slash + 1;
  if (slash == clean) {
    *dir = "/";
  } else {
    *slash = '\0';
    *dir = clean;
  }
}

/* name in dirfd is a symlink that did not resolve: its target, spliced into where it
 * stands (dir) and followed by rest, as the new (clean) path to try. NULL if name is
 * not a symlink. */
static char *dangling_target(int dirfd, const char *dir, const char *name, const char *rest) {
  char target[PATH_MAX + 1];
  ssize_t n = readlinkat(dirfd, name, target, PATH_MAX);
  if (n < 0)
    return NULL;
  target[n] = '\0';
  autofree char *joined = target[0] == '/' ? xasprintf("%s/%s", target, rest)
                                           : xasprintf("%s/%s/%s", dir, target, rest);
  return path_clean(joined);
}

int safe_mkdir_all(int root_fd, const char *path, mode_t mode, struct error **err) {
  autofree char *clean = path_clean(path);
  for (int hops = 0;; hops++) {
    int fd = safe_open(root_fd, clean, O_PATH | O_DIRECTORY);
    if (fd >= 0)
      return fd;
    if (errno != ENOENT || hops > MAX_SYMLINKS) {
      if (hops > MAX_SYMLINKS)
        errno = ELOOP;
      return error_sys(err, "open directory \"%s\" in the container", clean);
    }
    /* Find the first component that does not resolve. */
    autoclose int parent = safe_open(root_fd, "/", O_PATH | O_DIRECTORY);
    if (parent < 0)
      return error_sys(err, "open the container's root");
    char *p = clean + 1; /* start of the component being looked at */
    for (;;) {
      char *end = strchrnul(p, '/');
      char saved = *end;
      *end = '\0';
      int next = safe_open(root_fd, clean, O_PATH | O_DIRECTORY);
      *end = saved;
      if (next < 0) {
        if (errno != ENOENT)
          return error_sys(err, "open directory \"%.*s\" in the container", (int)(end - clean),
                           clean);
        break;
      }
      close(parent);
      parent = next;
      if (!saved) { /* it appeared meanwhile */
        int r = parent;
        parent = -1;
        return r;
      }
      p = end + 1;
    }
    /* p is the first missing component, in parent. A dangling symlink there is
     * followed inside the root (its target is made). */
    char *end = strchrnul(p, '/');
    autofree char *name = xstrndup(p, (size_t)(end - p));
    autofree char *dir = p - 1 == clean ? xstrdup("/") : xstrndup(clean, (size_t)(p - 1 - clean));
    struct stat sb;
    if (fstatat(parent, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(sb.st_mode)) {
      char *retry = dangling_target(parent, dir, name, *end ? end + 1 : "");
      if (retry == NULL)
        return error_sys(err, "read the symlink \"%s/%s\" in the container", dir, name);
      free(clean);
      clean = retry;
      continue;
    }
    /* Make the rest, each new directory opened without following anything. */
    for (;;) {
      end = strchrnul(p, '/');
      char saved = *end;
      *end = '\0';
      if (mkdirat(parent, p, mode) < 0 && errno != EEXIST) {
        int e = errno;
        *end = saved;
        errno = e;
        return error_sys(err, "create directory \"%.*s\" in the container", (int)(end - clean),
                         clean);
      }
      int next = openat(parent, p, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (next < 0) {
        int e = errno;
        *end = saved;
        errno = e;
        return error_sys(err, "open the new directory \"%.*s\" in the container",
                         (int)(end - clean), clean);
      }
      *end = saved;
      close(parent);
      parent = next;
      if (!saved)
        break;
      p = end + 1;
    }
    int r = parent;
    parent = -1;
    return r;
  }
}

int safe_create_file(int root_fd, const char *path, mode_t mode, struct error **err) {
  autofree char *clean = path_clean(path);
  for (int hops = 0;; hops++) {
    int fd = safe_open(root_fd, clean, O_PATH);
    if (fd >= 0)
      return fd;
    if (errno != ENOENT || hops > MAX_SYMLINKS) {
      if (hops > MAX_SYMLINKS)
        errno = ELOOP;
      return error_sys(err, "open \"%s\" in the container", clean);
    }
    autofree char *copy = xstrdup(clean);
    char *dir, *base;
    split_last(copy, &dir, &base);
    autoclose int parent = safe_mkdir_all(root_fd, dir, 0755, err);
    if (parent < 0)
      return -1;
    int nfd = openat(parent, base, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, mode);
    if (nfd >= 0) {
      close(nfd);
      fd = openat(parent, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0)
        return error_sys(err, "open the new file \"%s\" in the container", clean);
      return fd;
    }
    if (errno != EEXIST)
      return error_sys(err, "create file \"%s\" in the container", clean);
    struct stat sb;
    if (fstatat(parent, base, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(sb.st_mode)) {
      char *retry = dangling_target(parent, dir, base, "");
      if (retry == NULL)
        return error_sys(err, "read the symlink \"%s\" in the container", clean);
      free(clean);
      clean = retry;
    }
    /* else: it appeared meanwhile; open it on the next round */
  }
}
