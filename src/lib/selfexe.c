/* selfexe.c — re-execution from a sealed memfd copy (see selfexe.h). */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "debug.h"
#include "selfexe.h"
#include "util.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

extern char **environ;

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

static bool running_sealed(int exe) {
  int seals = fcntl(exe, F_GET_SEALS);
  return seals >= 0 && (seals & SEALS) == SEALS;
}

int selfexe_ensure_sealed(char **argv, struct error **err) {
  autoclose int exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (exe < 0)
    return error_sys(err, "open /proc/self/exe");
  if (running_sealed(exe)) {
    /* fexecve named the process after the fd ("3"): give ps its name back. */
    prctl(PR_SET_NAME, "contain", 0, 0, 0);
    return 0;
  }
  struct stat st;
  if (fstat(exe, &st) < 0)
    return error_sys(err, "stat /proc/self/exe");
  /* MFD_EXEC: kernels with vm.memfd_noexec would otherwise refuse to run the copy. */
  autoclose int mfd = memfd_create("contain", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
  if (mfd < 0 && errno == EINVAL)
    mfd = memfd_create("contain", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (mfd < 0)
    return error_sys(err, "memfd_create for a sealed copy of the runtime");
  off_t off = 0;
  while (off < st.st_size) {
    ssize_t n = sendfile(mfd, exe, &off, (size_t)(st.st_size - off));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return error_sys(err, "copy the runtime's binary into a memfd");
  }
  if (fcntl(mfd, F_ADD_SEALS, SEALS) < 0)
    return error_sys(err, "seal the memfd copy of the runtime");
  fexecve(mfd, argv, environ);
  return error_sys(err, "execute the sealed copy of the runtime");
}
