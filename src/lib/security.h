/* security.h — what the init applies to itself last, in this order:
 * rlimits, the bounding set, groups/gid/uid (keeping capabilities), the
 * effective/permitted/inheritable sets, ambient capabilities, no_new_privs.
 * Capability names are checked (and translated) before anything is applied, so a
 * bad name is a config error reported at create time. */
#ifndef CONTAIN_SECURITY_H
#define CONTAIN_SECURITY_H

#include <stdbool.h>

#include "error.h"
#include "oci-types.h"

/* RLIMIT_* name -> resource number, -1 when unknown. */
int security_rlimit_resource(const char *name);
/* Sets every process.rlimits entry; an unknown type is an error naming it. */
int security_rlimits(const oci_process *p, struct error **err);
/* Checks capability names; `where` prefixes the JSON path in errors. */
int security_check_caps(const oci_process *p, const char *where, struct error **err);
/* Drops the bounding set, switches to process.user, sets the capability sets. */
/* keep_sys_admin (seccomp_needs_sys_admin): CAP_SYS_ADMIN is left in the effective and
 * permitted sets too, for seccomp_apply, which takes it out again after loading the filter. */
int security_user_and_caps(const oci_process *p, bool in_userns, bool keep_sys_admin,
                           struct error **err);
int security_no_new_privs(const oci_process *p, struct error **err);

#endif
