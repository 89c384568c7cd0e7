/* devices-bpf.c — the cgroup v2 device filter (see devices-bpf.h): the emulation of the v1
 * rules, the program, a small interpreter of it (for tests) and bpf(2) at the edge. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "debug.h"
#include "devices-bpf.h"
#include "util.h"

/* ---- the emulation --------------------------------------------------------------------- */

static void fmt_rule(char buf[64], char type, int64_t major, int64_t minor, unsigned access) {
  char ma[24], mi[24], acc[4];
  size_t k = 0;
  if (major < 0)
    snprintf(ma, sizeof ma, "*");
  else
    snprintf(ma, sizeof ma, "%" PRId64, major);
  if (minor < 0)
    snprintf(mi, sizeof mi, "*");
  else
    snprintf(mi, sizeof mi, "%" PRId64, minor);
  for (int b = 0; b < 3; b++)
    if (access & (1u << b))
      acc[k++] = "rwm"[b];
  acc[k] = '\0';
  snprintf(buf, 64, "%c %s:%s %s", type, ma, mi, acc);
}

static struct cg_dev *find(struct devbpf_policy *p, char type, int64_t major, int64_t minor) {
  for (size_t i = 0; i < p->n; i++)
    if (p->ex[i].type == type && p->ex[i].major == major && p->ex[i].minor == minor)
      return &p->ex[i];
  return NULL;
}

/* An exception the default's other way: merged with one of the same device. */
static void add_exception(struct devbpf_policy *p, char type, int64_t major, int64_t minor,
                          unsigned access) {
  struct cg_dev *e = find(p, type, major, minor);
  if (e != NULL) {
    e->access |= access;
    return;
  }
  p->ex = xrealloc(p->ex, (p->n + 1) * sizeof *p->ex);
  p->ex[p->n++] = (struct cg_dev){
      .allow = !p->default_allow, .type = type, .major = major, .minor = minor, .access = access};
}

/* A rule the default's way: takes its access out of the exception of exactly its device;
 * refused when a wildcard exception still grants (or takes) some of that access. */
static int remove_exception(struct devbpf_policy *p, char type, int64_t major, int64_t minor,
                            unsigned access, char why[DEVBPF_WHY]) {
  const int64_t partial[3][2] = {{-1, minor}, {major, -1}, {-1, -1}};
  for (int i = 0; i < 3; i++) {
    if (partial[i][0] == major && partial[i][1] == minor)
      continue;
    const struct cg_dev *w = find(p, type, partial[i][0], partial[i][1]);
    if (w != NULL && (w->access & access) != 0) {
      char mine[64], theirs[64];
      fmt_rule(mine, type, major, minor, access);
      fmt_rule(theirs, w->type, w->major, w->minor, w->access);
      snprintf(why, DEVBPF_WHY,
               "%s %s while an earlier rule %s %s: a hole cannot be punched into a wildcard "
               "rule (cgroup v1 would ignore it; runc refuses it too); list the devices "
               "one by one instead",
               p->default_allow ? "allows" : "denies", mine, p->default_allow ? "denies" : "allows",
               theirs);
      return -1;
    }
  }
  struct cg_dev *e = find(p, type, major, minor);
  if (e != NULL) {
    e->access &= ~access;
    if (e->access == 0)
      *e = p->ex[--p->n];
  }
  return 0;
}

static int apply_one(struct devbpf_policy *p, bool allow, char type, int64_t major, int64_t minor,
                     unsigned access, char why[DEVBPF_WHY]) {
  if (allow == p->default_allow)
    return remove_exception(p, type, major, minor, access, why);
  add_exception(p, type, major, minor, access);
  return 0;
}

static int apply_rule(struct devbpf_policy *p, const struct cg_dev *d, char why[DEVBPF_WHY]) {
  if (d->major > INT32_MAX || d->minor > INT32_MAX) {
    snprintf(why, DEVBPF_WHY, "major and minor must be below 2^31");
    return -1;
  }
  if (cg_dev_is_all(d)) {
    p->default_allow = d->allow;
    p->n = 0;
    return 0;
  }
  if (d->type == 'a')
    return apply_one(p, d->allow, 'c', d->major, d->minor, d->access, why) < 0 ||
                   apply_one(p, d->allow, 'b', d->major, d->minor, d->access, why) < 0
               ? -1
               : 0;
  return apply_one(p, d->allow, d->type, d->major, d->minor, d->access, why);
}

static int cmp_ex(const void *a, const void *b) {
  const struct cg_dev *x = a, *y = b;
  if (x->major != y->major)
    return x->major < y->major ? -1 : 1;
  if (x->minor != y->minor)
    return x->minor < y->minor ? -1 : 1;
  return (x->type > y->type) - (x->type < y->type);
}

int devbpf_policy_make(const struct cg_dev *rules, size_t n, bool with_defaults,
                       struct devbpf_policy *out, size_t *bad, char why[DEVBPF_WHY]) {
  *out = (struct devbpf_policy){.default_allow = false};
  size_t total = n + (with_defaults ? cg_n_default_devices : 0);
  for (size_t i = 0; i < total; i++) {
    const struct cg_dev *d = i < n ? &rules[i] : &cg_default_devices[i - n];
    if (apply_rule(out, d, why) < 0) {
      *bad = i;
      devbpf_policy_clear(out);
      return -1;
    }
  }
  if (out->n > 1)
    qsort(out->ex, out->n, sizeof *out->ex, cmp_ex);
  return 0;
}

void devbpf_policy_clear(struct devbpf_policy *p) {
  free(p->ex);
  p->ex = NULL;
  p->n = 0;
}

/* An allow exception must cover all of the access asked for; a deny exception takes any
 * request that shares some access with it (as the v1 controller's allow and deny lists). */
static bool ex_matches(const struct cg_dev *e, char type, int64_t major, int64_t minor,
                       unsigned access) {
  if (e->type != type || (e->major != -1 && e->major != major) ||
      (e->minor != -1 && e->minor != minor))
    return false;
  return e->allow ? (access & ~e->access) == 0 : (access & e->access) != 0;
}

bool devbpf_policy_allows(const struct devbpf_policy *p, char type, int64_t major, int64_t minor,
                          unsigned access) {
  for (size_t i = 0; i < p->n; i++)
    if (ex_matches(&p->ex[i], type, major, minor, access))
      return p->ex[i].allow;
  return p->default_allow;
}

/* ---- the program ----------------------------------------------------------------------- */

#define INSN(c, d, s, o, i)                                                                        \
  ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})
#define LDX_W(d, s, o) INSN(BPF_LDX | BPF_MEM | BPF_W, d, s, o, 0)
#define ALU32_K(op, d, i) INSN(BPF_ALU | (op) | BPF_K, d, 0, 0, i)
#define MOV32_X(d, s) INSN(BPF_ALU | BPF_MOV | BPF_X, d, s, 0, 0)
#define JMP_K(op, d, i, o) INSN(BPF_JMP | (op) | BPF_K, d, 0, o, i)
#define JMP_X(op, d, s, o) INSN(BPF_JMP | (op) | BPF_X, d, s, o, 0)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static unsigned bpf_access(unsigned access) {
  return (access & CG_DEV_R ? BPF_DEVCG_ACC_READ : 0) |
         (access & CG_DEV_W ? BPF_DEVCG_ACC_WRITE : 0) |
         (access & CG_DEV_M ? BPF_DEVCG_ACC_MKNOD : 0);
}

enum { MAX_EXCEPTIONS = 2048 }; /* 9 instructions each: jumps stay within 16 bits */

int devbpf_program(const struct devbpf_policy *p, void **insns, size_t *n_insns,
                   struct error **err) {
  if (p->n > MAX_EXCEPTIONS)
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     "linux.resources.devices: %zu device rules remain after merging; the eBPF "
                     "device filter takes at most %d",
                     p->n, MAX_EXCEPTIONS);
  struct bpf_insn *v = xcalloc(6 + p->n * 9 + 2, sizeof *v);
  size_t k = 0;
  /* struct bpf_cgroup_dev_ctx: u32 access_type (type | access << 16), u32 major, u32 minor */
  v[k++] = LDX_W(BPF_REG_2, BPF_REG_1, 0);
  v[k++] = ALU32_K(BPF_AND, BPF_REG_2, 0xffff);
  v[k++] = LDX_W(BPF_REG_3, BPF_REG_1, 0);
  v[k++] = ALU32_K(BPF_RSH, BPF_REG_3, 16);
  v[k++] = LDX_W(BPF_REG_4, BPF_REG_1, 4);
  v[k++] = LDX_W(BPF_REG_5, BPF_REG_1, 8);
  for (size_t i = 0; i < p->n; i++) {
    const struct cg_dev *e = &p->ex[i];
    bool test_access = e->access != CG_DEV_RWM;
    size_t len = 1 + (test_access ? 3 : 0) + (e->major >= 0) + (e->minor >= 0) + 2;
    size_t start = k;
#define SKIP ((int16_t)(len - 1 - (k - start)))
    v[k] =
        JMP_K(BPF_JNE, BPF_REG_2, e->type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK, SKIP);
    k++;
    if (test_access) {
      v[k++] = MOV32_X(BPF_REG_1, BPF_REG_3);
      v[k++] = ALU32_K(BPF_AND, BPF_REG_1, (int32_t)bpf_access(e->access));
      /* allow: all of the access asked for is in the rule; deny: some of it is */
      v[k] = e->allow ? JMP_X(BPF_JNE, BPF_REG_1, BPF_REG_3, SKIP)
                      : JMP_K(BPF_JEQ, BPF_REG_1, 0, SKIP);
      k++;
    }
    if (e->major >= 0) {
      v[k] = JMP_K(BPF_JNE, BPF_REG_4, (int32_t)e->major, SKIP);
      k++;
    }
    if (e->minor >= 0) {
      v[k] = JMP_K(BPF_JNE, BPF_REG_5, (int32_t)e->minor, SKIP);
      k++;
    }
#undef SKIP
    v[k++] = ALU32_K(BPF_MOV, BPF_REG_0, e->allow ? 1 : 0);
    v[k++] = EXIT();
  }
  v[k++] = ALU32_K(BPF_MOV, BPF_REG_0, p->default_allow ? 1 : 0);
  v[k++] = EXIT();
  *insns = v;
  *n_insns = k;
  return 0;
}

int devbpf_run(const void *insns, size_t n_insns, char type, uint32_t major, uint32_t minor,
               unsigned access) {
  const struct bpf_insn *v = insns;
  uint32_t ctx[3] = {(uint32_t)(type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK) |
                         (bpf_access(access) << 16),
                     major, minor};
  uint64_t r[11] = {0};
  bool is_ctx[11] = {false};
  is_ctx[1] = true;
  for (size_t pc = 0, steps = 0; pc < n_insns && steps < 100000; pc++, steps++) {
    const struct bpf_insn *i = &v[pc];
    unsigned d = i->dst_reg, s = i->src_reg;
    if (d > 10 || s > 10)
      return -1;
    uint64_t src = BPF_SRC(i->code) == BPF_X ? r[s] : (uint64_t)(int64_t)i->imm;
    switch (BPF_CLASS(i->code)) {
    case BPF_LDX:
      if (i->code != (BPF_LDX | BPF_MEM | BPF_W) || !is_ctx[s] || i->off < 0 || i->off > 8 ||
          i->off % 4 != 0)
        return -1;
      r[d] = ctx[i->off / 4];
      is_ctx[d] = false;
      break;
    case BPF_ALU: {
      uint32_t a = (uint32_t)r[d], b = (uint32_t)src;
      switch (BPF_OP(i->code)) {
      case BPF_MOV: a = b; break;
      case BPF_AND: a &= b; break;
      case BPF_RSH: a = b < 32 ? a >> b : 0; break;
      default: return -1;
      }
      r[d] = a;
      is_ctx[d] = false;
      break;
    }
    case BPF_JMP: {
      bool jump;
      switch (BPF_OP(i->code)) {
      case BPF_EXIT: return r[0] != 0;
      case BPF_JNE: jump = r[d] != src; break;
      case BPF_JEQ: jump = r[d] == src; break;
      default: return -1;
      }
      if (jump)
        pc += (size_t)(ssize_t)i->off;
      break;
    }
    default: return -1;
    }
  }
  return -1;
}

/* ---- checks ---------------------------------------------------------------------------- */

static int rule_error(struct error **err, size_t bad, size_t n, const char *why) {
  if (bad < n)
    return error_set(err, ERR_INVALID_CONFIG, 0, "linux.resources.devices[%zu]: %s", bad, why);
  char d[64];
  const struct cg_dev *dd = &cg_default_devices[bad - n];
  fmt_rule(d, dd->type, dd->major, dd->minor, dd->access);
  return error_set(err, ERR_INVALID_CONFIG, 0,
                   "linux.resources.devices: the default device %s, allowed after the rules as "
                   "runc does, conflicts with them: %s",
                   d, why);
}

int devbpf_check(const struct cg_dev *rules, size_t n, struct error **err) {
  struct devbpf_policy p;
  size_t bad;
  char why[DEVBPF_WHY];
  if (devbpf_policy_make(rules, n, true, &p, &bad, why) < 0)
    return rule_error(err, bad, n, why);
  void *insns = NULL;
  size_t n_insns = 0;
  int rc = devbpf_program(&p, &insns, &n_insns, err);
  free(insns);
  devbpf_policy_clear(&p);
  return rc;
}

/* ---- bpf(2) ---------------------------------------------------------------------------- */

static int sys_bpf(int cmd, union bpf_attr *a) { return (int)syscall(SYS_bpf, cmd, a, sizeof *a); }

static int prog_load(const struct bpf_insn *insns, size_t n, char *log, size_t log_size) {
  union bpf_attr a;
  memset(&a, 0, sizeof a);
  a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  a.insns = (uint64_t)(uintptr_t)insns;
  a.insn_cnt = (uint32_t)n;
  a.license = (uint64_t)(uintptr_t) "GPL";
  if (log != NULL) {
    a.log_buf = (uint64_t)(uintptr_t)log;
    a.log_size = (uint32_t)log_size;
    a.log_level = 1;
  }
  return sys_bpf(BPF_PROG_LOAD, &a);
}

/* Kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK: raised for the load only, so the
 * container (cloned later) does not inherit an unlimited memlock. */
static int load(const struct bpf_insn *insns, size_t n, const char *path, struct error **err) {
  int fd = prog_load(insns, n, NULL, 0);
  if (fd < 0 && errno == EPERM) {
    struct rlimit old, inf = {RLIM_INFINITY, RLIM_INFINITY};
    if (getrlimit(RLIMIT_MEMLOCK, &old) == 0 && old.rlim_cur != RLIM_INFINITY &&
        setrlimit(RLIMIT_MEMLOCK, &inf) == 0) {
      fd = prog_load(insns, n, NULL, 0);
      int e = errno;
      (void)setrlimit(RLIMIT_MEMLOCK, &old);
      errno = e;
    }
  }
  if (fd >= 0)
    return fd;
  int e = errno;
  error_set(err, e == EPERM || e == EACCES ? ERR_PERMISSION : ERR_HOST_UNSUPPORTED, e,
            "linux.resources.devices: cannot load the eBPF device filter for %s", path);
  if (e == EPERM || e == EACCES) {
    cg_hint(err, "loading eBPF programs needs CAP_BPF or CAP_SYS_ADMIN (root), and "
                 "kernel.unprivileged_bpf_disabled does not matter then; inside a container, "
                 "the container must be allowed bpf(2)");
  } else if (e == EINVAL) {
    char *log = xcalloc(1, 16384);
    if (prog_load(insns, n, log, 16384) < 0 && log[0] != '\0') {
      for (char *p = log; *p; p++)
        if (*p == '\n')
          *p = ' ';
      debug("eBPF verifier log: %s", log);
    }
    free(log);
    cg_hint(err, "this kernel lacks BPF_PROG_TYPE_CGROUP_DEVICE (CONFIG_CGROUP_BPF, Linux 4.15)"
                 " or refused the program (see --debug for the verifier's log)");
  } else if (e == ENOSYS) {
    cg_hint(err, "this kernel has no bpf(2) (CONFIG_BPF_SYSCALL)");
  }
  return -1;
}

/* The ids of the device programs attached to the cgroup itself (not its ancestors). */
static int query(int cgroup_fd, uint32_t *ids, uint32_t *n) {
  union bpf_attr a;
  memset(&a, 0, sizeof a);
  a.query.target_fd = (uint32_t)cgroup_fd;
  a.query.attach_type = BPF_CGROUP_DEVICE;
  a.query.prog_ids = (uint64_t)(uintptr_t)ids;
  a.query.prog_cnt = *n;
  if (sys_bpf(BPF_PROG_QUERY, &a) < 0)
    return -1;
  if (a.query.prog_cnt < *n)
    *n = a.query.prog_cnt;
  return 0;
}

static int prog_fd_of(uint32_t id) {
  union bpf_attr a;
  memset(&a, 0, sizeof a);
  a.prog_id = id;
  return sys_bpf(BPF_PROG_GET_FD_BY_ID, &a);
}

static int attach(int cgroup_fd, int prog_fd, int replace_fd) {
  union bpf_attr a;
  memset(&a, 0, sizeof a);
  a.target_fd = (uint32_t)cgroup_fd;
  a.attach_bpf_fd = (uint32_t)prog_fd;
  a.attach_type = BPF_CGROUP_DEVICE;
  a.attach_flags = BPF_F_ALLOW_MULTI;
  if (replace_fd >= 0) {
    a.attach_flags |= BPF_F_REPLACE;
    a.replace_bpf_fd = (uint32_t)replace_fd;
  }
  return sys_bpf(BPF_PROG_ATTACH, &a);
}

static int detach(int cgroup_fd, int prog_fd) {
  union bpf_attr a;
  memset(&a, 0, sizeof a);
  a.target_fd = (uint32_t)cgroup_fd;
  a.attach_bpf_fd = (uint32_t)prog_fd;
  a.attach_type = BPF_CGROUP_DEVICE;
  return sys_bpf(BPF_PROG_DETACH, &a);
}

int devbpf_apply(int cgroup_fd, const char *path, const struct cg_dev *rules, size_t n,
                 struct error **err) {
  if (cgroup_fd < 0)
    return error_sys(err, "linux.resources.devices: cannot open the cgroup %s", path);
  struct devbpf_policy p;
  size_t bad;
  char why[DEVBPF_WHY];
  if (devbpf_policy_make(rules, n, true, &p, &bad, why) < 0)
    return rule_error(err, bad, n, why);
  void *insns = NULL;
  size_t n_insns = 0;
  int rc = devbpf_program(&p, &insns, &n_insns, err);
  debug("device filter for %s: default %s, %zu exception(s), %zu instructions", path,
        p.default_allow ? "allow" : "deny", p.n, n_insns);
  devbpf_policy_clear(&p);
  if (rc < 0)
    return -1;
  autoclose int prog = load(insns, n_insns, path, err);
  free(insns);
  if (prog < 0)
    return -1;

  uint32_t ids[64];
  uint32_t n_old = sizeof ids / sizeof ids[0];
  if (query(cgroup_fd, ids, &n_old) < 0) {
    int e = errno;
    error_set(err, ERR_HOST_UNSUPPORTED, e,
              "linux.resources.devices: cannot list the device programs of the cgroup %s", path);
    return e == EINVAL ? cg_hint(err, "this kernel lacks cgroup eBPF (CONFIG_CGROUP_BPF)") : -1;
  }
  if (n_old == 1) {
    /* One program of ours from before (an update): swapped in one step. */
    autoclose int old = prog_fd_of(ids[0]);
    if (old >= 0 && attach(cgroup_fd, prog, old) == 0)
      return 0;
  }
  if (attach(cgroup_fd, prog, -1) < 0) {
    int e = errno;
    error_set(err, e == EPERM ? ERR_PERMISSION : ERR_HOST_UNSUPPORTED, e,
              "linux.resources.devices: cannot attach the eBPF device filter to the cgroup %s",
              path);
    if (e == EPERM)
      cg_hint(err, "a device program attached there without BPF_F_ALLOW_MULTI excludes others, "
                   "or this process may not attach programs (CAP_BPF / CAP_SYS_ADMIN)");
    return -1;
  }
  /* Then the old ones go: the new filter was in force before they left. */
  for (uint32_t i = 0; i < n_old; i++) {
    autoclose int old = prog_fd_of(ids[i]);
    if (old < 0 || detach(cgroup_fd, old) < 0) {
      if (errno == ENOENT)
        continue; /* detached meanwhile */
      return error_sys(err,
                       "linux.resources.devices: cannot detach the previous device program %u "
                       "of the cgroup %s",
                       ids[i], path);
    }
  }
  return 0;
}
