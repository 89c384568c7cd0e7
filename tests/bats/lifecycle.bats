#!/usr/bin/env bats
# bats: each @test is a subshell, and run sets $output/$status/$stderr; jq filters use $vars
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# The lifecycle: create -> created (init waiting) -> start -> running -> stopped -> delete.

load helpers

@test "create returns with the init waiting; the user process has not run yet" {
	update_config '.root.readonly = false'
	set_args sh -c 'echo ran > /tmp/marker; exec sleep 100'
	create_ok "$ID"
	[ "$(state_field "$ID" status)" = created ]
	pid=$(state_field "$ID" pid)
	[ "$pid" -gt 0 ]
	pid_alive "$pid"
	# the container's process did not run: no marker inside the rootfs
	sleep 0.2
	[ ! -e "$ROOTFS/tmp/marker" ]
	[ "$(state_field "$ID" status)" = created ]
}

@test "start makes the init exec the process: running, same pid, effect seen inside" {
	update_config '.root.readonly = false'
	set_args sh -c 'echo $$ > /tmp/marker; tr "\0" " " </proc/1/cmdline >> /tmp/marker; exec sleep 100'
	create_ok "$ID"
	pid=$(state_field "$ID" pid)
	run rt start "$ID"
	assert_status 0
	wait_for grep -q sleep "$ROOTFS/tmp/marker"
	# inside, the process is PID 1 of its pid namespace and runs the configured args
	[ "$(sed -n 1p "$ROOTFS/tmp/marker")" = 1 ]
	[[ "$(sed -n 2p "$ROOTFS/tmp/marker")" == "sh -c echo "* ]]
	wait_status "$ID" running
	[ "$(state_field "$ID" pid)" = "$pid" ]
	# after the exec, the init is the user's program
	wait_for grep -q '^sleep' "/proc/$pid/comm"
}

@test "the pid file holds the init's PID, which runs in the container's namespaces" {
	set_args sleep 100
	create_ok "$ID" --pid-file "$TEST_DIR/pid"
	pid=$(cat "$TEST_DIR/pid")
	[ "$pid" = "$(state_field "$ID" pid)" ]
	[ "$(readlink "/proc/$pid/ns/pid")" != "$(readlink /proc/self/ns/pid)" ]
	[ "$(readlink "/proc/$pid/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ]
	# the process in the container is PID 1 there
	grep -Eq '^NSpid:[[:space:]]+'"$pid"'[[:space:]]+1$' "/proc/$pid/status"
}

@test "state is stopped once the process exited, and delete then removes everything" {
	set_args true
	start_ok "$ID"
	wait_status "$ID" stopped
	[ "$(state_field "$ID" pid)" = 0 ]
	run rt delete "$ID"
	assert_status 0
	assert_nothing_left "$ID"
	run rt state "$ID"
	assert_failed
	assert_output_contains "container does not exist"
}

@test "run: foreground, stdout of the container reaches the caller, state gone afterwards" {
	sh_ctr 'echo hello from $(hostname); readlink /proc/self/ns/pid'
	assert_status 0
	[ "${lines[0]}" = "hello from runc" ] || [ "${lines[0]}" = "hello from $(jq -r .hostname "$BUNDLE/config.json")" ]
	[ "${lines[1]}" != "$(readlink /proc/self/ns/pid)" ]
	assert_nothing_left "$ID"
}

@test "run returns the process's exit status" {
	sh_ctr 'exit 7'
	assert_status 7
	assert_nothing_left "$ID"
	ID=$(new_id)
	run_ctr false
	assert_status 1
	assert_nothing_left "$ID"
}

@test "run returns 128+9 when the process is killed by SIGKILL" {
	set_args sleep 100
	rt run "$ID" </dev/null >"$TEST_DIR/out" 2>&1 &
	runpid=$!
	wait_status "$ID" running
	rt kill "$ID" KILL
	rc=0
	wait "$runpid" || rc=$?
	[ "$rc" -eq 137 ]
	assert_nothing_left "$ID"
}

@test "run returns 128+15 when the process dies of SIGTERM" {
	# without a pid namespace the shell is not an init, so its own SIGTERM kills it
	no_ns pid
	sh_ctr 'kill -TERM $$; sleep 5'
	assert_status 143
	assert_nothing_left "$ID"
}

@test "run -d: detaches, the container runs, kill + delete end it" {
	set_args sleep 100
	rt_detached run -d "$ID"
	assert_status 0
	wait_status "$ID" running
	pid=$(state_field "$ID" pid)
	grep -q '^sleep' "/proc/$pid/comm"
	rt kill "$ID" KILL
	wait_status "$ID" stopped
	rt delete "$ID"
	assert_no_process "$pid"
	assert_nothing_left "$ID"
}

@test "run --pid-file writes the pid of the container's process" {
	set_args sleep 100
	rt_detached run -d --pid-file "$TEST_DIR/pid" "$ID"
	assert_status 0
	[ "$(cat "$TEST_DIR/pid")" = "$(state_field "$ID" pid)" ]
	grep -q '^sleep' "/proc/$(cat "$TEST_DIR/pid")/comm"
}

@test "kill with the default signal (TERM) reaches a process that handles it" {
	sh_ctr_script='trap "exit 0" TERM; echo ready; while :; do sleep 0.05; done'
	set_args sh -c "$sh_ctr_script"
	start_ok "$ID"
	wait_status "$ID" running
	# give the shell the moment to install its trap
	wait_for grep -q ready "$TEST_DIR/detached.1"
	run rt kill "$ID"
	assert_status 0
	wait_status "$ID" stopped
}

@test "delete of a stopped container removes state, cgroup and processes" {
	set_args sh -c 'sleep 100 & exec sleep 100'
	start_ok "$ID"
	pid=$(state_field "$ID" pid)
	rt kill "$ID" KILL
	wait_status "$ID" stopped
	run rt delete "$ID"
	assert_status 0
	assert_no_process "$pid"
	assert_nothing_left "$ID"
	run rt list -q
	[ -z "$output" ]
}

@test "delete of a created (never started) container kills its init" {
	set_args sleep 100
	create_ok "$ID"
	pid=$(state_field "$ID" pid)
	run rt delete "$ID"
	assert_status 0
	wait_for_gone "$pid"
	assert_nothing_left "$ID"
}

@test "delete --force of a running container kills it and every process in it" {
	set_args sh -c 'sleep 100 & exec sleep 100'
	start_ok "$ID"
	pid=$(state_field "$ID" pid)
	run rt delete --force "$ID"
	assert_status 0
	wait_for_gone "$pid"
	assert_nothing_left "$ID"
}

@test "two containers run side by side with separate namespaces" {
	id2=$(new_id)
	set_args sleep 100
	start_ok "$ID"
	start_ok "$id2"
	p1=$(state_field "$ID" pid)
	p2=$(state_field "$id2" pid)
	[ "$p1" != "$p2" ]
	[ "$(readlink "/proc/$p1/ns/pid")" != "$(readlink "/proc/$p2/ns/pid")" ]
	[ "$(readlink "/proc/$p1/ns/net")" != "$(readlink "/proc/$p2/ns/net")" ]
	run rt list -q
	[ "$(printf '%s\n' "${lines[@]}" | sort)" = "$(printf '%s\n' "$ID" "$id2" | sort)" ]
}
