/* cgroup-paths.c — pure path work of the cgroup drivers: cleaning cgroupsPath, and finding
 * the hierarchies and this process's own cgroups from the text of /proc/self/cgroup and
 * /proc/self/mountinfo. No system calls: unit tests feed it the text of any host layout. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdlib.h>
#include <string.h>

#include "cgroup-internal.h"
#include "util.h"

char *cg_clean_path(const char *path, bool *absolute) {
  if (path == NULL)
    path = "";
  *absolute = path[0] == '/';
  size_t cap = strlen(path) + 1;
  char *out = xmalloc(cap);
  size_t len = 0;
  const char *p = path;
  while (*p) {
    while (*p == '/')
      p++;
    const char *end = strchrnul(p, '/');
    size_t n = (size_t)(end - p);
    if (n == 0 || (n == 1 && p[0] == '.')) {
      /* nothing */
    } else if (n == 2 && p[0] == '.' && p[1] == '.') {
      /* Climb one component, never above the start. */
      while (len > 0 && out[len - 1] != '/')
        len--;
      if (len > 0)
        len--;
    } else {
      if (len > 0)
        out[len++] = '/';
      memcpy(out + len, p, n);
      len += n;
    }
    p = end;
  }
  out[len] = '\0';
  return out;
}

bool cg_is_systemd_path(const char *path) {
  if (path == NULL || path[0] == '\0' || path[0] == '/')
    return false;
  size_t colons = 0;
  for (const char *p = path; *p; p++)
    colons += *p == ':';
  return colons == 2;
}

char *cg_join(const char *base, const char *rel) {
  while (*rel == '/')
    rel++;
  size_t bl = strlen(base);
  while (bl > 1 && base[bl - 1] == '/')
    bl--;
  if (*rel == '\0')
    return xasprintf("%.*s", (int)bl, base);
  if (bl == 1 && base[0] == '/')
    return xasprintf("/%s", rel);
  return xasprintf("%.*s/%s", (int)bl, base, rel);
}

bool cg_path_within(const char *p, const char *dir) {
  size_t n = strlen(dir);
  if (n == 1 && dir[0] == '/')
    return p[0] == '/';
  return strncmp(p, dir, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

bool cg_key_has(const char *key, const char *controller) {
  size_t n = strlen(controller);
  for (const char *p = key; *p;) {
    const char *end = strchrnul(p, ',');
    if ((size_t)(end - p) == n && strncmp(p, controller, n) == 0)
      return true;
    p = *end ? end + 1 : end;
  }
  return false;
}

void cg_hier_clear(struct cg_hier *h) {
  free(h->key);
  free(h->mnt);
  free(h->own);
  free(h->path);
  for (size_t i = 0; i < h->n_made; i++)
    free(h->made[i]);
  free(h->made);
  memset(h, 0, sizeof *h);
}

/* ---- mountinfo --------------------------------------------------------------------------- */

struct mnt {
  char *root, *point, *fstype, *superopts;
};

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static char *unescape(const char *s, size_t n) {
  char *out = xmalloc(n + 1);
  size_t j = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' &&
        s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
      out[j++] = (char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out[j++] = s[i];
    }
  }
  out[j] = '\0';
  return out;
}

/* The fields of one mountinfo line; false when it is not one. */
static bool parse_mount_line(const char *line, size_t len, struct mnt *m) {
  const char *f[16];
  size_t fl[16];
  size_t nf = 0;
  const char *p = line, *end = line + len;
  bool dash = false;
  const char *post[3];
  size_t postl[3];
  size_t np = 0;
  while (p < end) {
    while (p < end && *p == ' ')
      p++;
    if (p >= end)
      break;
    const char *s = p;
    while (p < end && *p != ' ')
      p++;
    size_t n = (size_t)(p - s);
    if (!dash) {
      if (n == 1 && s[0] == '-' && nf >= 6) {
        dash = true;
        continue;
      }
      if (nf < 16) {
        f[nf] = s;
        fl[nf] = n;
        nf++;
      }
    } else if (np < 3) {
      post[np] = s;
      postl[np] = n;
      np++;
    }
  }
  if (!dash || nf < 6 || np < 3)
    return false;
  m->root = unescape(f[3], fl[3]);
  m->point = unescape(f[4], fl[4]);
  m->fstype = unescape(post[0], postl[0]);
  m->superopts = unescape(post[2], postl[2]);
  return true;
}

static void mnt_clear(struct mnt *m) {
  free(m->root);
  free(m->point);
  free(m->fstype);
  free(m->superopts);
}

static bool has_dotdot(const char *p) {
  for (const char *s = p; *s;) {
    const char *end = strchrnul(s, '/');
    if (end - s == 2 && s[0] == '.' && s[1] == '.')
      return true;
    s = *end ? end + 1 : end;
  }
  return false;
}

/* The caller's cgroup path p (as /proc/self/cgroup shows it) seen through mount m. */
static char *own_in_mount(const struct mnt *m, const char *p) {
  /* Outside our cgroup namespace the kernel shows "/../..": not reachable from here. */
  if (p[0] != '/' || has_dotdot(p))
    return NULL;
  bool abs;
  char *clean = cg_clean_path(p, &abs);
  char *full = cg_join("/", clean);
  free(clean);
  char *own = NULL;
  if (strcmp(m->root, "/") == 0)
    own = cg_join(m->point, full);
  else if (cg_path_within(full, m->root))
    own = cg_join(m->point, full + strlen(m->root));
  free(full);
  return own;
}

/* Whether every controller of a /proc/self/cgroup field is in a v1 mount's options. */
static bool opts_have_all(const char *superopts, const char *ctrls) {
  if (ctrls[0] == '\0')
    return false;
  for (const char *p = ctrls; *p;) {
    const char *end = strchrnul(p, ',');
    char *one = xasprintf("%.*s", (int)(end - p), p);
    bool ok = cg_key_has(superopts, one);
    free(one);
    if (!ok)
      return false;
    p = *end ? end + 1 : end;
  }
  return true;
}

/* The best mount of fstype for a cgroup path: the preferred mount point if it is one,
 * else one through which the caller's cgroup is visible, else the first. */
static const struct mnt *pick_mount(const struct mnt *ms, size_t n, const char *fstype,
                                    const char *ctrls, const char *prefer, const char *path) {
  const struct mnt *first = NULL, *visible = NULL;
  for (size_t i = 0; i < n; i++) {
    const struct mnt *m = &ms[i];
    if (strcmp(m->fstype, fstype) != 0)
      continue;
    if (ctrls != NULL && !opts_have_all(m->superopts, ctrls))
      continue;
    if (prefer != NULL && strcmp(m->point, prefer) == 0)
      return m;
    if (first == NULL)
      first = m;
    if (visible == NULL && (strcmp(m->root, "/") == 0 || cg_path_within(path, m->root)))
      visible = m;
  }
  return visible ? visible : first;
}

static void add_hier(struct cg_hier **out, size_t *n, const char *key, const struct mnt *m,
                     const char *path) {
  *out = xrealloc(*out, (*n + 1) * sizeof **out);
  struct cg_hier *h = &(*out)[*n];
  memset(h, 0, sizeof *h);
  h->key = xstrdup(key);
  h->mnt = xstrdup(m->point);
  h->own = own_in_mount(m, path);
  (*n)++;
}

int cg_parse_hierarchies(enum cgroup_mode mode, const char *proc_cgroup, const char *mountinfo,
                         struct cg_hier **out, size_t *n, struct error **err) {
  *out = NULL;
  *n = 0;
  struct mnt *ms = NULL;
  size_t nm = 0;
  for (const char *p = mountinfo; *p;) {
    const char *end = strchrnul(p, '\n');
    struct mnt m;
    if (parse_mount_line(p, (size_t)(end - p), &m)) {
      if (strcmp(m.fstype, "cgroup") == 0 || strcmp(m.fstype, "cgroup2") == 0) {
        ms = xrealloc(ms, (nm + 1) * sizeof *ms);
        ms[nm++] = m;
      } else {
        mnt_clear(&m);
      }
    }
    p = *end ? end + 1 : end;
  }

  int rc = 0;
  bool v2_line = false;
  for (const char *p = proc_cgroup; *p;) {
    const char *end = strchrnul(p, '\n');
    char *line = xasprintf("%.*s", (int)(end - p), p);
    p = *end ? end + 1 : end;
    char *c1 = strchr(line, ':');
    char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (c2 == NULL) {
      free(line);
      continue;
    }
    *c1 = *c2 = '\0';
    const char *id = line, *ctrls = c1 + 1, *path = c2 + 1;
    if (strcmp(id, "0") == 0 && ctrls[0] == '\0') {
      v2_line = true;
      const struct mnt *m = NULL;
      if (mode == CGROUP_MODE_UNIFIED)
        m = pick_mount(ms, nm, "cgroup2", NULL, "/sys/fs/cgroup", path);
      else if (mode == CGROUP_MODE_HYBRID)
        m = pick_mount(ms, nm, "cgroup2", NULL, "/sys/fs/cgroup/unified", path);
      if (m != NULL)
        add_hier(out, n, mode == CGROUP_MODE_UNIFIED ? "" : "unified", m, path);
      else if (mode == CGROUP_MODE_UNIFIED)
        rc = error_set(err, ERR_HOST_UNSUPPORTED, 0,
                       "no cgroup2 filesystem in /proc/self/mountinfo");
    } else if (mode != CGROUP_MODE_UNIFIED && ctrls[0] != '\0') {
      const struct mnt *m = pick_mount(ms, nm, "cgroup", ctrls, NULL, path);
      if (m != NULL) /* a hierarchy that is not mounted cannot be used */
        add_hier(out, n, ctrls, m, path);
    }
    free(line);
  }
  for (size_t i = 0; i < nm; i++)
    mnt_clear(&ms[i]);
  free(ms);

  if (rc == 0 && mode == CGROUP_MODE_UNIFIED && !v2_line)
    rc = error_set(err, ERR_HOST_UNSUPPORTED, 0,
                   "/proc/self/cgroup has no cgroup v2 entry (\"0::/path\")");
  if (rc == 0 && mode != CGROUP_MODE_UNIFIED) {
    bool any_v1 = false;
    for (size_t i = 0; i < *n; i++)
      any_v1 |= strcmp((*out)[i].key, "unified") != 0;
    if (!any_v1)
      rc = error_set(err, ERR_HOST_UNSUPPORTED, 0,
                     "no mounted cgroup v1 hierarchy matches /proc/self/cgroup");
  }
  if (rc < 0) {
    for (size_t i = 0; i < *n; i++)
      cg_hier_clear(&(*out)[i]);
    free(*out);
    *out = NULL;
    *n = 0;
  }
  return rc;
}
