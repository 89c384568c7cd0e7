/* cgroup-values.c — pure conversions of runtime-spec values to what the kernel files take,
 * and the checks of device rules and names. No system calls; tests/unit calls these. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup-internal.h"
#include "util.h"

#define SET(o, f) ((o) != NULL && (o)->f##_present && (o)->f != 0)
#define PRESENT(o, f) ((o) != NULL && (o)->f##_present)

uint64_t cg_cpu_shares_to_weight(uint64_t shares) {
  if (shares == 0)
    return 0;
  if (shares <= 2)
    return 1;
  if (shares >= 262144)
    return 10000;
  /* A quadratic in log2(shares) through (2, 1), (1024, 100) and (262144, 10000). */
  double l = log2((double)shares);
  double exponent = (l * l + 125.0 * l) / 612.0 - 7.0 / 34.0;
  return (uint64_t)ceil(pow(10.0, exponent));
}

uint64_t cg_blkio_weight_to_io_weight(uint64_t weight) {
  if (weight == 0)
    return 0;
  if (weight <= 10)
    return 1;
  if (weight >= 1000)
    return 10000;
  return 1 + (weight - 10) * 9999 / 990;
}

int cg_swap_to_v2(int64_t swap, int64_t limit, int64_t *out, const char **why) {
  /* As cgroup v1: an unlimited memory with no swap given means unlimited swap too. */
  if (limit == -1 && swap == 0) {
    *out = -1;
    return 0;
  }
  if (swap == -1 || swap == 0) {
    *out = swap;
    return 0;
  }
  if (swap < -1) {
    *why = "must be -1 (unlimited) or a number of bytes";
    return -1;
  }
  if (limit == 0 || limit == -1) {
    *why = "a swap limit needs a memory limit (memory.swap counts memory+swap)";
    return -1;
  }
  if (limit < 0) {
    *why = "the memory limit must be -1 or a number of bytes";
    return -1;
  }
  if (swap < limit) {
    *why = "memory+swap limit should be >= memory limit";
    return -1;
  }
  *out = swap - limit;
  return 0;
}

const char *cg_fmt_max(int64_t v, char buf[24]) {
  if (v == -1)
    return "max";
  snprintf(buf, 24, "%" PRId64, v);
  return buf;
}

const char *cg_cpu_max(bool quota_set, int64_t quota, bool period_set, uint64_t period,
                       const char *current, char buf[48]) {
  char cur_quota[24] = "max";
  uint64_t cur_period = 100000;
  if (current != NULL) {
    char q[24];
    unsigned long long p;
    if (sscanf(current, "%23s %llu", q, &p) == 2) {
      snprintf(cur_quota, sizeof cur_quota, "%s", q);
      cur_period = p;
    }
  }
  char qbuf[24];
  const char *q = cur_quota;
  if (quota_set) {
    if (quota > 0) {
      snprintf(qbuf, sizeof qbuf, "%" PRId64, quota);
      q = qbuf;
    } else {
      q = "max";
    }
  }
  uint64_t p = period_set && period != 0 ? period : cur_period;
  snprintf(buf, 48, "%s %" PRIu64, q, p);
  return buf;
}

/* ---- device rules ------------------------------------------------------------------------ */

#define DEV(t, ma, mi, acc)                                                                        \
  { .allow = true, .type = (t), .major = (ma), .minor = (mi), .access = (acc) }

const struct cg_dev cg_default_devices[] = {
    DEV('c', -1, -1, CG_DEV_M),    /* mknod of any character device */
    DEV('b', -1, -1, CG_DEV_M),    /* and of any block device */
    DEV('c', 1, 3, CG_DEV_RWM),    /* /dev/null */
    DEV('c', 1, 8, CG_DEV_RWM),    /* /dev/random */
    DEV('c', 1, 7, CG_DEV_RWM),    /* /dev/full */
    DEV('c', 5, 0, CG_DEV_RWM),    /* /dev/tty */
    DEV('c', 1, 5, CG_DEV_RWM),    /* /dev/zero */
    DEV('c', 1, 9, CG_DEV_RWM),    /* /dev/urandom */
    DEV('c', 136, -1, CG_DEV_RWM), /* /dev/pts/N */
    DEV('c', 5, 2, CG_DEV_RWM),    /* /dev/ptmx */
    DEV('c', 10, 200, CG_DEV_RWM), /* /dev/net/tun */
};
const size_t cg_n_default_devices = sizeof cg_default_devices / sizeof cg_default_devices[0];

/* Engines (docker, containerd) also list /dev/console; it is the pty's bind mount. */
static const struct cg_dev console = DEV('c', 5, 1, CG_DEV_RWM);

int cg_dev_make(bool allow, const char *type, bool major_set, int64_t major, bool minor_set,
                int64_t minor, const char *access, struct cg_dev *out, const char **why) {
  out->allow = allow;
  out->type = 'a';
  if (type != NULL && type[0] != '\0') {
    if (type[1] != '\0' || strchr("acb", type[0]) == NULL) {
      *why = "type must be \"a\", \"c\" or \"b\"";
      return -1;
    }
    out->type = type[0];
  }
  out->major = major_set ? major : -1;
  out->minor = minor_set ? minor : -1;
  if (out->major < -1 || out->minor < -1) {
    *why = "major and minor must be device numbers (or -1 / absent for all)";
    return -1;
  }
  if (access == NULL || access[0] == '\0') {
    *why = "access cannot be empty (a combination of r, w and m)";
    return -1;
  }
  out->access = 0;
  for (const char *p = access; *p; p++) {
    const char *at = strchr("rwm", *p);
    if (at == NULL) {
      *why = "access must be a combination of r, w and m";
      return -1;
    }
    out->access |= 1u << (at - "rwm");
  }
  return 0;
}

bool cg_dev_is_all(const struct cg_dev *d) {
  return d->type == 'a' && d->major == -1 && d->minor == -1 && d->access == CG_DEV_RWM;
}

static void fmt_num(char buf[24], int64_t v) {
  if (v < 0)
    snprintf(buf, 24, "*");
  else
    snprintf(buf, 24, "%" PRId64, v);
}

int cg_dev_v1_lines(const struct cg_dev *d, char lines[2][64]) {
  if (cg_dev_is_all(d)) {
    snprintf(lines[0], 64, "a");
    return 1;
  }
  char ma[24], mi[24], acc[4];
  fmt_num(ma, d->major);
  fmt_num(mi, d->minor);
  size_t k = 0;
  for (int b = 0; b < 3; b++)
    if (d->access & (1u << b))
      acc[k++] = "rwm"[b];
  acc[k] = '\0';
  /* The kernel takes any "a" line for the whole policy: say it as char + block. */
  if (d->type == 'a') {
    snprintf(lines[0], 64, "c %s:%s %s", ma, mi, acc);
    snprintf(lines[1], 64, "b %s:%s %s", ma, mi, acc);
    return 2;
  }
  snprintf(lines[0], 64, "%c %s:%s %s", d->type, ma, mi, acc);
  return 1;
}

static bool covers(const struct cg_dev *e, char type, int64_t major, int64_t minor, unsigned bit) {
  return e->allow && e->type == type && (e->major == -1 || e->major == major) &&
         (e->minor == -1 || e->minor == minor) && (e->access & bit);
}

/* Every access the rule allows is one the default devices allow anyway. */
static bool within_defaults(const struct cg_dev *d) {
  const char *types = d->type == 'a' ? "cb" : (d->type == 'c' ? "c" : "b");
  for (const char *t = types; *t; t++)
    for (unsigned bit = 1; bit <= CG_DEV_M; bit <<= 1) {
      if (!(d->access & bit))
        continue;
      bool ok = covers(&console, *t, d->major, d->minor, bit);
      for (size_t i = 0; !ok && i < cg_n_default_devices; i++)
        ok = covers(&cg_default_devices[i], *t, d->major, d->minor, bit);
      if (!ok)
        return false;
    }
  return true;
}

int cg_devices_default_only(const struct cg_dev *rules, size_t n, size_t *bad, const char **why) {
  /* As runc, the policy starts from deny-all, and the default devices are allowed after
   * the config's rules: a deny under deny-all is then without effect. */
  bool allow_all = false;
  for (size_t i = 0; i < n; i++) {
    const struct cg_dev *d = &rules[i];
    if (cg_dev_is_all(d)) {
      allow_all = d->allow;
      continue;
    }
    if (d->allow && !allow_all && !within_defaults(d)) {
      *bad = i;
      *why = "allows a device beyond the default ones";
      return -1;
    }
    if (!d->allow && allow_all) {
      *bad = i;
      *why = "denies a device while all others are allowed";
      return -1;
    }
  }
  return 0;
}

/* ---- names ------------------------------------------------------------------------------- */

bool cg_hugetlb_size_ok(const char *s) {
  if (s == NULL)
    return false;
  size_t digits = strspn(s, "0123456789");
  if (digits == 0 || digits > 12)
    return false;
  return s[digits] != '\0' && strchr("KMGTP", s[digits]) != NULL && s[digits + 1] == 'B' &&
         s[digits + 2] == '\0';
}

int cg_unified_key(const char *key, char ctl[32], const char **why) {
  static const char *const managed[] = {
      "cgroup.procs", "cgroup.threads", "cgroup.kill", "cgroup.freeze", "cgroup.subtree_control",
  };
  if (key == NULL || key[0] == '\0' || key[0] == '.' || strchr(key, '/') != NULL) {
    *why = "must be the name of a file in the cgroup directory";
    return -1;
  }
  for (const char *p = key; *p; p++)
    if ((unsigned char)*p <= ' ' || *p == 0x7f) {
      *why = "must be the name of a file in the cgroup directory";
      return -1;
    }
  const char *dot = strchr(key, '.');
  size_t n = dot ? (size_t)(dot - key) : 0;
  if (dot == NULL || n == 0 || n >= 32 || dot[1] == '\0') {
    *why = "must have the form CONTROLLER.PARAMETER (e.g. memory.high)";
    return -1;
  }
  for (size_t i = 0; i < sizeof managed / sizeof managed[0]; i++)
    if (strcmp(key, managed[i]) == 0) {
      *why = "is managed by the runtime itself";
      return -1;
    }
  memcpy(ctl, key, n);
  ctl[n] = '\0';
  return 0;
}

bool cg_word_ok(const char *s) {
  if (s == NULL || s[0] == '\0')
    return false;
  for (const char *p = s; *p; p++)
    if ((unsigned char)*p <= ' ' || *p == 0x7f)
      return false;
  return true;
}

/* ---- checks of linux.resources shared by the drivers -------------------------------------- */

static int bad_value(struct error **err, const char *field, const char *why) {
  return error_set(err, ERR_INVALID_CONFIG, 0, "%s: %s", field, why);
}

/* Turns linux.resources.devices into checked rules (*rules malloc'd). */
int cg_device_rules(const oci_linux_resources *r, struct cg_dev **rules, size_t *n,
                    struct error **err) {
  *rules = NULL;
  *n = 0;
  if (r == NULL || r->devices_len == 0)
    return 0;
  *rules = xcalloc(r->devices_len, sizeof **rules);
  for (size_t i = 0; i < r->devices_len; i++) {
    const oci_device_cgroup *d = r->devices[i];
    const char *why = NULL;
    if (cg_dev_make(d->allow, d->type, d->major_present, d->major, d->minor_present, d->minor,
                    d->access, &(*rules)[i], &why) < 0) {
      free(*rules);
      *rules = NULL;
      return error_set(err, ERR_INVALID_CONFIG, 0, "linux.resources.devices[%zu]: %s", i, why);
    }
  }
  *n = r->devices_len;
  return 0;
}

static int limit_ok(bool present, int64_t v, const char *field, struct error **err) {
  return present && v < -1 ? bad_value(err, field, "must be -1 (unlimited) or a number of bytes")
                           : 0;
}

static int check_memory_values(const oci_linux_resources_memory *m, struct error **err) {
  if (m == NULL)
    return 0;
  if (limit_ok(m->limit_present, m->limit, "linux.resources.memory.limit", err) < 0 ||
      limit_ok(m->reservation_present, m->reservation, "linux.resources.memory.reservation", err) <
          0 ||
      limit_ok(m->swap_present, m->swap, "linux.resources.memory.swap", err) < 0 ||
      limit_ok(m->kernel_present, m->kernel, "linux.resources.memory.kernel", err) < 0 ||
      limit_ok(m->kernel_tcp_present, m->kernel_tcp, "linux.resources.memory.kernelTCP", err) < 0)
    return -1;
  if (PRESENT(m, swappiness) && m->swappiness != UINT64_MAX && m->swappiness > 100)
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     "linux.resources.memory.swappiness: invalid value:%" PRIu64
                     ". valid memory swappiness range is 0-100",
                     m->swappiness);
  if (SET(m, swap) && SET(m, limit) && m->swap > 0 && m->limit > 0 && m->swap < m->limit)
    return bad_value(err, "linux.resources.memory.swap",
                     "memory+swap limit should be >= memory limit");
  return 0;
}

static int check_cpu_values(const oci_linux_resources_cpu *c, struct error **err) {
  if (c == NULL)
    return 0;
  if (SET(c, quota) && c->quota > 0 && PRESENT(c, burst) && c->burst > (uint64_t)c->quota)
    return bad_value(err, "linux.resources.cpu.burst", "must not be larger than quota");
  return 0;
}

static int check_names(const oci_linux_resources *r, struct error **err) {
  for (size_t i = 0; i < r->hugepage_limits_len; i++)
    if (!cg_hugetlb_size_ok(r->hugepage_limits[i]->page_size))
      return error_set(err, ERR_INVALID_CONFIG, 0,
                       "linux.resources.hugepageLimits[%zu].pageSize: \"%s\" is not a huge page "
                       "size such as 2MB or 1GB",
                       i, r->hugepage_limits[i]->page_size ? r->hugepage_limits[i]->page_size : "");
  if (r->network != NULL)
    for (size_t i = 0; i < r->network->priorities_len; i++)
      if (!cg_word_ok(r->network->priorities[i]->name))
        return error_set(err, ERR_INVALID_CONFIG, 0,
                         "linux.resources.network.priorities[%zu].name: not an interface name", i);
  if (r->rdma != NULL)
    for (size_t i = 0; i < r->rdma->len; i++)
      if (!cg_word_ok(r->rdma->keys[i]))
        return error_set(err, ERR_INVALID_CONFIG, 0,
                         "linux.resources.rdma: \"%s\" is not a device name", r->rdma->keys[i]);
  return 0;
}

static int check_unified(const oci_string_map *u, struct error **err) {
  for (size_t i = 0; u != NULL && i < u->len; i++) {
    char ctl[32];
    const char *why = NULL;
    if (cg_unified_key(u->keys[i], ctl, &why) < 0)
      return error_set(err, ERR_INVALID_CONFIG, 0, "linux.resources.unified[\"%s\"]: %s",
                       u->keys[i], why);
  }
  return 0;
}

int cg_check_values(const oci_linux_resources *r, struct error **err) {
  struct cg_dev *rules = NULL;
  size_t n = 0;
  if (r == NULL)
    return 0;
  if (check_memory_values(r->memory, err) < 0 || check_cpu_values(r->cpu, err) < 0 ||
      check_names(r, err) < 0 || check_unified(r->unified, err) < 0 ||
      cg_device_rules(r, &rules, &n, err) < 0)
    return -1;
  free(rules);
  return 0;
}
