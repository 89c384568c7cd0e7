#!/usr/bin/env bats
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# The six hooks: each at its point, in the namespaces runtime-spec says, given the state
# on stdin, with its args, env and timeout; failures fail (or only warn) as the spec says.

load helpers


# a recorder hook: writes its stdin, its mount namespace and its env to $TEST_DIR/<name>
recorder() {
	local name=$1
	jq -cn --arg f "$TEST_DIR/$name" '{path: "/bin/sh", args: ["sh", "-c",
		("cat > " + $f + ".state; readlink /proc/self/ns/mnt > " + $f + ".mnt; echo \"$HOOK_VAR\" > " + $f + ".env"), "x"],
		env: ["HOOK_VAR=from-the-config"]}'
}

@test "prestart, createRuntime, poststart run in the runtime's namespaces with the state on stdin" {
	update_config --argjson a "$(recorder prestart)" --argjson b "$(recorder createRuntime)" \
		--argjson c "$(recorder poststart)" '.hooks = {prestart: [$a], createRuntime: [$b], poststart: [$c]}'
	set_args sleep 100
	create_ok "$ID"
	pid=$(state_field "$ID" pid)
	host_mnt=$(readlink /proc/self/ns/mnt)
	for h in prestart createRuntime; do
		[ "$(cat "$TEST_DIR/$h.mnt")" = "$host_mnt" ]
		[ "$(jq -r .id "$TEST_DIR/$h.state")" = "$ID" ]
		[ "$(jq -r .status "$TEST_DIR/$h.state")" = creating ]
		[ "$(jq -r .pid "$TEST_DIR/$h.state")" = "$pid" ]
		[ "$(jq -r .bundle "$TEST_DIR/$h.state")" = "$BUNDLE" ]
		[ "$(cat "$TEST_DIR/$h.env")" = from-the-config ]
	done
	[ ! -e "$TEST_DIR/poststart.state" ]
	rt start "$ID"
	wait_for test -s "$TEST_DIR/poststart.state"
	[ "$(cat "$TEST_DIR/poststart.mnt")" = "$host_mnt" ]
	[ "$(jq -r .status "$TEST_DIR/poststart.state")" = running ]
}

@test "createContainer runs in the container's namespaces, before the pivot" {
	update_config --argjson a "$(recorder createContainer)" '.hooks = {createContainer: [$a]}'
	set_args sleep 100
	create_ok "$ID"
	pid=$(state_field "$ID" pid)
	# the container's mount namespace; its path (/bin/sh, $TEST_DIR) resolved on the host's tree
	[ "$(cat "$TEST_DIR/createContainer.mnt")" = "$(readlink "/proc/$pid/ns/mnt")" ]
	[ "$(cat "$TEST_DIR/createContainer.mnt")" != "$(readlink /proc/self/ns/mnt)" ]
	[ "$(jq -r .status "$TEST_DIR/createContainer.state")" = creating ]
}

@test "startContainer runs in the container after start, its path resolved inside" {
	update_config '.hooks = {startContainer: [{path: "/bin/sh", args: ["sh", "-c", "cat > /dev/shm/start-hook.state; hostname >> /dev/shm/start-hook.host"]}]}'
	set_args sh -c 'cat /dev/shm/start-hook.host; jq_free=$(cat /dev/shm/start-hook.state); echo "$jq_free"'
	rt_run "$ID"
	assert_status 0
	[ "${lines[0]}" = "$(jq -r .hostname "$BUNDLE/config.json")" ]
	[ "$(jq -r .id <<<"${lines[1]}")" = "$ID" ]
}

@test "poststop runs after delete, with status stopped" {
	update_config --argjson a "$(recorder poststop)" '.hooks = {poststop: [$a]}'
	set_args true
	rt_run "$ID"
	assert_status 0
	wait_for test -s "$TEST_DIR/poststop.state"
	[ "$(jq -r .status "$TEST_DIR/poststop.state")" = stopped ]
	[ "$(jq -r .id "$TEST_DIR/poststop.state")" = "$ID" ]
}

@test "a failing createRuntime hook fails create, naming the hook; nothing is left" {
	update_config '.hooks = {createRuntime: [{path: "/bin/sh", args: ["sh", "-c", "exit 3"]}]}'
	set_args sleep 100
	rt_detached create "$ID"
	assert_status 1
	assert_output_contains "createRuntime"
	assert_nothing_left "$ID"
}

@test "a hook past its timeout is killed and fails the operation" {
	update_config '.hooks = {prestart: [{path: "/bin/sleep", args: ["sleep", "30"], timeout: 1}]}'
	set_args true
	SECONDS=0
	run rt run "$ID"
	assert_status 1
	assert_output_contains "timed out"
	[ "$SECONDS" -lt 20 ]
	assert_nothing_left "$ID"
}

@test "a failing poststart hook is a warning: the container runs on" {
	update_config '.hooks = {poststart: [{path: "/bin/false"}]}'
	set_args sleep 100
	create_ok "$ID"
	run rt start "$ID"
	assert_status 0
	assert_output_contains "poststart"
	[ "$(state_field "$ID" status)" = running ]
}

@test "a hook path that does not exist fails create clearly" {
	update_config '.hooks = {prestart: [{path: "/no/such/hook"}]}'
	set_args true
	run rt run "$ID"
	assert_status 1
	assert_output_contains "/no/such/hook"
	assert_nothing_left "$ID"
}
