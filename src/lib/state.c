/* state.c — the container directory under --root (see state.h). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup.h"
#include "state.h"
#include "util.h"

/* A create in progress makes its directory under this name, then renames it. */
#define TMP_PREFIX ".tmp-create-"

static const char *const status_names[] = {
    [STATUS_CREATING] = "creating", [STATUS_CREATED] = "created", [STATUS_RUNNING] = "running",
    [STATUS_PAUSED] = "paused",     [STATUS_STOPPED] = "stopped",
};

const char *status_name(enum status s) { return status_names[s]; }

int state_check_id(const char *id, struct error **err) {
  if (id == NULL || id[0] == '\0')
    return error_set(err, ERR_USAGE, 0, "container id cannot be empty");
  /* The characters runc allows, so that ids engines make work alike. */
  bool ok = strcmp(id, ".") != 0 && strcmp(id, "..") != 0 &&
            strncmp(id, TMP_PREFIX, strlen(TMP_PREFIX)) != 0;
  for (const char *c = id; ok && *c; c++)
    ok = isalnum((unsigned char)*c) || strchr("_+-.", *c) != NULL;
  if (!ok)
    return error_set(err, ERR_USAGE, 0,
                     "invalid container ID format: \"%s\" (use letters, digits and _+-. only; "
                     "not \".\" or \"..\")",
                     id);
  if (strlen(id) > 1024)
    return error_set(err, ERR_USAGE, 0, "invalid container id: longer than 1024 characters");
  return 0;
}

static int mkdir_p(const char *path, mode_t mode, struct error **err) {
  if (mkdir(path, mode) == 0 || errno == EEXIST)
    return 0;
  if (errno != ENOENT)
    return error_sys(err, "mkdir %s", path);
  autofree char *parent = xstrdup(path);
  char *slash = strrchr(parent, '/');
  if (slash == NULL || slash == parent)
    return error_sys(err, "mkdir %s", path);
  *slash = '\0';
  if (mkdir_p(parent, 0755, err) < 0)
    return -1;
  if (mkdir(path, mode) < 0 && errno != EEXIST)
    return error_sys(err, "mkdir %s", path);
  return 0;
}

int state_root_open(const char *root, bool create, int *rootfd, struct error **err) {
  if (create && mkdir_p(root, 0700, err) < 0)
    return error_prefix(err, "make the state root (--root)");
  int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return error_sys(err, "open the state root %s", root);
  *rootfd = fd;
  return 0;
}

static void dir_init(struct container_dir *d, const char *root, const char *id) {
  d->id = xstrdup(id);
  d->path = xasprintf("%s/%s", root, id);
  d->dirfd = -1;
  d->rootfd = -1;
}

static int lock_dir(struct container_dir *d, struct error **err) {
  while (flock(d->dirfd, LOCK_EX) < 0)
    if (errno != EINTR)
      return error_sys(err, "lock %s", d->path);
  return 0;
}

int state_dir_create(const char *root, const char *id, struct container_dir *d,
                     struct error **err) {
  if (state_check_id(id, err) < 0)
    return -1;
  dir_init(d, root, id);
  if (state_root_open(root, true, &d->rootfd, err) < 0)
    return -1;
  /* The directory is made under a temporary name, locked, then renamed into place
   * without replacing anything: it appears whole, and two creates of one id cannot
   * both succeed. */
  autofree char *tmppath = xasprintf("%s/" TMP_PREFIX "XXXXXX", root);
  if (mkdtemp(tmppath) == NULL)
    return error_sys(err, "make a state directory in %s", root);
  const char *tmpname = tmppath + strlen(root) + 1;
  if (chmod(tmppath, 0711) < 0 ||
      (d->dirfd = open(tmppath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
    error_sys(err, "open %s", tmppath);
    rmdir(tmppath);
    return -1;
  }
  if (lock_dir(d, err) < 0 || renameat2(d->rootfd, tmpname, d->rootfd, id, RENAME_NOREPLACE) < 0) {
    if (errno == EEXIST || errno == ENOTEMPTY)
      error_set(err, ERR_EXISTS, 0, "container with given ID already exists: \"%s\"", id);
    else if (*err == NULL)
      error_sys(err, "rename %s to %s", tmppath, d->path);
    rmdir(tmppath);
    return -1;
  }
  return 0;
}

int state_dir_open(const char *root, const char *id, bool lock, struct container_dir *d,
                   struct error **err) {
  if (state_check_id(id, err) < 0)
    return -1;
  dir_init(d, root, id);
  if (state_root_open(root, false, &d->rootfd, err) < 0) {
    if (errno == ENOENT)
      return error_set(err, ERR_NOT_FOUND, 0, "container does not exist");
    return -1;
  }
  d->dirfd = openat(d->rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (d->dirfd < 0) {
    if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
      return error_set(err, ERR_NOT_FOUND, 0, "container does not exist");
    return error_sys(err, "open %s", d->path);
  }
  if (!lock)
    return 0;
  if (lock_dir(d, err) < 0)
    return -1;
  /* A delete that held the lock before us may have removed the directory. */
  struct stat st;
  if (fstat(d->dirfd, &st) == 0 && st.st_nlink == 0)
    return error_set(err, ERR_NOT_FOUND, 0, "container does not exist");
  return 0;
}

void state_dir_close(struct container_dir *d) {
  closep(&d->dirfd);
  closep(&d->rootfd);
  free(d->id);
  free(d->path);
  d->id = d->path = NULL;
}

/* Removes every entry of the directory dirfd refers to, subdirectories included. */
static int empty_dir(int dirfd, const char *path, struct error **err) {
  int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *dir = fd < 0 ? NULL : fdopendir(fd);
  if (dir == NULL) {
    if (fd >= 0)
      close(fd);
    return error_sys(err, "open %s", path);
  }
  int r = 0;
  struct dirent *de;
  while (r == 0 && (de = readdir(dir)) != NULL) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
      continue;
    if (unlinkat(dirfd, de->d_name, 0) == 0 || errno == ENOENT)
      continue;
    if (errno != EISDIR) {
      r = error_sys(err, "remove %s/%s", path, de->d_name);
      break;
    }
    autofree char *sub = xasprintf("%s/%s", path, de->d_name);
    autoclose int subfd =
        openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (subfd < 0)
      r = error_sys(err, "open %s", sub);
    else if (empty_dir(subfd, sub, err) < 0)
      r = -1;
    else if (unlinkat(dirfd, de->d_name, AT_REMOVEDIR) < 0)
      r = error_sys(err, "remove %s", sub);
  }
  closedir(dir);
  return r;
}

/* Everything in the directory goes: what contain wrote, and whatever an interrupted
 * create or a hand left there. */
int state_dir_remove(struct container_dir *d, struct error **err) {
  if (empty_dir(d->dirfd, d->path, err) < 0)
    return -1;
  if (unlinkat(d->rootfd, d->id, AT_REMOVEDIR) < 0 && errno != ENOENT)
    return error_sys(err, "remove %s", d->path);
  return 0;
}

int state_read(const struct container_dir *d, oci_runtime_state **out, struct error **err) {
  autofree char *data = NULL;
  size_t len = 0;
  if (read_file_at(d->dirfd, "state.json", &data, &len, err) < 0) {
    /* A directory without state.json is no container (yet): runc's view too. */
    if ((*err)->errnum == ENOENT)
      return error_set(err, ERR_NOT_FOUND, 0, "container does not exist");
    return -1;
  }
  autofree char *msg = NULL;
  autofree char *source = xasprintf("%s/state.json", d->path);
  *out = oci_runtime_state_parse_data(data, len, source, &msg);
  if (*out == NULL)
    return error_set(err, ERR_GENERIC, 0, "%s", msg ? msg : "cannot parse state.json");
  return 0;
}

int state_write(const struct container_dir *d, const oci_runtime_state *st, struct error **err) {
  autofree char *msg = NULL;
  autofree char *json = oci_runtime_state_generate_json(st, &msg);
  if (json == NULL)
    return error_set(err, ERR_GENERIC, 0, "serialize state: %s", msg ? msg : "?");
  autoclose int fd =
      openat(d->dirfd, "state.json.tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return error_sys(err, "create %s/state.json.tmp", d->path);
  if (write_all(fd, json, strlen(json)) < 0)
    return error_sys(err, "write %s/state.json.tmp", d->path);
  if (renameat(d->dirfd, "state.json.tmp", d->dirfd, "state.json") < 0)
    return error_sys(err, "rename %s/state.json.tmp", d->path);
  return 0;
}

unsigned long long proc_start_time(pid_t pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  autoclose int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  if (n <= 0)
    return 0;
  buf[n] = '\0';
  /* comm may hold spaces and parentheses: fields resume after the last ')'. */
  char *p = strrchr(buf, ')');
  if (p == NULL || p[1] != ' ')
    return 0;
  p += 2;
  if (*p == 'Z' || *p == 'X')
    return 0;
  for (int field = 3; field < 22; field++) {
    p = strchr(p, ' ');
    if (p == NULL)
      return 0;
    p++;
  }
  return strtoull(p, NULL, 10);
}

bool state_init_alive(const oci_runtime_state *st) {
  if (!st->pid_present || st->pid <= 0)
    return false;
  unsigned long long t = proc_start_time(st->pid);
  return t != 0 && t == st->init_start_time;
}

enum status state_status(const struct container_dir *d, const oci_runtime_state *st) {
  if (st->phase != NULL && strcmp(st->phase, "creating") == 0)
    return STATUS_CREATING;
  if (!state_init_alive(st))
    return STATUS_STOPPED;
  /* Frozen first: a paused container that was never started is paused, as runc says. */
  if (st->cgroup_paths != NULL) {
    struct cgroup *cg = NULL;
    bool frozen = false;
    autoerror struct error *e = NULL;
    if (cgroup_load(st->cgroup_paths, &cg, &e) == 0 && cgroup_is_frozen(cg, &frozen, &e) == 0 &&
        frozen) {
      cgroup_free(cg);
      return STATUS_PAUSED;
    }
    cgroup_free(cg);
  }
  if (faccessat(d->dirfd, STATE_FIFO, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
    return STATUS_CREATED;
  return STATUS_RUNNING;
}

int state_init_pidfd(const oci_runtime_state *st) {
  int fd = (int)syscall(SYS_pidfd_open, st->pid, 0);
  if (fd < 0)
    return -1;
  /* The pidfd pins the process; only now is the start time check free of races. */
  if (!state_init_alive(st)) {
    close(fd);
    errno = ESRCH;
    return -1;
  }
  return fd;
}

/* The config the container was made from, as saved at create; NULL if unreadable. */
oci_config *state_saved_config(const struct container_dir *d) {
  autofree char *data = NULL;
  size_t len = 0;
  struct error *e = NULL;
  if (read_file_at(d->dirfd, "config.json", &data, &len, &e) < 0) {
    error_free(e);
    return NULL;
  }
  autofree char *msg = NULL;
  return oci_config_parse_data(data, len, "config.json", &msg);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int state_list_ids(const char *root, char ***ids, size_t *n, struct error **err) {
  *ids = NULL;
  *n = 0;
  DIR *dir = opendir(root);
  if (dir == NULL) {
    if (errno == ENOENT)
      return 0;
    return error_sys(err, "open the state root %s", root);
  }
  size_t cap = 0;
  struct dirent *de;
  while ((de = readdir(dir)) != NULL) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
        strncmp(de->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0 ||
        (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN))
      continue;
    if (*n == cap) {
      cap = cap ? cap * 2 : 16;
      *ids = xrealloc(*ids, cap * sizeof **ids);
    }
    (*ids)[(*n)++] = xstrdup(de->d_name);
  }
  closedir(dir);
  if (*n > 1)
    qsort(*ids, *n, sizeof **ids, cmp_str);
  return 0;
}
