/* cgroup-stats.c — runc's stats of a container's cgroup, and its OOM notification (see
 * cgroup-stats.h). One reader per cgroup mode, chosen from a table as cgroup.c chooses the
 * driver; nothing here writes a limit. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

#include "cgroup-internal.h"
#include "cgroup-stats.h"
#include "util.h"

/* ---- reading ----------------------------------------------------------------------------- */

static bool absent(int errnum) {
  return errnum == ENOENT || errnum == ENODEV || errnum == EOPNOTSUPP || errnum == ENOTSUP;
}

/* 1 read, 0 not there (the controller is absent or not enabled), -1 error. */
static int rd_text(const char *dir, const char *file, char **out, struct error **err) {
  *out = NULL;
  if (dir == NULL)
    return 0;
  struct error *e = NULL;
  if (cg_read(dir, file, out, &e) == 0)
    return 1;
  if (absent(e->errnum)) {
    error_free(e);
    return 0;
  }
  error_free(err ? *err : NULL);
  if (err)
    *err = e;
  else
    error_free(e);
  return -1;
}

static int parse_u64(const char *s, uint64_t *out) {
  if (strcmp(s, "max") == 0) {
    *out = UINT64_MAX;
    return 0;
  }
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno != 0 || end == s || (*end != '\0' && *end != '\n' && *end != ' '))
    return -1;
  *out = v;
  return 0;
}

/* A number file; a missing one reads 0. */
static int rd_u64(const char *dir, const char *file, uint64_t *out, struct error **err) {
  char *s;
  int rc = rd_text(dir, file, &s, err);
  *out = 0;
  if (rc <= 0)
    return rc;
  if (parse_u64(s, out) < 0) {
    error_set(err, ERR_GENERIC, 0, "%s/%s: expected a number, found \"%.40s\"", dir, file, s);
    free(s);
    return -1;
  }
  free(s);
  return 1;
}

static int rd_i64(const char *dir, const char *file, int64_t *out, struct error **err) {
  char *s;
  int rc = rd_text(dir, file, &s, err);
  *out = 0;
  if (rc <= 0)
    return rc;
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno != 0 || end == s) {
    error_set(err, ERR_GENERIC, 0, "%s/%s: expected a number, found \"%.40s\"", dir, file, s);
    free(s);
    return -1;
  }
  free(s);
  *out = v;
  return 1;
}

/* The value of `key` in a flat keyed file ("key value" lines); 0 when absent. */
static uint64_t kv_get(const char *text, const char *key) {
  size_t n = strlen(key);
  for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
    if (strncmp(p, key, n) == 0 && p[n] == ' ') {
      uint64_t v = 0;
      return parse_u64(p + n + 1, &v) == 0 ? v : 0;
    }
  }
  return 0;
}

static int rd_key(const char *dir, const char *file, const char *key, uint64_t *out,
                  struct error **err) {
  char *text;
  int rc = rd_text(dir, file, &text, err);
  *out = 0;
  if (rc <= 0)
    return rc;
  *out = kv_get(text, key);
  free(text);
  return 1;
}

/* Space-separated numbers (cpuacct.usage_percpu). */
static void parse_list(const char *s, uint64_t **out, size_t *n) {
  *out = NULL;
  *n = 0;
  size_t cap = 0;
  for (const char *p = s;;) {
    while (*p == ' ' || *p == '\n')
      p++;
    if (*p == '\0')
      break;
    char *end;
    unsigned long long v = strtoull(p, &end, 10);
    if (end == p)
      break;
    if (*n == cap) {
      cap = cap ? cap * 2 : 8;
      *out = xrealloc(*out, cap * sizeof **out);
    }
    (*out)[(*n)++] = v;
    p = end;
  }
}

int cg_parse_cpu_list(const char *s, uint16_t **out, size_t *n) {
  *out = NULL;
  *n = 0;
  size_t cap = 0;
  for (const char *p = s; *p && *p != '\n';) {
    char *end;
    errno = 0;
    unsigned long a = strtoul(p, &end, 10), b;
    if (end == p || errno || a > UINT16_MAX)
      goto bad;
    b = a;
    p = end;
    if (*p == '-') {
      b = strtoul(p + 1, &end, 10);
      if (end == p + 1 || b < a || b > UINT16_MAX)
        goto bad;
      p = end;
    }
    for (unsigned long i = a; i <= b; i++) {
      if (*n == cap) {
        cap = cap ? cap * 2 : 8;
        *out = xrealloc(*out, cap * sizeof **out);
      }
      (*out)[(*n)++] = (uint16_t)i;
    }
    if (*p == ',')
      p++;
    else if (*p != '\0' && *p != '\n')
      goto bad;
  }
  return 0;
bad:
  free(*out);
  *out = NULL;
  *n = 0;
  return -1;
}

bool cg_hugepage_name(const char *dirent, char out[16]) {
  static const char prefix[] = "hugepages-";
  if (strncmp(dirent, prefix, sizeof prefix - 1) != 0)
    return false;
  char *end;
  unsigned long long kb = strtoull(dirent + sizeof prefix - 1, &end, 10);
  if (end == dirent + sizeof prefix - 1 || strcmp(end, "kB") != 0 || kb == 0)
    return false;
  /* docker/go-units CustomSize("%g%s", bytes, 1024, B KB MB GB TB PB), as runc names them */
  static const char *const units[] = {"B", "KB", "MB", "GB", "TB", "PB"};
  double v = (double)kb * 1024;
  size_t u = 0;
  while (v >= 1024 && u + 1 < sizeof units / sizeof units[0]) {
    v /= 1024;
    u++;
  }
  snprintf(out, 16, "%g%s", v, units[u]);
  return true;
}

static int cmp_kv(const void *a, const void *b) {
  return strcmp(((const struct cg_kv *)a)->key, ((const struct cg_kv *)b)->key);
}

/* memory.stat -> raw (sorted, as Go prints a map). */
static void parse_raw(const char *text, struct cg_kv **out, size_t *n) {
  *out = NULL;
  *n = 0;
  size_t cap = 0;
  for (const char *p = text; p && *p;) {
    const char *nl = strchrnul(p, '\n');
    const char *sp = memchr(p, ' ', (size_t)(nl - p));
    uint64_t v;
    if (sp != NULL && sp > p) {
      char *num = xasprintf("%.*s", (int)(nl - sp - 1), sp + 1);
      if (parse_u64(num, &v) == 0) {
        if (*n == cap) {
          cap = cap ? cap * 2 : 32;
          *out = xrealloc(*out, cap * sizeof **out);
        }
        (*out)[*n].key = xasprintf("%.*s", (int)(sp - p), p);
        (*out)[(*n)++].value = v;
      }
      free(num);
    }
    p = *nl ? nl + 1 : nl;
  }
  if (*n > 1)
    qsort(*out, *n, sizeof **out, cmp_kv);
}

static uint64_t raw_get(const struct cgroup_stats *s, const char *key) {
  for (size_t i = 0; i < s->memory.n_raw; i++)
    if (strcmp(s->memory.raw[i].key, key) == 0)
      return s->memory.raw[i].value;
  return 0;
}

static void blkio_add(struct cgroup_stats *s, int list, uint64_t major, uint64_t minor,
                      const char *op, uint64_t value) {
  size_t n = s->blkio[list].n;
  s->blkio[list].v = xrealloc(s->blkio[list].v, (n + 1) * sizeof *s->blkio[list].v);
  struct cg_blkio_entry *e = &s->blkio[list].v[n];
  e->major = major;
  e->minor = minor;
  e->value = value;
  snprintf(e->op, sizeof e->op, "%s", op);
  s->blkio[list].n = n + 1;
}

/* The huge page sizes of this host, as runc names them. */
static size_t huge_sizes(char sizes[][16], size_t max) {
  DIR *d = opendir("/sys/kernel/mm/hugepages");
  if (d == NULL)
    return 0;
  size_t n = 0;
  struct dirent *de;
  while (n < max && (de = readdir(d)) != NULL)
    if (cg_hugepage_name(de->d_name, sizes[n]))
      n++;
  closedir(d);
  return n;
}

static int cmp_huge(const void *a, const void *b) {
  return strcmp(((const struct cg_hugetlb *)a)->size, ((const struct cg_hugetlb *)b)->size);
}

/* hugetlb.SIZE[.rsvd].<suffix>: the reservation files where the kernel has them, as runc. */
static int huge_read(const char *dir, bool v2, struct cgroup_stats *s, struct error **err) {
  char sizes[8][16];
  size_t n = huge_sizes(sizes, 8);
  for (size_t i = 0; i < n; i++) {
    struct cg_hugetlb h = {0};
    snprintf(h.size, sizeof h.size, "%s", sizes[i]);
    char *f = xasprintf("hugetlb.%s.rsvd.%s", sizes[i], v2 ? "current" : "usage_in_bytes");
    const char *rsvd = cg_file_exists(dir, f) ? ".rsvd" : "";
    free(f);
    f = xasprintf("hugetlb.%s%s.%s", sizes[i], rsvd, v2 ? "current" : "usage_in_bytes");
    int rc = rd_u64(dir, f, &h.usage, err);
    free(f);
    if (rc < 0)
      return -1;
    if (rc == 0)
      continue; /* no hugetlb controller here */
    if (v2) {
      f = xasprintf("hugetlb.%s.events", sizes[i]);
      rc = rd_key(dir, f, "max", &h.failcnt, err);
    } else {
      f = xasprintf("hugetlb.%s%s.max_usage_in_bytes", sizes[i], rsvd);
      rc = rd_u64(dir, f, &h.max, err);
      free(f);
      f = xasprintf("hugetlb.%s%s.failcnt", sizes[i], rsvd);
      if (rc >= 0)
        rc = rd_u64(dir, f, &h.failcnt, err);
    }
    free(f);
    if (rc < 0)
      return -1;
    s->hugetlb = xrealloc(s->hugetlb, (s->n_hugetlb + 1) * sizeof *s->hugetlb);
    s->hugetlb[s->n_hugetlb++] = h;
  }
  if (s->n_hugetlb > 1)
    qsort(s->hugetlb, s->n_hugetlb, sizeof *s->hugetlb, cmp_huge);
  return 0;
}

static int pids_read(const char *dir, struct cgroup_stats *s, struct error **err) {
  if (rd_u64(dir, "pids.current", &s->pids.current, err) < 0 ||
      rd_u64(dir, "pids.max", &s->pids.limit, err) < 0)
    return -1;
  if (s->pids.limit == UINT64_MAX)
    s->pids.limit = 0; /* "max": no limit, as runc says it */
  return 0;
}

/* ---- cgroup v1 --------------------------------------------------------------------------- */

static const char *v1_dir(const struct cgroup *cg, const char *ctl) {
  const struct cg_hier *h = cg_find(cg, ctl);
  return h != NULL ? h->path : NULL;
}

static int v1_mem_entry(const char *dir, const char *name, struct cg_mem_entry *e,
                        struct error **err) {
  char f[4][80];
  const char *sep = name[0] ? "." : "";
  snprintf(f[0], sizeof f[0], "memory.%s%susage_in_bytes", name, sep);
  snprintf(f[1], sizeof f[1], "memory.%s%smax_usage_in_bytes", name, sep);
  snprintf(f[2], sizeof f[2], "memory.%s%sfailcnt", name, sep);
  snprintf(f[3], sizeof f[3], "memory.%s%slimit_in_bytes", name, sep);
  memset(e, 0, sizeof *e);
  int rc = rd_u64(dir, f[0], &e->usage, err);
  if (rc <= 0)
    return rc; /* no swap accounting, no kmem: an empty entry, as runc */
  if (rd_u64(dir, f[1], &e->max, err) < 0 || rd_u64(dir, f[2], &e->failcnt, err) < 0 ||
      rd_u64(dir, f[3], &e->limit, err) < 0)
    return -1;
  return 0;
}

static int v1_cpu(const struct cgroup *cg, struct cgroup_stats *s, struct error **err) {
  const char *acct = v1_dir(cg, "cpuacct");
  char *text;
  int rc;
  if (rd_u64(acct, "cpuacct.usage", &s->cpu.total, err) < 0)
    return -1;
  if ((rc = rd_text(acct, "cpuacct.usage_percpu", &text, err)) < 0)
    return -1;
  if (rc > 0) {
    parse_list(text, &s->cpu.percpu, &s->cpu.n_percpu);
    free(text);
  }
  /* "cpu user system" then one line per CPU */
  if ((rc = rd_text(acct, "cpuacct.usage_all", &text, err)) < 0)
    return -1;
  if (rc > 0) {
    const char *p = strchr(text, '\n');
    size_t cap = 0;
    while (p != NULL && *++p) {
      unsigned long long cpu, user, sys;
      if (sscanf(p, "%llu %llu %llu", &cpu, &user, &sys) == 3) {
        if (s->cpu.n_percpu_user == cap) {
          cap = cap ? cap * 2 : 8;
          s->cpu.percpu_user = xrealloc(s->cpu.percpu_user, cap * sizeof(uint64_t));
          s->cpu.percpu_kernel = xrealloc(s->cpu.percpu_kernel, cap * sizeof(uint64_t));
        }
        s->cpu.percpu_user[s->cpu.n_percpu_user++] = user;
        s->cpu.percpu_kernel[s->cpu.n_percpu_kernel++] = sys;
      }
      p = strchr(p, '\n');
    }
    free(text);
  }
  /* user and system in clock ticks */
  if ((rc = rd_text(acct, "cpuacct.stat", &text, err)) < 0)
    return -1;
  if (rc > 0) {
    long hz = sysconf(_SC_CLK_TCK);
    if (hz <= 0)
      hz = 100;
    s->cpu.user = kv_get(text, "user") * 1000000000ull / (uint64_t)hz;
    s->cpu.kernel = kv_get(text, "system") * 1000000000ull / (uint64_t)hz;
    free(text);
  }
  if ((rc = rd_text(v1_dir(cg, "cpu"), "cpu.stat", &text, err)) < 0)
    return -1;
  if (rc > 0) {
    s->cpu.periods = kv_get(text, "nr_periods");
    s->cpu.throttled_periods = kv_get(text, "nr_throttled");
    s->cpu.throttled_time = kv_get(text, "throttled_time");
    free(text);
  }
  return 0;
}

static int v1_cpuset(const struct cgroup *cg, struct cgroup_stats *s, struct error **err) {
  const char *dir = v1_dir(cg, "cpuset");
  if (dir == NULL)
    return 0;
  static const struct {
    const char *file;
    size_t off;
  } flags[] = {
#define F(name) {"cpuset." #name, offsetof(struct cgroup_stats, cpuset.name)}
      F(cpu_exclusive),      F(mem_hardwall),       F(mem_exclusive),   F(memory_migrate),
      F(memory_spread_page), F(memory_spread_slab), F(memory_pressure), F(sched_load_balance),
#undef F
  };
  for (int which = 0; which < 2; which++) {
    char *text;
    int rc = rd_text(dir, which ? "cpuset.mems" : "cpuset.cpus", &text, err);
    if (rc < 0)
      return -1;
    if (rc > 0) {
      if (which)
        (void)cg_parse_cpu_list(text, &s->cpuset.mems, &s->cpuset.n_mems);
      else
        (void)cg_parse_cpu_list(text, &s->cpuset.cpus, &s->cpuset.n_cpus);
      free(text);
    }
  }
  for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
    if (rd_u64(dir, flags[i].file, (uint64_t *)((char *)s + flags[i].off), err) < 0)
      return -1;
  return rd_i64(dir, "cpuset.sched_relax_domain_level", &s->cpuset.sched_relax_domain_level, err) <
                 0
             ? -1
             : 0;
}

static int v1_memory(const struct cgroup *cg, struct cgroup_stats *s, struct error **err) {
  const char *dir = v1_dir(cg, "memory");
  if (dir == NULL)
    return 0;
  char *text;
  int rc = rd_text(dir, "memory.stat", &text, err);
  if (rc < 0)
    return -1;
  if (rc > 0) {
    parse_raw(text, &s->memory.raw, &s->memory.n_raw);
    free(text);
  }
  s->memory.cache = raw_get(s, "cache");
  if (v1_mem_entry(dir, "", &s->memory.usage, err) < 0 ||
      v1_mem_entry(dir, "memsw", &s->memory.swap, err) < 0 ||
      v1_mem_entry(dir, "kmem", &s->memory.kernel, err) < 0 ||
      v1_mem_entry(dir, "kmem.tcp", &s->memory.kernel_tcp, err) < 0)
    return -1;
  return 0;
}

/* "8:0 Read 1234" lines (or "8:0 1234"), "Total N" skipped. Returns the entries added. */
static int v1_blkio_file(const char *dir, const char *file, int list, struct cgroup_stats *s,
                         struct error **err) {
  char *text;
  int rc = rd_text(dir, file, &text, err);
  if (rc <= 0)
    return rc;
  int added = 0;
  for (char *line = text, *next; line && *line; line = next) {
    next = strchr(line, '\n');
    if (next)
      *next++ = '\0';
    unsigned long long major, minor, value;
    char op[16];
    if (sscanf(line, "%llu:%llu %15s %llu", &major, &minor, op, &value) == 4) {
      blkio_add(s, list, major, minor, op, value);
      added++;
    } else if (sscanf(line, "%llu:%llu %llu", &major, &minor, &value) == 3) {
      blkio_add(s, list, major, minor, "", value);
      added++;
    }
  }
  free(text);
  return added;
}

static int v1_blkio(const struct cgroup *cg, struct cgroup_stats *s, struct error **err) {
  const char *dir = v1_dir(cg, "blkio");
  if (dir == NULL)
    return 0;
  /* runc's order: bfq with its debug files, bfq, cfq, the recursive throttle files, the
   * throttle files; the first group whose first file has data is taken. */
  static const struct {
    const char *file;
    int list;
  } g_bfq_debug[] = {{"blkio.bfq.sectors_recursive", CG_BLKIO_SECTORS},
                     {"blkio.bfq.io_service_time_recursive", CG_BLKIO_SERVICE_TIME},
                     {"blkio.bfq.io_wait_time_recursive", CG_BLKIO_WAIT_TIME},
                     {"blkio.bfq.io_merged_recursive", CG_BLKIO_MERGED},
                     {"blkio.bfq.io_queued_recursive", CG_BLKIO_QUEUED},
                     {"blkio.bfq.time_recursive", CG_BLKIO_TIME},
                     {"blkio.bfq.io_serviced_recursive", CG_BLKIO_SERVICED},
                     {"blkio.bfq.io_service_bytes_recursive", CG_BLKIO_SERVICE_BYTES},
                     {NULL, 0}},
    g_bfq[] = {{"blkio.bfq.io_serviced_recursive", CG_BLKIO_SERVICED},
               {"blkio.bfq.io_service_bytes_recursive", CG_BLKIO_SERVICE_BYTES},
               {NULL, 0}},
    g_cfq[] = {{"blkio.sectors_recursive", CG_BLKIO_SECTORS},
               {"blkio.io_service_time_recursive", CG_BLKIO_SERVICE_TIME},
               {"blkio.io_wait_time_recursive", CG_BLKIO_WAIT_TIME},
               {"blkio.io_merged_recursive", CG_BLKIO_MERGED},
               {"blkio.io_queued_recursive", CG_BLKIO_QUEUED},
               {"blkio.time_recursive", CG_BLKIO_TIME},
               {"blkio.io_serviced_recursive", CG_BLKIO_SERVICED},
               {"blkio.io_service_bytes_recursive", CG_BLKIO_SERVICE_BYTES},
               {NULL, 0}},
    g_throttle_rec[] = {{"blkio.throttle.io_serviced_recursive", CG_BLKIO_SERVICED},
                        {"blkio.throttle.io_service_bytes_recursive", CG_BLKIO_SERVICE_BYTES},
                        {NULL, 0}},
    g_throttle[] = {{"blkio.throttle.io_serviced", CG_BLKIO_SERVICED},
                    {"blkio.throttle.io_service_bytes", CG_BLKIO_SERVICE_BYTES},
                    {NULL, 0}};
  const __typeof__(g_bfq[0]) *groups[] = {g_bfq_debug, g_bfq, g_cfq, g_throttle_rec, g_throttle};
  for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
    for (size_t i = 0; groups[g][i].file != NULL; i++) {
      int n = v1_blkio_file(dir, groups[g][i].file, groups[g][i].list, s, err);
      if (n < 0)
        return -1;
      if (n == 0 && i == 0)
        break; /* this group has nothing: the next one */
      if (n == 0 || groups[g][i + 1].file == NULL)
        return 0;
    }
  }
  return 0;
}

static int v1_stats(struct cgroup *cg, struct cgroup_stats *s, struct error **err) {
  if (v1_cpu(cg, s, err) < 0 || v1_cpuset(cg, s, err) < 0 || v1_memory(cg, s, err) < 0 ||
      pids_read(v1_dir(cg, "pids"), s, err) < 0 || v1_blkio(cg, s, err) < 0)
    return -1;
  const char *huge = v1_dir(cg, "hugetlb");
  if (huge != NULL)
    return huge_read(huge, false, s, err);
  /* A hybrid host's cgroup2 may hold the hugetlb controller (as on this kind of host). */
  const char *unified = v1_dir(cg, "unified");
  return unified != NULL ? huge_read(unified, true, s, err) : 0;
}

/* ---- cgroup v2 --------------------------------------------------------------------------- */

static int v2_mem_entry(const char *dir, const char *name, struct cg_mem_entry *e,
                        struct error **err) {
  char cur[64], max[64], peak[64];
  snprintf(cur, sizeof cur, "memory%s%s.current", name[0] ? "." : "", name);
  snprintf(max, sizeof max, "memory%s%s.max", name[0] ? "." : "", name);
  snprintf(peak, sizeof peak, "memory%s%s.peak", name[0] ? "." : "", name);
  memset(e, 0, sizeof *e);
  int rc = rd_u64(dir, cur, &e->usage, err);
  if (rc <= 0)
    return rc;
  return rd_u64(dir, max, &e->limit, err) < 0 || rd_u64(dir, peak, &e->max, err) < 0 ? -1 : 1;
}

static int v2_stats(struct cgroup *cg, struct cgroup_stats *s, struct error **err) {
  const struct cg_hier *h = cg_find(cg, "");
  if (h == NULL)
    return 0;
  const char *dir = h->path;
  char *text;
  int rc;
  /* cpu.stat is there even without the cpu controller (usage only) */
  if ((rc = rd_text(dir, "cpu.stat", &text, err)) < 0)
    return -1;
  if (rc > 0) {
    s->cpu.total = kv_get(text, "usage_usec") * 1000;
    s->cpu.user = kv_get(text, "user_usec") * 1000;
    s->cpu.kernel = kv_get(text, "system_usec") * 1000;
    s->cpu.periods = kv_get(text, "nr_periods");
    s->cpu.throttled_periods = kv_get(text, "nr_throttled");
    s->cpu.throttled_time = kv_get(text, "throttled_usec") * 1000;
    free(text);
  }
  if ((rc = rd_text(dir, "memory.stat", &text, err)) < 0)
    return -1;
  if (rc > 0) {
    parse_raw(text, &s->memory.raw, &s->memory.n_raw);
    free(text);
    s->memory.cache = raw_get(s, "file");
    if ((rc = v2_mem_entry(dir, "", &s->memory.usage, err)) < 0 ||
        v2_mem_entry(dir, "swap", &s->memory.swap, err) < 0)
      return -1;
    /* v1 reports memory+swap: so does runc on v2 */
    struct cg_mem_entry *sw = &s->memory.swap;
    sw->usage += s->memory.usage.usage;
    if (sw->limit != UINT64_MAX)
      sw->limit = s->memory.usage.limit > UINT64_MAX - sw->limit
                      ? UINT64_MAX
                      : sw->limit + s->memory.usage.limit;
  }
  if (pids_read(dir, s, err) < 0)
    return -1;
  if (!cg_file_exists(dir, "pids.current")) {
    /* no pids controller: count the processes, as runc */
    pid_t *pids = NULL;
    size_t n = 0;
    struct error *ignored = NULL;
    if (cgroup_pids(cg, &pids, &n, &ignored) == 0)
      s->pids.current = n;
    error_free(ignored);
    free(pids);
  }
  if ((rc = rd_text(dir, "io.stat", &text, err)) < 0)
    return -1;
  if (rc > 0) {
    /* "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0": as v1's two lists */
    static const struct {
      const char *key, *op;
      int list;
    } map[] = {{"rbytes", "Read", CG_BLKIO_SERVICE_BYTES},
               {"wbytes", "Write", CG_BLKIO_SERVICE_BYTES},
               {"rios", "Read", CG_BLKIO_SERVICED},
               {"wios", "Write", CG_BLKIO_SERVICED}};
    for (char *line = text, *next; line && *line; line = next) {
      next = strchr(line, '\n');
      if (next)
        *next++ = '\0';
      unsigned long long major, minor;
      int used;
      if (sscanf(line, "%llu:%llu%n", &major, &minor, &used) != 2)
        continue;
      for (char *tok = strtok(line + used, " "); tok; tok = strtok(NULL, " ")) {
        char *eq = strchr(tok, '=');
        uint64_t v;
        if (eq == NULL || parse_u64(eq + 1, &v) < 0)
          continue;
        *eq = '\0';
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
          if (strcmp(tok, map[i].key) == 0)
            blkio_add(s, map[i].list, major, minor, map[i].op, v);
      }
    }
    free(text);
  }
  return huge_read(dir, true, s, err);
}

/* ---- the interface ----------------------------------------------------------------------- */

static const struct {
  int (*stats)(struct cgroup *, struct cgroup_stats *, struct error **);
} readers[] = {
    [CGROUP_MODE_LEGACY] = {v1_stats},
    [CGROUP_MODE_HYBRID] = {v1_stats},
    [CGROUP_MODE_UNIFIED] = {v2_stats},
};

int cgroup_stats(struct cgroup *cg, struct cgroup_stats *s, struct error **err) {
  memset(s, 0, sizeof *s);
  unsigned mode = (unsigned)cg->ops->mode;
  if (mode >= sizeof readers / sizeof readers[0] || readers[mode].stats == NULL)
    return error_set(err, ERR_HOST_UNSUPPORTED, 0, "no cgroup statistics on this host");
  if (readers[mode].stats(cg, s, err) < 0)
    return error_prefix(err, "cannot read the container's cgroup statistics");
  return 0;
}

void cgroup_stats_clear(struct cgroup_stats *s) {
  free(s->cpu.percpu);
  free(s->cpu.percpu_kernel);
  free(s->cpu.percpu_user);
  free(s->cpuset.cpus);
  free(s->cpuset.mems);
  for (size_t i = 0; i < s->memory.n_raw; i++)
    free(s->memory.raw[i].key);
  free(s->memory.raw);
  for (int i = 0; i < CG_BLKIO_N; i++)
    free(s->blkio[i].v);
  free(s->hugetlb);
  memset(s, 0, sizeof *s);
}

/* ---- JSON: runc's types/events.go, field for field (omitempty where runc has it) -------- */

static void gkey(yajl_gen g, const char *k) {
  yajl_gen_string(g, (const unsigned char *)k, strlen(k));
}

static void gu64(yajl_gen g, uint64_t v) {
  char buf[24];
  int n = snprintf(buf, sizeof buf, "%" PRIu64, v);
  yajl_gen_number(g, buf, (size_t)n);
}

static void gfield(yajl_gen g, const char *k, uint64_t v) {
  gkey(g, k);
  gu64(g, v);
}

static void gomit(yajl_gen g, const char *k, uint64_t v) {
  if (v != 0)
    gfield(g, k, v);
}

static void glist(yajl_gen g, const char *k, const uint64_t *v, size_t n) {
  if (n == 0)
    return;
  gkey(g, k);
  yajl_gen_array_open(g);
  for (size_t i = 0; i < n; i++)
    gu64(g, v[i]);
  yajl_gen_array_close(g);
}

static void glist16(yajl_gen g, const char *k, const uint16_t *v, size_t n) {
  if (n == 0)
    return;
  gkey(g, k);
  yajl_gen_array_open(g);
  for (size_t i = 0; i < n; i++)
    gu64(g, v[i]);
  yajl_gen_array_close(g);
}

static void gmem(yajl_gen g, const char *k, const struct cg_mem_entry *e) {
  gkey(g, k);
  yajl_gen_map_open(g);
  gfield(g, "limit", e->limit);
  gomit(g, "usage", e->usage);
  gomit(g, "max", e->max);
  gfield(g, "failcnt", e->failcnt);
  yajl_gen_map_close(g);
}

static void gen_stats(yajl_gen g, const struct cgroup_stats *s) {
  yajl_gen_map_open(g);

  gkey(g, "cpu");
  yajl_gen_map_open(g);
  gkey(g, "usage");
  yajl_gen_map_open(g);
  gomit(g, "total", s->cpu.total);
  glist(g, "percpu", s->cpu.percpu, s->cpu.n_percpu);
  glist(g, "percpu_kernel", s->cpu.percpu_kernel, s->cpu.n_percpu_kernel);
  glist(g, "percpu_user", s->cpu.percpu_user, s->cpu.n_percpu_user);
  gfield(g, "kernel", s->cpu.kernel);
  gfield(g, "user", s->cpu.user);
  yajl_gen_map_close(g);
  gkey(g, "throttling");
  yajl_gen_map_open(g);
  gomit(g, "periods", s->cpu.periods);
  gomit(g, "throttledPeriods", s->cpu.throttled_periods);
  gomit(g, "throttledTime", s->cpu.throttled_time);
  yajl_gen_map_close(g);
  yajl_gen_map_close(g);

  gkey(g, "cpuset");
  yajl_gen_map_open(g);
  glist16(g, "cpus", s->cpuset.cpus, s->cpuset.n_cpus);
  gfield(g, "cpu_exclusive", s->cpuset.cpu_exclusive);
  glist16(g, "mems", s->cpuset.mems, s->cpuset.n_mems);
  gfield(g, "mem_hardwall", s->cpuset.mem_hardwall);
  gfield(g, "mem_exclusive", s->cpuset.mem_exclusive);
  gfield(g, "memory_migrate", s->cpuset.memory_migrate);
  gfield(g, "memory_spread_page", s->cpuset.memory_spread_page);
  gfield(g, "memory_spread_slab", s->cpuset.memory_spread_slab);
  gfield(g, "memory_pressure", s->cpuset.memory_pressure);
  gfield(g, "sched_load_balance", s->cpuset.sched_load_balance);
  gkey(g, "sched_relax_domain_level");
  yajl_gen_integer(g, s->cpuset.sched_relax_domain_level);
  yajl_gen_map_close(g);

  gkey(g, "memory");
  yajl_gen_map_open(g);
  gomit(g, "cache", s->memory.cache);
  gmem(g, "usage", &s->memory.usage);
  gmem(g, "swap", &s->memory.swap);
  gmem(g, "kernel", &s->memory.kernel);
  gmem(g, "kernelTCP", &s->memory.kernel_tcp);
  if (s->memory.n_raw > 0) {
    gkey(g, "raw");
    yajl_gen_map_open(g);
    for (size_t i = 0; i < s->memory.n_raw; i++)
      gfield(g, s->memory.raw[i].key, s->memory.raw[i].value);
    yajl_gen_map_close(g);
  }
  yajl_gen_map_close(g);

  gkey(g, "pids");
  yajl_gen_map_open(g);
  gomit(g, "current", s->pids.current);
  gomit(g, "limit", s->pids.limit);
  yajl_gen_map_close(g);

  static const char *const blkio_names[CG_BLKIO_N] = {
      "ioServiceBytesRecursive", "ioServicedRecursive", "ioQueueRecursive",
      "ioServiceTimeRecursive",  "ioWaitTimeRecursive", "ioMergedRecursive",
      "ioTimeRecursive",         "sectorsRecursive"};
  gkey(g, "blkio");
  yajl_gen_map_open(g);
  for (int l = 0; l < CG_BLKIO_N; l++) {
    if (s->blkio[l].n == 0)
      continue;
    gkey(g, blkio_names[l]);
    yajl_gen_array_open(g);
    for (size_t i = 0; i < s->blkio[l].n; i++) {
      const struct cg_blkio_entry *e = &s->blkio[l].v[i];
      yajl_gen_map_open(g);
      gomit(g, "major", e->major);
      gomit(g, "minor", e->minor);
      if (e->op[0]) {
        gkey(g, "op");
        gkey(g, e->op);
      }
      gomit(g, "value", e->value);
      yajl_gen_map_close(g);
    }
    yajl_gen_array_close(g);
  }
  yajl_gen_map_close(g);

  gkey(g, "hugetlb");
  yajl_gen_map_open(g);
  for (size_t i = 0; i < s->n_hugetlb; i++) {
    gkey(g, s->hugetlb[i].size);
    yajl_gen_map_open(g);
    gomit(g, "usage", s->hugetlb[i].usage);
    gomit(g, "max", s->hugetlb[i].max);
    gfield(g, "failcnt", s->hugetlb[i].failcnt);
    yajl_gen_map_close(g);
  }
  yajl_gen_map_close(g);

  gkey(g, "intel_rdt");
  yajl_gen_map_open(g);
  yajl_gen_map_close(g);
  gkey(g, "network_interfaces");
  yajl_gen_null(g);

  yajl_gen_map_close(g);
}

char *cgroup_stats_json(const struct cgroup_stats *s) {
  yajl_gen g = yajl_gen_alloc(NULL);
  if (g == NULL)
    abort();
  gen_stats(g, s);
  const unsigned char *buf;
  size_t len;
  yajl_gen_get_buf(g, &buf, &len);
  char *out = xasprintf("%.*s", (int)len, (const char *)buf);
  yajl_gen_free(g);
  return out;
}

/* ---- OOM --------------------------------------------------------------------------------- */

struct cgroup_oom {
  char *dir;
  int fd;     /* v1: the eventfd; v2: memory.events */
  int ctl_fd; /* v1: memory.oom_control, open as long as the registration lives */
  bool v2;
  uint64_t last; /* v2: oom_kill seen so far */
};

static int oom_v1(const char *dir, struct cgroup_oom *o, struct error **err) {
  o->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (o->fd < 0)
    return error_sys(err, "eventfd");
  char *path = cg_join(dir, "memory.oom_control");
  o->ctl_fd = open(path, O_RDONLY | O_CLOEXEC);
  free(path);
  if (o->ctl_fd < 0)
    return error_sys(err, "cannot open %s/memory.oom_control", dir);
  return cg_writef(dir, "cgroup.event_control", NULL, err, "%d %d", o->fd, o->ctl_fd) < 0
             ? error_prefix(err, "cannot register for the OOM notification of %s", dir)
             : 0;
}

static int oom_v2(const char *dir, struct cgroup_oom *o, struct error **err) {
  char *path = cg_join(dir, "memory.events");
  o->fd = open(path, O_RDONLY | O_CLOEXEC);
  free(path);
  if (o->fd < 0)
    return error_sys(err, "cannot open %s/memory.events", dir);
  o->v2 = true;
  bool gone;
  unsigned kills;
  return cgroup_oom_read(o, &kills, &gone, err); /* the count so far is not news */
}

int cgroup_oom_open(struct cgroup *cg, struct cgroup_oom **out, struct error **err) {
  *out = NULL;
  bool v2 = cg->ops->mode == CGROUP_MODE_UNIFIED;
  const struct cg_hier *h = cg_find(cg, v2 ? "" : "memory");
  const char *probe = v2 ? "memory.events" : "memory.oom_control";
  if (h == NULL || !cg_file_exists(h->path, probe))
    return 0; /* no memory controller: no OOM kill to report */
  struct cgroup_oom *o = xcalloc(1, sizeof *o);
  o->dir = xstrdup(h->path);
  o->fd = o->ctl_fd = -1;
  if ((v2 ? oom_v2(h->path, o, err) : oom_v1(h->path, o, err)) < 0) {
    cgroup_oom_close(o);
    return -1;
  }
  *out = o;
  return 0;
}

int cgroup_oom_fd(const struct cgroup_oom *o) { return o->fd; }

short cgroup_oom_events(const struct cgroup_oom *o) { return o->v2 ? POLLPRI : POLLIN; }

int cgroup_oom_read(struct cgroup_oom *o, unsigned *kills, bool *gone, struct error **err) {
  *kills = 0;
  *gone = false;
  if (o->v2) {
    char buf[1024];
    ssize_t n = pread(o->fd, buf, sizeof buf - 1, 0);
    if (n < 0) {
      if (errno == ENODEV || errno == ENOENT) {
        *gone = true;
        return 0;
      }
      return error_sys(err, "cannot read %s/memory.events", o->dir);
    }
    buf[n] = '\0';
    uint64_t now = kv_get(buf, "oom_kill");
    if (now > o->last)
      *kills = (unsigned)(now - o->last);
    o->last = now;
    return 0;
  }
  uint64_t count = 0;
  if (read(o->fd, &count, sizeof count) < 0 && errno != EAGAIN)
    return error_sys(err, "cannot read the OOM eventfd of %s", o->dir);
  /* The kernel also signals the eventfd when the cgroup goes away. */
  if (!cg_file_exists(o->dir, "memory.oom_control")) {
    *gone = true;
    return 0;
  }
  *kills = (unsigned)count;
  return 0;
}

void cgroup_oom_close(struct cgroup_oom *o) {
  if (o == NULL)
    return;
  if (o->fd >= 0)
    close(o->fd);
  if (o->ctl_fd >= 0)
    close(o->ctl_fd);
  free(o->dir);
  free(o);
}
