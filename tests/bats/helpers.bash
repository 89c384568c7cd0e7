# shellcheck shell=bash
# jq filters are in single quotes on purpose; the variables set here are used by the tests;
# bats sets $output, $status, $lines and $stderr
# shellcheck disable=SC2016,SC2034,SC2154
# Shared setup of the conformance suite. Each .bats file does `load helpers`.
#
# Per test: a fresh --root under /run/contain-test/, a copy of the busybox bundle (built once
# per suite run) on tmpfs, unique container ids; teardown deletes every container of the
# test's root and fails loudly when a state dir, mount, process or cgroup is left.
#
# Environment: RUNTIME            the runtime under test (default ../../src/contain)
#              CONTAIN_TEST_CACHE where the bundle is built once (run-tests.sh sets it;
#                                 default: inside bats' run tmpdir, removed by bats)
#              CONTAIN_TEST_TMPFS a tmpfs for the per-test bundle copies (default /dev/shm)
#              CONTAIN_TEST_TIMEOUT seconds before a hanging runtime command is killed (60)

bats_require_minimum_version 1.5.0

SRC_DIR=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
RUNTIME=${RUNTIME:-$SRC_DIR/src/contain}
TEST_ROOT_BASE=/run/contain-test
TEST_TMPFS=${CONTAIN_TEST_TMPFS:-/dev/shm}

# --- which runtime ------------------------------------------------------------------------
is_contain() { [[ "$(basename "$RUNTIME")" == contain* ]]; }
is_runc() { [[ "$(basename "$RUNTIME")" == runc* ]]; }

# contain_only [WHY]: skip unless the runtime under test is contain (for contain's own texts,
# and for what the issue asks where runc behaves otherwise; say why at the call site).
contain_only() {
	is_contain || skip "contain only${1:+: $1}"
}

# --- the runtime --------------------------------------------------------------------------
# rt ARGS...: the runtime with the test's --root. A runtime that hangs is stopped after
# CONTAIN_TEST_TIMEOUT seconds (default 60; exit status 124) so the suite goes on.
rt() {
	timeout -k 5 "${CONTAIN_TEST_TIMEOUT:-60}" "$RUNTIME" --root "$ROOT" "$@"
}

# rt_detached SUBCOMMAND ARGS...: run a command that leaves a container process behind
# (create, run -d) with stdin from /dev/null and stdout/stderr on a file, so no pipe of bats
# is held open by the container. Sets $status, $output and $lines as bats' `run` does.
rt_detached() {
	DETACHED_N=$((${DETACHED_N:-0} + 1))
	local out=$TEST_DIR/detached.$DETACHED_N
	rt "$@" </dev/null >"$out" 2>&1 && status=0 || status=$?
	output=$(cat "$out")
	# shellcheck disable=SC2034
	mapfile -t lines <<<"$output"
	return 0
}

# create_ok ID [OPTS...]: create, and fail the test unless it worked.
create_ok() {
	rt_detached create "$@"
	if [ "$status" -ne 0 ]; then
		echo "create $* failed ($status): $output" >&2
		return 1
	fi
}

# start_ok ID: create + start.
start_ok() {
	create_ok "$@" || return 1
	rt start "$1" || { echo "start $1 failed" >&2; return 1; }
}

# new_id: a fresh container id, unique across concurrent suite runs. Every id of a test
# starts with $ID_PREFIX, so teardown finds what any of them left.
new_id() {
	echo "${ID_PREFIX}$RANDOM$RANDOM"
}

# state_field ID FIELD: one field of `state`'s JSON (raw).
state_field() {
	rt state "$1" | jq -r ".$2"
}

# wait_status ID STATUS [TRIES]: poll `state` until .status is STATUS (20ms steps).
wait_status() {
	local id=$1 want=$2 tries=${3:-250} cur=
	while [ "$tries" -gt 0 ]; do
		cur=$(rt state "$id" 2>/dev/null | jq -r .status 2>/dev/null)
		[ "$cur" = "$want" ] && return 0
		sleep 0.02
		tries=$((tries - 1))
	done
	echo "container $id: status '$cur', waited for '$want'" >&2
	return 1
}

# wait_for CMD...: poll until CMD succeeds (5s).
wait_for() {
	local tries=250
	until "$@" 2>/dev/null; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || { echo "timed out waiting for: $*" >&2; return 1; }
		sleep 0.02
	done
}

# --- config.json --------------------------------------------------------------------------
# update_config JQ_FILTER [JQ_ARGS...]: edit the test's config.json in place.
update_config() {
	local cfg=$BUNDLE/config.json
	jq "$@" "$cfg" >"$cfg.new" && mv "$cfg.new" "$cfg"
}

# json_array ARG...: the arguments as a JSON array of strings. (jq's own --args would take
# an argument like "-c" for one of jq's options.)
json_array() {
	local i=0 a f='' opts=()
	for a in "$@"; do
		opts+=(--arg "a$i" "$a")
		f+="${f:+,}\$a$i"
		i=$((i + 1))
	done
	jq -cn "${opts[@]}" "[$f]"
}

# set_args ARG...: .process.args = [ARG...]
set_args() {
	update_config --argjson v "$(json_array "$@")" '.process.args = $v'
}

# run_ctr ARG...: set the args and `run` the container in the foreground. $status as bats'
# run; $output and $lines hold only what went to stdout (the container's), so a warning
# of the runtime cannot shift them; $stderr holds the rest, and the assert_output_*
# helpers search both. Options for `run` can go in RUN_OPTS (an array).
run_ctr() {
	set_args "$@"
	rt_run "${RUN_OPTS[@]}" "$ID"
}

# rt_run [OPTS] ID: `run rt run ...` with stdout and stderr apart, as run_ctr does.
rt_run() {
	run --separate-stderr rt run "$@"
	CTR_STDOUT=$output
	CTR_STDERR=$stderr
}

# sh_ctr SCRIPT: run_ctr sh -c SCRIPT
sh_ctr() {
	run_ctr sh -c "$1"
}

# no_ns TYPE: remove a namespace from the config.
no_ns() {
	update_config --arg t "$1" '.linux.namespaces |= map(select(.type != $t))'
}

# add_ns TYPE [PATH]: add (or replace) a namespace.
add_ns() {
	no_ns "$1"
	if [ -n "${2:-}" ]; then
		update_config --arg t "$1" --arg p "$2" '.linux.namespaces += [{type: $t, path: $p}]'
	else
		update_config --arg t "$1" '.linux.namespaces += [{type: $t}]'
	fi
}

# --- what must not be left ----------------------------------------------------------------
# mounts_under DIR: mount points at or below DIR in the caller's mount namespace.
mounts_under() {
	awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo
}

assert_no_mounts_under() {
	local m
	m=$(mounts_under "$1")
	if [ -n "$m" ]; then
		echo "mounts left under $1:" >&2
		echo "$m" >&2
		return 1
	fi
}

# cgroup_dirs ID: the directories a container ID would have for an empty cgroupsPath:
# <caller's own cgroup>/<ID> in every mounted hierarchy.
cgroup_dirs() {
	local id=$1 line hier ctrls path mnt fstype opts
	while IFS= read -r line; do
		hier=${line%%:*}
		line=${line#*:}
		ctrls=${line%%:*}
		path=${line#*:}
		if [ "$hier" = 0 ] && [ -z "$ctrls" ]; then
			mnt=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
		else
			mnt=
			while read -r m fstype opts; do
				[ "$fstype" = cgroup ] || continue
				local ok=1 c
				for c in ${ctrls//,/ }; do
					[[ ",$opts," == *",$c,"* ]] || ok=
				done
				[ -n "$ok" ] && { mnt=$m; break; }
			done < <(awk '{ for (i = 7; $i != "-"; i++); print $5, $(i+1), $(i+3) }' /proc/self/mountinfo)
		fi
		[ -n "$mnt" ] && echo "$mnt${path%/}/$id"
	done </proc/self/cgroup
}

assert_no_cgroup() {
	local d bad=0
	for d in $(cgroup_dirs "$1"); do
		if [ -d "$d" ]; then
			echo "cgroup left: $d" >&2
			bad=1
		fi
	done
	return "$bad"
}

assert_no_state() {
	if [ -e "$ROOT/$1" ]; then
		echo "state left: $ROOT/$1: $(find "$ROOT/$1" -mindepth 1 -printf '%f ')" >&2
		return 1
	fi
}

# pid_alive PID: the process exists and is not a zombie.
pid_alive() {
	local st
	st=$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ]
}

assert_no_process() {
	if [ -n "$1" ] && [ "$1" != 0 ] && pid_alive "$1"; then
		echo "process left: $1 ($(tr '\0' ' ' <"/proc/$1/cmdline"))" >&2
		return 1
	fi
}

# assert_nothing_left ID: no state dir, no mount under the test dir, no cgroup of ID.
assert_nothing_left() {
	local bad=0
	assert_no_state "$1" || bad=1
	assert_no_mounts_under "$TEST_DIR" || bad=1
	assert_no_cgroup "$1" || bad=1
	return "$bad"
}

# --- assertions on output -----------------------------------------------------------------
# all_output: $output, and the stderr of the last run_ctr while $output is still its stdout
all_output() {
	if [ -n "${CTR_STDERR:-}" ] && [ "$output" == "${CTR_STDOUT-}" ]; then
		printf '%s\n%s' "$output" "$CTR_STDERR"
	else
		printf '%s' "$output"
	fi
}

assert_output_contains() {
	local all
	all=$(all_output)
	if [[ "$all" != *"$1"* ]]; then
		echo "expected output to contain: $1" >&2
		echo "output was: $all" >&2
		return 1
	fi
}

assert_output_matches() {
	local all
	all=$(all_output)
	if ! [[ "$all" =~ $1 ]]; then
		echo "expected output to match: $1" >&2
		echo "output was: $all" >&2
		return 1
	fi
}

assert_status() {
	if [ "$status" -ne "$1" ]; then
		echo "expected status $1, got $status; output: $(all_output)" >&2
		return 1
	fi
}

assert_failed() {
	if [ "$status" -eq 0 ]; then
		echo "expected failure, got status 0; output: $(all_output)" >&2
		return 1
	fi
}

# --- setup / teardown ---------------------------------------------------------------------
ensure_bundle_cache() {
	local cache=${CONTAIN_TEST_CACHE:-$BATS_RUN_TMPDIR/contain-bundle-cache}
	mkdir -p "$cache"
	BUNDLE_CACHE=$cache/bundle
	[ -e "$cache/done" ] && return 0
	(
		flock 9
		if [ ! -e "$cache/done" ]; then
			RUNTIME=$RUNTIME "$SRC_DIR/contrib/mkbundle.sh" "$BUNDLE_CACHE" >&2 &&
				touch "$cache/done"
		fi
	) 9>"$cache/lock"
	[ -e "$cache/done" ]
}

setup() {
	common_setup
}

teardown() {
	common_teardown
}

common_setup() {
	ID_PREFIX="ct${BATS_SUITE_TEST_NUMBER:-0}-$$-"
	CLEANUP_PIDS=()
	CLEANUP_NETNS=()
	DEFAULT_ROOT_IDS=()
	RUN_OPTS=()
	CTR_STDOUT=
	CTR_STDERR=
	DETACHED_N=0
	if [ ! -x "$RUNTIME" ]; then
		echo "RUNTIME=$RUNTIME is not an executable (build contain, or set RUNTIME)" >&2
		return 1
	fi
	ensure_bundle_cache || { echo "cannot build the busybox bundle" >&2; return 1; }
	TEST_DIR=$(mktemp -d "$TEST_TMPFS/contain-test.XXXXXX")
	chmod 755 "$TEST_DIR" # reachable by the ids of a user namespace
	BUNDLE=$TEST_DIR/bundle
	ROOTFS=$BUNDLE/rootfs
	cp -a "$BUNDLE_CACHE" "$BUNDLE"
	mkdir -p "$TEST_ROOT_BASE"
	ROOT=$(mktemp -d "$TEST_ROOT_BASE/XXXXXX")
	ID=$(new_id)
	cd "$BUNDLE" || return 1
}

common_teardown() {
	local bad=0 id pid m d ids=() pids=()
	cd / || true
	for pid in "${CLEANUP_PIDS[@]}"; do
		{
			kill -KILL "$pid"
			wait "$pid"
		} 2>/dev/null || true
	done
	if [ -n "${ROOT:-}" ] && [ -d "$ROOT" ]; then
		# everything the runtime lists, and every entry of the root it may not list
		mapfile -t ids < <({ rt list -q 2>/dev/null; ls -A "$ROOT"; } | sort -u)
		for id in "${ids[@]}"; do
			[ -n "$id" ] || continue
			pid=$(rt state "$id" 2>/dev/null | jq -r '.pid // 0' 2>/dev/null)
			[ -n "$pid" ] && [ "$pid" != 0 ] && pids+=("$pid")
			rt delete --force "$id" >/dev/null 2>&1 || true
			if [ -e "$ROOT/$id" ]; then
				echo "teardown: 'delete --force $id' left $ROOT/$id" >&2
				bad=1
			fi
		done
	fi
	for pid in "${pids[@]}"; do
		wait_for_gone "$pid" || {
			echo "teardown: process $pid still alive after delete --force" >&2
			kill -KILL "$pid" 2>/dev/null
			bad=1
		}
	done
	for d in $(cgroup_dirs "${ID_PREFIX:-none-}*"); do
		if [ -d "$d" ]; then
			echo "teardown: cgroup left: $d ($(tr '\n' ' ' <"$d/cgroup.procs"))" >&2
			remove_cgroup "$d"
			bad=1
		fi
	done
	# containers a test made in the runtime's default root
	for id in "${DEFAULT_ROOT_IDS[@]}"; do
		"$RUNTIME" delete --force "$id" >/dev/null 2>&1 || true
	done
	for m in "${CLEANUP_NETNS[@]}"; do
		ip netns delete "$m" 2>/dev/null || true
	done
	if [ -n "${TEST_DIR:-}" ]; then
		m=$(mounts_under "$TEST_DIR")
		if [ -n "$m" ]; then
			echo "teardown: mounts left under $TEST_DIR:" >&2
			echo "$m" >&2
			# undo them (deepest first) so the host is clean again; still a failure
			echo "$m" | sort -r | while read -r d; do umount -l "$d" 2>/dev/null; done
			bad=1
		fi
		rm -rf "$TEST_DIR"
	fi
	if [ -n "${ROOT:-}" ]; then rm -rf "$ROOT"; fi
	return "$bad"
}

# remove_cgroup DIR: kill what is left in a cgroup of this test's containers, and remove it
remove_cgroup() {
	local tries=50 pid
	while [ -d "$1" ] && [ "$tries" -gt 0 ]; do
		while read -r pid; do
			[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
		done <"$1/cgroup.procs"
		rmdir "$1" 2>/dev/null || sleep 0.02
		tries=$((tries - 1))
	done
}

wait_for_gone() {
	local tries=100
	while pid_alive "$1"; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.02
	done
}
