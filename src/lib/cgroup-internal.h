/* cgroup-internal.h — what cgroup.c shares with the drivers (cgroup-v1.c, cgroup-v2.c)
 * and with the pure helpers (cgroup-paths.c, cgroup-values.c) that unit tests call.
 * Not part of libcontain's API.
 *
 * A driver is a table of operations (struct cgroup_ops), chosen once by cgroup.c from
 * host_cgroup_mode(); nothing outside the drivers asks which cgroup version it is on. */
#ifndef CONTAIN_CGROUP_INTERNAL_H
#define CONTAIN_CGROUP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgroup.h"
#include "host.h"

/* One hierarchy, and the container's directory in it. */
struct cg_hier {
  char *key;   /* the state key: the hierarchy's controllers as /proc/self/cgroup names them
                  ("memory", "cpu,cpuacct", "name=systemd"), "unified" for a hybrid host's
                  cgroup2, "" on a v2 host */
  char *mnt;   /* where the hierarchy is mounted; NULL if not found (a loaded handle) */
  char *own;   /* this process's own cgroup in it (absolute); NULL when outside the mount */
  char *path;  /* the container's cgroup (absolute, normalized) */
  char **made; /* the directories this process created for it, parents first */
  size_t n_made;
  bool existed; /* path was already there when cgroup_create came */
};

struct cgroup {
  const struct cgroup_ops *ops;
  struct cg_hier *h;
  size_t n;
  int dirfd;   /* v2: an O_DIRECTORY fd of the cgroup, opened on demand; else -1 */
  bool loaded; /* rebuilt by cgroup_load: destroy removes the recorded cgroups */
};

struct cgroup_ops {
  const char *name; /* "v1", "hybrid", "v2" */
  enum cgroup_mode mode;
  /* The default device rules are written even when there are no resources (v1, and v2's
   * eBPF device filter). */
  bool always_writes;
  /* cgroup_update changes the device rules when the resources hold some (v2: the eBPF
   * filter is replaced); where false, an update leaves them as they are, as runc does. */
  bool updates_devices;
  /* Everything that can be refused before anything is made: values, fields this
   * host cannot apply, controllers that are not there. cg->h is discovered. */
  int (*check)(const struct cgroup *cg, const oci_linux_resources *r, bool update,
               struct error **err);
  /* Once the directories exist, before any limit: v1 fills the new cpusets, v2 enables
   * the controllers r needs in the ancestors' cgroup.subtree_control. */
  int (*prepare)(struct cgroup *cg, const oci_linux_resources *r, bool creating,
                 struct error **err);
  int (*apply)(struct cgroup *cg, const oci_linux_resources *r, bool update, struct error **err);
  int (*freeze)(struct cgroup *cg, bool frozen, struct error **err);
  int (*is_frozen)(struct cgroup *cg, bool *frozen, struct error **err);
  /* The hierarchy whose cgroup.procs lists the container's processes. */
  const struct cg_hier *(*procs_hier)(const struct cgroup *cg);
  int (*dirfd)(struct cgroup *cg);
};

extern const struct cgroup_ops cg_v1_ops;     /* legacy: v1 controllers only */
extern const struct cgroup_ops cg_hybrid_ops; /* v1 controllers + the cgroup2 at .../unified */
extern const struct cgroup_ops cg_v2_ops;

/* ---- file access, in cgroup.c ---------------------------------------------------------- */

/* Writes value to dir/file with one write(2) (no O_CREAT). On failure the error names
 * field (a JSON path of config.json, or NULL), the file and the value, with a hint for
 * the well-known causes (missing file = the kernel lacks the feature, EROFS, EBUSY...). */
int cg_write(const char *dir, const char *file, const char *value, const char *field,
             struct error **err);
int cg_writef(const char *dir, const char *file, const char *field, struct error **err,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Writes each line of value with its own write(2), as the kernel wants for io.max,
 * devices.allow... (the unified map's values may hold several). */
int cg_write_lines(const char *dir, const char *file, const char *value, const char *field,
                   struct error **err);
/* Reads dir/file, trailing newlines removed. */
int cg_read(const char *dir, const char *file, char **out, struct error **err);
int cg_read_u64(const char *dir, const char *file, uint64_t *out, struct error **err);
bool cg_file_exists(const char *dir, const char *file);
/* Appends "; hint" to the message of *err. Returns -1. */
int cg_hint(struct error **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Whether the host has any swap space (/proc/swaps): a "no swap" limit is then met
 * without swap accounting. */
bool cg_host_has_swap(void);

/* The hierarchy carrying controller (a v1 controller name, "unified", or "" on v2). */
const struct cg_hier *cg_find(const struct cgroup *cg, const char *controller);
/* Writes pid to cgroup.procs of every hierarchy (v1 and v2 alike). */
int cg_enter_all(struct cgroup *cg, pid_t pid, struct error **err);
/* The cgroup v2 freezer on one directory (v2, and the cgroup2 of a hybrid host). */
int cg2_freeze_dir(const char *dir, bool frozen, struct error **err);
int cg2_is_frozen_dir(const char *dir, bool *frozen, struct error **err);

/* ---- pure: paths, /proc/self/cgroup and mountinfo (cgroup-paths.c) ---------------------- */

/* Lexically cleans a cgroupsPath: no ".", "..", empty components, or leading/trailing
 * "/"; ".." never climbs above the start, as in runc. *absolute: it began with "/".
 * "" means the start itself (the hierarchy root, or the caller's own cgroup). */
char *cg_clean_path(const char *path, bool *absolute);
/* "slice:prefix:name", the systemd driver's form. */
bool cg_is_systemd_path(const char *path);
/* base + "/" + rel (rel may be "" or begin with "/"); no doubled slashes. */
char *cg_join(const char *base, const char *rel);
/* p is dir itself or lies beneath it (both absolute and normalized). */
bool cg_path_within(const char *p, const char *dir);
/* Whether a v1 key ("cpu,cpuacct") carries controller ("cpuacct"). */
bool cg_key_has(const char *key, const char *controller);
/* From the text of /proc/self/cgroup and /proc/self/mountinfo, the hierarchies a driver
 * uses in mode: on v2 one (key ""); on v1 every mounted v1 hierarchy, plus on hybrid the
 * cgroup2 (key "unified"). Sets key, mnt and own; path stays NULL. */
int cg_parse_hierarchies(enum cgroup_mode mode, const char *proc_cgroup, const char *mountinfo,
                         struct cg_hier **out, size_t *n, struct error **err);
void cg_hier_clear(struct cg_hier *h);

/* ---- pure: value conversions and rule checks (cgroup-values.c) -------------------------- */

/* cpu.shares [2, 262144] -> cpu.weight [1, 10000], the formula of runc >= 1.3.2 and
 * crun >= 1.23 (1024 -> 100, the defaults match); 0 stays 0 (unset). */
uint64_t cg_cpu_shares_to_weight(uint64_t shares);
/* blkio weight [10, 1000] -> io.weight [1, 10000], as runc (clamped); 0 stays 0. */
uint64_t cg_blkio_weight_to_io_weight(uint64_t weight);
/* OCI memory.swap (memory+swap) -> memory.swap.max (swap alone): -1 max, 0 unset.
 * Returns -1 with *why when the pair is invalid. */
int cg_swap_to_v2(int64_t swap, int64_t limit, int64_t *out, const char **why);
/* "max" for -1, else the number; buf of 24 bytes. */
const char *cg_fmt_max(int64_t v, char buf[24]);
/* cpu.max from quota/period, keeping what is not given from current (the file's present
 * content, or NULL): "max 100000", "50000 100000". buf of 48 bytes. */
const char *cg_cpu_max(bool quota_set, int64_t quota, bool period_set, uint64_t period,
                       const char *current, char buf[48]);

/* A device cgroup rule, checked and normalized. major/minor -1 = any ("*"). */
enum { CG_DEV_R = 1, CG_DEV_W = 2, CG_DEV_M = 4, CG_DEV_RWM = 7 };
struct cg_dev {
  bool allow;
  char type; /* 'a', 'c', 'b' */
  int64_t major, minor;
  unsigned access;
};
/* From linux.resources.devices[i]'s fields (type/access may be NULL). -1 + *why if invalid. */
int cg_dev_make(bool allow, const char *type, bool major_set, int64_t major, bool minor_set,
                int64_t minor, const char *access, struct cg_dev *out, const char **why);
bool cg_dev_is_all(const struct cg_dev *d); /* a *:* rwm: the whole policy */
/* The v1 lines for the rule ("c 1:3 rwm"; "a" for a *:* rwm); an 'a' rule narrower
 * than everything becomes a 'c' and a 'b' line. Returns the number of lines (1 or 2). */
int cg_dev_v1_lines(const struct cg_dev *d, char lines[2][64]);
/* The devices every container is given after its own rules, as runc: mknod of any
 * device, /dev/{null,zero,full,random,urandom,tty,ptmx}, /dev/pts/N, /dev/net/tun. */
extern const struct cg_dev cg_default_devices[];
extern const size_t cg_n_default_devices;
/* Whether the rules ask for nothing beyond a deny-all with the default devices, or for
 * allow-all: what can stand where no device controller enforces rules (a v1 host without
 * the devices hierarchy; v2 until the eBPF filter exists). Else -1 with the first rule
 * beyond that in *bad and the reason in *why. */
int cg_devices_default_only(const struct cg_dev *rules, size_t n, size_t *bad, const char **why);

/* "2MB", "64KB", "1GB": digits then K/M/G/T/P then B (no path characters). */
bool cg_hugetlb_size_ok(const char *s);
/* A unified key "controller.name" -> controller in ctl (size 32). -1 + *why if refused:
 * not a plain file name, or a file the runtime manages (cgroup.procs, cgroup.freeze...). */
int cg_unified_key(const char *key, char ctl[32], const char **why);
/* The checks of linux.resources that do not depend on the host: ranges (memory -1 or
 * bytes, swappiness 0-100, swap >= limit, burst <= quota), names (hugepage sizes,
 * interfaces, rdma devices, unified keys) and the form of the device rules. */
int cg_check_values(const oci_linux_resources *r, struct error **err);
/* linux.resources.devices as checked rules (*rules malloc'd, NULL when none). */
int cg_device_rules(const oci_linux_resources *r, struct cg_dev **rules, size_t *n,
                    struct error **err);
/* A word written into a cgroup file (interface, rdma device): no space or control char. */
bool cg_word_ok(const char *s);

#endif
