#!/bin/bash
# dev.sh demo|test|build [configure options...]
#
# One entry point for a fresh Debian 12 / Ubuntu 24.04 machine, as root:
#   demo   install what is missing, build, make the demo bundle, run a container from it
#   test   install what is missing, build, run the unit tests and the bats suite; the last
#          line is "N passed, M failed, K skipped" over both
#   build  install what is missing and build
# CONTAIN_ASAN=1 builds with AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
mode=${1:-demo}
shift || true

# Debian package for each command or pkg-config module the build and the tests need.
packages=(
	autoconf automake make gcc pkg-config python3
	libyajl-dev libseccomp-dev libcap-dev libmnl-dev
	busybox-static bats jq iproute2 file
	clang libclang-rt-14-dev python3-jsonschema
	qemu-system-x86 linux-image-amd64 cpio xz-utils
	cppcheck clang-format valgrind git
)

install_missing() {
	local missing=()
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return
	if [ "$(id -u)" != 0 ]; then
		echo "dev.sh: missing packages: ${missing[*]}; run as root or: apt-get install ${missing[*]}" >&2
		exit 1
	fi
	echo "dev.sh: installing ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {
	local want="$*"
	[ "${CONTAIN_ASAN:-0}" = 1 ] && want="--enable-asan $want"
	if [ ! -x configure ] || [ configure.ac -nt configure ]; then
		./autogen.sh >/dev/null 2>&1 || ./autogen.sh
	fi
	if [ ! -f Makefile ] || [ "$(cat .configured 2>/dev/null)" != "$want" ]; then
		# shellcheck disable=SC2086
		./configure -q $want
		echo "$want" >.configured
	fi
	make -s -j"$(nproc)"
}

demo() {
	local bundle=${CONTAIN_DEMO_BUNDLE:-/tmp/contain-demo}
	RUNTIME=$top/src/contain contrib/mkbundle.sh "$bundle" >/dev/null
	# shellcheck disable=SC2016
	jq '.process.args = ["sh", "-c", "echo \"hostname: $(hostname)\"; echo \"my pid: $$\"; echo processes:; ps; echo mounts:; cat /proc/self/mounts"]' \
		"$bundle/config.json" >"$bundle/config.json.new"
	mv "$bundle/config.json.new" "$bundle/config.json"
	echo "dev.sh: running a container from $bundle"
	"$top/src/contain" run -b "$bundle" "contain-demo-$$"
}

# make check's counts, then the bats suite's, summed into one closing line.
run_tests() {
	local unit_log unit_pass unit_fail unit_skip rc=0
	unit_log=$(mktemp)
	make -s check >"$unit_log" 2>&1 || rc=1
	cat "$unit_log"
	unit_pass=$(sed -n 's/^# PASS: *//p' "$unit_log" | head -1)
	unit_fail=$(( $(sed -n 's/^# FAIL: *//p' "$unit_log" | head -1) + $(sed -n 's/^# ERROR: *//p' "$unit_log" | head -1) ))
	unit_skip=$(sed -n 's/^# SKIP: *//p' "$unit_log" | head -1)
	rm -f "$unit_log"
	local bats_log bats_line
	bats_log=$(mktemp)
	tests/run-tests.sh "$@" | tee "$bats_log" || rc=1
	bats_line=$(tail -1 "$bats_log")
	rm -f "$bats_log"
	local bp bf bs
	read -r bp bf bs < <(echo "$bats_line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p')
	if [ -z "${bp:-}" ]; then
		echo "dev.sh: the bats suite printed no summary line" >&2
		bp=0 bf=1 bs=0
	fi
	# The cgroup v2 suite, in a QEMU VM booting Debian's kernel with cgroup_no_v1=all.
	local vp=0 vf=0 vs=0 vm_line="not run" vm_log
	if [ "${CONTAIN_TEST_VM:-1}" != 0 ]; then
		vm_log=$(mktemp)
		tests/vm/run-suite.sh | tee "$vm_log" || rc=1
		vm_line=$(tail -1 "$vm_log")
		rm -f "$vm_log"
		read -r vp vf vs < <(echo "$vm_line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p')
		[ -n "${vp:-}" ] || { echo "dev.sh: the VM suite printed no summary line" >&2; vp=0 vf=1 vs=0; }
	fi
	# Each fuzz target is one test: it passes when it ran its time without a crash.
	local fp=0 ff=0 t
	for t in ${CONTAIN_FUZZ_TARGETS-config state}; do
		if FUZZ_SECONDS=${FUZZ_SECONDS:-60} tests/fuzz/run.sh "$t" >"/tmp/contain-fuzz-$t.log" 2>&1; then
			fp=$((fp + 1))
			echo "ok fuzz $t (${FUZZ_SECONDS:-60} s): $(grep -o 'Done [0-9]* runs' "/tmp/contain-fuzz-$t.log" | tail -1)"
		else
			ff=$((ff + 1)) rc=1
			echo "not ok fuzz $t"; tail -30 "/tmp/contain-fuzz-$t.log"
		fi
	done
	# The static and dynamic gates: one test each.
	local qp qf q_line q_log
	q_log=$(mktemp)
	tests/quality.sh | tee "$q_log" || rc=1
	q_line=$(tail -1 "$q_log")
	rm -f "$q_log"
	read -r qp qf < <(echo "$q_line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
	[ -n "${qp:-}" ] || { qp=0 qf=1; }
	# The bats suite again, under AddressSanitizer + UndefinedBehaviorSanitizer, from a
	# clone of this tree built with --enable-asan.
	local ap=0 af=0 as=0 asan_line="not run"
	if [ "${CONTAIN_TEST_ASAN:-1}" != 0 ]; then
		local asan_dir asan_log
		asan_dir=$(mktemp -d /tmp/contain-asan.XXXXXX)
		asan_log=$(mktemp)
		if git clone -q "$top" "$asan_dir/src" && (cd "$asan_dir/src" && ./autogen.sh >/dev/null 2>&1 &&
			./configure -q --enable-asan && make -s -j"$(nproc)" >/dev/null); then
			(cd "$asan_dir/src" && ASAN_OPTIONS=halt_on_error=1 UBSAN_OPTIONS=halt_on_error=1 \
				tests/run-tests.sh "$@") | sed 's/^/asan: /' | tee "$asan_log" || rc=1
			asan_line=$(tail -1 "$asan_log" | sed 's/^asan: //')
			read -r ap af as < <(echo "$asan_line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p')
			[ -n "${ap:-}" ] || { ap=0 af=1 as=0; }
		else
			echo "not ok the --enable-asan build"
			ap=0 af=1 as=0 rc=1
		fi
		rm -rf "$asan_dir" "$asan_log"
	fi
	echo "# unit: ${unit_pass:-0} passed, ${unit_fail:-0} failed; bats: $bats_line; vm: $vm_line; fuzz: $fp passed, $ff failed; gates: $q_line; asan bats: $asan_line"
	echo "$(( ${unit_pass:-0} + bp + vp + fp + qp + ap )) passed, $(( ${unit_fail:-0} + bf + vf + ff + qf + af )) failed, $(( ${unit_skip:-0} + bs + vs + as )) skipped"
	return $rc
}

case "$mode" in
demo) install_missing; build "$@"; demo ;;
test) install_missing; build; run_tests "$@" ;;
build) install_missing; build "$@" ;;
*) echo "usage: dev.sh demo|test|build" >&2; exit 2 ;;
esac
