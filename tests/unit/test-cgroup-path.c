/* The pure parts of the cgroup drivers, without root: cgroupsPath cleaning, the
 * hierarchies found from /proc/self/cgroup + mountinfo of several host layouts, the
 * spec -> cgroup v2 value conversions, device rules and the checks of names. */
#include "unit.h"

#include <stdint.h>

#include "cgroup-internal.h"
#include "oci-types.h"

static void clean(const char *in, const char *want, int want_abs) {
  bool abs = false;
  char *got = cg_clean_path(in, &abs);
  CHECK_STR(got, want);
  CHECK(abs == (want_abs != 0));
  free(got);
}

static void test_clean_path(void) {
  clean("/a/b", "a/b", 1);
  clean("a/b/", "a/b", 0);
  clean("//a//./b/", "a/b", 1);
  clean("/a/../b", "b", 1);
  clean("/../../x", "x", 1);    /* never above the hierarchy root */
  clean("../../x", "x", 0);     /* never above the caller's own cgroup */
  clean("a/b/../../..", "", 0); /* the own cgroup itself */
  clean("/", "", 1);
  clean("", "", 0);
  clean(NULL, "", 0);
  clean(".", "", 0);
  clean("..a/b..", "..a/b..", 0); /* only whole components are special */
  clean("/x/./y/../z", "x/z", 1);
}

static void test_systemd_form(void) {
  CHECK(cg_is_systemd_path("system.slice:docker:abc"));
  CHECK(cg_is_systemd_path("user.slice::x"));
  CHECK(!cg_is_systemd_path("/system.slice:docker:abc"));
  CHECK(!cg_is_systemd_path("a:b"));
  CHECK(!cg_is_systemd_path("a/b"));
  CHECK(!cg_is_systemd_path(""));
  CHECK(!cg_is_systemd_path(NULL));
}

static void join(const char *base, const char *rel, const char *want) {
  char *got = cg_join(base, rel);
  CHECK_STR(got, want);
  free(got);
}

static void test_join_within(void) {
  join("/sys/fs/cgroup", "a/b", "/sys/fs/cgroup/a/b");
  join("/sys/fs/cgroup/", "/a", "/sys/fs/cgroup/a");
  join("/sys/fs/cgroup", "", "/sys/fs/cgroup");
  join("/", "a", "/a");
  join("/", "", "/");
  CHECK(cg_path_within("/sys/fs/cgroup/a", "/sys/fs/cgroup"));
  CHECK(cg_path_within("/sys/fs/cgroup", "/sys/fs/cgroup"));
  CHECK(!cg_path_within("/sys/fs/cgroupx", "/sys/fs/cgroup"));
  CHECK(!cg_path_within("/sys/fs", "/sys/fs/cgroup"));
  CHECK(cg_path_within("/anything", "/"));
  CHECK(cg_key_has("cpu,cpuacct", "cpuacct"));
  CHECK(cg_key_has("cpu,cpuacct", "cpu"));
  CHECK(!cg_key_has("cpuset", "cpu"));
  CHECK(!cg_key_has("cpu,cpuacct", "cpuac"));
  CHECK(cg_key_has("name=systemd", "name=systemd"));
}

/* ---- /proc/self/cgroup + mountinfo ------------------------------------------------------- */

static const char hybrid_proc[] = "9:name=systemd:/\n"
                                  "8:pids:/\n"
                                  "4:memory:/process_api/aa39\n"
                                  "2:cpu,cpuacct:/user.slice\n"
                                  "0::/\n";
static const char hybrid_mi[] =
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime shared:9 - cgroup cgroup rw,pids\n"
    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n"
    "50 23 0:40 / /mnt/with\\040space rw - ext4 /dev/vda rw\n";

static const struct cg_hier *find(const struct cg_hier *h, size_t n, const char *key) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(h[i].key, key) == 0)
      return &h[i];
  return NULL;
}

static void free_hiers(struct cg_hier *h, size_t n) {
  for (size_t i = 0; i < n; i++)
    cg_hier_clear(&h[i]);
  free(h);
}

static void test_hybrid(void) {
  struct cg_hier *h = NULL;
  size_t n = 0;
  struct error *err = NULL;
  CHECK(cg_parse_hierarchies(CGROUP_MODE_HYBRID, hybrid_proc, hybrid_mi, &h, &n, &err) == 0);
  CHECK(n == 5);
  const struct cg_hier *m = find(h, n, "memory");
  CHECK(m != NULL);
  if (m) {
    CHECK_STR(m->mnt, "/sys/fs/cgroup/memory");
    CHECK_STR(m->own, "/sys/fs/cgroup/memory/process_api/aa39");
  }
  const struct cg_hier *c = find(h, n, "cpu,cpuacct");
  CHECK(c != NULL);
  if (c)
    CHECK_STR(c->own, "/sys/fs/cgroup/cpu,cpuacct/user.slice");
  const struct cg_hier *s = find(h, n, "name=systemd");
  CHECK(s != NULL);
  if (s)
    CHECK_STR(s->own, "/sys/fs/cgroup/systemd");
  const struct cg_hier *u = find(h, n, "unified");
  CHECK(u != NULL);
  if (u)
    CHECK_STR(u->own, "/sys/fs/cgroup/unified");
  free_hiers(h, n);

  /* The same host seen as legacy: no unified entry. */
  CHECK(cg_parse_hierarchies(CGROUP_MODE_LEGACY, hybrid_proc, hybrid_mi, &h, &n, &err) == 0);
  CHECK(n == 4 && find(h, n, "unified") == NULL);
  free_hiers(h, n);
}

static void test_unified(void) {
  const char proc[] = "0::/user.slice/user-0.slice/session-1.scope\n";
  const char mi[] = "25 21 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
                    "26 21 0:22 / /tmp/other rw - cgroup2 cgroup2 rw\n";
  struct cg_hier *h = NULL;
  size_t n = 0;
  struct error *err = NULL;
  CHECK(cg_parse_hierarchies(CGROUP_MODE_UNIFIED, proc, mi, &h, &n, &err) == 0);
  CHECK(n == 1);
  if (n == 1) {
    CHECK_STR(h[0].key, "");
    CHECK_STR(h[0].mnt, "/sys/fs/cgroup");
    CHECK_STR(h[0].own, "/sys/fs/cgroup/user.slice/user-0.slice/session-1.scope");
  }
  free_hiers(h, n);

  /* Outside our cgroup namespace: the own cgroup is not reachable. */
  CHECK(cg_parse_hierarchies(CGROUP_MODE_UNIFIED, "0::/../../x\n", mi, &h, &n, &err) == 0);
  CHECK(n == 1 && h[0].own == NULL);
  free_hiers(h, n);

  /* A container's bind mount of a subtree: root /docker/abc. */
  const char mi2[] = "30 20 0:22 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n";
  CHECK(cg_parse_hierarchies(CGROUP_MODE_UNIFIED, "0::/docker/abc/sub\n", mi2, &h, &n, &err) == 0);
  CHECK(n == 1);
  if (n == 1)
    CHECK_STR(h[0].own, "/sys/fs/cgroup/sub");
  free_hiers(h, n);

  /* No cgroup2 mount at all. */
  CHECK(cg_parse_hierarchies(CGROUP_MODE_UNIFIED, proc, "", &h, &n, &err) < 0);
  CHECK(err != NULL && strstr(err->msg, "no cgroup2") != NULL);
  error_free(err);
}

/* ---- conversions ------------------------------------------------------------------------- */

static void test_conversions(void) {
  static const uint64_t shares[][2] = {
      {0, 0},          {1, 1},          {2, 1},           {3, 2},      {10, 4},
      {512, 59},       {1024, 100},     {2048, 174},      {4096, 303}, {100000, 4340},
      {262143, 10000}, {262144, 10000}, {1000000, 10000},
  };
  for (size_t i = 0; i < sizeof shares / sizeof shares[0]; i++)
    CHECK(cg_cpu_shares_to_weight(shares[i][0]) == shares[i][1]);
  CHECK(cg_blkio_weight_to_io_weight(0) == 0);
  CHECK(cg_blkio_weight_to_io_weight(10) == 1);
  CHECK(cg_blkio_weight_to_io_weight(500) == 1 + 490 * 9999 / 990);
  CHECK(cg_blkio_weight_to_io_weight(1000) == 10000);
  CHECK(cg_blkio_weight_to_io_weight(5) == 1);

  int64_t out = 7;
  const char *why = NULL;
  CHECK(cg_swap_to_v2(0, 0, &out, &why) == 0 && out == 0);
  CHECK(cg_swap_to_v2(0, -1, &out, &why) == 0 && out == -1);
  CHECK(cg_swap_to_v2(-1, 100, &out, &why) == 0 && out == -1);
  CHECK(cg_swap_to_v2(300, 100, &out, &why) == 0 && out == 200);
  CHECK(cg_swap_to_v2(100, 100, &out, &why) == 0 && out == 0);
  CHECK(cg_swap_to_v2(50, 100, &out, &why) < 0 && strstr(why, ">= memory limit"));
  CHECK(cg_swap_to_v2(300, 0, &out, &why) < 0 && strstr(why, "needs a memory limit"));
  CHECK(cg_swap_to_v2(300, -1, &out, &why) < 0);

  char buf[48];
  CHECK_STR(cg_fmt_max(-1, buf), "max");
  CHECK_STR(cg_fmt_max(4096, buf), "4096");
  CHECK_STR(cg_cpu_max(true, 50000, true, 100000, NULL, buf), "50000 100000");
  CHECK_STR(cg_cpu_max(true, -1, false, 0, NULL, buf), "max 100000");
  CHECK_STR(cg_cpu_max(false, 0, true, 20000, NULL, buf), "max 20000");
  CHECK_STR(cg_cpu_max(true, 30000, false, 0, "max 50000", buf), "30000 50000");
  CHECK_STR(cg_cpu_max(false, 0, true, 10000, "40000 100000", buf), "40000 10000");
}

/* ---- devices ----------------------------------------------------------------------------- */

static struct cg_dev dev(bool allow, const char *type, int64_t major, int64_t minor,
                         const char *access) {
  struct cg_dev d;
  const char *why = NULL;
  if (cg_dev_make(allow, type, major != -2, major, minor != -2, minor, access, &d, &why) < 0) {
    fprintf(stderr, "bad rule in test: %s\n", why);
    abort();
  }
  return d;
}

static void test_devices(void) {
  struct cg_dev d;
  const char *why = NULL;
  char lines[2][64];
  CHECK(cg_dev_make(true, "x", false, 0, false, 0, "rwm", &d, &why) < 0);
  CHECK(cg_dev_make(true, NULL, false, 0, false, 0, "rq", &d, &why) < 0);
  CHECK(cg_dev_make(true, NULL, false, 0, false, 0, "", &d, &why) < 0);
  CHECK(cg_dev_make(true, "c", true, -5, false, 0, "r", &d, &why) < 0);

  d = dev(false, NULL, -2, -2, "rwm");
  CHECK(cg_dev_is_all(&d));
  CHECK(cg_dev_v1_lines(&d, lines) == 1);
  CHECK_STR(lines[0], "a");
  d = dev(true, "c", 10, 229, "wr");
  CHECK(cg_dev_v1_lines(&d, lines) == 1);
  CHECK_STR(lines[0], "c 10:229 rw");
  d = dev(true, "c", 136, -1, "rwm");
  cg_dev_v1_lines(&d, lines);
  CHECK_STR(lines[0], "c 136:* rwm");
  d = dev(true, "a", 7, -2, "r"); /* narrower than all: char + block lines */
  CHECK(cg_dev_v1_lines(&d, lines) == 2);
  CHECK_STR(lines[0], "c 7:* r");
  CHECK_STR(lines[1], "b 7:* r");

  size_t bad = 99;
  /* runc spec's default */
  struct cg_dev runc[] = {dev(false, NULL, -2, -2, "rwm")};
  CHECK(cg_devices_default_only(runc, 1, &bad, &why) == 0);
  CHECK(cg_devices_default_only(NULL, 0, &bad, &why) == 0);
  /* docker / containerd: deny all, then the defaults spelled out, console included */
  struct cg_dev docker[] = {
      dev(false, NULL, -2, -2, "rwm"), dev(true, "c", -2, -2, "m"),    dev(true, "b", -2, -2, "m"),
      dev(true, "c", 1, 3, "rwm"),     dev(true, "c", 1, 9, "rwm"),    dev(true, "c", 5, 1, "rwm"),
      dev(true, "c", 136, -2, "rwm"),  dev(true, "c", 10, 200, "rwm"), dev(true, "c", 4, 0, "m"),
  };
  CHECK(cg_devices_default_only(docker, sizeof docker / sizeof docker[0], &bad, &why) == 0);
  /* privileged: allow all */
  struct cg_dev priv[] = {dev(true, NULL, -2, -2, "rwm"), dev(true, "c", 10, 229, "rwm")};
  CHECK(cg_devices_default_only(priv, 2, &bad, &why) == 0);
  /* /dev/fuse is beyond the defaults */
  struct cg_dev fuse[] = {dev(false, NULL, -2, -2, "rwm"), dev(true, "c", 10, 229, "rwm")};
  CHECK(cg_devices_default_only(fuse, 2, &bad, &why) < 0 && bad == 1);
  /* r on /dev/pts/N is within, rw on all char devices is not */
  struct cg_dev wide[] = {dev(true, "c", 136, 4, "r"), dev(true, "c", -2, -2, "rw")};
  CHECK(cg_devices_default_only(wide, 2, &bad, &why) < 0 && bad == 1);
  /* a deny under allow-all cannot be honoured without a filter */
  struct cg_dev deny[] = {dev(true, NULL, -2, -2, "rwm"), dev(false, "b", 8, 0, "rwm")};
  CHECK(cg_devices_default_only(deny, 2, &bad, &why) < 0 && bad == 1);
  /* and under deny-all it changes nothing */
  struct cg_dev deny2[] = {dev(false, NULL, -2, -2, "rwm"), dev(false, "c", 1, 3, "rwm")};
  CHECK(cg_devices_default_only(deny2, 2, &bad, &why) == 0);
}

/* ---- names and whole resources ----------------------------------------------------------- */

static void values(const char *json, const char *want) {
  char *msg = NULL;
  oci_linux_resources *r = oci_linux_resources_parse_data(json, strlen(json), "t", &msg);
  CHECK(r != NULL);
  struct error *err = NULL;
  int rc = cg_check_values(r, &err);
  if (want == NULL) {
    CHECK(rc == 0);
    if (rc < 0)
      fprintf(stderr, "  unexpected: %s\n", err->msg);
  } else {
    CHECK(rc < 0 && err != NULL && strstr(err->msg, want) != NULL);
    if (rc < 0 && strstr(err->msg, want) == NULL)
      fprintf(stderr, "  got: %s\n  want: %s\n", err->msg, want);
  }
  error_free(err);
  oci_linux_resources_free(r);
  free(msg);
}

static void test_names(void) {
  CHECK(cg_hugetlb_size_ok("2MB"));
  CHECK(cg_hugetlb_size_ok("64KB"));
  CHECK(cg_hugetlb_size_ok("1GB"));
  CHECK(!cg_hugetlb_size_ok("2M"));
  CHECK(!cg_hugetlb_size_ok("MB"));
  CHECK(!cg_hugetlb_size_ok("2MB/../x"));
  CHECK(!cg_hugetlb_size_ok(""));
  char ctl[32];
  const char *why;
  CHECK(cg_unified_key("memory.high", ctl, &why) == 0 && strcmp(ctl, "memory") == 0);
  CHECK(cg_unified_key("hugetlb.1GB.max", ctl, &why) == 0 && strcmp(ctl, "hugetlb") == 0);
  CHECK(cg_unified_key("cgroup.max.depth", ctl, &why) == 0 && strcmp(ctl, "cgroup") == 0);
  CHECK(cg_unified_key("../memory.max", ctl, &why) < 0);
  CHECK(cg_unified_key(".hidden", ctl, &why) < 0);
  CHECK(cg_unified_key("nodot", ctl, &why) < 0);
  CHECK(cg_unified_key("memory.", ctl, &why) < 0);
  CHECK(cg_unified_key("cgroup.procs", ctl, &why) < 0);
  CHECK(cg_unified_key("cgroup.subtree_control", ctl, &why) < 0);
  CHECK(cg_word_ok("eth0") && !cg_word_ok("eth0 1") && !cg_word_ok("") && !cg_word_ok("a\nb"));

  values("{}", NULL);
  values("{\"memory\":{\"limit\":-1,\"swap\":-1,\"swappiness\":0}}", NULL);
  values("{\"memory\":{\"limit\":-2}}", "linux.resources.memory.limit");
  values("{\"memory\":{\"swappiness\":101}}", "valid memory swappiness range is 0-100");
  values("{\"memory\":{\"limit\":100,\"swap\":50}}", ">= memory limit");
  values("{\"cpu\":{\"quota\":1000,\"burst\":2000}}", "linux.resources.cpu.burst");
  values("{\"hugepageLimits\":[{\"pageSize\":\"x\",\"limit\":1}]}", "hugepageLimits[0].pageSize");
  values("{\"unified\":{\"a/b\":\"1\"}}", "linux.resources.unified[\"a/b\"]");
  values("{\"devices\":[{\"allow\":true,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\"}]}",
         "linux.resources.devices[1]: access cannot be empty");
  values("{\"network\":{\"priorities\":[{\"name\":\"eth 0\",\"priority\":1}]}}",
         "priorities[0].name");
}

int main(void) {
  test_clean_path();
  test_systemd_form();
  test_join_within();
  test_hybrid();
  test_unified();
  test_conversions();
  test_devices();
  test_names();
  return unit_report();
}
