/* control.c — pause, resume, update, ps, stats and events of an existing container (see
 * control.h): the state says which cgroup, the driver does the work. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

#include "cgroup-stats.h"
#include "cgroup.h"
#include "control.h"
#include "debug.h"
#include "state.h"
#include "util.h"

/* A container opened for one operation: its directory, state, status and cgroup. */
struct ctl {
  struct container_dir d;
  oci_runtime_state *st;
  enum status status;
  struct cgroup *cg;
};

static int ctl_open(const char *root, const char *id, bool lock, struct ctl *c,
                    struct error **err) {
  *c = (struct ctl){.d = {.dirfd = -1, .rootfd = -1}};
  if (state_dir_open(root, id, lock, &c->d, err) < 0 || state_read(&c->d, &c->st, err) < 0)
    return -1;
  c->status = state_status(&c->d, c->st);
  return 0;
}

static int ctl_cgroup(struct ctl *c, struct error **err) {
  if (c->st->cgroup_paths == NULL || c->st->cgroup_paths->len == 0)
    return error_set(err, ERR_INVALID_STATE, 0, "container %s has no cgroup recorded", c->st->id);
  return cgroup_load(c->st->cgroup_paths, &c->cg, err);
}

static void ctl_close(struct ctl *c) {
  cgroup_free(c->cg);
  oci_runtime_state_free(c->st);
  state_dir_close(&c->d);
  c->cg = NULL;
  c->st = NULL;
}

static bool alive(enum status s) {
  return s == STATUS_CREATED || s == STATUS_RUNNING || s == STATUS_PAUSED;
}

/* ---- pause, resume ----------------------------------------------------------------------- */

int container_pause(const char *root, const char *id, struct error **err) {
  struct ctl c;
  int rc = -1;
  bool frozen = false;
  if (ctl_open(root, id, true, &c, err) < 0)
    goto out;
  /* runc: a created or running container can be paused; a paused one is "not running". */
  if (!alive(c.status) || c.status == STATUS_PAUSED) {
    error_set(err, ERR_NOT_RUNNING, 0, "container not running");
    goto out;
  }
  if (ctl_cgroup(&c, err) < 0 || cgroup_is_frozen(c.cg, &frozen, err) < 0)
    goto out;
  if (frozen) {
    error_set(err, ERR_NOT_RUNNING, 0, "container not running");
    goto out;
  }
  debug("pause %s: freezing its cgroup", id);
  rc = cgroup_freeze(c.cg, true, err);
  if (rc < 0)
    error_prefix(err, "cannot pause container %s", id);
out:
  ctl_close(&c);
  return rc;
}

int container_resume(const char *root, const char *id, struct error **err) {
  struct ctl c;
  int rc = -1;
  bool frozen = false;
  if (ctl_open(root, id, true, &c, err) < 0)
    goto out;
  /* Frozen is what counts, whatever state.json's phase says. */
  struct error *e = NULL;
  if (!alive(c.status) || ctl_cgroup(&c, &e) < 0 || cgroup_is_frozen(c.cg, &frozen, &e) < 0 ||
      !frozen) {
    if (e != NULL)
      debug("resume %s: %s", id, e->msg);
    error_free(e);
    error_set(err, ERR_INVALID_STATE, 0, "container not paused");
    goto out;
  }
  debug("resume %s: thawing its cgroup", id);
  rc = cgroup_freeze(c.cg, false, err);
  if (rc < 0)
    error_prefix(err, "cannot resume container %s", id);
out:
  ctl_close(&c);
  return rc;
}

/* ---- update ------------------------------------------------------------------------------ */

int container_update(const char *root, const char *id, const oci_linux_resources *r,
                     struct error **err) {
  struct ctl c;
  int rc = -1;
  if (ctl_open(root, id, true, &c, err) < 0)
    goto out;
  if (!alive(c.status)) {
    error_set(err, ERR_NOT_RUNNING, 0, "container not running");
    goto out;
  }
  if (ctl_cgroup(&c, err) < 0)
    goto out;
  debug("update %s: applying the resources to its cgroup", id);
  rc = cgroup_update(c.cg, r, err);
out:
  ctl_close(&c);
  return rc;
}

/* ---- ps ---------------------------------------------------------------------------------- */

int container_pids(const char *root, const char *id, pid_t **pids, size_t *n, struct error **err) {
  struct ctl c;
  *pids = NULL;
  *n = 0;
  int rc = -1;
  if (ctl_open(root, id, false, &c, err) < 0)
    goto out;
  if (c.st->cgroup_paths == NULL || c.st->cgroup_paths->len == 0) {
    rc = 0; /* no cgroup yet (an interrupted create): nothing in it */
    goto out;
  }
  if (ctl_cgroup(&c, err) < 0)
    goto out;
  /* A stopped container's cgroup may still hold processes (without a pid namespace), as
   * runc shows them; once it is gone, there are none. */
  struct error *e = NULL;
  rc = cgroup_pids(c.cg, pids, n, &e);
  if (rc < 0 && e->errnum == ENOENT && c.status == STATUS_STOPPED) {
    error_free(e);
    rc = 0;
  } else if (rc < 0) {
    error_free(*err);
    *err = e;
  }
out:
  ctl_close(&c);
  return rc;
}

/* ---- stats and events -------------------------------------------------------------------- */

static char *json_string(const char *s) {
  yajl_gen g = yajl_gen_alloc(NULL);
  if (g == NULL)
    abort();
  yajl_gen_string(g, (const unsigned char *)s, strlen(s));
  const unsigned char *buf;
  size_t len;
  yajl_gen_get_buf(g, &buf, &len);
  char *out = xasprintf("%.*s", (int)len, (const char *)buf);
  yajl_gen_free(g);
  return out;
}

static int stats_event(struct cgroup *cg, const char *id, char **json, struct error **err) {
  struct cgroup_stats s;
  int rc = cgroup_stats(cg, &s, err);
  if (rc == 0) {
    char *data = cgroup_stats_json(&s);
    char *ids = json_string(id);
    *json = xasprintf("{\"type\":\"stats\",\"id\":%s,\"data\":%s}", ids, data);
    free(ids);
    free(data);
  }
  cgroup_stats_clear(&s);
  return rc;
}

static int not_running(struct error **err, const char *id) {
  return error_set(err, ERR_NOT_RUNNING, 0, "container with id %s is not running", id);
}

int container_stats(const char *root, const char *id, char **json, struct error **err) {
  struct ctl c;
  int rc = -1;
  *json = NULL;
  if (ctl_open(root, id, false, &c, err) < 0)
    goto out;
  if (!alive(c.status)) {
    not_running(err, id);
    goto out;
  }
  if (ctl_cgroup(&c, err) < 0)
    goto out;
  rc = stats_event(c.cg, id, json, err);
out:
  ctl_close(&c);
  return rc;
}

struct container_events {
  char *id;
  struct cgroup *cg;
  struct cgroup_oom *oom; /* NULL without a memory controller */
  int pidfd;              /* the init: readable once it has exited */
  unsigned pending;       /* OOM kills seen and not reported yet */
  bool exited;
};

void container_events_close(struct container_events *ev) {
  if (ev == NULL)
    return;
  cgroup_oom_close(ev->oom);
  cgroup_free(ev->cg);
  if (ev->pidfd >= 0)
    close(ev->pidfd);
  free(ev->id);
  free(ev);
}

int container_events_open(const char *root, const char *id, struct container_events **out,
                          struct error **err) {
  struct ctl c;
  *out = NULL;
  struct container_events *ev = xcalloc(1, sizeof *ev);
  ev->pidfd = -1;
  ev->id = xstrdup(id);
  int rc = -1;
  if (ctl_open(root, id, false, &c, err) < 0)
    goto out;
  if (!alive(c.status)) {
    not_running(err, id);
    goto out;
  }
  if (ctl_cgroup(&c, err) < 0)
    goto out;
  ev->pidfd = state_init_pidfd(c.st);
  if (ev->pidfd < 0) {
    if (errno == ESRCH)
      not_running(err, id);
    else
      error_sys(err, "cannot follow the init %d of container %s", (int)c.st->pid, id);
    goto out;
  }
  if (cgroup_oom_open(c.cg, &ev->oom, err) < 0)
    goto out;
  if (ev->oom == NULL)
    debug("events %s: no memory controller, so no OOM events", id);
  ev->cg = c.cg;
  c.cg = NULL;
  *out = ev;
  ev = NULL;
  rc = 0;
out:
  ctl_close(&c);
  container_events_close(ev);
  return rc;
}

int container_events_stats(struct container_events *ev, char **json, struct error **err) {
  *json = NULL;
  return stats_event(ev->cg, ev->id, json, err);
}

static long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int read_ooms(struct container_events *ev, struct error **err) {
  unsigned kills = 0;
  bool gone = false;
  if (ev->oom == NULL)
    return 0;
  if (cgroup_oom_read(ev->oom, &kills, &gone, err) < 0)
    return -1;
  ev->pending += kills;
  if (gone) {
    ev->exited = true; /* the cgroup was removed: the container was deleted */
    cgroup_oom_close(ev->oom);
    ev->oom = NULL;
  }
  return 0;
}

int container_events_wait(struct container_events *ev, long timeout_ms, enum container_event *what,
                          char **json, struct error **err) {
  *json = NULL;
  long deadline = now_ms() + timeout_ms;
  for (;;) {
    if (ev->pending > 0) {
      ev->pending--;
      char *ids = json_string(ev->id);
      *json = xasprintf("{\"type\":\"oom\",\"id\":%s}", ids);
      free(ids);
      *what = CONTAINER_EVENT_OOM;
      return 0;
    }
    if (ev->exited) {
      *what = CONTAINER_EVENT_EXIT;
      return 0;
    }
    long left = deadline - now_ms();
    if (left <= 0) {
      *what = CONTAINER_EVENT_TIMEOUT;
      return 0;
    }
    struct pollfd p[2] = {{.fd = ev->pidfd, .events = POLLIN}, {.fd = -1}};
    if (ev->oom != NULL)
      p[1] = (struct pollfd){.fd = cgroup_oom_fd(ev->oom), .events = cgroup_oom_events(ev->oom)};
    int n = poll(p, 2, left > 60000 ? 60000 : (int)left);
    if (n < 0 && errno != EINTR)
      return error_sys(err, "poll");
    if (n <= 0)
      continue;
    if (p[1].revents != 0 && read_ooms(ev, err) < 0)
      return -1;
    if (p[0].revents != 0) {
      /* The init is gone: the kill that ended it is still to be told, if it was one. */
      ev->exited = true;
      if (read_ooms(ev, err) < 0)
        return -1;
    }
  }
}
