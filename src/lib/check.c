/* check.c — `contain check`: the report, and the host's namespace, security and kernel
 * items (the cgroup ones are in check-cgroup.c, a bundle's in check-bundle.c). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "check-internal.h"
#include "lsm.h"
#include "mountinfo.h"
#include "namespaces.h"
#include "util.h"

/* ---- the report -------------------------------------------------------------------------- */

void check_add(struct check_report *r, const char *section, const char *name, enum check_status st,
               char *fix, const char *fmt, ...) {
  char *detail = NULL;
  va_list ap;
  va_start(ap, fmt);
  if (vasprintf(&detail, fmt, ap) < 0)
    abort();
  va_end(ap);
  r->items = xrealloc(r->items, (r->n + 1) * sizeof *r->items);
  r->items[r->n++] = (struct check_item){
      .section = xstrdup(section),
      .name = xstrdup(name),
      .status = st,
      .detail = detail,
      .fix = fix,
  };
}

bool check_has_missing(const struct check_report *r, const char *name) {
  for (size_t i = 0; i < r->n; i++)
    if (r->items[i].status == CHECK_MISSING && strcmp(r->items[i].name, name) == 0)
      return true;
  return false;
}

const char *check_status_name(enum check_status s) {
  switch (s) {
  case CHECK_OK: return "ok";
  case CHECK_WARN: return "warn";
  default: return "missing";
  }
}

void check_report_free(struct check_report *r) {
  for (size_t i = 0; i < r->n; i++) {
    free(r->items[i].section);
    free(r->items[i].name);
    free(r->items[i].detail);
    free(r->items[i].fix);
  }
  free(r->items);
  free(r->bundle);
  memset(r, 0, sizeof *r);
}

char *check_field_of(const char *msg) {
  if (strncmp(msg, "config.json: .", 14) == 0)
    msg += 14;
  else if (strncmp(msg, "linux.", 6) != 0 && strncmp(msg, "process.", 8) != 0 &&
           strncmp(msg, "mounts", 6) != 0 && strncmp(msg, "root.", 5) != 0 &&
           strncmp(msg, "hooks.", 6) != 0)
    return NULL;
  size_t n = strcspn(msg, ": ");
  return n ? xasprintf("%.*s", (int)n, msg) : NULL;
}

const char *check_after_field(const char *msg) {
  const char *p = msg;
  if (strncmp(p, "config.json: .", 14) == 0)
    p += 14;
  autofree char *field = check_field_of(msg);
  if (field == NULL)
    return msg;
  size_t n = strlen(field);
  if (strncmp(p, field, n) == 0 && p[n] == ':' && p[n + 1] == ' ')
    return p + n + 2;
  return msg;
}

/* ---- namespaces -------------------------------------------------------------------------- */

static long read_long(const char *path, long dflt) {
  autofree char *s = check_read(path, NULL);
  char *end;
  if (s == NULL)
    return dflt;
  long v = strtol(s, &end, 10);
  return end == s ? dflt : v;
}

static const char *const ns_config[NS_COUNT] = {
    [NS_USER] = "CONFIG_USER_NS",   [NS_MOUNT] = "CONFIG_NAMESPACES",
    [NS_PID] = "CONFIG_PID_NS",     [NS_NET] = "CONFIG_NET_NS",
    [NS_IPC] = "CONFIG_IPC_NS",     [NS_UTS] = "CONFIG_UTS_NS",
    [NS_CGROUP] = "CONFIG_CGROUPS", [NS_TIME] = "CONFIG_TIME_NS (Linux 5.6)",
};

static void item_ns(struct check_report *r, enum ns_kind k) {
  const char *spec = ns_spec_name(k), *proc = ns_proc_name(k);
  autofree char *name = xasprintf("ns.%s", spec);
  autofree char *file = xasprintf("/proc/self/ns/%s", proc);
  if (access(file, F_OK) < 0) {
    check_add(r, "namespaces", name, CHECK_MISSING,
              xasprintf("a kernel built with %s", ns_config[k]),
              "this kernel has no %s namespaces (%s is missing)", spec, file);
    return;
  }
  autofree char *maxf = xasprintf("/proc/sys/user/max_%s_namespaces", proc);
  long max = read_long(maxf, -1);
  autofree char *maxs =
      max >= 0 ? xasprintf(" (at most %ld: user.max_%s_namespaces)", max, proc) : xstrdup("");
  int e = host_probe_unshare(ns_clone_flag(k));
  if (e == 0) {
    check_add(r, "namespaces", name, CHECK_OK, NULL, "a new one can be made%s", maxs);
    return;
  }
  if (e == ENOSPC && max == 0)
    check_add(r, "namespaces", name, CHECK_MISSING,
              xasprintf("sysctl -w user.max_%s_namespaces=15000", proc),
              "disabled: user.max_%s_namespaces is 0", proc);
  else if (e == ENOSPC)
    check_add(r, "namespaces", name, CHECK_MISSING,
              xasprintf("sysctl -w user.max_%s_namespaces=%ld (or end some)", proc, max * 2 + 16),
              "the limit of %ld is reached (user.max_%s_namespaces)", max, proc);
  else if (e == EPERM)
    check_add(r, "namespaces", name, CHECK_MISSING,
              xstrdup(k == NS_USER ? "run as root, or allow them: sysctl -w "
                                     "kernel.unprivileged_userns_clone=1 (Debian), sysctl -w "
                                     "kernel.apparmor_restrict_unprivileged_userns=0 (Ubuntu)"
                                   : "run contain as root (CAP_SYS_ADMIN), outside a seccomp "
                                     "profile that forbids unshare"),
              "unshare(CLONE_NEW%s) is refused (EPERM): no CAP_SYS_ADMIN, or a seccomp filter "
              "or an LSM forbids it",
              k == NS_MOUNT ? "NS"
              : k == NS_NET ? "NET"
                            : spec);
  else
    check_add(r, "namespaces", name, CHECK_MISSING, NULL, "unshare fails: %s", strerror(e));
}

static void item_userns_unprivileged(struct check_report *r) {
  long clone = read_long("/proc/sys/kernel/unprivileged_userns_clone", -1);
  long aa = read_long("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", -1);
  long max = read_long("/proc/sys/user/max_user_namespaces", -1);
  autofree char *clone_s = clone < 0 ? xstrdup("absent (not a Debian-patched kernel: allowed)")
                                     : xasprintf("%ld", clone);
  autofree char *aa_s = aa < 0 ? xstrdup("absent") : xasprintf("%ld", aa);
  bool allowed = clone != 0 && aa != 1 && max != 0;
  check_add(r, "namespaces", "ns.user.unprivileged", allowed ? CHECK_OK : CHECK_WARN,
            allowed ? NULL
                    : xstrdup(clone == 0 ? "sysctl -w kernel.unprivileged_userns_clone=1"
                              : aa == 1 ? "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0"
                                        : "sysctl -w user.max_user_namespaces=15000"),
            "users other than root %s make user namespaces: kernel.unprivileged_userns_clone %s, "
            "kernel.apparmor_restrict_unprivileged_userns %s, user.max_user_namespaces %ld "
            "(contain itself needs root)",
            allowed ? "may" : "may not", clone_s, aa_s, max);
}

/* ---- security ---------------------------------------------------------------------------- */

uint64_t check_status_hex(const char *field) {
  autofree char *st = check_read("/proc/self/status", NULL);
  const char *p = st ? strstr(st, field) : NULL;
  return p ? strtoull(p + strlen(field), NULL, 16) : 0;
}

static char *cap_name(int v) {
  char *n = cap_to_name((cap_value_t)v);
  char *out = xstrdup(n ? n : "?");
  if (n)
    cap_free(n);
  for (char *p = out; *p; p++)
    if (*p >= 'a' && *p <= 'z')
      *p = (char)(*p - 'a' + 'A');
  return out;
}

static const struct {
  int cap;
  const char *needed_for;
} cap_uses[] = {
    {CAP_SYS_ADMIN, "mounts, namespaces, pivot_root, sethostname: containers cannot be made"},
    {CAP_SYS_RESOURCE, "rlimits above the current hard limits, a negative oomScoreAdj"},
    {CAP_SETUID, "process.user and the uid map of a user namespace"},
    {CAP_SETGID, "process.user's groups and the gid map of a user namespace"},
    {CAP_SETPCAP, "dropping capabilities from the container's bounding set"},
    {CAP_NET_ADMIN, "bringing lo up in a new network namespace"},
    {CAP_MKNOD, "linux.devices (device nodes in the rootfs)"},
    {CAP_SYS_CHROOT, "--no-pivot (chroot)"},
    {CAP_SYS_NICE, "process.scheduler, ioPriority and execCPUAffinity beyond the caller's"},
    {CAP_DAC_OVERRIDE, "bundles and rootfs files the caller does not own"},
    {CAP_KILL, "signals to container processes of other users"},
};

static void item_caps(struct check_report *r) {
  uint64_t eff = check_status_hex("CapEff:"), bnd = check_status_hex("CapBnd:");
  long last = read_long("/proc/sys/kernel/cap_last_cap", 40);
  char *lacking = xstrdup(""), *notbnd = xstrdup("");
  int n_lacking = 0;
  for (int v = 0; v <= last && v < 64; v++) {
    uint64_t bit = 1ULL << v;
    if (!(eff & bit)) {
      autofree char *nm = cap_name(v);
      const char *use = NULL;
      for (size_t i = 0; i < sizeof cap_uses / sizeof cap_uses[0]; i++)
        if (cap_uses[i].cap == v)
          use = cap_uses[i].needed_for;
      char *next =
          use ? xasprintf("%s%s%s (needed for %s)", lacking, lacking[0] ? "; " : "", nm, use)
              : xasprintf("%s%s%s", lacking, lacking[0] ? "; " : "", nm);
      free(lacking);
      lacking = next;
      n_lacking++;
    }
    if (!(bnd & bit)) {
      autofree char *nm = cap_name(v);
      char *next = xasprintf("%s%s%s", notbnd, notbnd[0] ? " " : "", nm);
      free(notbnd);
      notbnd = next;
    }
  }
  if (n_lacking == 0)
    check_add(r, "security", "capabilities", CHECK_OK, NULL,
              "the caller has all %ld capabilities of this kernel (effective and bounding)",
              last + 1);
  else
    check_add(r, "security", "capabilities",
              !(eff & (1ULL << CAP_SYS_ADMIN)) ? CHECK_MISSING : CHECK_WARN,
              xstrdup("run contain as root with every capability (outside a container, or in a "
                      "privileged one)"),
              "not in the caller's effective set: %s. Not in its bounding set, so no container "
              "can have them: %s",
              lacking, notbnd[0] ? notbnd : "none");
  free(lacking);
  free(notbnd);
}

static void item_seccomp(struct check_report *r) {
  autofree char *actions = check_read("/proc/sys/kernel/seccomp/actions_avail", NULL);
  int mode = host_seccomp_mode();
  if (actions == NULL) {
    check_add(r, "security", "seccomp", CHECK_MISSING,
              xstrdup("a kernel built with CONFIG_SECCOMP_FILTER"),
              "no seccomp in this kernel (/proc/sys/kernel/seccomp/actions_avail is missing): "
              "linux.seccomp cannot be honoured");
    return;
  }
  if (mode == 2)
    check_add(r, "security", "seccomp", CHECK_WARN, NULL,
              "actions available: %s; the caller itself runs under a seccomp filter (Seccomp: 2 "
              "in /proc/self/status, e.g. a container engine's profile): what it forbids stays "
              "forbidden in the containers, and may make probes here fail",
              actions);
  else
    check_add(r, "security", "seccomp", CHECK_OK, NULL,
              "actions available: %s; the caller runs without a filter", actions);
}

static void item_nnp(struct check_report *r) {
  autofree char *st = check_read("/proc/self/status", NULL);
  const char *p = st ? strstr(st, "NoNewPrivs:") : NULL;
  int v = p ? atoi(p + 11) : -1;
  if (v == 1)
    check_add(r, "security", "no_new_privs", CHECK_WARN, NULL,
              "set on the caller (NoNewPrivs: 1), so on every container too whatever "
              "process.noNewPrivileges says: setuid binaries and file capabilities do not raise "
              "privileges in them");
  else
    check_add(r, "security", "no_new_privs", CHECK_OK, NULL,
              "not set on the caller: process.noNewPrivileges decides%s",
              v < 0 ? " (NoNewPrivs not found in /proc/self/status)" : "");
}

static void item_lsm(struct check_report *r) {
  bool aa = lsm_apparmor_enabled(), se = lsm_selinux_enabled();
  check_add(r, "security", "lsm", CHECK_OK, NULL, "AppArmor %s, SELinux %s%s",
            aa ? "enabled" : "not enabled", se ? "enabled" : "not enabled",
            !aa && !se ? ": a config asking for process.apparmorProfile or selinuxLabel is refused"
                       : "");
}

static void item_caller(struct check_report *r) {
  uid_t uid = geteuid();
  if (uid == 0)
    check_add(r, "security", "caller", CHECK_OK, NULL, "uid 0 (root)");
  else
    check_add(
        r, "security", "caller", CHECK_MISSING, xstrdup("run contain as root (sudo contain ...)"),
        "uid %u: contain needs root (rootless containers are not supported yet)", (unsigned)uid);
}

/* ---- the kernel -------------------------------------------------------------------------- */

static char *root_fstype(void) {
  int proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
  struct mountinfo mi;
  struct error *e = NULL;
  char *type = NULL;
  if (proc >= 0 && mountinfo_read(proc, &mi, &e) == 0) {
    for (size_t i = 0; i < mi.n; i++)
      if (strcmp(mi.e[i].mountpoint, "/") == 0) {
        free(type);
        type = xstrdup(mi.e[i].fstype);
      }
    mountinfo_free(&mi);
  }
  error_free(e);
  if (proc >= 0)
    close(proc);
  return type ? type : xstrdup("?");
}

static const char *errno_why(int e) {
  switch (e) {
  case ENOSYS: return "ENOSYS: not in this kernel, or hidden by a seccomp filter";
  case EPERM: return "EPERM: refused (privileges, or a seccomp filter)";
  default: return strerror(e);
  }
}

static void item_kernel(struct check_report *r) {
  struct utsname u;
  if (uname(&u) == 0)
    check_add(r, "kernel", "kernel", CHECK_OK, NULL, "%s %s (%s)", u.sysname, u.release, u.machine);
  else
    check_add(r, "kernel", "kernel", CHECK_WARN, NULL, "uname: %s", strerror(errno));

  if (host_has_filesystem("overlay")) {
    check_add(r, "kernel", "overlayfs", CHECK_OK, NULL,
              "overlay is in /proc/filesystems: mounts of type overlay work");
  } else {
    autofree char *mod = xasprintf("/lib/modules/%s/kernel/fs/overlayfs", u.release);
    bool module = access(mod, F_OK) == 0;
    check_add(r, "kernel", "overlayfs", module ? CHECK_WARN : CHECK_MISSING,
              xstrdup(module ? "modprobe overlay" : "a kernel built with CONFIG_OVERLAY_FS"),
              "overlay is not in /proc/filesystems%s", module ? " (the module is not loaded)" : "");
  }

  autofree char *fstype = root_fstype();
  int e = host_probe_idmapped_mount("/");
  if (e == 0)
    check_add(r, "kernel", "idmapped_mounts", CHECK_OK, NULL,
              "an idmapped copy of / (%s) can be made (mount_setattr with MOUNT_ATTR_IDMAP, "
              "probed in a child in a new mount namespace)",
              fstype);
  else if (e == EINVAL && host_probe_mount_setattr() == 0)
    check_add(r, "kernel", "idmapped_mounts", CHECK_WARN, NULL,
              "the kernel has idmapped mounts, but / (%s) cannot be idmapped (EINVAL): it "
              "depends on the filesystem (ext4, xfs, btrfs since 5.12, tmpfs since 6.3, "
              "overlayfs since 5.19)",
              fstype);
  else
    check_add(r, "kernel", "idmapped_mounts", CHECK_MISSING,
              xstrdup(e == ENOSYS ? "Linux 5.12 or later" : "run as root outside a seccomp filter"),
              "an idmapped mount of / cannot be made: %s", errno_why(e));

  int ot = host_probe_open_tree(), mm = host_probe_move_mount();
  if (ot == 0 && mm == 0)
    check_add(r, "kernel", "mount_api", CHECK_OK, NULL,
              "open_tree and move_mount (the new mount API, Linux 5.2)");
  else
    check_add(r, "kernel", "mount_api", CHECK_WARN, xstrdup("Linux 5.2 or later"),
              "open_tree: %s; move_mount: %s (contain falls back to mount(2))",
              ot ? errno_why(ot) : "ok", mm ? errno_why(mm) : "ok");

  int c3 = host_probe_clone3(), into = host_probe_clone_into_cgroup();
  if (c3 == 0 && into == 0)
    check_add(r, "kernel", "clone3", CHECK_OK, NULL,
              "clone3 with CLONE_INTO_CGROUP (Linux 5.7): on cgroup v2 the init is born in its "
              "cgroup");
  else if (c3 == 0)
    check_add(r, "kernel", "clone3", CHECK_WARN, xstrdup("Linux 5.7 or later"),
              "clone3, but not CLONE_INTO_CGROUP (%s): the init is moved into its cgroup after "
              "it starts",
              errno_why(into));
  else
    check_add(r, "kernel", "clone3", CHECK_WARN,
              xstrdup(c3 == ENOSYS ? "Linux 5.3 or later, or a seccomp profile that allows clone3"
                                   : "run outside a seccomp filter that refuses clone3"),
              "no clone3 (%s): contain falls back to clone(2) and moves the init into its cgroup",
              errno_why(c3));

  e = host_probe_pidfd_open();
  if (e == 0)
    check_add(r, "kernel", "pidfd", CHECK_OK, NULL,
              "pidfd_open (Linux 5.3): signals reach the container's init and never a reused pid");
  else
    check_add(r, "kernel", "pidfd", CHECK_MISSING, xstrdup("Linux 5.3 or later"),
              "no pidfd_open (%s): contain signals its containers through pidfds", errno_why(e));
}

/* ---- the host ---------------------------------------------------------------------------- */

void check_host(struct check_report *r) {
  struct check_cg c;
  check_cg_load(&c);
  check_cgroup_host(r, &c);
  check_cg_clear(&c);
  static const enum ns_kind order[] = {NS_MOUNT, NS_UTS,    NS_IPC,  NS_PID,
                                       NS_NET,   NS_CGROUP, NS_TIME, NS_USER};
  for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
    item_ns(r, order[i]);
  item_userns_unprivileged(r);
  item_caller(r);
  item_caps(r);
  item_nnp(r);
  item_seccomp(r);
  item_lsm(r);
  item_kernel(r);
}
