# docs/: the man page (built from its markdown, see local-man.mk), the architecture notes
# and the tutorial (tested by tests/bats/tutorial.bats).
include docs/local-man.mk
EXTRA_DIST += docs/architecture.md docs/libocispec.md docs/tutorial
