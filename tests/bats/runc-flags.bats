#!/usr/bin/env bats
# shellcheck disable=SC2030,SC2031,SC2154
# Every flag of runc's (tests/runc-flags.txt) is accepted by contain, or refused with an
# error that names it: never "unknown option", never silently taken as something else.

load helpers

@test "every runc flag in tests/runc-flags.txt is known to contain" {
	contain_only "checks contain's own option table"
	# spec writes config.json into the cwd, and "." is the bundle for create/run
	cd "$TEST_DIR"
	bad=()
	while read -r cmd flag value; do
		[[ -z "$cmd" || "$cmd" == \#* ]] && continue
		args=("$flag")
		[ -n "$value" ] && args+=("$value")
		if [ "$cmd" = global ]; then
			run rt "${args[@]}" state nosuch-flags-id
		elif [ "$cmd" = exec ]; then
			run rt exec "${args[@]}" nosuch-flags-id true
		elif [ "$cmd" = list ] || [ "$cmd" = spec ]; then
			run rt "$cmd" "${args[@]}"
		else
			run rt "$cmd" "${args[@]}" nosuch-flags-id
		fi
		if [[ "$output" == *"unknown option"* || "$output" == *"unknown global option"* ]]; then
			bad+=("$cmd $flag: $output")
		elif [ "$status" -ne 0 ] && [[ "$output" == *"not supported"* ]] && [[ "$output" != *"${flag#-}"* ]]; then
			bad+=("$cmd $flag refused without naming it: $output")
		fi
	done <"$BATS_TEST_DIRNAME/../runc-flags.txt"
	[ ${#bad[@]} -eq 0 ] || { printf '%s\n' "${bad[@]}" >&2; false; }
}

@test "an unknown flag is an error naming the flag and the command, exit 1" {
	for cmd in create run exec state list kill delete spec start; do
		run rt "$cmd" --no-such-flag x
		assert_status 1
		assert_output_contains "no-such-flag"
		assert_output_contains "$cmd"
	done
}

@test "checkpoint and restore fail, even for --help (podman probes checkpoint --help)" {
	for cmd in checkpoint restore; do
		run rt "$cmd" --help
		assert_status 1
		assert_output_contains "CRIU"
	done
}

@test "--version: contain version, commit, spec 1.2.0 and the libraries, one per line" {
	run rt --version
	assert_status 0
	[[ "${lines[0]}" == "contain version "* ]]
	[[ "${lines[1]}" == "commit: "* ]]
	[ "${lines[2]}" = "spec: 1.2.0" ]
	[[ "$output" == *"libseccomp: "* ]]
}

@test "--cgroup-manager disabled: the container has no cgroup of its own" {
	contain_only "crun's global flag"
	update_config 'del(.linux.resources)'
	set_args cat /proc/self/cgroup
	run --separate-stderr rt --cgroup-manager disabled run "$ID"
	assert_status 0
	# the caller's cgroups, not <own>/<id>
	[[ "$output" != *"$ID"* ]]
}

@test "--cgroup-manager disabled with limits: refused, naming linux.resources" {
	contain_only "crun's global flag"
	update_config '.linux.resources.pids = {"limit": 10}'
	run_ctr true
	assert_status 0
	run rt --cgroup-manager disabled run "$ID-2"
	assert_status 1
	assert_output_contains "linux.resources"
}

@test "run --no-subreaper and -no-subreaper (go-runc's spelling) are accepted" {
	set_args true
	run rt run --no-subreaper "$ID"
	assert_status 0
	run rt run -no-subreaper "$ID-b"
	assert_status 0
}

@test "--pidfd-socket: a pidfd of the init arrives over the socket" {
	contain_only "runc 1.1 has no --pidfd-socket"
	command -v python3 >/dev/null || skip "python3 needed for the receiver"
	sock=$TEST_DIR/pidfd.sock
	python3 - "$sock" "$TEST_DIR/pidfd.out" <<-'PY' &
	import array, os, socket, sys
	s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
	s.bind(sys.argv[1]); s.listen(1)
	c, _ = s.accept()
	fds = array.array("i")
	msg, anc, _, _ = c.recvmsg(64, socket.CMSG_LEN(4))
	fds.frombytes(anc[0][2][:4])
	# the pid behind the pidfd, from its fdinfo
	pid = [l.split()[1] for l in open("/proc/self/fdinfo/%d" % fds[0]) if l.startswith("Pid:")][0]
	open(sys.argv[2], "w").write(pid + "\n")
	PY
	rcv=$!
	CLEANUP_PIDS+=("$rcv")
	wait_for test -S "$sock"
	set_args sleep 100
	create_ok "$ID" --pidfd-socket "$sock"
	wait "$rcv"
	[ "$(cat "$TEST_DIR/pidfd.out")" = "$(state_field "$ID" pid)" ]
}

@test "session keyring: one named after the id per container, none with --no-new-keyring" {
	set_args sleep 100
	rt_detached run -d "$ID"
	assert_status 0
	grep -q "_ses.$ID:" /proc/keys
	rt_detached run -d --no-new-keyring "$ID-n"
	assert_status 0
	! grep -q "_ses.$ID-n:" /proc/keys
}

@test "kill --all may stand after the signal or before the id" {
	set_args sh -c 'sleep 100 & sleep 100'
	rt_detached run -d "$ID"
	assert_status 0
	run rt kill "$ID" KILL --all
	assert_status 0
	wait_status "$ID" stopped
	rt_detached run -d "$ID-b"
	run rt kill --all "$ID-b" KILL
	assert_status 0
	wait_status "$ID-b" stopped
}
