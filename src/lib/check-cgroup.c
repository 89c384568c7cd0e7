/* check-cgroup.c — the cgroup part of `contain check`: the mode, the caller's cgroups,
 * controllers (available, enabled, delegatable), the processes that block delegation on
 * v2, writability, whether this is a container, systemd; a bundle's cgroupsPath and
 * resources; and --fix-cgroups. Everything but check_fix_cgroups only reads. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "check-internal.h"
#include "util.h"

#define SET(o, f) ((o) != NULL && (o)->f##_present && (o)->f != 0)
#define PRESENT(o, f) ((o) != NULL && (o)->f##_present)

/* ---- shared helpers ---------------------------------------------------------------------- */

char *check_read(const char *dir, const char *file) {
  autofree char *path = file ? xasprintf("%s/%s", dir, file) : xstrdup(dir);
  char *out = NULL;
  struct error *e = NULL;
  if (read_file(path, &out, NULL, &e) < 0) {
    error_free(e);
    return NULL;
  }
  size_t n = strlen(out);
  while (n > 0 && out[n - 1] == '\n')
    out[--n] = '\0';
  return out;
}

long check_count_procs(const char *dir) {
  autofree char *procs = check_read(dir, "cgroup.procs");
  if (procs == NULL)
    return -1;
  long n = 0;
  for (const char *p = procs; *p; p++)
    n += *p == '\n';
  return procs[0] ? n + 1 : 0;
}

int check_writable(const char *dir) {
  struct statvfs sv;
  if (statvfs(dir, &sv) == 0 && (sv.f_flag & ST_RDONLY))
    return EROFS;
  if (faccessat(AT_FDCWD, dir, W_OK, AT_EACCESS) < 0)
    return errno;
  return 0;
}

bool check_cg_is_true_root(const char *dir) {
  autofree char *type = xasprintf("%s/cgroup.type", dir);
  autofree char *procs = xasprintf("%s/cgroup.procs", dir);
  return access(procs, F_OK) == 0 && access(type, F_OK) < 0;
}

bool check_has_word(const char *list, const char *word) {
  size_t n = strlen(word);
  for (const char *p = list; p && (p = strstr(p, word)) != NULL; p += n)
    if ((p == list || p[-1] == ' ' || p[-1] == '\n') &&
        (p[n] == ' ' || p[n] == '\0' || p[n] == '\n'))
      return true;
  return false;
}

void check_cg_load(struct check_cg *c) {
  memset(c, 0, sizeof *c);
  c->mode = host_cgroup_mode();
  if (c->mode == CGROUP_MODE_UNKNOWN) {
    c->error = xstrdup("no cgroup filesystem is mounted at /sys/fs/cgroup");
    return;
  }
  autofree char *pc = NULL;
  autofree char *mi = NULL;
  struct error *e = NULL;
  if (read_file("/proc/self/cgroup", &pc, NULL, &e) < 0 ||
      read_file("/proc/self/mountinfo", &mi, NULL, &e) < 0 ||
      cg_parse_hierarchies(c->mode, pc, mi, &c->h, &c->n, &e) < 0) {
    c->error = xstrdup(e->msg);
    error_free(e);
    return;
  }
  for (size_t i = 0; i < c->n; i++)
    if (c->h[i].key[0] == '\0' || strcmp(c->h[i].key, "unified") == 0)
      c->v2 = &c->h[i];
}

void check_cg_clear(struct check_cg *c) {
  for (size_t i = 0; i < c->n; i++)
    cg_hier_clear(&c->h[i]);
  free(c->h);
  free(c->error);
  memset(c, 0, sizeof *c);
}

/* The path of a cgroup as /proc/self/cgroup shows it ("/" for the mount's root). */
static const char *rel_of(const struct cg_hier *h, const char *dir) {
  size_t n = strlen(h->mnt);
  if (strncmp(dir, h->mnt, n) == 0 && (dir[n] == '/' || dir[n] == '\0'))
    return dir[n] ? dir + n : "/";
  return dir;
}

static const char *key_name(const char *key) {
  return key[0] == '\0' || strcmp(key, "unified") == 0 ? "cgroup2" : key;
}

/* Words of avail that are not in enabled, as "+a +b" (malloc'd, "" when none). */
static char *not_enabled(const char *avail, const char *enabled) {
  char *out = xstrdup("");
  autofree char *copy = xstrdup(avail ? avail : "");
  for (char *save = NULL, *w = strtok_r(copy, " \n", &save); w; w = strtok_r(NULL, " \n", &save))
    if (!check_has_word(enabled, w)) {
      char *next = xasprintf("%s%s+%s", out, out[0] ? " " : "", w);
      free(out);
      out = next;
    }
  return out;
}

/* The commands that let controllers be enabled beneath own, a cgroup that holds processes
 * (or, for the root, may hold them): missing is "+a +b". */
static char *delegation_fix(const struct cg_hier *h, const char *own, const char *missing) {
  if (check_cg_is_true_root(own))
    return xasprintf("echo \"%s\" > %s/cgroup.subtree_control (the root cgroup may hold "
                     "processes and still enable controllers for its children)",
                     missing, own);
  const char *rel = rel_of(h, own);
  bool nsroot = strcmp(own, h->mnt) == 0 && host_ns_is_initial("cgroup") == 0;
  char *by_hand = xasprintf("mkdir %s/init && for p in $(cat %s/cgroup.procs); do echo $p > "
                            "%s/init/cgroup.procs; done && echo \"%s\" > %s/cgroup.subtree_control",
                            own, own, own, missing, own);
  char *fix;
  if (nsroot)
    fix = xasprintf("this is the root of a container's cgroup namespace: `contain check "
                    "--fix-cgroups` moves its processes into a leaf and enables the controllers "
                    "(by hand: %s); then give containers an absolute linux.cgroupsPath beside "
                    "init, e.g. \"/<id>\" (a relative one lies beneath the caller's cgroup)",
                    by_hand);
  else
    fix = xasprintf("move the processes of %s into a leaf and enable the controllers: %s; then "
                    "give containers an absolute linux.cgroupsPath beside init, e.g. "
                    "\"%s%s<id>\"; or run contain from a systemd unit with Delegate=yes "
                    "(systemd-run --scope -p Delegate=yes ...) and do the same in it",
                    own, by_hand, rel, strcmp(rel, "/") == 0 ? "" : "/");
  free(by_hand);
  return fix;
}

/* ---- host items -------------------------------------------------------------------------- */

static void item_mode(struct check_report *r, const struct check_cg *c) {
  switch (c->mode) {
  case CGROUP_MODE_UNIFIED:
    check_add(r, "cgroup", "cgroup.mode", CHECK_OK, NULL,
              "v2 (unified): one cgroup2 hierarchy at /sys/fs/cgroup");
    break;
  case CGROUP_MODE_HYBRID:
    check_add(r, "cgroup", "cgroup.mode", CHECK_OK, NULL,
              "hybrid: cgroup v1 controllers under /sys/fs/cgroup/<controller>, and a cgroup2 "
              "at /sys/fs/cgroup/unified that tracks processes (contain's limits go to v1)");
    break;
  case CGROUP_MODE_LEGACY:
    check_add(r, "cgroup", "cgroup.mode", CHECK_OK, NULL,
              "v1 (legacy): one hierarchy per controller under /sys/fs/cgroup");
    break;
  default:
    check_add(r, "cgroup", "cgroup.mode", CHECK_MISSING,
              xstrdup("mount -t cgroup2 none /sys/fs/cgroup (a v2 host; systemd does it at boot)"),
              "none: no cgroup filesystem at /sys/fs/cgroup, so no limits and no cgroup for "
              "the containers");
  }
}

static void item_own(struct check_report *r, const struct check_cg *c) {
  /* grouped by path: "/ (cpu, pids, ...); /user.slice (memory)" */
  char *out = xstrdup("");
  bool *done = xcalloc(c->n ? c->n : 1, sizeof *done);
  const char *hidden = NULL;
  for (size_t i = 0; i < c->n; i++) {
    if (done[i])
      continue;
    if (c->h[i].own == NULL) {
      hidden = key_name(c->h[i].key);
      done[i] = true;
      continue;
    }
    const char *rel = rel_of(&c->h[i], c->h[i].own);
    char *keys = xstrdup(key_name(c->h[i].key));
    for (size_t j = i + 1; j < c->n; j++)
      if (!done[j] && c->h[j].own && strcmp(rel_of(&c->h[j], c->h[j].own), rel) == 0) {
        char *next = xasprintf("%s, %s", keys, key_name(c->h[j].key));
        free(keys);
        keys = next;
        done[j] = true;
      }
    char *next = c->mode == CGROUP_MODE_UNIFIED
                     ? xasprintf("%s%s%s", out, out[0] ? "; " : "", rel)
                     : xasprintf("%s%s%s (%s)", out, out[0] ? "; " : "", rel, keys);
    free(keys);
    free(out);
    out = next;
    done[i] = true;
  }
  free(done);
  if (hidden)
    check_add(r, "cgroup", "cgroup.own", CHECK_WARN,
              xstrdup("give containers an absolute linux.cgroupsPath"),
              "%s%sthe caller's %s cgroup is not visible through its mount (outside this "
              "cgroup namespace's view): a relative linux.cgroupsPath cannot be placed there",
              out, out[0] ? "; " : "", hidden);
  else
    check_add(r, "cgroup", "cgroup.own", CHECK_OK, NULL,
              "%s (containers with a relative or no linux.cgroupsPath are made beneath %s)", out,
              strchr(out, ';') ? "these" : "it");
  free(out);
}

/* The v1 controllers the kernel has (/proc/cgroups, enabled) that no hierarchy carries. */
static char *v1_unmounted(const struct check_cg *c) {
  autofree char *pc = check_read("/proc/cgroups", NULL);
  char *out = xstrdup("");
  if (pc == NULL)
    return out;
  for (char *save = NULL, *line = strtok_r(pc, "\n", &save); line;
       line = strtok_r(NULL, "\n", &save)) {
    char name[64];
    int hier, num, enabled;
    if (line[0] == '#' || sscanf(line, "%63s %d %d %d", name, &hier, &num, &enabled) != 4 ||
        !enabled)
      continue;
    bool mounted = false;
    for (size_t i = 0; i < c->n && !mounted; i++)
      mounted = cg_key_has(c->h[i].key, name);
    if (!mounted) {
      char *next = xasprintf("%s%s%s", out, out[0] ? " " : "", name);
      free(out);
      out = next;
    }
  }
  return out;
}

static void item_controllers_v1(struct check_report *r, const struct check_cg *c) {
  char *mounted = xstrdup("");
  for (size_t i = 0; i < c->n; i++) {
    if (&c->h[i] == c->v2 || strncmp(c->h[i].key, "name=", 5) == 0)
      continue;
    char *next = xasprintf("%s%s%s", mounted, mounted[0] ? " " : "", c->h[i].key);
    free(mounted);
    mounted = next;
  }
  autofree char *unmounted = v1_unmounted(c);
  char *v2part = xstrdup("");
  if (c->v2 != NULL) {
    autofree char *avail = check_read(c->v2->mnt, "cgroup.controllers");
    free(v2part);
    v2part = xasprintf("; in the cgroup2 (unified): %s (contain's hybrid driver writes only "
                       "linux.resources.unified there)",
                       avail && avail[0] ? avail : "none");
  }
  static const char *const main_ones[] = {"cpu", "memory", "pids"};
  char *lacking = xstrdup("");
  for (size_t k = 0; k < 3; k++) {
    bool have = false;
    for (size_t i = 0; i < c->n && !have; i++)
      have = &c->h[i] != c->v2 && cg_key_has(c->h[i].key, main_ones[k]);
    if (!have) {
      char *next = xasprintf("%s%s%s", lacking, lacking[0] ? " " : "", main_ones[k]);
      free(lacking);
      lacking = next;
    }
  }
  char first[32] = "";
  sscanf(lacking, "%31s", first);
  check_add(r, "cgroup", "cgroup.controllers", lacking[0] ? CHECK_WARN : CHECK_OK,
            lacking[0] ? xasprintf("mount each missing hierarchy, e.g. mkdir /sys/fs/cgroup/%s "
                                   "&& mount -t cgroup -o %s cgroup /sys/fs/cgroup/%s",
                                   first, first, first)
                       : NULL,
            "v1 hierarchies mounted: %s (each usable beneath the caller's cgroup in it, no "
            "delegation needed); known to the kernel but not mounted: %s%s",
            mounted[0] ? mounted : "none", unmounted[0] ? unmounted : "none", v2part);
  free(lacking);
  free(mounted);
  free(v2part);
}

static void item_controllers_v2(struct check_report *r, const struct check_cg *c) {
  const struct cg_hier *h = c->v2;
  const char *own = h && h->own ? h->own : h ? h->mnt : NULL;
  if (own == NULL) {
    check_add(r, "cgroup", "cgroup.controllers", CHECK_MISSING, NULL, "no cgroup2 hierarchy found");
    return;
  }
  autofree char *avail = check_read(own, "cgroup.controllers");
  autofree char *enabled = check_read(own, "cgroup.subtree_control");
  autofree char *missing = not_enabled(avail, enabled);
  if (avail == NULL || avail[0] == '\0') {
    bool nsroot = strcmp(own, h->mnt) == 0 && host_ns_is_initial("cgroup") == 0;
    check_add(r, "cgroup", "cgroup.controllers", CHECK_MISSING,
              nsroot ? xstrdup("the cgroup of this container (the root of its cgroup namespace) "
                               "is given no controller by its parent, outside the container: on "
                               "the host, enable them in the parent's cgroup.subtree_control "
                               "(echo \"+cpu +memory +pids\" > PARENT/cgroup.subtree_control), "
                               "or have the engine delegate them (systemd: Delegate=yes)")
                     : xstrdup("enable them in the parent's cgroup.subtree_control (echo \"+cpu "
                               "+memory +pids\" > PARENT/cgroup.subtree_control), or run in a "
                               "systemd unit with Delegate=yes"),
              "none available to %s (its cgroup.controllers is empty): containers beneath it "
              "can have no limits",
              own);
    return;
  }
  if (missing[0] == '\0') {
    check_add(r, "cgroup", "cgroup.controllers", CHECK_OK, NULL,
              "available: %s; all enabled in %s/cgroup.subtree_control, so containers beneath "
              "it can have them",
              avail, own);
    return;
  }
  long procs = check_count_procs(own);
  if (check_cg_is_true_root(own)) {
    check_add(r, "cgroup", "cgroup.controllers", CHECK_WARN, delegation_fix(h, own, missing),
              "available: %s; enabled for the cgroups beneath %s: %s; delegatable: all (the "
              "root cgroup is exempt from the no-internal-processes rule), but contain does not "
              "change the controllers of the cgroup it runs in",
              avail, own, enabled && enabled[0] ? enabled : "none");
    return;
  }
  check_add(r, "cgroup", "cgroup.controllers", enabled && enabled[0] ? CHECK_WARN : CHECK_MISSING,
            delegation_fix(h, own, missing),
            "available: %s; enabled for the cgroups beneath %s: %s; delegatable: none more, "
            "since %s holds %ld process%s (cgroup v2 \"no internal processes\" rule)",
            avail, own, enabled && enabled[0] ? enabled : "none", own, procs,
            procs == 1 ? "" : "es");
}

static void item_processes(struct check_report *r, const struct check_cg *c) {
  if (c->mode == CGROUP_MODE_LEGACY || c->v2 == NULL || c->v2->own == NULL) {
    check_add(r, "cgroup", "cgroup.processes", CHECK_OK, NULL,
              "cgroup v1 has no \"no internal processes\" rule: the caller's cgroups may hold "
              "processes and still have child cgroups with limits");
    return;
  }
  const char *own = c->v2->own;
  long n = check_count_procs(own);
  if (c->mode == CGROUP_MODE_HYBRID) {
    check_add(r, "cgroup", "cgroup.processes", CHECK_OK, NULL,
              "%s holds %ld process%s; that does not matter here: the controllers are v1 "
              "hierarchies, which have no \"no internal processes\" rule",
              own, n, n == 1 ? "" : "es");
    return;
  }
  if (check_cg_is_true_root(own)) {
    check_add(r, "cgroup", "cgroup.processes", CHECK_OK, NULL,
              "%s holds %ld process%s; it is the hierarchy's root, which the \"no internal "
              "processes\" rule exempts",
              own, n, n == 1 ? "" : "es");
    return;
  }
  autofree char *avail = check_read(own, "cgroup.controllers");
  autofree char *enabled = check_read(own, "cgroup.subtree_control");
  autofree char *missing = not_enabled(avail, enabled);
  check_add(r, "cgroup", "cgroup.processes", missing[0] ? CHECK_WARN : CHECK_OK,
            missing[0] ? delegation_fix(c->v2, own, missing) : NULL,
            "%s holds %ld process%s (this one among them), so cgroup v2's \"no internal "
            "processes\" rule lets no controller be enabled for the cgroups beneath it%s",
            own, n, n == 1 ? "" : "es",
            avail == NULL || avail[0] == '\0' ? " (none is available to it anyway)" : "");
}

static void item_writable(struct check_report *r, const struct check_cg *c) {
  char *bad = xstrdup("");
  int first = 0;
  for (size_t i = 0; i < c->n; i++) {
    const char *dir = c->h[i].own ? c->h[i].own : c->h[i].mnt;
    int e = check_writable(dir);
    if (e == 0)
      continue;
    if (first == 0)
      first = e;
    char *next = xasprintf("%s%s%s (%s)", bad, bad[0] ? ", " : "", dir, strerror(e));
    free(bad);
    bad = next;
  }
  if (bad[0] == '\0')
    check_add(r, "cgroup", "cgroup.writable", CHECK_OK, NULL,
              "the caller's cgroups can be written (%zu hierarch%s): contain can make the "
              "containers' cgroups beneath them",
              c->n, c->n == 1 ? "y" : "ies");
  else
    check_add(r, "cgroup", "cgroup.writable", CHECK_MISSING,
              first == EROFS
                  ? xstrdup("the cgroup filesystem is mounted read-only, as in a container "
                            "started without privileges: start the outer container with a "
                            "writable cgroupfs (docker run --privileged --cgroupns=private, "
                            "podman run --privileged)")
                  : xstrdup("run contain as root, or have the cgroup delegated to this user "
                            "(systemd: Delegate=yes)"),
              "cannot be written: %s", bad);
  free(bad);
}

/* ---- the container we may be in, and systemd ---------------------------------------------- */

static char *pid1_comm(void) {
  char *comm = check_read("/proc/1/comm", NULL);
  return comm ? comm : xstrdup("unknown");
}

/* The engine that left a mark, or NULL. */
static char *container_kind(void) {
  autofree char *cenv = check_read("/run/.containerenv", NULL);
  if (cenv != NULL) {
    const char *engine = strstr(cenv, "engine=\"");
    if (engine) {
      engine += 8;
      return xasprintf("podman (/run/.containerenv, engine %.*s)", (int)strcspn(engine, "\""),
                       engine);
    }
    return xstrdup("podman (/run/.containerenv)");
  }
  if (access("/.dockerenv", F_OK) == 0)
    return xstrdup("docker (/.dockerenv)");
  autofree char *sd = check_read("/run/systemd/container", NULL);
  if (sd != NULL && sd[0])
    return xasprintf("%s (/run/systemd/container)", sd);
  const char *env = getenv("container");
  if (env && env[0])
    return xasprintf("%s ($container)", env);
  if (getenv("KUBERNETES_SERVICE_HOST"))
    return xstrdup("kubernetes ($KUBERNETES_SERVICE_HOST)");
  if (access("/proc/vz", F_OK) == 0 && access("/proc/bc", F_OK) < 0)
    return xstrdup("openvz (/proc/vz)");
  return NULL;
}

static void item_container(struct check_report *r) {
  autofree char *kind = container_kind();
  autofree char *comm = pid1_comm();
  static const char *const kinds[] = {"pid", "cgroup", "user"};
  char *notours = xstrdup("");
  int unknown = 0;
  for (size_t i = 0; i < 3; i++) {
    int v = host_ns_is_initial(kinds[i]);
    if (v < 0)
      unknown++;
    if (v == 0) {
      char *next = xasprintf("%s%s%s", notours, notours[0] ? ", " : "", kinds[i]);
      free(notours);
      notours = next;
    }
  }
  if (notours[0])
    check_add(r, "cgroup", "container", CHECK_WARN, NULL,
              "inside a container: %s; its %s namespace%s not the host's; PID 1 is %s. Its "
              "cgroups may be read-only or not delegated, and namespaces may be refused: see "
              "the other items",
              kind ? kind : "of an unknown kind", notours, strchr(notours, ',') ? "s are" : " is",
              comm);
  else if (unknown == 3)
    check_add(r, "cgroup", "container", CHECK_WARN, NULL,
              "cannot tell (no /proc/self/ns); %s; PID 1 is %s", kind ? kind : "no engine's mark",
              comm);
  else if (kind)
    check_add(r, "cgroup", "container", CHECK_OK, NULL,
              "not in a container: the pid, cgroup and user namespaces are the host's (the "
              "initial ones), though %s is there (a machine made from a container image, e.g. "
              "a microVM); PID 1 is %s",
              kind, comm);
  else
    check_add(r, "cgroup", "container", CHECK_OK, NULL,
              "not in a container: the pid, cgroup and user namespaces are the host's; PID 1 is %s",
              comm);
  free(notours);
}

static bool delegated(const char *dir) {
  static const char *const names[] = {"trusted.delegate", "user.delegate"};
  for (size_t i = 0; i < 2; i++) {
    char v[8] = "";
    ssize_t n = getxattr(dir, names[i], v, sizeof v - 1);
    if (n > 0 && v[0] == '1')
      return true;
  }
  return false;
}

static void item_systemd(struct check_report *r, const struct check_cg *c) {
  autofree char *comm = pid1_comm();
  bool running = access("/run/systemd/system", F_OK) == 0;
  if (!running) {
    check_add(r, "cgroup", "systemd", CHECK_OK, NULL,
              "not running (PID 1 is %s; no /run/systemd/system): nothing else manages the "
              "cgroup tree, contain writes cgroupfs itself (--systemd-cgroup is not supported "
              "yet)",
              comm);
    return;
  }
  const struct cg_hier *h = c->v2;
  for (size_t i = 0; h == NULL && i < c->n; i++)
    if (strcmp(c->h[i].key, "name=systemd") == 0)
      h = &c->h[i];
  const char *own = h ? h->own : NULL;
  if (own == NULL) {
    check_add(r, "cgroup", "systemd", CHECK_WARN, NULL,
              "running (PID 1 is %s), but the caller's cgroup in its hierarchy is not visible",
              comm);
    return;
  }
  const char *rel = rel_of(h, own);
  if (delegated(own) || check_cg_is_true_root(own))
    check_add(r, "cgroup", "systemd", CHECK_OK, NULL, "running; the caller's cgroup %s is %s", rel,
              check_cg_is_true_root(own) ? "the root, which systemd leaves to its users' units"
                                         : "delegated to it (the delegate xattr is set)");
  else
    check_add(r, "cgroup", "systemd", CHECK_WARN,
              xstrdup("run contain from a unit with Delegate=yes: systemd-run --scope -p "
                      "Delegate=yes --quiet bash (then contain in that shell), or Delegate=yes in "
                      "the [Service] section of the unit that starts it"),
              "running, and the caller's cgroup %s is not delegated: systemd owns it and may "
              "reset its controllers or move what contain puts beneath it",
              rel);
}

void check_cgroup_host(struct check_report *r, const struct check_cg *c) {
  item_mode(r, c);
  if (c->error != NULL) {
    check_add(r, "cgroup", "cgroup.own", CHECK_MISSING, NULL, "%s", c->error);
  } else {
    item_own(r, c);
    if (c->mode == CGROUP_MODE_UNIFIED)
      item_controllers_v2(r, c);
    else
      item_controllers_v1(r, c);
    item_processes(r, c);
    item_writable(r, c);
  }
  item_container(r);
  item_systemd(r, c);
}

/* ---- a bundle's cgroupsPath and resources ------------------------------------------------- */

struct need {
  const char *field;
  const char *v1; /* the v1 controller, NULL when it needs none there */
  const char *v2; /* the v2 controller, NULL when v2 has none for it */
};

static size_t needs_of(const oci_linux_resources *r, struct need *out, size_t cap,
                       char fields[][96], char ctls[][32]) {
  size_t n = 0;
#define NEED(f, a, b)                                                                              \
  do {                                                                                             \
    if (n < cap)                                                                                   \
      out[n++] = (struct need){f, a, b};                                                           \
  } while (0)
  if (r == NULL)
    return 0;
  const oci_linux_resources_memory *m = r->memory;
  if (SET(m, limit) || SET(m, reservation) || SET(m, swap))
    NEED("linux.resources.memory", "memory", "memory");
  else if (m && (SET(m, kernel) || SET(m, kernel_tcp) || PRESENT(m, swappiness) ||
                 PRESENT(m, disable_oom_killer)))
    NEED("linux.resources.memory", "memory", NULL);
  const oci_linux_resources_cpu *c = r->cpu;
  if (SET(c, shares) || SET(c, quota) || SET(c, period) || PRESENT(c, burst) || PRESENT(c, idle))
    NEED("linux.resources.cpu", "cpu", "cpu");
  if (SET(c, realtime_runtime) || SET(c, realtime_period))
    NEED("linux.resources.cpu.realtimeRuntime", "cpu", NULL);
  if (c && ((c->cpus && c->cpus[0]) || (c->mems && c->mems[0])))
    NEED("linux.resources.cpu.cpus/mems", "cpuset", "cpuset");
  if (SET(r->pids, limit))
    NEED("linux.resources.pids", "pids", "pids");
  const oci_linux_resources_block_io *b = r->block_io;
  if (b && (SET(b, weight) || b->weight_device_len || b->throttle_read_bps_device_len ||
            b->throttle_write_bps_device_len || b->throttle_read_iops_device_len ||
            b->throttle_write_iops_device_len))
    NEED("linux.resources.blockIO", "blkio", "io");
  if (r->hugepage_limits_len)
    NEED("linux.resources.hugepageLimits", "hugetlb", "hugetlb");
  if (r->rdma && r->rdma->len)
    NEED("linux.resources.rdma", "rdma", "rdma");
  if (r->network && PRESENT(r->network, class_id))
    NEED("linux.resources.network.classID", "net_cls", NULL);
  if (r->network && r->network->priorities_len)
    NEED("linux.resources.network.priorities", "net_prio", NULL);
  for (size_t i = 0; r->unified && i < r->unified->len && n < cap; i++) {
    const char *why;
    if (cg_unified_key(r->unified->keys[i], ctls[n], &why) < 0 || strcmp(ctls[n], "cgroup") == 0)
      continue;
    snprintf(fields[n], 96, "linux.resources.unified[\"%.60s\"]", r->unified->keys[i]);
    size_t k = n; /* NEED increments n */
    NEED(fields[k], NULL, ctls[k]);
  }
#undef NEED
  return n;
}

static bool has_resources(const oci_linux_resources *r) {
  struct need ns[32];
  char fields[32][96], ctls[32][32];
  return needs_of(r, ns, 32, fields, ctls) > 0;
}

/* v2: can controller ctl be had by the cgroup at path? Walks the ancestors from the mount
 * down to path's parent as the v2 driver's prepare does. */
static void v2_controller(struct check_report *r, const struct cg_hier *h, const char *path,
                          const char *field, const char *ctl) {
  autofree char *avail = check_read(h->mnt, "cgroup.controllers");
  if (!check_has_word(avail, ctl)) {
    if (!check_has_missing(r, field))
      check_add(r, "bundle", field, CHECK_MISSING,
                xasprintf("remove the field, or run on a kernel whose cgroup v2 has %s", ctl),
                "this kernel's cgroup v2 has no %s controller (not in %s/cgroup.controllers)", ctl,
                h->mnt);
    return;
  }
  size_t end = (size_t)(strrchr(path, '/') - path);
  char *made_by_us = NULL;
  for (size_t i = strlen(h->mnt); i <= end; i++) {
    if (i != strlen(h->mnt) && path[i] != '/')
      continue;
    autofree char *dir = xasprintf("%.*s", (int)i, path);
    struct stat st;
    if (stat(dir, &st) < 0) {
      /* made by contain, empty: it enables what its children need there itself */
      if (made_by_us == NULL)
        made_by_us = xstrdup(dir);
      break;
    }
    autofree char *enabled = check_read(dir, "cgroup.subtree_control");
    if (check_has_word(enabled, ctl))
      continue;
    char plus[40];
    snprintf(plus, sizeof plus, "+%s", ctl);
    if (h->own != NULL && cg_path_within(h->own, dir)) {
      long procs = check_count_procs(dir);
      if (strcmp(h->own, dir) == 0 && !check_cg_is_true_root(dir))
        check_add(r, "bundle", field, CHECK_MISSING, delegation_fix(h, dir, plus),
                  "needs the %s controller, which is not enabled in %s/cgroup.subtree_control "
                  "and cannot be: %s is the caller's own cgroup and holds %ld process%s (cgroup "
                  "v2 \"no internal processes\" rule)",
                  ctl, dir, dir, procs, procs == 1 ? "" : "es");
      else
        check_add(r, "bundle", field, CHECK_MISSING,
                  check_cg_is_true_root(dir) || strcmp(h->own, dir) != 0
                      ? xasprintf("echo \"%s\" > %s/cgroup.subtree_control, or choose a "
                                  "linux.cgroupsPath where it is enabled",
                                  plus, dir)
                      : delegation_fix(h, dir, plus),
                  "needs the %s controller, which is not enabled in %s/cgroup.subtree_control; "
                  "that cgroup holds the caller, and contain does not change the controllers "
                  "of the cgroups it runs in",
                  ctl, dir);
      free(made_by_us);
      return;
    }
    long procs = check_count_procs(dir);
    if (procs > 0 && !check_cg_is_true_root(dir)) {
      check_add(r, "bundle", field, CHECK_MISSING, delegation_fix(h, dir, plus),
                "needs the %s controller, which is not enabled in %s/cgroup.subtree_control, "
                "and cannot be while it holds %ld process%s (cgroup v2 \"no internal "
                "processes\" rule)",
                ctl, dir, procs, procs == 1 ? "" : "es");
      free(made_by_us);
      return;
    }
    int w = check_writable(dir);
    if (w != 0) {
      check_add(r, "bundle", field, CHECK_MISSING,
                xasprintf("echo \"%s\" > %s/cgroup.subtree_control as a user who may", plus, dir),
                "needs the %s controller, not enabled in %s/cgroup.subtree_control, which "
                "contain cannot write (%s)",
                ctl, dir, strerror(w));
      free(made_by_us);
      return;
    }
    if (made_by_us == NULL)
      made_by_us = xstrdup(dir);
  }
  if (made_by_us)
    check_add(r, "bundle", field, CHECK_OK, NULL,
              "%s: contain enables it in %s/cgroup.subtree_control and below", ctl, made_by_us);
  else
    check_add(r, "bundle", field, CHECK_OK, NULL, "%s: enabled for the container's cgroup %s", ctl,
              path);
  free(made_by_us);
}

/* v1: the controller's hierarchy, and the container's directory in it. */
static void v1_controller(struct check_report *r, const struct check_cg *c, char **paths,
                          const char *field, const char *ctl) {
  for (size_t i = 0; i < c->n; i++) {
    if (&c->h[i] == c->v2 || !cg_key_has(c->h[i].key, ctl))
      continue;
    check_add(r, "bundle", field, CHECK_OK, NULL, "%s: the container's cgroup is %s", ctl,
              paths[i] ? paths[i] : "?");
    return;
  }
  if (!check_has_missing(r, field))
    check_add(r, "bundle", field, CHECK_MISSING,
              xasprintf("mkdir /sys/fs/cgroup/%s && mount -t cgroup -o %s cgroup "
                        "/sys/fs/cgroup/%s, or remove the field",
                        ctl, ctl, ctl),
              "the %s cgroup controller is not mounted on this host (see /proc/cgroups)", ctl);
}

static const struct cgroup_ops *ops_for(enum cgroup_mode m) {
  switch (m) {
  case CGROUP_MODE_LEGACY: return &cg_v1_ops;
  case CGROUP_MODE_HYBRID: return &cg_hybrid_ops;
  case CGROUP_MODE_UNIFIED: return &cg_v2_ops;
  default: return NULL;
  }
}

/* The nearest existing directory at or above path. */
static char *existing_ancestor(const char *path) {
  char *d = xstrdup(path);
  struct stat st;
  while (stat(d, &st) < 0 && strrchr(d, '/') && strrchr(d, '/') != d)
    *strrchr(d, '/') = '\0';
  return d;
}

void check_cgroup_bundle(struct check_report *r, const struct check_cg *c, const oci_config *cfg,
                         bool systemd_cgroup) {
  const oci_linux *l = cfg->linux;
  const oci_linux_resources *res = l ? l->resources : NULL;
  const char *cp = l && l->cgroups_path && l->cgroups_path[0] ? l->cgroups_path : NULL;
  if (systemd_cgroup)
    check_add(r, "bundle", "--systemd-cgroup", CHECK_MISSING,
              xstrdup("leave out --systemd-cgroup: contain manages cgroupfs itself"),
              "the systemd cgroup driver is not supported yet");
  if (cg_is_systemd_path(cp)) {
    check_add(r, "bundle", "linux.cgroupsPath", CHECK_MISSING,
              xstrdup("use a cgroupfs path (\"/contain/<id>\", or a relative one), or leave it "
                      "out"),
              "\"%s\" has the systemd form slice:prefix:name; the systemd cgroup driver is not "
              "supported yet",
              cp);
    return;
  }
  if (c->error != NULL) {
    check_add(r, "bundle", "linux.cgroupsPath", CHECK_MISSING, NULL,
              "the container cannot have a cgroup here: %s", c->error);
    return;
  }
  bool abs;
  autofree char *inner = cg_clean_path(cp ? cp : "<id>", &abs);
  char **paths = xcalloc(c->n ? c->n : 1, sizeof *paths);
  bool writes = has_resources(res) || c->mode != CGROUP_MODE_UNIFIED;
  bool placed = true;
  char *where = xstrdup("");
  char *ro = xstrdup("");
  for (size_t i = 0; i < c->n && placed; i++) {
    const struct cg_hier *h = &c->h[i];
    const char *base = abs ? h->mnt : h->own;
    if (base == NULL) {
      check_add(r, "bundle", "linux.cgroupsPath", CHECK_MISSING,
                xstrdup("use an absolute linux.cgroupsPath"),
                "cannot place the relative path \"%s\": the caller's own cgroup in %s is not "
                "visible under %s (another cgroup namespace?)",
                cp ? cp : "<id>", key_name(h->key), h->mnt);
      placed = false;
      break;
    }
    paths[i] = cg_join(base, inner);
    if (writes && h->own != NULL && cg_path_within(h->own, paths[i])) {
      check_add(r, "bundle", "linux.cgroupsPath", CHECK_MISSING,
                xstrdup("leave linux.cgroupsPath out (the default is a new cgroup beneath the "
                        "caller's), or choose one that does not hold the caller"),
                "%s is %s in %s: contain never gives limits to a cgroup it runs in", paths[i],
                strcmp(h->own, paths[i]) == 0 ? "the caller's own cgroup"
                                              : "an ancestor of the caller's own cgroup",
                key_name(h->key));
      placed = false;
      break;
    }
    autofree char *anc = existing_ancestor(paths[i]);
    int w = check_writable(anc);
    char *next = xasprintf("%s%s%s", where, where[0] ? ", " : "", paths[i]);
    free(where);
    where = next;
    if (w != 0) {
      next = xasprintf("%s%s%s (%s)", ro, ro[0] ? ", " : "", anc, strerror(w));
      free(ro);
      ro = next;
    }
  }
  if (placed) {
    if (ro[0])
      check_add(r, "bundle", "linux.cgroupsPath", CHECK_MISSING,
                xstrdup("give contain a writable cgroupfs (see cgroup.writable)"),
                "the container's cgroup cannot be made: %s", ro);
    else
      check_add(r, "bundle", "linux.cgroupsPath", CHECK_OK, NULL, "the container's cgroup: %s",
                where);
  }
  free(where);
  free(ro);

  /* What the driver refuses before anything is made: values, fields this version of
   * cgroups has no file for, controllers that are not there. */
  const struct cgroup_ops *ops = ops_for(c->mode);
  if (placed && ops != NULL && res != NULL) {
    struct cgroup cg = {.ops = ops, .h = c->h, .n = c->n, .dirfd = -1};
    struct error *e = NULL;
    if (ops->check(&cg, res, false, &e) < 0) {
      autofree char *field = check_field_of(e->msg);
      check_add(r, "bundle", field ? field : "linux.resources", CHECK_MISSING, NULL, "%s",
                check_after_field(e->msg));
    }
    error_free(e);
  }
  struct need needs[32];
  char fields[32][96], ctls[32][32];
  size_t n = placed ? needs_of(res, needs, 32, fields, ctls) : 0;
  for (size_t i = 0; i < n; i++) {
    if (check_has_missing(r, needs[i].field))
      continue;
    if (c->mode == CGROUP_MODE_UNIFIED) {
      if (needs[i].v2 && c->v2)
        v2_controller(r, c->v2, paths[c->v2 - c->h], needs[i].field, needs[i].v2);
    } else if (needs[i].v1) {
      v1_controller(r, c, paths, needs[i].field, needs[i].v1);
    }
  }
  for (size_t i = 0; i < c->n; i++)
    free(paths[i]);
  free(paths);
}

/* ---- --fix-cgroups ------------------------------------------------------------------------ */

static void stepf(check_step_fn step, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void stepf(check_step_fn step, void *ctx, const char *fmt, ...) {
  char *line = NULL;
  va_list ap;
  va_start(ap, fmt);
  if (vasprintf(&line, fmt, ap) < 0)
    abort();
  va_end(ap);
  if (step)
    step(line, ctx);
  free(line);
}

static int refuse(struct error **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int refuse(struct error **err, const char *fmt, ...) {
  char *msg = NULL;
  va_list ap;
  va_start(ap, fmt);
  if (vasprintf(&msg, fmt, ap) < 0)
    abort();
  va_end(ap);
  error_set(err, ERR_HOST_UNSUPPORTED, 0, "--fix-cgroups: %s; nothing was changed", msg);
  free(msg);
  return -1;
}

static int fix_in(const char *root, check_step_fn step, void *ctx, struct error **err) {
  autofree char *avail = check_read(root, "cgroup.controllers");
  autofree char *enabled = check_read(root, "cgroup.subtree_control");
  autofree char *missing = not_enabled(avail, enabled);
  long procs = check_count_procs(root);
  if (procs < 0)
    return error_sys(err, "--fix-cgroups: read %s/cgroup.procs", root);
  if (procs == 0 && missing[0] == '\0') {
    stepf(step, ctx,
          "nothing to do: %s holds no process and enables every controller it has "
          "(%s) for the cgroups beneath it",
          root, avail && avail[0] ? avail : "none");
    return 0;
  }
  autofree char *leaf = xasprintf("%s/init", root);
  struct stat st;
  if (stat(leaf, &st) < 0) {
    stepf(step, ctx, "mkdir %s", leaf);
    if (mkdir(leaf, 0755) < 0)
      return error_sys(err, "--fix-cgroups: mkdir %s", leaf);
  } else {
    autofree char *sub = check_read(leaf, "cgroup.subtree_control");
    if (sub == NULL || sub[0] != '\0')
      return refuse(err,
                    "%s exists and is not a leaf cgroup that can take processes (its "
                    "cgroup.subtree_control is %s)",
                    leaf, sub ? sub : "unreadable");
  }
  autofree char *target = xasprintf("%s/cgroup.procs", leaf);
  /* Processes may fork while they are moved: again until the root is empty. */
  for (int round = 0; round < 20; round++) {
    autofree char *list = check_read(root, "cgroup.procs");
    if (list == NULL)
      return error_sys(err, "--fix-cgroups: read %s/cgroup.procs", root);
    if (list[0] == '\0')
      break;
    for (char *save = NULL, *p = strtok_r(list, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
      autofree char *commf = xasprintf("/proc/%s/comm", p);
      autofree char *comm = check_read(commf, NULL);
      stepf(step, ctx, "echo %s > %s (%s)", p, target, comm ? comm : "gone");
      struct error *e = NULL;
      if (write_file(target, p, strlen(p), &e) < 0) {
        bool gone = e->errnum == ESRCH;
        if (!gone) {
          error_free(*err);
          *err = e;
          return error_prefix(err, "--fix-cgroups: move process %s into %s", p, leaf);
        }
        error_free(e);
      }
    }
  }
  if (check_count_procs(root) != 0)
    return error_set(err, ERR_GENERIC, 0,
                     "--fix-cgroups: %s still holds processes after moving them 20 times "
                     "(something keeps starting them there)",
                     root);
  if (missing[0]) {
    stepf(step, ctx, "echo \"%s\" > %s/cgroup.subtree_control", missing, root);
    autofree char *sc = xasprintf("%s/cgroup.subtree_control", root);
    if (write_file(sc, missing, strlen(missing), err) < 0)
      return error_prefix(err, "--fix-cgroups: enable the controllers of %s", root);
  }
  autofree char *now = check_read(root, "cgroup.subtree_control");
  stepf(step, ctx,
        "done: the cgroups beneath %s can have %s; this process and the others are "
        "in %s, so give containers an absolute linux.cgroupsPath beside it (e.g. "
        "\"/<id>\"): a relative one would lie beneath init",
        root, now && now[0] ? now : "no controller (none is available)", leaf);
  return 0;
}

int check_fix_cgroups(check_step_fn step, void *ctx, struct error **err) {
  struct check_cg c;
  check_cg_load(&c);
  int rc = -1;
  char *done_leaf = NULL;
  if (c.error != NULL) {
    refuse(err, "%s", c.error);
    goto out;
  }
  int initial = host_ns_is_initial("cgroup");
  if (initial != 0) {
    refuse(err,
           "%s: moving the processes of its root cgroup would reorganize the host's "
           "cgroups. Delegate a subtree instead (systemd: Delegate=yes), or do it by hand "
           "if you mean it (see `contain check`)",
           initial > 0 ? "this is the host's cgroup namespace (/proc/self/ns/cgroup is the "
                         "initial one)"
                       : "cannot tell whether this is the host's cgroup namespace");
    goto out;
  }
  if (c.mode != CGROUP_MODE_UNIFIED) {
    refuse(err,
           "this host's cgroups are %s: the controllers are cgroup v1 hierarchies, which "
           "have no \"no internal processes\" rule, so there is nothing to move",
           host_cgroup_mode_name(c.mode));
    goto out;
  }
  const struct cg_hier *h = c.v2;
  if (h == NULL || h->own == NULL || h->mnt == NULL) {
    refuse(err, "the caller's cgroup v2 is not visible under a cgroup2 mount");
    goto out;
  }
  /* Run again after a fix, the caller is in <root>/init: the root is still the one to fix. */
  done_leaf = xasprintf("%s/init", h->mnt);
  if (strcmp(h->own, done_leaf) == 0) {
    stepf(step, ctx, "this process is in %s, where an earlier --fix-cgroups put it", done_leaf);
  } else if (strcmp(h->own, h->mnt) != 0) {
    refuse(err,
           "this process is in %s, not at the root of its cgroup namespace (%s): only a "
           "namespace's root is reorganized",
           rel_of(h, h->own), h->mnt);
    goto out;
  }
  if (check_cg_is_true_root(h->mnt)) {
    refuse(err, "%s is the real root of the cgroup hierarchy, not a container's", h->mnt);
    goto out;
  }
  int w = check_writable(h->mnt);
  if (w != 0) {
    refuse(err, "%s cannot be written (%s)%s", h->mnt, strerror(w),
           w == EROFS ? ": the cgroupfs is read-only; start the container with a writable one "
                        "(docker run --privileged --cgroupns=private)"
                      : "");
    goto out;
  }
  rc = fix_in(h->mnt, step, ctx, err);
out:
  free(done_leaf);
  check_cg_clear(&c);
  return rc;
}
