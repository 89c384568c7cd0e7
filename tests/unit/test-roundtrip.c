/* Parse -> generate -> parse round trips of whole documents.
 *
 * For every fixture the generated JSON must mean the same as the fixture
 * (objects compared as unordered maps, numbers by their text), which shows
 * that no field of the fixture is lost or changed, and generating again from
 * the re-parsed struct must give the very same bytes. */
#include "unit.h"

#include <stdbool.h>
#include <stdint.h>
#include <yajl/yajl_tree.h>

#include "oci-types.h"

/* Deep equality of two JSON trees; nulls in objects count as absent,
 * as they do for the parser. */
static bool json_equal(yajl_val a, yajl_val b);

static yajl_val object_get(yajl_val o, const char *key) {
  yajl_val found = NULL;
  for (size_t i = 0; i < o->u.object.len; i++)
    if (strcmp(o->u.object.keys[i], key) == 0)
      found = o->u.object.values[i];
  return found;
}

static bool object_covered(yajl_val a, yajl_val b) {
  for (size_t i = 0; i < a->u.object.len; i++) {
    yajl_val av = a->u.object.values[i];
    yajl_val bv = object_get(b, a->u.object.keys[i]);
    if (YAJL_IS_NULL(av) && (bv == NULL || YAJL_IS_NULL(bv)))
      continue;
    if (bv == NULL || !json_equal(av, bv)) {
      fprintf(stderr, "  differs at key %s\n", a->u.object.keys[i]);
      return false;
    }
  }
  return true;
}

static bool json_equal(yajl_val a, yajl_val b) {
  if (a->type != b->type)
    return false;
  switch (a->type) {
  case yajl_t_string: return strcmp(a->u.string, b->u.string) == 0;
  case yajl_t_number: return strcmp(a->u.number.r, b->u.number.r) == 0;
  case yajl_t_object: return object_covered(a, b) && object_covered(b, a);
  case yajl_t_array:
    if (a->u.array.len != b->u.array.len)
      return false;
    for (size_t i = 0; i < a->u.array.len; i++)
      if (!json_equal(a->u.array.values[i], b->u.array.values[i]))
        return false;
    return true;
  default: return true; /* true, false, null: the type says it all */
  }
}

static char *read_text(const char *path) {
  FILE *f = fopen(path, "r");
  char *buf = NULL;
  size_t n = 0;
  if (f == NULL)
    return NULL;
  if (getdelim(&buf, &n, '\0', f) < 0) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  return buf;
}

static bool same_meaning(const char *json1, const char *json2) {
  char ebuf[256];
  yajl_val a = yajl_tree_parse(json1, ebuf, sizeof ebuf);
  yajl_val b = yajl_tree_parse(json2, ebuf, sizeof ebuf);
  bool eq = a != NULL && b != NULL && json_equal(a, b);
  yajl_tree_free(a);
  yajl_tree_free(b);
  return eq;
}

/* One round trip for document type T, as a macro so that it works for all types. */
#define ROUND_TRIP(T, file)                                                                        \
  do {                                                                                             \
    char *path_ = unit_data(file);                                                                 \
    char *err_ = NULL, *json1_ = NULL, *json2_ = NULL, *orig_ = read_text(path_);                  \
    oci_##T *v1_ = oci_##T##_parse_file(path_, &err_), *v2_ = NULL;                                \
    CHECK_STR(err_, NULL);                                                                         \
    CHECK(v1_ != NULL);                                                                            \
    if (v1_ != NULL)                                                                               \
      json1_ = oci_##T##_generate_json(v1_, &err_);                                                \
    CHECK_STR(err_, NULL);                                                                         \
    if (json1_ != NULL) {                                                                          \
      v2_ = oci_##T##_parse_data(json1_, strlen(json1_), "generated", &err_);                      \
      CHECK_STR(err_, NULL);                                                                       \
      if (v2_ != NULL)                                                                             \
        json2_ = oci_##T##_generate_json(v2_, &err_);                                              \
      CHECK_STR(json2_, json1_);                                                                   \
      if (!same_meaning(orig_, json1_)) {                                                          \
        fprintf(stderr, "%s: generated JSON differs from the fixture:\n%s\n", file, json1_);       \
        CHECK(!"same meaning");                                                                    \
      } else {                                                                                     \
        CHECK(true);                                                                               \
      }                                                                                            \
    }                                                                                              \
    oci_##T##_free(v1_);                                                                           \
    oci_##T##_free(v2_);                                                                           \
    free(json1_);                                                                                  \
    free(json2_);                                                                                  \
    free(err_);                                                                                    \
    free(orig_);                                                                                   \
    free(path_);                                                                                   \
  } while (0)

static oci_config *load_config(const char *file) {
  char *path = unit_data(file), *err = NULL;
  oci_config *c = oci_config_parse_file(path, &err);
  CHECK_STR(err, NULL);
  free(err);
  free(path);
  return c;
}

/* Values in the structs, not only in the JSON. */
static void test_config_full_values(void) {
  oci_config *c = load_config("config-full.json");
  if (c == NULL)
    return;
  CHECK_STR(c->oci_version, "ociVersion-1");
  CHECK(c->root->readonly_present && !c->root->readonly);
  CHECK(c->mounts_len == 2 && c->mounts[1]->uid_mappings[0]->container_id == 1000);
  CHECK(c->mounts[0]->uid_mappings[1]->container_id == UINT32_MAX);
  CHECK(c->process->console_size->width == UINT32_MAX);
  CHECK(c->process->args_len == 2 && c->process->args[2] == NULL); /* NULL-terminated */
  CHECK(c->process->env[c->process->env_len] == NULL);
  CHECK(c->linux->resources->memory->limit_present);
  CHECK(c->linux->time_offsets != NULL && c->linux->time_offsets->len == 2);
  CHECK_STR(c->linux->time_offsets->keys[1], "timeOffsets.key1");
  CHECK(c->linux->time_offsets->values[0]->secs_present);
  CHECK(c->linux->net_devices != NULL && c->linux->net_devices->len == 2);
  CHECK(c->linux->resources->rdma != NULL && c->linux->resources->rdma->len == 2);
  CHECK(c->linux->seccomp->syscalls_len == 2 && c->linux->seccomp->syscalls[0]->args_len == 2);
  CHECK(c->linux->personality != NULL);
  CHECK(c->linux->intel_rdt != NULL && c->linux->intel_rdt->enable_cmt_present);
  CHECK(c->hooks->poststop_len == 2 && c->hooks->poststop[0]->timeout_present);
  CHECK_STR(oci_string_map_get(c->annotations, "annotations.key1"), c->annotations->values[1]);
  oci_config_free(c);
}

static void test_config_podman_values(void) {
  oci_config *c = load_config("config-podman.json");
  if (c == NULL)
    return;
  CHECK(c->process->rlimits_len == 3);
  CHECK(c->process->rlimits[2]->soft == UINT64_MAX && c->process->rlimits[2]->hard == UINT64_MAX);
  CHECK(c->process->user->additional_gids_len == 3 &&
        c->process->user->additional_gids[2] == 4294967294u);
  CHECK(c->process->user->umask_present && c->process->user->umask == 18);
  CHECK(c->process->capabilities->effective != NULL &&
        c->process->capabilities->effective_len == 0);
  CHECK(c->process->oom_score_adj_present && c->process->oom_score_adj == 0);
  CHECK(c->linux->resources->memory->reservation == -1);
  CHECK(!c->linux->resources->memory->kernel_present);
  CHECK(c->linux->resources->pids->limit == 2048);
  CHECK_STR(oci_string_map_get(c->linux->resources->unified, "memory.oom.group"), "1");
  CHECK_STR(oci_string_map_get(c->linux->sysctl, "net.ipv4.ping_group_range"), "0 0");
  CHECK_STR(oci_string_map_get(c->annotations, "nope"), NULL);
  CHECK_STR(c->linux->namespaces[1]->path, "/run/netns/netns-5a1c");
  CHECK(c->linux->namespaces[0]->path == NULL);
  CHECK(c->linux->seccomp->syscalls[4]->args[0]->value == 2114060288 &&
        c->linux->seccomp->syscalls[4]->args[0]->value_two_present);
  CHECK(c->linux->seccomp->default_errno_ret == 38);
  CHECK(c->mounts[8]->uid_mappings_len == 1 && c->mounts[8]->uid_mappings[0]->host_id == 100000);
  CHECK(c->hooks->create_runtime[0]->timeout == 30);
  CHECK(c->hooks->prestart == NULL && c->hooks->prestart_len == 0);
  oci_config_free(c);
}

static void test_runtime_state_values(void) {
  char *path = unit_data("runtime-state.json"), *err = NULL;
  oci_runtime_state *s = oci_runtime_state_parse_file(path, &err);
  CHECK_STR(err, NULL);
  if (s != NULL) {
    CHECK(s->init_start_time_present && s->init_start_time == UINT64_MAX);
    CHECK(s->pid_present && s->pid == 31337);
    CHECK_STR(s->phase, "created");
    CHECK_STR(oci_string_map_get(s->cgroup_paths, ""), "/sys/fs/cgroup/contain/ctr-1");
    CHECK(s->systemd_present && s->systemd && s->rootless_present && !s->rootless);
  }
  oci_runtime_state_free(s);
  free(err);
  free(path);
}

int main(void) {
  ROUND_TRIP(config, "config-full.json");
  ROUND_TRIP(config, "config-runc-spec.json");
  ROUND_TRIP(config, "config-runc-spec-rootless.json");
  ROUND_TRIP(config, "config-podman.json");
  ROUND_TRIP(state, "state-full.json");
  ROUND_TRIP(state, "state-runc.json");
  ROUND_TRIP(runtime_state, "runtime-state-full.json");
  ROUND_TRIP(runtime_state, "runtime-state.json");
  ROUND_TRIP(features, "features-full.json");
  ROUND_TRIP(features, "features-runc.json");
  test_config_full_values();
  test_config_podman_values();
  test_runtime_state_values();
  return unit_report();
}
