/* cgroup.c — the container's cgroup: the driver chosen once from the host's layout,
 * cgroupsPath resolved per hierarchy, the safety checks, making and removing the
 * directories, and the file access every driver uses.
 *
 * Safety, in this order, before anything is written:
 *  - the systemd form of cgroupsPath (and --systemd-cgroup) is refused: no driver yet;
 *  - the driver's check() refuses values and fields this host cannot apply;
 *  - a cgroup that holds this process (its own or an ancestor) never gets limits;
 *  - a cgroup that already exists and holds processes is refused ("not empty"), and so is
 *    one that is frozen.
 * A failed create removes every directory it made, and only those. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include <linux/magic.h>

#include "cgroup-internal.h"
#include "debug.h"
#include "util.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

/* ---- messages ---------------------------------------------------------------------------- */

int cg_hint(struct error **err, const char *fmt, ...) {
  if (err == NULL || *err == NULL)
    return -1;
  char *hint = NULL;
  va_list ap;
  va_start(ap, fmt);
  if (vasprintf(&hint, fmt, ap) < 0)
    abort();
  va_end(ap);
  char *full = xasprintf("%s; %s", (*err)->msg, hint);
  free(hint);
  free((*err)->msg);
  (*err)->msg = full;
  return -1;
}

/* The well-known reasons a cgroup file refuses a value: the file (exact, or a prefix
 * when it ends in '*') and errno (0: any) -> what to do about it. */
static const struct {
  const char *file;
  int errnum;
  const char *hint;
} hints[] = {
    {"memory.memsw.limit_in_bytes", ENOENT,
     "this kernel has no swap accounting: boot it with swapaccount=1 (CONFIG_MEMCG_SWAP), "
     "or remove linux.resources.memory.swap"},
    {"memory.swap.max", ENOENT,
     "this kernel has no swap accounting (CONFIG_MEMCG_SWAP, swapaccount=1), "
     "or remove linux.resources.memory.swap"},
    {"memory.memsw.limit_in_bytes", EBUSY, "the cgroup already uses more memory+swap than that"},
    {"memory.kmem.*", ENOENT, "this kernel has no kernel memory limits; remove the field"},
    {"memory.kmem.*", EOPNOTSUPP, "this kernel has no kernel memory limits; remove the field"},
    {"memory.oom_control", ENOENT, "this kernel cannot disable the OOM killer of a cgroup"},
    {"cpu.cfs_*", ENOENT, "this kernel lacks CFS bandwidth control (CONFIG_CFS_BANDWIDTH)"},
    {"cpu.cfs_burst_us", ENOENT, "CPU burst needs Linux 5.14 or later"},
    {"cpu.max.burst", ENOENT, "CPU burst needs Linux 5.14 or later"},
    {"cpu.idle", ENOENT, "cpu.idle needs Linux 5.15 or later"},
    {"cpu.rt_*", ENOENT, "this kernel lacks realtime group scheduling (CONFIG_RT_GROUP_SCHED)"},
    {"cpu.rt_runtime_us", EINVAL,
     "the runtime must not exceed the period nor what the parent cgroup has left"},
    {"cpu.rt_runtime_us", EBUSY,
     "the runtime must not exceed the period nor what the parent cgroup has left"},
    {"cpuset.cpus", EINVAL, "the CPUs must exist and lie within the parent cgroup's cpuset.cpus"},
    {"cpuset.cpus", ERANGE, "the CPUs must exist and lie within the parent cgroup's cpuset.cpus"},
    {"cpuset.mems", EINVAL,
     "the memory nodes must exist and lie within the parent cgroup's cpuset.mems"},
    {"cpuset.mems", ERANGE,
     "the memory nodes must exist and lie within the parent cgroup's cpuset.mems"},
    {"blkio.leaf_weight*", ENOENT,
     "leaf weights existed only with the CFQ I/O scheduler (removed in Linux 5.0)"},
    {"blkio.weight*", ENOENT,
     "no proportional I/O scheduler: use bfq (echo bfq > /sys/block/DEV/queue/scheduler)"},
    {"blkio.throttle.*", ENOENT, "this kernel lacks I/O throttling (CONFIG_BLK_DEV_THROTTLING)"},
    {"blkio.bfq.*", EOPNOTSUPP,
     "the device's I/O scheduler is not bfq (see /sys/block/DEV/queue/scheduler)"},
    {"io.bfq.*", EOPNOTSUPP,
     "the device's I/O scheduler is not bfq (see /sys/block/DEV/queue/scheduler)"},
    {"blkio.*", ENODEV, "no block device has that major:minor"},
    {"io.*", ENODEV, "no block device has that major:minor"},
    {"io.max", ENOENT, "this kernel lacks I/O throttling (CONFIG_BLK_DEV_THROTTLING)"},
    {"hugetlb.*", ENOENT,
     "this host has no huge pages of that size (see /sys/kernel/mm/hugepages)"},
    {"devices.allow", EPERM, "the parent cgroup does not allow that device"},
    {"cgroup.procs", ENOSPC, "the cgroup's cpuset.cpus or cpuset.mems is empty"},
    {"cgroup.procs", EBUSY,
     "cgroup v2 \"no internal processes\" rule: this cgroup has controllers enabled in its "
     "cgroup.subtree_control, so it cannot hold processes"},
    {"cgroup.procs", EOPNOTSUPP, "the cgroup is a threaded or invalid domain"},
    {"cgroup.subtree_control", EBUSY,
     "cgroup v2 \"no internal processes\" rule: this cgroup holds processes, so it cannot enable "
     "controllers for its children; move them into a leaf cgroup first"},
    {"cgroup.subtree_control", ENOENT,
     "the controller is not offered there (see that cgroup's cgroup.controllers)"},
    {"*", EROFS,
     "the cgroup filesystem is read-only here (inside a container? give contain a writable "
     "/sys/fs/cgroup)"},
    {"*", EACCES, "changing cgroups needs root, or a cgroup delegated to this user"},
    {"*", EPERM, "changing cgroups needs root, or a cgroup delegated to this user"},
};

static const char *hint_for(const char *file, int errnum) {
  for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++) {
    const char *pat = hints[i].file;
    size_t n = strlen(pat);
    bool match = pat[n - 1] == '*' ? strncmp(file, pat, n - 1) == 0 : strcmp(file, pat) == 0;
    if (match && (hints[i].errnum == 0 || hints[i].errnum == errnum))
      return hints[i].hint;
  }
  return NULL;
}

static enum error_kind kind_for(int errnum) {
  switch (errnum) {
  case ENOENT:
  case EOPNOTSUPP:
  case ENODEV: return ERR_HOST_UNSUPPORTED;
  case EINVAL:
  case ERANGE: return ERR_INVALID_CONFIG;
  case EPERM:
  case EACCES:
  case EROFS: return ERR_PERMISSION;
  default: return ERR_GENERIC;
  }
}

static int file_error(struct error **err, int errnum, const char *field, const char *what,
                      const char *dir, const char *file) {
  error_set(err, kind_for(errnum), errnum, "%s%s%s %s/%s", field ? field : "", field ? ": " : "",
            what, dir, file);
  const char *h = hint_for(file, errnum);
  if (h != NULL)
    cg_hint(err, "%s", h);
  return -1;
}

/* ---- file access ------------------------------------------------------------------------- */

static int write_one(const char *dir, const char *file, const char *value, size_t len,
                     const char *field, struct error **err) {
  char *path = cg_join(dir, file);
  debug("cgroup: write %s: %.*s", path, (int)(len && value[len - 1] == '\n' ? len - 1 : len),
        value);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  free(path);
  int rc = 0;
  if (fd < 0 || write_all(fd, value, len) < 0) {
    int e = errno;
    char *what = len <= 64 && memchr(value, '\n', len) == NULL
                     ? xasprintf("cannot write \"%.*s\" to", (int)len, value)
                     : xstrdup("cannot write to");
    rc = file_error(err, e, field, what, dir, file);
    free(what);
  }
  if (fd >= 0)
    close(fd);
  return rc;
}

int cg_write(const char *dir, const char *file, const char *value, const char *field,
             struct error **err) {
  return write_one(dir, file, value, strlen(value), field, err);
}

int cg_writef(const char *dir, const char *file, const char *field, struct error **err,
              const char *fmt, ...) {
  char *value = NULL;
  va_list ap;
  va_start(ap, fmt);
  if (vasprintf(&value, fmt, ap) < 0)
    abort();
  va_end(ap);
  int rc = cg_write(dir, file, value, field, err);
  free(value);
  return rc;
}

int cg_write_lines(const char *dir, const char *file, const char *value, const char *field,
                   struct error **err) {
  bool any = false;
  for (const char *p = value; *p;) {
    const char *end = strchrnul(p, '\n');
    if (end > p) {
      if (write_one(dir, file, p, (size_t)(end - p), field, err) < 0)
        return -1;
      any = true;
    }
    p = *end ? end + 1 : end;
  }
  /* An empty value is written as such: some files take it (cpuset.cpus ""...). */
  return any ? 0 : write_one(dir, file, "", 0, field, err);
}

int cg_read(const char *dir, const char *file, char **out, struct error **err) {
  char *path = cg_join(dir, file);
  struct error *e = NULL;
  int rc = read_file(path, out, NULL, &e);
  free(path);
  if (rc < 0) {
    int errnum = e ? e->errnum : 0;
    error_free(e);
    return file_error(err, errnum, NULL, "cannot read", dir, file);
  }
  size_t n = strlen(*out);
  while (n > 0 && ((*out)[n - 1] == '\n' || (*out)[n - 1] == ' '))
    (*out)[--n] = '\0';
  return 0;
}

int cg_read_u64(const char *dir, const char *file, uint64_t *out, struct error **err) {
  char *s = NULL;
  if (cg_read(dir, file, &s, err) < 0)
    return -1;
  char *end = NULL;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (strcmp(s, "max") == 0) {
    v = UINT64_MAX;
  } else if (errno != 0 || end == s || *end != '\0') {
    error_set(err, ERR_GENERIC, 0, "%s/%s: expected a number, found \"%s\"", dir, file, s);
    free(s);
    return -1;
  }
  free(s);
  *out = v;
  return 0;
}

bool cg_file_exists(const char *dir, const char *file) {
  char *path = cg_join(dir, file);
  bool ok = access(path, F_OK) == 0;
  free(path);
  return ok;
}

bool cg_host_has_swap(void) {
  char *text = NULL;
  if (read_file("/proc/swaps", &text, NULL, NULL) < 0)
    return true; /* unknown: assume the worst */
  /* A header line, then one line per swap area. */
  char *nl = strchr(text, '\n');
  bool any = nl != NULL && nl[1] != '\0';
  free(text);
  return any;
}

/* ---- hierarchies ------------------------------------------------------------------------- */

const struct cg_hier *cg_find(const struct cgroup *cg, const char *controller) {
  for (size_t i = 0; i < cg->n; i++) {
    const struct cg_hier *h = &cg->h[i];
    if (controller[0] == '\0' ? h->key[0] == '\0'
                              : (strcmp(h->key, controller) == 0 || cg_key_has(h->key, controller)))
      return h;
  }
  return NULL;
}

int cg_enter_all(struct cgroup *cg, pid_t pid, struct error **err) {
  for (size_t i = 0; i < cg->n; i++)
    if (cg_writef(cg->h[i].path, "cgroup.procs", NULL, err, "%d", (int)pid) < 0)
      return error_prefix(err, "cannot move process %d into the container's cgroup", (int)pid);
  return 0;
}

static const struct cgroup_ops *ops_for(enum cgroup_mode mode) {
  static const struct cgroup_ops *const table[] = {
      [CGROUP_MODE_LEGACY] = &cg_v1_ops,
      [CGROUP_MODE_HYBRID] = &cg_hybrid_ops,
      [CGROUP_MODE_UNIFIED] = &cg_v2_ops,
  };
  if ((unsigned)mode >= sizeof table / sizeof table[0])
    return NULL;
  return table[mode];
}

static struct cgroup *cg_new(const struct cgroup_ops *ops) {
  struct cgroup *cg = xcalloc(1, sizeof *cg);
  cg->ops = ops;
  cg->dirfd = -1;
  return cg;
}

/* The driver for this host, with its hierarchies found. */
static int cg_open(struct cgroup **out, struct error **err) {
  enum cgroup_mode mode = host_cgroup_mode();
  const struct cgroup_ops *ops = ops_for(mode);
  if (ops == NULL)
    return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                     "no cgroup filesystem is mounted at /sys/fs/cgroup: mount cgroup2 there "
                     "(mount -t cgroup2 none /sys/fs/cgroup)");
  char *proc = NULL, *mi = NULL;
  if (read_file("/proc/self/cgroup", &proc, NULL, err) < 0)
    return -1;
  if (read_file("/proc/self/mountinfo", &mi, NULL, err) < 0) {
    free(proc);
    return -1;
  }
  struct cgroup *cg = cg_new(ops);
  int rc = cg_parse_hierarchies(mode, proc, mi, &cg->h, &cg->n, err);
  free(proc);
  free(mi);
  if (rc < 0) {
    cgroup_free(cg);
    return -1;
  }
  *out = cg;
  return 0;
}

static bool has_resources(const oci_linux_resources *r) {
  return r != NULL &&
         (r->devices_len > 0 || r->memory != NULL || r->cpu != NULL || r->block_io != NULL ||
          r->hugepage_limits_len > 0 || r->network != NULL || r->pids != NULL ||
          (r->rdma != NULL && r->rdma->len > 0) || (r->unified != NULL && r->unified->len > 0));
}

/* Refuses a cgroup that holds this process: its own, or an ancestor of it. */
static int refuse_own(const struct cgroup *cg, struct error **err) {
  for (size_t i = 0; i < cg->n; i++) {
    const struct cg_hier *h = &cg->h[i];
    if (h->own == NULL || !cg_path_within(h->own, h->path))
      continue;
    bool same = strcmp(h->own, h->path) == 0;
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     "linux.cgroupsPath: the cgroup %s is %s of this process (%s): contain never "
                     "writes limits to a cgroup that holds it; choose a cgroupsPath that does "
                     "not contain this process",
                     h->path, same ? "the own cgroup" : "an ancestor of the own cgroup",
                     h->key[0] ? h->key : "cgroup v2");
  }
  return 0;
}

/* mkdir -p of h->path beneath h->mnt, remembering what it made. */
static int make_dirs(struct cg_hier *h, struct error **err) {
  size_t base = strlen(h->mnt);
  if (!cg_path_within(h->path, h->mnt))
    return error_set(err, ERR_GENERIC, 0, "%s is not beneath the cgroup mount %s", h->path, h->mnt);
  h->existed = true;
  char *p = xstrdup(h->path);
  for (size_t i = base + 1; p[base] != '\0'; i++) {
    if (p[i] != '/' && p[i] != '\0')
      continue;
    char c = p[i];
    p[i] = '\0';
    if (mkdir(p, 0755) == 0) {
      h->made = xrealloc(h->made, (h->n_made + 1) * sizeof *h->made);
      h->made[h->n_made++] = xstrdup(p);
      h->existed = false;
    } else if (errno == EEXIST) {
      h->existed = true;
    } else {
      int e = errno;
      error_set(err, kind_for(e), e, "cannot create the cgroup %s", p);
      const char *hint = hint_for("", e);
      if (hint)
        cg_hint(err, "%s", hint);
      free(p);
      return -1;
    }
    p[i] = c;
    if (c == '\0')
      break;
  }
  free(p);
  return 0;
}

static int count_procs(const char *dir, size_t *n, struct error **err) {
  char *text = NULL;
  if (cg_read(dir, "cgroup.procs", &text, err) < 0)
    return -1;
  *n = 0;
  for (const char *p = text; *p; p++)
    if (*p != '\n' && (p[1] == '\n' || p[1] == '\0'))
      (*n)++;
  free(text);
  return 0;
}

static bool is_cgroupfs(const char *path, int *errnum) {
  struct statfs fs;
  if (statfs(path, &fs) < 0) {
    *errnum = errno;
    return false;
  }
  *errnum = 0;
  return fs.f_type == CGROUP_SUPER_MAGIC || fs.f_type == CGROUP2_SUPER_MAGIC;
}

/* Whether path is the root of a hierarchy (its parent is no cgroup): never a container's. */
static bool is_hierarchy_root(const char *path) {
  char *parent = xstrdup(path);
  char *slash = strrchr(parent, '/');
  if (slash != NULL)
    slash[slash == parent ? 1 : 0] = '\0';
  int e;
  bool root = !is_cgroupfs(parent, &e);
  free(parent);
  return root;
}

/* ---- removal ----------------------------------------------------------------------------- */

/* rmdir that waits, a bounded time, for the kernel to let go of a cgroup whose last
 * processes are still exiting. */
static int rmdir_retry(int at, const char *name) {
  struct timespec delay = {0, 1000000}; /* 1 ms, doubling to 64 ms; ~2 s in all */
  long waited_ms = 0;
  for (;;) {
    if (unlinkat(at, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
      return 0;
    if (errno != EBUSY || waited_ms >= 2000)
      return -1;
    nanosleep(&delay, NULL);
    waited_ms += delay.tv_nsec / 1000000;
    if (delay.tv_nsec < 64000000)
      delay.tv_nsec *= 2;
  }
}

/* Removes the cgroup name in at and every cgroup beneath it (a nested runtime or
 * systemd in the container may have made some), deepest first. */
static int remove_tree(int at, const char *name, dev_t dev, int depth) {
  int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return errno == ENOENT ? 0 : -1;
  struct stat st;
  if (fstat(fd, &st) < 0 || st.st_dev != dev || depth > 256) {
    close(fd);
    errno = EXDEV;
    return -1;
  }
  DIR *d = fdopendir(fd);
  if (d == NULL) {
    close(fd);
    return -1;
  }
  int rc = 0;
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    if (de->d_type != DT_DIR || strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
      continue;
    if (remove_tree(dirfd(d), de->d_name, dev, depth + 1) < 0 && rc == 0)
      rc = -1;
  }
  int saved = errno;
  closedir(d);
  errno = saved;
  if (rc < 0)
    return -1;
  return rmdir_retry(at, name);
}

static int remove_cgroup(const char *path, struct error **err) {
  int e;
  if (!is_cgroupfs(path, &e)) {
    if (e == ENOENT)
      return 0;
    if (e == 0)
      return error_set(err, ERR_GENERIC, 0, "refusing to remove %s: not a cgroup directory", path);
    return error_set(err, ERR_GENERIC, e, "cannot remove the cgroup %s", path);
  }
  if (is_hierarchy_root(path))
    return error_set(err, ERR_GENERIC, 0, "refusing to remove %s: it is a cgroup hierarchy's root",
                     path);
  struct stat st;
  if (stat(path, &st) < 0)
    return errno == ENOENT ? 0 : error_sys(err, "cannot remove the cgroup %s", path);
  char *parent = xstrdup(path);
  char *slash = strrchr(parent, '/');
  const char *name = slash + 1;
  *slash = '\0';
  int pfd = open(parent[0] ? parent : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int rc = 0;
  if (pfd < 0 || remove_tree(pfd, name, st.st_dev, 0) < 0) {
    int errnum = errno;
    size_t n = 0;
    struct error *ignored = NULL;
    bool procs = errnum == EBUSY && count_procs(path, &n, &ignored) == 0 && n > 0;
    error_free(ignored);
    rc = error_set(err, ERR_GENERIC, errnum, "cannot remove the cgroup %s", path);
    if (procs)
      cg_hint(err, "%zu process(es) still in it", n);
  }
  if (pfd >= 0)
    close(pfd);
  free(parent);
  return rc;
}

/* ---- the interface ----------------------------------------------------------------------- */

int cgroup_create(const struct cgroup_request *req, struct cgroup **out, struct error **err) {
  *out = NULL;
  if (req->systemd)
    return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                     "the systemd cgroup driver is not supported yet; use a cgroupfs path "
                     "(without --systemd-cgroup)");
  if (cg_is_systemd_path(req->cgroups_path))
    return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                     "the systemd cgroup driver is not supported yet; use a cgroupfs path "
                     "(linux.cgroupsPath \"%s\" has the systemd form slice:prefix:name)",
                     req->cgroups_path);
  struct cgroup *cg;
  if (cg_open(&cg, err) < 0)
    return -1;
  const oci_linux_resources *r = req->resources;
  if (cg->ops->check(cg, r, false, err) < 0)
    goto fail;

  bool abs;
  const char *given = req->cgroups_path && req->cgroups_path[0] ? req->cgroups_path : req->id;
  char *inner = cg_clean_path(given, &abs);
  for (size_t i = 0; i < cg->n; i++) {
    struct cg_hier *h = &cg->h[i];
    const char *base = abs ? h->mnt : h->own;
    if (base == NULL) {
      error_set(err, ERR_HOST_UNSUPPORTED, 0,
                "linux.cgroupsPath: cannot place the relative path \"%s\": this process's own "
                "cgroup in %s is not visible under %s (another cgroup namespace?); use an "
                "absolute cgroupsPath",
                given, h->key[0] ? h->key : "cgroup v2", h->mnt);
      free(inner);
      goto fail;
    }
    h->path = cg_join(base, inner);
  }
  free(inner);

  if ((has_resources(r) || cg->ops->always_writes) && refuse_own(cg, err) < 0)
    goto fail;
  for (size_t i = 0; i < cg->n; i++)
    if (make_dirs(&cg->h[i], err) < 0)
      goto undo;
  for (size_t i = 0; i < cg->n; i++) {
    const struct cg_hier *h = &cg->h[i];
    size_t n = 0;
    if (!h->existed)
      continue;
    if (count_procs(h->path, &n, err) < 0)
      goto undo;
    if (n > 0) {
      error_set(err, ERR_INVALID_STATE, 0,
                "container's cgroup is not empty: %zu process(es) found in %s", n, h->path);
      goto undo;
    }
  }
  bool existed = false;
  for (size_t i = 0; i < cg->n; i++)
    existed |= cg->h[i].existed;
  bool frozen = false;
  struct error *ignored = NULL;
  if (existed && cg->ops->is_frozen(cg, &frozen, &ignored) == 0 && frozen) {
    error_set(err, ERR_INVALID_STATE, 0,
              "container's cgroup unexpectedly frozen (%s): thaw it or choose another "
              "cgroupsPath",
              cg->h[0].path);
    goto undo;
  }
  error_free(ignored);
  if (cg->ops->prepare(cg, r, true, err) < 0 || cg->ops->apply(cg, r, false, err) < 0)
    goto undo;
  *out = cg;
  return 0;

undo:;
  struct error *e2 = NULL;
  cgroup_destroy(cg, &e2); /* the first error is the one to report */
  error_free(e2);
fail:
  cgroup_free(cg);
  return -1;
}

int cgroup_enter(struct cgroup *cg, pid_t pid, struct error **err) {
  return cg_enter_all(cg, pid, err);
}

int cgroup_dirfd(struct cgroup *cg) { return cg->ops->dirfd(cg); }

int cgroup_update(struct cgroup *cg, const oci_linux_resources *resources, struct error **err) {
  if (!has_resources(resources))
    return 0;
  if (refuse_own(cg, err) < 0)
    return -1;
  if (cg->ops->check(cg, resources, true, err) < 0 ||
      cg->ops->prepare(cg, resources, false, err) < 0)
    return -1;
  if (resources->devices_len > 0 && !cg->ops->updates_devices)
    warning("linux.resources.devices: with cgroup v1 (this host: %s) an update does not change "
            "the device rules, as with runc: they stay as the container was created",
            cg->ops->name);
  return cg->ops->apply(cg, resources, true, err);
}

int cgroup_freeze(struct cgroup *cg, bool frozen, struct error **err) {
  if (cg->n == 0)
    return error_set(err, ERR_INVALID_STATE, 0, "the container has no cgroup to freeze");
  return cg->ops->freeze(cg, frozen, err);
}

int cgroup_is_frozen(struct cgroup *cg, bool *frozen, struct error **err) {
  *frozen = false;
  if (cg->n == 0)
    return 0;
  return cg->ops->is_frozen(cg, frozen, err);
}

static int collect_pids(int at, const char *name, pid_t **pids, size_t *n, size_t *cap, int depth,
                        struct error **err) {
  int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return errno == ENOENT && depth > 0 ? 0 : error_sys(err, "cannot open the cgroup %s", name);
  char *text = NULL;
  struct error *e = NULL;
  if (read_file_at(fd, "cgroup.procs", &text, NULL, &e) < 0) {
    close(fd);
    bool gone = e->errnum == ENOENT && depth > 0; /* removed meanwhile */
    if (gone || err == NULL) {
      error_free(e);
      return gone ? 0 : -1;
    }
    error_free(*err);
    *err = e;
    return error_prefix(err, "cannot list the processes of the cgroup %s", name);
  }
  for (char *p = text, *end; *p; p = end) {
    long v = strtol(p, &end, 10);
    if (end == p)
      break;
    if (*n == *cap) {
      *cap = *cap ? *cap * 2 : 16;
      *pids = xrealloc(*pids, *cap * sizeof **pids);
    }
    (*pids)[(*n)++] = (pid_t)v;
  }
  free(text);
  DIR *d = fdopendir(fd);
  if (d == NULL) {
    close(fd);
    return error_sys(err, "cannot list the cgroup %s", name);
  }
  int rc = 0;
  struct dirent *de;
  while (rc == 0 && depth < 256 && (de = readdir(d)) != NULL)
    if (de->d_type == DT_DIR && strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
      rc = collect_pids(dirfd(d), de->d_name, pids, n, cap, depth + 1, err);
  closedir(d);
  return rc;
}

int cgroup_pids(struct cgroup *cg, pid_t **pids, size_t *n, struct error **err) {
  *pids = NULL;
  *n = 0;
  const struct cg_hier *h = cg->ops->procs_hier(cg);
  if (h == NULL)
    return 0;
  size_t cap = 0;
  if (collect_pids(AT_FDCWD, h->path, pids, n, &cap, 0, err) < 0) {
    free(*pids);
    *pids = NULL;
    *n = 0;
    return -1;
  }
  return 0;
}

int cgroup_destroy(struct cgroup *cg, struct error **err) {
  int rc = 0;
  if (cg->dirfd >= 0) {
    close(cg->dirfd);
    cg->dirfd = -1;
  }
  for (size_t i = 0; i < cg->n; i++) {
    struct cg_hier *h = &cg->h[i];
    /* The container's cgroup: made by this process, or rebuilt from the state (then the
     * runtime owns it, as runc does). Never one that existed before our create. */
    bool own_leaf =
        h->n_made > 0 ? strcmp(h->made[h->n_made - 1], h->path) == 0 : cg->loaded && !h->existed;
    if (own_leaf && h->path != NULL && h->own != NULL && cg_path_within(h->own, h->path)) {
      if (rc == 0)
        rc = error_set(err, ERR_INVALID_STATE, 0,
                       "refusing to remove the cgroup %s: it holds this process", h->path);
      own_leaf = false;
    }
    if (own_leaf && h->path != NULL && remove_cgroup(h->path, rc == 0 ? err : NULL) < 0)
      rc = -1;
    /* The parents it made go too, unless something else lives there now. */
    for (size_t j = h->n_made; j-- > 0;) {
      if (strcmp(h->made[j], h->path) != 0 && rmdir(h->made[j]) < 0 && errno != ENOENT &&
          errno != EBUSY && errno != ENOTEMPTY && rc == 0)
        rc = error_sys(err, "cannot remove the cgroup %s", h->made[j]);
      free(h->made[j]);
    }
    free(h->made);
    h->made = NULL;
    h->n_made = 0;
    h->existed = true; /* done: a second destroy removes nothing */
  }
  return rc;
}

oci_string_map *cgroup_paths(const struct cgroup *cg) {
  oci_string_map *m = oci_string_map_new();
  for (size_t i = 0; i < cg->n; i++)
    oci_string_map_set(m, cg->h[i].key, cg->h[i].path);
  return m;
}

int cgroup_load(const oci_string_map *paths, struct cgroup **out, struct error **err) {
  *out = NULL;
  enum cgroup_mode mode = host_cgroup_mode();
  const struct cgroup_ops *ops = ops_for(mode);
  if (ops == NULL)
    return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                     "no cgroup filesystem is mounted at /sys/fs/cgroup");
  /* What this host shows (mount points, our own cgroups), for the safety checks. */
  struct cgroup *found = NULL;
  struct error *ignored = NULL;
  if (cg_open(&found, &ignored) < 0)
    found = NULL;
  error_free(ignored);

  struct cgroup *cg = cg_new(ops);
  cg->loaded = true;
  size_t len = paths ? paths->len : 0;
  cg->h = xcalloc(len ? len : 1, sizeof *cg->h);
  for (size_t i = 0; i < len; i++) {
    const char *key = paths->keys[i], *path = paths->values[i];
    bool abs;
    char *clean = cg_clean_path(path, &abs);
    char *norm = cg_join("/", clean);
    free(clean);
    bool v2key = key[0] == '\0';
    if (!abs || strcmp(norm, path) != 0 || v2key != (mode == CGROUP_MODE_UNIFIED)) {
      error_set(err, ERR_INVALID_STATE, 0,
                "the recorded cgroup path %s=\"%s\" does not fit this host (cgroup %s)", key, path,
                host_cgroup_mode_name(mode));
      free(norm);
      cgroup_free(cg);
      cgroup_free(found);
      return -1;
    }
    int e;
    bool cgfs = is_cgroupfs(norm, &e);
    if ((!cgfs && e != ENOENT) || (cgfs && is_hierarchy_root(norm))) {
      error_set(err, ERR_INVALID_STATE, e, "the recorded cgroup path %s is %s", norm,
                cgfs ? "the root of a cgroup hierarchy, never a container's" : "not a cgroup");
      free(norm);
      cgroup_free(cg);
      cgroup_free(found);
      return -1;
    }
    struct cg_hier *h = &cg->h[cg->n++];
    h->key = xstrdup(key);
    h->path = norm;
    for (size_t j = 0; found && j < found->n; j++)
      if (strcmp(found->h[j].key, key) == 0) {
        h->mnt = found->h[j].mnt ? xstrdup(found->h[j].mnt) : NULL;
        h->own = found->h[j].own ? xstrdup(found->h[j].own) : NULL;
      }
  }
  cgroup_free(found);
  *out = cg;
  return 0;
}

void cgroup_free(struct cgroup *cg) {
  if (cg == NULL)
    return;
  if (cg->dirfd >= 0)
    close(cg->dirfd);
  for (size_t i = 0; i < cg->n; i++)
    cg_hier_clear(&cg->h[i]);
  free(cg->h);
  free(cg);
}
