/* cgroup-cmds.h — the commands that act on an existing container's cgroup (src/cmd/pause.c,
 * update.c, ps.c, events.c), over libcontain's control.h. Included from cli.h / contain.c. */
#ifndef CONTAIN_CGROUP_CMDS_H
#define CONTAIN_CGROUP_CMDS_H

#include "cli.h"

int cmd_pause(struct global *g, int argc, char **argv, struct error **err);
int cmd_resume(struct global *g, int argc, char **argv, struct error **err);
int cmd_update(struct global *g, int argc, char **argv, struct error **err);
int cmd_ps(struct global *g, int argc, char **argv, struct error **err);
int cmd_events(struct global *g, int argc, char **argv, struct error **err);

#endif
