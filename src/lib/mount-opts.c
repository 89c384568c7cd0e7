/* mount-opts.c — the mount option table (see mount-opts.h). */
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include "mount-opts.h"
#include "util.h"

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif
#ifndef MS_LAZYTIME
#define MS_LAZYTIME (1 << 25)
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV 0x00000004
#define MOUNT_ATTR_NOEXEC 0x00000008
#define MOUNT_ATTR__ATIME 0x00000070
#define MOUNT_ATTR_RELATIME 0x00000000
#define MOUNT_ATTR_NOATIME 0x00000010
#define MOUNT_ATTR_STRICTATIME 0x00000020
#define MOUNT_ATTR_NODIRATIME 0x00000080
#endif
#ifndef MOUNT_ATTR_NOSYMFOLLOW
#define MOUNT_ATTR_NOSYMFOLLOW 0x00200000
#endif
#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW 0x2000
#endif

/* mount(8)'s filesystem-independent options, as runc maps them. */
static const struct {
  const char *name;
  bool clear;
  unsigned long flag;
} flag_table[] = {
    {"acl", false, MS_POSIXACL},
    {"async", true, MS_SYNCHRONOUS},
    {"atime", true, MS_NOATIME},
    {"bind", false, MS_BIND},
    {"defaults", false, 0},
    {"dev", true, MS_NODEV},
    {"diratime", true, MS_NODIRATIME},
    {"dirsync", false, MS_DIRSYNC},
    {"exec", true, MS_NOEXEC},
    {"iversion", false, MS_I_VERSION},
    {"lazytime", false, MS_LAZYTIME},
    {"loud", true, MS_SILENT},
    {"mand", false, MS_MANDLOCK},
    {"noacl", true, MS_POSIXACL},
    {"noatime", false, MS_NOATIME},
    {"nodev", false, MS_NODEV},
    {"nodiratime", false, MS_NODIRATIME},
    {"noexec", false, MS_NOEXEC},
    {"noiversion", true, MS_I_VERSION},
    {"nolazytime", true, MS_LAZYTIME},
    {"nomand", true, MS_MANDLOCK},
    {"norelatime", true, MS_RELATIME},
    {"nostrictatime", true, MS_STRICTATIME},
    {"nosuid", false, MS_NOSUID},
    {"nosymfollow", false, MS_NOSYMFOLLOW},
    {"rbind", false, MS_BIND | MS_REC},
    {"relatime", false, MS_RELATIME},
    {"remount", false, MS_REMOUNT},
    {"ro", false, MS_RDONLY},
    {"rw", true, MS_RDONLY},
    {"silent", false, MS_SILENT},
    {"strictatime", false, MS_STRICTATIME},
    {"suid", true, MS_NOSUID},
    {"symfollow", true, MS_NOSYMFOLLOW},
    {"sync", false, MS_SYNCHRONOUS},
};

static const struct {
  const char *name;
  unsigned long flags;
} propagation_table[] = {
    {"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
    {"shared", MS_SHARED},         {"rshared", MS_SHARED | MS_REC},
    {"slave", MS_SLAVE},           {"rslave", MS_SLAVE | MS_REC},
    {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

/* The runtime-spec's recursive options (runtime-spec 1.1), set with mount_setattr. */
static const struct {
  const char *name;
  bool clear;
  uint64_t attr;
} rec_table[] = {
    {"rro", false, MOUNT_ATTR_RDONLY},
    {"rrw", true, MOUNT_ATTR_RDONLY},
    {"rnosuid", false, MOUNT_ATTR_NOSUID},
    {"rsuid", true, MOUNT_ATTR_NOSUID},
    {"rnodev", false, MOUNT_ATTR_NODEV},
    {"rdev", true, MOUNT_ATTR_NODEV},
    {"rnoexec", false, MOUNT_ATTR_NOEXEC},
    {"rexec", true, MOUNT_ATTR_NOEXEC},
    {"rnodiratime", false, MOUNT_ATTR_NODIRATIME},
    {"rdiratime", true, MOUNT_ATTR_NODIRATIME},
    {"rrelatime", false, MOUNT_ATTR_RELATIME},
    {"rnorelatime", true, MOUNT_ATTR_RELATIME},
    {"rnoatime", false, MOUNT_ATTR_NOATIME},
    {"ratime", true, MOUNT_ATTR_NOATIME},
    {"rstrictatime", false, MOUNT_ATTR_STRICTATIME},
    {"rnostrictatime", true, MOUNT_ATTR_STRICTATIME},
    {"rnosymfollow", false, MOUNT_ATTR_NOSYMFOLLOW},
    {"rsymfollow", true, MOUNT_ATTR_NOSYMFOLLOW},
};

/* Options contain knows and does not do: refused by name rather than passed to the
 * filesystem, where they would fail with a less helpful EINVAL. */
static const struct {
  const char *name;
  const char *why;
} refused_table[] = {
    {"tmpcopyup", "copying the directory's content into the new tmpfs is not supported"},
    {"idmap", "idmapped mounts are not supported"},
    {"ridmap", "idmapped mounts are not supported"},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

const char **mount_opts_known(size_t *n) {
  size_t total = N(flag_table) + N(propagation_table) + N(rec_table), k = 0;
  const char **names = xcalloc(total + 1, sizeof *names);
  for (size_t i = 0; i < N(flag_table); i++)
    names[k++] = flag_table[i].name;
  for (size_t i = 0; i < N(propagation_table); i++)
    names[k++] = propagation_table[i].name;
  for (size_t i = 0; i < N(rec_table); i++)
    names[k++] = rec_table[i].name;
  *n = k;
  return names;
}

int mount_propagation_parse(const char *name, unsigned long *flags) {
  for (size_t i = 0; i < N(propagation_table); i++)
    if (strcmp(name, propagation_table[i].name) == 0) {
      *flags = propagation_table[i].flags;
      return 0;
    }
  return -1;
}

static void data_append(char **data, size_t *len, const char *opt) {
  size_t l = strlen(opt);
  *data = xrealloc(*data, *len + l + 2);
  if (*len)
    (*data)[(*len)++] = ',';
  memcpy(*data + *len, opt, l + 1);
  *len += l;
}

static int parse_one(const char *opt, struct mount_opts *o, char **data, size_t *data_len,
                     struct error **err) {
  for (size_t i = 0; i < N(flag_table); i++) {
    if (strcmp(opt, flag_table[i].name) != 0)
      continue;
    if (flag_table[i].clear) {
      o->flags &= ~flag_table[i].flag;
      o->cleared |= flag_table[i].flag;
    } else {
      o->flags |= flag_table[i].flag;
      o->cleared &= ~flag_table[i].flag;
    }
    if (flag_table[i].flag & MS_BIND)
      o->bind = true;
    return 0;
  }
  unsigned long p;
  if (mount_propagation_parse(opt, &p) == 0) {
    if (o->propagation_len == MOUNT_OPTS_MAX_PROPAGATION)
      return error_set(err, ERR_INVALID_CONFIG, 0, "more than %d propagation options",
                       MOUNT_OPTS_MAX_PROPAGATION);
    o->propagation[o->propagation_len++] = p;
    return 0;
  }
  for (size_t i = 0; i < N(rec_table); i++) {
    if (strcmp(opt, rec_table[i].name) != 0)
      continue;
    o->has_rec = true;
    if (rec_table[i].clear) {
      o->rec_clr |= rec_table[i].attr;
      o->rec_set &= ~rec_table[i].attr;
    } else {
      o->rec_set |= rec_table[i].attr;
      o->rec_clr &= ~rec_table[i].attr;
      /* mount_setattr(2): an access-time mode is set by clearing the whole field. */
      if ((rec_table[i].attr & MOUNT_ATTR__ATIME) == rec_table[i].attr)
        o->rec_clr |= MOUNT_ATTR__ATIME;
    }
    return 0;
  }
  for (size_t i = 0; i < N(refused_table); i++)
    if (strcmp(opt, refused_table[i].name) == 0)
      return error_set(err, ERR_INVALID_CONFIG, 0, "mount option \"%s\": %s by contain", opt,
                       refused_table[i].why);
  data_append(data, data_len, opt);
  return 0;
}

int mount_opts_parse(char *const *options, size_t n, struct mount_opts *out, struct error **err) {
  memset(out, 0, sizeof *out);
  char *data = NULL;
  size_t data_len = 0;
  for (size_t i = 0; i < n; i++) {
    if (options[i] == NULL || options[i][0] == '\0')
      continue;
    if (parse_one(options[i], out, &data, &data_len, err) < 0) {
      free(data);
      memset(out, 0, sizeof *out);
      return -1;
    }
  }
  out->data = data;
  return 0;
}

void mount_opts_free(struct mount_opts *o) {
  free(o->data);
  o->data = NULL;
}

unsigned long mount_flags_from_statfs(unsigned long st) {
  static const struct {
    unsigned long st, ms;
  } map[] = {
      {ST_RDONLY, MS_RDONLY},
      {ST_NOSUID, MS_NOSUID},
      {ST_NODEV, MS_NODEV},
      {ST_NOEXEC, MS_NOEXEC},
      {ST_SYNCHRONOUS, MS_SYNCHRONOUS},
      {ST_MANDLOCK, MS_MANDLOCK},
      {ST_NOATIME, MS_NOATIME},
      {ST_NODIRATIME, MS_NODIRATIME},
      {ST_RELATIME, MS_RELATIME},
      {ST_NOSYMFOLLOW, MS_NOSYMFOLLOW},
  };
  unsigned long ms = 0;
  for (size_t i = 0; i < N(map); i++)
    if (st & map[i].st)
      ms |= map[i].ms;
  return ms;
}
