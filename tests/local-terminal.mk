# tests/recvtty: the --console-socket receiver that tests/bats/terminal.bats drives.
# Built by `make` (not only `make check`), as the bats suite runs after a plain build.
noinst_PROGRAMS += tests/recvtty
tests_recvtty_SOURCES = tests/recvtty.c
