/* netlink.h — the network work the init does itself over rtnetlink (libmnl). */
#ifndef CONTAIN_NETLINK_H
#define CONTAIN_NETLINK_H

#include "error.h"

/* Brings the loopback interface up; called in a new network namespace. */
int netlink_loopback_up(struct error **err);

#endif
