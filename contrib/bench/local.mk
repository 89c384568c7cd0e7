# contrib/bench/: `make bench` — contain against runc, crun and the kernel floor (issue 9).
# Included from Makefile.am with: include contrib/bench/local.mk
#
#   make bench                      N=100 (about two minutes on a 2-core machine)
#   make bench BENCH_QUICK=1        N=10, fewer rounds (well under a minute)
#   make bench BENCH_N=30 BENCH_OUT=/tmp/bench.md BENCH_STATE_TMPFS=1
#
# The floor is built only for the bench (EXTRA_PROGRAMS), without the project's warning
# and sanitizer flags: it must cost no more than the kernel work it stands for.

EXTRA_PROGRAMS = contrib/bench/floor
contrib_bench_floor_SOURCES = contrib/bench/floor.c
contrib_bench_floor_CPPFLAGS =
contrib_bench_floor_CFLAGS = -O2 -Wall
contrib_bench_floor_LDFLAGS =
contrib_bench_floor_LDADD =
CLEANFILES += contrib/bench/floor$(EXEEXT)
EXTRA_DIST += contrib/bench/bench.py docs/performance.md

PYTHON3 = python3

.PHONY: bench
bench: src/contain$(EXEEXT) contrib/bench/floor$(EXEEXT)
	BENCH_N="$(BENCH_N)" BENCH_QUICK="$(BENCH_QUICK)" BENCH_OUT="$(BENCH_OUT)" \
	BENCH_STATE_TMPFS="$(BENCH_STATE_TMPFS)" BENCH_RUNTIMES="$(BENCH_RUNTIMES)" \
	$(PYTHON3) $(top_srcdir)/contrib/bench/bench.py \
	  --contain $(top_builddir)/src/contain$(EXEEXT) \
	  --floor $(top_builddir)/contrib/bench/floor$(EXEEXT)
