# Unit tests of the generated libocispec code (tests/unit/*.c). Each program
# prints "N passed, N failed" and exits non-zero when a check failed.

UNIT_TESTS = tests/unit/test-roundtrip tests/unit/test-errors tests/unit/test-cgroup-path tests/unit/test-signals
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)

UNIT_CPPFLAGS = $(AM_CPPFLAGS) -DUNIT_DATA_DIR='"$(abs_top_srcdir)/tests/unit/data"'
UNIT_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS)
UNIT_LDADD = libocispec/libocispec.a $(YAJL_LIBS)

tests_unit_test_roundtrip_SOURCES = tests/unit/test-roundtrip.c tests/unit/unit.h
tests_unit_test_roundtrip_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_roundtrip_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_roundtrip_LDADD = $(UNIT_LDADD)

tests_unit_test_errors_SOURCES = tests/unit/test-errors.c tests/unit/unit.h
tests_unit_test_errors_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_errors_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_errors_LDADD = $(UNIT_LDADD)

tests_unit_test_cgroup_path_SOURCES = tests/unit/test-cgroup-path.c tests/unit/unit.h \
	src/lib/cgroup-paths.c src/lib/cgroup-values.c src/lib/util.c src/lib/error.c
tests_unit_test_cgroup_path_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_cgroup_path_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_cgroup_path_LDADD = $(UNIT_LDADD) -lm

tests_unit_test_signals_SOURCES = tests/unit/test-signals.c tests/unit/unit.h \
	src/lib/signals.c
tests_unit_test_signals_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_signals_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_signals_LDADD = $(UNIT_LDADD)

UNIT_TESTS += tests/unit/test-devices-bpf
tests_unit_test_devices_bpf_SOURCES = tests/vm/devices-bpf-check.c
tests_unit_test_devices_bpf_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_devices_bpf_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_devices_bpf_LDADD = src/libcontain.a $(UNIT_LDADD) $(SECCOMP_LIBS) $(CAP_LIBS) $(MNL_LIBS) -lm

# So that `make tests/unit/test-errors` works without the BUILT_SOURCES pass.
$(tests_unit_test_roundtrip_OBJECTS) $(tests_unit_test_errors_OBJECTS) \
$(tests_unit_test_cgroup_path_OBJECTS) $(tests_unit_test_signals_OBJECTS): libocispec/gen/oci-types.h

EXTRA_DIST += \
	tests/unit/data/config-full.json \
	tests/unit/data/config-podman.json \
	tests/unit/data/config-runc-spec.json \
	tests/unit/data/config-runc-spec-rootless.json \
	tests/unit/data/features-full.json \
	tests/unit/data/features-runc.json \
	tests/unit/data/runtime-state-full.json \
	tests/unit/data/runtime-state.json \
	tests/unit/data/state-full.json \
	tests/unit/data/state-runc.json
