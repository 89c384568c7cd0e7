/* lsm.h — Linux security module labels: process.apparmorProfile and
 * process.selinuxLabel, applied to the process's next execve through
 * /proc/thread-self/attr. A label asked for on a host without that LSM is an error
 * that says so (contain never runs a container without the confinement it asked for). */
#ifndef CONTAIN_LSM_H
#define CONTAIN_LSM_H

#include <stdbool.h>

#include "error.h"
#include "oci-types.h"

bool lsm_apparmor_enabled(void);
bool lsm_selinux_enabled(void);
/* Checked at create/exec time, before anything is made. */
int lsm_check(const oci_process *p, const char *where, struct error **err);
/* In the process, before execve (after the pivot: /proc is the container's). */
int lsm_apply(const oci_process *p, struct error **err);

#endif
