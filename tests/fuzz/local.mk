# tests/fuzz: libFuzzer targets for the generated parsers.
#
# `make check` runs every seed of tests/fuzz/corpus/ through the targets with
# a plain main() (tests/fuzz/fuzz-main.c), with whatever compiler configure
# found. The real fuzzing needs clang and runs outside automake:
# `make fuzz` or tests/fuzz/run.sh (FUZZ_SECONDS per target, default 60).

FUZZ_SEED_TESTS = tests/fuzz/fuzz-config-seeds tests/fuzz/fuzz-state-seeds
check_PROGRAMS += $(FUZZ_SEED_TESTS)
TESTS += $(FUZZ_SEED_TESTS)

tests_fuzz_fuzz_config_seeds_SOURCES = tests/fuzz/fuzz-config.c tests/fuzz/fuzz-main.c tests/fuzz/roundtrip.h
tests_fuzz_fuzz_config_seeds_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_CORPUS_DIR='"$(abs_top_srcdir)/tests/fuzz/corpus/config"'
tests_fuzz_fuzz_config_seeds_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS)
tests_fuzz_fuzz_config_seeds_LDADD = libocispec/libocispec.a $(YAJL_LIBS)

tests_fuzz_fuzz_state_seeds_SOURCES = tests/fuzz/fuzz-state.c tests/fuzz/fuzz-main.c tests/fuzz/roundtrip.h
tests_fuzz_fuzz_state_seeds_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_CORPUS_DIR='"$(abs_top_srcdir)/tests/fuzz/corpus/state"'
tests_fuzz_fuzz_state_seeds_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS)
tests_fuzz_fuzz_state_seeds_LDADD = libocispec/libocispec.a $(YAJL_LIBS)

$(tests_fuzz_fuzz_config_seeds_OBJECTS) $(tests_fuzz_fuzz_state_seeds_OBJECTS): libocispec/gen/oci-types.h

fuzz:
	FUZZ_SECONDS=$${FUZZ_SECONDS:-60} PYTHON3=$(PYTHON3) $(SHELL) $(srcdir)/tests/fuzz/run.sh
.PHONY: fuzz

EXTRA_DIST += tests/fuzz/run.sh tests/fuzz/corpus
