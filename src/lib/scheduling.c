/* scheduling.c — scheduler, I/O priority, CPU affinity, personality (see scheduling.h). */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "scheduling.h"
#include "util.h"

/* The kernel's struct sched_attr (sched_setattr(2)); glibc has no wrapper. */
struct kernel_sched_attr {
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
};

static const struct {
  const char *name;
  int value;
} policies[] = {
    {"SCHED_OTHER", 0}, {"SCHED_FIFO", 1}, {"SCHED_RR", 2},       {"SCHED_BATCH", 3},
    {"SCHED_ISO", 4},   {"SCHED_IDLE", 5}, {"SCHED_DEADLINE", 6},
};

static const struct {
  const char *name;
  uint64_t value;
} sched_flags[] = {
    {"SCHED_FLAG_RESET_ON_FORK", 0x01},  {"SCHED_FLAG_RECLAIM", 0x02},
    {"SCHED_FLAG_DL_OVERRUN", 0x04},     {"SCHED_FLAG_KEEP_POLICY", 0x08},
    {"SCHED_FLAG_KEEP_PARAMS", 0x10},    {"SCHED_FLAG_UTIL_CLAMP_MIN", 0x20},
    {"SCHED_FLAG_UTIL_CLAMP_MAX", 0x40},
};

static const struct {
  const char *name;
  int value;
} io_classes[] = {{"IOPRIO_CLASS_RT", 1}, {"IOPRIO_CLASS_BE", 2}, {"IOPRIO_CLASS_IDLE", 3}};

static int set_scheduler(const oci_process_scheduler *s, struct error **err) {
  struct kernel_sched_attr a = {.size = sizeof a, .sched_policy = (uint32_t)-1};
  for (size_t i = 0; i < sizeof policies / sizeof policies[0]; i++)
    if (strcmp(s->policy, policies[i].name) == 0)
      a.sched_policy = (uint32_t)policies[i].value;
  for (size_t i = 0; i < s->flags_len; i++)
    for (size_t k = 0; k < sizeof sched_flags / sizeof sched_flags[0]; k++)
      if (strcmp(s->flags[i], sched_flags[k].name) == 0)
        a.sched_flags |= sched_flags[k].value;
  a.sched_nice = s->nice;
  a.sched_priority = (uint32_t)s->priority;
  a.sched_runtime = s->runtime;
  a.sched_deadline = s->deadline;
  a.sched_period = s->period;
  if (syscall(SYS_sched_setattr, 0, &a, 0) < 0)
    return error_sys(err,
                     "config.json: .process.scheduler: sched_setattr %s (nice %d, priority %d)",
                     s->policy, s->nice, s->priority);
  return 0;
}

static int set_io_priority(const oci_process_io_priority *io, struct error **err) {
  int cls = 0;
  for (size_t i = 0; i < sizeof io_classes / sizeof io_classes[0]; i++)
    if (strcmp(io->class, io_classes[i].name) == 0)
      cls = io_classes[i].value;
  if (io->priority < 0 || io->priority > 7)
    return error_set(err, ERR_INVALID_CONFIG, 0,
                     "config.json: .process.ioPriority.priority: %d is not from 0 to 7",
                     io->priority);
  enum { IOPRIO_WHO_PROCESS = 1, IOPRIO_CLASS_SHIFT = 13 };
  if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, (cls << IOPRIO_CLASS_SHIFT) | io->priority) <
      0)
    return error_sys(err, "config.json: .process.ioPriority: ioprio_set %s %d", io->class,
                     io->priority);
  return 0;
}

int scheduling_apply(const oci_process *p, struct error **err) {
  if (p->scheduler && set_scheduler(p->scheduler, err) < 0)
    return -1;
  if (p->io_priority && set_io_priority(p->io_priority, err) < 0)
    return -1;
  return 0;
}

int scheduling_parse_cpus(const char *list, unsigned char *mask, size_t mask_bytes) {
  memset(mask, 0, mask_bytes);
  const char *s = list;
  if (*s == '\0')
    return -1;
  while (*s) {
    char *end;
    unsigned long lo = strtoul(s, &end, 10), hi = lo;
    if (end == s)
      return -1;
    if (*end == '-') {
      s = end + 1;
      hi = strtoul(s, &end, 10);
      if (end == s || hi < lo)
        return -1;
    }
    if (hi >= mask_bytes * 8)
      return -1;
    for (unsigned long c = lo; c <= hi; c++)
      mask[c / 8] |= (unsigned char)(1u << (c % 8));
    if (*end == ',')
      end++;
    else if (*end != '\0')
      return -1;
    s = end;
  }
  return 0;
}

int scheduling_cpu_affinity(const oci_process *p, bool final, struct error **err) {
  if (p->exec_cpu_affinity == NULL)
    return 0;
  const char *list = final ? p->exec_cpu_affinity->final : p->exec_cpu_affinity->initial;
  const char *field = final ? "final" : "initial";
  if (list == NULL || list[0] == '\0')
    return 0;
  cpu_set_t set;
  if (scheduling_parse_cpus(list, (unsigned char *)&set, sizeof set) < 0)
    return error_set(
        err, ERR_INVALID_CONFIG, 0,
        "config.json: .process.execCPUAffinity.%s: \"%s\" is not a cpu list (e.g. 0-3,7)", field,
        list);
  if (sched_setaffinity(0, sizeof set, &set) < 0)
    return error_sys(err, "config.json: .process.execCPUAffinity.%s: sched_setaffinity %s", field,
                     list);
  return 0;
}

int scheduling_personality(const oci_linux_personality *pers, struct error **err) {
  if (pers == NULL)
    return 0;
  if (pers->flags_len)
    return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                     "config.json: .linux.personality.flags: no flag is defined by the spec; "
                     "\"%s\" is not supported",
                     pers->flags[0]);
  unsigned long domain = strcmp(pers->domain, "LINUX32") == 0 ? PER_LINUX32 : PER_LINUX;
  if (personality(domain) < 0)
    return error_sys(err, "config.json: .linux.personality: personality(%s)", pers->domain);
  return 0;
}
