/* host.h — facts about the host, probed once per process and cached.
 * Shared by the cgroup drivers, the rootfs code, `check` and `features`. */
#ifndef CONTAIN_HOST_H
#define CONTAIN_HOST_H

#include <stdbool.h>

enum cgroup_mode {
  CGROUP_MODE_UNKNOWN = 0, /* no cgroup filesystem found at /sys/fs/cgroup */
  CGROUP_MODE_LEGACY,      /* v1 controllers only */
  CGROUP_MODE_HYBRID,      /* v1 controllers + cgroup2 at /sys/fs/cgroup/unified */
  CGROUP_MODE_UNIFIED,     /* cgroup2 at /sys/fs/cgroup */
};

enum cgroup_mode host_cgroup_mode(void);
const char *host_cgroup_mode_name(enum cgroup_mode m); /* "v1", "hybrid", "v2", "none" */

#endif
