/* check-internal.h — what the parts of `check` share: check.c (the report, the host's
 * namespaces, security and kernel items), check-cgroup.c (everything about cgroups, the
 * container and systemd, and --fix-cgroups) and check-bundle.c (a bundle's fields).
 * Not part of libcontain's API. */
#ifndef CONTAIN_CHECK_INTERNAL_H
#define CONTAIN_CHECK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroup-internal.h"
#include "check.h"
#include "host.h"
#include "oci-types.h"

/* Adds an item; fix is taken over (malloc'd, or NULL), detail is formatted. */
void check_add(struct check_report *r, const char *section, const char *name, enum check_status st,
               char *fix, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The item named name that is missing, if any (for a verdict not to be said twice). */
bool check_has_missing(const struct check_report *r, const char *name);

/* The config field an error message begins with: "linux.resources.memory" of
 * "linux.resources.memory: ...", "process.apparmorProfile" of "config.json: .process.
 * apparmorProfile: ..."; NULL when it names none. */
char *check_field_of(const char *msg);
/* msg without that leading "field: " (or "config.json: .field: "), for an item named so. */
const char *check_after_field(const char *msg);

/* A hex field of /proc/self/status ("CapEff:", "CapBnd:"), 0 when not found. */
uint64_t check_status_hex(const char *field);

/* The caller's place in the cgroup tree, found once from /proc/self/cgroup and mountinfo. */
struct check_cg {
  enum cgroup_mode mode;
  struct cg_hier *h; /* every hierarchy the driver uses (cg_parse_hierarchies) */
  size_t n;
  char *error;              /* why they could not be found; NULL when they were */
  const struct cg_hier *v2; /* the cgroup2 one (key "" on v2, "unified" on hybrid), or NULL */
};
void check_cg_load(struct check_cg *c);
void check_cg_clear(struct check_cg *c);

/* A whole small file (cgroupfs, /proc), trailing newlines removed; NULL when unreadable. */
char *check_read(const char *dir, const char *file);
/* Number of lines of dir/cgroup.procs, -1 when unreadable. */
long check_count_procs(const char *dir);
/* Whether the directory can be written: 0, or EROFS / EACCES ... (nothing is written). */
int check_writable(const char *dir);
/* Whether dir is the real root of its cgroup hierarchy (not a namespace's root): the real
 * root has no cgroup.type file. */
bool check_cg_is_true_root(const char *dir);
/* Whether word is one of the space-separated words of list. */
bool check_has_word(const char *list, const char *word);

void check_cgroup_host(struct check_report *r, const struct check_cg *c);
/* linux.cgroupsPath and linux.resources of a bundle. */
void check_cgroup_bundle(struct check_report *r, const struct check_cg *c, const oci_config *cfg,
                         bool systemd_cgroup);

#endif
