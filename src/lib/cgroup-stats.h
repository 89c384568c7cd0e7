/* cgroup-stats.h — what a container's cgroup has used (runc's stats: cpu, cpuset, memory,
 * pids, blkio, hugetlb), and the notification of its OOM kills.
 *
 * Read from the files of the driver's hierarchies (cgroup_load / cgroup_create handle), with
 * runc's conversions, so that `contain events` prints what `runc events` does:
 *   v1: cpuacct.usage[_percpu|_all], cpuacct.stat (ticks -> ns), cpu.stat; cpuset.*;
 *       memory.{usage,max_usage,limit}_in_bytes, failcnt, memsw.*, kmem.*, kmem.tcp.*,
 *       memory.stat; pids.current/max; blkio: the first of the bfq, cfq and throttle files
 *       that has data; hugetlb.SIZE[.rsvd].*. A hybrid host's cgroup2 gives the hugetlb
 *       numbers a v1 hierarchy does not have.
 *   v2: cpu.stat (usec -> ns), memory.current/max/peak, memory.swap.* (reported as
 *       memory+swap, as v1 does), memory.stat, pids.current/max, io.stat (as v1's
 *       ioServiceBytesRecursive and ioServicedRecursive), hugetlb.SIZE[.rsvd].current and
 *       .events.
 * A file that is not there (controller absent or not enabled) leaves its numbers at 0, as
 * with runc; "max" limits read as 18446744073709551615 (v2) or 0 for pids. */
#ifndef CONTAIN_CGROUP_STATS_H
#define CONTAIN_CGROUP_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroup.h"
#include "error.h"

struct cg_mem_entry {
  uint64_t limit, usage, max, failcnt;
};

struct cg_blkio_entry {
  uint64_t major, minor, value;
  char op[16];
};

/* runc's blkio lists, in the order of its JSON. */
enum {
  CG_BLKIO_SERVICE_BYTES, /* ioServiceBytesRecursive */
  CG_BLKIO_SERVICED,      /* ioServicedRecursive */
  CG_BLKIO_QUEUED,        /* ioQueueRecursive */
  CG_BLKIO_SERVICE_TIME,  /* ioServiceTimeRecursive */
  CG_BLKIO_WAIT_TIME,     /* ioWaitTimeRecursive */
  CG_BLKIO_MERGED,        /* ioMergedRecursive */
  CG_BLKIO_TIME,          /* ioTimeRecursive */
  CG_BLKIO_SECTORS,       /* sectorsRecursive */
  CG_BLKIO_N
};

struct cg_kv {
  char *key;
  uint64_t value;
};

struct cg_hugetlb {
  char size[16]; /* "2MB", "1GB" */
  uint64_t usage, max, failcnt;
};

struct cgroup_stats {
  struct {
    uint64_t total, kernel, user; /* ns */
    uint64_t *percpu, *percpu_kernel, *percpu_user;
    size_t n_percpu, n_percpu_kernel, n_percpu_user;
    uint64_t periods, throttled_periods, throttled_time;
  } cpu;
  struct {
    uint16_t *cpus, *mems;
    size_t n_cpus, n_mems;
    uint64_t cpu_exclusive, mem_hardwall, mem_exclusive, memory_migrate, memory_spread_page,
        memory_spread_slab, memory_pressure, sched_load_balance;
    int64_t sched_relax_domain_level;
  } cpuset;
  struct {
    uint64_t cache;
    struct cg_mem_entry usage, swap, kernel, kernel_tcp;
    struct cg_kv *raw; /* memory.stat, sorted by key */
    size_t n_raw;
  } memory;
  struct {
    uint64_t current, limit;
  } pids;
  struct {
    struct cg_blkio_entry *v;
    size_t n;
  } blkio[CG_BLKIO_N];
  struct cg_hugetlb *hugetlb; /* sorted by size name */
  size_t n_hugetlb;
};

/* Fills *s (zeroed first); free with cgroup_stats_clear, also after a failure. */
int cgroup_stats(struct cgroup *cg, struct cgroup_stats *s, struct error **err);
void cgroup_stats_clear(struct cgroup_stats *s);
/* runc's JSON of the stats (the "data" of a "stats" event), malloc'd. */
char *cgroup_stats_json(const struct cgroup_stats *s);

/* ---- OOM kills ---------------------------------------------------------------------------
 * v1: an eventfd registered in cgroup.event_control for memory.oom_control; v2: the
 * oom_kill counter of memory.events, whose changes the kernel signals with POLLPRI. */
struct cgroup_oom;
int cgroup_oom_open(struct cgroup *cg, struct cgroup_oom **out, struct error **err);
/* The fd to poll (events: cgroup_oom_events()). */
int cgroup_oom_fd(const struct cgroup_oom *o);
short cgroup_oom_events(const struct cgroup_oom *o);
/* After the fd polled ready (or at any time): the OOM kills seen since the last call, and
 * whether the cgroup is gone. Does not block. */
int cgroup_oom_read(struct cgroup_oom *o, unsigned *kills, bool *gone, struct error **err);
void cgroup_oom_close(struct cgroup_oom *o);

/* Pure parsers, for the unit tests. */
/* "0-3,5" -> [0,1,2,3,5] (malloc'd). -1 when malformed. */
int cg_parse_cpu_list(const char *s, uint16_t **out, size_t *n);
/* /sys/kernel/mm/hugepages entry "hugepages-2048kB" -> "2MB" (runc's names). */
bool cg_hugepage_name(const char *dirent, char out[16]);

#endif
