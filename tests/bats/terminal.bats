#!/usr/bin/env bats
# bats: each @test is a subshell, and run sets $output/$status/$stderr; jq filters use $vars
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# Terminals: process.terminal with create --console-socket (the pty's master sent over the
# socket as runc sends it: SCM_RIGHTS, one message, the master's path as the payload), the
# pty as the process sees it (controlling tty, stdio, /dev/console, consoleSize, owner),
# `run` in the foreground proxying the caller's terminal, and the error cases.
#
# tests/recvtty (built by make) is the socket's receiving end; a small python3 pty driver
# (written per test) plays the user at a terminal for `run`.

load helpers

RECVTTY=$SRC_DIR/tests/recvtty

need_recvtty() {
	[ -x "$RECVTTY" ] || skip "tests/recvtty is not built (run make)"
}

# start_recvtty [RECVTTY OPTIONS...]: listen on $SOCK, in the background ($RECV_PID);
# what arrived goes to $TEST_DIR/info, the pty's output to $TEST_DIR/out.
start_recvtty() {
	need_recvtty
	SOCK=$TEST_DIR/console.sock
	"$RECVTTY" -t 20 -r "$TEST_DIR/ready" -i "$TEST_DIR/info" -o "$TEST_DIR/out" "$@" "$SOCK" \
		</dev/null >"$TEST_DIR/recvtty.log" 2>&1 3>&- &
	RECV_PID=$!
	CLEANUP_PIDS+=("$RECV_PID")
	wait_for test -e "$TEST_DIR/ready"
}

# wait_recvtty: wait for the receiver; fail with its log unless it exited 0.
wait_recvtty() {
	local rc=0
	wait "$RECV_PID" || rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "recvtty exited $rc: $(cat "$TEST_DIR/recvtty.log")" >&2
		echo "pty output: $(cat "$TEST_DIR/out" 2>/dev/null)" >&2
		return 1
	fi
}

# info KEY: a value of what recvtty saw arrive
info() {
	sed -n "s/^$1=//p" "$TEST_DIR/info"
}

# pty_out: the pty's output without the \r the pty adds
pty_out() {
	tr -d '\r' <"$TEST_DIR/out"
}

# write_driver: $DRIVER, a python3 program that runs a command on a new pty as its
# controlling terminal, plays a script against it and reports how it went.
#   DRIVER [--rows R] [--cols C] OUT ACTION... -- CMD...
#   ACTION: expect=TEXT (wait until printed), send=TEXT (python escapes), resize=RxC
# The pty's output goes to OUT; OUT.info gets exit=N, raw=yes|no (the terminal was in
# raw mode while the command ran), restored=yes|no (its mode is as before at the end).
write_driver() {
	command -v python3 >/dev/null || skip "needs python3 to drive a terminal"
	DRIVER=$TEST_DIR/ptydrive.py
	cat >"$DRIVER" <<-'EOF'
		import fcntl, os, select, signal, struct, subprocess, sys, termios, time
		args = sys.argv[1:]
		rows, cols = 24, 80
		while args[0].startswith("--"):
		    if args[0] == "--rows": rows = int(args[1])
		    elif args[0] == "--cols": cols = int(args[1])
		    args = args[2:]
		out_path = args.pop(0)
		sep = args.index("--")
		actions, cmd = args[:sep], args[sep + 1:]
		master, slave = os.openpty()
		def setsize(r, c):
		    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", r, c, 0, 0))
		setsize(rows, cols)
		before = termios.tcgetattr(slave)
		def ctty():
		    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
		p = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave,
		                     start_new_session=True, preexec_fn=ctty, close_fds=True)
		deadline = time.time() + 30
		out = open(out_path, "wb")
		seen = b""
		raw = False
		def pump(timeout):
		    global seen
		    r, _, _ = select.select([master], [], [], timeout)
		    if r:
		        try:
		            d = os.read(master, 4096)
		        except OSError:
		            return False
		        out.write(d); out.flush()
		        seen += d
		    return True
		def fail(msg):
		    p.kill(); p.wait()
		    open(out_path + ".info", "w").write("error=%s\n" % msg)
		    sys.exit(2)
		mark = 0
		for a in actions:
		    kind, _, val = a.partition("=")
		    if kind == "expect":
		        want = val.encode()
		        while seen.find(want, mark) < 0:
		            if time.time() > deadline: fail("timed out waiting for %r" % val)
		            if p.poll() is not None and not select.select([master], [], [], 0.2)[0]:
		                fail("exited (%d) before printing %r" % (p.returncode, val))
		            pump(0.1)
		        mark = seen.find(want, mark) + len(want)
		        lflag = termios.tcgetattr(slave)[3]
		        raw = raw or not (lflag & termios.ICANON or lflag & termios.ECHO)
		    elif kind == "send":
		        os.write(master, val.encode().decode("unicode_escape").encode("latin-1"))
		    elif kind == "resize":
		        r, c = val.split("x")
		        setsize(int(r), int(c))
		while p.poll() is None:
		    if time.time() > deadline: fail("timed out waiting for the command to exit")
		    pump(0.1)
		end = time.time() + 0.5
		while time.time() < end and pump(0.1):
		    pass
		after = termios.tcgetattr(slave)
		info = "exit=%d\nraw=%s\nrestored=%s\n" % (p.returncode, "yes" if raw else "no",
		                                          "yes" if after == before else "no")
		open(out_path + ".info", "w").write(info)
	EOF
}

# drive [--rows R] [--cols C] ACTION... -- CMD...: run the driver; $DRIVE_OUT is the pty's
# output (without \r), drive_info KEY a value of its report.
drive() {
	local opts=()
	while [ "${1:-}" = --rows ] || [ "${1:-}" = --cols ]; do
		opts+=("$1" "$2")
		shift 2
	done
	timeout -k 5 60 python3 "$DRIVER" "${opts[@]}" "$TEST_DIR/drive.out" "$@" </dev/null \
		>"$TEST_DIR/drive.log" 2>&1 3>&-
	DRIVE_OUT=$(tr -d '\r' <"$TEST_DIR/drive.out" 2>/dev/null)
}

drive_info() {
	sed -n "s/^$1=//p" "$TEST_DIR/drive.out.info"
}

# --- create --console-socket --------------------------------------------------------------

@test "create --console-socket: the master arrives as runc sends it: one fd, a pty master, a path as payload" {
	start_recvtty
	update_config '.process.terminal = true'
	set_args sh -c 'echo done'
	create_ok --console-socket "$SOCK" "$ID"
	rt start "$ID"
	wait_recvtty
	[ "$(info fds)" = 1 ]
	[ "$(info pty)" = 0 ] # the first pty of the container's own devpts
	[ "$(info flags)" = 0x2 ] # O_RDWR
	# runc sends the name of the ptmx it opened: /dev/ptmx (runc 1.1), /dev/pts/ptmx (later)
	[[ "$(info payload)" == /dev/*ptmx ]]
	if is_contain; then [ "$(info payload)" = /dev/pts/ptmx ]; fi
	[[ "$(pty_out)" == *done* ]]
}

@test "create --console-socket: the process's stdio and controlling terminal are the pty, /dev/pts/0" {
	start_recvtty -u END
	update_config '.process.terminal = true'
	set_args sh -c 'tty
		for fd in 0 1 2; do test -t $fd && echo "fd$fd-tty"; done
		for fd in 0 1 2; do readlink /proc/self/fd/$fd; done
		# pid, session, tty_nr of the shell (pid 1): a session leader on pts/0 (136:0)
		set -- $(cat /proc/1/stat); echo "stat pid=$1 sid=$6 tty=$7"
		echo hi >/dev/tty && echo dev-tty-ok
		echo END; sleep 2'
	create_ok --console-socket "$SOCK" "$ID"
	rt start "$ID"
	wait_recvtty
	out=$(pty_out)
	echo "$out"
	[[ "$out" == "/dev/pts/0"* ]]
	[[ "$out" == *fd0-tty*fd1-tty*fd2-tty* ]]
	[ "$(grep -c '^/dev/pts/0$' <<<"$out")" -ge 4 ] # tty, and fds 0 1 2
	[[ "$out" == *"stat pid=1 sid=1 tty=34816"* ]]
	[[ "$out" == *dev-tty-ok* ]]
}

@test "create --console-socket: /dev/console is the pty, bound there; consoleSize is applied" {
	start_recvtty -u END
	update_config '.process.terminal = true | .process.consoleSize = {height: 33, width: 111}'
	set_args sh -c 'stty size
		echo "console $(stat -c %t:%T /dev/console) tty $(stat -c %t:%T "$(tty)")"
		grep -c " /dev/console " /proc/self/mountinfo
		echo END; sleep 2'
	create_ok --console-socket "$SOCK" "$ID"
	rt start "$ID"
	wait_recvtty
	[ "$(info winsize)" = 33x111 ]
	out=$(pty_out)
	echo "$out"
	[[ "$out" == "33 111"* ]]
	[[ "$out" == *"console 88:0 tty 88:0"* ]]
	[ "$(sed -n 3p <<<"$out")" = 1 ]
}

@test "create --console-socket: what is typed into the master reaches the process" {
	start_recvtty -w 'hello there\n' -u 'got:hello there'
	update_config '.process.terminal = true'
	set_args sh -c 'read line; echo "got:$line"; sleep 2'
	create_ok --console-socket "$SOCK" "$ID"
	rt start "$ID"
	wait_recvtty
}

@test "create --console-socket: a process of another user owns its pty and can reopen it" {
	start_recvtty -u END
	update_config '.process.terminal = true | .process.user = {uid: 1000, gid: 1000}'
	set_args sh -c 'id -u; echo "owner $(stat -c %u "$(tty)")"
		echo x >"$(tty)" && echo reopened; echo END; sleep 2'
	create_ok --console-socket "$SOCK" "$ID"
	rt start "$ID"
	wait_recvtty
	out=$(pty_out)
	echo "$out"
	[[ "$out" == *"owner 1000"* ]]
	[[ "$out" == *reopened* ]]
}

@test "run -d --console-socket: the detached process has the pty" {
	start_recvtty -u END
	update_config '.process.terminal = true'
	set_args sh -c 'tty; echo END; sleep 100'
	rt_detached run -d --console-socket "$SOCK" "$ID"
	assert_status 0
	wait_recvtty
	[[ "$(pty_out)" == "/dev/pts/0"* ]]
	[ "$(state_field "$ID" status)" = running ]
}

@test "create --console-socket in a user namespace: the pty works there too" {
	start_recvtty -u END
	update_config '.process.terminal = true
		| .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
	add_ns user
	chown -R 100000:100000 "$ROOTFS"
	set_args sh -c 'tty; stty size; echo END; sleep 2'
	update_config '.process.consoleSize = {height: 20, width: 70}'
	create_ok --console-socket "$SOCK" "$ID"
	rt start "$ID"
	wait_recvtty
	out=$(pty_out)
	echo "$out"
	[[ "$out" == "/dev/pts/0"* ]]
	[[ "$out" == *"20 70"* ]]
}

@test "terminal false: stdio is passed through untouched and there is no /dev/console" {
	set_args sh -c 'test -t 0 && echo stdin-tty; readlink /proc/self/fd/1
		test -e /dev/console && echo has-console; echo end'
	rt_run "$ID"
	assert_status 0
	[[ "$CTR_STDOUT" == *"pipe:"* ]]
	[[ "$CTR_STDOUT" != *stdin-tty* ]]
	[[ "$CTR_STDOUT" != *has-console* ]]
	[[ "$CTR_STDOUT" == *end ]]
}

# --- run in the foreground ----------------------------------------------------------------

@test "run with terminal in the foreground, driven from a pty: tty, size, input, exit status, terminal restored" {
	write_driver
	update_config '.process.terminal = true'
	set_args sh -c 'tty; stty size; echo READY; read line; echo "got:$line"; exit 7'
	drive --rows 40 --cols 100 'expect=READY' 'send=hello\n' 'expect=got:hello' -- \
		"$RUNTIME" --root "$ROOT" run "$ID"
	cat "$TEST_DIR/drive.log" "$TEST_DIR/drive.out.info"
	echo "$DRIVE_OUT"
	[ "$(drive_info exit)" = 7 ]
	[[ "$DRIVE_OUT" == *"/dev/pts/0"* ]]
	[[ "$DRIVE_OUT" == *"40 100"* ]] # the caller's size, not the default
	[[ "$DRIVE_OUT" == *"got:hello"* ]]
	[ "$(drive_info raw)" = yes ]
	[ "$(drive_info restored)" = yes ]
	assert_nothing_left "$ID"
}

@test "run with terminal in the foreground: a window resize (SIGWINCH) reaches the container's pty" {
	write_driver
	update_config '.process.terminal = true'
	set_args sh -c 'stty size; echo READY; read line; stty size; echo END'
	drive --rows 30 --cols 90 'expect=READY' 'resize=50x132' 'send=\n' 'expect=END' -- \
		"$RUNTIME" --root "$ROOT" run "$ID"
	cat "$TEST_DIR/drive.log" "$TEST_DIR/drive.out.info"
	echo "$DRIVE_OUT"
	[ "$(drive_info exit)" = 0 ]
	[[ "$DRIVE_OUT" == *"30 90"*READY*"50 132"*END* ]]
}

@test "run with terminal in the foreground: ^C is the container's (its shell gets SIGINT), not the runtime's" {
	write_driver
	update_config '.process.terminal = true'
	set_args sh -c 'trap "echo got-int; exit 5" INT; echo READY; while :; do sleep 0.1; done'
	drive 'expect=READY' 'send=\x03' 'expect=got-int' -- "$RUNTIME" --root "$ROOT" run "$ID"
	cat "$TEST_DIR/drive.log" "$TEST_DIR/drive.out.info"
	[ "$(drive_info exit)" = 5 ]
	[ "$(drive_info restored)" = yes ]
}

@test "run with terminal under script(1): the process has a tty and its exit status is run's" {
	command -v script >/dev/null || skip "needs script (bsdutils)"
	update_config '.process.terminal = true'
	set_args sh -c 'tty; test -t 0 && echo is-a-tty; exit 3'
	run timeout -k 5 60 script -qec "$(printf '%q ' "$RUNTIME" --root "$ROOT" run "$ID")" /dev/null </dev/null
	echo "$output"
	assert_status 3
	[[ "$output" == *"/dev/pts/0"* ]]
	[[ "$output" == *is-a-tty* ]]
	assert_nothing_left "$ID"
}

# --- errors -------------------------------------------------------------------------------

@test "create with terminal true and no --console-socket is refused (runc's phrase), nothing left" {
	update_config '.process.terminal = true'
	rt_detached create "$ID"
	assert_failed
	assert_output_contains "cannot allocate tty if"
	assert_output_contains "without setting console socket"
	assert_nothing_left "$ID"
}

@test "run -d with terminal true and no --console-socket is refused, nothing left" {
	update_config '.process.terminal = true'
	set_args sleep 100
	rt_detached run -d "$ID"
	assert_failed
	assert_output_contains "cannot allocate tty if"
	assert_nothing_left "$ID"
}

@test "--console-socket with terminal false is refused (runc's phrase), nothing left" {
	need_recvtty
	set_args sleep 100
	rt_detached create --console-socket "$TEST_DIR/whatever.sock" "$ID"
	assert_failed
	assert_output_contains "cannot use console socket"
	assert_nothing_left "$ID"
}

@test "--console-socket PATH that does not exist: a clear error, nothing left" {
	update_config '.process.terminal = true'
	set_args sleep 100
	rt_detached create --console-socket "$TEST_DIR/no-such.sock" "$ID"
	assert_failed
	assert_output_contains "$TEST_DIR/no-such.sock"
	[[ "${output,,}" == *"no such file or directory"* ]]
	assert_nothing_left "$ID"
}

@test "--console-socket PATH where nothing listens: connection refused, nothing left" {
	update_config '.process.terminal = true'
	set_args sleep 100
	touch "$TEST_DIR/not-a-socket"
	rt_detached create --console-socket "$TEST_DIR/not-a-socket" "$ID"
	assert_failed
	[[ "${output,,}" == *"connection refused"* ]]
	# a socket that is bound but does not listen
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
		"$TEST_DIR/bound.sock" 2>/dev/null || skip "needs python3 for the second case"
	rt_detached create --console-socket "$TEST_DIR/bound.sock" "$ID"
	assert_failed
	[[ "${output,,}" == *"connection refused"* ]]
	assert_nothing_left "$ID"
}

@test "a console socket whose receiver hangs up: create fails, no process left" {
	start_recvtty -c
	update_config '.process.terminal = true'
	set_args sleep 100
	rt_detached create --console-socket "$SOCK" "$ID"
	wait_recvtty
	assert_failed
	assert_nothing_left "$ID"
	[ -z "$(rt list -q)" ]
}

@test "run with terminal in the foreground without any terminal is refused, nothing left" {
	update_config '.process.terminal = true'
	set_args true
	# setsid: no controlling terminal; stdio a file and /dev/null
	setsid -w timeout -k 5 60 "$RUNTIME" --root "$ROOT" run "$ID" </dev/null \
		>"$TEST_DIR/run.out" 2>&1 && status=0 || status=$?
	output=$(cat "$TEST_DIR/run.out")
	assert_failed
	if is_contain; then assert_output_contains "terminal"; fi
	assert_nothing_left "$ID"
}

@test "terminal without a devpts on /dev/pts: a clear error, nothing left" {
	contain_only "runc's message differs"
	start_recvtty
	update_config '.process.terminal = true | .mounts |= map(select(.destination != "/dev/pts"))'
	set_args sleep 100
	rt_detached create --console-socket "$SOCK" "$ID"
	assert_failed
	assert_output_contains "devpts"
	assert_nothing_left "$ID"
}

@test "a /dev/console symlink in the container is refused, and its target is untouched (CVE-2025-52565)" {
	contain_only "runc's behaviour depends on its version"
	start_recvtty
	# the container's /dev is the rootfs's own directory, where /dev/console points out
	mkdir -p "$ROOTFS/dev/pts"
	echo secret >"$ROOTFS/target"
	ln -s /target "$ROOTFS/dev/console"
	update_config '.process.terminal = true
		| .mounts |= map(if .destination == "/dev"
			then {destination: "/dev", type: "bind", source: "rootfs/dev", options: ["rbind"]}
			else . end)'
	set_args sleep 100
	rt_detached create --console-socket "$SOCK" "$ID"
	assert_failed
	assert_output_contains "/dev/console"
	assert_output_contains "symlink"
	[ "$(cat "$ROOTFS/target")" = secret ]
	assert_nothing_left "$ID"
}

@test "exec -t -d --console-socket: the exec'd process has a pty of the container's devpts" {
	start_recvtty -u END
	set_args sleep 100
	rt_detached run -d "$ID"
	assert_status 0
	rt_detached exec -t -d --console-socket "$SOCK" "$ID" sh -c 'tty; test -t 0 && echo in-tty; echo END; sleep 1'
	assert_status 0
	wait_recvtty
	out=$(pty_out)
	[[ "$out" == "/dev/pts/"* ]]
	[[ "$out" == *in-tty* ]]
}

@test "exec -t without a terminal of our own and without --console-socket: a clear error" {
	set_args sleep 100
	rt_detached run -d "$ID"
	assert_status 0
	run rt exec -t "$ID" true </dev/null
	assert_status 1
	assert_output_contains "terminal"
}

@test "exec -t -d without --console-socket: runc's phrase" {
	set_args sleep 100
	rt_detached run -d "$ID"
	assert_status 0
	run rt exec -t -d "$ID" true
	assert_status 1
	assert_output_contains "console socket"
}
