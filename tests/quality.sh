#!/bin/bash
# quality.sh: the static and dynamic gates of CI besides the test suites, one line each
# ("ok gate NAME" / "not ok gate NAME"), and a last line "N passed, M failed".
#   cppcheck     warnings and errors on src/ and libocispec/ (generated code excluded;
#                the suppressions are false positives: the SET/PRESENT macros' own NULL
#                checks, and an error string handed over, not a local's address)
#   format       clang-format --dry-run -Werror against .clang-format
#   valgrind     leak and memory errors of the parent side: spec, state, list, features,
#                and a create/start/delete cycle (the init is a clone valgrind follows too)
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
passed=0 failed=0
gate() {
	local name=$1
	shift
	if "$@" >"/tmp/contain-gate-$name.log" 2>&1; then
		echo "ok gate $name"
		passed=$((passed + 1))
	else
		echo "not ok gate $name"
		sed 's/^/#   /' "/tmp/contain-gate-$name.log" | tail -40
		failed=$((failed + 1))
	fi
}

cppcheck_gate() {
	command -v cppcheck >/dev/null || { echo "cppcheck not installed"; return 1; }
	cppcheck --quiet --enable=warning,portability --inline-suppr --error-exitcode=1 \
		-D_GNU_SOURCE -I src/lib -I libocispec -I libocispec/gen \
		--suppress=missingIncludeSystem --suppress=memleak:src/lib/util.c \
		--suppress=preprocessorErrorDirective:src/trampoline.c \
		--suppress=returnDanglingLifetime:libocispec/ocispec-runtime.c \
		--suppress=nullPointerRedundantCheck:src/lib/cgroup-v1.c \
		--suppress=nullPointerRedundantCheck:src/lib/cgroup-v2.c \
		src/ libocispec/ocispec-runtime.c
}

# valgrind 3.19 has no wrappers for pidfd_open and openat2: kill, start and delete (which
# signal and wait through pidfds) run without it; create's parent side does not need them.
VG_DIR= VG_ROOT=
valgrind_gate() {
	command -v valgrind >/dev/null || { echo "valgrind not installed"; return 1; }
	local v=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect
		--error-exitcode=99 --suppressions="$top/tests/valgrind.supp")
	VG_DIR=$(mktemp -d /dev/shm/contain-vg.XXXXXX)
	VG_ROOT=/run/contain-vg-$$
	local bundle=$VG_DIR/bundle rc=0
	RUNTIME=$top/src/contain contrib/mkbundle.sh "$bundle" >/dev/null || return 1
	# valgrind keeps fds of its own above the soft limit: no rlimits in this config
	jq '.process.args = ["sleep", "30"] | del(.process.rlimits) | del(.linux.seccomp)' "$bundle/config.json" >"$bundle/c" &&
		mv "$bundle/c" "$bundle/config.json"
	{ "${v[@]}" src/contain spec -b "$VG_DIR" &&
		"${v[@]}" src/contain features >/dev/null &&
		"${v[@]}" src/contain --root "$VG_ROOT" create -b "$bundle" vg1 &&
		"${v[@]}" src/contain --root "$VG_ROOT" state vg1 >/dev/null &&
		"${v[@]}" src/contain --root "$VG_ROOT" list >/dev/null; } || rc=1
	src/contain --root "$VG_ROOT" delete -f vg1 || rc=1
	rm -rf "$VG_DIR" "$VG_ROOT"
	return $rc
}

format_gate() {
	command -v clang-format >/dev/null || { echo "clang-format not installed"; return 1; }
	git ls-files 'src/*.[ch]' 'libocispec/*.[ch]' 'tests/*.[ch]' 'contrib/*.[ch]' |
		xargs clang-format --dry-run -Werror
}

gate cppcheck cppcheck_gate
gate format format_gate
gate valgrind valgrind_gate
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
