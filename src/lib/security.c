/* security.c — rlimits, user switch and capabilities (see security.h). */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "debug.h"
#include "security.h"
#include "util.h"

static const struct {
  const char *name;
  int resource;
} rlimit_table[] = {
    {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_NPROC", RLIMIT_NPROC},
    {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
    {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
};

int security_rlimit_resource(const char *name) {
  for (size_t k = 0; name && k < sizeof rlimit_table / sizeof rlimit_table[0]; k++)
    if (strcmp(name, rlimit_table[k].name) == 0)
      return rlimit_table[k].resource;
  return -1;
}

int security_rlimits(const oci_process *p, struct error **err) {
  for (size_t i = 0; i < p->rlimits_len; i++) {
    const oci_rlimit *r = p->rlimits[i];
    int res = security_rlimit_resource(r->type);
    if (res < 0)
      return error_set(err, ERR_INVALID_CONFIG, 0,
                       "config.json: .process.rlimits[%zu].type: unknown rlimit \"%s\"", i,
                       r->type ? r->type : "");
    struct rlimit rl = {.rlim_cur = r->soft, .rlim_max = r->hard};
    if (setrlimit(res, &rl) < 0) {
      struct rlimit cur = {0};
      getrlimit(res, &cur);
      return error_sys(err,
                       "set %s to soft %llu hard %llu (now %llu/%llu; raising a hard limit needs "
                       "CAP_SYS_RESOURCE)",
                       r->type, (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max,
                       (unsigned long long)cur.rlim_cur, (unsigned long long)cur.rlim_max);
    }
  }
  return 0;
}

enum {
  CAPSET_BOUNDING,
  CAPSET_EFFECTIVE,
  CAPSET_PERMITTED,
  CAPSET_INHERITABLE,
  CAPSET_AMBIENT,
  CAPSET_N
};
static const char *const capset_names[CAPSET_N] = {"bounding", "effective", "permitted",
                                                   "inheritable", "ambient"};

static void capset_list(const oci_capabilities *c, int set, char ***names, size_t *n) {
  switch (set) {
  case CAPSET_BOUNDING:
    *names = c->bounding;
    *n = c->bounding_len;
    break;
  case CAPSET_EFFECTIVE:
    *names = c->effective;
    *n = c->effective_len;
    break;
  case CAPSET_PERMITTED:
    *names = c->permitted;
    *n = c->permitted_len;
    break;
  case CAPSET_INHERITABLE:
    *names = c->inheritable;
    *n = c->inheritable_len;
    break;
  default:
    *names = c->ambient;
    *n = c->ambient_len;
    break;
  }
}

/* A capability number, -1 for an unknown name, -2 for a name this kernel lacks. */
static int cap_number(const char *name) {
  cap_value_t v;
  if (name == NULL || strncasecmp(name, "CAP_", 4) != 0 || cap_from_name(name, &v) < 0)
    return -1;
  return v > cap_max_bits() - 1 ? -2 : (int)v;
}

int security_check_caps(const oci_process *p, const char *where, struct error **err) {
  if (p->capabilities == NULL)
    return 0;
  for (int set = 0; set < CAPSET_N; set++) {
    char **names;
    size_t n;
    capset_list(p->capabilities, set, &names, &n);
    for (size_t i = 0; i < n; i++)
      if (cap_number(names[i]) == -1)
        return error_set(err, ERR_INVALID_CONFIG, 0,
                         "%s.capabilities.%s[%zu]: unknown capability \"%s\"", where,
                         capset_names[set], i, names[i] ? names[i] : "");
  }
  return 0;
}

/* Bit mask (as 64-bit) of a set's capabilities this kernel knows. */
static unsigned long long capset_mask(const oci_capabilities *c, int set) {
  char **names;
  size_t n;
  capset_list(c, set, &names, &n);
  unsigned long long mask = 0;
  for (size_t i = 0; i < n; i++) {
    int v = cap_number(names[i]);
    if (v >= 0)
      mask |= 1ULL << v;
  }
  return mask;
}

static int switch_user(const oci_process *p, bool in_userns, struct error **err) {
  const oci_user *u = p->user;
  uid_t uid = u ? u->uid : 0;
  gid_t gid = u ? u->gid : 0;
  if (u && u->additional_gids_len) {
    if (setgroups(u->additional_gids_len, (const gid_t *)u->additional_gids) < 0)
      return error_sys(err, "setgroups (process.user.additionalGids)");
  } else if (setgroups(0, NULL) < 0 && !(in_userns && errno == EPERM)) {
    return error_sys(err, "setgroups (clearing the supplementary groups)");
  }
  if (setresgid(gid, gid, gid) < 0)
    return error_sys(err, "setresgid %u (process.user.gid)", gid);
  if (setresuid(uid, uid, uid) < 0)
    return error_sys(err, "setresuid %u (process.user.uid)", uid);
  if (u && u->umask_present)
    umask((mode_t)u->umask);
  return 0;
}

int security_user_and_caps(const oci_process *p, bool in_userns, bool keep_sys_admin,
                           struct error **err) {
  const oci_capabilities *c = p->capabilities;
  if (c == NULL && !keep_sys_admin)
    return switch_user(p, in_userns, err);
  int last = cap_max_bits() - 1;
  unsigned long long bounding = c ? capset_mask(c, CAPSET_BOUNDING) : ~0ULL;
  for (int v = 0; v <= last; v++)
    if (!(bounding & (1ULL << v)) && prctl(PR_CAPBSET_DROP, v, 0, 0, 0) < 0 && errno != EINVAL)
      return error_sys(err, "drop capability %d from the bounding set", v);
  if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
    return error_sys(err, "prctl(PR_SET_KEEPCAPS)");
  if (switch_user(p, in_userns, err) < 0)
    return -1;
  prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);

  unsigned long long eff = c ? capset_mask(c, CAPSET_EFFECTIVE) : 0,
                     prm = c ? capset_mask(c, CAPSET_PERMITTED) : 0,
                     inh = c ? capset_mask(c, CAPSET_INHERITABLE) : 0;
  /* seccomp_apply needs it to load the filter without no_new_privs, and drops it then */
  unsigned long long keep = keep_sys_admin ? 1ULL << CAP_SYS_ADMIN : 0;
  cap_t caps = cap_init();
  for (int v = 0; v <= last; v++) {
    cap_value_t cv = v;
    if ((eff | keep) & (1ULL << v))
      cap_set_flag(caps, CAP_EFFECTIVE, 1, &cv, CAP_SET);
    if ((prm | keep) & (1ULL << v))
      cap_set_flag(caps, CAP_PERMITTED, 1, &cv, CAP_SET);
    if (inh & (1ULL << v))
      cap_set_flag(caps, CAP_INHERITABLE, 1, &cv, CAP_SET);
  }
  int r = cap_set_proc(caps);
  if (r == 0 && debug_enabled()) {
    char *text = cap_to_text(caps, NULL);
    debug("process: capabilities now \"%s\" (bounding: %zu kept)", text ? text : "?",
          c ? c->bounding_len : 0);
    cap_free(text);
  }
  cap_free(caps);
  if (r < 0)
    return error_sys(err, "set the process's capabilities (effective must be within permitted)");
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
    return error_sys(err, "clear the ambient capabilities");
  /* The kernel keeps an ambient capability only while it is permitted and inheritable.
   * runc's default spec lists ambient ones that are not inheritable, and runc skips
   * them; so does contain, saying so in the --debug log. */
  unsigned long long amb = c ? capset_mask(c, CAPSET_AMBIENT) : 0;
  for (int v = 0; v <= last; v++) {
    if (!(amb & (1ULL << v)))
      continue;
    if (!(prm & inh & (1ULL << v))) {
      if (debug_enabled()) {
        char *name = cap_to_name(v);
        debug("process: ambient %s skipped: it is not both permitted and inheritable", name);
        cap_free(name);
      }
      continue;
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, v, 0, 0) < 0)
      return error_sys(err, "raise the ambient capability %d", v);
  }
  return 0;
}

int security_no_new_privs(const oci_process *p, struct error **err) {
  if (p->no_new_privileges_present && p->no_new_privileges &&
      prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return error_sys(err, "prctl(PR_SET_NO_NEW_PRIVS)");
  return 0;
}
