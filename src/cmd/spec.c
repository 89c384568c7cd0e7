/* cmd/spec.c — `contain spec [-b bundle] [--rootless]`: runc's default config.json. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "seccomp.h"
#include "util.h"

/* The same container runc's spec describes, so bundles made for one run on the other,
 * plus the default seccomp profile of contrib/seccomp/. Holes: the capabilities, the
 * sysfs mount, the seccomp profile, the resources, the id mappings and the network
 * namespace, which differ for a rootless container. */
static const char spec_template[] =
    "{\n"
    "\t\"ociVersion\": \"1.2.0\",\n"
    "\t\"process\": {\n"
    "\t\t\"terminal\": true,\n"
    "\t\t\"user\": {\n\t\t\t\"uid\": 0,\n\t\t\t\"gid\": 0\n\t\t},\n"
    "\t\t\"args\": [\n\t\t\t\"sh\"\n\t\t],\n"
    "\t\t\"env\": [\n"
    "\t\t\t\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\n"
    "\t\t\t\"TERM=xterm\"\n"
    "\t\t],\n"
    "\t\t\"cwd\": \"/\",\n"
    "\t\t\"capabilities\": {\n"
    "%s"
    "\t\t},\n"
    "\t\t\"rlimits\": [\n"
    "\t\t\t{\n\t\t\t\t\"type\": \"RLIMIT_NOFILE\",\n\t\t\t\t\"hard\": 1024,\n\t\t\t\t\"soft\": "
    "1024\n\t\t\t}\n"
    "\t\t],\n"
    "\t\t\"noNewPrivileges\": true\n"
    "\t},\n"
    "\t\"root\": {\n\t\t\"path\": \"rootfs\",\n\t\t\"readonly\": true\n\t},\n"
    "\t\"hostname\": \"contain\",\n"
    "\t\"mounts\": [\n"
    "\t\t{\n\t\t\t\"destination\": \"/proc\",\n\t\t\t\"type\": \"proc\",\n\t\t\t\"source\": "
    "\"proc\"\n\t\t},\n"
    "\t\t{\n\t\t\t\"destination\": \"/dev\",\n\t\t\t\"type\": \"tmpfs\",\n\t\t\t\"source\": "
    "\"tmpfs\",\n"
    "\t\t\t\"options\": [\n\t\t\t\t\"nosuid\",\n\t\t\t\t\"strictatime\",\n\t\t\t\t\"mode=755\",\n"
    "\t\t\t\t\"size=65536k\"\n\t\t\t]\n\t\t},\n"
    "\t\t{\n\t\t\t\"destination\": \"/dev/pts\",\n\t\t\t\"type\": \"devpts\",\n\t\t\t\"source\": "
    "\"devpts\",\n"
    "\t\t\t\"options\": [\n\t\t\t\t\"nosuid\",\n\t\t\t\t\"noexec\",\n\t\t\t\t\"newinstance\",\n"
    "\t\t\t\t\"ptmxmode=0666\",\n\t\t\t\t\"mode=0620\"%s\n\t\t\t]\n\t\t},\n"
    "\t\t{\n\t\t\t\"destination\": \"/dev/shm\",\n\t\t\t\"type\": \"tmpfs\",\n\t\t\t\"source\": "
    "\"shm\",\n"
    "\t\t\t\"options\": [\n\t\t\t\t\"nosuid\",\n\t\t\t\t\"noexec\",\n\t\t\t\t\"nodev\",\n"
    "\t\t\t\t\"mode=1777\",\n\t\t\t\t\"size=65536k\"\n\t\t\t]\n\t\t},\n"
    "\t\t{\n\t\t\t\"destination\": \"/dev/mqueue\",\n\t\t\t\"type\": "
    "\"mqueue\",\n\t\t\t\"source\": \"mqueue\",\n"
    "\t\t\t\"options\": "
    "[\n\t\t\t\t\"nosuid\",\n\t\t\t\t\"noexec\",\n\t\t\t\t\"nodev\"\n\t\t\t]\n\t\t},\n"
    "%s"
    "\t\t{\n\t\t\t\"destination\": \"/sys/fs/cgroup\",\n\t\t\t\"type\": "
    "\"cgroup\",\n\t\t\t\"source\": \"cgroup\",\n"
    "\t\t\t\"options\": [\n\t\t\t\t\"nosuid\",\n\t\t\t\t\"noexec\",\n\t\t\t\t\"nodev\",\n"
    "\t\t\t\t\"relatime\",\n\t\t\t\t\"ro\"\n\t\t\t]\n\t\t}\n"
    "\t],\n"
    "\t\"linux\": {\n"
    "%s"
    "%s"
    "\t\t\"namespaces\": [\n"
    "\t\t\t{\n\t\t\t\t\"type\": \"pid\"\n\t\t\t},\n"
    "%s"
    "\t\t\t{\n\t\t\t\t\"type\": \"ipc\"\n\t\t\t},\n"
    "\t\t\t{\n\t\t\t\t\"type\": \"uts\"\n\t\t\t},\n"
    "\t\t\t{\n\t\t\t\t\"type\": \"mount\"\n\t\t\t}%s\n"
    "\t\t],\n"
    "\t\t\"maskedPaths\": [\n"
    "\t\t\t\"/proc/acpi\",\n\t\t\t\"/proc/asound\",\n\t\t\t\"/proc/kcore\",\n\t\t\t\"/proc/"
    "keys\",\n"
    "\t\t\t\"/proc/latency_stats\",\n\t\t\t\"/proc/timer_list\",\n\t\t\t\"/proc/timer_stats\",\n"
    "\t\t\t\"/proc/sched_debug\",\n\t\t\t\"/sys/firmware\",\n\t\t\t\"/proc/scsi\"\n"
    "\t\t],\n"
    "\t\t\"readonlyPaths\": [\n"
    "\t\t\t\"/proc/bus\",\n\t\t\t\"/proc/fs\",\n\t\t\t\"/proc/irq\",\n\t\t\t\"/proc/sys\",\n"
    "\t\t\t\"/proc/sysrq-trigger\"\n"
    "\t\t]\n"
    "\t}\n"
    "}\n";

static char *capability_sets(void) {
  static const char *const sets[] = {"bounding", "effective", "permitted", "ambient"};
  static const char caps[] =
      "\t\t\t\t\"CAP_AUDIT_WRITE\",\n\t\t\t\t\"CAP_KILL\",\n\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n";
  char *out = xstrdup("");
  for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
    char *next = xasprintf("%s\t\t\t\"%s\": [\n%s\t\t\t]%s\n", out, sets[i], caps,
                           i + 1 < sizeof sets / sizeof sets[0] ? "," : "");
    free(out);
    out = next;
  }
  return out;
}

/* contrib/seccomp/default.json as the .linux.seccomp member, indented in place. */
static char *seccomp_member(void) {
  const char *p = seccomp_default_profile_json();
  size_t len = strlen(p);
  char *out = xmalloc(2 * len + 32), *o = stpcpy(out, "\t\t\"seccomp\": ");
  for (size_t i = 0; i < len; i++) {
    *o++ = p[i];
    if (p[i] == '\n' && i + 1 < len) {
      *o++ = '\t';
      *o++ = '\t';
    }
  }
  o[-1] = ','; /* the profile ends in "}\n" */
  *o++ = '\n';
  *o = '\0';
  return out;
}

static char *make_spec(bool rootless) {
  autofree char *seccomp = seccomp_member();
  autofree char *caps = capability_sets();
  autofree char *maps = NULL;
  if (rootless) {
    unsigned uid = (unsigned)geteuid(), gid = (unsigned)getegid();
    maps = xasprintf("\t\t\"uidMappings\": [\n\t\t\t{\n\t\t\t\t\"containerID\": 0,\n"
                     "\t\t\t\t\"hostID\": %u,\n\t\t\t\t\"size\": 1\n\t\t\t}\n\t\t],\n"
                     "\t\t\"gidMappings\": [\n\t\t\t{\n\t\t\t\t\"containerID\": 0,\n"
                     "\t\t\t\t\"hostID\": %u,\n\t\t\t\t\"size\": 1\n\t\t\t}\n\t\t],\n",
                     uid, gid);
  }
  const char *sysfs =
      rootless ? "\t\t{\n\t\t\t\"destination\": \"/sys\",\n\t\t\t\"type\": \"none\",\n"
                 "\t\t\t\"source\": \"/sys\",\n\t\t\t\"options\": [\n\t\t\t\t\"rbind\",\n"
                 "\t\t\t\t\"nosuid\",\n\t\t\t\t\"noexec\",\n\t\t\t\t\"nodev\",\n\t\t\t\t\"ro\"\n"
                 "\t\t\t]\n\t\t},\n"
               : "\t\t{\n\t\t\t\"destination\": \"/sys\",\n\t\t\t\"type\": \"sysfs\",\n"
                 "\t\t\t\"source\": \"sysfs\",\n\t\t\t\"options\": [\n\t\t\t\t\"nosuid\",\n"
                 "\t\t\t\t\"noexec\",\n\t\t\t\t\"nodev\",\n\t\t\t\t\"ro\"\n\t\t\t]\n\t\t},\n";
  const char *resources = "\t\t\"resources\": {\n\t\t\t\"devices\": [\n\t\t\t\t{\n"
                          "\t\t\t\t\t\"allow\": false,\n\t\t\t\t\t\"access\": \"rwm\"\n"
                          "\t\t\t\t}\n\t\t\t]\n\t\t},\n";
  return xasprintf(spec_template, caps, rootless ? "" : ",\n\t\t\t\t\"gid=5\"", sysfs, seccomp,
                   rootless ? maps : resources,
                   rootless ? "" : "\t\t\t{\n\t\t\t\t\"type\": \"network\"\n\t\t\t},\n",
                   rootless ? ",\n\t\t\t{\n\t\t\t\t\"type\": \"user\"\n\t\t\t}" : "");
}

int cmd_spec(struct global *g, int argc, char **argv, struct error **err) {
  static const struct option opts[] = {
      {"bundle", required_argument, NULL, 'b'},
      {"rootless", no_argument, NULL, 'r'},
      {"help", no_argument, NULL, 'h'},
      {0},
  };
  const char *bundle = ".";
  bool rootless = false;
  int c;
  while ((c = getopt_long_only(argc, argv, ":b:h", opts, NULL)) != -1) {
    switch (c) {
    case 'b': bundle = optarg; break;
    case 'r': rootless = true; break;
    case 'h':
      puts("usage: contain spec [-b bundle] [--rootless]\n\n"
           "Writes a default config.json (the container runc's spec describes) into the bundle.");
      return 0;
    default: return cli_bad_option("spec", c, argv, err);
    }
  }
  if (cli_want_args("spec", argc, argv, 0, "", err) < 0)
    return -1;
  autofree char *path =
      strcmp(bundle, ".") == 0 ? xstrdup("config.json") : xasprintf("%s/config.json", bundle);
  autofree char *spec = make_spec(rootless);
  autoclose int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST)
      return error_set(err, ERR_EXISTS, 0, "File %s exists. Remove it first", path);
    return error_sys(err, "create %s", path);
  }
  if (write_all(fd, spec, strlen(spec)) < 0)
    return error_sys(err, "write %s", path);
  return 0;
}
