#!/usr/bin/env bats
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# exec: a new process in a running container, each option asserted from inside.

load helpers

# A running container to exec into.
running() {
	set_args sleep 1000
	rt_detached run -d "$ID"
	assert_status 0
}

@test "exec runs in the container's pid, mount, uts and net namespaces and cgroup" {
	running
	pid=$(state_field "$ID" pid)
	run --separate-stderr rt exec "$ID" sh -c 'echo $$; hostname; ps -o pid,args; for n in mnt net uts; do readlink /proc/self/ns/$n; done; cat /proc/self/cgroup'
	assert_status 0
	# PID 1 is the container's init; the exec'd shell has a small pid of that namespace
	[ "${lines[0]}" -lt 100 ]
	[ "${lines[1]}" = "$(jq -r .hostname "$BUNDLE/config.json")" ]
	[[ "$output" == *"sleep 1000"* ]]
	[ "${lines[$((${#lines[@]} - 1))]}" != "" ]
	for ns in mnt net uts; do
		[[ "$output" == *"$(readlink "/proc/$pid/ns/$ns")"* ]]
	done
	# the same cgroup as the init, in every hierarchy
	diff <(sed 's/^[0-9]*://' "/proc/$pid/cgroup") <(grep -E '^[0-9]+:' <<<"$output" | sed 's/^[0-9]*://')
}

@test "exec's exit status is the process's; 128+N when killed by signal N" {
	running
	run rt exec "$ID" sh -c 'exit 42'
	assert_status 42
	run rt exec "$ID" sh -c 'kill -9 $$'
	assert_status 137
}

@test "exec -e, --cwd, -u, -g set env, cwd, user and groups" {
	running
	run --separate-stderr rt exec -e FOO=bar -e X="a b" --cwd /tmp -u 1000:1000 -g 5 -g 100 "$ID" \
		sh -c 'echo "$FOO|$X"; pwd; id -u; id -g; grep Groups /proc/self/status'
	assert_status 0
	[ "${lines[0]}" = "bar|a b" ]
	[ "${lines[1]}" = /tmp ]
	[ "${lines[2]}" = 1000 ]
	[ "${lines[3]}" = 1000 ]
	[[ "${lines[4]}" == *"5 100"* ]]
}

@test "exec keeps the container's environment and capabilities unless told" {
	running
	run --separate-stderr rt exec "$ID" sh -c 'echo $PATH; grep CapEff /proc/self/status'
	assert_status 0
	[ "${lines[0]}" = "$(jq -r '.process.env[] | select(startswith("PATH=")) | sub("PATH=";"")' "$BUNDLE/config.json")" ]
	[ "$(awk '{print $2}' <<<"${lines[1]}")" = 0000000020000420 ]
	# --cap adds one: CAP_SYS_ADMIN is bit 21
	run --separate-stderr rt exec --cap CAP_SYS_ADMIN "$ID" grep CapEff /proc/self/status
	assert_status 0
	[ "$(awk '{print $2}' <<<"$output")" = 0000000020200420 ]
}

@test "exec --no-new-privs sets NoNewPrivs" {
	update_config '.process.noNewPrivileges = false'
	running
	run rt exec "$ID" grep NoNewPrivs /proc/self/status
	[[ "$output" == *"0"* ]]
	run rt exec --no-new-privs "$ID" grep NoNewPrivs /proc/self/status
	assert_status 0
	[[ "$output" == *"1"* ]]
}

@test "exec --process process.json runs that process" {
	running
	cat >"$TEST_DIR/process.json" <<-'EOF'
	{"args": ["sh", "-c", "echo from-json $A; id -u; pwd"], "env": ["A=1", "PATH=/bin"], "cwd": "/root", "user": {"uid": 0, "gid": 0}}
	EOF
	run --separate-stderr rt exec --process "$TEST_DIR/process.json" "$ID"
	assert_status 0
	[ "${lines[0]}" = "from-json 1" ]
	[ "${lines[1]}" = 0 ]
	[ "${lines[2]}" = /root ]
}

@test "exec -d --pid-file: detached, the pid file holds the process" {
	running
	rt_detached exec -d --pid-file "$TEST_DIR/exec.pid" "$ID" sleep 300
	assert_status 0
	pid=$(cat "$TEST_DIR/exec.pid")
	pid_alive "$pid"
	# it is in the container's pid namespace
	[ "$(readlink "/proc/$pid/ns/pid")" = "$(readlink "/proc/$(state_field "$ID" pid)/ns/pid")" ]
	[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "sleep 300 " ]
}

@test "exec --preserve-fds 1 passes fd 3 and nothing else" {
	running
	echo through-fd3 >"$TEST_DIR/fd3"
	run rt exec --preserve-fds 1 "$ID" sh -c 'cat <&3; ls /proc/self/fd' 3<"$TEST_DIR/fd3"
	assert_status 0
	[ "${lines[0]}" = through-fd3 ]
	# 0 1 2 3 and ls's own dir fd
	[ "${#lines[@]}" -eq 6 ]
}

@test "exec: no host fd reaches the process" {
	running
	run rt exec "$ID" ls /proc/self/fd 7<"$BUNDLE/config.json"
	assert_status 0
	[ "$(echo "$output" | tr '\n' ' ')" = "0 1 2 3 " ]
}

@test "exec into a user-namespaced container is root there, mapped" {
	update_config '.linux.namespaces += [{"type": "user"}] | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}] | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	running
	run --separate-stderr rt exec "$ID" sh -c 'id -u; cat /proc/self/uid_map'
	assert_status 0
	[ "${lines[0]}" = 0 ]
	[[ "${lines[1]}" == *"0"*"100000"*"65536"* ]]
}

@test "exec of a missing program: runc's phrase, exit 1" {
	running
	run rt exec "$ID" /no/such/program
	assert_status 1
	assert_output_contains "no such file or directory"
	run rt exec "$ID" nosuchprogram
	assert_status 1
	assert_output_contains "executable file not found in \$PATH"
}

@test "exec on a stopped or missing container fails" {
	set_args true
	rt_detached run -d "$ID"
	wait_status "$ID" stopped
	run rt exec "$ID" true
	assert_status 1
	assert_output_contains "stopped"
	run rt exec nosuch-container true
	assert_status 1
	assert_output_contains "does not exist"
}

@test "exec needs an id and a command" {
	run rt exec
	assert_status 1
	run rt exec "$ID"
	assert_status 1
}

@test "LISTEN_FDS (socket activation): the fds pass first, with LISTEN_FDS=N and LISTEN_PID=1" {
	echo listened >"$TEST_DIR/lfd"
	set_args sh -c 'echo "$LISTEN_FDS $LISTEN_PID"; cat <&3'
	# LISTEN_PID must name the runtime itself, as systemd sets it
	run --separate-stderr bash -c 'LISTEN_FDS=1 LISTEN_PID=$$ exec "$@"' _ \
		"$RUNTIME" --root "$ROOT" run -b "$BUNDLE" "$ID" 3<"$TEST_DIR/lfd"
	assert_status 0
	[ "${lines[0]}" = "1 1" ]
	[ "${lines[1]}" = listened ]
}

@test "LISTEN_FDS of another process is not taken (LISTEN_PID differs)" {
	set_args sh -c 'echo "[${LISTEN_FDS:-}]"; ls /proc/self/fd'
	run --separate-stderr env LISTEN_FDS=1 LISTEN_PID=1 "$RUNTIME" --root "$ROOT" run -b "$BUNDLE" "$ID" 3</dev/null
	assert_status 0
	[ "${lines[0]}" = "[]" ]
	[ "$(echo "${lines[*]:1}")" = "0 1 2 3" ]
}
