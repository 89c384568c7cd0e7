/* selfexe.h — what the container could reach of the runtime's binary.
 *
 * While the init or exec's child stands in the container it is a copy of the runtime
 * process, so its /proc/PID/exe is the runtime's binary; a container process could make
 * its execve load that binary again (a "#!/proc/self/exe" script, CVE-2019-5736) and
 * then write to it through /proc/PID/exe. Before a command enters a container, contain
 * re-executes itself from a sealed memfd copy of its binary: that copy, which cannot be
 * written, is all a container process could ever open. */
#ifndef CONTAIN_SELFEXE_H
#define CONTAIN_SELFEXE_H

#include "error.h"

/* Returns 0 when the running binary is already a sealed copy; else executes the copy
 * with the same arguments and environment (and returns -1 only when that failed). */
int selfexe_ensure_sealed(char **argv, struct error **err);

#endif
