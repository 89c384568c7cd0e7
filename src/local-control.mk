# The operations on an existing container's cgroup (pause, resume, update, ps, events), the
# cgroup statistics and OOM notification, and cgroup v2's eBPF device filter. Included from
# src/local.mk: the first list goes into src_libcontain_a_SOURCES, the second into
# src_contain_SOURCES.
libcontain_control_sources = \
	src/lib/control.c src/lib/control.h \
	src/lib/cgroup-stats.c src/lib/cgroup-stats.h \
	src/lib/devices-bpf.c src/lib/devices-bpf.h
contain_cmd_control_sources = \
	src/cmd/cgroup-cmds.h src/cmd/pause.c src/cmd/update.c src/cmd/ps.c src/cmd/events.c
