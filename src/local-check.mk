# `contain check` (issue 8): included by src/local.mk, which adds these to libcontain and
# to the contain binary.
libcontain_check_sources = src/lib/check.c src/lib/check.h src/lib/check-internal.h \
	src/lib/check-cgroup.c src/lib/check-bundle.c
contain_cmd_check_sources = src/cmd/check.c src/cmd/check.h
