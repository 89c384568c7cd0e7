/* check.h — `contain check`: what this host offers a container, and what a bundle asks
 * for that it cannot give, as data. The command layer prints the report (a table, or
 * JSON); nothing here prints.
 *
 * Every probe reads (files of /proc, /sys, the cgroupfs) or runs in a forked child that
 * leaves nothing behind; check_host and check_bundle never write to a cgroup. Only
 * check_fix_cgroups changes anything, and only where it is safe (see below). */
#ifndef CONTAIN_CHECK_H
#define CONTAIN_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

enum check_status {
  CHECK_OK,      /* works here */
  CHECK_WARN,    /* works, with a caveat the detail gives */
  CHECK_MISSING, /* does not work here; the fix says what would */
};

struct check_item {
  char *section; /* "cgroup", "namespaces", "security", "kernel", "bundle" */
  char *name;    /* "cgroup.mode", "ns.user"...; in the bundle section the field's JSON path
                    in config.json ("process.apparmorProfile", "linux.resources.memory") */
  enum check_status status;
  char *detail; /* what was found and why it matters, one line */
  char *fix;    /* a concrete command or change, NULL when there is nothing to do */
};

struct check_report {
  struct check_item *items;
  size_t n;
  char *bundle;  /* the bundle checked (as given), NULL without one */
  bool runnable; /* with a bundle: none of its items is missing */
};

/* The host's items: cgroups (mode, the caller's cgroups, controllers, processes,
 * writability), whether this is a container and which, systemd; namespaces; seccomp,
 * capabilities, no_new_privs, LSMs; the kernel's mount API, idmapped mounts, clone3,
 * pidfds, overlayfs. */
void check_host(struct check_report *r);

/* The bundle's items, field by field: what its config.json asks that this host (or
 * contain) cannot do, and config_load's verdict. Sets r->bundle and r->runnable.
 * systemd_cgroup: the global --systemd-cgroup was given. */
void check_bundle(struct check_report *r, const char *bundle_dir, bool systemd_cgroup);

void check_report_free(struct check_report *r);
const char *check_status_name(enum check_status s); /* "ok", "warn", "missing" */

/* --fix-cgroups: on cgroup v2, when this process stands at the root of a cgroup namespace
 * that is not the host's (a container's, as container-in-container setups have), moves
 * every process of that root cgroup into a leaf <root>/init and enables the available
 * controllers in the root's cgroup.subtree_control, so that they can be delegated to the
 * containers beneath. Each step is handed to step() as a line, before it is taken.
 * Refused (an error saying why, nothing changed) on the host's cgroup namespace, below a
 * namespace root, on a read-only cgroupfs, and on v1 or hybrid hosts (whose controllers
 * are v1 hierarchies, which have no such rule). Returns 0 when done or nothing was to do. */
typedef void (*check_step_fn)(const char *line, void *ctx);
int check_fix_cgroups(check_step_fn step, void *ctx, struct error **err);

#endif
