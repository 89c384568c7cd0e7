#!/bin/bash
# run-suite.sh [FILE.bats...] — boot a VM with a pure cgroup v2 kernel (run-in-vm.sh) and run
# the cgroup v2 suite in it: by default all of tests/bats/cgroups-v2.bats and the chosen tests
# of cgroups-cmds.bats and lifecycle.bats (CONTAIN_VM_FILTER, a bats --filter regex, changes
# the choice; "" takes all), with the runtime of this build tree. The last line is tests/run-tests.sh's
# "N passed, M failed, K skipped" (or one made here when the VM could not run the suite);
# the exit status is 0 only when nothing failed.
#
#   tests/vm/run-suite.sh                                # the default files
#   tests/vm/run-suite.sh tests/bats/cgroups-v2.bats     # just one
#   RUNTIME=/usr/sbin/runc tests/vm/run-suite.sh         # the suite against runc
#
# Needs root and (Debian) qemu-system-x86 linux-image-amd64 busybox-static cpio xz-utils; when
# one is missing the suite is skipped (exit 0, "0 passed, 0 failed, 1 skipped") with the reason.
# Environment: CONTAIN_VM_TIMEOUT seconds for the whole VM run (default 600), CONTAIN_VM_FILTER,
#   run-in-vm.sh's CONTAIN_VM_* variables.
#
# In the guest the suite runs as root in the root cgroup, so that an empty cgroupsPath (the
# container beneath the caller's own cgroup) can have controllers: cgroup v2 lets no other
# cgroup that holds processes enable controllers for its children. The host's / is the
# guest's root (read-only, under a tmpfs), this tree is shared read-write, and --root and the
# test bundles are on the guest's tmpfs (/run, /dev/shm): 9p cannot hold a fifo.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
RUNTIME=${RUNTIME:-$top/src/contain}

skip() {
	echo "run-suite.sh: skipped: $*"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
}

[ "$(id -u)" = 0 ] || skip "the VM suite needs root"
command -v qemu-system-x86_64 >/dev/null || skip "no qemu-system-x86_64 (apt-get install qemu-system-x86)"
ls /boot/vmlinuz-* >/dev/null 2>&1 || skip "no kernel in /boot (apt-get install linux-image-amd64)"
[ -x /bin/busybox ] || skip "no /bin/busybox (apt-get install busybox-static)"
command -v cpio >/dev/null || skip "no cpio (apt-get install cpio)"
command -v bats >/dev/null || skip "no bats (apt-get install bats)"
[ -x "$RUNTIME" ] || skip "RUNTIME=$RUNTIME is not an executable (build contain first)"

if [ $# -gt 0 ]; then
	files=()
	for f in "$@"; do files+=("$(cd "$(dirname "$f")" && pwd)/$(basename "$f")"); done
	filter=${CONTAIN_VM_FILTER:-}
else
	files=("$top/tests/bats/cgroups-v2.bats" "$top/tests/bats/cgroups-cmds.bats"
		"$top/tests/bats/lifecycle.bats")
	# all of the v2 file; of the others, what is most worth seeing on a v2 kernel (each test
	# costs 10-20 s under TCG: the whole run stays under 5 minutes)
	filter=${CONTAIN_VM_FILTER-'^v2 |^pause: state paused|^delete of a paused container|^update: the flags|^events: an OOM kill|^start makes the init exec|^delete --force of a running container'}
fi
bats_opts=(--tap)
[ -z "$filter" ] || bats_opts+=(--filter "$filter")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/contain-vm-suite.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The device filter's own checks (devices-bpf-check.c), built against this tree's library;
# the guest sees $tmp through its read-only view of the host's /.
envs=(-e "RUNTIME=$RUNTIME")
lib=$top/src/libcontain.a
if [ -f "$lib" ] && [ -f "$top/libocispec/libocispec.a" ] && command -v cc >/dev/null; then
	san=()
	# (a library built with --enable-asan needs the sanitizers' runtimes)
	case $(nm "$lib" 2>/dev/null | grep -c __asan_) in 0 | '') ;; *) san=(-fsanitize=address,undefined) ;; esac
	# shellcheck disable=SC2046
	if cc -std=gnu11 -D_GNU_SOURCE "${san[@]}" -iquote "$top/src/lib" -I"$top/libocispec" \
		-I"$top/libocispec/gen" -o "$tmp/devices-bpf-check" "$here/devices-bpf-check.c" \
		"$lib" "$top/libocispec/libocispec.a" \
		$(pkg-config --libs yajl libseccomp libcap libmnl 2>/dev/null || echo -lyajl -lseccomp -lcap -lmnl) \
		-lm 2>"$tmp/cc.log"; then
		envs+=(-e "CONTAIN_DEVBPF_CHECK=$tmp/devices-bpf-check")
	else
		echo "run-suite.sh: devices-bpf-check did not build (its test is skipped):" >&2
		tail -n 5 "$tmp/cc.log" >&2
	fi
fi

# The busybox bundle, made here: in the guest every process costs 100-175 ms, and
# mkbundle.sh's few hundred applet links would take a minute. helpers.bash copies it from
# CONTAIN_TEST_CACHE for each test (onto the guest's /dev/shm).
mkdir -p "$tmp/cache"
RUNTIME=$RUNTIME "$top/contrib/mkbundle.sh" "$tmp/cache/bundle" >/dev/null || {
	echo "run-suite.sh: cannot make the test bundle"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
}
touch "$tmp/cache/done"
envs+=(-e "CONTAIN_TEST_CACHE=$tmp/cache")

# bats in the guest, counted here as tests/run-tests.sh counts (its own cache would be
# made in the guest).
echo "# run-suite.sh: booting a cgroup v2 VM for ${files[*]#"$top"/}"
echo "# RUNTIME=$RUNTIME"
passed=0 failed=0 skipped=0 vmrc=
while IFS= read -r line; do
	case "$line" in
	"# vm-status "*) vmrc=${line#"# vm-status "}; continue ;;
	"not ok "*) failed=$((failed + 1)) ;;
	"ok "*" # skip"*) skipped=$((skipped + 1)) ;;
	"ok "*) passed=$((passed + 1)) ;;
	esac
	printf '%s\n' "$line"
done < <(
	"$here/run-in-vm.sh" -s "$top" -g / -t "${CONTAIN_VM_TIMEOUT:-600}" "${envs[@]}" -- \
		bash -c 'mkdir -p /run/contain-test && exec bats "$@"' bats "${bats_opts[@]}" "${files[@]}" 2>&1
	echo "# vm-status $?"
)
case ${vmrc:-125} in
0) ;;
124) echo "# run-suite.sh: the VM timed out (CONTAIN_VM_TIMEOUT=${CONTAIN_VM_TIMEOUT:-600})" ;;
125) echo "# run-suite.sh: the VM could not run the suite" ;;
*) [ "$failed" -gt 0 ] || echo "# run-suite.sh: bats exited with status $vmrc without a failing test" ;;
esac
# a VM that did not finish, or bats failing without a "not ok", is a failure too
if [ "${vmrc:-125}" != 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
