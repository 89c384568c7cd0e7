/* cmd/update.c — `contain update [options] <container-id>`: runc's flags, or the resources
 * as JSON (-r FILE, or - for stdin, as containerd sends them; the flags are then ignored). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup-cmds.h"
#include "control.h"
#include "debug.h"
#include "oci-types.h"
#include "util.h"

static const char help[] =
    "usage: contain update [options] <container-id>\n"
    "\n"
    "Changes the resource limits of a created, running or paused container; what is not\n"
    "given stays as it is.\n"
    "\n"
    "  -r, --resources FILE|-     the resources as JSON (linux.resources of config.json), from\n"
    "                             FILE or from the standard input; the other options are\n"
    "                             then ignored, e.g.\n"
    "                             {\"memory\": {\"limit\": 0, \"reservation\": 0, \"swap\": 0,\n"
    "                              \"checkBeforeUpdate\": true}, \"cpu\": {\"shares\": 0,\n"
    "                              \"quota\": 0, \"burst\": 0, \"period\": 0, \"realtimeRuntime\": "
    "0,\n"
    "                              \"realtimePeriod\": 0, \"cpus\": \"\", \"mems\": \"\", "
    "\"idle\": 0},\n"
    "                              \"blockIO\": {\"weight\": 0}, \"pids\": {\"limit\": 0}}\n"
    "  --memory SIZE              memory limit (bytes, or 512k, 64m, 1.5g...; -1: none)\n"
    "  --memory-swap SIZE         memory + swap limit (-1: unlimited swap)\n"
    "  --memory-reservation SIZE  memory soft limit\n"
    "  --cpu-share N              CPU shares (relative weight); also --cpu-shares\n"
    "  --cpu-quota N              CFS quota in microseconds per period (-1: none)\n"
    "  --cpu-period N             CFS period in microseconds\n"
    "  --cpu-burst N              CFS burst in microseconds\n"
    "  --cpu-rt-period N          realtime period in microseconds (cgroup v1)\n"
    "  --cpu-rt-runtime N         realtime runtime in microseconds (cgroup v1)\n"
    "  --cpu-idle 0|1             SCHED_IDLE for the cgroup\n"
    "  --cpuset-cpus LIST         CPUs to use (0-3,5)\n"
    "  --cpuset-mems LIST         memory nodes to use\n"
    "  --pids-limit N             maximum number of processes (-1: none)\n"
    "  --blkio-weight N           block I/O weight, 10 to 1000\n"
    "  --kernel-memory, --kernel-memory-tcp   ignored, as by runc\n"
    "  --l3-cache-schema, --mem-bw-schema     Intel RDT: not supported";

enum {
  O_MEMORY = 400,
  O_MEMORY_SWAP,
  O_MEMORY_RES,
  O_KMEM,
  O_KMEM_TCP,
  O_CPU_SHARE,
  O_CPU_QUOTA,
  O_CPU_PERIOD,
  O_CPU_BURST,
  O_CPU_RT_PERIOD,
  O_CPU_RT_RUNTIME,
  O_CPU_IDLE,
  O_CPUSET_CPUS,
  O_CPUSET_MEMS,
  O_PIDS,
  O_BLKIO,
  O_L3,
  O_MEMBW,
};

/* docker/go-units RAMInBytes, as runc reads sizes: "123", "1.5g", "512m", "64 KiB", "1GB":
 * binary multiples, a fraction allowed, the result truncated. */
static int parse_size(const char *s, int64_t *out) {
  const char *p = s;
  if (*p < '0' || *p > '9')
    return -1;
  while (*p >= '0' && *p <= '9')
    p++;
  if (*p == '.') {
    p++;
    if (*p < '0' || *p > '9')
      return -1;
    while (*p >= '0' && *p <= '9')
      p++;
  }
  char *num = strndup(s, (size_t)(p - s));
  if (num == NULL)
    abort();
  double v = strtod(num, NULL);
  free(num);
  if (*p == ' ')
    p++;
  static const char units[] = "kmgtp";
  const char *u = *p ? strchr(units, *p | 0x20) : NULL;
  if (u != NULL) {
    for (const char *k = units; k <= u; k++)
      v *= 1024;
    p++;
  }
  if (*p == 'i' || *p == 'I')
    p++;
  if (*p == 'b' || *p == 'B')
    p++;
  if (*p != '\0' || !isfinite(v) || v >= 9223372036854775808.0)
    return -1;
  *out = (int64_t)v;
  return 0;
}

static int bad_value(const char *opt, const char *v, const char *what, struct error **err) {
  return cli_usage_error("update", err, "invalid value for %s: \"%s\" is not %s", opt, v, what);
}

static int parse_i64(const char *opt, const char *v, int64_t *out, struct error **err) {
  char *end;
  errno = 0;
  long long n = strtoll(v, &end, 10);
  if (*v == '\0' || *end != '\0' || errno)
    return bad_value(opt, v, "an integer", err);
  *out = n;
  return 0;
}

static int parse_u64(const char *opt, const char *v, uint64_t *out, struct error **err) {
  char *end;
  errno = 0;
  unsigned long long n = strtoull(v, &end, 10);
  if (*v < '0' || *v > '9' || *end != '\0' || errno)
    return bad_value(opt, v, "a non-negative integer", err);
  *out = n;
  return 0;
}

static int parse_mem(const char *opt, const char *v, int64_t *out, struct error **err) {
  if (strcmp(v, "-1") == 0) {
    *out = -1;
    return 0;
  }
  if (parse_size(v, out) < 0)
    return cli_usage_error("update", err, "invalid value for %s: invalid size: '%s'", opt, v);
  return 0;
}

/* Reads -r's JSON: a file, or stdin for "-". */
static oci_linux_resources *read_resources(const char *path, struct error **err) {
  char *data = NULL;
  size_t len = 0;
  const char *source = strcmp(path, "-") == 0 ? "<stdin>" : path;
  if (strcmp(path, "-") == 0) {
    size_t cap = 0;
    for (;;) {
      if (len + 4096 > cap) {
        cap = cap ? cap * 2 : 8192;
        data = xrealloc(data, cap + 1);
      }
      ssize_t n = read(STDIN_FILENO, data + len, cap - len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0) {
        error_sys(err, "update: cannot read the resources from the standard input");
        free(data);
        return NULL;
      }
      if (n == 0)
        break;
      len += (size_t)n;
    }
    if (data == NULL)
      data = xstrdup("");
    data[len] = '\0';
  } else if (read_file(path, &data, &len, err) < 0) {
    error_prefix(err, "update: --resources");
    return NULL;
  }
  char *msg = NULL;
  oci_linux_resources *r = oci_linux_resources_parse_data(data, len, source, &msg);
  free(data);
  if (r == NULL) {
    error_set(err, ERR_INVALID_CONFIG, 0, "update: invalid resources: %s", msg ? msg : "?");
    free(msg);
  }
  return r;
}

#define MEM(r) ((r)->memory ? (r)->memory : ((r)->memory = xcalloc(1, sizeof *(r)->memory)))
#define CPU(r) ((r)->cpu ? (r)->cpu : ((r)->cpu = xcalloc(1, sizeof *(r)->cpu)))

static int take_option(int c, const char *name, const char *v, oci_linux_resources *r,
                       struct error **err) {
  int64_t i = 0;
  uint64_t u = 0;
  switch (c) {
  case O_MEMORY:
  case O_MEMORY_SWAP:
  case O_MEMORY_RES:
    if (parse_mem(name, v, &i, err) < 0)
      return -1;
    if (c == O_MEMORY)
      MEM(r)->limit = i, r->memory->limit_present = true;
    else if (c == O_MEMORY_SWAP)
      MEM(r)->swap = i, r->memory->swap_present = true;
    else
      MEM(r)->reservation = i, r->memory->reservation_present = true;
    return 0;
  case O_KMEM:
  case O_KMEM_TCP: warning("Setting --%s is ignored and will be removed", name); return 0;
  case O_CPU_SHARE:
  case O_CPU_PERIOD:
  case O_CPU_BURST:
  case O_CPU_RT_PERIOD:
    if (parse_u64(name, v, &u, err) < 0)
      return -1;
    if (c == O_CPU_SHARE)
      CPU(r)->shares = u, r->cpu->shares_present = true;
    else if (c == O_CPU_PERIOD)
      CPU(r)->period = u, r->cpu->period_present = true;
    else if (c == O_CPU_BURST)
      CPU(r)->burst = u, r->cpu->burst_present = true;
    else
      CPU(r)->realtime_period = u, r->cpu->realtime_period_present = true;
    return 0;
  case O_CPU_QUOTA:
  case O_CPU_RT_RUNTIME:
  case O_CPU_IDLE:
    if (parse_i64(name, v, &i, err) < 0)
      return -1;
    if (c == O_CPU_QUOTA)
      CPU(r)->quota = i, r->cpu->quota_present = true;
    else if (c == O_CPU_RT_RUNTIME)
      CPU(r)->realtime_runtime = i, r->cpu->realtime_runtime_present = true;
    else
      CPU(r)->idle = i, r->cpu->idle_present = true;
    return 0;
  case O_CPUSET_CPUS:
  case O_CPUSET_MEMS:
    if (v[0] == '\0')
      return 0; /* runc: "" is not given */
    if (c == O_CPUSET_CPUS) {
      free(CPU(r)->cpus);
      r->cpu->cpus = xstrdup(v);
    } else {
      free(CPU(r)->mems);
      r->cpu->mems = xstrdup(v);
    }
    return 0;
  case O_PIDS:
  case O_BLKIO:
    if (parse_i64(name, v, &i, err) < 0)
      return -1;
    if (i == 0)
      return 0; /* runc: 0 leaves it as it is */
    if (c == O_PIDS) {
      r->pids = r->pids ? r->pids : xcalloc(1, sizeof *r->pids);
      r->pids->limit = i;
      r->pids->limit_present = true;
    } else {
      if (i < 0 || i > UINT16_MAX)
        return bad_value(name, v, "a weight from 10 to 1000", err);
      r->block_io = r->block_io ? r->block_io : xcalloc(1, sizeof *r->block_io);
      r->block_io->weight = (uint16_t)i;
      r->block_io->weight_present = true;
    }
    return 0;
  case O_L3:
  case O_MEMBW:
    return error_set(err, ERR_HOST_UNSUPPORTED, 0,
                     "--%s: Intel RDT (resctrl) is not supported by contain", name);
  default: return -1;
  }
}

int cmd_update(struct global *g, int argc, char **argv, struct error **err) {
  static const struct option opts[] = {
      {"resources", required_argument, NULL, 'r'},
      {"memory", required_argument, NULL, O_MEMORY},
      {"memory-swap", required_argument, NULL, O_MEMORY_SWAP},
      {"memory-reservation", required_argument, NULL, O_MEMORY_RES},
      {"kernel-memory", required_argument, NULL, O_KMEM},
      {"kernel-memory-tcp", required_argument, NULL, O_KMEM_TCP},
      {"cpu-share", required_argument, NULL, O_CPU_SHARE},
      {"cpu-shares", required_argument, NULL, O_CPU_SHARE},
      {"cpu-quota", required_argument, NULL, O_CPU_QUOTA},
      {"cpu-period", required_argument, NULL, O_CPU_PERIOD},
      {"cpu-burst", required_argument, NULL, O_CPU_BURST},
      {"cpu-rt-period", required_argument, NULL, O_CPU_RT_PERIOD},
      {"cpu-rt-runtime", required_argument, NULL, O_CPU_RT_RUNTIME},
      {"cpu-idle", required_argument, NULL, O_CPU_IDLE},
      {"cpuset-cpus", required_argument, NULL, O_CPUSET_CPUS},
      {"cpuset-mems", required_argument, NULL, O_CPUSET_MEMS},
      {"pids-limit", required_argument, NULL, O_PIDS},
      {"blkio-weight", required_argument, NULL, O_BLKIO},
      {"l3-cache-schema", required_argument, NULL, O_L3},
      {"mem-bw-schema", required_argument, NULL, O_MEMBW},
      {"help", no_argument, NULL, 'h'},
      {0},
  };
  const char *resources = NULL;
  oci_linux_resources *flags = xcalloc(1, sizeof *flags);
  int rc = -1, c, idx;
  while ((c = getopt_long_only(argc, argv, ":r:h", opts, &idx)) != -1) {
    switch (c) {
    case 'r': resources = optarg; break;
    case 'h':
      puts(help);
      rc = 0;
      goto out;
    case ':':
    case '?': cli_bad_option("update", c, argv, err); goto out;
    default:
      if (take_option(c, opts[idx].name, optarg, flags, err) < 0)
        goto out;
    }
  }
  if (cli_want_args("update", argc, argv, 1, "the container id", err) < 0)
    goto out;
  if (resources != NULL) {
    oci_linux_resources *r = read_resources(resources, err);
    if (r == NULL)
      goto out;
    oci_linux_resources_free(flags);
    flags = r;
  }
  rc = container_update(g->root, argv[optind], flags, err);
out:
  oci_linux_resources_free(flags);
  return rc;
}
