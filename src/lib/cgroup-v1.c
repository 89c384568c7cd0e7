/* cgroup-v1.c — the v1 driver: one directory per mounted v1 hierarchy (co-mounted
 * controllers such as cpu,cpuacct share one), and on a hybrid host one more in the cgroup2
 * at /sys/fs/cgroup/unified, which holds the processes but gets no limits from the v1
 * fields (only the `unified` map is written there).
 *
 * Per field: memory -> memory.limit_in_bytes, soft_limit_in_bytes (reservation),
 * memsw.limit_in_bytes (swap = memory+swap), kmem[.tcp].limit_in_bytes, swappiness,
 * oom_control, use_hierarchy; cpu -> cpu.shares, cfs_period_us/quota_us/burst_us,
 * rt_period_us/rt_runtime_us, cpu.idle; cpus/mems -> cpuset.*; pids -> pids.max;
 * blockIO -> blkio.[bfq.]weight[_device], leaf_weight[_device], throttle.*; hugepageLimits
 * -> hugetlb.SIZE[.rsvd].limit_in_bytes; network -> net_cls.classid, net_prio.ifpriomap;
 * rdma -> rdma.max; devices -> devices.deny "a", the rules in order, then the defaults.
 * A field whose controller is not mounted is an error that names it. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgroup-internal.h"
#include "util.h"

#define SET(o, f) ((o) != NULL && (o)->f##_present && (o)->f != 0)
#define PRESENT(o, f) ((o) != NULL && (o)->f##_present)

static bool mem_wanted(const oci_linux_resources_memory *m) {
  return m != NULL && (SET(m, limit) || SET(m, reservation) || SET(m, swap) || SET(m, kernel) ||
                       SET(m, kernel_tcp) || PRESENT(m, swappiness) ||
                       PRESENT(m, disable_oom_killer) || PRESENT(m, use_hierarchy));
}

static bool cpu_wanted(const oci_linux_resources_cpu *c) {
  return c != NULL && (SET(c, shares) || SET(c, quota) || SET(c, period) || PRESENT(c, burst) ||
                       SET(c, realtime_runtime) || SET(c, realtime_period) || PRESENT(c, idle));
}

static bool cpuset_wanted(const oci_linux_resources_cpu *c) {
  return c != NULL && ((c->cpus && c->cpus[0]) || (c->mems && c->mems[0]));
}

static bool blkio_wanted(const oci_linux_resources_block_io *b) {
  return b != NULL &&
         (SET(b, weight) || SET(b, leaf_weight) || b->weight_device_len > 0 ||
          b->throttle_read_bps_device_len > 0 || b->throttle_write_bps_device_len > 0 ||
          b->throttle_read_iops_device_len > 0 || b->throttle_write_iops_device_len > 0);
}

static int not_mounted(const char *field, const char *ctl, struct error **err) {
  return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                   "%s: the %s cgroup controller is not mounted on this host (see /proc/cgroups): "
                   "mount it (mkdir /sys/fs/cgroup/%s; mount -t cgroup -o %s cgroup "
                   "/sys/fs/cgroup/%s) or remove the field",
                   field, ctl, ctl, ctl, ctl);
}

static int need(const struct cgroup *cg, const char *ctl, const char *field, struct error **err) {
  return cg_find(cg, ctl) ? 0 : not_mounted(field, ctl, err);
}

static const char *dir_of(const struct cgroup *cg, const char *ctl) {
  const struct cg_hier *h = cg_find(cg, ctl);
  return h ? h->path : NULL;
}

static int v1_check(const struct cgroup *cg, const oci_linux_resources *r, bool update,
                    struct error **err) {
  if (r == NULL)
    return 0;
  if (cg_check_values(r, err) < 0)
    return -1;
  if (mem_wanted(r->memory) && need(cg, "memory", "linux.resources.memory", err) < 0)
    return -1;
  if (cpu_wanted(r->cpu) && need(cg, "cpu", "linux.resources.cpu", err) < 0)
    return -1;
  if (cpuset_wanted(r->cpu) && need(cg, "cpuset", "linux.resources.cpu.cpus/mems", err) < 0)
    return -1;
  if (SET(r->pids, limit) && need(cg, "pids", "linux.resources.pids", err) < 0)
    return -1;
  if (blkio_wanted(r->block_io) && need(cg, "blkio", "linux.resources.blockIO", err) < 0)
    return -1;
  if (r->hugepage_limits_len > 0 && need(cg, "hugetlb", "linux.resources.hugepageLimits", err) < 0)
    return -1;
  if (PRESENT(r->network, class_id) &&
      need(cg, "net_cls", "linux.resources.network.classID", err) < 0)
    return -1;
  if (r->network != NULL && r->network->priorities_len > 0 &&
      need(cg, "net_prio", "linux.resources.network.priorities", err) < 0)
    return -1;
  if (r->rdma != NULL && r->rdma->len > 0 && need(cg, "rdma", "linux.resources.rdma", err) < 0)
    return -1;
  if (r->unified != NULL && r->unified->len > 0) {
    if (cg_find(cg, "unified") == NULL)
      return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                       "linux.resources.unified: cgroup v2 files cannot be set on this host, "
                       "which has only cgroup v1; use the v1 fields of linux.resources");
  }
  if (update)
    return 0; /* devices are set once, by create (runc update has none either) */
  struct cg_dev *rules;
  size_t n;
  if (cg_device_rules(r, &rules, &n, err) < 0)
    return -1;
  int rc = 0;
  size_t bad;
  const char *why;
  if (cg_find(cg, "devices") == NULL && cg_devices_default_only(rules, n, &bad, &why) < 0)
    rc = error_set(err, ERR_HOST_UNSUPPORTED, 0,
                   "linux.resources.devices[%zu]: %s, but this host has no devices cgroup "
                   "controller to enforce device rules (see /proc/cgroups)",
                   bad, why);
  free(rules);
  return rc;
}

/* ---- prepare: new cpusets start empty ---------------------------------------------------- */

/* A new v1 cpuset has no CPUs and no memory nodes, and no task can join it: fill each
 * empty one from the hierarchy's root down to the container's, from its parent. */
static int fill_cpusets(const struct cg_hier *h, struct error **err) {
  size_t base = strlen(h->mnt);
  for (size_t i = base + 1; i <= strlen(h->path); i++) {
    if (h->path[i] != '/' && h->path[i] != '\0')
      continue;
    char *dir = xasprintf("%.*s", (int)i, h->path);
    char *parent = xasprintf("%.*s", (int)(strrchr(dir, '/') - dir), dir);
    static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};
    int rc = 0;
    for (size_t f = 0; rc == 0 && f < 2; f++) {
      char *cur = NULL, *up = NULL;
      rc = cg_read(dir, files[f], &cur, err);
      if (rc == 0 && cur[0] == '\0') {
        rc = cg_read(parent, files[f], &up, err);
        if (rc == 0)
          rc = cg_write(dir, files[f], up, NULL, err);
      }
      free(cur);
      free(up);
    }
    free(dir);
    free(parent);
    if (rc < 0)
      return error_prefix(err, "cannot give the new cpuset its parent's CPUs and memory nodes");
  }
  return 0;
}

static int v1_prepare(struct cgroup *cg, const oci_linux_resources *r, bool creating,
                      struct error **err) {
  (void)r;
  const struct cg_hier *h = cg_find(cg, "cpuset");
  if (!creating || h == NULL || h->mnt == NULL)
    return 0;
  return fill_cpusets(h, err);
}

/* ---- apply ------------------------------------------------------------------------------- */

/* memory.memsw.limit_in_bytes; without swap accounting a limit that cannot be exceeded
 * anyway (unlimited, or a host without swap) is met as it is. */
static int set_swap(const char *dir, int64_t swap, struct error **err) {
  static const char file[] = "memory.memsw.limit_in_bytes";
  if (!cg_file_exists(dir, file) && (swap == -1 || !cg_host_has_swap()))
    return 0;
  return cg_writef(dir, file, "linux.resources.memory.swap", err, "%" PRId64, swap);
}

static int set_limit(const char *dir, int64_t limit, struct error **err) {
  if (cg_writef(dir, "memory.limit_in_bytes", "linux.resources.memory.limit", err, "%" PRId64,
                limit) == 0)
    return 0;
  uint64_t usage = 0, peak = 0;
  if ((*err)->errnum == EBUSY && cg_read_u64(dir, "memory.usage_in_bytes", &usage, NULL) == 0 &&
      cg_read_u64(dir, "memory.max_usage_in_bytes", &peak, NULL) == 0)
    cg_hint(err,
            "unable to set memory limit to %" PRId64 " (current usage: %" PRIu64
            ", peak usage: %" PRIu64 ")",
            limit, usage, peak);
  return -1;
}

/* A limit the kernel accepts but ignores (kernel memory since Linux 5.16) is not met. */
static int set_checked(const char *dir, const char *file, int64_t v, const char *field,
                       struct error **err) {
  if (cg_writef(dir, file, field, err, "%" PRId64, v) < 0)
    return -1;
  uint64_t now = 0;
  if (v > 0 && cg_read_u64(dir, file, &now, err) == 0 && now > (uint64_t)v)
    return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                     "%s: this kernel ignores %s/%s (kernel memory limits were removed in "
                     "Linux 5.16; it is counted in the memory limit): remove the field",
                     field, dir, file);
  return 0;
}

static int v1_memory(const char *dir, const oci_linux_resources_memory *m, bool update,
                     struct error **err) {
  int64_t limit = SET(m, limit) ? m->limit : 0;
  int64_t swap = SET(m, swap) ? m->swap : 0;
  if (limit == -1 && swap == 0 && cg_file_exists(dir, "memory.memsw.limit_in_bytes"))
    swap = -1; /* unlimited memory, swap not given: unlimited memory+swap */
  if (update && PRESENT(m, check_before_update) && m->check_before_update && limit > 0) {
    uint64_t usage = 0;
    if (cg_read_u64(dir, "memory.usage_in_bytes", &usage, err) < 0)
      return -1;
    if ((uint64_t)limit < usage)
      return error_set(err, ERR_INVALID_CONFIG, 0,
                       "linux.resources.memory.limit: rejecting memory limit %" PRId64
                       " below the current usage %" PRIu64 " (checkBeforeUpdate)",
                       limit, usage);
  }
  /* memory+swap may never be below memory: the order of the writes depends on the
   * present limit. */
  if (limit != 0 && swap != 0) {
    uint64_t cur = 0;
    if (cg_read_u64(dir, "memory.limit_in_bytes", &cur, err) < 0)
      return -1;
    if (swap == -1 || cur < (uint64_t)swap) {
      if (set_swap(dir, swap, err) < 0 || set_limit(dir, limit, err) < 0)
        return -1;
    } else if (set_limit(dir, limit, err) < 0 || set_swap(dir, swap, err) < 0) {
      return -1;
    }
  } else if ((limit != 0 && set_limit(dir, limit, err) < 0) ||
             (swap != 0 && set_swap(dir, swap, err) < 0)) {
    return -1;
  }
  if (SET(m, reservation) &&
      cg_writef(dir, "memory.soft_limit_in_bytes", "linux.resources.memory.reservation", err,
                "%" PRId64, m->reservation) < 0)
    return -1;
  if (SET(m, kernel) && (m->kernel != -1 || cg_file_exists(dir, "memory.kmem.limit_in_bytes")) &&
      set_checked(dir, "memory.kmem.limit_in_bytes", m->kernel, "linux.resources.memory.kernel",
                  err) < 0)
    return -1;
  if (SET(m, kernel_tcp) &&
      (m->kernel_tcp != -1 || cg_file_exists(dir, "memory.kmem.tcp.limit_in_bytes")) &&
      set_checked(dir, "memory.kmem.tcp.limit_in_bytes", m->kernel_tcp,
                  "linux.resources.memory.kernelTCP", err) < 0)
    return -1;
  if (PRESENT(m, swappiness) && m->swappiness != UINT64_MAX &&
      cg_writef(dir, "memory.swappiness", "linux.resources.memory.swappiness", err, "%" PRIu64,
                m->swappiness) < 0)
    return -1;
  if (PRESENT(m, disable_oom_killer) && (m->disable_oom_killer || update) &&
      cg_write(dir, "memory.oom_control", m->disable_oom_killer ? "1" : "0",
               "linux.resources.memory.disableOOMKiller", err) < 0)
    return -1;
  if (PRESENT(m, use_hierarchy) &&
      cg_write(dir, "memory.use_hierarchy", m->use_hierarchy ? "1" : "0",
               "linux.resources.memory.useHierarchy", err) < 0)
    return -1;
  return 0;
}

static int v1_cpu(const char *dir, const oci_linux_resources_cpu *c, struct error **err) {
  if (SET(c, shares)) {
    if (cg_writef(dir, "cpu.shares", "linux.resources.cpu.shares", err, "%" PRIu64, c->shares) < 0)
      return -1;
    uint64_t got = 0;
    if (cg_read_u64(dir, "cpu.shares", &got, err) < 0)
      return -1;
    if (got != c->shares)
      return error_set(err, ERR_INVALID_CONFIG, 0,
                       "linux.resources.cpu.shares: the %s allowed cpu-shares is %" PRIu64,
                       got < c->shares ? "maximum" : "minimum", got);
  }
  /* A shorter period may be refused while the old quota is in place: then it is tried
   * again after the quota. The burst, too, must fit the quota. */
  bool period_later = false, burst_later = false;
  if (SET(c, period)) {
    struct error *e = NULL;
    if (cg_writef(dir, "cpu.cfs_period_us", "linux.resources.cpu.period", &e, "%" PRIu64,
                  c->period) < 0) {
      if (e->errnum != EINVAL || !SET(c, quota)) {
        error_free(*err);
        *err = e;
        return -1;
      }
      error_free(e);
      period_later = true;
    }
  }
  bool burst = PRESENT(c, burst) && (c->burst != 0 || cg_file_exists(dir, "cpu.cfs_burst_us"));
  if (burst) {
    struct error *e = NULL;
    if (cg_writef(dir, "cpu.cfs_burst_us", "linux.resources.cpu.burst", &e, "%" PRIu64, c->burst) <
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
  if (SET(c, quota)) {
    if (cg_writef(dir, "cpu.cfs_quota_us", "linux.resources.cpu.quota", err, "%" PRId64, c->quota) <
        0)
      return -1;
    if (period_later && cg_writef(dir, "cpu.cfs_period_us", "linux.resources.cpu.period", err,
                                  "%" PRIu64, c->period) < 0)
      return -1;
    if (burst_later && cg_writef(dir, "cpu.cfs_burst_us", "linux.resources.cpu.burst", err,
                                 "%" PRIu64, c->burst) < 0)
      return -1;
  }
  if (SET(c, realtime_period) &&
      cg_writef(dir, "cpu.rt_period_us", "linux.resources.cpu.realtimePeriod", err, "%" PRIu64,
                c->realtime_period) < 0)
    return -1;
  if (SET(c, realtime_runtime) &&
      cg_writef(dir, "cpu.rt_runtime_us", "linux.resources.cpu.realtimeRuntime", err, "%" PRId64,
                c->realtime_runtime) < 0)
    return -1;
  if (PRESENT(c, idle) && (c->idle != 0 || cg_file_exists(dir, "cpu.idle")) &&
      cg_writef(dir, "cpu.idle", "linux.resources.cpu.idle", err, "%" PRId64, c->idle) < 0)
    return -1;
  return 0;
}

static int v1_cpuset(const char *dir, const oci_linux_resources_cpu *c, struct error **err) {
  if (c->cpus && c->cpus[0] &&
      cg_write(dir, "cpuset.cpus", c->cpus, "linux.resources.cpu.cpus", err) < 0)
    return -1;
  if (c->mems && c->mems[0] &&
      cg_write(dir, "cpuset.mems", c->mems, "linux.resources.cpu.mems", err) < 0)
    return -1;
  return 0;
}

static int throttle(const char *dir, const char *file, const char *name,
                    oci_throttle_device *const *list, size_t n, struct error **err) {
  for (size_t i = 0; i < n; i++) {
    char field[80];
    snprintf(field, sizeof field, "linux.resources.blockIO.%s[%zu]", name, i);
    if (cg_writef(dir, file, field, err, "%" PRId64 ":%" PRId64 " %" PRIu64, list[i]->major,
                  list[i]->minor, list[i]->rate) < 0)
      return -1;
  }
  return 0;
}

static int v1_blkio(const char *dir, const oci_linux_resources_block_io *b, struct error **err) {
  /* With bfq (the proportional scheduler since Linux 5.0) the weights have its names. */
  bool bfq = cg_file_exists(dir, "blkio.bfq.weight");
  const char *wfile = bfq ? "blkio.bfq.weight" : "blkio.weight";
  const char *wdfile = bfq ? "blkio.bfq.weight_device" : "blkio.weight_device";
  if (SET(b, weight) &&
      cg_writef(dir, wfile, "linux.resources.blockIO.weight", err, "%u", (unsigned)b->weight) < 0)
    return -1;
  if (SET(b, leaf_weight) &&
      cg_writef(dir, "blkio.leaf_weight", "linux.resources.blockIO.leafWeight", err, "%u",
                (unsigned)b->leaf_weight) < 0)
    return -1;
  for (size_t i = 0; i < b->weight_device_len; i++) {
    const oci_weight_device *w = b->weight_device[i];
    char field[80];
    snprintf(field, sizeof field, "linux.resources.blockIO.weightDevice[%zu]", i);
    if (SET(w, weight) && cg_writef(dir, wdfile, field, err, "%" PRId64 ":%" PRId64 " %u", w->major,
                                    w->minor, (unsigned)w->weight) < 0)
      return -1;
    if (SET(w, leaf_weight) &&
        cg_writef(dir, "blkio.leaf_weight_device", field, err, "%" PRId64 ":%" PRId64 " %u",
                  w->major, w->minor, (unsigned)w->leaf_weight) < 0)
      return -1;
  }
  if (throttle(dir, "blkio.throttle.read_bps_device", "throttleReadBpsDevice",
               b->throttle_read_bps_device, b->throttle_read_bps_device_len, err) < 0 ||
      throttle(dir, "blkio.throttle.write_bps_device", "throttleWriteBpsDevice",
               b->throttle_write_bps_device, b->throttle_write_bps_device_len, err) < 0 ||
      throttle(dir, "blkio.throttle.read_iops_device", "throttleReadIOPSDevice",
               b->throttle_read_iops_device, b->throttle_read_iops_device_len, err) < 0 ||
      throttle(dir, "blkio.throttle.write_iops_device", "throttleWriteIOPSDevice",
               b->throttle_write_iops_device, b->throttle_write_iops_device_len, err) < 0)
    return -1;
  return 0;
}

static int v1_hugetlb(const char *dir, const oci_linux_resources *r, struct error **err) {
  for (size_t i = 0; i < r->hugepage_limits_len; i++) {
    const oci_linux_resources_hugepage_limits_element *l = r->hugepage_limits[i];
    char field[64], file[64], rsvd[64];
    snprintf(field, sizeof field, "linux.resources.hugepageLimits[%zu]", i);
    snprintf(file, sizeof file, "hugetlb.%s.limit_in_bytes", l->page_size);
    snprintf(rsvd, sizeof rsvd, "hugetlb.%s.rsvd.limit_in_bytes", l->page_size);
    if (cg_writef(dir, file, field, err, "%" PRIu64, l->limit) < 0)
      return -1;
    /* Reservation accounting (Linux 5.7+) where there is one, as the spec prefers. */
    if (cg_file_exists(dir, rsvd) && cg_writef(dir, rsvd, field, err, "%" PRIu64, l->limit) < 0)
      return -1;
  }
  return 0;
}

static int v1_network(const struct cgroup *cg, const oci_linux_resources_network *n,
                      struct error **err) {
  if (PRESENT(n, class_id) &&
      cg_writef(dir_of(cg, "net_cls"), "net_cls.classid", "linux.resources.network.classID", err,
                "%" PRIu32, n->class_id) < 0)
    return -1;
  for (size_t i = 0; i < n->priorities_len; i++) {
    char field[80];
    snprintf(field, sizeof field, "linux.resources.network.priorities[%zu]", i);
    if (cg_writef(dir_of(cg, "net_prio"), "net_prio.ifpriomap", field, err, "%s %" PRIu32,
                  n->priorities[i]->name, n->priorities[i]->priority) < 0)
      return -1;
  }
  return 0;
}

/* rdma.max takes "DEVICE hca_handle=N hca_object=M", v1 and v2 alike. */
static int rdma_write(const char *dir, const oci_linux_resources_rdma_map *m, struct error **err) {
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

static int v1_devices(const char *dir, const oci_linux_resources *r, struct error **err) {
  struct cg_dev *rules;
  size_t n;
  if (cg_device_rules(r, &rules, &n, err) < 0)
    return -1;
  /* A fresh cgroup with no task yet: start from deny-all, as runc's policy does, apply
   * the config's rules in order, then allow the default devices. */
  int rc = cg_write(dir, "devices.deny", "a", "linux.resources.devices", err);
  for (size_t i = 0; rc == 0 && i < n + cg_n_default_devices; i++) {
    const struct cg_dev *d = i < n ? &rules[i] : &cg_default_devices[i - n];
    char lines[2][64], field[64];
    if (i < n)
      snprintf(field, sizeof field, "linux.resources.devices[%zu]", i);
    else
      snprintf(field, sizeof field, "the default devices");
    int k = cg_dev_v1_lines(d, lines);
    for (int j = 0; rc == 0 && j < k; j++)
      rc = cg_write(dir, d->allow ? "devices.allow" : "devices.deny", lines[j], field, err);
  }
  free(rules);
  return rc;
}

static int v1_unified(const char *dir, const oci_string_map *u, struct error **err) {
  for (size_t i = 0; i < u->len; i++) {
    char field[128];
    snprintf(field, sizeof field, "linux.resources.unified[\"%.80s\"]", u->keys[i]);
    if (cg_write_lines(dir, u->keys[i], u->values[i], field, err) < 0) {
      if ((*err)->errnum == ENOENT)
        cg_hint(err, "on this hybrid host the controllers are in the v1 hierarchies, not in the "
                     "cgroup2 at /sys/fs/cgroup/unified: use the v1 fields of linux.resources");
      return -1;
    }
  }
  return 0;
}

static int v1_apply(struct cgroup *cg, const oci_linux_resources *r, bool update,
                    struct error **err) {
  const char *devices = dir_of(cg, "devices");
  if (!update && devices != NULL && v1_devices(devices, r, err) < 0)
    return -1;
  if (r == NULL)
    return 0;
  if (mem_wanted(r->memory) && v1_memory(dir_of(cg, "memory"), r->memory, update, err) < 0)
    return -1;
  if (cpu_wanted(r->cpu) && v1_cpu(dir_of(cg, "cpu"), r->cpu, err) < 0)
    return -1;
  if (cpuset_wanted(r->cpu) && v1_cpuset(dir_of(cg, "cpuset"), r->cpu, err) < 0)
    return -1;
  if (SET(r->pids, limit)) {
    char buf[24];
    if (cg_write(dir_of(cg, "pids"), "pids.max",
                 cg_fmt_max(r->pids->limit < 0 ? -1 : r->pids->limit, buf),
                 "linux.resources.pids.limit", err) < 0)
      return -1;
  }
  if (blkio_wanted(r->block_io) && v1_blkio(dir_of(cg, "blkio"), r->block_io, err) < 0)
    return -1;
  if (r->hugepage_limits_len > 0 && v1_hugetlb(dir_of(cg, "hugetlb"), r, err) < 0)
    return -1;
  if (r->network != NULL && v1_network(cg, r->network, err) < 0)
    return -1;
  if (r->rdma != NULL && r->rdma->len > 0 && rdma_write(dir_of(cg, "rdma"), r->rdma, err) < 0)
    return -1;
  if (r->unified != NULL && r->unified->len > 0 &&
      v1_unified(dir_of(cg, "unified"), r->unified, err) < 0)
    return -1;
  return 0;
}

/* ---- freezer ----------------------------------------------------------------------------- */

static long elapsed_ms(const struct timespec *t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Writes state until freezer.state reads it back. Freezing can take a few tries while
 * tasks fork; a short thaw now and then lets a stuck FREEZING through. */
static int freezer_set(const char *dir, const char *state, struct error **err) {
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  bool freezing = strcmp(state, "FROZEN") == 0;
  for (unsigned i = 0;; i++) {
    if (freezing && i > 0 && i % 50 == 0) {
      (void)cg_write(dir, "freezer.state", "THAWED", NULL, NULL);
      nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    if (cg_write(dir, "freezer.state", state, NULL, err) < 0)
      return -1;
    char *now = NULL;
    if (cg_read(dir, "freezer.state", &now, err) < 0)
      return -1;
    bool done = strcmp(now, state) == 0;
    free(now);
    if (done)
      return 0;
    if (elapsed_ms(&t0) > 2000)
      return error_set(err, ERR_GENERIC, 0, "%s/freezer.state did not become %s within 2 s", dir,
                       state);
    nanosleep(&(struct timespec){0, i < 10 ? 100000 : 1000000}, NULL);
  }
}

static int v1_freeze(struct cgroup *cg, bool frozen, struct error **err) {
  const struct cg_hier *h = cg_find(cg, "freezer");
  if (h == NULL) {
    /* A hybrid host's cgroup2 has its own freezer, and the processes are there too. */
    const struct cg_hier *u = cg_find(cg, "unified");
    if (u != NULL)
      return cg2_freeze_dir(u->path, frozen, err);
    return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                     "the freezer cgroup controller is not mounted on this host, so the container "
                     "cannot be %s: mount it (mkdir /sys/fs/cgroup/freezer; mount -t cgroup -o "
                     "freezer cgroup /sys/fs/cgroup/freezer)",
                     frozen ? "paused" : "resumed");
  }
  if (!frozen)
    return freezer_set(h->path, "THAWED", err);
  if (freezer_set(h->path, "FROZEN", err) == 0)
    return 0;
  (void)freezer_set(h->path, "THAWED", NULL); /* not left half-frozen */
  return -1;
}

static int v1_is_frozen(struct cgroup *cg, bool *frozen, struct error **err) {
  *frozen = false;
  const struct cg_hier *h = cg_find(cg, "freezer");
  if (h == NULL) {
    const struct cg_hier *u = cg_find(cg, "unified");
    return u ? cg2_is_frozen_dir(u->path, frozen, err) : 0;
  }
  char *state = NULL;
  if (cg_read(h->path, "freezer.state", &state, err) < 0)
    return -1;
  *frozen = strcmp(state, "FROZEN") == 0 || strcmp(state, "FREEZING") == 0;
  free(state);
  return 0;
}

static const struct cg_hier *v1_procs_hier(const struct cgroup *cg) {
  static const char *const prefer[] = {"pids", "freezer", "devices", "memory", "cpu"};
  for (size_t i = 0; i < sizeof prefer / sizeof prefer[0]; i++) {
    const struct cg_hier *h = cg_find(cg, prefer[i]);
    if (h != NULL)
      return h;
  }
  return cg->n > 0 ? &cg->h[0] : NULL;
}

static int v1_dirfd(struct cgroup *cg) {
  (void)cg;
  return -1;
}

const struct cgroup_ops cg_v1_ops = {
    .name = "v1",
    .mode = CGROUP_MODE_LEGACY,
    .always_writes = true,
    .check = v1_check,
    .prepare = v1_prepare,
    .apply = v1_apply,
    .freeze = v1_freeze,
    .is_frozen = v1_is_frozen,
    .procs_hier = v1_procs_hier,
    .dirfd = v1_dirfd,
};

const struct cgroup_ops cg_hybrid_ops = {
    .name = "hybrid",
    .mode = CGROUP_MODE_HYBRID,
    .always_writes = true,
    .check = v1_check,
    .prepare = v1_prepare,
    .apply = v1_apply,
    .freeze = v1_freeze,
    .is_frozen = v1_is_frozen,
    .procs_hier = v1_procs_hier,
    .dirfd = v1_dirfd,
};
