#!/usr/bin/env bats
# bats: each @test is a subshell, and run sets $output/$status/$stderr; jq filters use $vars
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# Invalid transitions fail with exit 1, say what is wrong (runc's phrases, which engines
# parse) and change nothing.

load helpers

# snapshot ID: what must not change: status, pid, and the pid's process.
snapshot() {
	local st
	st=$(rt state "$1") || return 1
	jq -r '.status + " " + (.pid|tostring) + " " + .created' <<<"$st"
}

@test "state/start/kill/delete of a missing container: 'container does not exist'" {
	for cmd in state start kill delete; do
		run rt "$cmd" nosuch-container
		assert_status 1
		assert_output_contains "container does not exist"
	done
	[ -z "$(ls -A "$ROOT")" ]
}

@test "a second create with an existing id fails and leaves the first untouched" {
	set_args sleep 100
	create_ok "$ID"
	before=$(snapshot "$ID")
	pid=$(state_field "$ID" pid)
	rt_detached create "$ID"
	assert_status 1
	assert_output_contains "container with given ID already exists"
	[ "$(snapshot "$ID")" = "$before" ]
	pid_alive "$pid"
	run rt list -q
	[ "$output" = "$ID" ]
	# the first one still works
	rt start "$ID"
	wait_status "$ID" running
}

@test "run with an existing id fails and leaves the running one untouched" {
	set_args sleep 100
	start_ok "$ID"
	before=$(snapshot "$ID")
	run rt run "$ID"
	assert_status 1
	assert_output_contains "container with given ID already exists"
	[ "$(snapshot "$ID")" = "$before" ]
}

@test "start twice: 'cannot start an already running container'" {
	update_config '.root.readonly = false'
	set_args sh -c 'echo x >> /tmp/starts; exec sleep 100'
	start_ok "$ID"
	wait_status "$ID" running
	wait_for test -s "$ROOTFS/tmp/starts"
	before=$(snapshot "$ID")
	run rt start "$ID"
	assert_status 1
	assert_output_contains "cannot start an already running container"
	[ "$(snapshot "$ID")" = "$before" ]
	# the process ran once
	[ "$(wc -l <"$ROOTFS/tmp/starts")" -eq 1 ]
}

@test "start on a stopped container: 'cannot start a container that has stopped'" {
	update_config '.root.readonly = false'
	set_args sh -c 'echo x >> /tmp/starts'
	start_ok "$ID"
	wait_status "$ID" stopped
	run rt start "$ID"
	assert_status 1
	assert_output_contains "cannot start a container that has stopped"
	[ "$(state_field "$ID" status)" = stopped ]
	sleep 0.1
	[ "$(wc -l <"$ROOTFS/tmp/starts")" -eq 1 ]
}

@test "delete of a running container without --force fails and changes nothing" {
	set_args sleep 100
	start_ok "$ID"
	wait_status "$ID" running
	before=$(snapshot "$ID")
	pid=$(state_field "$ID" pid)
	run rt delete "$ID"
	assert_status 1
	# runc: "cannot delete container <id> that is not stopped: running"
	assert_output_contains "cannot delete container $ID that is not stopped: running"
	[ "$(snapshot "$ID")" = "$before" ]
	pid_alive "$pid"
	[ -d "$ROOT/$ID" ]
}

@test "kill of a stopped container: 'container not running'" {
	set_args true
	start_ok "$ID"
	wait_status "$ID" stopped
	for sig in "" KILL 9 TERM; do
		run rt kill "$ID" $sig
		assert_status 1
		assert_output_contains "container not running"
	done
	[ "$(state_field "$ID" status)" = stopped ]
	# still deletable
	rt delete "$ID"
	assert_nothing_left "$ID"
}

@test "kill with an unknown signal fails and the container keeps running" {
	set_args sleep 100
	start_ok "$ID"
	before=$(snapshot "$ID")
	for sig in FOO SIGFOO; do
		run rt kill "$ID" "$sig"
		assert_status 1
		# runc: unknown signal "FOO"
		assert_output_contains "unknown signal"
		assert_output_contains "$sig"
	done
	run rt kill "$ID" 999
	assert_status 1
	[ "$(snapshot "$ID")" = "$before" ]
}

@test "ids with '/' or '..' are refused: 'invalid container ID format', nothing made" {
	set_args true
	for bad in a/b .. ../x "x/../y" /abs; do
		run rt run "$bad"
		assert_status 1
		assert_output_contains "invalid container ID format"
	done
	[ -z "$(ls -A "$ROOT")" ]
	[ ! -e "$ROOT/../x" ]
	[ ! -e "$ROOT/a" ]
	assert_no_mounts_under "$TEST_DIR"
}

@test "an empty id is refused" {
	run rt create ""
	assert_failed
	[ -z "$(ls -A "$ROOT")" ]
}

@test "commands without the container id: usage error, exit 1" {
	for cmd in create start run state kill delete; do
		run rt "$cmd"
		assert_status 1
		# runc: runc: "state" requires exactly 1 argument(s)  (on stderr in logrus' text
		# format, which escapes the quotes: msg="runc: \"state\" requires ...")
		assert_output_matches "\\\\?\"$cmd\\\\?\" requires (exactly|a minimum of) 1 argument"
	done
	[ -z "$(ls -A "$ROOT")" ]
}

@test "delete --force of a missing container succeeds quietly" {
	# runc treats it as already gone: exit 0
	run rt delete --force nosuch-container
	assert_status 0
	[ -z "$(ls -A "$ROOT")" ]
}

@test "delete --force cleans up a state dir that a crashed create left (no state.json)" {
	mkdir -p "$ROOT/$ID"
	: >"$ROOT/$ID/junk"
	run rt state "$ID"
	assert_status 1
	assert_output_contains "container does not exist"
	run rt delete --force "$ID"
	assert_status 0
	assert_no_state "$ID"
}

@test "a container whose init was killed from outside is stopped, and delete cleans all" {
	set_args sleep 100
	create_ok "$ID"
	pid=$(state_field "$ID" pid)
	kill -KILL "$pid"
	wait_status "$ID" stopped
	run rt delete "$ID"
	assert_status 0
	assert_nothing_left "$ID"
}

@test "unknown command and unknown option fail" {
	run rt nosuch-command
	assert_failed
	assert_output_contains "nosuch-command"
	run rt state --nosuch-option "$ID"
	assert_failed
	assert_output_contains "nosuch-option"
}
