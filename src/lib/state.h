/* state.h — what contain keeps of a container under --root:
 *   <root>/<id>/            mode 0711, flock'ed by every command that changes it
 *   <root>/<id>/state.json  the runtime state (oci_runtime_state), replaced atomically
 *   <root>/<id>/config.json the config the container was created from
 *   <root>/<id>/exec.fifo   exists from create until start
 * The status is not stored: it is derived from the kernel each time (the init's
 * pid and start time, so a reused PID is never taken for the container). */
#ifndef CONTAIN_STATE_H
#define CONTAIN_STATE_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "oci-types.h"

#define STATE_FIFO "exec.fifo"

enum status { STATUS_CREATING, STATUS_CREATED, STATUS_RUNNING, STATUS_PAUSED, STATUS_STOPPED };
const char *status_name(enum status s);

struct container_dir {
  char *id;
  char *path; /* <root>/<id> */
  int dirfd;  /* O_DIRECTORY; holds the lock when locked */
  int rootfd;
};

/* An id is a non-empty name without '/', that is not "." or "..". */
int state_check_id(const char *id, struct error **err);
/* Opens (and with `create`, makes) the root directory. */
int state_root_open(const char *root, bool create, int *rootfd, struct error **err);
/* Makes <root>/<id>; ERR_EXISTS when it is there already. Locked on return. */
int state_dir_create(const char *root, const char *id, struct container_dir *d, struct error **err);
/* Opens <root>/<id>, locked when `lock`; ERR_NOT_FOUND ("container does not exist"). */
int state_dir_open(const char *root, const char *id, bool lock, struct container_dir *d,
                   struct error **err);
void state_dir_close(struct container_dir *d);
/* Removes the directory and all contain put in it. */
int state_dir_remove(struct container_dir *d, struct error **err);

int state_read(const struct container_dir *d, oci_runtime_state **out, struct error **err);
int state_write(const struct container_dir *d, const oci_runtime_state *st, struct error **err);

/* The start time of a process (field 22 of /proc/PID/stat), 0 if it is gone or a zombie. */
unsigned long long proc_start_time(pid_t pid);
/* Whether the init recorded in st is still that process. */
bool state_init_alive(const oci_runtime_state *st);
/* A pidfd of the init, checked (once it pins the process) to be the recorded one;
 * -1 with errno ESRCH when the init is gone. */
int state_init_pidfd(const oci_runtime_state *st);
/* The config the container was made from, as saved at create; NULL if unreadable. */
oci_config *state_saved_config(const struct container_dir *d);
/* Status from the kernel: the init's liveness, the exec fifo, the freezer. */
enum status state_status(const struct container_dir *d, const oci_runtime_state *st);

/* The ids under root, sorted. */
int state_list_ids(const char *root, char ***ids, size_t *n, struct error **err);

#endif
