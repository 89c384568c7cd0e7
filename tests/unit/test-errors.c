/* Bad input and edge cases: each must give exactly the documented error text
 * (docs/libocispec.md), or parse to the documented value. */
#include "unit.h"

#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "oci-types.h"

/* Parses json as a config from source "t" and checks the error text
 * (want NULL: must parse). */
static void config_error(int line, const char *json, size_t len, const char *want) {
  char *err = NULL;
  oci_config *c = oci_config_parse_data(json, len, "t", &err);
  if ((want == NULL) != (c != NULL) || (want != NULL && (err == NULL || strcmp(err, want) != 0))) {
    unit_failed++;
    fprintf(stderr, "test-errors.c:%d: input %.80s\n  got:  %s\n  want: %s\n", line, json,
            err ? err : "(parsed)", want ? want : "(parsed)");
  } else {
    unit_passed++;
  }
  if (c != NULL)
    CHECK(err == NULL);
  if (c == NULL)
    CHECK(errno == EINVAL);
  oci_config_free(c);
  free(err);
}

#define BAD(json, want) config_error(__LINE__, json, strlen(json), want)
#define GOOD(json) config_error(__LINE__, json, strlen(json), NULL)

static void test_invalid_json(void) {
  BAD("", "t: invalid JSON: parse error: premature EOF at line 1");
  BAD("{\"ociVersion\": ", "t: invalid JSON: parse error: premature EOF at line 1");
  BAD("{\n  \"ociVersion\": \"1.0\",\n  \"hostname\": tru\n}\n",
      "t: invalid JSON: lexical error: invalid string in json text. at line 3");
  BAD("{\"ociVersion\": \"1.0\"}\n}", "t: invalid JSON: parse error: trailing garbage at line 2");
  BAD("{\"ociVersion\" \"1.0\"}", "t: invalid JSON: parse error: object key and value must be "
                                  "separated by a colon (':') at line 1");
  BAD("/* c */ {\"ociVersion\": \"1.0\"}", "t: invalid JSON: lexical error: probable comment found "
                                           "in input text, comments are not enabled. at line 1");
  BAD("{\"ociVersion\": \"\xff\"}",
      "t: invalid JSON: lexical error: invalid bytes in UTF8 string. at line 1");
  config_error(__LINE__, "{\"ociVersion\":\n\"1\0\"}", 19, "t: invalid JSON: NUL byte at line 2");

  /* Deep nesting is refused before yajl's recursive tree code sees it. */
  size_t depth = 5000;
  char *deep = malloc(2 * depth + 64);
  char *p = deep + sprintf(deep, "{\"ociVersion\": \"1\", \"x\": ");
  for (size_t i = 0; i < depth; i++)
    *p++ = '[';
  for (size_t i = 0; i < depth; i++)
    *p++ = ']';
  strcpy(p, "}");
  BAD(deep, "t: invalid JSON: nesting deeper than 1000 levels at line 1");
  free(deep);
}

static void test_types(void) {
  BAD("[]", "t: .: expected an object, found an array");
  BAD("\"x\"", "t: .: expected an object, found a string");
  BAD("{\"ociVersion\": 1}", "t: .ociVersion: expected a string, found a number");
  BAD("{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"args\": [\"sh\", 1]}}",
      "t: .process.args[1]: expected a string, found a number");
  BAD("{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"args\": [null]}}",
      "t: .process.args[0]: expected a string, found null");
  BAD("{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"args\": \"sh\"}}",
      "t: .process.args: expected an array, found a string");
  BAD("{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"terminal\": \"yes\"}}",
      "t: .process.terminal: expected a boolean, found a string");
  BAD("{\"ociVersion\": \"1\", \"process\": []}",
      "t: .process: expected an object, found an array");
  BAD("{\"ociVersion\": \"1\", \"linux\": {\"namespaces\": [{\"type\": \"pid\"}, true]}}",
      "t: .linux.namespaces[1]: expected an object, found a boolean");
  BAD("{\"ociVersion\": \"1\", \"linux\": {\"resources\": {\"blockIO\": "
      "{\"throttleReadBpsDevice\": "
      "[{\"major\": 8, \"minor\": 0, \"rate\": {}}]}}}}",
      "t: .linux.resources.blockIO.throttleReadBpsDevice[0].rate: expected an integer from 0 to "
      "18446744073709551615, found an object");
  BAD("{\"ociVersion\": \"1\", \"annotations\": {\"org.example.a\": 1}}",
      "t: .annotations[\"org.example.a\"]: expected a string, found a number");
  BAD("{\"ociVersion\": \"1\", \"annotations\": {\"plain\": []}}",
      "t: .annotations.plain: expected a string, found an array");
  BAD("{\"ociVersion\": \"1\", \"linux\": {\"timeOffsets\": {\"monotonic\": {\"secs\": \"1\"}}}}",
      "t: .linux.timeOffsets.monotonic.secs: expected an integer from -9223372036854775808 to "
      "9223372036854775807, found a string");
  BAD("{\"ociVersion\": \"1\", \"linux\": {\"sysctl\": \"x\"}}",
      "t: .linux.sysctl: expected an object, found a string");
}

static void test_required(void) {
  BAD("{}", "t: .ociVersion: required field missing");
  BAD("{\"ociVersion\": null}", "t: .ociVersion: required field missing");
  BAD("{\"ociVersion\": \"1\", \"process\": {\"args\": [\"sh\"]}}",
      "t: .process.cwd: required field missing");
  BAD("{\"ociVersion\": \"1\", \"mounts\": [{\"destination\": \"/a\"}, {\"source\": \"/b\"}]}",
      "t: .mounts[1].destination: required field missing");
  BAD("{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"user\": {\"uid\": 0}}}",
      "t: .process.user.gid: required field missing");
  BAD("{\"ociVersion\": \"1\", \"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\", "
      "\"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": "
      "[{\"index\": 0, \"value\": 1}]}]}}}",
      "t: .linux.seccomp.syscalls[0].args[0].op: required field missing");
}

static void test_integers(void) {
  const char *pre =
      "{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"user\": {\"gid\": 0, \"uid\": ";
  const char *cases[][2] = {
      {"-1", "t: .process.user.uid: expected an integer from 0 to 4294967295, found -1"},
      {"4294967296",
       "t: .process.user.uid: expected an integer from 0 to 4294967295, found 4294967296"},
      {"1.5", "t: .process.user.uid: expected an integer from 0 to 4294967295, found 1.5"},
      {"1e3", "t: .process.user.uid: expected an integer from 0 to 4294967295, found 1e3"},
      {"18446744073709551616", "t: .process.user.uid: expected an integer from 0 to 4294967295, "
                               "found 18446744073709551616"},
      {"\"0\"", "t: .process.user.uid: expected an integer from 0 to 4294967295, found a string"},
      {"4294967295", NULL},
      {"-0", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *json;
    if (asprintf(&json, "%s%s}}}", pre, cases[i][0]) < 0)
      abort();
    config_error(__LINE__, json, strlen(json), cases[i][1]);
    free(json);
  }

  BAD("{\"ociVersion\": \"1\", \"linux\": {\"resources\": {\"blockIO\": {\"weight\": 65536}}}}",
      "t: .linux.resources.blockIO.weight: expected an integer from 0 to 65535, found 65536");
  BAD("{\"ociVersion\": \"1\", \"linux\": {\"resources\": {\"memory\": {\"limit\": "
      "9223372036854775808}}}}",
      "t: .linux.resources.memory.limit: expected an integer from -9223372036854775808 to "
      "9223372036854775807, "
      "found 9223372036854775808");
  BAD("{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"oomScoreAdj\": 2147483648}}",
      "t: .process.oomScoreAdj: expected an integer from -2147483648 to 2147483647, found "
      "2147483648");
  BAD("{\"ociVersion\": \"1\", \"linux\": {\"devices\": [{\"type\": \"c\", \"path\": \"/dev/x\", "
      "\"major\": 1, \"fileMode\": -438}]}}",
      "t: .linux.devices[0].fileMode: expected an integer from 0 to 4294967295, found -438");

  /* The extremes are exact: uint64 max goes through the number's text, not a long long. */
  const char *json = "{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"rlimits\": "
                     "[{\"type\": \"RLIMIT_CORE\", "
                     "\"soft\": 18446744073709551615, \"hard\": 9223372036854775808}]}, \"linux\": "
                     "{\"resources\": "
                     "{\"memory\": {\"limit\": -9223372036854775808, \"swap\": "
                     "9223372036854775807}}, \"seccomp\": "
                     "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"x\"], "
                     "\"action\": \"SCMP_ACT_ALLOW\", "
                     "\"args\": [{\"index\": 4294967295, \"value\": 18446744073709551615, "
                     "\"valueTwo\": 18446744073709551614, "
                     "\"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}}}";
  char *err = NULL;
  oci_config *c = oci_config_parse_data(json, strlen(json), "t", &err);
  CHECK_STR(err, NULL);
  if (c != NULL) {
    CHECK(c->process->rlimits[0]->soft == UINT64_MAX);
    CHECK(c->process->rlimits[0]->hard == UINT64_C(9223372036854775808));
    CHECK(c->linux->resources->memory->limit == INT64_MIN);
    CHECK(c->linux->resources->memory->swap == INT64_MAX);
    CHECK(c->linux->seccomp->syscalls[0]->args[0]->index == UINT32_MAX);
    CHECK(c->linux->seccomp->syscalls[0]->args[0]->value == UINT64_MAX);
    CHECK(c->linux->seccomp->syscalls[0]->args[0]->value_two == UINT64_MAX - 1);
    char *out = oci_config_generate_json(c, &err);
    CHECK(out != NULL &&
          strstr(out, "\"soft\":18446744073709551615,\"hard\":9223372036854775808") != NULL);
    CHECK(out != NULL &&
          strstr(out, "\"limit\":-9223372036854775808,\"swap\":9223372036854775807") != NULL);
    CHECK(out != NULL &&
          strstr(out, "\"value\":18446744073709551615,\"valueTwo\":18446744073709551614") != NULL);
    free(out);
  }
  oci_config_free(c);
  free(err);
}

static void test_enums(void) {
  BAD("{\"ociVersion\": \"1\", \"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": "
      "\"ipc\"}, {\"type\": \"net\"}]}}",
      "t: .linux.namespaces[2].type: expected one of pid, network, mount, ipc, uts, user, cgroup, "
      "time, found \"net\"");
  BAD("{\"ociVersion\": \"1\", \"linux\": {\"rootfsPropagation\": \"rsharedx\"}}",
      "t: .linux.rootfsPropagation: expected one of shared, slave, private, unbindable, rshared, "
      "rslave, rprivate, runbindable, found \"rsharedx\"");
  BAD("{\"ociVersion\": \"1\", \"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_DENY\"}}}",
      "t: .linux.seccomp.defaultAction: expected one of SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, "
      "SCMP_ACT_KILL_THREAD, "
      "SCMP_ACT_TRAP, SCMP_ACT_ERRNO, SCMP_ACT_TRACE, SCMP_ACT_ALLOW, SCMP_ACT_LOG, "
      "SCMP_ACT_NOTIFY, found \"SCMP_ACT_DENY\"");
  BAD("{\"ociVersion\": \"1\", \"linux\": {\"resources\": {\"devices\": [{\"allow\": true, "
      "\"type\": \"u\"}]}}}",
      "t: .linux.resources.devices[0].type: expected one of a, c, b, found \"u\"");
  BAD("{\"ociVersion\": \"1\", \"linux\": {\"devices\": [{\"type\": \"a\", \"path\": "
      "\"/dev/x\"}]}}",
      "t: .linux.devices[0].type: expected one of c, b, u, p, found \"a\"");
  BAD("{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"scheduler\": {\"policy\": "
      "\"SCHED_OTHER\", \"flags\": "
      "[\"SCHED_FLAG_RECLAIM\", \"nope\"]}}}",
      "t: .process.scheduler.flags[1]: expected one of SCHED_FLAG_RESET_ON_FORK, "
      "SCHED_FLAG_RECLAIM, "
      "SCHED_FLAG_DL_OVERRUN, SCHED_FLAG_KEEP_POLICY, SCHED_FLAG_KEEP_PARAMS, "
      "SCHED_FLAG_UTIL_CLAMP_MIN, "
      "SCHED_FLAG_UTIL_CLAMP_MAX, found \"nope\"");
  BAD("{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"ioPriority\": {\"class\": "
      "\"IOPRIO_CLASS_NONE\"}}}",
      "t: .process.ioPriority.class: expected one of IOPRIO_CLASS_RT, IOPRIO_CLASS_BE, "
      "IOPRIO_CLASS_IDLE, "
      "found \"IOPRIO_CLASS_NONE\"");
  /* The value is quoted JSON-style, so control characters cannot garble the message. */
  BAD("{\"ociVersion\": \"1\", \"linux\": {\"namespaces\": [{\"type\": \"p\\\"i\\nd\"}]}}",
      "t: .linux.namespaces[0].type: expected one of pid, network, mount, ipc, uts, user, cgroup, "
      "time, "
      "found \"p\\\"i\\u000ad\"");
  /* rlimit types are not an enum: the host decides. */
  GOOD("{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"rlimits\": [{\"type\": "
       "\"RLIMIT_FUTURE\", \"soft\": 1, \"hard\": 2}]}}");
}

static void test_null_and_unknown(void) {
  const char *json = "{\"ociVersion\": \"1\", \"hostname\": null, \"process\": null, \"root\": "
                     "{\"path\": \"r\", \"readonly\": null},"
                     " \"unknown\": {\"deep\": [1, {\"x\": null}]}, \"linux\": {\"futureField\": "
                     "3, \"namespaces\": [{\"type\": \"pid\", "
                     "\"path\": null, \"extra\": true}], \"uidMappings\": null, \"sysctl\": "
                     "{\"a\": null, \"b\": \"1\"}, "
                     "\"timeOffsets\": {\"boottime\": null, \"monotonic\": {\"secs\": -1}}},"
                     " \"annotations\": {\"k\": \"first\", \"k2\": \"x\", \"k\": \"second\"}, "
                     "\"domainname\": \"a\", \"domainname\": \"b\"}";
  char *err = NULL;
  oci_config *c = oci_config_parse_data(json, strlen(json), "t", &err);
  CHECK_STR(err, NULL);
  if (c == NULL)
    return;
  CHECK(c->hostname == NULL);
  CHECK(c->process == NULL);
  CHECK(!c->root->readonly_present);
  CHECK(c->linux->namespaces_len == 1 && c->linux->namespaces[0]->path == NULL);
  CHECK(c->linux->uid_mappings == NULL && c->linux->uid_mappings_len == 0);
  CHECK(c->linux->sysctl->len == 1 && oci_string_map_get(c->linux->sysctl, "a") == NULL);
  CHECK(c->linux->time_offsets->len == 1 && c->linux->time_offsets->values[0]->secs == -1);
  /* A repeated key takes the last value, as Go's encoding/json does. */
  CHECK(c->annotations->len == 2);
  CHECK_STR(oci_string_map_get(c->annotations, "k"), "second");
  CHECK_STR(c->domainname, "b");
  char *out = oci_config_generate_json(c, &err);
  CHECK_STR(out, "{\"ociVersion\":\"1\",\"root\":{\"path\":\"r\"},\"domainname\":\"b\","
                 "\"annotations\":{\"k\":\"second\","
                 "\"k2\":\"x\"},\"linux\":{\"namespaces\":[{\"type\":\"pid\"}],\"timeOffsets\":{"
                 "\"monotonic\":{\"secs\":-1}},"
                 "\"sysctl\":{\"b\":\"1\"}}}");
  free(out);
  oci_config_free(c);

  /* Present empty arrays stay present; absent ones stay absent. */
  json = "{\"ociVersion\": \"1\", \"process\": {\"cwd\": \"/\", \"args\": [], \"capabilities\": "
         "{\"bounding\": []}}}";
  c = oci_config_parse_data(json, strlen(json), "t", &err);
  CHECK(c != NULL && c->process->args_len == 0 && c->process->env == NULL);
  out = c ? oci_config_generate_json(c, &err) : NULL;
  CHECK_STR(out, "{\"ociVersion\":\"1\",\"process\":{\"cwd\":\"/"
                 "\",\"args\":[],\"capabilities\":{\"bounding\":[]}}}");
  free(out);
  oci_config_free(c);
}

static void test_files(void) {
  char *err = NULL;
  errno = 0;
  oci_config *c = oci_config_parse_file("/nonexistent/config.json", &err);
  CHECK(c == NULL && errno == ENOENT);
  CHECK_STR(err, "/nonexistent/config.json: cannot read: No such file or directory");
  free(err);

  /* The source of a parse error is the file's path. */
  char path[] = "/tmp/test-errors-XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  const char *bad = "{\"ociVersion\": \"1.2.0\",\n \"process\": {\"cwd\": 7}}\n";
  CHECK(write(fd, bad, strlen(bad)) == (ssize_t)strlen(bad));
  close(fd);
  err = NULL;
  c = oci_config_parse_file(path, &err);
  char *want;
  if (asprintf(&want, "%s: .process.cwd: expected a string, found a number", path) < 0)
    abort();
  CHECK(c == NULL);
  CHECK_STR(err, want);
  free(want);
  free(err);
  unlink(path);

  /* errmsg may be NULL. */
  CHECK(oci_config_parse_data("{}", 2, "t", NULL) == NULL);
  CHECK(oci_config_parse_file("/nonexistent", NULL) == NULL);
}

static void test_other_documents(void) {
  char *err = NULL;
  const char *json =
      "{\"ociVersion\": \"1.0.2\", \"id\": \"a\", \"status\": \"exited\", \"bundle\": \"/b\"}";
  oci_state *s = oci_state_parse_data(json, strlen(json), "state", &err);
  CHECK(s == NULL);
  CHECK_STR(err, "state: .status: expected one of creating, created, running, stopped, paused, "
                 "found \"exited\"");
  free(err);
  err = NULL;
  json = "{\"ociVersion\": \"1.0.2\", \"id\": \"a\", \"status\": \"paused\"}";
  s = oci_state_parse_data(json, strlen(json), "state", &err);
  CHECK_STR(err, "state: .bundle: required field missing");
  free(err);
  err = NULL;

  json = "{\"ociVersion\": \"1.2.0\", \"id\": \"x\", \"phase\": \"running\"}";
  oci_runtime_state *r = oci_runtime_state_parse_data(json, strlen(json), "rs", &err);
  CHECK(r == NULL);
  CHECK_STR(err, "rs: .phase: expected one of creating, created, found \"running\"");
  free(err);
  err = NULL;
  json = "{\"ociVersion\": \"1.2.0\", \"id\": \"x\", \"initStartTime\": -5}";
  r = oci_runtime_state_parse_data(json, strlen(json), "rs", &err);
  CHECK_STR(err,
            "rs: .initStartTime: expected an integer from 0 to 18446744073709551615, found -5");
  free(err);
  err = NULL;

  json = "{\"ociVersionMin\": \"1.0.0\", \"ociVersionMax\": \"1.2.0\", \"linux\": {\"cgroup\": "
         "{\"v2\": 1}}}";
  oci_features *f = oci_features_parse_data(json, strlen(json), "features", &err);
  CHECK(f == NULL);
  CHECK_STR(err, "features: .linux.cgroup.v2: expected a boolean, found a number");
  free(err);

  /* $defs types parse on their own too. */
  err = NULL;
  json = "{\"type\": \"RLIMIT_NOFILE\", \"soft\": 1}";
  oci_rlimit *rl = oci_rlimit_parse_data(json, strlen(json), "rlimit", &err);
  CHECK(rl == NULL);
  CHECK_STR(err, "rlimit: .hard: required field missing");
  free(err);
  err = NULL;
  json = "{\"cwd\": \"/\", \"args\": [\"sh\"], \"env\": [\"A=1\"]}";
  oci_process *p = oci_process_parse_data(json, strlen(json), "process.json", &err);
  CHECK(p != NULL && p->args_len == 1 && p->env_len == 1);
  oci_process_free(p);
  free(err);
}

/* Structs built by hand (calloc + strdup), as the runtime does for state.json. */
static void test_generate(void) {
  char *err = NULL, *out;
  oci_config *c = calloc(1, sizeof *c);

  out = oci_config_generate_json(c, &err);
  CHECK(out == NULL);
  CHECK_STR(err, "cannot generate JSON: .ociVersion: required field missing");
  free(err);
  err = NULL;

  c->oci_version = strdup("1.2.0");
  c->process = calloc(1, sizeof *c->process);
  c->process->cwd = strdup("/");
  c->process->user = calloc(1, sizeof *c->process->user);
  c->process->user->uid = 1000; /* required scalars are written without _present */
  c->process->args = calloc(3, sizeof *c->process->args);
  c->process->args[0] = strdup("sh");
  c->process->args_len = 1;
  c->annotations = oci_string_map_new();
  oci_string_map_set(c->annotations, "a", "1");
  oci_string_map_set(c->annotations, "b.c", "2");
  oci_string_map_set(c->annotations, "a", "3");
  out = oci_config_generate_json(c, &err);
  CHECK_STR(err, NULL);
  CHECK_STR(out, "{\"ociVersion\":\"1.2.0\",\"process\":{\"cwd\":\"/"
                 "\",\"args\":[\"sh\"],\"user\":{\"uid\":1000,\"gid\":0}},"
                 "\"annotations\":{\"a\":\"3\",\"b.c\":\"2\"}}");
  free(out);

  c->process->args_len = 2; /* args[1] is NULL */
  out = oci_config_generate_json(c, &err);
  CHECK(out == NULL);
  CHECK_STR(err, "cannot generate JSON: .process.args[1]: value is NULL");
  free(err);
  err = NULL;
  c->process->args[1] = strdup("\xc3\x28"); /* not UTF-8 */
  out = oci_config_generate_json(c, &err);
  CHECK(out == NULL);
  CHECK_STR(err, "cannot generate JSON: .process.args[1]: string is not valid UTF-8");
  free(err);
  err = NULL;
  free(c->process->args[1]);
  c->process->args[1] = strdup("-c");

  c->linux = calloc(1, sizeof *c->linux);
  c->linux->namespaces = calloc(1, sizeof *c->linux->namespaces);
  c->linux->namespaces[0] = calloc(1, sizeof **c->linux->namespaces);
  c->linux->namespaces_len = 1;
  c->linux->namespaces[0]->type = strdup("net");
  out = oci_config_generate_json(c, &err);
  CHECK(out == NULL);
  CHECK_STR(err, "cannot generate JSON: .linux.namespaces[0].type: expected one of pid, network, "
                 "mount, ipc, uts, user, "
                 "cgroup, time, found \"net\"");
  free(err);
  err = NULL;
  free(c->linux->namespaces[0]->type);
  c->linux->namespaces[0]->type = strdup("network");
  out = oci_config_generate_json(c, &err);
  CHECK_STR(out, "{\"ociVersion\":\"1.2.0\",\"process\":{\"cwd\":\"/"
                 "\",\"args\":[\"sh\",\"-c\"],\"user\":{\"uid\":1000,"
                 "\"gid\":0}},\"annotations\":{\"a\":\"3\",\"b.c\":\"2\"},\"linux\":{"
                 "\"namespaces\":[{\"type\":\"network\"}]}}");
  free(out);
  oci_config_free(c);

  CHECK(oci_config_generate_json(NULL, &err) == NULL);
  CHECK_STR(err, "cannot generate JSON: no value");
  free(err);
  oci_config_free(NULL);
  oci_string_map_free(NULL);
  CHECK(oci_string_map_get(NULL, "a") == NULL);
}

int main(void) {
  test_invalid_json();
  test_types();
  test_required();
  test_integers();
  test_enums();
  test_null_and_unknown();
  test_files();
  test_other_documents();
  test_generate();
  return unit_report();
}
