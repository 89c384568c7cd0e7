/* lsm.c — AppArmor and SELinux labels for the container's process (see lsm.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "lsm.h"
#include "util.h"

#define SELINUX_MAGIC 0xf97cff8c

bool lsm_apparmor_enabled(void) {
  autofree char *v = NULL;
  struct error *e = NULL;
  bool on = read_file("/sys/module/apparmor/parameters/enabled", &v, NULL, &e) == 0 && v[0] == 'Y';
  error_free(e);
  return on;
}

bool lsm_selinux_enabled(void) {
  struct statfs sf;
  return statfs("/sys/fs/selinux", &sf) == 0 && sf.f_type == SELINUX_MAGIC;
}

int lsm_check(const oci_process *p, const char *where, struct error **err) {
  if (p->apparmor_profile && p->apparmor_profile[0] && !lsm_apparmor_enabled())
    return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                     "%s.apparmorProfile: \"%s\" is asked for, but AppArmor is not enabled on "
                     "this host (/sys/module/apparmor/parameters/enabled); remove the field or "
                     "run on a host with AppArmor",
                     where, p->apparmor_profile);
  if (p->selinux_label && p->selinux_label[0] && !lsm_selinux_enabled())
    return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                     "%s.selinuxLabel: \"%s\" is asked for, but SELinux is not enabled on this "
                     "host (no selinuxfs at /sys/fs/selinux); remove the field or run on a host "
                     "with SELinux",
                     where, p->selinux_label);
  return 0;
}

/* Newer kernels keep each LSM's attributes in a directory of its own. */
static int write_attr(const char *lsm, const char *value, struct error **err) {
  autofree char *own = xasprintf("/proc/thread-self/attr/%s/exec", lsm);
  const char *path = access(own, F_OK) == 0 ? own : "/proc/thread-self/attr/exec";
  if (write_file(path, value, strlen(value), err) < 0)
    return error_prefix(err, "set the %s label for the process's execve", lsm);
  return 0;
}

int lsm_apply(const oci_process *p, struct error **err) {
  if (p->apparmor_profile && p->apparmor_profile[0]) {
    autofree char *v = xasprintf("exec %s", p->apparmor_profile);
    if (write_attr("apparmor", v, err) < 0)
      return -1;
  }
  if (p->selinux_label && p->selinux_label[0] && write_attr("selinux", p->selinux_label, err) < 0)
    return -1;
  return 0;
}
