libcontain_cgroup_sources = src/lib/host.c src/lib/cgroup.c src/lib/cgroup-v1.c src/lib/cgroup-v2.c src/lib/cgroup-paths.c src/lib/cgroup-values.c src/lib/cgroup-internal.h
