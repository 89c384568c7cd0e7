/* cmd/check.h — `contain check`, the host and bundle diagnosis (see src/lib/check.h). */
#ifndef CONTAIN_CMD_CHECK_H
#define CONTAIN_CMD_CHECK_H

#include "cli.h"

int cmd_check(struct global *g, int argc, char **argv, struct error **err);

#endif
