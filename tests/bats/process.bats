#!/usr/bin/env bats
# bats: each @test is a subshell, and run sets $output/$status/$stderr; jq filters use $vars
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# process: args, env, cwd, user (uid, gid, additionalGids, umask), noNewPrivileges,
# capabilities, rlimits — as the process sees them.

load helpers

# status_field NAME: the value of NAME from the container's /proc/self/status in $output
status_field() {
	# fields joined by one space
	awk -v k="$1:" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' <<<"$output"
}

@test "args: argv reaches the process unchanged (spaces, empty, quotes, dashes)" {
	run_ctr sh -c 'for a in "$@"; do echo "[$a]"; done' zero "a b" "" "'q'" -n --x=y
	assert_status 0
	[ "${#lines[@]}" -eq 5 ]
	[ "${lines[0]}" = "[a b]" ]
	[ "${lines[1]}" = "[]" ]
	[ "${lines[2]}" = "['q']" ]
	[ "${lines[3]}" = "[-n]" ]
	[ "${lines[4]}" = "[--x=y]" ]
}

@test "args: /proc/1/cmdline is exactly the configured argv" {
	# (the trailing "; true" keeps sh from exec'ing tr in its place)
	set_args /bin/sh -c 'tr "\0" "|" </proc/1/cmdline; true' arg0 "two words"
	rt_run "$ID"
	assert_status 0
	[ "$output" = "/bin/sh|-c|tr \"\\0\" \"|\" </proc/1/cmdline; true|arg0|two words|" ]
}

@test "args: the program is looked up in the config's PATH" {
	update_config '.process.env = ["PATH=/usr/sbin"]'
	run_ctr busybox sh -c 'echo $PATH; which ls'
	assert_status 0
	[ "${lines[0]}" = /usr/sbin ]
	[ "${lines[1]}" = /usr/sbin/ls ]
}

@test "args: a program that does not exist: error, exit 1, nothing left" {
	run_ctr /no/such/program
	assert_status 1
	assert_output_contains "/no/such/program"
	assert_nothing_left "$ID"
}

@test "env: exactly the config's environment; nothing of the caller's" {
	export CONTAIN_TEST_SECRET=leaked
	update_config '.process.env = ["PATH=/bin", "FOO=bar baz", "EMPTY=", "EQ=a=b"]'
	run_ctr env
	assert_status 0
	[[ "$output" != *CONTAIN_TEST_SECRET* ]]
	[[ "$output" != *BATS_* ]]
	printf '%s\n' "${lines[@]}" | grep -qx 'FOO=bar baz'
	printf '%s\n' "${lines[@]}" | grep -qx 'EMPTY='
	printf '%s\n' "${lines[@]}" | grep -qx 'EQ=a=b'
	printf '%s\n' "${lines[@]}" | grep -qx 'PATH=/bin'
}

@test "env: HOME is set for the user when the config has none" {
	update_config '.process.env = ["PATH=/bin"]'
	run_ctr sh -c 'echo "HOME=$HOME"'
	assert_status 0
	[ "$output" = "HOME=/root" ]
}

@test "cwd: the process starts in process.cwd" {
	update_config '.process.cwd = "/tmp"'
	run_ctr pwd
	assert_status 0
	[ "$output" = /tmp ]
}

@test "cwd: a missing cwd is created inside the rootfs" {
	update_config '.process.cwd = "/does/not/exist"'
	run_ctr sh -c 'pwd; test -d /does/not/exist && echo dir'
	assert_status 0
	[ "${lines[0]}" = /does/not/exist ]
	[ "${lines[1]}" = dir ]
	[ -d "$ROOTFS/does/not/exist" ]
}

@test "user: uid, gid and additionalGids" {
	update_config '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [5, 100]}'
	run_ctr sh -c 'grep -E "^(Uid|Gid|Groups):" /proc/self/status; id -u; id -g; id -un'
	assert_status 0
	[ "$(status_field Uid)" = "1000 1000 1000 1000" ]
	[ "$(status_field Gid)" = "1000 1000 1000 1000" ]
	read -r -a groups <<<"$(status_field Groups)"
	[ "${groups[*]}" = "5 100" ]
	[ "${lines[3]}" = 1000 ]
	[ "${lines[4]}" = 1000 ]
	[ "${lines[5]}" = user ]
}

@test "user: root with no additionalGids has no supplementary groups" {
	update_config '.process.user = {"uid": 0, "gid": 0}'
	run_ctr sh -c 'grep -E "^(Uid|Gid|Groups):" /proc/self/status'
	assert_status 0
	[ "$(status_field Uid)" = "0 0 0 0" ]
	[ -z "$(status_field Groups | tr -d ' \t')" ]
}

@test "user: a non-root user has no capabilities left" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	run_ctr grep -E '^Cap(Inh|Prm|Eff|Amb):' /proc/self/status
	assert_status 0
	[ "$(status_field CapEff)" = 0000000000000000 ]
	[ "$(status_field CapPrm)" = 0000000000000000 ]
}

@test "user: a file made by the process belongs to its uid and gid" {
	update_config '.root.readonly = false | .process.user = {"uid": 1000, "gid": 1000}'
	run_ctr sh -c 'echo x > /tmp/by-user; stat -c %u:%g /tmp/by-user'
	assert_status 0
	[ "$output" = 1000:1000 ]
	[ "$(stat -c %u:%g "$ROOTFS/tmp/by-user")" = 1000:1000 ]
}

@test "umask: process.user.umask is applied" {
	update_config '.root.readonly = false | .process.user.umask = 23' # 0027
	run_ctr sh -c 'umask; touch /tmp/f; stat -c %a /tmp/f'
	assert_status 0
	[ "${lines[0]}" = 0027 ]
	[ "${lines[1]}" = 640 ]
}

@test "umask: 0022 when the config has none" {
	update_config 'del(.process.user.umask)'
	run_ctr sh -c umask
	assert_status 0
	[ "$output" = 0022 ]
}

@test "noNewPrivileges true: NoNewPrivs 1" {
	update_config '.process.noNewPrivileges = true'
	run_ctr grep NoNewPrivs /proc/self/status
	assert_status 0
	[ "$(status_field NoNewPrivs)" = 1 ]
}

@test "noNewPrivileges false: NoNewPrivs 0" {
	update_config '.process.noNewPrivileges = false'
	run_ctr grep NoNewPrivs /proc/self/status
	assert_status 0
	[ "$(status_field NoNewPrivs)" = 0 ]
}

@test "capabilities: the spec's sets, and nothing more" {
	# runc spec: CAP_AUDIT_WRITE (29), CAP_KILL (5), CAP_NET_BIND_SERVICE (10) = 0x20000420
	update_config '.process.capabilities = {
		"bounding": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
		"effective": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
		"permitted": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]}'
	run_ctr grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb):' /proc/self/status
	assert_status 0
	[ "$(status_field CapBnd)" = 0000000020000420 ]
	[ "$(status_field CapEff)" = 0000000020000420 ]
	[ "$(status_field CapPrm)" = 0000000020000420 ]
	[ "$(status_field CapInh)" = 0000000000000000 ]
	[ "$(status_field CapAmb)" = 0000000000000000 ]
}

@test "capabilities: without CAP_CHOWN, root inside cannot chown" {
	update_config '.root.readonly = false'
	run_ctr sh -c 'touch /tmp/f && chown 1000 /tmp/f'
	assert_failed
	[ "$(stat -c %u "$ROOTFS/tmp/f")" = 0 ]
}

@test "rlimits: a lowered RLIMIT_NOFILE is what the process has" {
	update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "hard": 512, "soft": 256}]'
	run_ctr sh -c 'ulimit -n; ulimit -Hn'
	assert_status 0
	[ "${lines[0]}" = 256 ]
	[ "${lines[1]}" = 512 ]
}

@test "rlimits: an unknown rlimit type is refused, nothing left" {
	update_config '.process.rlimits = [{"type": "RLIMIT_BOGUS", "hard": 1, "soft": 1}]'
	run_ctr true
	assert_status 1
	assert_output_contains RLIMIT_BOGUS
	assert_nothing_left "$ID"
}

@test "stdio: stdin, stdout and stderr of run are the caller's" {
	set_args sh -c 'read -r line; echo "out:$line"; echo "err:$line" >&2'
	run bash -c 'echo hello | "$0" --root "$1" run "$2" 2>"$3"' "$RUNTIME" "$ROOT" "$ID" "$TEST_DIR/err"
	assert_status 0
	[ "$output" = out:hello ]
	[ "$(cat "$TEST_DIR/err")" = err:hello ]
}
