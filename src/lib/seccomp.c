/* seccomp.c — linux.seccomp -> libseccomp -> BPF, loaded with seccomp(2) (see seccomp.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "debug.h"
#include "seccomp.h" /* ours (src/lib is an -iquote directory) */
#include "util.h"
#include <seccomp.h> /* libseccomp's */

#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

#define SPEC_VERSION "1.2.0"
#define MAX_ARGS 6
#define WHERE "config.json: .linux.seccomp"

/* --- the tables ------------------------------------------------------------------------ */

enum { ACT_PLAIN, ACT_ERRNO, ACT_TRACE };
static const struct {
  const char *name;
  uint32_t value;  /* the libseccomp action (ERRNO and TRACE: without their data) */
  uint32_t kernel; /* the SECCOMP_RET_* the kernel must have */
  int kind;
} action_table[] = {
    /* runc: SCMP_ACT_KILL is the thread's death, as in libseccomp */
    {"SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD, SECCOMP_RET_KILL_THREAD, ACT_PLAIN},
    {"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS, SECCOMP_RET_KILL_PROCESS, ACT_PLAIN},
    {"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD, SECCOMP_RET_KILL_THREAD, ACT_PLAIN},
    {"SCMP_ACT_TRAP", SCMP_ACT_TRAP, SECCOMP_RET_TRAP, ACT_PLAIN},
    {"SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0), SECCOMP_RET_ERRNO, ACT_ERRNO},
    {"SCMP_ACT_TRACE", SCMP_ACT_TRACE(0), SECCOMP_RET_TRACE, ACT_TRACE},
    {"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW, SECCOMP_RET_ALLOW, ACT_PLAIN},
    {"SCMP_ACT_LOG", SCMP_ACT_LOG, SECCOMP_RET_LOG, ACT_PLAIN},
    {"SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY, SECCOMP_RET_USER_NOTIF, ACT_PLAIN},
};
#define N_ACTIONS (sizeof action_table / sizeof action_table[0])

static const struct {
  const char *name;
  int op;
} op_table[] = {
    {"SCMP_CMP_NE", SCMP_CMP_NE},
    {"SCMP_CMP_LT", SCMP_CMP_LT},
    {"SCMP_CMP_LE", SCMP_CMP_LE},
    {"SCMP_CMP_EQ", SCMP_CMP_EQ},
    {"SCMP_CMP_GE", SCMP_CMP_GE},
    {"SCMP_CMP_GT", SCMP_CMP_GT},
    {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
};
#define N_OPS (sizeof op_table / sizeof op_table[0])

static const struct {
  const char *name;
  uint32_t token;
} arch_table[] = {
    {"SCMP_ARCH_X86", SCMP_ARCH_X86},
    {"SCMP_ARCH_X86_64", SCMP_ARCH_X86_64},
    {"SCMP_ARCH_X32", SCMP_ARCH_X32},
    {"SCMP_ARCH_ARM", SCMP_ARCH_ARM},
    {"SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64},
    {"SCMP_ARCH_MIPS", SCMP_ARCH_MIPS},
    {"SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64},
    {"SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32},
    {"SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL},
    {"SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64},
    {"SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32},
    {"SCMP_ARCH_PPC", SCMP_ARCH_PPC},
    {"SCMP_ARCH_PPC64", SCMP_ARCH_PPC64},
    {"SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE},
    {"SCMP_ARCH_S390", SCMP_ARCH_S390},
    {"SCMP_ARCH_S390X", SCMP_ARCH_S390X},
    {"SCMP_ARCH_PARISC", SCMP_ARCH_PARISC},
    {"SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64},
#ifdef SCMP_ARCH_RISCV64
    {"SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64},
#endif
#ifdef SCMP_ARCH_LOONGARCH64
    {"SCMP_ARCH_LOONGARCH64", SCMP_ARCH_LOONGARCH64},
#endif
#ifdef SCMP_ARCH_M68K
    {"SCMP_ARCH_M68K", SCMP_ARCH_M68K},
#endif
#ifdef SCMP_ARCH_SH
    {"SCMP_ARCH_SH", SCMP_ARCH_SH},
    {"SCMP_ARCH_SHEB", SCMP_ARCH_SHEB},
#endif
};
#define N_ARCHS (sizeof arch_table / sizeof arch_table[0])

static const struct {
  const char *name;
  unsigned long flag;
} flag_table[] = {
    {"SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC},
    {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV},
};
#define N_FLAGS (sizeof flag_table / sizeof flag_table[0])

static int action_index(const char *name) {
  for (size_t i = 0; name && i < N_ACTIONS; i++)
    if (strcmp(name, action_table[i].name) == 0)
      return (int)i;
  return -1;
}

int seccomp_action_value(const char *name, bool has_errno, uint32_t errno_ret, uint32_t *out) {
  int i = action_index(name);
  if (i < 0)
    return -1;
  uint32_t data = has_errno ? errno_ret : EPERM; /* runc: EPERM for ERRNO and TRACE */
  switch (action_table[i].kind) {
  case ACT_ERRNO: *out = SCMP_ACT_ERRNO(data); break;
  case ACT_TRACE: *out = SCMP_ACT_TRACE(data); break;
  default: *out = action_table[i].value; break;
  }
  return 0;
}

bool seccomp_action_takes_errno(const char *name) {
  int i = action_index(name);
  return i >= 0 && action_table[i].kind != ACT_PLAIN;
}

int seccomp_op_value(const char *name) {
  for (size_t i = 0; name && i < N_OPS; i++)
    if (strcmp(name, op_table[i].name) == 0)
      return op_table[i].op;
  return -1;
}

uint32_t seccomp_arch_value(const char *name) {
  for (size_t i = 0; name && i < N_ARCHS; i++)
    if (strcmp(name, arch_table[i].name) == 0)
      return arch_table[i].token;
  return 0;
}

unsigned long seccomp_flag_value(const char *name) {
  for (size_t i = 0; name && i < N_FLAGS; i++)
    if (strcmp(name, flag_table[i].name) == 0)
      return flag_table[i].flag;
  return 0;
}

/* --- the kernel ------------------------------------------------------------------------ */

static long sys_seccomp(unsigned int op, unsigned long flags, void *arg) {
  return syscall(SYS_seccomp, op, flags, arg);
}

/* A flag is known to the kernel when seccomp(SET_MODE_FILTER, flag, NULL) gets as far as
 * reading the (absent) program: EFAULT. An unknown flag is EINVAL, before that. */
static bool kernel_has_flags(unsigned long flags) {
  if (flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
    flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
  return sys_seccomp(SECCOMP_SET_MODE_FILTER, flags, NULL) < 0 && errno == EFAULT;
}

/* EOPNOTSUPP is the kernel's "no such action". A kernel without SECCOMP_GET_ACTION_AVAIL
 * (before 4.14: EINVAL) or a seccomp(2) it does not let us reach (ENOSYS: valgrind, say)
 * is taken to have the actions older than that call, as libseccomp does; loading says
 * the rest. */
static bool kernel_has_action(uint32_t ret) {
  uint32_t action = ret;
  if (sys_seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0)
    return true;
  if (errno == EOPNOTSUPP)
    return false;
  return ret != SECCOMP_RET_KILL_PROCESS && ret != SECCOMP_RET_LOG && ret != SECCOMP_RET_USER_NOTIF;
}

/* --- validation ------------------------------------------------------------------------ */

static int check_action(const char *name, bool has_errno, uint32_t errno_ret, const char *path,
                        const char *errno_field, struct error **err) {
  if (action_index(name) < 0)
    return error_set(err, ERR_INVALID_CONFIG, 0, WHERE "%s: unknown action \"%s\"", path,
                     name ? name : "");
  if (!has_errno)
    return 0;
  if (!seccomp_action_takes_errno(name))
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     WHERE "%s: %s takes no errno (only SCMP_ACT_ERRNO and SCMP_ACT_TRACE do)",
                     errno_field, name);
  if (errno_ret > 0xffff)
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     WHERE "%s: %u does not fit in the 16 bits of a seccomp return value",
                     errno_field, errno_ret);
  return 0;
}

int seccomp_validate(const oci_seccomp *s, struct error **err) {
  if (s == NULL)
    return 0;
  if (check_action(s->default_action, s->default_errno_ret_present, s->default_errno_ret,
                   ".defaultAction", ".defaultErrnoRet", err) < 0)
    return -1;
  /* The runtime sends the listener fd with sendmsg once the filter is loaded: a default
   * NOTIFY would make that wait for the agent it is being sent to (runc refuses it too). */
  if (strcmp(s->default_action, "SCMP_ACT_NOTIFY") == 0)
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     WHERE ".defaultAction: SCMP_ACT_NOTIFY cannot be the default action (the "
                           "runtime itself sends the listener fd under the filter)");
  for (size_t i = 0; i < s->architectures_len; i++)
    if (seccomp_arch_value(s->architectures[i]) == 0)
      return error_set(err, ERR_INVALID_CONFIG, 0,
                       WHERE ".architectures[%zu]: unknown architecture \"%s\"", i,
                       s->architectures[i]);
  for (size_t i = 0; i < s->flags_len; i++)
    if (seccomp_flag_value(s->flags[i]) == 0)
      return error_set(err, ERR_INVALID_CONFIG, 0, WHERE ".flags[%zu]: unknown flag \"%s\"", i,
                       s->flags[i]);
  if (s->listener_metadata && !s->listener_path)
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     WHERE ".listenerMetadata: set without .linux.seccomp.listenerPath");
  if (s->listener_path && s->listener_path[0] != '/')
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     WHERE ".listenerPath: \"%s\" is not an absolute path", s->listener_path);
  for (size_t i = 0; i < s->syscalls_len; i++) {
    const oci_seccomp_syscall *sc = s->syscalls[i];
    char path[64], errpath[64];
    snprintf(path, sizeof path, ".syscalls[%zu].action", i);
    snprintf(errpath, sizeof errpath, ".syscalls[%zu].errnoRet", i);
    if (check_action(sc->action, sc->errno_ret_present, sc->errno_ret, path, errpath, err) < 0)
      return -1;
    if (sc->names_len == 0)
      return error_set(err, ERR_INVALID_CONFIG, 0,
                       WHERE ".syscalls[%zu].names: must name at least one syscall", i);
    bool notify = strcmp(sc->action, "SCMP_ACT_NOTIFY") == 0;
    if (notify && !s->listener_path)
      return error_set(err, ERR_INVALID_CONFIG, 0,
                       WHERE "%s: SCMP_ACT_NOTIFY needs .linux.seccomp.listenerPath", path);
    for (size_t j = 0; j < sc->names_len; j++) {
      if (sc->names[j] == NULL || sc->names[j][0] == '\0')
        return error_set(err, ERR_INVALID_CONFIG, 0,
                         WHERE ".syscalls[%zu].names[%zu]: empty syscall name", i, j);
      if (notify && strcmp(sc->names[j], "sendmsg") == 0)
        return error_set(err, ERR_INVALID_CONFIG, 0,
                         WHERE ".syscalls[%zu].names[%zu]: SCMP_ACT_NOTIFY cannot be used for "
                               "sendmsg (the runtime sends the listener fd with it)",
                         i, j);
    }
    for (size_t k = 0; k < sc->args_len; k++) {
      const oci_seccomp_arg *a = sc->args[k];
      if (a->index >= MAX_ARGS)
        return error_set(err, ERR_INVALID_CONFIG, 0,
                         WHERE ".syscalls[%zu].args[%zu].index: %u is not a syscall argument "
                               "(0 to 5)",
                         i, k, a->index);
      if (seccomp_op_value(a->op) < 0)
        return error_set(err, ERR_INVALID_CONFIG, 0,
                         WHERE ".syscalls[%zu].args[%zu].op: unknown operator \"%s\"", i, k,
                         a->op ? a->op : "");
    }
  }
  return 0;
}

/* --- compile ------------------------------------------------------------------------- */

struct seccomp_plan {
  struct sock_filter *insns;
  unsigned short len;
  unsigned long flags; /* for seccomp(2), NEW_LISTENER included when notifying */
  bool notify;
  int sock; /* connected to listenerPath, close-on-exec */
  char *listener_path;
  char *metadata;
  bool drop_sys_admin; /* from effective after the load (seccomp_needs_sys_admin) */
  bool drop_sys_admin_permitted;
};

void seccomp_plan_free(struct seccomp_plan *p) {
  if (p == NULL)
    return;
  if (p->sock >= 0)
    close(p->sock);
  free(p->insns);
  free(p->listener_path);
  free(p->metadata);
  free(p);
}

static void ctx_releasep(scmp_filter_ctx *c) {
  if (*c)
    seccomp_release(*c);
}

/* One syscall of one entry. runc's semantics: conditions on distinct arguments make one rule
 * (all must hold); when an argument index repeats, libseccomp cannot AND two comparisons of
 * one argument, so each condition becomes a rule of its own (any may hold). */
static int add_rules(scmp_filter_ctx ctx, uint32_t action, int nr, const oci_seccomp_syscall *sc,
                     size_t i, struct error **err) {
  unsigned counts[MAX_ARGS] = {0};
  bool repeated = false;
  autofree struct scmp_arg_cmp *conds = xcalloc(sc->args_len ? sc->args_len : 1, sizeof *conds);
  for (size_t k = 0; k < sc->args_len; k++) {
    const oci_seccomp_arg *a = sc->args[k];
    conds[k] = (struct scmp_arg_cmp){.arg = a->index,
                                     .op = (enum scmp_compare)seccomp_op_value(a->op),
                                     .datum_a = a->value,
                                     .datum_b = a->value_two};
    if (++counts[a->index] > 1)
      repeated = true;
  }
  int rc = 0;
  if (!repeated) {
    rc = seccomp_rule_add_array(ctx, action, nr, (unsigned)sc->args_len, conds);
  } else {
    for (size_t k = 0; k < sc->args_len && rc == 0; k++)
      rc = seccomp_rule_add_array(ctx, action, nr, 1, &conds[k]);
  }
  if (rc < 0) {
    char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
    error_set(err, ERR_INVALID_CONFIG, -rc, WHERE ".syscalls[%zu]: add the rule for %s", i,
              name ? name : "?");
    free(name);
    return -1;
  }
  return 0;
}

static int export_bpf(scmp_filter_ctx ctx, struct seccomp_plan *p, struct error **err) {
  autoclose int fd = memfd_create("contain-seccomp", MFD_CLOEXEC);
  if (fd < 0)
    return error_sys(err, "seccomp: memfd_create for the filter's BPF");
  int rc = seccomp_export_bpf(ctx, fd);
  if (rc < 0)
    return error_set(err, ERR_GENERIC, -rc, "seccomp: export the filter's BPF");
  struct stat st;
  if (fstat(fd, &st) < 0)
    return error_sys(err, "seccomp: fstat the filter's BPF");
  size_t size = (size_t)st.st_size;
  if (size == 0 || size % sizeof(struct sock_filter) != 0 ||
      size / sizeof(struct sock_filter) > BPF_MAXINSNS)
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     WHERE ": the compiled filter has %zu instructions (the kernel takes 1 to %d)",
                     size / sizeof(struct sock_filter), BPF_MAXINSNS);
  p->insns = xmalloc(size);
  for (size_t off = 0; off < size;) {
    ssize_t r = pread(fd, (char *)p->insns + off, size - off, (off_t)off);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return error_sys(err, "seccomp: read the filter's BPF back");
    off += (size_t)r;
  }
  p->len = (unsigned short)(size / sizeof(struct sock_filter));
  return 0;
}

static int connect_listener(struct seccomp_plan *p, struct error **err) {
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  if (strlen(p->listener_path) >= sizeof sa.sun_path)
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     WHERE ".listenerPath: \"%s\" is longer than a unix socket path can be (%zu)",
                     p->listener_path, sizeof sa.sun_path - 1);
  strcpy(sa.sun_path, p->listener_path);
  p->sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (p->sock < 0)
    return error_sys(err, "seccomp: socket for the listener");
  int r;
  do
    r = connect(p->sock, (struct sockaddr *)&sa, sizeof sa);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return error_sys(err, "seccomp: connect to the listener %s (.linux.seccomp.listenerPath)",
                     p->listener_path);
  return 0;
}

/* The --debug notes of a compile (skipped rules, unknown names): said as they happen, and
 * kept with a cached filter so that a cache hit says them again. */
struct notes {
  char *text; /* lines, each ending in '\n' */
  size_t len;
};

static void note(struct notes *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct notes *n, const char *fmt, ...) {
  char *line = NULL;
  va_list ap;
  va_start(ap, fmt);
  int r = vasprintf(&line, fmt, ap);
  va_end(ap);
  if (r < 0)
    abort();
  debug("%s", line);
  n->text = xrealloc(n->text, n->len + (size_t)r + 2);
  memcpy(n->text + n->len, line, (size_t)r);
  n->len += (size_t)r;
  n->text[n->len++] = '\n';
  n->text[n->len] = '\0';
  free(line);
}

/* Every action the profile uses must be one the kernel has: an action it does not know
 * would kill the process instead. Checked even when the filter comes from the cache. */
static int check_kernel_actions(const oci_seccomp *s, struct error **err) {
  static unsigned checked, missing; /* bits of action_table, for this process */
  for (size_t i = 0; i <= s->syscalls_len; i++) {
    const char *name = i < s->syscalls_len ? s->syscalls[i]->action : s->default_action;
    int k = action_index(name);
    if (!(checked & (1U << k))) {
      checked |= 1U << k;
      if (!kernel_has_action(action_table[k].kernel))
        missing |= 1U << k;
    }
    if (missing & (1U << k)) {
      if (i == s->syscalls_len)
        return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                         WHERE ".defaultAction: this kernel does not have %s", name);
      return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                       WHERE ".syscalls[%zu].action: this kernel does not have %s", i, name);
    }
  }
  return 0;
}

static int compile(const oci_seccomp *s, struct seccomp_plan *p, struct notes *notes,
                   struct error **err) {
  uint32_t def;
  seccomp_action_value(s->default_action, s->default_errno_ret_present, s->default_errno_ret, &def);
  __attribute__((cleanup(ctx_releasep))) scmp_filter_ctx ctx = seccomp_init(def);
  if (ctx == NULL)
    return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                     WHERE ".defaultAction: %s: libseccomp or the kernel does not support it",
                     s->default_action);
  /* A binary tree of syscalls beats a linear list for long profiles (runc: > 32 entries). */
  if (s->syscalls_len > 32 && seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0)
    debug("seccomp: binary tree optimization not available in this libseccomp");
  for (size_t i = 0; i < s->architectures_len; i++) {
    int rc = seccomp_arch_add(ctx, seccomp_arch_value(s->architectures[i]));
    if (rc < 0 && rc != -EEXIST)
      return error_set(err, ERR_HOST_UNSUPPORTED, -rc, WHERE ".architectures[%zu]: add %s", i,
                       s->architectures[i]);
  }
  for (size_t i = 0; i < s->syscalls_len; i++) {
    const oci_seccomp_syscall *sc = s->syscalls[i];
    uint32_t act;
    seccomp_action_value(sc->action, sc->errno_ret_present, sc->errno_ret, &act);
    if (act == def) { /* libseccomp refuses a rule that says what the default says */
      note(notes, "seccomp: .linux.seccomp.syscalls[%zu] (%s) is the default action, skipped", i,
           sc->action);
      continue;
    }
    for (size_t j = 0; j < sc->names_len; j++) {
      int nr = seccomp_syscall_resolve_name(sc->names[j]);
      if (nr == __NR_SCMP_ERROR) {
        note(notes,
             "seccomp: unknown syscall \"%s\" ignored (.linux.seccomp.syscalls[%zu].names[%zu])",
             sc->names[j], i, j);
        continue;
      }
      if (add_rules(ctx, act, nr, sc, i, err) < 0)
        return -1;
      if (act == SCMP_ACT_NOTIFY)
        p->notify = true;
    }
  }
  return export_bpf(ctx, p, err);
}

/* --- the cache of compiled filters --------------------------------------------------- */

/* libseccomp takes ~10-20 ms for a profile of a few hundred syscalls and three
 * architectures, mostly in generating the BPF. A filter depends only on the rules (not on
 * flags or the listener), libseccomp's version and API level and the native architecture:
 * all of that is the key, written out in full at the head of the cache file, so a hit
 * needs the whole key to match, and a collision of the file names (a hash of the key) can
 * only miss, never hand one profile another's filter. */
static char *cache_dir;
#define CACHE_MAGIC "contain seccomp filter 1\n"
#define CACHE_MAX_FILES 256
#define CACHE_MAX_SIZE (1 << 22)

void seccomp_set_cache_dir(const char *dir) {
  free(cache_dir);
  cache_dir = dir ? xstrdup(dir) : NULL;
}

static char *cache_key(const oci_seccomp *s) {
  oci_seccomp rules = *s;
  rules.flags = NULL;
  rules.flags_len = 0;
  rules.listener_path = NULL;
  rules.listener_metadata = NULL;
  char *msg = NULL;
  autofree char *json = oci_seccomp_generate_json(&rules, &msg);
  free(msg);
  if (json == NULL)
    return NULL;
  const struct scmp_version *v = seccomp_version();
  return xasprintf(CACHE_MAGIC "libseccomp %u.%u.%u api %u arch 0x%x\n%s\n", v->major, v->minor,
                   v->micro, seccomp_api_get(), seccomp_arch_native(), json);
}

static uint64_t fnv1a(const char *s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
  return h;
}

/* The cache directory, made 0700 when missing; refused unless it is ours and closed to
 * everyone else (a filter planted there would be loaded into containers). */
static int cache_open_dir(void) {
  if (cache_dir == NULL)
    return -1;
  if (mkdir(cache_dir, 0700) < 0 && errno != EEXIST)
    return -1;
  int fd = open(cache_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  struct stat st;
  if (fd >= 0 && (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 022))) {
    debug("seccomp: cache %s not used: not owned by uid %u, or writable by others", cache_dir,
          (unsigned)geteuid());
    close(fd);
    return -1;
  }
  return fd;
}

/* File: key, then "notify N\n", the notes, a NUL, the BPF instructions. */
static bool cache_load(int dirfd, const char *name, const char *key, struct seccomp_plan *p) {
  autoclose int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
      (st.st_mode & 022) || st.st_size <= 0 || st.st_size > CACHE_MAX_SIZE)
    return false;
  size_t size = (size_t)st.st_size, klen = strlen(key);
  autofree char *buf = xmalloc(size + 1);
  for (size_t off = 0; off < size;) {
    ssize_t r = pread(fd, buf + off, size - off, (off_t)off);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return false;
    off += (size_t)r;
  }
  buf[size] = '\0';
  char *nul = memchr(buf, '\0', size);
  if (nul == NULL || (size_t)(nul - buf) < klen || memcmp(buf, key, klen) != 0)
    return false;
  const char *rest = buf + klen;
  if (strncmp(rest, "notify ", 7) != 0 || (rest[7] != '0' && rest[7] != '1') || rest[8] != '\n')
    return false;
  size_t bpf = size - (size_t)(nul + 1 - buf);
  if (bpf == 0 || bpf % sizeof(struct sock_filter) ||
      bpf / sizeof(struct sock_filter) > BPF_MAXINSNS)
    return false;
  p->notify = rest[7] == '1';
  p->insns = xmalloc(bpf);
  memcpy(p->insns, nul + 1, bpf);
  p->len = (unsigned short)(bpf / sizeof(struct sock_filter));
  /* the notes of the compile, said again */
  for (char *line = (char *)rest + 9, *nl;
       line < nul && (nl = memchr(line, '\n', (size_t)(nul - line))); line = nl + 1) {
    *nl = '\0';
    debug("%s (cached)", line);
  }
  return true;
}

/* Written under a temporary name and renamed into place, so a reader sees a whole file
 * or none. Best effort: a failure only costs the next container a compile. */
static void cache_store(int dirfd, const char *name, const char *key, const struct seccomp_plan *p,
                        const struct notes *notes) {
  autoclose int dfd = dup(dirfd);
  DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
  if (d == NULL)
    return;
  dfd = -1;
  int n = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL;)
    n += e->d_name[0] != '.';
  closedir(d);
  if (n >= CACHE_MAX_FILES) {
    debug("seccomp: cache %s is full (%d filters); not adding", cache_dir, n);
    return;
  }
  char tmp[64];
  snprintf(tmp, sizeof tmp, ".tmp-%d-%s", (int)getpid(), name);
  autoclose int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return;
  autofree char *head =
      xasprintf("%snotify %d\n%s", key, p->notify ? 1 : 0, notes->text ? notes->text : "");
  if (write_all(fd, head, strlen(head) + 1) < 0 ||
      write_all(fd, p->insns, p->len * sizeof(struct sock_filter)) < 0 ||
      renameat(dirfd, tmp, dirfd, name) < 0)
    unlinkat(dirfd, tmp, 0);
}

/* The filter of s, from the cache or compiled (and then cached). */
static int make_filter(const oci_seccomp *s, struct seccomp_plan *p, struct error **err) {
  if (check_kernel_actions(s, err) < 0)
    return -1;
  autoclose int dirfd = cache_open_dir();
  autofree char *key = dirfd >= 0 ? cache_key(s) : NULL;
  char name[32];
  if (key) {
    snprintf(name, sizeof name, "%016llx.bpf", (unsigned long long)fnv1a(key));
    if (cache_load(dirfd, name, key, p)) {
      debug("seccomp: filter from the cache %s/%s", cache_dir, name);
      return 0;
    }
  }
  struct notes notes = {0};
  int r = compile(s, p, &notes, err);
  if (r == 0 && key)
    cache_store(dirfd, name, key, p, &notes);
  free(notes.text);
  return r;
}

int seccomp_prepare(const oci_seccomp *s, struct seccomp_plan **out, struct error **err) {
  *out = NULL;
  if (s == NULL)
    return 0;
  if (seccomp_validate(s, err) < 0)
    return -1;
  struct seccomp_plan *p = xcalloc(1, sizeof *p);
  p->sock = -1;
  for (size_t i = 0; i < s->flags_len; i++) {
    unsigned long f = seccomp_flag_value(s->flags[i]);
    if (!kernel_has_flags(f)) {
      seccomp_plan_free(p);
      return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                       WHERE ".flags[%zu]: this kernel does not support %s", i, s->flags[i]);
    }
    p->flags |= f;
  }
  if (make_filter(s, p, err) < 0) {
    seccomp_plan_free(p);
    return -1;
  }
  if (p->notify) {
    p->flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
    /* TSYNC reports a failing thread where NEW_LISTENER returns the fd: the kernel takes
     * both only with TSYNC_ESRCH. The init is one thread, so TSYNC changes nothing anyway. */
    if (p->flags & SECCOMP_FILTER_FLAG_TSYNC) {
      if (kernel_has_flags(SECCOMP_FILTER_FLAG_TSYNC_ESRCH)) {
        p->flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
      } else {
        debug("seccomp: SECCOMP_FILTER_FLAG_TSYNC dropped: this kernel cannot combine it with "
              "a listener (and the init has one thread)");
        p->flags &= ~SECCOMP_FILTER_FLAG_TSYNC;
      }
    }
    p->listener_path = xstrdup(s->listener_path);
    p->metadata = s->listener_metadata ? xstrdup(s->listener_metadata) : NULL;
    if (connect_listener(p, err) < 0) {
      seccomp_plan_free(p);
      return -1;
    }
  } else if (p->flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV) {
    debug("seccomp: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV has no effect without an "
          "SCMP_ACT_NOTIFY rule; not passed");
    p->flags &= ~SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
  }
  debug("seccomp: filter ready: %u BPF instructions, flags 0x%lx%s", p->len, p->flags,
        p->notify ? ", with a listener" : "");
  *out = p;
  return 0;
}

/* --- capabilities around the load ---------------------------------------------------- */

static bool names_have(char **names, size_t n, const char *want) {
  for (size_t i = 0; i < n; i++)
    if (names[i] && strcasecmp(names[i], want) == 0)
      return true;
  return false;
}

bool seccomp_needs_sys_admin(struct seccomp_plan *p, const oci_process *proc) {
  if (p == NULL || proc == NULL)
    return false;
  if (proc->no_new_privileges_present && proc->no_new_privileges)
    return false;
  const oci_capabilities *c = proc->capabilities;
  if (c == NULL) {
    /* No capabilities in the config: root keeps the runtime's, any other uid has none. */
    if (proc->user == NULL || proc->user->uid == 0)
      return false;
    p->drop_sys_admin = p->drop_sys_admin_permitted = true;
    return true;
  }
  if (names_have(c->effective, c->effective_len, "CAP_SYS_ADMIN"))
    return false;
  p->drop_sys_admin = true;
  p->drop_sys_admin_permitted = !names_have(c->permitted, c->permitted_len, "CAP_SYS_ADMIN");
  return true;
}

#define CAPBIT(c) (1U << ((c)&31))
#define CAPIDX(c) ((c) >> 5)

static int caps_get(struct __user_cap_data_struct d[2]) {
  struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  return (int)syscall(SYS_capget, &h, d);
}

static int caps_set(struct __user_cap_data_struct d[2]) {
  struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  return (int)syscall(SYS_capset, &h, d);
}

/* --- apply --------------------------------------------------------------------------- */

static void json_string(char **buf, size_t *len, size_t *cap, const char *s) {
  for (const char *c = s;; c++) {
    if (*len + 8 >= *cap) {
      *cap = *cap * 2 + 64;
      *buf = xrealloc(*buf, *cap);
    }
    if (*c == '\0')
      break;
    unsigned char u = (unsigned char)*c;
    if (u == '"' || u == '\\') {
      (*buf)[(*len)++] = '\\';
      (*buf)[(*len)++] = (char)u;
    } else if (u < 0x20) {
      *len += (size_t)snprintf(*buf + *len, 8, "\\u%04x", u);
    } else {
      (*buf)[(*len)++] = (char)u;
    }
  }
  (*buf)[*len] = '\0';
}

/* runtime-spec config-linux.md, "The Container Process State". */
static char *process_state_json(const struct seccomp_plan *p, const char *state_json, pid_t pid) {
  char *meta = NULL;
  if (p->metadata) {
    size_t len = 0, cap = 0;
    json_string(&meta, &len, &cap, p->metadata);
  }
  char *out = xasprintf("{\"ociVersion\":\"" SPEC_VERSION "\",\"fds\":[\"seccompFd\"],"
                        "\"pid\":%d%s%s%s,\"state\":%s}",
                        (int)pid, meta ? ",\"metadata\":\"" : "", meta ? meta : "",
                        meta ? "\"" : "", state_json && state_json[0] ? state_json : "{}");
  free(meta);
  return out;
}

/* One sendmsg with the fd and as much of the JSON as the socket takes; the rest (if any)
 * with further sendmsg calls, without fds, as the spec allows. */
static int send_state(int sock, int fd, const char *json) {
  size_t len = strlen(json), off = 0;
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } u;
  memset(&u, 0, sizeof u);
  bool first = true;
  while (off < len) {
    struct iovec iov = {.iov_base = (char *)json + off, .iov_len = len - off};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    if (first) {
      m.msg_control = u.buf;
      m.msg_controllen = sizeof u.buf;
      struct cmsghdr *c = CMSG_FIRSTHDR(&m);
      c->cmsg_level = SOL_SOCKET;
      c->cmsg_type = SCM_RIGHTS;
      c->cmsg_len = CMSG_LEN(sizeof(int));
      memcpy(CMSG_DATA(c), &fd, sizeof fd);
    }
    ssize_t n = sendmsg(sock, &m, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return -1;
    first = false;
    off += (size_t)n;
  }
  return 0;
}

int seccomp_apply(struct seccomp_plan *p, const char *state_json, pid_t host_pid,
                  struct error **err) {
  if (p == NULL)
    return 0;
  /* Everything that can be done before the load is done now. */
  autofree char *msg = p->notify ? process_state_json(p, state_json, host_pid) : NULL;
  struct sock_fprog prog = {.len = p->len, .filter = p->insns};
  struct __user_cap_data_struct before[2], after[2];
  bool restore = false;
  int nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
  if (nnp != 1) {
    if (caps_get(before) < 0)
      return error_sys(err, "seccomp: capget");
    memcpy(after, before, sizeof after);
    unsigned idx = CAPIDX(CAP_SYS_ADMIN), bit = CAPBIT(CAP_SYS_ADMIN);
    if (!(before[idx].effective & bit)) {
      if (!(before[idx].permitted & bit))
        return error_set(err, ERR_PERMISSION, 0,
                         "seccomp: loading the filter without process.noNewPrivileges needs "
                         "CAP_SYS_ADMIN, which the process does not have (set "
                         "noNewPrivileges, as `contain spec` does)");
      struct __user_cap_data_struct raised[2];
      memcpy(raised, before, sizeof raised);
      raised[idx].effective |= bit;
      if (caps_set(raised) < 0)
        return error_sys(err, "seccomp: raise CAP_SYS_ADMIN to load the filter");
      restore = true; /* back to `before`, or less */
    }
    if (p->drop_sys_admin) {
      after[idx].effective &= ~bit;
      if (p->drop_sys_admin_permitted)
        after[idx].permitted &= ~bit;
      restore = true;
    }
  }

  /* From here on, the filter is in force. */
  long fd = sys_seccomp(SECCOMP_SET_MODE_FILTER, p->flags, &prog);
  if (fd < 0) {
    int e = errno;
    if (restore)
      caps_set(after);
    errno = e;
    return error_sys(err, "seccomp: load the filter (%u instructions, flags 0x%lx)", p->len,
                     p->flags);
  }
  /* The agent gets the fd before capset runs, so a NOTIFY on capset is answered. */
  if (p->notify && send_state(p->sock, (int)fd, msg) < 0)
    return error_sys(err, "seccomp: send the listener fd to %s", p->listener_path);
  if (restore && caps_set(after) < 0)
    return error_sys(err, "seccomp: drop CAP_SYS_ADMIN again after loading the filter (does "
                          "the filter refuse capset?)");
  /* The socket and fd are close-on-exec: execve closes both, which ends the connection as
   * the spec asks. */
  return 0;
}

/* --- features ------------------------------------------------------------------------ */

static char **strv_push(char **v, size_t *n, const char *s) {
  v = xrealloc(v, (*n + 2) * sizeof *v);
  v[(*n)++] = xstrdup(s);
  v[*n] = NULL;
  return v;
}

oci_features_linux_seccomp *seccomp_features(void) {
  oci_features_linux_seccomp *f = xcalloc(1, sizeof *f);
  f->enabled = true;
  f->enabled_present = true;
  for (size_t i = 0; i < N_ACTIONS; i++)
    if (kernel_has_action(action_table[i].kernel))
      f->actions = strv_push(f->actions, &f->actions_len, action_table[i].name);
  for (size_t i = 0; i < N_OPS; i++)
    f->operators = strv_push(f->operators, &f->operators_len, op_table[i].name);
  for (size_t i = 0; i < N_ARCHS; i++) {
    /* libseccomp's own name: SCMP_ARCH_X86_64 -> "x86_64" */
    char lower[32];
    const char *n = arch_table[i].name + strlen("SCMP_ARCH_");
    size_t k = 0;
    for (; n[k] && k + 1 < sizeof lower; k++)
      lower[k] = (char)(n[k] >= 'A' && n[k] <= 'Z' ? n[k] - 'A' + 'a' : n[k]);
    lower[k] = '\0';
    if (seccomp_arch_resolve_name(lower) != 0)
      f->archs = strv_push(f->archs, &f->archs_len, arch_table[i].name);
  }
  for (size_t i = 0; i < N_FLAGS; i++) {
    f->known_flags = strv_push(f->known_flags, &f->known_flags_len, flag_table[i].name);
    if (kernel_has_flags(flag_table[i].flag))
      f->supported_flags =
          strv_push(f->supported_flags, &f->supported_flags_len, flag_table[i].name);
  }
  return f;
}

/* --- the default profile ------------------------------------------------------------ */

/* The file lists the x86_64 family; another host gets its own (as container engines map
 * them), so that its compat ABI is filtered rather than killed as a foreign architecture. */
#define DEFAULT_ARCHS "\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\""
static const struct {
  uint32_t native;
  const char *archs;
} default_archs[] = {
    {SCMP_ARCH_AARCH64, "\"SCMP_ARCH_AARCH64\", \"SCMP_ARCH_ARM\""},
    {SCMP_ARCH_S390X, "\"SCMP_ARCH_S390X\", \"SCMP_ARCH_S390\""},
    {SCMP_ARCH_PPC64LE, "\"SCMP_ARCH_PPC64LE\""},
    {SCMP_ARCH_MIPS64, "\"SCMP_ARCH_MIPS64\", \"SCMP_ARCH_MIPS64N32\", \"SCMP_ARCH_MIPS\""},
    {SCMP_ARCH_MIPSEL64, "\"SCMP_ARCH_MIPSEL64\", \"SCMP_ARCH_MIPSEL64N32\", \"SCMP_ARCH_MIPSEL\""},
#ifdef SCMP_ARCH_RISCV64
    {SCMP_ARCH_RISCV64, "\"SCMP_ARCH_RISCV64\""},
#endif
};

const char *seccomp_default_profile_json(void) {
  static char *fitted;
  const char *text = seccomp_default_profile_text();
  uint32_t native = seccomp_arch_native();
  if (native == SCMP_ARCH_X86_64 || fitted)
    return fitted ? fitted : text;
  const char *archs = NULL;
  for (size_t i = 0; i < sizeof default_archs / sizeof default_archs[0]; i++)
    if (default_archs[i].native == native)
      archs = default_archs[i].archs;
  const char *at = strstr(text, DEFAULT_ARCHS);
  if (at == NULL)
    return text;
  size_t head = (size_t)(at - text);
  if (archs == NULL) { /* the native architecture only: the list is left empty */
    archs = "";
  }
  fitted = xasprintf("%.*s%s%s", (int)head, text, archs, at + strlen(DEFAULT_ARCHS));
  return fitted;
}
