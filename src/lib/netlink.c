/* netlink.c — bringing "lo" up over rtnetlink with libmnl (see netlink.h). */
#include <errno.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <libmnl/libmnl.h>

#include "netlink.h"

/* RTM_NEWLINK on the interface named "lo" (ifi_index 0: the kernel looks the name
 * up) with IFF_UP set in both flags and change mask, then the kernel's ack: its
 * error, if any, is the error. */
int netlink_loopback_up(struct error **err) {
  /* MNL_SOCKET_BUFFER_SIZE is a variable (it follows the page size); an ack or an
   * error for one small request fits in far less. */
  char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
  struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
  if (nl == NULL)
    return error_sys(err, "bring lo up: open an rtnetlink socket");
  int ret = -1;
  if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
    error_sys(err, "bring lo up: bind the rtnetlink socket");
    goto out;
  }
  /* The request is small; zeroed, its attribute padding is not sent uninitialised. */
  memset(buf, 0, 256);
  struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
  nlh->nlmsg_type = RTM_NEWLINK;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  uint32_t seq = (uint32_t)time(NULL);
  nlh->nlmsg_seq = seq;
  struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof *ifm);
  ifm->ifi_family = AF_UNSPEC;
  ifm->ifi_index = 0;
  ifm->ifi_flags = IFF_UP;
  ifm->ifi_change = IFF_UP;
  mnl_attr_put_strz(nlh, IFLA_IFNAME, "lo");
  if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
    error_sys(err, "bring lo up: send RTM_NEWLINK");
    goto out;
  }
  unsigned int portid = mnl_socket_get_portid(nl);
  for (;;) {
    ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      error_sys(err, "bring lo up: read the kernel's answer");
      goto out;
    }
    int r = mnl_cb_run(buf, (size_t)n, seq, portid, NULL, NULL);
    if (r == MNL_CB_ERROR) {
      error_sys(err, "bring lo up: RTM_NEWLINK");
      goto out;
    }
    if (r == MNL_CB_STOP)
      break;
  }
  ret = 0;
out:
  mnl_socket_close(nl);
  return ret;
}
