/* config.h — a bundle's config.json, loaded and checked once.
 *
 * config_load() parses with the generated parser (errors name the file and the JSON
 * path) and then checks what the schema cannot: the rootfs exists, the process can
 * run, namespaces and mappings agree, and no field asks for something contain does
 * not do yet (each such field is refused by name, never silently ignored). */
#ifndef CONTAIN_CONFIG_H
#define CONTAIN_CONFIG_H

#include <stddef.h>

#include "error.h"
#include "namespaces.h"
#include "oci-types.h"

struct bundle {
  oci_config *config;
  char *bundle; /* absolute path of the bundle directory */
  char *rootfs; /* absolute path of the rootfs, symlinks resolved */
  char *raw;    /* config.json as read */
  size_t raw_len;
  struct ns_plan ns;
};

int config_load(const char *bundle_dir, struct bundle **out, struct error **err);
void bundle_free(struct bundle *b);

/* Checks a process (config.process or exec's --process) for what contain can run. */
int config_check_process(const oci_process *p, const char *where, struct error **err);

#endif
