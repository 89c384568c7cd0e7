# src/: the contain binary (CLI in src/ and src/cmd/) over libcontain (src/lib/).
include src/local-rootfs.mk
include src/local-cgroup.mk
include src/local-control.mk
include src/local-seccomp.mk
include src/local-check.mk

noinst_LIBRARIES += src/libcontain.a
src_libcontain_a_SOURCES = \
	src/lib/error.c src/lib/error.h \
	src/lib/util.c src/lib/util.h \
	src/lib/debug.c src/lib/debug.h \
	src/lib/signals.c src/lib/signals.h \
	src/lib/config.c src/lib/config.h \
	src/lib/state.c src/lib/state.h \
	src/lib/sync.c src/lib/sync.h \
	src/lib/namespaces.c src/lib/namespaces.h \
	src/lib/security.c src/lib/security.h \
	src/lib/scheduling.c src/lib/scheduling.h \
	src/lib/lsm.c src/lib/lsm.h \
	src/lib/init.c src/lib/init.h \
	src/lib/process.c src/lib/process.h \
	src/lib/reaper.c src/lib/reaper.h \
	src/lib/exec.c src/lib/exec.h \
	src/lib/clone.c src/lib/clone.h \
	src/lib/unixsock.c src/lib/unixsock.h \
	src/lib/notify.c src/lib/notify.h \
	src/lib/container.c src/lib/container.h \
	src/lib/hooks.c src/lib/hooks.h \
	src/lib/terminal.c src/lib/terminal.h \
	src/lib/rootfs.h src/lib/netlink.h src/lib/cgroup.h src/lib/host.h \
	$(libcontain_rootfs_sources) \
	$(libcontain_cgroup_sources) \
	$(libcontain_control_sources) \
	$(libcontain_seccomp_sources) \
	$(libcontain_check_sources) \
	src/lib/features.c src/lib/features.h
nodist_src_libcontain_a_SOURCES = src/lib/trampoline-bin.c
src_libcontain_a_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS) $(SECCOMP_CFLAGS) $(CAP_CFLAGS) $(MNL_CFLAGS)

bin_PROGRAMS += src/contain
src_contain_SOURCES = \
	src/contain.c src/cli.c src/cli.h src/log.c src/log.h \
	src/cmd/create.c src/cmd/start.c src/cmd/run.c src/cmd/state.c src/cmd/list.c \
	src/cmd/kill.c src/cmd/delete.c src/cmd/spec.c src/cmd/exec.c src/cmd/features.c \
	$(contain_cmd_control_sources) \
	$(contain_cmd_check_sources)
src_contain_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src
src_contain_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS) $(SECCOMP_CFLAGS) $(CAP_CFLAGS)
src_contain_LDADD = src/libcontain.a libocispec/libocispec.a \
	$(YAJL_LIBS) $(SECCOMP_LIBS) $(CAP_LIBS) $(MNL_LIBS) -lm

# The trampoline (src/trampoline.c): a static program without libc, built without the
# sanitizers, and embedded in libcontain as bytes (src/lib/trampoline-bin.c).
noinst_PROGRAMS += src/trampoline
src_trampoline_SOURCES = src/trampoline.c
src_trampoline_CPPFLAGS =
src_trampoline_CFLAGS = -Os -fno-stack-protector -fno-asynchronous-unwind-tables -fno-pie \
	-fno-builtin -Wall -Wextra -Werror
src_trampoline_LDFLAGS = -static -nostdlib -no-pie -s -Wl,--build-id=none -Wl,-n

src/lib/trampoline-bin.c: src/trampoline$(EXEEXT)
	$(AM_V_GEN)$(PYTHON3) -c 'import sys; b = open(sys.argv[1], "rb").read(); \
	print("/* Generated from src/trampoline by src/local.mk: do not edit. */"); \
	print("#include <stddef.h>"); \
	print("const unsigned char trampoline_elf[] = {" + ",".join(str(x) for x in b) + "};"); \
	print("const size_t trampoline_elf_len = sizeof trampoline_elf;")' $< >$@.tmp && mv -f $@.tmp $@
BUILT_SOURCES += src/lib/trampoline-bin.c
CLEANFILES += src/lib/trampoline-bin.c src/lib/trampoline-bin.c.tmp
