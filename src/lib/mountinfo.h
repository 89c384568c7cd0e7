/* mountinfo.h — /proc/PID/mountinfo as a table (proc(5)).
 *
 *   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 *   id parent dev root mountpoint options optional... - fstype source super-options
 *
 * The octal escapes the kernel writes for space, tab, newline and backslash in root,
 * mountpoint and source are decoded. */
#ifndef CONTAIN_MOUNTINFO_H
#define CONTAIN_MOUNTINFO_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

struct mountinfo_entry {
  int id, parent;
  char *root;       /* the path inside the filesystem that is mounted here */
  char *mountpoint; /* as seen from the reader's root */
  char *options;    /* per-mount options: "rw,nosuid,relatime" */
  char *optional;   /* "shared:1 master:2", "" when none */
  char *fstype;
  char *source;
  char *super_options; /* "rw,cpu,cpuacct" for a cgroup v1 hierarchy */
};

struct mountinfo {
  struct mountinfo_entry *e;
  size_t n;
  char *text; /* the entries' strings point in here */
};

/* Parses text, which is taken over (freed by mountinfo_free). A line that does not
 * have the documented shape is an error naming it. */
int mountinfo_parse(char *text, struct mountinfo *out, struct error **err);
/* Reads and parses "self/mountinfo" relative to proc_fd (a procfs root). */
int mountinfo_read(int proc_fd, struct mountinfo *out, struct error **err);
void mountinfo_free(struct mountinfo *mi);

/* Whether opt is one of the comma-separated options of list. */
bool mountinfo_has_option(const char *list, const char *opt);

#endif
