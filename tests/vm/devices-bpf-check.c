/* devices-bpf-check.c — checks of the cgroup v2 device filter (src/lib/devices-bpf.c).
 *
 *   devices-bpf-check [CGROUP_DIR]
 *
 * Without an argument, the pure part: the emulation of the v1 rules (the default devices
 * after the rules, "a" resets, merging, last rule wins, holes in wildcards refused) and,
 * for thousands of random rule lists, that the generated program (run by devbpf_run, an
 * interpreter of it) answers every request as the policy does. With a cgroup v2 directory
 * (an empty one, made for the purpose), also the kernel: the program is loaded, attached,
 * replaced three times (one program stays attached), and a child moved into the cgroup
 * opens devices: allowed, or refused with EPERM. Prints "ok (0 failures)" when all passed.
 * Built by tests/vm/run-suite.sh against the build tree's libcontain.a. */
#include "devices-bpf.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

static int fails;
#define CHECK(c, ...)                                                                              \
  do {                                                                                             \
    if (!(c)) {                                                                                    \
      fails++;                                                                                     \
      printf("FAIL %s:%d: ", __FILE__, __LINE__);                                                  \
      printf(__VA_ARGS__);                                                                         \
      printf("\n");                                                                                \
    }                                                                                              \
  } while (0)

static struct cg_dev R(bool allow, char t, int64_t ma, int64_t mi, unsigned acc) {
  return (struct cg_dev){.allow = allow, .type = t, .major = ma, .minor = mi, .access = acc};
}

static void
cross_check(const struct cg_dev *rules, size_t n, bool defaults, const char *name) {
  struct devbpf_policy p;
  size_t bad;
  char why[DEVBPF_WHY];
  if (devbpf_policy_make(rules, n, defaults, &p, &bad, why) < 0) {
    printf("%s: refused rule %zu: %s\n", name, bad, why);
    return;
  }
  void *insns;
  size_t ni;
  struct error *e = NULL;
  CHECK(devbpf_program(&p, &insns, &ni, &e) == 0, "program");
  for (int t = 0; t < 2; t++)
    for (int ma = 0; ma < 12; ma++)
      for (int mi = 0; mi < 12; mi++)
        for (unsigned a = 1; a < 8; a++) {
          char ty = t ? 'c' : 'b';
          int want = devbpf_policy_allows(&p, ty, ma, mi, a);
          int got = devbpf_run(insns, ni, ty, ma, mi, a);
          CHECK(want == got, "%s: %c %d:%d acc %u: policy %d program %d", name, ty, ma, mi, a, want,
                got);
        }
  free(insns);
  devbpf_policy_clear(&p);
}

static bool allows(const struct cg_dev *rules, size_t n, char t, int ma, int mi, unsigned a) {
  struct devbpf_policy p;
  size_t bad;
  char why[DEVBPF_WHY];
  if (devbpf_policy_make(rules, n, true, &p, &bad, why) < 0)
    return false;
  bool r = devbpf_policy_allows(&p, t, ma, mi, a);
  devbpf_policy_clear(&p);
  return r;
}

static int try_open(const char *cg, const char *path, int flags) {
  pid_t pid = fork();
  if (pid == 0) {
    char f[512];
    snprintf(f, sizeof f, "%s/cgroup.procs", cg);
    int fd = open(f, O_WRONLY);
    if (fd < 0 || write(fd, "0", 1) != 1)
      _exit(100);
    close(fd);
    fd = open(path, flags);
    _exit(fd >= 0 ? 0 : errno);
  }
  int st;
  waitpid(pid, &st, 0);
  return WEXITSTATUS(st);
}

int main(int argc, char **argv) {
  /* semantics */
  struct cg_dev deny_all = R(false, 'a', -1, -1, 7), allow_all = R(true, 'a', -1, -1, 7);
  struct cg_dev r1[] = {deny_all};
  CHECK(allows(r1, 1, 'c', 1, 3, CG_DEV_R | CG_DEV_W), "/dev/null via defaults");
  CHECK(!allows(r1, 1, 'c', 1, 4, CG_DEV_R), "1:4 denied");
  CHECK(allows(r1, 1, 'c', 7, 7, CG_DEV_M), "mknod default");
  CHECK(allows(r1, 1, 'c', 136, 5, CG_DEV_W), "pts");
  struct cg_dev r2[] = {deny_all, R(false, 'c', 1, 3, 7)};
  CHECK(allows(r2, 2, 'c', 1, 3, CG_DEV_R), "default allowed after the rules");
  struct cg_dev r3[] = {deny_all, R(true, 'c', 4, -1, CG_DEV_R), R(true, 'c', 4, -1, CG_DEV_W)};
  CHECK(allows(r3, 3, 'c', 4, 9, CG_DEV_R | CG_DEV_W), "merged rw");
  struct cg_dev r4[] = {deny_all, R(true, 'c', 4, 1, CG_DEV_R | CG_DEV_W),
                        R(false, 'c', 4, 1, CG_DEV_W)};
  CHECK(allows(r4, 3, 'c', 4, 1, CG_DEV_R) && !allows(r4, 3, 'c', 4, 1, CG_DEV_W) &&
            !allows(r4, 3, 'c', 4, 1, CG_DEV_R | CG_DEV_W),
        "last wins");
  struct cg_dev r5[] = {deny_all, R(true, 'c', 4, -1, 7), R(false, 'c', 4, 1, CG_DEV_W)};
  {
    struct devbpf_policy p;
    size_t bad;
    char why[DEVBPF_WHY];
    CHECK(devbpf_policy_make(r5, 3, true, &p, &bad, why) < 0 && bad == 2, "hole refused");
    printf("hole: %s\n", why);
  }
  struct cg_dev r6[] = {allow_all, R(false, 'b', 8, -1, CG_DEV_W)};
  CHECK(allows(r6, 2, 'b', 8, 0, CG_DEV_R) && !allows(r6, 2, 'b', 8, 0, CG_DEV_W) &&
            !allows(r6, 2, 'b', 8, 0, CG_DEV_R | CG_DEV_W) && allows(r6, 2, 'c', 10, 1, CG_DEV_W),
        "allow-all with a deny");
  struct cg_dev r7[] = {deny_all, R(true, 'a', 5, -1, CG_DEV_R)};
  CHECK(allows(r7, 2, 'b', 5, 9, CG_DEV_R) && allows(r7, 2, 'c', 5, 9, CG_DEV_R) &&
            !allows(r7, 2, 'c', 5, 9, CG_DEV_W),
        "narrow a");
  struct cg_dev r8[] = {R(true, 'c', 9, 9, 7), allow_all, deny_all};
  CHECK(!allows(r8, 3, 'c', 9, 9, CG_DEV_R), "reset drops exceptions");
  cross_check(r1, 1, true, "r1");
  cross_check(r3, 3, true, "r3");
  cross_check(r4, 3, true, "r4");
  cross_check(r6, 2, true, "r6");
  cross_check(r7, 2, true, "r7");
  cross_check(r6, 2, false, "r6n");
  /* random rule lists: the program answers as the policy */
  srand(42);
  for (int it = 0; it < 3000; it++) {
    struct cg_dev rr[8];
    size_t n = (size_t)(rand() % 8);
    for (size_t i = 0; i < n; i++)
      rr[i] = R(rand() % 2, "abc"[rand() % 3], rand() % 3 ? rand() % 12 : -1,
                rand() % 3 ? rand() % 12 : -1, 1 + rand() % 7);
    char name[32];
    snprintf(name, sizeof name, "rand%d", it);
    struct devbpf_policy p;
    size_t bad;
    char why[DEVBPF_WHY];
    if (devbpf_policy_make(rr, n, rand() % 2, &p, &bad, why) < 0)
      continue;
    devbpf_policy_clear(&p);
    cross_check(rr, n, it % 2, name);
    if (fails > 5)
      break;
  }
  /* the kernel */
  if (argc > 1) {
    const char *cg = argv[1];
    int fd = open(cg, O_RDONLY | O_DIRECTORY);
    struct cg_dev k1[] = {deny_all};
    struct error *e = NULL;
    CHECK(devbpf_apply(fd, cg, k1, 1, &e) == 0, "apply: %s", e ? e->msg : "");
    CHECK(try_open(cg, "/dev/null", O_RDWR) == 0, "null");
    int r = try_open(cg, "/dev/kmsg", O_RDONLY);
    CHECK(r == EPERM, "kmsg denied: %d", r);
    /* replace: allow kmsg (1:11) read */
    struct cg_dev k2[] = {deny_all, R(true, 'c', 1, 11, CG_DEV_R)};
    CHECK(devbpf_apply(fd, cg, k2, 2, &e) == 0, "apply2: %s", e ? e->msg : "");
    r = try_open(cg, "/dev/kmsg", O_RDONLY);
    CHECK(r == 0, "kmsg read allowed: %d", r);
    r = try_open(cg, "/dev/kmsg", O_WRONLY);
    CHECK(r == EPERM, "kmsg write denied: %d", r);
    struct cg_dev k3[] = {allow_all, R(false, 'c', 1, 3, CG_DEV_W)};
    CHECK(devbpf_apply(fd, cg, k3, 2, &e) == 0, "apply3: %s", e ? e->msg : "");
    r = try_open(cg, "/dev/null", O_RDONLY);
    CHECK(r == 0, "null read: %d", r);
    r = try_open(cg, "/dev/null", O_RDWR);
    CHECK(r == 0, "null rdwr: the default devices come after the rules: %d", r);
    struct cg_dev k4[] = {allow_all, R(false, 'c', 1, 11, CG_DEV_W)};
    CHECK(devbpf_apply(fd, cg, k4, 2, &e) == 0, "apply4: %s", e ? e->msg : "");
    r = try_open(cg, "/dev/kmsg", O_RDWR);
    CHECK(r == EPERM, "kmsg rdwr denied (partial overlap with a deny): %d", r);
    r = try_open(cg, "/dev/kmsg", O_RDONLY);
    CHECK(r == 0, "kmsg read: %d", r);
    union bpf_attr a;
    uint32_t ids[16];
    memset(&a, 0, sizeof a);
    a.query.target_fd = fd;
    a.query.attach_type = BPF_CGROUP_DEVICE;
    a.query.prog_ids = (uint64_t)(uintptr_t)ids;
    a.query.prog_cnt = 16;
    CHECK(syscall(SYS_bpf, BPF_PROG_QUERY, &a, sizeof a) == 0 && a.query.prog_cnt == 1,
          "one program attached: %u", a.query.prog_cnt);
    r = try_open(cg, "/dev/kmsg", O_RDONLY);
    CHECK(r == 0, "kmsg allowed in allow-all: %d", r);
  }
  printf("%s (%d failures)\n", fails ? "FAILED" : "ok", fails);
  return fails != 0;
}
