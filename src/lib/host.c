/* host.c — facts about the host, probed once per process and cached. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/statfs.h>

#include <linux/magic.h>

#include "host.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

static enum cgroup_mode probe_cgroup_mode(void) {
  struct statfs fs;
  if (statfs("/sys/fs/cgroup", &fs) < 0)
    return CGROUP_MODE_UNKNOWN;
  if (fs.f_type == CGROUP2_SUPER_MAGIC)
    return CGROUP_MODE_UNIFIED;
  /* v1 hierarchies are mounted beneath a tmpfs; systemd's hybrid layout adds a cgroup2
   * at unified/. A v1 hierarchy mounted straight on /sys/fs/cgroup is legacy too. */
  if (fs.f_type == TMPFS_MAGIC) {
    struct statfs u;
    if (statfs("/sys/fs/cgroup/unified", &u) == 0 && u.f_type == CGROUP2_SUPER_MAGIC)
      return CGROUP_MODE_HYBRID;
    return CGROUP_MODE_LEGACY;
  }
  if (fs.f_type == CGROUP_SUPER_MAGIC)
    return CGROUP_MODE_LEGACY;
  return CGROUP_MODE_UNKNOWN;
}

enum cgroup_mode host_cgroup_mode(void) {
  /* Probed once: the layout does not change under a running process. */
  static enum cgroup_mode cached = CGROUP_MODE_UNKNOWN;
  static bool probed;
  if (!probed) {
    cached = probe_cgroup_mode();
    probed = true;
  }
  return cached;
}

const char *host_cgroup_mode_name(enum cgroup_mode m) {
  static const char *const names[] = {
      [CGROUP_MODE_UNKNOWN] = "none",
      [CGROUP_MODE_LEGACY] = "v1",
      [CGROUP_MODE_HYBRID] = "hybrid",
      [CGROUP_MODE_UNIFIED] = "v2",
  };
  if ((unsigned)m >= sizeof names / sizeof names[0])
    return "none";
  return names[m];
}
