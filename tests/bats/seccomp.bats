#!/usr/bin/env bats
# linux.seccomp: every action, errnoRet and defaultErrnoRet, argument filters, the 32-bit ABI,
# flags, the notify listener, the default profile, and bad profiles. Each test asserts what
# the process inside the container sees; tests/seccomp-agent (static, copied into the rootfs)
# makes the raw syscalls and, on the host, is the SCMP_ACT_NOTIFY agent (SECCOMP_AGENT=PATH
# to choose it).
# The root is read-only in these bundles: directories are made under /dev/shm (a tmpfs).

# shellcheck disable=SC2016
load helpers

setup() {
	common_setup || return 1
	# the build tree of the runtime under test (a VPATH build), else the source tree
	AGENT=${SECCOMP_AGENT:-$(dirname "$RUNTIME")/../tests/seccomp-agent}
	[ -x "$AGENT" ] || AGENT=$SRC_DIR/tests/seccomp-agent
	[ -x "$AGENT" ] || skip "tests/seccomp-agent is not built (make)"
	cp "$AGENT" "$ROOTFS/bin/seccomp-agent"
}

# set_seccomp JSON: .linux.seccomp = JSON
set_seccomp() {
	update_config --argjson s "$1" '.linux.seccomp = $s'
}

# errno_rule ERRNO NAME...: defaultAction ALLOW, NAME... fail with ERRNO
errno_rule() {
	local e=$1
	shift
	set_seccomp "$(jq -cn --argjson e "$e" --argjson n "$(json_array "$@")" \
		'{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: $n, action: "SCMP_ACT_ERRNO", errnoRet: $e}]}')"
}

# action_rule ACTION NAME...: defaultAction ALLOW, NAME... get ACTION
action_rule() {
	local a=$1
	shift
	set_seccomp "$(jq -cn --arg a "$a" --argjson n "$(json_array "$@")" \
		'{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: $n, action: $a}]}')"
}

# The default profile of `contain spec` (contrib/seccomp/default.json).
DEFAULT_PROFILE_FILE=contrib/seccomp/default.json
default_profile() {
	jq -c . "$SRC_DIR/$DEFAULT_PROFILE_FILE"
}

# start_agent ANSWER...: the notify agent on $AGENT_SOCK, logging the states to $AGENT_LOG.
start_agent() {
	AGENT_SOCK=$TEST_DIR/agent.sock
	AGENT_LOG=$TEST_DIR/agent.log
	"$AGENT" serve "$AGENT_SOCK" "$AGENT_LOG" "$@" </dev/null >"$TEST_DIR/agent.out" 2>"$TEST_DIR/agent.err" 3>&- &
	CLEANUP_PIDS+=("$!")
	wait_for test -S "$AGENT_SOCK"
}

# After a run: skip when the runtime (an older runc) or the kernel lacks a flag.
skip_if_flags_unsupported() {
	local out
	out=$(all_output)
	if [ "$status" -ne 0 ] && [[ "$out" == *"not yet supported"* || "$out" == *"does not support"* ]]; then
		skip "flags unsupported here: $out"
	fi
}

notify_profile() {
	jq -cn --arg p "$AGENT_SOCK" --arg m "${1:-}" \
		'{defaultAction: "SCMP_ACT_ALLOW", listenerPath: $p, syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_NOTIFY"}]}
		 | if $m != "" then .listenerMetadata = $m else . end'
}

# --- actions --------------------------------------------------------------------------------

@test "seccomp: SCMP_ACT_ERRNO with errnoRet: mkdir fails with exactly that errno" {
	errno_rule 100 mkdir mkdirat
	sh_ctr 'mkdir /dev/shm/d; echo "status $?"; seccomp-agent mkdir /dev/shm/d; test -e /dev/shm/d || echo absent; echo alive'
	assert_status 0
	assert_output_contains "can't create directory '/dev/shm/d': Network is down"
	assert_output_contains "errno 100 "
	assert_output_contains "status 1"
	assert_output_contains absent
	assert_output_contains alive
}

@test "seccomp: SCMP_ACT_ERRNO without errnoRet is EPERM" {
	action_rule SCMP_ACT_ERRNO mkdir mkdirat
	run_ctr seccomp-agent mkdir /dev/shm/d
	assert_status 1
	assert_output_contains "errno 1 (Operation not permitted)"
}

@test "seccomp: defaultErrnoRet is what the default action returns" {
	# the default profile, without mkdir: mkdir falls to the default action
	set_seccomp "$(default_profile | jq -c '.defaultErrnoRet = 71
		| .syscalls |= map(.names -= ["mkdir", "mkdirat"] | select(.names | length > 0))')"
	sh_ctr 'mkdir /dev/shm/d; seccomp-agent mkdir /dev/shm/d; echo alive'
	assert_status 0
	assert_output_contains "Protocol error"
	assert_output_contains "errno 71 "
	assert_output_contains alive
}

@test "seccomp: SCMP_ACT_KILL_PROCESS kills the process with SIGSYS (exit 159)" {
	action_rule SCMP_ACT_KILL_PROCESS mkdir mkdirat
	sh_ctr 'mkdir /dev/shm/d; echo "status $?"; test -e /dev/shm/d || echo absent'
	assert_status 0
	assert_output_contains "status 159"
	assert_output_contains absent
	# the container's own process
	run_ctr mkdir /dev/shm/d
	assert_status 159
}

@test "seccomp: SCMP_ACT_KILL and SCMP_ACT_KILL_THREAD end the (one-threaded) process with SIGSYS" {
	for a in SCMP_ACT_KILL SCMP_ACT_KILL_THREAD; do
		action_rule "$a" mkdir mkdirat
		sh_ctr 'mkdir /dev/shm/d; echo "status $?"'
		assert_status 0
		assert_output_contains "status 159"
	done
}

@test "seccomp: SCMP_ACT_TRAP delivers SIGSYS (si_code SYS_SECCOMP, the syscall's number)" {
	action_rule SCMP_ACT_TRAP mkdir mkdirat
	run_ctr seccomp-agent trap-mkdir /dev/shm/d
	# x86_64: mkdir is 83; SYS_SECCOMP is 1
	assert_output_matches "SIGSYS signal=31 code=1 syscall=(83|258)"
	# without a handler it is the death of the process
	sh_ctr 'mkdir /dev/shm/d; echo "status $?"'
	assert_output_contains "status 159"
}

@test "seccomp: SCMP_ACT_LOG lets the syscall pass" {
	action_rule SCMP_ACT_LOG mkdir mkdirat
	sh_ctr 'mkdir /dev/shm/d && test -d /dev/shm/d && echo made'
	assert_status 0
	assert_output_contains made
}

@test "seccomp: SCMP_ACT_TRACE without a tracer fails the syscall with ENOSYS" {
	# seccomp(2): with no tracer attached, the syscall returns ENOSYS
	action_rule SCMP_ACT_TRACE mkdir mkdirat
	run_ctr seccomp-agent mkdir /dev/shm/d
	assert_status 1
	assert_output_contains "errno 38 "
}

@test "seccomp: a rule with the default's own action is skipped (no error)" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["getpid"], "action": "SCMP_ACT_ALLOW"},
		{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 100}]}'
	run_ctr seccomp-agent mkdir /dev/shm/d
	assert_output_contains "errno 100 "
}

@test "seccomp: an unknown syscall name is skipped, the rest of the entry applies" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["no_such_syscall", "mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 100}]}'
	set_args seccomp-agent mkdir /dev/shm/d
	run --separate-stderr rt --debug run "$ID"
	assert_output_contains "errno 100 "
	# shellcheck disable=SC2154 # bats' run sets $stderr
	if is_contain; then
		[[ "$stderr" == *'unknown syscall \"no_such_syscall\" ignored'* ]] ||
			[[ "$stderr" == *'unknown syscall "no_such_syscall" ignored'* ]] ||
			{ echo "no debug line for the unknown syscall: $stderr" >&2; return 1; }
	fi
}

# --- arguments ------------------------------------------------------------------------------

@test "seccomp: argument filter: personality(0xffffffff) allowed, another value refused" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
		 "args": [{"index": 0, "value": 4294967295, "op": "SCMP_CMP_NE"}]}]}'
	sh_ctr 'seccomp-agent personality 0xffffffff; seccomp-agent personality 8'
	assert_output_contains "ok "
	assert_output_contains "errno 13 "
	[ "${lines[0]%% *}" = ok ] && [ "${lines[1]%% *}" = errno ]
}

@test "seccomp: SCMP_CMP_MASKED_EQ matches a flag bit (value is the mask, valueTwo the datum)" {
	# mkdir(path, mode): refused when the owner's write bit (0200) is set
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
		 "args": [{"index": 1, "value": 128, "valueTwo": 128, "op": "SCMP_CMP_MASKED_EQ"}]}]}'
	sh_ctr 'seccomp-agent mkdir /dev/shm/w 755; seccomp-agent mkdir /dev/shm/r 555; ls -d /dev/shm/r'
	[ "${lines[0]}" = "errno 13 (Permission denied)" ]
	[ "${lines[1]}" = "ok 0" ]
	[ "${lines[2]}" = /dev/shm/r ]
}

@test "seccomp: the comparison operators LT LE GT GE EQ NE" {
	# disjoint ranges, so that one rule decides each call
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 11,
		 "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_LT"}]},
		{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 12,
		 "args": [{"index": 0, "value": 4, "op": "SCMP_CMP_EQ"}]},
		{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 16,
		 "args": [{"index": 0, "value": 1048576, "op": "SCMP_CMP_GT"}]},
		{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
		 "args": [{"index": 1, "value": 320, "op": "SCMP_CMP_LE"}]},
		{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 14,
		 "args": [{"index": 1, "value": 448, "op": "SCMP_CMP_GE"}]},
		{"names": ["rmdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 32,
		 "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_NE"}]}]}'
	sh_ctr 'for v in 1 4 8 0x200000; do seccomp-agent personality $v; done
		seccomp-agent mkdir /dev/shm/a 400; seccomp-agent mkdir /dev/shm/b 777; seccomp-agent mkdir /dev/shm/c 600
		rmdir /dev/shm/c'
	[ "${lines[0]%% (*}" = "errno 11" ]
	[ "${lines[1]%% (*}" = "errno 12" ]
	[ "${lines[2]%% *}" = ok ]
	[ "${lines[3]%% (*}" = "errno 16" ]
	[ "${lines[4]%% (*}" = "errno 13" ]
	[ "${lines[5]%% (*}" = "errno 14" ]
	[ "${lines[6]}" = "ok 0" ]
	assert_output_contains "rmdir: '/dev/shm/c': Broken pipe"
}

@test "seccomp: conditions on one argument index make a rule each (any matches), as runc" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
		 "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"},
		          {"index": 0, "value": 131072, "op": "SCMP_CMP_EQ"}]}]}'
	sh_ctr 'for v in 8 0x20000 0xffffffff; do seccomp-agent personality $v; done'
	[ "${lines[0]%% (*}" = "errno 13" ]
	[ "${lines[1]%% (*}" = "errno 13" ]
	[ "${lines[2]%% *}" = ok ]
}

# --- architectures --------------------------------------------------------------------------

i386_available() {
	[ "$(uname -m)" = x86_64 ] && "$AGENT" mkdir32 "$TEST_DIR/i386-probe" >/dev/null 2>&1
}

@test "seccomp: a 32-bit (int 0x80) syscall is filtered as the 64-bit one is" {
	i386_available || skip "no IA32 emulation here"
	# without a filter the 32-bit mkdir works
	sh_ctr 'seccomp-agent mkdir32 /dev/shm/a && test -d /dev/shm/a && echo made32'
	assert_output_contains made32
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 100}]}'
	sh_ctr 'seccomp-agent mkdir32 /dev/shm/a; seccomp-agent mkdir /dev/shm/b; echo alive'
	[ "${lines[0]}" = "errno 100 (Network is down)" ]
	[ "${lines[1]}" = "errno 100 (Network is down)" ]
	[ "${lines[2]}" = alive ]
}

@test "seccomp: a 32-bit syscall of an architecture the filter lacks kills the process" {
	i386_available || skip "no IA32 emulation here"
	action_rule SCMP_ACT_LOG mkdir
	sh_ctr 'seccomp-agent mkdir32 /dev/shm/a; echo "status $?"; test -e /dev/shm/a || echo absent'
	assert_output_contains "status 159"
	assert_output_contains absent
}

@test "seccomp: the default profile filters i386 syscalls too" {
	i386_available || skip "no IA32 emulation here"
	set_seccomp "$(default_profile)"
	sh_ctr 'seccomp-agent mkdir32 /dev/shm/a && echo made32
		seccomp-agent personality32 0xffffffff; seccomp-agent personality32 0x0400000'
	[ "${lines[1]}" = made32 ]
	[ "${lines[2]%% *}" = ok ]
	[ "${lines[3]}" = "errno 38 (Function not implemented)" ]
}

# --- flags ----------------------------------------------------------------------------------

@test "seccomp: flags TSYNC, LOG and SPEC_ALLOW are passed; the process has one filter" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
		"flags": ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 100}]}'
	sh_ctr 'grep -E "^Seccomp(_filters)?:" /proc/self/status; seccomp-agent mkdir /dev/shm/d; true'
	skip_if_flags_unsupported
	assert_status 0
	assert_output_matches "Seccomp:[[:space:]]+2"
	assert_output_matches "Seccomp_filters:[[:space:]]+1"
	assert_output_contains "errno 100 "
}

@test "seccomp: an unknown flag is refused, nothing left" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_FOO"]}'
	run_ctr true
	assert_failed
	assert_nothing_left "$ID"
	contain_only "contain's error text"
	assert_output_contains '.linux.seccomp.flags[0]: unknown flag "SECCOMP_FILTER_FLAG_FOO"'
}

# --- capabilities and the moment of loading -------------------------------------------------

@test "seccomp: with noNewPrivileges false the filter loads for a user without CAP_SYS_ADMIN" {
	update_config '.process.noNewPrivileges = false | .process.user = {uid: 1000, gid: 1000}'
	sh_ctr 'grep ^Cap /proc/self/status'
	assert_status 0
	local plain=$output
	errno_rule 100 mkdir mkdirat
	sh_ctr 'grep ^Cap /proc/self/status; grep ^NoNewPrivs /proc/self/status; seccomp-agent mkdir /dev/shm/d; true'
	assert_status 0
	assert_output_contains "errno 100 "
	assert_output_matches "NoNewPrivs:[[:space:]]+0"
	# the capabilities are exactly those of the same container without a filter
	[ "$(grep ^Cap <<<"$output")" = "$plain" ] || {
		echo "with seccomp: $output" >&2
		echo "without: $plain" >&2
		return 1
	}
}

@test "seccomp: with noNewPrivileges false, root keeps exactly its capabilities" {
	update_config '.process.noNewPrivileges = false'
	sh_ctr 'grep ^Cap /proc/self/status'
	local plain=$output
	errno_rule 100 mkdir mkdirat
	sh_ctr 'grep ^Cap /proc/self/status; seccomp-agent mkdir /dev/shm/d'
	assert_output_contains "errno 100 "
	[ "$(grep ^Cap <<<"$output")" = "$plain" ]
}

@test "seccomp: a filter that refuses execve: the process cannot start" {
	errno_rule 1 execve execveat
	set_args true
	rt_detached run "$ID"
	assert_failed
	contain_only "contain's exec error"
	assert_output_contains "Operation not permitted"
}

@test "seccomp: exec'd processes get the container's filter" {
	errno_rule 100 mkdir mkdirat
	set_args sleep 100
	start_ok "$ID"
	run rt exec "$ID" seccomp-agent mkdir /dev/shm/d
	assert_output_contains "errno 100 "
	rt kill "$ID" KILL
}

# --- the notify listener --------------------------------------------------------------------

@test "seccomp: SCMP_ACT_NOTIFY: the agent gets the fd and the state, the container sees its answer" {
	start_agent mkdir=errno:28 mkdirat=errno:28
	set_seccomp "$(notify_profile 'meta "quoted" \ data')"
	sh_ctr 'mkdir /dev/shm/d; echo "status $?"; test -e /dev/shm/d || echo absent'
	assert_status 0
	assert_output_contains "No space left on device"
	assert_output_contains "status 1"
	assert_output_contains absent
	wait_for test -s "$AGENT_LOG"
	local st
	st=$(head -n 1 "$AGENT_LOG")
	echo "state: $st"
	[ "$(jq -c .fds <<<"$st")" = '["seccompFd"]' ]
	[ "$(jq -r .metadata <<<"$st")" = 'meta "quoted" \ data' ]
	[ "$(jq -r .state.id <<<"$st")" = "$ID" ]
	[ "$(jq -r .state.bundle <<<"$st")" = "$BUNDLE" ]
	[[ "$(jq -r .ociVersion <<<"$st")" == 1.* ]]
	[ "$(jq -r '.pid > 0 and .pid == .state.pid' <<<"$st")" = true ]
}

@test "seccomp: SCMP_ACT_NOTIFY: the agent can fake success; the pid is the container's" {
	start_agent mkdir=ok:0 mkdirat=ok:0
	set_seccomp "$(notify_profile)"
	set_args sh -c 'mkdir /dev/shm/d && echo "mkdir said ok"; test -e /dev/shm/d || echo absent'
	create_ok "$ID"
	local pid
	pid=$(state_field "$ID" pid)
	rt start "$ID"
	wait_status "$ID" stopped
	run cat "$TEST_DIR/detached.1"
	assert_output_contains "mkdir said ok"
	assert_output_contains absent
	wait_for test -s "$AGENT_LOG"
	[ "$(jq -r .pid "$AGENT_LOG" | head -n 1)" = "$pid" ]
	[ "$(jq -r .state.pid "$AGENT_LOG" | head -n 1)" = "$pid" ]
	# the agent saw the container's own process (or its child) ask
	grep -q 'seccomp-agent: pid [0-9]* syscall' "$TEST_DIR/agent.err"
}

@test "seccomp: SCMP_ACT_NOTIFY with SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV and TSYNC" {
	start_agent mkdir=errno:28 mkdirat=errno:28
	set_seccomp "$(notify_profile | jq -c '.flags = ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]')"
	run_ctr seccomp-agent mkdir /dev/shm/d
	skip_if_flags_unsupported
	assert_output_contains "errno 28 "
}

@test "seccomp: SCMP_ACT_NOTIFY with no agent listening: a clear error, nothing left" {
	AGENT_SOCK=$TEST_DIR/nobody.sock
	set_seccomp "$(notify_profile)"
	run_ctr true
	assert_failed
	assert_nothing_left "$ID"
	contain_only "contain's error text"
	assert_output_contains "connect to the listener $TEST_DIR/nobody.sock"
}

# --- the default profile --------------------------------------------------------------------

@test "seccomp: the default profile: a shell works, refused syscalls fail, arguments are checked" {
	set_seccomp "$(default_profile)"
	sh_ctr 'echo hi | cat; ls / >/dev/null && mkdir /dev/shm/d && rmdir /dev/shm/d && echo fs-ok
		seccomp-agent personality 0xffffffff; seccomp-agent personality 0x0400000
		grep -E "^Seccomp:" /proc/self/status'
	assert_status 0
	assert_output_contains fs-ok
	[ "${lines[0]}" = hi ]
	[ "${lines[2]%% *}" = ok ]
	# READ_IMPLIES_EXEC: the kernel would allow it, the profile does not (its default: ENOSYS)
	[ "${lines[3]}" = "errno 38 (Function not implemented)" ]
	assert_output_matches "Seccomp:[[:space:]]+2"
}

@test "seccomp: the default profile refuses namespaces and mounts with EPERM" {
	set_seccomp "$(default_profile)"
	# as root with CAP_SYS_ADMIN the kernel would allow these; the profile does not
	update_config '.process.capabilities |= with_entries(.value += ["CAP_SYS_ADMIN"])'
	sh_ctr 'unshare -U true; echo "unshare $?"; mount -t tmpfs none /dev/shm; echo "mount $?"'
	assert_output_contains "unshare 1"
	assert_output_contains "mount 1"
	assert_output_contains "Operation not permitted"
}

# --- bad profiles ---------------------------------------------------------------------------

# bad_profile JSON TEXT: create fails naming TEXT (contain), and leaves nothing behind
bad_profile() {
	set_seccomp "$1"
	run_ctr true
	assert_failed
	assert_nothing_left "$ID"
	if is_contain; then
		assert_output_contains "$2"
	fi
}

@test "seccomp: unknown action: a clear error naming the JSON path, nothing left" {
	bad_profile '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_FOO"}]}' \
		'.linux.seccomp.syscalls[0].action'
	if is_contain; then assert_output_contains SCMP_ACT_FOO; fi
	bad_profile '{"defaultAction": "SCMP_ACT_BAR"}' '.linux.seccomp.defaultAction'
}

@test "seccomp: unknown operator: a clear error naming the JSON path, nothing left" {
	bad_profile '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO",
		"args": [{"index": 1, "value": 0, "op": "SCMP_CMP_FOO"}]}]}' \
		'.linux.seccomp.syscalls[0].args[0].op'
	if is_contain; then assert_output_contains SCMP_CMP_FOO; fi
}

@test "seccomp: an argument index above 5 is refused, nothing left" {
	bad_profile '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO",
		"args": [{"index": 6, "value": 0, "op": "SCMP_CMP_EQ"}]}]}' \
		'.linux.seccomp.syscalls[0].args[0].index: 6 is not a syscall argument (0 to 5)'
}

@test "seccomp: errnoRet on an action without an errno is refused (the spec's MUST)" {
	contain_only "runc accepts it"
	bad_profile '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_KILL", "errnoRet": 5}]}' \
		'.linux.seccomp.syscalls[0].errnoRet: SCMP_ACT_KILL takes no errno'
	bad_profile '{"defaultAction": "SCMP_ACT_LOG", "defaultErrnoRet": 5}' \
		'.linux.seccomp.defaultErrnoRet: SCMP_ACT_LOG takes no errno'
}

@test "seccomp: unknown architecture, NOTIFY without listenerPath, NOTIFY as the default: refused" {
	bad_profile '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_VAX"]}' \
		'.linux.seccomp.architectures[0]: unknown architecture "SCMP_ARCH_VAX"'
	bad_profile '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}' \
		'.linux.seccomp.syscalls[0].action: SCMP_ACT_NOTIFY needs .linux.seccomp.listenerPath'
	bad_profile '{"defaultAction": "SCMP_ACT_NOTIFY", "listenerPath": "/run/none.sock"}' \
		'.linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action'
	bad_profile '{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/none.sock",
		"syscalls": [{"names": ["sendmsg"], "action": "SCMP_ACT_NOTIFY"}]}' \
		'SCMP_ACT_NOTIFY cannot be used for sendmsg'
	# the spec's MUST NOT; runc accepts it
	if is_contain; then
		bad_profile '{"defaultAction": "SCMP_ACT_ALLOW", "listenerMetadata": "x"}' \
			'.linux.seccomp.listenerMetadata: set without .linux.seccomp.listenerPath'
	fi
}
