/* devices-bpf.h — the cgroup v2 device filter: an eBPF BPF_PROG_TYPE_CGROUP_DEVICE program
 * generated from linux.resources.devices and attached to the container's cgroup.
 *
 * The rules go through the same emulation of the v1 devices controller that runc uses, so a
 * config means the same on v1 and v2:
 *  - the policy starts from deny-all, the config's rules apply in order, then the default
 *    devices (cg_default_devices: mknod of any device, /dev/null, zero, full, random,
 *    urandom, tty, ptmx, pts/N, net/tun) are allowed after them, as runc adds them;
 *  - a rule of type "a" for every device and every access (a *:* rwm) resets the policy:
 *    allow-all or deny-all, exceptions forgotten; a narrower "a" rule stands for a "c" and a
 *    "b" rule (as the v1 driver writes it);
 *  - a rule that goes the default's way is an exception (allow under deny-all, deny under
 *    allow-all) and is added, its access merged with an exception of the same device; the
 *    other way it takes its access out of the exception of exactly that device (the last rule
 *    wins), and it is an error when a wildcard exception (c 1:*, c *:3, c *:*) grants any of
 *    that access: v1 cannot punch a hole into a wildcard, and neither does runc;
 *  - a request is allowed when one exception covers its device and all of its access
 *    (open O_RDWR needs one rule with "rw"), or when the policy is allow-all and no deny
 *    exception takes any of its access.
 * The program tests the exceptions in turn (type, then access, major, minor: a wildcard is
 * not tested) and returns the default when none matches.
 *
 * Loading needs CAP_BPF or CAP_SYS_ADMIN (root); a program replaces the device programs
 * attached to the cgroup before it (BPF_F_REPLACE where the kernel has it, else attach then
 * detach), so an update is never a moment without a filter. */
#ifndef CONTAIN_DEVICES_BPF_H
#define CONTAIN_DEVICES_BPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroup-internal.h"
#include "error.h"

/* The policy after emulation: a default and exceptions (their `allow` is !default_allow),
 * each of type 'c' or 'b', with a distinct (type, major, minor), in runc's order. */
enum { DEVBPF_WHY = 512 }; /* the size of the reason buffers */

struct devbpf_policy {
  bool default_allow;
  struct cg_dev *ex;
  size_t n;
};

/* Runs rules, then (with_defaults) cg_default_devices, through the emulation. On failure
 * returns -1 with the index of the rule in *bad (n + i for the i-th default device) and the
 * reason in why. */
int devbpf_policy_make(const struct cg_dev *rules, size_t n, bool with_defaults,
                       struct devbpf_policy *out, size_t *bad, char why[DEVBPF_WHY]);
void devbpf_policy_clear(struct devbpf_policy *p);
/* Whether the policy lets a process have `access` (CG_DEV_R|W|M) to the device (type 'c'
 * or 'b'): what the generated program answers. */
bool devbpf_policy_allows(const struct devbpf_policy *p, char type, int64_t major, int64_t minor,
                          unsigned access);

/* The program (struct bpf_insn, 8 bytes each) for a policy: malloc'd in *insns. */
int devbpf_program(const struct devbpf_policy *p, void **insns, size_t *n_insns,
                   struct error **err);
/* Runs a program as the kernel would for one request (an interpreter of the few
 * instructions devbpf_program emits): 1 allowed, 0 denied, -1 not a program of ours. */
int devbpf_run(const void *insns, size_t n_insns, char type, uint32_t major, uint32_t minor,
               unsigned access);

/* The checks of linux.resources.devices for cgroup v2, before anything is made: the rules'
 * form (cg_device_rules) and the emulation; the error names the rule. */
int devbpf_check(const struct cg_dev *rules, size_t n, struct error **err);
/* Generates, loads and attaches the filter to the cgroup (cgroup_fd: an O_DIRECTORY fd of
 * it, path: for messages), replacing the device programs attached there before. */
int devbpf_apply(int cgroup_fd, const char *path, const struct cg_dev *rules, size_t n,
                 struct error **err);

#endif
