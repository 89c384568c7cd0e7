/* test-seccomp.c — the translation of linux.seccomp: names -> libseccomp values, the
 * checks and their JSON paths, the default profile. Nothing is loaded into the kernel. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "debug.h"
#include "error.h"
#include "oci-types.h"
#include "seccomp.h"
#include "unit.h"
#include <seccomp.h> /* libseccomp's: src/lib is an -iquote directory */

#ifndef SECCOMP_PROFILE
#define SECCOMP_PROFILE "../../contrib/seccomp/default.json"
#endif

static oci_seccomp *parse(const char *json) {
  char *msg = NULL;
  oci_seccomp *s = oci_seccomp_parse_data(json, strlen(json), "config.json", &msg);
  if (s == NULL) {
    fprintf(stderr, "parse: %s\n", msg);
    free(msg);
  }
  return s;
}

/* The message seccomp_validate gives for json, or NULL when it passes. */
static char *validate(const char *json) {
  oci_seccomp *s = parse(json);
  if (s == NULL)
    return strdup("(parse error)");
  struct error *err = NULL;
  char *msg = NULL;
  if (seccomp_validate(s, &err) < 0) {
    CHECK(err->kind == ERR_INVALID_CONFIG);
    msg = strdup(err->msg);
  }
  error_free(err);
  oci_seccomp_free(s);
  return msg;
}

#define CHECK_INVALID(json, want)                                                                  \
  do {                                                                                             \
    char *m_ = validate(json);                                                                     \
    CHECK_STR(m_, want);                                                                           \
    free(m_);                                                                                      \
  } while (0)

static void test_actions(void) {
  uint32_t v = 1;
  CHECK(seccomp_action_value("SCMP_ACT_KILL", false, 0, &v) == 0 && v == SCMP_ACT_KILL_THREAD);
  CHECK(seccomp_action_value("SCMP_ACT_KILL_THREAD", false, 0, &v) == 0 &&
        v == SCMP_ACT_KILL_THREAD);
  CHECK(seccomp_action_value("SCMP_ACT_KILL_PROCESS", false, 0, &v) == 0 &&
        v == SCMP_ACT_KILL_PROCESS);
  CHECK(seccomp_action_value("SCMP_ACT_TRAP", false, 0, &v) == 0 && v == SCMP_ACT_TRAP);
  CHECK(seccomp_action_value("SCMP_ACT_ERRNO", false, 0, &v) == 0 && v == SCMP_ACT_ERRNO(EPERM));
  CHECK(seccomp_action_value("SCMP_ACT_ERRNO", true, 38, &v) == 0 && v == SCMP_ACT_ERRNO(38));
  CHECK(seccomp_action_value("SCMP_ACT_ERRNO", true, 0, &v) == 0 && v == SCMP_ACT_ERRNO(0));
  CHECK(seccomp_action_value("SCMP_ACT_TRACE", false, 0, &v) == 0 && v == SCMP_ACT_TRACE(EPERM));
  CHECK(seccomp_action_value("SCMP_ACT_TRACE", true, 7, &v) == 0 && v == SCMP_ACT_TRACE(7));
  CHECK(seccomp_action_value("SCMP_ACT_ALLOW", true, 7, &v) == 0 && v == SCMP_ACT_ALLOW);
  CHECK(seccomp_action_value("SCMP_ACT_LOG", false, 0, &v) == 0 && v == SCMP_ACT_LOG);
  CHECK(seccomp_action_value("SCMP_ACT_NOTIFY", false, 0, &v) == 0 && v == SCMP_ACT_NOTIFY);
  CHECK(seccomp_action_value("SCMP_ACT_FOO", false, 0, &v) == -1);
  CHECK(seccomp_action_value("scmp_act_allow", false, 0, &v) == -1);
  CHECK(seccomp_action_value(NULL, false, 0, &v) == -1);
  CHECK(seccomp_action_takes_errno("SCMP_ACT_ERRNO"));
  CHECK(seccomp_action_takes_errno("SCMP_ACT_TRACE"));
  CHECK(!seccomp_action_takes_errno("SCMP_ACT_ALLOW"));
  CHECK(!seccomp_action_takes_errno("SCMP_ACT_KILL"));
  CHECK(!seccomp_action_takes_errno("SCMP_ACT_FOO"));
}

static void test_ops_archs_flags(void) {
  CHECK(seccomp_op_value("SCMP_CMP_NE") == SCMP_CMP_NE);
  CHECK(seccomp_op_value("SCMP_CMP_LT") == SCMP_CMP_LT);
  CHECK(seccomp_op_value("SCMP_CMP_LE") == SCMP_CMP_LE);
  CHECK(seccomp_op_value("SCMP_CMP_EQ") == SCMP_CMP_EQ);
  CHECK(seccomp_op_value("SCMP_CMP_GE") == SCMP_CMP_GE);
  CHECK(seccomp_op_value("SCMP_CMP_GT") == SCMP_CMP_GT);
  CHECK(seccomp_op_value("SCMP_CMP_MASKED_EQ") == SCMP_CMP_MASKED_EQ);
  CHECK(seccomp_op_value("SCMP_CMP_FOO") == -1);
  CHECK(seccomp_op_value(NULL) == -1);

  CHECK(seccomp_arch_value("SCMP_ARCH_X86") == SCMP_ARCH_X86);
  CHECK(seccomp_arch_value("SCMP_ARCH_X86_64") == SCMP_ARCH_X86_64);
  CHECK(seccomp_arch_value("SCMP_ARCH_X32") == SCMP_ARCH_X32);
  CHECK(seccomp_arch_value("SCMP_ARCH_AARCH64") == SCMP_ARCH_AARCH64);
  CHECK(seccomp_arch_value("SCMP_ARCH_S390X") == SCMP_ARCH_S390X);
  CHECK(seccomp_arch_value("SCMP_ARCH_PPC64LE") == SCMP_ARCH_PPC64LE);
  CHECK(seccomp_arch_value("x86_64") == 0);
  CHECK(seccomp_arch_value("SCMP_ARCH_VAX") == 0);

  CHECK(seccomp_flag_value("SECCOMP_FILTER_FLAG_TSYNC") == 1);
  CHECK(seccomp_flag_value("SECCOMP_FILTER_FLAG_LOG") == 2);
  CHECK(seccomp_flag_value("SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 4);
  CHECK(seccomp_flag_value("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") == 32);
  /* NEW_LISTENER is the runtime's business (SCMP_ACT_NOTIFY), not the profile's */
  CHECK(seccomp_flag_value("SECCOMP_FILTER_FLAG_NEW_LISTENER") == 0);
  CHECK(seccomp_flag_value("SECCOMP_FILTER_FLAG_FOO") == 0);
}

static void test_validate(void) {
  CHECK_INVALID("{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", NULL);
  CHECK_INVALID("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,"
                "\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"],"
                "\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"],"
                "\"syscalls\":[{\"names\":[\"read\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\"},"
                "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
                "{\"index\":0,\"value\":8,\"op\":\"SCMP_CMP_EQ\"},"
                "{\"index\":5,\"value\":255,\"valueTwo\":1,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}",
                NULL);
  /* listenerPath without a NOTIFY rule is ignored, as the spec says */
  CHECK_INVALID("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/run/agent.sock\"}",
                NULL);

  CHECK_INVALID("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],"
                "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":6,\"value\":1,\"op\":\"SCMP_"
                "CMP_EQ\"}]}]}",
                "config.json: .linux.seccomp.syscalls[0].args[0].index: 6 is not a syscall "
                "argument (0 to 5)");
  CHECK_INVALID("{\"defaultAction\":\"SCMP_ACT_KILL\",\"defaultErrnoRet\":5}",
                "config.json: .linux.seccomp.defaultErrnoRet: SCMP_ACT_KILL takes no errno (only "
                "SCMP_ACT_ERRNO and SCMP_ACT_TRACE do)");
  CHECK_INVALID("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],"
                "\"action\":\"SCMP_ACT_LOG\"},{\"names\":[\"b\"],\"action\":\"SCMP_ACT_ALLOW\","
                "\"errnoRet\":1}]}",
                "config.json: .linux.seccomp.syscalls[1].errnoRet: SCMP_ACT_ALLOW takes no errno "
                "(only SCMP_ACT_ERRNO and SCMP_ACT_TRACE do)");
  CHECK_INVALID("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":65536}",
                "config.json: .linux.seccomp.defaultErrnoRet: 65536 does not fit in the 16 bits "
                "of a seccomp return value");
  CHECK_INVALID(
      "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86\",\"x86\"]}",
      "config.json: .linux.seccomp.architectures[1]: unknown architecture \"x86\"");
  CHECK_INVALID("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_FOO\"]}",
                "config.json: .linux.seccomp.flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_FOO\"");
  CHECK_INVALID("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerMetadata\":\"x\"}",
                "config.json: .linux.seccomp.listenerMetadata: set without "
                ".linux.seccomp.listenerPath");
  CHECK_INVALID("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"agent.sock\"}",
                "config.json: .linux.seccomp.listenerPath: \"agent.sock\" is not an absolute path");
  CHECK_INVALID("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],"
                "\"action\":\"SCMP_ACT_NOTIFY\"}]}",
                "config.json: .linux.seccomp.syscalls[0].action: SCMP_ACT_NOTIFY needs "
                ".linux.seccomp.listenerPath");
  CHECK_INVALID("{\"defaultAction\":\"SCMP_ACT_NOTIFY\",\"listenerPath\":\"/a\"}",
                "config.json: .linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default "
                "action (the runtime itself sends the listener fd under the filter)");
  CHECK_INVALID("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/a\",\"syscalls\":["
                "{\"names\":[\"mkdir\",\"sendmsg\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}",
                "config.json: .linux.seccomp.syscalls[0].names[1]: SCMP_ACT_NOTIFY cannot be used "
                "for sendmsg (the runtime sends the listener fd with it)");
  CHECK_INVALID("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[],"
                "\"action\":\"SCMP_ACT_ERRNO\"}]}",
                "config.json: .linux.seccomp.syscalls[0].names: must name at least one syscall");
  CHECK_INVALID("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"\"],"
                "\"action\":\"SCMP_ACT_ERRNO\"}]}",
                "config.json: .linux.seccomp.syscalls[0].names[0]: empty syscall name");

  /* Unknown actions and operators: the parser refuses them already (enums of the schema);
   * a hand-made struct gets the same path from seccomp_validate. */
  oci_seccomp *s =
      parse("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],"
            "\"action\":\"SCMP_ACT_LOG\"},{\"names\":[\"a\"],\"action\":\"SCMP_ACT_LOG\"},"
            "{\"names\":[\"a\"],\"action\":\"SCMP_ACT_LOG\"},{\"names\":[\"b\"],"
            "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":1,\"value\":0,"
            "\"op\":\"SCMP_CMP_EQ\"}]}]}");
  CHECK(s != NULL);
  if (s) {
    struct error *err = NULL;
    free(s->syscalls[3]->action);
    s->syscalls[3]->action = strdup("SCMP_ACT_FOO");
    CHECK(seccomp_validate(s, &err) < 0);
    CHECK_STR(err ? err->msg : NULL,
              "config.json: .linux.seccomp.syscalls[3].action: unknown action \"SCMP_ACT_FOO\"");
    free(s->syscalls[3]->action);
    s->syscalls[3]->action = strdup("SCMP_ACT_ERRNO");
    free(s->syscalls[3]->args[0]->op);
    s->syscalls[3]->args[0]->op = strdup("SCMP_CMP_FOO");
    CHECK(seccomp_validate(s, &err) < 0);
    CHECK_STR(
        err ? err->msg : NULL,
        "config.json: .linux.seccomp.syscalls[3].args[0].op: unknown operator \"SCMP_CMP_FOO\"");
    free(s->default_action);
    s->default_action = strdup("SCMP_ACT_BAR");
    CHECK(seccomp_validate(s, &err) < 0);
    CHECK_STR(err ? err->msg : NULL,
              "config.json: .linux.seccomp.defaultAction: unknown action \"SCMP_ACT_BAR\"");
    error_free(err);
    oci_seccomp_free(s);
  }
  CHECK(seccomp_validate(NULL, NULL) == 0);
}

/* Compiles (no load): unknown names are skipped, repeated argument indexes are split into
 * rules of their own, a rule that says the default is skipped. */
static void test_prepare(void) {
  struct error *err = NULL;
  struct seccomp_plan *p = (struct seccomp_plan *)1;
  CHECK(seccomp_prepare(NULL, &p, &err) == 0 && p == NULL);
  oci_seccomp *s =
      parse("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\","
            "\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],\"syscalls\":["
            "{\"names\":[\"read\",\"no_such_syscall\",\"chown32\"],\"action\":\"SCMP_ACT_ALLOW\"},"
            "{\"names\":[\"write\"],\"action\":\"SCMP_ACT_ERRNO\"},"
            "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
            "{\"index\":0,\"value\":8,\"op\":\"SCMP_CMP_GE\"},{\"index\":0,\"value\":16,\"op\":"
            "\"SCMP_CMP_LE\"}]},"
            "{\"names\":[\"mmap\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
            "{\"index\":2,\"value\":4,\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"},"
            "{\"index\":3,\"value\":1,\"op\":\"SCMP_CMP_NE\"}]}]}");
  CHECK(s != NULL);
  if (s) {
    CHECK(seccomp_prepare(s, &p, &err) == 0);
    if (err)
      fprintf(stderr, "prepare: %s\n", err->msg);
    CHECK(p != NULL);
    seccomp_plan_free(p);
    oci_seccomp_free(s);
  }
  error_free(err);
}

static void test_default_profile(void) {
  const char *json = seccomp_default_profile_json();
  CHECK(json != NULL && strlen(json) > 1000);
  oci_seccomp *s = json ? parse(json) : NULL;
  CHECK(s != NULL);
  if (s == NULL)
    return;
  CHECK_STR(s->default_action, "SCMP_ACT_ERRNO");
  CHECK(s->default_errno_ret_present && s->default_errno_ret == ENOSYS);
  struct error *err = NULL;
  CHECK(seccomp_validate(s, &err) == 0);
  struct seccomp_plan *p = NULL;
  CHECK(seccomp_prepare(s, &p, &err) == 0);
  if (err)
    fprintf(stderr, "default profile: %s\n", err->msg);
  CHECK(p != NULL);
  seccomp_plan_free(p);
  error_free(err);
  oci_seccomp_free(s);

  /* the built-in text is the file's */
  FILE *f = fopen(SECCOMP_PROFILE, "r");
  CHECK(f != NULL);
  if (f) {
    char *text = calloc(1, 1 << 20);
    size_t n = fread(text, 1, (1 << 20) - 1, f);
    fclose(f);
    CHECK(n > 0 && strcmp(text, seccomp_default_profile_text()) == 0);
    free(text);
  }
}

static bool has(char **v, size_t n, const char *s) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(v[i], s) == 0)
      return true;
  return false;
}

static void test_features(void) {
  oci_features_linux_seccomp *f = seccomp_features();
  CHECK(f->enabled_present && f->enabled);
  CHECK(has(f->actions, f->actions_len, "SCMP_ACT_ALLOW"));
  CHECK(has(f->actions, f->actions_len, "SCMP_ACT_ERRNO"));
  CHECK(f->operators_len == 7 && has(f->operators, f->operators_len, "SCMP_CMP_MASKED_EQ"));
  CHECK(has(f->archs, f->archs_len, "SCMP_ARCH_X86_64"));
  CHECK(has(f->archs, f->archs_len, "SCMP_ARCH_AARCH64"));
  CHECK(f->known_flags_len == 4);
  CHECK(f->supported_flags_len <= f->known_flags_len);
  oci_features_linux_seccomp_free(f);
}

static int cache_hits;
static void count_hits(const char *line) {
  if (strstr(line, "filter from the cache"))
    cache_hits++;
}

/* 1 when preparing json took its filter from the cache, 0 when it compiled, -1 on error */
static int prepared_from_cache(const char *json) {
  oci_seccomp *s = parse(json);
  if (s == NULL)
    return -1;
  int before = cache_hits;
  struct error *err = NULL;
  struct seccomp_plan *p = NULL;
  int r = seccomp_prepare(s, &p, &err);
  if (r < 0)
    fprintf(stderr, "prepare: %s\n", err->msg);
  error_free(err);
  seccomp_plan_free(p);
  oci_seccomp_free(s);
  return r < 0 ? -1 : cache_hits > before;
}

static int count_files(const char *dir) {
  DIR *d = opendir(dir);
  int n = 0;
  for (struct dirent *e; d && (e = readdir(d)) != NULL;)
    n += e->d_name[0] != '.';
  if (d)
    closedir(d);
  return n;
}

static void test_cache(void) {
  char dir[] = "/tmp/test-seccomp-cache.XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char *sub = NULL;
  CHECK(asprintf(&sub, "%s/cache", dir) > 0);
  seccomp_set_cache_dir(sub);
  debug_set_sink(count_hits);
  const char *a = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],"
                  "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":100}]}";
  const char *a_flags =
      "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"],"
      "\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":100}]}";
  const char *b = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],"
                  "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":101}]}";
  CHECK(prepared_from_cache(a) == 0); /* made the directory, compiled, stored */
  struct stat st;
  CHECK(stat(sub, &st) == 0 && (st.st_mode & 0777) == 0700);
  CHECK(count_files(sub) == 1);
  CHECK(prepared_from_cache(a) == 1);
  CHECK(prepared_from_cache(a_flags) == 1); /* flags are not part of the filter */
  CHECK(prepared_from_cache(b) == 0);
  CHECK(count_files(sub) == 2);
  CHECK(prepared_from_cache(b) == 1);

  /* a file whose key differs by one byte is not used (and is replaced) */
  DIR *d = opendir(sub);
  for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
    if (e->d_name[0] == '.')
      continue;
    char *path = NULL;
    CHECK(asprintf(&path, "%s/%s", sub, e->d_name) > 0);
    int fd = open(path, O_RDWR);
    char buf[8192];
    ssize_t n = fd >= 0 ? pread(fd, buf, sizeof buf - 1, 0) : -1;
    CHECK(n > 0);
    if (n > 0) {
      buf[n] = '\0';
      char *e100 = strstr(buf, "100");
      if (e100) {
        e100[2] = '1'; /* errnoRet 100 -> 101 in the key: not a's key any more */
        CHECK(pwrite(fd, buf, (size_t)n, 0) == n);
      }
    }
    if (fd >= 0)
      close(fd);
    free(path);
  }
  if (d)
    closedir(d);
  CHECK(prepared_from_cache(a) == 0);
  CHECK(prepared_from_cache(a) == 1);

  /* a directory others may write to is not used */
  CHECK(chmod(sub, 0777) == 0);
  CHECK(prepared_from_cache(a) == 0);
  CHECK(chmod(sub, 0700) == 0);
  CHECK(prepared_from_cache(a) == 1);

  seccomp_set_cache_dir(NULL);
  CHECK(prepared_from_cache(a) == 0);
  debug_set_sink(NULL);
  d = opendir(sub);
  for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
    if (e->d_name[0] == '.' && (e->d_name[1] == '\0' || e->d_name[1] == '.'))
      continue;
    unlinkat(dirfd(d), e->d_name, 0);
  }
  if (d)
    closedir(d);
  CHECK(rmdir(sub) == 0 && rmdir(dir) == 0);
  free(sub);
}

int main(void) {
  test_actions();
  test_ops_archs_flags();
  test_validate();
  test_prepare();
  test_default_profile();
  test_features();
  test_cache();
  return unit_report();
}
