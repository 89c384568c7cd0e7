# The seccomp helpers of the tests: included by tests/local.mk.

# tests/seccomp-agent: the SCMP_ACT_NOTIFY agent and the in-container probes of
# tests/bats/seccomp.bats. Static, since it also runs inside the busybox container, and so
# without the sanitizers (its own CFLAGS/LDFLAGS replace AM_CFLAGS/AM_LDFLAGS). A
# noinst program, so a plain `make` builds it for the bats suite.
noinst_PROGRAMS += tests/seccomp-agent
tests_seccomp_agent_SOURCES = tests/seccomp-agent.c
tests_seccomp_agent_CFLAGS = $(WARN_CFLAGS)
tests_seccomp_agent_LDFLAGS = -static

# tests/unit/test-seccomp: the translation of linux.seccomp (tables, checks, JSON paths,
# the default profile); it compiles filters but never loads one.
check_PROGRAMS += tests/unit/test-seccomp
TESTS += tests/unit/test-seccomp
tests_unit_test_seccomp_SOURCES = tests/unit/test-seccomp.c tests/unit/unit.h \
	src/lib/seccomp.c src/lib/seccomp.h src/lib/seccomp-default.c \
	src/lib/util.c src/lib/error.c src/lib/debug.c
tests_unit_test_seccomp_CPPFLAGS = $(UNIT_CPPFLAGS) \
	-DSECCOMP_PROFILE='"$(abs_top_srcdir)/contrib/seccomp/default.json"'
tests_unit_test_seccomp_CFLAGS = $(UNIT_CFLAGS) $(SECCOMP_CFLAGS)
tests_unit_test_seccomp_LDADD = $(UNIT_LDADD) $(SECCOMP_LIBS)
$(tests_unit_test_seccomp_OBJECTS): libocispec/gen/oci-types.h

EXTRA_DIST += tests/bats/seccomp.bats
