# tests/: C unit tests and fuzz targets (make check), the bats suite (tests/run-tests.sh).
include tests/unit/local.mk
include tests/local-seccomp.mk
include tests/fuzz/local.mk
include tests/local-terminal.mk
EXTRA_DIST += tests/run-tests.sh

# Static helpers copied into test containers.
noinst_PROGRAMS += tests/sdnotify
tests_sdnotify_SOURCES = tests/sdnotify.c
tests_sdnotify_CFLAGS = $(WARN_CFLAGS)
tests_sdnotify_LDFLAGS = -static
