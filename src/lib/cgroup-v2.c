/* cgroup-v2.c — the v2 driver: one directory in the unified hierarchy.
 *
 * Per field: memory.limit -> memory.max, reservation -> memory.low, swap (memory+swap)
 * -> memory.swap.max (swap alone); cpu.shares -> cpu.weight (converted), quota/period ->
 * cpu.max, burst -> cpu.max.burst, idle -> cpu.idle; cpus/mems -> cpuset.cpus/mems;
 * pids -> pids.max; blockIO weight[Device] -> io.bfq.weight (as given) or io.weight
 * (converted), throttle* -> io.max; hugepageLimits -> hugetlb.SIZE[.rsvd].max; rdma ->
 * rdma.max; unified -> written as given, last. What v2 has no file for (kernel memory
 * limits, swappiness, disableOOMKiller, realtime CPU, leaf weights, net_cls/net_prio) is
 * refused with the field's name rather than dropped.
 *
 * The controllers a config needs are enabled in the cgroup.subtree_control of each
 * ancestor that lacks them, never in one that holds this process.
 *
 * Devices: an eBPF BPF_PROG_TYPE_CGROUP_DEVICE program (devices-bpf.c) generated from the
 * rules + the default devices (deny-all first, as runc) is attached to the container's
 * cgroup at create, always (so the caller's own cgroup is never a container's: the same
 * safety check as for limits), and replaced when an update brings device rules. Rules that
 * v1 could not express either (a hole punched into a wildcard) are refused with the rule's
 * index before anything is made. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup-internal.h"
#include "devices-bpf.h"
#include "util.h"

#define SET(o, f) ((o) != NULL && (o)->f##_present && (o)->f != 0)
#define PRESENT(o, f) ((o) != NULL && (o)->f##_present)

static const struct cg_hier *hier(const struct cgroup *cg) { return cg->n > 0 ? &cg->h[0] : NULL; }

/* ---- the controllers a config needs ------------------------------------------------------ */

struct needs {
  size_t n;
  char name[24][32];
  char field[24][96];
};

static void need(struct needs *s, const char *name, const char *field) {
  for (size_t i = 0; i < s->n; i++)
    if (strcmp(s->name[i], name) == 0)
      return;
  if (s->n == sizeof s->name / sizeof s->name[0])
    return;
  snprintf(s->name[s->n], sizeof s->name[0], "%s", name);
  snprintf(s->field[s->n], sizeof s->field[0], "%s", field);
  s->n++;
}

static bool io_wanted(const oci_linux_resources_block_io *b) {
  return b != NULL &&
         (SET(b, weight) || b->weight_device_len > 0 || b->throttle_read_bps_device_len > 0 ||
          b->throttle_write_bps_device_len > 0 || b->throttle_read_iops_device_len > 0 ||
          b->throttle_write_iops_device_len > 0);
}

static bool memory_wanted(const oci_linux_resources_memory *m) {
  return SET(m, limit) || SET(m, reservation) || SET(m, swap);
}

static bool cpu_wanted(const oci_linux_resources_cpu *c) {
  return SET(c, shares) || SET(c, quota) || SET(c, period) || PRESENT(c, burst) || PRESENT(c, idle);
}

static void needs_of(const oci_linux_resources *r, struct needs *s) {
  s->n = 0;
  if (r == NULL)
    return;
  if (memory_wanted(r->memory))
    need(s, "memory", "linux.resources.memory");
  if (cpu_wanted(r->cpu))
    need(s, "cpu", "linux.resources.cpu");
  if (r->cpu != NULL && ((r->cpu->cpus && r->cpu->cpus[0]) || (r->cpu->mems && r->cpu->mems[0])))
    need(s, "cpuset", "linux.resources.cpu.cpus/mems");
  if (SET(r->pids, limit))
    need(s, "pids", "linux.resources.pids");
  if (io_wanted(r->block_io))
    need(s, "io", "linux.resources.blockIO");
  if (r->hugepage_limits_len > 0)
    need(s, "hugetlb", "linux.resources.hugepageLimits");
  if (r->rdma != NULL && r->rdma->len > 0)
    need(s, "rdma", "linux.resources.rdma");
  for (size_t i = 0; r->unified != NULL && i < r->unified->len; i++) {
    char ctl[32], field[96];
    const char *why;
    if (cg_unified_key(r->unified->keys[i], ctl, &why) == 0 && strcmp(ctl, "cgroup") != 0) {
      snprintf(field, sizeof field, "linux.resources.unified[\"%.60s\"]", r->unified->keys[i]);
      need(s, ctl, field);
    }
  }
}

/* ---- check ------------------------------------------------------------------------------- */

static int no_v2(struct error **err, const char *field, const char *why) {
  return error_set(err, ERR_HOST_UNSUPPORTED, 0, "%s: cgroup v2 %s; remove the field", field, why);
}

static int v2_check(const struct cgroup *cg, const oci_linux_resources *r, bool update,
                    struct error **err) {
  if (r == NULL)
    return 0;
  if (cg_check_values(r, err) < 0)
    return -1;
  const oci_linux_resources_memory *m = r->memory;
  if (SET(m, kernel) && m->kernel != -1)
    return no_v2(err, "linux.resources.memory.kernel",
                 "has no separate kernel memory limit (it counts in memory.max)");
  if (SET(m, kernel_tcp) && m->kernel_tcp != -1)
    return no_v2(err, "linux.resources.memory.kernelTCP",
                 "has no separate TCP buffer limit (it counts in memory.max)");
  if (PRESENT(m, swappiness) && m->swappiness != UINT64_MAX)
    return no_v2(err, "linux.resources.memory.swappiness", "has no per-cgroup swappiness");
  if (PRESENT(m, disable_oom_killer) && m->disable_oom_killer)
    return no_v2(err, "linux.resources.memory.disableOOMKiller",
                 "cannot disable the OOM killer of a cgroup");
  if (PRESENT(m, use_hierarchy) && !m->use_hierarchy)
    return no_v2(err, "linux.resources.memory.useHierarchy",
                 "accounts memory hierarchically, always");
  if (m != NULL) {
    int64_t out;
    const char *why = NULL;
    if (cg_swap_to_v2(SET(m, swap) ? m->swap : 0, SET(m, limit) ? m->limit : 0, &out, &why) < 0)
      return error_set(err, ERR_INVALID_CONFIG, 0, "linux.resources.memory.swap: %s", why);
  }
  const oci_linux_resources_cpu *c = r->cpu;
  if (SET(c, realtime_runtime) || SET(c, realtime_period))
    return no_v2(err,
                 SET(c, realtime_runtime) ? "linux.resources.cpu.realtimeRuntime"
                                          : "linux.resources.cpu.realtimePeriod",
                 "has no realtime CPU budget (cpu.rt_* are v1 only)");
  const oci_linux_resources_block_io *b = r->block_io;
  if (SET(b, leaf_weight))
    return no_v2(err, "linux.resources.blockIO.leafWeight", "has no leaf weights");
  for (size_t i = 0; b != NULL && i < b->weight_device_len; i++)
    if (SET(b->weight_device[i], leaf_weight)) {
      char field[80];
      snprintf(field, sizeof field, "linux.resources.blockIO.weightDevice[%zu].leafWeight", i);
      return no_v2(err, field, "has no leaf weights");
    }
  if (r->network != NULL && (PRESENT(r->network, class_id) || r->network->priorities_len > 0))
    return no_v2(err, "linux.resources.network",
                 "has no net_cls or net_prio (classify traffic by cgroup path with nftables "
                 "or eBPF instead)");
  if (!update || r->devices_len > 0) {
    struct cg_dev *rules;
    size_t n;
    if (cg_device_rules(r, &rules, &n, err) < 0)
      return -1;
    int rc = devbpf_check(rules, n, err);
    free(rules);
    if (rc < 0)
      return -1;
  }
  /* Every controller needed must exist in this kernel's cgroup v2. */
  const struct cg_hier *h = hier(cg);
  struct needs s;
  needs_of(r, &s);
  if (s.n == 0 || h == NULL || h->mnt == NULL)
    return 0;
  char *avail = NULL;
  if (cg_read(h->mnt, "cgroup.controllers", &avail, err) < 0)
    return -1;
  char *spaced = xasprintf(" %s ", avail);
  free(avail);
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < s.n; i++) {
    char *word = xasprintf(" %s ", s.name[i]);
    if (strstr(spaced, word) == NULL)
      rc = error_set(err, ERR_HOST_UNSUPPORTED, 0,
                     "%s: this kernel's cgroup v2 has no %s controller (not in "
                     "%s/cgroup.controllers: not built in, or held by a cgroup v1 mount)",
                     s.field[i], s.name[i], h->mnt);
    free(word);
  }
  free(spaced);
  return rc;
}

/* ---- prepare: controllers in the ancestors' subtree_control -------------------------------- */

static bool has_word(const char *list, const char *word) {
  size_t n = strlen(word);
  for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
    if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0' || p[n] == '\n'))
      return true;
  return false;
}

static int enable_in(const struct cg_hier *h, const char *dir, const struct needs *s,
                     struct error **err) {
  char *enabled = NULL;
  if (cg_read(dir, "cgroup.subtree_control", &enabled, err) < 0)
    return -1;
  char missing[sizeof s->name / sizeof s->name[0] * 34] = "";
  size_t first = s->n;
  for (size_t i = 0; i < s->n; i++)
    if (!has_word(enabled, s->name[i])) {
      if (first == s->n)
        first = i;
      strcat(missing, missing[0] ? " +" : "+");
      strcat(missing, s->name[i]);
    }
  free(enabled);
  if (missing[0] == '\0')
    return 0;
  if (h->own != NULL && cg_path_within(h->own, dir)) {
    if (strcmp(h->own, dir) == 0 && strcmp(dir, h->mnt) != 0)
      return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                       "%s: the %s controller is not enabled in %s/cgroup.subtree_control, and "
                       "contain cannot enable it there: %s is this process's own cgroup, and "
                       "cgroup v2's \"no internal processes\" rule lets only a cgroup without "
                       "processes enable controllers for its children. Use an absolute "
                       "cgroupsPath outside it, or run contain from a leaf cgroup (move the "
                       "processes of %s into e.g. %s/init, then echo \"%s\" > "
                       "%s/cgroup.subtree_control)",
                       s->field[first], s->name[first], dir, dir, dir, dir, missing, dir);
    return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                     "%s: the %s controller is not enabled in %s/cgroup.subtree_control, which "
                     "contains this process; contain does not change the controllers of the "
                     "cgroups it runs in: enable them there (echo \"%s\" > "
                     "%s/cgroup.subtree_control) or choose a cgroupsPath where they are",
                     s->field[first], s->name[first], dir, missing, dir);
  }
  if (cg_write(dir, "cgroup.subtree_control", missing, NULL, err) < 0)
    return error_prefix(err, "%s: cannot enable the controllers the container needs",
                        s->field[first]);
  return 0;
}

static int v2_prepare(struct cgroup *cg, const oci_linux_resources *r, bool creating,
                      struct error **err) {
  (void)creating;
  const struct cg_hier *h = hier(cg);
  struct needs s;
  needs_of(r, &s);
  if (s.n == 0 || h == NULL)
    return 0;
  if (h->mnt == NULL || !cg_path_within(h->path, h->mnt) || strcmp(h->path, h->mnt) == 0)
    return error_set(err, ERR_GENERIC, 0, "%s: cannot find the parents of the cgroup %s",
                     s.field[0], h->path);
  /* From the root down to the container's parent: each enables them for the next. */
  size_t end = (size_t)(strrchr(h->path, '/') - h->path);
  for (size_t i = strlen(h->mnt); i <= end; i++) {
    if (i != strlen(h->mnt) && h->path[i] != '/')
      continue;
    char *dir = xasprintf("%.*s", (int)i, h->path);
    int rc = enable_in(h, dir, &s, err);
    free(dir);
    if (rc < 0)
      return -1;
  }
  return 0;
}

/* ---- apply ------------------------------------------------------------------------------- */

static int v2_memory(const char *dir, const oci_linux_resources_memory *m, bool update,
                     struct error **err) {
  int64_t limit = SET(m, limit) ? m->limit : 0;
  int64_t swap_in = SET(m, swap) ? m->swap : 0, swap = 0;
  const char *why = NULL;
  if (cg_swap_to_v2(swap_in, limit, &swap, &why) < 0)
    return error_set(err, ERR_INVALID_CONFIG, 0, "linux.resources.memory.swap: %s", why);
  char buf[24];
  if (update && PRESENT(m, check_before_update) && m->check_before_update && limit > 0) {
    uint64_t usage = 0;
    if (cg_read_u64(dir, "memory.current", &usage, err) < 0)
      return -1;
    if ((uint64_t)limit < usage)
      return error_set(err, ERR_INVALID_CONFIG, 0,
                       "linux.resources.memory.limit: rejecting memory limit %" PRId64
                       " below the current usage %" PRIu64 " (checkBeforeUpdate)",
                       limit, usage);
  }
  /* Given, or implied by an unlimited memory. Without swap accounting, a limit that
   * cannot be exceeded anyway (max, or none on a host without swap) is met as it is. */
  if (swap_in != 0 || limit == -1) {
    bool met = !cg_file_exists(dir, "memory.swap.max") &&
               (swap == -1 || (swap == 0 && !cg_host_has_swap()));
    if (!met && cg_write(dir, "memory.swap.max", cg_fmt_max(swap, buf),
                         "linux.resources.memory.swap", err) < 0)
      return -1;
  }
  if (limit != 0 &&
      cg_write(dir, "memory.max", cg_fmt_max(limit, buf), "linux.resources.memory.limit", err) < 0)
    return -1;
  if (SET(m, reservation) && cg_write(dir, "memory.low", cg_fmt_max(m->reservation, buf),
                                      "linux.resources.memory.reservation", err) < 0)
    return -1;
  return 0;
}

static int v2_cpu(const char *dir, const oci_linux_resources_cpu *c, struct error **err) {
  if (SET(c, shares) && cg_writef(dir, "cpu.weight", "linux.resources.cpu.shares", err, "%" PRIu64,
                                  cg_cpu_shares_to_weight(c->shares)) < 0)
    return -1;
  bool burst = PRESENT(c, burst) && (c->burst != 0 || cg_file_exists(dir, "cpu.max.burst"));
  bool burst_later = false;
  if (burst) {
    /* The burst must fit the quota: if the new quota makes room, write it after. */
    struct error *e = NULL;
    if (cg_writef(dir, "cpu.max.burst", "linux.resources.cpu.burst", &e, "%" PRIu64, c->burst) <
        0) {
      if (e->errnum != EINVAL || !SET(c, quota)) {
        error_free(*err);
        *err = e;
        return -1;
      }
      error_free(e);
      burst_later = true;
    }
  }
  if (SET(c, quota) || SET(c, period)) {
    char *current = NULL;
    if (!(SET(c, quota) && SET(c, period)) && cg_read(dir, "cpu.max", &current, err) < 0)
      return -1;
    char buf[48];
    cg_cpu_max(SET(c, quota), SET(c, quota) ? c->quota : 0, SET(c, period),
               SET(c, period) ? c->period : 0, current, buf);
    free(current);
    if (cg_write(dir, "cpu.max", buf,
                 SET(c, quota) ? "linux.resources.cpu.quota" : "linux.resources.cpu.period",
                 err) < 0)
      return -1;
  }
  if (burst_later &&
      cg_writef(dir, "cpu.max.burst", "linux.resources.cpu.burst", err, "%" PRIu64, c->burst) < 0)
    return -1;
  if (PRESENT(c, idle) && (c->idle != 0 || cg_file_exists(dir, "cpu.idle")) &&
      cg_writef(dir, "cpu.idle", "linux.resources.cpu.idle", err, "%" PRId64, c->idle) < 0)
    return -1;
  return 0;
}

static int v2_cpuset(const char *dir, const oci_linux_resources_cpu *c, struct error **err) {
  if (c->cpus && c->cpus[0] &&
      cg_write(dir, "cpuset.cpus", c->cpus, "linux.resources.cpu.cpus", err) < 0)
    return -1;
  if (c->mems && c->mems[0] &&
      cg_write(dir, "cpuset.mems", c->mems, "linux.resources.cpu.mems", err) < 0)
    return -1;
  return 0;
}

static int io_max(const char *dir, const char *key, const char *name,
                  oci_throttle_device *const *list, size_t n, struct error **err) {
  for (size_t i = 0; i < n; i++) {
    char field[80], rate[24];
    snprintf(field, sizeof field, "linux.resources.blockIO.%s[%zu]", name, i);
    /* v1's 0 removes the limit; v2 says max. */
    if (list[i]->rate == 0)
      snprintf(rate, sizeof rate, "max");
    else
      snprintf(rate, sizeof rate, "%" PRIu64, list[i]->rate);
    if (cg_writef(dir, "io.max", field, err, "%" PRId64 ":%" PRId64 " %s=%s", list[i]->major,
                  list[i]->minor, key, rate) < 0)
      return -1;
  }
  return 0;
}

static int v2_io(const char *dir, const oci_linux_resources_block_io *b, struct error **err) {
  /* bfq takes the blkio weights as they are; io.weight has its own range. */
  bool bfq = cg_file_exists(dir, "io.bfq.weight");
  const char *file = bfq ? "io.bfq.weight" : "io.weight";
  if (SET(b, weight) &&
      cg_writef(dir, file, "linux.resources.blockIO.weight", err, "%" PRIu64,
                bfq ? (uint64_t)b->weight : cg_blkio_weight_to_io_weight(b->weight)) < 0)
    return -1;
  for (size_t i = 0; i < b->weight_device_len; i++) {
    const oci_weight_device *w = b->weight_device[i];
    char field[80];
    snprintf(field, sizeof field, "linux.resources.blockIO.weightDevice[%zu]", i);
    if (SET(w, weight) &&
        cg_writef(dir, file, field, err, "%" PRId64 ":%" PRId64 " %" PRIu64, w->major, w->minor,
                  bfq ? (uint64_t)w->weight : cg_blkio_weight_to_io_weight(w->weight)) < 0)
      return -1;
  }
  if (io_max(dir, "rbps", "throttleReadBpsDevice", b->throttle_read_bps_device,
             b->throttle_read_bps_device_len, err) < 0 ||
      io_max(dir, "wbps", "throttleWriteBpsDevice", b->throttle_write_bps_device,
             b->throttle_write_bps_device_len, err) < 0 ||
      io_max(dir, "riops", "throttleReadIOPSDevice", b->throttle_read_iops_device,
             b->throttle_read_iops_device_len, err) < 0 ||
      io_max(dir, "wiops", "throttleWriteIOPSDevice", b->throttle_write_iops_device,
             b->throttle_write_iops_device_len, err) < 0)
    return -1;
  return 0;
}

static int v2_hugetlb(const char *dir, const oci_linux_resources *r, struct error **err) {
  for (size_t i = 0; i < r->hugepage_limits_len; i++) {
    const oci_linux_resources_hugepage_limits_element *l = r->hugepage_limits[i];
    char field[64], file[64], rsvd[64];
    snprintf(field, sizeof field, "linux.resources.hugepageLimits[%zu]", i);
    snprintf(file, sizeof file, "hugetlb.%s.max", l->page_size);
    snprintf(rsvd, sizeof rsvd, "hugetlb.%s.rsvd.max", l->page_size);
    if (cg_writef(dir, file, field, err, "%" PRIu64, l->limit) < 0)
      return -1;
    if (cg_file_exists(dir, rsvd) && cg_writef(dir, rsvd, field, err, "%" PRIu64, l->limit) < 0)
      return -1;
  }
  return 0;
}

static int v2_rdma(const char *dir, const oci_linux_resources_rdma_map *m, struct error **err) {
  for (size_t i = 0; i < m->len; i++) {
    const oci_linux_resources_rdma_value *v = m->values[i];
    char handles[40] = "", objects[40] = "", field[96];
    if (v == NULL || (!v->hca_handles_present && !v->hca_objects_present))
      continue;
    if (v->hca_handles_present)
      snprintf(handles, sizeof handles, " hca_handle=%" PRIu32, v->hca_handles);
    if (v->hca_objects_present)
      snprintf(objects, sizeof objects, " hca_object=%" PRIu32, v->hca_objects);
    snprintf(field, sizeof field, "linux.resources.rdma[\"%.40s\"]", m->keys[i]);
    if (cg_writef(dir, "rdma.max", field, err, "%s%s%s", m->keys[i], handles, objects) < 0)
      return -1;
  }
  return 0;
}

static int v2_unified(const char *dir, const oci_string_map *u, struct error **err) {
  for (size_t i = 0; i < u->len; i++) {
    char field[128];
    snprintf(field, sizeof field, "linux.resources.unified[\"%.80s\"]", u->keys[i]);
    if (cg_write_lines(dir, u->keys[i], u->values[i], field, err) < 0) {
      if ((*err)->errnum == ENOENT)
        cg_hint(err, "this kernel has no such cgroup v2 file");
      return -1;
    }
  }
  return 0;
}

static int v2_dirfd(struct cgroup *cg);

/* The device filter: on create always (no rules = deny-all + the default devices), on
 * update when the resources bring rules. */
static int v2_devices(struct cgroup *cg, const oci_linux_resources *r, struct error **err) {
  struct cg_dev *rules = NULL;
  size_t n = 0;
  if (r != NULL && cg_device_rules(r, &rules, &n, err) < 0)
    return -1;
  int rc = devbpf_apply(v2_dirfd(cg), hier(cg)->path, rules, n, err);
  free(rules);
  return rc;
}

static int v2_apply(struct cgroup *cg, const oci_linux_resources *r, bool update,
                    struct error **err) {
  const struct cg_hier *h = hier(cg);
  if (h == NULL)
    return 0;
  if ((!update || (r != NULL && r->devices_len > 0)) && v2_devices(cg, r, err) < 0)
    return -1;
  if (r == NULL)
    return 0;
  const char *dir = h->path;
  if (memory_wanted(r->memory) && v2_memory(dir, r->memory, update, err) < 0)
    return -1;
  if (cpu_wanted(r->cpu) && v2_cpu(dir, r->cpu, err) < 0)
    return -1;
  if (r->cpu != NULL && v2_cpuset(dir, r->cpu, err) < 0)
    return -1;
  if (SET(r->pids, limit)) {
    char buf[24];
    if (cg_write(dir, "pids.max", cg_fmt_max(r->pids->limit < 0 ? -1 : r->pids->limit, buf),
                 "linux.resources.pids.limit", err) < 0)
      return -1;
  }
  if (io_wanted(r->block_io) && v2_io(dir, r->block_io, err) < 0)
    return -1;
  if (r->hugepage_limits_len > 0 && v2_hugetlb(dir, r, err) < 0)
    return -1;
  if (r->rdma != NULL && v2_rdma(dir, r->rdma, err) < 0)
    return -1;
  /* Last, so that it wins over the fields above, as the spec wants. */
  if (r->unified != NULL && v2_unified(dir, r->unified, err) < 0)
    return -1;
  return 0;
}

/* ---- freezer ----------------------------------------------------------------------------- */

static long ms_since(const struct timespec *t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Waits until cgroup.events says "frozen want", woken by the kernel's notification. */
static int wait_frozen(const char *dir, bool want, struct error **err) {
  char *path = cg_join(dir, "cgroup.events");
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  free(path);
  if (fd < 0)
    return error_sys(err, "cannot open %s/cgroup.events", dir);
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int rc = -1;
  for (;;) {
    char buf[512];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n < 0) {
      error_sys(err, "cannot read %s/cgroup.events", dir);
      break;
    }
    buf[n] = '\0';
    const char *f = strstr(buf, "frozen ");
    if (f != NULL && (f[7] == '1') == want) {
      rc = 0;
      break;
    }
    long left = 5000 - ms_since(&t0);
    if (left <= 0) {
      error_set(err, ERR_GENERIC, 0, "%s: the cgroup did not become %s within 5 s", dir,
                want ? "frozen" : "thawed");
      break;
    }
    struct pollfd p = {.fd = fd, .events = POLLPRI};
    /* Woken by a change; the timeout also covers one missed between read and poll. */
    (void)poll(&p, 1, left < 100 ? (int)left : 100);
  }
  close(fd);
  return rc;
}

int cg2_freeze_dir(const char *dir, bool frozen, struct error **err) {
  if (cg_write(dir, "cgroup.freeze", frozen ? "1" : "0", NULL, err) < 0) {
    if ((*err)->errnum == ENOENT)
      cg_hint(err, "the cgroup v2 freezer needs Linux 5.2 or later");
    return -1;
  }
  if (wait_frozen(dir, frozen, err) == 0)
    return 0;
  if (frozen) /* not left half-frozen */
    (void)cg_write(dir, "cgroup.freeze", "0", NULL, NULL);
  return -1;
}

int cg2_is_frozen_dir(const char *dir, bool *frozen, struct error **err) {
  char *v = NULL;
  *frozen = false;
  if (cg_read(dir, "cgroup.freeze", &v, err) < 0)
    return -1;
  *frozen = strcmp(v, "1") == 0;
  free(v);
  return 0;
}

static int v2_freeze(struct cgroup *cg, bool frozen, struct error **err) {
  return cg2_freeze_dir(hier(cg)->path, frozen, err);
}

static int v2_is_frozen(struct cgroup *cg, bool *frozen, struct error **err) {
  return cg2_is_frozen_dir(hier(cg)->path, frozen, err);
}

static const struct cg_hier *v2_procs_hier(const struct cgroup *cg) { return hier(cg); }

static int v2_dirfd(struct cgroup *cg) {
  const struct cg_hier *h = hier(cg);
  if (cg->dirfd < 0 && h != NULL)
    cg->dirfd = open(h->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  return cg->dirfd;
}

const struct cgroup_ops cg_v2_ops = {
    .name = "v2",
    .mode = CGROUP_MODE_UNIFIED,
    .always_writes = true, /* the device filter */
    .updates_devices = true,
    .check = v2_check,
    .prepare = v2_prepare,
    .apply = v2_apply,
    .freeze = v2_freeze,
    .is_frozen = v2_is_frozen,
    .procs_hier = v2_procs_hier,
    .dirfd = v2_dirfd,
};
