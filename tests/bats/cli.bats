#!/usr/bin/env bats
# bats: each @test is a subshell, and run sets $output/$status/$stderr; jq filters use $vars
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# The command line as runc has it: option forms, --pid-file, list, state, kill, delete,
# spec, --version, --help, --log/--log-format, --console-socket.

load helpers

# --- option forms -------------------------------------------------------------------------

@test "create --bundle=DIR, -b DIR, --bundle DIR, and -b after the id" {
	cd "$TEST_DIR"
	set_args sleep 100
	ids=()
	for form in "--bundle=$BUNDLE" "-b|$BUNDLE" "--bundle|$BUNDLE" "AFTER|-b|$BUNDLE"; do
		id=$(new_id)
		ids+=("$id")
		IFS='|' read -r -a opts <<<"$form"
		if [ "${opts[0]}" = AFTER ]; then
			create_ok "$id" "${opts[@]:1}"
		else
			create_ok "${opts[@]}" "$id"
		fi
		[ "$(state_field "$id" bundle)" = "$BUNDLE" ]
		[ "$(state_field "$id" status)" = created ]
	done
	run rt list -q
	[ "${#lines[@]}" -eq 4 ]
}

@test "run -b DIR from another directory, and the process sees the bundle's rootfs" {
	cd "$TEST_DIR"
	echo via-b >"$ROOTFS/etc/marker"
	set_args cat /etc/marker
	rt_run -b "$BUNDLE" "$ID"
	assert_status 0
	[ "$output" = via-b ]
}

@test "the bundle defaults to the current directory" {
	cd "$BUNDLE"
	set_args sleep 100
	create_ok "$ID"
	[ "$(state_field "$ID" bundle)" = "$BUNDLE" ]
}

@test "--pid-file=FILE, --pid-file FILE, and a relative pid file is relative to the cwd" {
	cd "$TEST_DIR"
	set_args sleep 100
	create_ok --pid-file="$TEST_DIR/a.pid" -b "$BUNDLE" "$ID"
	[ "$(cat "$TEST_DIR/a.pid")" = "$(state_field "$ID" pid)" ]
	id2=$(new_id)
	create_ok -b "$BUNDLE" --pid-file rel.pid "$id2"
	[ -f "$TEST_DIR/rel.pid" ]
	[ ! -e "$BUNDLE/rel.pid" ]
	pid=$(cat "$TEST_DIR/rel.pid")
	[ "$pid" = "$(state_field "$id2" pid)" ]
	# the pid file holds just the number
	[[ "$(cat "$TEST_DIR/rel.pid")" =~ ^[0-9]+$ ]]
}

@test "global options before the command: --root, --log, --log-format, --debug" {
	set_args sleep 100
	create_ok "$ID"
	run "$RUNTIME" --debug --log "$TEST_DIR/log" --log-format json --root "$ROOT" state "$ID"
	assert_status 0
	[ "$(jq -r .id <<<"$output")" = "$ID" ]
}

@test "--root selects the state directory: another root does not see the container" {
	set_args sleep 100
	create_ok "$ID"
	other=$(mktemp -d "$TEST_ROOT_BASE/XXXXXX")
	run "$RUNTIME" --root "$other" state "$ID"
	rm -rf "$other"
	assert_status 1
	assert_output_contains "container does not exist"
	[ -d "$ROOT/$ID" ]
}

@test "--systemd-cgroup is accepted as a global option" {
	run rt --systemd-cgroup list -q
	assert_status 0
}

@test "run --detach (long form) and create --no-pivot" {
	set_args sleep 100
	rt_detached run --detach "$ID"
	assert_status 0
	wait_status "$ID" running
	id2=$(new_id)
	echo np >"$ROOTFS/etc/marker"
	set_args sh -c 'cat /etc/marker; sleep 100'
	create_ok --no-pivot "$id2"
	rt start "$id2"
	wait_status "$id2" running
	wait_for grep -q np "$TEST_DIR/detached.2"
}

@test "create --no-new-keyring: accepted, the container runs" {
	update_config '.root.readonly = false'
	set_args sh -c 'echo ran > /tmp/marker'
	create_ok --no-new-keyring "$ID"
	rt start "$ID"
	wait_status "$ID" stopped
	[ "$(cat "$ROOTFS/tmp/marker")" = ran ]
}

# --- list ---------------------------------------------------------------------------------

@test "list: the table header, and one row per container" {
	run rt list
	assert_status 0
	read -r -a h <<<"${lines[0]}"
	[ "${h[*]}" = "ID PID STATUS BUNDLE CREATED OWNER" ]
	[ "${#lines[@]}" -eq 1 ]
	set_args sleep 100
	create_ok "$ID"
	run rt list
	assert_status 0
	[ "${#lines[@]}" -eq 2 ]
	read -r -a r <<<"${lines[1]}"
	[ "${r[0]}" = "$ID" ]
	[ "${r[1]}" = "$(state_field "$ID" pid)" ]
	[ "${r[2]}" = created ]
	[ "${r[3]}" = "$BUNDLE" ]
	[ "${r[4]}" = "$(state_field "$ID" created)" ]
	[ "${r[5]}" = root ]
	# the columns are aligned: every row's fields start where the header's do
	col=$(awk 'NR == 1 { print index($0, "STATUS") }' <<<"$output")
	[ "$(awk 'NR == 2' <<<"$output" | cut -c "$col-$((col + 6))")" = created ]
}

@test "list -f json / --format json: an array of the state objects" {
	run rt list -f json
	assert_status 0
	# runc prints null for no containers; [] is as good
	[ "$(jq -c '. // [] | length' <<<"$output")" = 0 ]
	set_args sleep 100
	create_ok "$ID"
	id2=$(new_id)
	create_ok "$id2"
	rt start "$id2"
	run rt list --format json
	assert_status 0
	[ "$(jq length <<<"$output")" = 2 ]
	[ "$(jq -r --arg i "$ID" '.[] | select(.id == $i) | .status' <<<"$output")" = created ]
	[ "$(jq -r --arg i "$id2" '.[] | select(.id == $i) | .status' <<<"$output")" = running ]
	[ "$(jq -r --arg i "$ID" '.[] | select(.id == $i) | .bundle' <<<"$output")" = "$BUNDLE" ]
	[ "$(jq -r --arg i "$ID" '.[] | select(.id == $i) | .pid' <<<"$output")" = "$(state_field "$ID" pid)" ]
	jq -e 'all(.[]; has("ociVersion") and has("rootfs") and has("created") and has("owner"))' <<<"$output"
}

@test "list -q: the ids only" {
	set_args sleep 100
	create_ok "$ID"
	id2=$(new_id)
	create_ok "$id2"
	run rt list -q
	assert_status 0
	[ "$(printf '%s\n' "${lines[@]}" | sort)" = "$(printf '%s\n' "$ID" "$id2" | sort)" ]
	run rt list --quiet
	assert_status 0
	[ "${#lines[@]}" -eq 2 ]
}

@test "list -f with an unknown format fails" {
	run rt list -f yaml
	assert_status 1
	# runc: invalid format option
	assert_output_matches "(invalid format|yaml)"
}

# --- state --------------------------------------------------------------------------------

@test "state: the JSON fields ociVersion id pid status bundle rootfs created owner" {
	set_args sleep 100
	create_ok "$ID" --pid-file "$TEST_DIR/pid"
	run rt state "$ID"
	assert_status 0
	st=$output
	[ "$(jq -r .id <<<"$st")" = "$ID" ]
	[ "$(jq -r .pid <<<"$st")" = "$(cat "$TEST_DIR/pid")" ]
	[ "$(jq -r .status <<<"$st")" = created ]
	[ "$(jq -r .bundle <<<"$st")" = "$BUNDLE" ]
	[ "$(jq -r .rootfs <<<"$st")" = "$ROOTFS" ]
	[[ "$(jq -r .ociVersion <<<"$st")" =~ ^1\.[0-9]+\.[0-9]+ ]]
	# RFC 3339 with nanoseconds, UTC
	[[ "$(jq -r .created <<<"$st")" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$ ]]
	# runc's state has "owner": "" (list fills it in)
	[ "$(jq -r 'has("owner")' <<<"$st")" = true ]
	[ "$(jq -r '.pid | type' <<<"$st")" = number ]
	# created is close to now
	c=$(date -d "$(jq -r .created <<<"$st")" +%s)
	now=$(date +%s)
	[ $((now - c)) -le 60 ] && [ $((now - c)) -ge -5 ]
}

@test "state: annotations of the config are in the state" {
	update_config '.annotations = {"org.example.key": "value-1"}'
	set_args sleep 100
	create_ok "$ID"
	[ "$(rt state "$ID" | jq -r '.annotations["org.example.key"]')" = value-1 ]
}

@test "state: a relative -b is stored as an absolute bundle path" {
	cd "$TEST_DIR"
	set_args sleep 100
	create_ok -b bundle "$ID"
	[ "$(state_field "$ID" bundle)" = "$BUNDLE" ]
	[ "$(state_field "$ID" rootfs)" = "$ROOTFS" ]
}

@test "state follows the process: created, running, stopped (pid 0)" {
	update_config '.root.readonly = false'
	set_args sh -c 'while [ ! -e /tmp/go ]; do sleep 0.02; done'
	create_ok "$ID"
	[ "$(state_field "$ID" status)" = created ]
	rt start "$ID"
	[ "$(state_field "$ID" status)" = running ]
	touch "$ROOTFS/tmp/go"
	wait_status "$ID" stopped
	[ "$(state_field "$ID" pid)" = 0 ]
}

# --- kill ---------------------------------------------------------------------------------

# start_killable: a container whose init dies of the signals it gets (a trap per signal
# writes which one; PID 1 ignores signals it has no handler for).
start_killable() {
	update_config '.root.readonly = false'
	set_args sh -c 'for s in TERM USR1 HUP INT; do trap "echo $s > /tmp/got; exit 0" $s; done; echo ready > /tmp/ready; while :; do sleep 0.02; done'
	start_ok "$ID"
	wait_for test -e "$ROOTFS/tmp/ready"
}

@test "kill: the default signal is SIGTERM" {
	start_killable
	run rt kill "$ID"
	assert_status 0
	wait_status "$ID" stopped
	[ "$(cat "$ROOTFS/tmp/got")" = TERM ]
}

@test "kill: by name without SIG (USR1), with SIG (SIGHUP), by number (2)" {
	for sig in USR1:USR1 SIGHUP:HUP 2:INT; do
		ID=$(new_id)
		rm -f "$ROOTFS/tmp/got" "$ROOTFS/tmp/ready"
		start_killable
		run rt kill "$ID" "${sig%%:*}"
		assert_status 0
		wait_status "$ID" stopped
		[ "$(cat "$ROOTFS/tmp/got")" = "${sig#*:}" ]
		rt delete "$ID"
	done
}

@test "kill: KILL, SIGKILL and 9 end a process that handles nothing" {
	for sig in KILL SIGKILL 9; do
		ID=$(new_id)
		set_args sleep 100
		start_ok "$ID"
		pid=$(state_field "$ID" pid)
		run rt kill "$ID" "$sig"
		assert_status 0
		wait_status "$ID" stopped
		assert_no_process "$pid"
		rt delete "$ID"
	done
}

@test "kill of a created container: the init dies, state is stopped" {
	set_args sleep 100
	create_ok "$ID"
	pid=$(state_field "$ID" pid)
	run rt kill "$ID" KILL
	assert_status 0
	wait_status "$ID" stopped
	wait_for_gone "$pid"
}

@test "kill -a / --all: the signal reaches every process, not only the init" {
	# the init (sh as PID 1) ignores TERM; its children do not, and it exits once they are gone
	set_args sh -c 'sleep 100 & sleep 100 & wait'
	start_ok "$ID"
	wait_status "$ID" running
	run rt kill "$ID" TERM
	assert_status 0
	sleep 0.2
	[ "$(state_field "$ID" status)" = running ]
	run rt kill -a "$ID" TERM
	assert_status 0
	wait_status "$ID" stopped
	rt delete "$ID"
	ID=$(new_id)
	start_ok "$ID"
	run rt kill --all "$ID" TERM
	assert_status 0
	wait_status "$ID" stopped
}

# --- delete -------------------------------------------------------------------------------

@test "delete -f and --force end a running container" {
	set_args sleep 100
	for opt in -f --force; do
		ID=$(new_id)
		start_ok "$ID"
		pid=$(state_field "$ID" pid)
		run rt delete "$opt" "$ID"
		assert_status 0
		wait_for_gone "$pid"
		assert_nothing_left "$ID"
	done
}

# --- run ----------------------------------------------------------------------------------

@test "run: exit status 0, N, and 128+9 when killed" {
	run_ctr true
	assert_status 0
	ID=$(new_id)
	sh_ctr 'exit 42'
	assert_status 42
	ID=$(new_id)
	set_args sleep 100
	rt run "$ID" </dev/null >/dev/null 2>&1 &
	runpid=$!
	wait_status "$ID" running
	rt kill "$ID" SIGKILL
	rc=0
	wait "$runpid" || rc=$?
	[ "$rc" -eq 137 ]
}

@test "run: an error of the runtime exits 1 with the message on stderr" {
	update_config '.root.path = "no-such-rootfs"'
	run --separate-stderr rt run "$ID"
	assert_status 1
	[ -z "$output" ]
	[[ "$stderr" == *no-such-rootfs* ]]
}

# --- spec ---------------------------------------------------------------------------------

@test "spec: writes config.json in the cwd with runc's defaults" {
	mkdir "$TEST_DIR/s" && cd "$TEST_DIR/s"
	run "$RUNTIME" spec
	assert_status 0
	c=$TEST_DIR/s/config.json
	[ -f "$c" ]
	[[ "$(jq -r .ociVersion "$c")" =~ ^1\. ]]
	[ "$(jq -c .process.args "$c")" = '["sh"]' ]
	[ "$(jq -r .process.terminal "$c")" = true ]
	[ "$(jq -r .process.cwd "$c")" = / ]
	[ "$(jq -c .process.user "$c")" = '{"uid":0,"gid":0}' ]
	[ "$(jq -r .root.path "$c")" = rootfs ]
	[ "$(jq -r .root.readonly "$c")" = true ]
	[ "$(jq -r .process.noNewPrivileges "$c")" = true ]
	[ "$(jq -c '[.linux.namespaces[].type] | sort' "$c")" = '["ipc","mount","network","pid","uts"]' ]
	[ "$(jq -c '[.mounts[].destination]' "$c")" = '["/proc","/dev","/dev/pts","/dev/shm","/dev/mqueue","/sys","/sys/fs/cgroup"]' ]
	[ "$(jq -c '.process.capabilities.bounding | sort' "$c")" = '["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]' ]
	[ "$(jq -c '.process.rlimits' "$c")" = '[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}]' ]
	jq -e '.linux.maskedPaths | index("/proc/kcore")' "$c" >/dev/null
	jq -e '.linux.readonlyPaths | index("/proc/sys")' "$c" >/dev/null
	jq -e '.process.env | index("TERM=xterm")' "$c" >/dev/null
}

@test "spec --bundle DIR writes DIR/config.json, and refuses to overwrite one" {
	mkdir "$TEST_DIR/s"
	run "$RUNTIME" spec --bundle "$TEST_DIR/s"
	assert_status 0
	jq -e . "$TEST_DIR/s/config.json" >/dev/null
	echo '{"keep": true}' >"$TEST_DIR/s/config.json"
	run "$RUNTIME" spec --bundle "$TEST_DIR/s"
	assert_status 1
	# runc: File config.json exists. Remove it first
	assert_output_contains "config.json exists"
	[ "$(jq -c . "$TEST_DIR/s/config.json")" = '{"keep":true}' ]
}

@test "spec --rootless: a user namespace mapping the caller, no network namespace" {
	mkdir "$TEST_DIR/s"
	run "$RUNTIME" spec --rootless --bundle "$TEST_DIR/s"
	assert_status 0
	c=$TEST_DIR/s/config.json
	[ "$(jq -c '[.linux.namespaces[].type] | sort' "$c")" = '["ipc","mount","pid","user","uts"]' ]
	[ "$(jq -c .linux.uidMappings "$c")" = "[{\"containerID\":0,\"hostID\":$(id -u),\"size\":1}]" ]
	[ "$(jq -c .linux.gidMappings "$c")" = "[{\"containerID\":0,\"hostID\":$(id -g),\"size\":1}]" ]
	# /sys is bind-mounted (sysfs needs a network namespace), and no resources are set
	[ "$(jq -r '.mounts[] | select(.destination == "/sys") | .type' "$c")" = none ]
	jq -e '.mounts[] | select(.destination == "/sys") | .options | index("rbind")' "$c" >/dev/null
	[ "$(jq -c '.linux.resources // {} | del(.devices) | length' "$c")" = 0 ]
}

@test "the spec of the runtime runs as is once terminal is off" {
	rm "$BUNDLE/config.json"
	run "$RUNTIME" spec --bundle "$BUNDLE"
	assert_status 0
	update_config '.process.terminal = false | .process.args = ["sh", "-c", "echo spec-ok"]'
	rt_run "$ID"
	assert_status 0
	[ "$output" = spec-ok ]
}

# --- --version, --help ----------------------------------------------------------------------

@test "--version: name, version, and the spec version" {
	run "$RUNTIME" --version
	assert_status 0
	[[ "${lines[0]}" =~ ^(runc|contain)\ version\ [0-9] ]]
	printf '%s\n' "${lines[@]}" | grep -Eq '^spec: 1\.[0-9]+\.[0-9]+'
}

@test "--help lists the commands and the global options" {
	run "$RUNTIME" --help
	assert_status 0
	for c in create start run state list kill delete spec; do
		grep -Eq "^[[:space:]]+$c([[:space:],]|$)" <<<"$output" || { echo "no $c in --help" >&2; false; }
	done
	for o in --root --log --log-format --debug --systemd-cgroup; do
		assert_output_contains "$o"
	done
}

@test "COMMAND --help shows the command's options" {
	run "$RUNTIME" create --help
	assert_status 0
	for o in --bundle --pid-file --console-socket --no-pivot --no-new-keyring --preserve-fds; do
		assert_output_contains "$o"
	done
	run "$RUNTIME" kill --help
	assert_status 0
	assert_output_contains -- "--all"
}

# --- --log ----------------------------------------------------------------------------------

@test "--log FILE --log-format json: an error is a JSON line {level, msg, time}" {
	run --separate-stderr rt --log "$TEST_DIR/log.json" --log-format json state nosuch-container
	assert_status 1
	[[ "$stderr" == *"container does not exist"* ]]
	line=$(grep '"level":"error"' "$TEST_DIR/log.json" | tail -n 1)
	[ "$(jq -r .level <<<"$line")" = error ]
	[ "$(jq -r .msg <<<"$line")" = "container does not exist" ]
	[[ "$(jq -r .time <<<"$line")" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8} ]]
	# every line of the log is JSON
	jq -e . "$TEST_DIR/log.json" >/dev/null
}

@test "--log FILE (text): the error is in the file" {
	run rt --log "$TEST_DIR/log.txt" state nosuch-container
	assert_status 1
	grep -q 'level=error' "$TEST_DIR/log.txt"
	grep -q 'container does not exist' "$TEST_DIR/log.txt"
}

@test "--log: the error of a failed create reaches the log" {
	update_config '.root.path = "no-such-rootfs"'
	rt_detached --log "$TEST_DIR/log.json" --log-format json create "$ID"
	assert_status 1
	grep '"level":"error"' "$TEST_DIR/log.json" | tail -n 1 | jq -e '.msg | test("no-such-rootfs")' >/dev/null
	assert_nothing_left "$ID"
}

@test "--log-format with an unknown value fails" {
	run rt --log-format yaml list
	assert_failed
	assert_output_contains yaml
}

# --- --console-socket -------------------------------------------------------------------------

@test "create --console-socket: the pty master arrives over the socket; the process has a tty" {
	command -v python3 >/dev/null || skip "needs python3 for the socket's receiving end"
	cat >"$TEST_DIR/recv.py" <<-'EOF'
		import array, os, socket, sys
		s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
		s.bind(sys.argv[1]); s.listen(1)
		open(sys.argv[2], "w").close()
		s.settimeout(10)
		c, _ = s.accept()
		fds = array.array("i")
		_, anc, _, _ = c.recvmsg(1024, socket.CMSG_LEN(fds.itemsize))
		for level, kind, data in anc:
		    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
		        fds.frombytes(data[:fds.itemsize])
		out = b""
		while b"done" not in out:
		    try:
		        d = os.read(fds[0], 1024)
		    except OSError:
		        break
		    if not d:
		        break
		    out += d
		sys.stdout.write(out.decode(errors="replace"))
	EOF
	timeout 20 python3 "$TEST_DIR/recv.py" "$TEST_DIR/console.sock" "$TEST_DIR/ready" >"$TEST_DIR/console.out" 2>&1 3>&- &
	recv=$!
	CLEANUP_PIDS+=("$recv")
	wait_for test -e "$TEST_DIR/ready"
	update_config '.process.terminal = true'
	set_args sh -c 'tty; test -t 0 && test -t 1 && echo is-a-tty; echo done; sleep 1'
	create_ok --console-socket "$TEST_DIR/console.sock" "$ID"
	rt start "$ID"
	wait "$recv"
	out=$(tr -d '\r' <"$TEST_DIR/console.out")
	[[ "$out" == *"/dev/pts/0"* ]]
	[[ "$out" == *is-a-tty* ]]
}

@test "terminal true without --console-socket on create is refused, nothing left" {
	update_config '.process.terminal = true'
	rt_detached create "$ID"
	assert_status 1
	assert_output_contains "console"
	assert_nothing_left "$ID"
}

# --- default root -------------------------------------------------------------------------------

@test "the default --root is /run/contain (runc: /run/runc)" {
	if is_contain; then def=/run/contain; else def=/run/runc; fi
	set_args sleep 100
	"$RUNTIME" create "$ID" </dev/null >/dev/null 2>&1 || { echo "create without --root failed" >&2; false; }
	DEFAULT_ROOT_IDS+=("$ID")
	[ -f "$def/$ID/state.json" ] || [ -d "$def/$ID" ]
	[ "$("$RUNTIME" state "$ID" | jq -r .id)" = "$ID" ]
	"$RUNTIME" delete --force "$ID"
	[ ! -e "$def/$ID" ]
}
