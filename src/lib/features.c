/* features.c — the features document (see features.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>

#include "features.h"
#include "lsm.h"
#include "mount-opts.h"
#include "namespaces.h"
#include "seccomp.h"
#include "util.h"

static void push(char ***v, size_t *n, const char *s) {
  *v = xrealloc(*v, (*n + 2) * sizeof **v);
  (*v)[(*n)++] = xstrdup(s);
  (*v)[*n] = NULL;
}

static void upper(char *s) {
  for (; *s; s++)
    if (*s >= 'a' && *s <= 'z')
      *s = (char)(*s - 'a' + 'A');
}

oci_features *features_get(void) {
  oci_features *f = xcalloc(1, sizeof *f);
  f->oci_version_min = xstrdup("1.0.0");
  f->oci_version_max = xstrdup("1.2.0");
  static const char *const hooks[] = {"prestart",       "createRuntime", "createContainer",
                                      "startContainer", "poststart",     "poststop"};
  for (size_t i = 0; i < sizeof hooks / sizeof hooks[0]; i++)
    push(&f->hooks, &f->hooks_len, hooks[i]);
  size_t nopts = 0;
  const char **opts = mount_opts_known(&nopts);
  for (size_t i = 0; i < nopts; i++)
    push(&f->mount_options, &f->mount_options_len, opts[i]);
  free(opts);

  oci_features_linux *l = xcalloc(1, sizeof *l);
  f->linux = l;
  for (int k = 0; k < NS_COUNT; k++) {
    char path[64];
    snprintf(path, sizeof path, "/proc/self/ns/%s", ns_proc_name((enum ns_kind)k));
    if (access(path, F_OK) == 0)
      push(&l->namespaces, &l->namespaces_len, ns_spec_name((enum ns_kind)k));
  }
  for (int v = 0; v < cap_max_bits(); v++) {
    char *name = cap_to_name(v);
    if (name && strncmp(name, "cap_", 4) == 0) {
      upper(name);
      push(&l->capabilities, &l->capabilities_len, name);
    }
    cap_free(name);
  }
  l->cgroup = xcalloc(1, sizeof *l->cgroup);
  l->cgroup->v1 = l->cgroup->v1_present = true;
  l->cgroup->v2 = l->cgroup->v2_present = true;
  l->cgroup->systemd_present = l->cgroup->systemd_user_present = true; /* false: no driver */
  l->cgroup->rdma = l->cgroup->rdma_present = true;
  l->seccomp = seccomp_features();
  /* The labels are applied whenever the host has the LSM (lsm.c). */
  l->apparmor = xcalloc(1, sizeof *l->apparmor);
  l->apparmor->enabled = l->apparmor->enabled_present = true;
  l->selinux = xcalloc(1, sizeof *l->selinux);
  l->selinux->enabled = l->selinux->enabled_present = true;
  l->intel_rdt = xcalloc(1, sizeof *l->intel_rdt);
  l->intel_rdt->enabled_present = true;
  l->mount_extensions = xcalloc(1, sizeof *l->mount_extensions);
  l->mount_extensions->idmap = xcalloc(1, sizeof *l->mount_extensions->idmap);
  l->mount_extensions->idmap->enabled_present = true;
  f->annotations = oci_string_map_new();
  oci_string_map_set(f->annotations, "io.github.contain.version", PACKAGE_VERSION);
  oci_string_map_set(f->annotations, "io.github.contain.commit", CONTAIN_COMMIT);
  return f;
}
