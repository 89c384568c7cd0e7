/* scheduling.h — how the kernel runs the container's process: process.scheduler
 * (sched_setattr), process.ioPriority (ioprio_set), process.execCPUAffinity (the
 * initial mask while the runtime works in the container, the final one for the
 * process) and linux.personality. Names are checked by the schema; values here. */
#ifndef CONTAIN_SCHEDULING_H
#define CONTAIN_SCHEDULING_H

#include <stdbool.h>

#include "error.h"
#include "oci-types.h"

int scheduling_apply(const oci_process *p, struct error **err);
/* which: the "initial" or the "final" list of execCPUAffinity; absent is fine. */
int scheduling_cpu_affinity(const oci_process *p, bool final, struct error **err);
int scheduling_personality(const oci_linux_personality *pers, struct error **err);
/* Parses a cpu list such as "0-3,7" into a mask; -1 when malformed. Pure. */
int scheduling_parse_cpus(const char *list, unsigned char *mask, size_t mask_bytes);

#endif
