/* features.h — runtime-spec features.md: what this build of contain, on this kernel,
 * can do. Every `true` is something contain applies; engines (containerd) decide from
 * it whether to use user namespaces and idmapped mounts. */
#ifndef CONTAIN_FEATURES_H
#define CONTAIN_FEATURES_H

#include "oci-types.h"

oci_features *features_get(void);

#endif
