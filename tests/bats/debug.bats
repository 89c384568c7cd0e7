#!/usr/bin/env bats
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# --debug narrates each step of create/run/exec, one line each, to stderr or --log.

load helpers

@test "--debug: clone flags, each mount, pivot_root, cgroup writes, capabilities, seccomp, the execve" {
	contain_only "contain's narrative"
	set_args true
	run --separate-stderr rt --debug run "$ID"
	assert_status 0
	for want in "clone3 of the init with CLONE_NEWNS" "mount proc on /proc (type proc" \
		"mount tmpfs on /dev (type tmpfs" "pivot_root into" "cgroup: write" "cgroup.procs" \
		"capabilities now" "seccomp: filter" "execve /usr/sbin/true"; do
		[[ "$stderr" == *"$want"* ]] || { echo "missing: $want" >&2; false; }
	done
}

@test "--debug --log FILE --log-format json: one JSON object per line, level debug" {
	contain_only "contain's narrative"
	set_args true
	run rt --debug --log "$TEST_DIR/log.json" --log-format json run "$ID"
	assert_status 0
	[ "$(wc -l <"$TEST_DIR/log.json")" -gt 10 ]
	jq -se 'all(.[]; .level == "debug" and (.msg | type) == "string" and (.time | type) == "string")' \
		"$TEST_DIR/log.json" >/dev/null
}

@test "without --debug nothing is narrated" {
	set_args true
	run --separate-stderr rt run "$ID"
	assert_status 0
	[ -z "$stderr" ]
}
