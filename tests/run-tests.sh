#!/bin/bash
# run-tests.sh [FILE.bats...] — run the conformance suite (default: every tests/bats/*.bats),
# stream its TAP output, and end with one line "N passed, M failed, K skipped".
# Exit status 0 only when nothing failed.
#
#   RUNTIME=/usr/sbin/runc tests/run-tests.sh              # validate the suite against runc
#   tests/run-tests.sh tests/bats/lifecycle.bats           # contain (../src/contain), one file
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUNTIME=${RUNTIME:-$(cd "$here/.." && pwd)/src/contain}
export RUNTIME

command -v bats >/dev/null 2>&1 || { echo "run-tests.sh: bats not found; apt-get install bats" >&2; exit 2; }
if [ "$(id -u)" != 0 ]; then
	echo "run-tests.sh: the suite needs root" >&2
	exit 2
fi

if [ $# -gt 0 ]; then
	files=("$@")
else
	files=("$here"/bats/*.bats)
fi

# The busybox bundle is built once per run (first test to need it), on tmpfs.
CONTAIN_TEST_CACHE=$(mktemp -d "${CONTAIN_TEST_TMPFS:-/dev/shm}/contain-test-cache.XXXXXX")
export CONTAIN_TEST_CACHE
cleanup() {
	rm -rf "$CONTAIN_TEST_CACHE"
	rmdir /run/contain-test 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "# RUNTIME=$RUNTIME"
passed=0 failed=0 skipped=0
while IFS= read -r line; do
	printf '%s\n' "$line"
	case "$line" in
	"not ok "*) failed=$((failed + 1)) ;;
	"ok "*" # skip"*) skipped=$((skipped + 1)) ;;
	"ok "*) passed=$((passed + 1)) ;;
	esac
done < <(bats --tap "${files[@]}" 2>&1)
wait $! 2>/dev/null
bats_rc=$?

# bats itself failing without a "not ok" line (e.g. a file that does not parse) is a failure
if [ "$bats_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	echo "# bats exited with status $bats_rc without a failing test"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$bats_rc" -eq 0 ]
