/* check-bundle.c — `contain check -b BUNDLE`: what the bundle's config.json asks that this
 * host (or contain) cannot give, field by field, then config_load's own verdict. Reads
 * only: the rootfs is looked into through an fd of it, never by host paths that a symlink
 * in it could redirect. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/nsfs.h>

#include "check-internal.h"
#include "config.h"
#include "lsm.h"
#include "namespaces.h"
#include "safe-path.h"
#include "security.h"
#include "util.h"

#define B "bundle"

static bool has_cap(int cap) { return (check_status_hex("CapEff:") >> cap) & 1; }

/* ---- root and process -------------------------------------------------------------------- */

static char *rootfs_of(const char *bundle, const oci_config *cfg) {
  if (cfg->root == NULL || cfg->root->path == NULL || cfg->root->path[0] == '\0')
    return NULL;
  return cfg->root->path[0] == '/' ? xstrdup(cfg->root->path)
                                   : xasprintf("%s/%s", bundle, cfg->root->path);
}

static int check_root(struct check_report *r, const char *rootfs) {
  if (rootfs == NULL) {
    check_add(r, B, "root.path", CHECK_MISSING, xstrdup("set root.path (e.g. \"rootfs\")"),
              "required: the container's root filesystem");
    return -1;
  }
  int fd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    check_add(r, B, "root.path", CHECK_MISSING,
              xasprintf("make it: mkdir -p %s and fill it (contrib/mkbundle.sh makes a busybox "
                        "one)",
                        rootfs),
              "rootfs %s: %s", rootfs, strerror(errno));
    return -1;
  }
  check_add(r, B, "root.path", CHECK_OK, NULL, "rootfs %s is a directory", rootfs);
  return fd;
}

/* Whether path inside the root is an executable regular file. */
static bool executable_in(int root_fd, const char *path) {
  int fd = safe_open(root_fd, path, O_PATH);
  if (fd < 0)
    return false;
  struct stat st;
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
  close(fd);
  return ok;
}

static const char *env_path(const oci_process *p) {
  for (size_t i = 0; i < p->env_len; i++)
    if (p->env[i] && strncmp(p->env[i], "PATH=", 5) == 0)
      return p->env[i] + 5;
  return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

static void check_args(struct check_report *r, const oci_config *cfg, int root_fd) {
  const oci_process *p = cfg->process;
  if (p->args_len == 0 || p->args[0] == NULL || p->args[0][0] == '\0') {
    check_add(r, B, "process.args", CHECK_MISSING, xstrdup("set process.args, e.g. [\"sh\"]"),
              "the process needs a command (args is empty)");
    return;
  }
  const char *a0 = p->args[0];
  autofree char *found = NULL;
  if (strchr(a0, '/')) {
    autofree char *full =
        a0[0] == '/' ? xstrdup(a0) : xasprintf("%s/%s", p->cwd ? p->cwd : "/", a0);
    if (executable_in(root_fd, full))
      found = xstrdup(full);
  } else {
    autofree char *path = xstrdup(env_path(p));
    for (char *save = NULL, *d = strtok_r(path, ":", &save); d && !found;
         d = strtok_r(NULL, ":", &save)) {
      autofree char *cand = xasprintf("%s/%s", d, a0);
      if (executable_in(root_fd, cand))
        found = xstrdup(cand);
    }
  }
  if (found) {
    check_add(r, B, "process.args", CHECK_OK, NULL, "%s is %s in the rootfs", a0, found);
    return;
  }
  /* It may come from a mount over the rootfs. */
  for (size_t i = 0; i < cfg->mounts_len; i++)
    if (strcmp(cfg->mounts[i]->destination, "/") != 0 &&
        (strchr(a0, '/')
             ? strncmp(a0, cfg->mounts[i]->destination, strlen(cfg->mounts[i]->destination)) == 0
             : strstr(env_path(p), cfg->mounts[i]->destination) != NULL)) {
      check_add(r, B, "process.args", CHECK_WARN, NULL,
                "%s is not in the rootfs itself; it may come from mounts[%zu] (%s)", a0, i,
                cfg->mounts[i]->destination);
      return;
    }
  autofree char *where = strchr(a0, '/') ? xstrdup("") : xasprintf(" (PATH=%s)", env_path(p));
  check_add(r, B, "process.args", CHECK_MISSING,
            xasprintf("put %s in the rootfs, or name one that is there", a0),
            "%s: no executable of that name in the rootfs%s", a0, where);
}

static void check_lsm(struct check_report *r, const oci_process *p) {
  if (p->apparmor_profile && p->apparmor_profile[0]) {
    if (lsm_apparmor_enabled())
      check_add(r, B, "process.apparmorProfile", CHECK_OK, NULL, "AppArmor is enabled");
    else
      check_add(r, B, "process.apparmorProfile", CHECK_MISSING,
                xstrdup("remove process.apparmorProfile, or run on a host with AppArmor"),
                "\"%s\" is asked for, but AppArmor is not enabled on this host "
                "(/sys/module/apparmor/parameters/enabled)",
                p->apparmor_profile);
  }
  if (p->selinux_label && p->selinux_label[0]) {
    if (lsm_selinux_enabled())
      check_add(r, B, "process.selinuxLabel", CHECK_OK, NULL, "SELinux is enabled");
    else
      check_add(r, B, "process.selinuxLabel", CHECK_MISSING,
                xstrdup("remove process.selinuxLabel, or run on a host with SELinux"),
                "\"%s\" is asked for, but SELinux is not enabled on this host (no selinuxfs "
                "at /sys/fs/selinux)",
                p->selinux_label);
  }
}

static void check_caps(struct check_report *r, const oci_process *p) {
  const oci_capabilities *c = p->capabilities;
  if (c == NULL)
    return;
  struct {
    const char *name;
    char **v;
    size_t n;
  } sets[] = {{"bounding", c->bounding, c->bounding_len},
              {"effective", c->effective, c->effective_len},
              {"permitted", c->permitted, c->permitted_len},
              {"inheritable", c->inheritable, c->inheritable_len},
              {"ambient", c->ambient, c->ambient_len}};
  uint64_t bnd = check_status_hex("CapBnd:");
  long last = 40;
  autofree char *lc = check_read("/proc/sys/kernel/cap_last_cap", NULL);
  if (lc)
    last = atol(lc);
  size_t total = 0;
  bool bad = false;
  for (size_t s = 0; s < sizeof sets / sizeof sets[0]; s++)
    for (size_t i = 0; i < sets[s].n; i++) {
      const char *nm = sets[s].v[i] ? sets[s].v[i] : "";
      autofree char *field = xasprintf("process.capabilities.%s[%zu]", sets[s].name, i);
      cap_value_t v;
      total++;
      if (strncasecmp(nm, "CAP_", 4) != 0 || cap_from_name(nm, &v) < 0) {
        check_add(r, B, field, CHECK_MISSING, xstrdup("use a name of capabilities(7)"),
                  "unknown capability \"%s\"", nm);
        bad = true;
      } else if (v > last) {
        check_add(r, B, field, CHECK_WARN, NULL,
                  "%s is unknown to this kernel (its last is %ld): it is left out", nm, last);
        bad = true;
      } else if (!((bnd >> v) & 1)) {
        check_add(r, B, field, CHECK_MISSING,
                  xasprintf("remove %s, or run contain where the caller has it", nm),
                  "%s is not in the caller's bounding set: no process it starts can have it", nm);
        bad = true;
      }
    }
  if (!bad && total)
    check_add(r, B, "process.capabilities", CHECK_OK, NULL,
              "every capability named (%zu) is known and in the caller's bounding set", total);
}

static void check_rlimits(struct check_report *r, const oci_process *p) {
  bool bad = false, sysres = has_cap(CAP_SYS_RESOURCE);
  for (size_t i = 0; i < p->rlimits_len; i++) {
    const oci_rlimit *l = p->rlimits[i];
    autofree char *field = xasprintf("process.rlimits[%zu]", i);
    int res = security_rlimit_resource(l->type);
    struct rlimit cur;
    if (res < 0) {
      check_add(r, B, field, CHECK_MISSING,
                xstrdup("use a type of getrlimit(2), e.g. RLIMIT_NOFILE"),
                "unknown rlimit type \"%s\"", l->type ? l->type : "");
      bad = true;
    } else if (l->soft > l->hard) {
      check_add(r, B, field, CHECK_MISSING, xstrdup("make soft <= hard"),
                "%s: soft %llu is above hard %llu", l->type, (unsigned long long)l->soft,
                (unsigned long long)l->hard);
      bad = true;
    } else if (!sysres && getrlimit(res, &cur) == 0 && cur.rlim_max != RLIM_INFINITY &&
               l->hard > cur.rlim_max) {
      check_add(r, B, field, CHECK_MISSING,
                xasprintf("lower it to %llu, or run contain with CAP_SYS_RESOURCE",
                          (unsigned long long)cur.rlim_max),
                "%s: hard %llu is above the caller's %llu, which only CAP_SYS_RESOURCE may "
                "raise (the caller lacks it)",
                l->type, (unsigned long long)l->hard, (unsigned long long)cur.rlim_max);
      bad = true;
    }
  }
  if (!bad && p->rlimits_len)
    check_add(r, B, "process.rlimits", CHECK_OK, NULL, "%zu rlimit%s can be set", p->rlimits_len,
              p->rlimits_len == 1 ? "" : "s");
  if (p->oom_score_adj_present) {
    autofree char *cur = check_read("/proc/self/oom_score_adj", NULL);
    int now = cur ? atoi(cur) : 0;
    if (p->oom_score_adj < now && !sysres)
      check_add(r, B, "process.oomScoreAdj", CHECK_MISSING,
                xasprintf("use %d or more, or run contain with CAP_SYS_RESOURCE", now),
                "%d is below the caller's %d, which needs CAP_SYS_RESOURCE (the caller lacks it)",
                p->oom_score_adj, now);
  }
}

/* ---- linux ------------------------------------------------------------------------------- */

static int ns_kind_of(const char *type) {
  for (int k = 0; k < NS_COUNT; k++)
    if (type && strcmp(type, ns_spec_name((enum ns_kind)k)) == 0)
      return k;
  return -1;
}

static void check_namespaces(struct check_report *r, const oci_linux *l) {
  for (size_t i = 0; l && i < l->namespaces_len; i++) {
    const oci_namespace *ns = l->namespaces[i];
    autofree char *field = xasprintf("linux.namespaces[%zu]", i);
    int k = ns_kind_of(ns->type);
    if (k < 0)
      continue; /* config_load names it */
    const char *spec = ns_spec_name((enum ns_kind)k);
    if (ns->path && ns->path[0]) {
      int fd = open(ns->path, O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        check_add(r, B, field, CHECK_MISSING,
                  xasprintf("start the process whose %s namespace it is, or remove the path", spec),
                  "%s namespace to join, %s: %s", spec, ns->path, strerror(errno));
        continue;
      }
      int t = ioctl(fd, NS_GET_NSTYPE);
      close(fd);
      if (t >= 0 && t != ns_clone_flag((enum ns_kind)k))
        check_add(r, B, field, CHECK_MISSING, xasprintf("give the path of a %s namespace", spec),
                  "%s is not a %s namespace", ns->path, spec);
      else
        check_add(r, B, field, CHECK_OK, NULL, "%s: joins %s", spec, ns->path);
      continue;
    }
    autofree char *proc = xasprintf("/proc/self/ns/%s", ns_proc_name((enum ns_kind)k));
    int e = access(proc, F_OK) == 0 ? host_probe_unshare(ns_clone_flag((enum ns_kind)k)) : ENOENT;
    if (e == 0)
      check_add(r, B, field, CHECK_OK, NULL, "%s: a new one can be made", spec);
    else
      check_add(r, B, field, CHECK_MISSING,
                xasprintf("see the ns.%s item of `contain check`, or remove the namespace", spec),
                "%s: a new %s namespace cannot be made here: %s", spec, spec,
                e == ENOENT ? "this kernel has none" : strerror(e));
  }
  if (l && l->time_offsets && l->time_offsets->len && access("/proc/self/ns/time", F_OK) < 0)
    check_add(r, B, "linux.timeOffsets", CHECK_MISSING,
              xstrdup("Linux 5.6 or later (CONFIG_TIME_NS), or remove linux.timeOffsets"),
              "time offsets need a time namespace, which this kernel does not have");
}

static const char *seccomp_action(const char *a) {
  static const struct {
    const char *spec, *kernel;
  } t[] = {
      {"SCMP_ACT_KILL", "kill_thread"},
      {"SCMP_ACT_KILL_THREAD", "kill_thread"},
      {"SCMP_ACT_KILL_PROCESS", "kill_process"},
      {"SCMP_ACT_TRAP", "trap"},
      {"SCMP_ACT_ERRNO", "errno"},
      {"SCMP_ACT_TRACE", "trace"},
      {"SCMP_ACT_ALLOW", "allow"},
      {"SCMP_ACT_LOG", "log"},
      {"SCMP_ACT_NOTIFY", "user_notif"},
  };
  for (size_t i = 0; a && i < sizeof t / sizeof t[0]; i++)
    if (strcmp(a, t[i].spec) == 0)
      return t[i].kernel;
  return NULL;
}

static void seccomp_one(struct check_report *r, const char *avail, const char *field,
                        const char *action, bool *bad) {
  const char *k = seccomp_action(action);
  if (k == NULL || check_has_word(avail, k))
    return;
  check_add(r, B, field, CHECK_MISSING, xasprintf("use another action, or a kernel that has %s", k),
            "%s: this kernel's seccomp has no %s action (/proc/sys/kernel/seccomp/actions_avail: "
            "%s)",
            action, k, avail);
  *bad = true;
}

static void check_seccomp(struct check_report *r, const oci_seccomp *s) {
  if (s == NULL)
    return;
  autofree char *avail = check_read("/proc/sys/kernel/seccomp/actions_avail", NULL);
  if (avail == NULL) {
    check_add(r, B, "linux.seccomp", CHECK_MISSING,
              xstrdup("a kernel built with CONFIG_SECCOMP_FILTER, or remove linux.seccomp"),
              "this kernel has no seccomp filters");
    return;
  }
  bool bad = false;
  seccomp_one(r, avail, "linux.seccomp.defaultAction", s->default_action, &bad);
  for (size_t i = 0; i < s->syscalls_len; i++) {
    autofree char *field = xasprintf("linux.seccomp.syscalls[%zu].action", i);
    seccomp_one(r, avail, field, s->syscalls[i]->action, &bad);
  }
  if (s->listener_path && s->listener_path[0]) {
    struct stat st;
    if (stat(s->listener_path, &st) < 0 || !S_ISSOCK(st.st_mode)) {
      check_add(r, B, "linux.seccomp.listenerPath", CHECK_MISSING,
                xstrdup("start the seccomp agent that listens there first"),
                "%s is not a listening unix socket (%s)", s->listener_path,
                errno ? strerror(errno) : "not a socket");
      bad = true;
    }
  }
  if (!bad)
    check_add(r, B, "linux.seccomp", CHECK_OK, NULL,
              "every action it uses is available (%zu rule%s)", s->syscalls_len,
              s->syscalls_len == 1 ? "" : "s");
}

static bool has_option(const oci_mount *m, const char *opt) {
  for (size_t i = 0; i < m->options_len; i++)
    if (m->options[i] && strcmp(m->options[i], opt) == 0)
      return true;
  return false;
}

static void check_mounts(struct check_report *r, const oci_config *cfg, const char *bundle) {
  bool bad = false;
  for (size_t i = 0; i < cfg->mounts_len; i++) {
    const oci_mount *m = cfg->mounts[i];
    autofree char *field = xasprintf("mounts[%zu]", i);
    bool bind = has_option(m, "bind") || has_option(m, "rbind") ||
                (m->type && strcmp(m->type, "bind") == 0);
    if (bind) {
      const char *src = m->source ? m->source : "";
      autofree char *full = src[0] == '/' ? xstrdup(src) : xasprintf("%s/%s", bundle, src);
      if (access(full, F_OK) < 0) {
        check_add(r, B, field, CHECK_MISSING, xasprintf("make %s, or remove the mount", full),
                  "bind mount of %s onto %s: %s", full, m->destination, strerror(errno));
        bad = true;
      }
      continue;
    }
    const char *type = m->type && m->type[0] ? m->type : NULL;
    if (type && strcmp(type, "none") != 0 && !host_has_filesystem(type)) {
      check_add(r, B, field, CHECK_WARN, xasprintf("modprobe %s", type),
                "%s onto %s: filesystem type %s is not in /proc/filesystems (unless a module "
                "loads on demand, the mount fails)",
                m->source ? m->source : type, m->destination, type);
      bad = true;
    }
    if (m->uid_mappings_len || m->gid_mappings_len) {
      int e = host_probe_idmapped_mount("/");
      if (e != 0 && e != EINVAL)
        check_add(r, B, field, CHECK_MISSING,
                  xstrdup("Linux 5.12 or later, or remove the mappings"),
                  "idmapped mount onto %s: this kernel cannot make one (%s)", m->destination,
                  strerror(e));
    }
  }
  if (!bad && cfg->mounts_len)
    check_add(r, B, "mounts", CHECK_OK, NULL,
              "%zu mounts: every filesystem type is known, every bind source exists",
              cfg->mounts_len);
}

static void check_sysctl(struct check_report *r, const oci_linux *l) {
  const oci_string_map *s = l ? l->sysctl : NULL;
  bool bad = false;
  for (size_t i = 0; s && i < s->len; i++) {
    autofree char *path = xasprintf("/proc/sys/%s", s->keys[i]);
    for (char *p = path + 10; *p; p++)
      if (*p == '.')
        *p = '/';
    if (access(path, F_OK) < 0) {
      autofree char *field = xasprintf("linux.sysctl[\"%s\"]", s->keys[i]);
      check_add(r, B, field, CHECK_WARN, xstrdup("remove it, or load the module that makes it"),
                "this kernel has no %s on the host (%s); it may exist only in a new namespace",
                s->keys[i], path);
      bad = true;
    }
  }
  if (!bad && s && s->len)
    check_add(r, B, "linux.sysctl", CHECK_OK, NULL, "%zu sysctl%s known to this kernel", s->len,
              s->len == 1 ? "" : "s");
}

static void check_hooks(struct check_report *r, const oci_hooks *h) {
  if (h == NULL)
    return;
  struct {
    const char *name;
    oci_hook **v;
    size_t n;
  } points[] = {{"prestart", h->prestart, h->prestart_len},
                {"createRuntime", h->create_runtime, h->create_runtime_len},
                {"createContainer", h->create_container, h->create_container_len},
                {"startContainer", h->start_container, h->start_container_len},
                {"poststart", h->poststart, h->poststart_len},
                {"poststop", h->poststop, h->poststop_len}};
  for (size_t k = 0; k < sizeof points / sizeof points[0]; k++)
    for (size_t i = 0; i < points[k].n; i++) {
      const char *path = points[k].v[i]->path;
      autofree char *field = xasprintf("hooks.%s[%zu]", points[k].name, i);
      /* createContainer and startContainer run in the container: their path is the
       * container's, not checked here. */
      if (k == 2 || k == 3)
        continue;
      if (path == NULL || access(path, X_OK) < 0)
        check_add(r, B, field, CHECK_MISSING,
                  xasprintf("install %s, or remove the hook", path ? path : "the hook"), "%s: %s",
                  path ? path : "(no path)", strerror(errno));
      else
        check_add(r, B, field, CHECK_OK, NULL, "%s is executable", path);
    }
}

/* ---- the bundle -------------------------------------------------------------------------- */

void check_bundle(struct check_report *r, const char *bundle_dir, bool systemd_cgroup) {
  size_t first = r->n;
  free(r->bundle);
  r->bundle = xstrdup(bundle_dir);
  autofree char *path = xasprintf("%s/config.json", bundle_dir);
  autofree char *raw = NULL;
  size_t len = 0;
  struct error *e = NULL;
  oci_config *cfg = NULL;
  if (read_file(path, &raw, &len, &e) < 0) {
    check_add(r, B, "config.json", CHECK_MISSING,
              xasprintf("make one: contain spec -b %s (then set \"terminal\": false)", bundle_dir),
              "%s", e->msg);
    error_free(e);
    e = NULL;
  } else {
    autofree char *msg = NULL;
    cfg = oci_config_parse_data(raw, len, "config.json", &msg);
    if (cfg == NULL)
      check_add(r, B, "config.json", CHECK_MISSING, NULL, "%s", msg ? msg : "cannot parse");
  }
  if (cfg != NULL) {
    if (geteuid() != 0)
      check_add(r, B, "caller", CHECK_MISSING, xstrdup("run contain as root"),
                "uid %u: contain needs root (rootless containers are not supported yet)",
                (unsigned)geteuid());
    char abs[PATH_MAX];
    const char *bdir = realpath(bundle_dir, abs) ? abs : bundle_dir;
    autofree char *rootfs = rootfs_of(bdir, cfg);
    int root_fd = check_root(r, rootfs);
    if (cfg->process) {
      if (root_fd >= 0)
        check_args(r, cfg, root_fd);
      check_lsm(r, cfg->process);
      check_caps(r, cfg->process);
      check_rlimits(r, cfg->process);
    }
    if (root_fd >= 0)
      close(root_fd);
    check_namespaces(r, cfg->linux);
    check_seccomp(r, cfg->linux ? cfg->linux->seccomp : NULL);
    check_mounts(r, cfg, bdir);
    check_sysctl(r, cfg->linux);
    check_hooks(r, cfg->hooks);
    struct check_cg c;
    check_cg_load(&c);
    check_cgroup_bundle(r, &c, cfg, systemd_cgroup);
    check_cg_clear(&c);

    /* config_load's verdict: its semantic checks, and the fields contain does not do yet. */
    struct bundle *b = NULL;
    if (config_load(bundle_dir, &b, &e) < 0) {
      autofree char *field = check_field_of(e->msg);
      struct check_item *same = NULL;
      for (size_t i = first; field && i < r->n; i++)
        if (strcmp(r->items[i].name, field) == 0)
          same = &r->items[i];
      if (same == NULL) {
        check_add(r, B, field ? field : "config.json", CHECK_MISSING, NULL, "%s",
                  field ? check_after_field(e->msg) : e->msg);
      } else if (same->status != CHECK_MISSING) {
        /* what the host allows, contain refuses: its verdict replaces the item */
        same->status = CHECK_MISSING;
        free(same->detail);
        same->detail = xstrdup(check_after_field(e->msg));
        free(same->fix);
        same->fix = NULL;
      }
      error_free(e);
    } else {
      check_add(r, B, "config.json", CHECK_OK, NULL, "loads and passes contain's checks");
      bundle_free(b);
    }
    oci_config_free(cfg);
  }
  r->runnable = true;
  for (size_t i = first; i < r->n; i++)
    if (r->items[i].status == CHECK_MISSING)
      r->runnable = false;
}
