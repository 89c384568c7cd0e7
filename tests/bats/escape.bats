#!/usr/bin/env bats
# bats: each @test is a subshell, and run sets $output/$status/$stderr; jq filters use $vars
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# The container cannot escape: each test is an attack by the image (its symlinks, its
# /dev, its binaries) or by the container's processes, and each must fail. It is asserted
# from the host that nothing outside the rootfs changed, and from inside that the attack
# had no effect. The classes are runc's CVEs: 2019-5736 (overwrite of the runtime's binary
# through /proc/self/exe), 2021-30465 (symlinks redirect mounts), 2024-21626 (a leaked fd
# as the cwd), 2025-31133 (/dev/null swapped for a symlink when masking), 2025-52565
# (/dev/console as a symlink), 2025-52881 (mounts and writes redirected into procfs).
#
# Safety of the machine running this file: every "host target" is under the test's own
# tmpdir; the host's /proc/sys/kernel/core_pattern is only read (inside the container only
# `test -w` is asked of it, never a write or an open for writing); the tests that attack
# the runtime's binary attack a copy of it in the tmpdir, never the binary under test.

load helpers

# A tiny static helper: prints its euid (and uid), then execs its arguments if any;
# "ptrace PID" tries PTRACE_ATTACH on PID instead, "access PATH" asks the kernel whether
# PATH could be opened for writing (busybox's test -w says yes to root for anything). Made setuid-root in the rootfs.
setup_file() {
	HELPER_BIN=$BATS_FILE_TMPDIR/euid-exec
	export HELPER_BIN
	command -v gcc >/dev/null 2>&1 || return 0
	cat >"$BATS_FILE_TMPDIR/euid-exec.c" <<'EOF'
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "access") == 0) {
    /* may the caller open it for writing? (asked of the kernel; nothing is opened) */
    if (faccessat(AT_FDCWD, argv[2], W_OK, AT_EACCESS) < 0)
      printf("not-writable: %s\n", strerror(errno));
    else
      printf("writable\n");
    return 0;
  }
  if (argc == 3 && strcmp(argv[1], "ptrace") == 0) {
    pid_t pid = (pid_t)atoi(argv[2]);
    if (ptrace(PTRACE_ATTACH, pid, 0, 0) < 0) {
      printf("ptrace=%s\n", strerror(errno));
      return 1;
    }
    waitpid(pid, NULL, __WALL);
    ptrace(PTRACE_DETACH, pid, 0, 0);
    printf("ptrace=attached\n");
    return 0;
  }
  printf("euid=%d uid=%d\n", (int)geteuid(), (int)getuid());
  fflush(stdout);
  if (argc > 1) {
    execv(argv[1], argv + 1);
    perror("execv");
    return 127;
  }
  return 0;
}
EOF
	gcc -static -O2 -o "$HELPER_BIN" "$BATS_FILE_TMPDIR/euid-exec.c" 2>/dev/null || rm -f "$HELPER_BIN"
}

setup() {
	common_setup
	HOSTTARGET=$TEST_DIR/hosttarget
	mkdir "$HOSTTARGET"
	echo host-original >"$HOSTTARGET/host-marker"
	HOST_CORE_PATTERN=$(cat /proc/sys/kernel/core_pattern)
}

add_mount() {
	update_config --argjson m "$1" '.mounts += [$m]'
}

bind_json() { # SOURCE DEST
	jq -cn --arg s "$1" --arg d "$2" '{destination: $d, type: "bind", source: $s, options: ["bind"]}'
}

# no_dev_tmpfs: /dev is the rootfs's own directory (the runtime makes the devices in it)
no_dev_tmpfs() {
	update_config '.mounts |= map(select(.destination != "/dev"))'
}

# no_dev_mounts: nothing at all is mounted under /dev
no_dev_mounts() {
	update_config '.mounts |= map(select(.destination != "/dev" and (.destination | startswith("/dev/") | not)))'
}

# host_untouched [EXTRA...]: the host dir holds only its marker (and the EXTRA names the
# test put there), the marker is unchanged, nothing is mounted under the test's tmpdir
host_untouched() {
	local want have
	want=$(printf '%s\n' host-marker "$@" | sort | tr '\n' ' ')
	have=$(find "$HOSTTARGET" -mindepth 1 -maxdepth 1 -printf "%f\n" | sort | tr "\n" " ")
	[ "$have" = "$want" ] || { echo "host dir changed: '$have', expected '$want'" >&2; return 1; }
	[ "$(cat "$HOSTTARGET/host-marker")" = host-original ] || { echo "host file changed: $(cat "$HOSTTARGET/host-marker")" >&2; return 1; }
	assert_no_mounts_under "$TEST_DIR"
}

# core_pattern_untouched: the host's core_pattern reads as before, nothing mounted on it
core_pattern_untouched() {
	[ "$(cat /proc/sys/kernel/core_pattern)" = "$HOST_CORE_PATTERN" ] ||
		{ echo "the host's core_pattern changed: $(cat /proc/sys/kernel/core_pattern)" >&2; return 1; }
	! grep -q ' /proc/sys/kernel/core_pattern ' /proc/self/mountinfo ||
		{ echo "something is mounted on the host's core_pattern" >&2; return 1; }
}

# use_runtime_copy: the test runs a copy of the runtime in its tmpdir (the attacks on the
# runtime's binary then hit the copy, never the build of the tree), and remembers its hash
use_runtime_copy() {
	local dir=$TEST_DIR/runtime-bin
	mkdir -p "$dir"
	cp "$RUNTIME" "$dir/$(basename "$RUNTIME")"
	RUNTIME=$dir/$(basename "$RUNTIME")
	RUNTIME_SHA=$(sha256sum <"$RUNTIME")
}

runtime_unchanged() {
	[ "$(sha256sum <"$RUNTIME")" = "$RUNTIME_SHA" ] ||
		{ echo "the runtime's binary was changed from inside the container: $(tail -c 64 "$RUNTIME" | od -c | tail -4)" >&2; return 1; }
}

# copy_runtime_libs: the runtime's dynamic loader and libraries into the rootfs (an image
# with a libc, as most have), so that the runtime's binary could run inside if it were
# executed there
copy_runtime_libs() {
	local f
	for f in $(ldd "$RUNTIME" 2>/dev/null | grep -o '/[^ ]*'); do
		mkdir -p "$ROOTFS$(dirname "$f")"
		cp -L "$f" "$ROOTFS$f"
	done
}

need_helper() {
	[ -x "$HELPER_BIN" ] || skip "needs gcc and a static libc to build the setuid helper"
	cp "$HELPER_BIN" "$ROOTFS/bin/suid-helper"
	chown 0:0 "$ROOTFS/bin/suid-helper"
	chmod 4755 "$ROOTFS/bin/suid-helper"
}

# wait_file PATH [TRIES]: poll (50ms steps, default 10s) until PATH exists
wait_file() {
	local tries=${2:-200}
	until [ -e "$1" ]; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || { echo "timed out waiting for $1" >&2; return 1; }
		sleep 0.05
	done
}

# ------------------------------------------------------------ symlinks as the runtime's paths
#
# The links are relative and climb: resolved naively on the host (rootfs + path, as a
# string), ROOTFS/evil -> ../../hosttarget is $TEST_DIR/hosttarget, the host dir; resolved
# in the container's own /, the .. stop at / and it is ROOTFS/hosttarget, its "twin" in the
# rootfs. (An absolute link to $HOSTTARGET would lead under the container's /dev, a tmpfs.)

# uplink DEPTH: the relative path from a link DEPTH levels below the rootfs (1 = ROOTFS/x,
# 2 = ROOTFS/dev/x) to the host dir
uplink() {
	printf '../%.0s' $(seq 1 $(($1 + 1)))
	printf 'hosttarget'
}

@test "mount destination: a bind mount onto a symlink climbing to a host dir lands inside the rootfs" {
	mkdir "$TEST_DIR/src"
	echo from-source >"$TEST_DIR/src/from-source"
	ln -s "$(uplink 1)" "$ROOTFS/evil"
	add_mount "$(bind_json "$TEST_DIR/src" /evil)"
	sh_ctr 'ls -A /evil; grep -c " /hosttarget rw" /proc/self/mountinfo'
	assert_status 0
	[ "${lines[0]}" = from-source ]
	# the bind sits on the symlink's target resolved in the container's own /
	[ "${lines[1]}" = 1 ]
	host_untouched
	[ -d "$ROOTFS/hosttarget" ]
}

@test "mount destination: a bind mount onto an absolute symlink to a host dir lands inside the rootfs" {
	mkdir "$TEST_DIR/src"
	echo from-source >"$TEST_DIR/src/from-source"
	ln -s "$HOSTTARGET" "$ROOTFS/evil"
	add_mount "$(bind_json "$TEST_DIR/src" /evil)"
	sh_ctr 'ls -A /evil; cat /proc/self/mountinfo'
	assert_status 0
	[ "${lines[0]}" = from-source ]
	grep -q " $HOSTTARGET rw" <<<"$output"
	host_untouched
}

@test "mount destination through a chain of symlinks (absolute, then climbing ../..): lands inside" {
	ln -s /b "$ROOTFS/a"
	ln -s "$(uplink 1)" "$ROOTFS/b"
	add_mount '{"destination": "/a/sub", "type": "tmpfs", "source": "tmpfs"}'
	sh_ctr 'echo x > /a/sub/new; ls -A /a/sub; grep -c " /hosttarget/sub rw.* - tmpfs " /proc/self/mountinfo'
	assert_status 0
	[ "${lines[0]}" = new ]
	[ "${lines[1]}" = 1 ]
	host_untouched
	# the missing directories were made in the rootfs's twin of the host dir
	[ -d "$ROOTFS/hosttarget/sub" ]
}

@test "mount destination that is a dangling symlink to a missing dir below a host dir: made inside" {
	ln -s "$(uplink 1)/newdir" "$ROOTFS/evil"
	add_mount '{"destination": "/evil", "type": "tmpfs", "source": "tmpfs"}'
	sh_ctr 'echo x > /evil/f; ls -A /evil'
	assert_status 0
	[ "$output" = f ]
	host_untouched
	[ -d "$ROOTFS/hosttarget/newdir" ]
}

@test "maskedPaths entries that are symlinks to a host dir and a host file: only the rootfs's twins are masked" {
	mkdir "$ROOTFS/hosttarget" "$ROOTFS/hosttarget/dir"
	echo twin-secret >"$ROOTFS/hosttarget/host-marker"
	echo twin-secret >"$ROOTFS/hosttarget/dir/f"
	mkdir "$HOSTTARGET/dir"
	echo host-original >"$HOSTTARGET/dir/f"
	ln -s "$(uplink 1)/dir" "$ROOTFS/evil-dir"
	ln -s "$(uplink 2)/host-marker" "$ROOTFS/etc/evil-file"
	update_config '.linux.maskedPaths += ["/evil-dir", "/etc/evil-file"]'
	sh_ctr 'echo "dir:$(ls -A /evil-dir)"; echo "file:$(cat /etc/evil-file)"; stat -c %t:%T /hosttarget/host-marker'
	assert_status 0
	# the directory is an empty tmpfs, the file is /dev/null: both twins are masked
	[ "${lines[0]}" = "dir:" ]
	[ "${lines[1]}" = "file:" ]
	[ "${lines[2]}" = 1:3 ]
	[[ "$output" != *host-original* ]]
	host_untouched dir
	[ "$(ls -A "$HOSTTARGET/dir")" = f ]
}

@test "readonlyPaths entry that is a symlink to a host dir: the rootfs's twin is read-only, the host dir untouched" {
	mkdir "$ROOTFS/hosttarget"
	ln -s "$(uplink 1)" "$ROOTFS/evil-ro"
	update_config '.root.readonly = false | .linux.readonlyPaths += ["/evil-ro"]'
	sh_ctr 'touch /evil-ro/new 2>&1; echo rc=$?; touch /tmp/new; echo tmp=$?'
	assert_status 0
	assert_output_contains "rc=1"
	assert_output_contains "Read-only file system"
	assert_output_contains "tmp=0"
	host_untouched
	[ ! -e "$ROOTFS/hosttarget/new" ]
}

@test "/dev a symlink climbing to a host dir (no /dev mounts): devices and /dev links are made inside" {
	contain_only "runc 1.1.5 removes /dev/ptmx and makes the /dev symlinks (ptmx, fd, stdin...) through a /dev symlink, on the host (CVE-2026-41579, fixed in runc 1.3.6)"
	no_dev_mounts
	echo decoy >"$HOSTTARGET/ptmx"
	rmdir "$ROOTFS/dev"
	ln -s "$(uplink 1)" "$ROOTFS/dev"
	update_config '.linux.devices = [{"path": "/dev/evil-null", "type": "c", "major": 1, "minor": 3, "fileMode": 438}]'
	sh_ctr 'stat -c "%n %t:%T" /dev/evil-null /dev/null; echo x > /dev/null && echo null-ok; readlink /dev/ptmx'
	assert_status 0
	[ "${lines[0]}" = "/dev/evil-null 1:3" ]
	[ "${lines[1]}" = "/dev/null 1:3" ]
	[ "${lines[2]}" = null-ok ]
	[ "${lines[3]}" = pts/ptmx ]
	host_untouched ptmx
	[ "$(cat "$HOSTTARGET/ptmx")" = decoy ]
	[ -c "$ROOTFS/hosttarget/evil-null" ]
	[ -L "$ROOTFS/hosttarget/ptmx" ]
}

@test "/dev a symlink to the host's path of a host dir (absolute): refused or made inside, the host untouched" {
	no_dev_mounts
	echo decoy >"$HOSTTARGET/ptmx"
	rmdir "$ROOTFS/dev"
	ln -s "$HOSTTARGET" "$ROOTFS/dev"
	run_ctr true
	# $HOSTTARGET is below /dev: resolved inside the rootfs, the link loops on itself
	host_untouched ptmx
	[ "$(cat "$HOSTTARGET/ptmx")" = decoy ]
	assert_nothing_left "$ID"
}

@test "linux.devices: a device path that is a symlink to a host file, or climbs with ..: the host is untouched" {
	no_dev_tmpfs
	ln -s "$(uplink 2)/host-marker" "$ROOTFS/dev/evil"
	update_config '.linux.devices = [{"path": "/dev/evil", "type": "c", "major": 1, "minor": 5},
		{"path": "/dev/../../../hosttarget/evil-node", "type": "c", "major": 1, "minor": 3}]'
	sh_ctr 'head -c 20 /dev/evil 2>&1 | od -c | head -2; stat -c "%n %t:%T" /hosttarget/evil-node'
	[[ "$output" != *host-original* ]]
	host_untouched
	if [ "$status" -eq 0 ]; then
		[ "${lines[${#lines[@]}-1]}" = "/hosttarget/evil-node 1:3" ]
	fi
}

@test "process.cwd: a symlink climbing to a host dir, with a missing dir below it: made inside" {
	mkdir "$ROOTFS/hosttarget"
	ln -s "$(uplink 1)" "$ROOTFS/evilcwd"
	update_config '.root.readonly = false | .process.cwd = "/evilcwd/sub"'
	sh_ctr 'touch here; ls -A; readlink /proc/self/cwd'
	assert_status 0
	[ "${lines[0]}" = here ]
	[ "${lines[1]}" = /hosttarget/sub ]
	host_untouched
	[ -e "$ROOTFS/hosttarget/sub/here" ]
}

# ------------------------------------------------------------ /dev/null, /dev/console as symlinks

@test "masking with a genuine /dev/null when /dev is not a tmpfs: masked files are the null device" {
	no_dev_tmpfs
	echo secret >"$ROOTFS/etc/masked-file"
	update_config '.linux.maskedPaths += ["/etc/masked-file"]'
	sh_ctr 'for f in /proc/keys /proc/timer_list /etc/masked-file; do echo "$f $(stat -c "%t:%T" $f) $(cat $f | wc -c)"; done'
	assert_status 0
	[ "${lines[0]}" = "/proc/keys 1:3 0" ]
	[ "${lines[1]}" = "/proc/timer_list 1:3 0" ]
	[ "${lines[2]}" = "/etc/masked-file 1:3 0" ]
}

@test "CVE-2025-31133: /dev/null a symlink to /proc/sys/kernel/core_pattern: masking never binds it" {
	contain_only "runc 1.1.5 binds the symlink's target (the host's core_pattern) over every masked file, and re-opens the container's stdio on it (CVE-2025-31133, fixed in runc 1.2.8)"
	no_dev_tmpfs
	rm -f "$ROOTFS/dev/null"
	ln -s /proc/sys/kernel/core_pattern "$ROOTFS/dev/null"
	echo secret >"$ROOTFS/etc/masked-file"
	update_config '.root.readonly = false | .linux.maskedPaths += ["/etc/masked-file"]'
	if [ -x "$HELPER_BIN" ]; then cp "$HELPER_BIN" "$ROOTFS/bin/suid-helper"; fi
	# SAFETY, for a runtime that has the bug: it may also point the container's stdio at its
	# "/dev/null" (runc 1.1.5 does, whatever they were), and then whatever the process
	# writes to stdout or stderr, or to /dev/null, goes to the host's core_pattern. So the
	# script's first act is to send its stdout and stderr to a file of the rootfs; it never
	# names /dev/null; and inside there are only reads and test -w, never a write.
	set_args sh -c 'exec >/tmp/result 2>&1
		for f in /proc/keys /proc/timer_list /etc/masked-file; do echo "$f $(stat -c "%F %t:%T" $f)"; done
		awk '"'"'$5 == "/proc/sys" { print "/proc/sys " substr($6, 1, 3) }'"'"' /proc/self/mountinfo
		grep -c core_pattern /proc/self/mountinfo
		if [ -x /bin/suid-helper ]; then /bin/suid-helper access /proc/sys/kernel/core_pattern; else echo not-writable: no helper; fi'
	rt --log "$TEST_DIR/rt.log" run "$ID" </dev/zero >"$TEST_DIR/rt.out" 2>&1 && status=0 || status=$?
	core_pattern_untouched
	if [ "$status" -ne 0 ]; then
		# refused: the runtime says why, and the process never ran
		cat "$TEST_DIR/rt.log" "$TEST_DIR/rt.out" 2>/dev/null | grep -q "/dev/null" ||
			{ cat "$TEST_DIR/rt.log" "$TEST_DIR/rt.out" >&2; false; }
		[ ! -e "$ROOTFS/tmp/result" ]
	else
		mapfile -t lines <"$ROOTFS/tmp/result"
		printf '%s\n' "${lines[@]}"
		[ "${lines[0]}" = "/proc/keys character special file 1:3" ]
		[ "${lines[1]}" = "/proc/timer_list character special file 1:3" ]
		[ "${lines[2]}" = "/etc/masked-file character special file 1:3" ]
		# /proc/sys is read-only, nothing is bound from or onto core_pattern
		[ "${lines[3]}" = "/proc/sys ro," ]
		[ "${lines[4]}" = 0 ]
		[[ "${lines[5]}" == not-writable:* ]]
	fi
	assert_nothing_left "$ID"
}

@test "/dev/null a symlink to a file of the rootfs: the container's stdio are not re-pointed at it" {
	contain_only "runc 1.1.5 re-opens every stdio fd whose st_rdev is 0 (a pipe, a file) on the container's /dev/null, following the symlink"
	no_dev_tmpfs
	rm -f "$ROOTFS/dev/null"
	: >"$ROOTFS/etc/stdio-trap"
	ln -s /etc/stdio-trap "$ROOTFS/dev/null"
	update_config '.linux.maskedPaths = []'
	set_args sh -c 'echo to-stdout; echo to-stderr >&2'
	run --separate-stderr rt run "$ID" </dev/null
	[ "$output" = to-stdout ]
	[ ! -s "$ROOTFS/etc/stdio-trap" ] || { echo "stdio went to the trap: $(cat "$ROOTFS/etc/stdio-trap")" >&2; false; }
}

@test "/dev/null a symlink to a host file: the host file is neither bound nor written nor opened as stdio" {
	no_dev_tmpfs
	rm -f "$ROOTFS/dev/null"
	ln -s "$HOSTTARGET/host-marker" "$ROOTFS/dev/null"
	echo secret >"$ROOTFS/etc/masked-file"
	update_config '.linux.maskedPaths += ["/etc/masked-file"]'
	set_args sh -c 'cat /etc/masked-file; echo; ls -l /proc/self/fd/0; cat /proc/self/mountinfo'
	# stdin is the host's /dev/null: a runtime that re-points it at the container's
	# /dev/null must not follow the symlink
	run --separate-stderr rt run "$ID" </dev/null
	[[ "$output" != *host-original* ]]
	[[ "$output" != *"$HOSTTARGET"* ]]
	host_untouched
	assert_nothing_left "$ID"
}

@test "CVE-2025-52565: /dev/console a symlink climbing to a host file, with a terminal: nothing is written or mounted through it" {
	contain_only "runc 1.1.5 follows a /dev/console symlink: it truncates the target (os.Create) and bind-mounts the pty on it (CVE-2025-52565, fixed in runc 1.2.8)"
	command -v script >/dev/null || skip "needs script(1) for a terminal"
	no_dev_tmpfs
	ln -s "$(uplink 2)/host-marker" "$ROOTFS/dev/console"
	mkdir "$ROOTFS/hosttarget"
	echo twin >"$ROOTFS/hosttarget/host-marker"
	update_config '.process.terminal = true'
	set_args sh -c 'stat -c "%n %F" /dev/console; grep -c " /hosttarget/host-marker " /proc/self/mountinfo'
	run timeout 20 script -qec "$RUNTIME --root $ROOT run $ID" /dev/null </dev/null
	if [[ "$output" == *"not supported yet"* ]]; then
		skip "terminals are not supported yet by the runtime"
	fi
	host_untouched
	# the symlink's target in the rootfs is neither truncated nor covered by the pty
	[ "$(cat "$ROOTFS/hosttarget/host-marker")" = twin ] || { echo "the twin was written: $output" >&2; false; }
	# refusing the symlink is fine; running, /dev/console is the pty, in place of the link
	if [ "$status" -eq 0 ]; then
		assert_output_contains "/dev/console character special file"
		assert_output_matches "(^|[^0-9])0[[:space:]]*$"
	fi
}

@test "/dev/pts/ptmx a symlink climbing to a host file (no devpts mount), with a terminal: the host file is untouched" {
	command -v script >/dev/null || skip "needs script(1) for a terminal"
	no_dev_mounts
	mkdir -p "$ROOTFS/dev/pts"
	ln -s "$(uplink 3)/host-marker" "$ROOTFS/dev/pts/ptmx"
	update_config '.process.terminal = true'
	set_args sh -c 'readlink /proc/self/fd/0; ls -l /dev/ptmx'
	run timeout 20 script -qec "$RUNTIME --root $ROOT run $ID" /dev/null </dev/null
	if [[ "$output" == *"not supported yet"* ]]; then
		skip "terminals are not supported yet by the runtime"
	fi
	[[ "$output" != *host-original* ]]
	host_untouched
}

# ------------------------------------------------------------ the runtime's binary and memory

@test "before start, an exec'd process cannot read, write, trace or look into the waiting init (/proc/1)" {
	contain_only "runc 1.1.5's init is dumpable while it waits for start: its exe (a sealed memfd copy), mem, environ, maps, cwd, root and fds are open to the container's root"
	use_runtime_copy
	need_helper
	set_args true
	create_ok "$ID"
	run --separate-stderr rt exec "$ID" sh -c '
		cat /proc/1/exe >/dev/null 2>&1; echo "read-exe=$?"
		readlink /proc/1/exe >/dev/null 2>&1; echo "readlink-exe=$?"
		(exec 3>>/proc/1/exe) 2>/dev/null; echo "write-exe=$?"
		(exec 3</proc/1/mem) 2>/dev/null; echo "open-mem=$?"
		(exec 3</proc/1/environ) 2>/dev/null; echo "open-environ=$?"
		(exec 3</proc/1/maps) 2>/dev/null; echo "open-maps=$?"
		readlink /proc/1/cwd >/dev/null 2>&1; echo "readlink-cwd=$?"
		readlink /proc/1/root >/dev/null 2>&1; echo "readlink-root=$?"
		ls /proc/1/root/ >/dev/null 2>&1; echo "ls-root=$?"
		n=0; for f in /proc/1/fd/*; do [ -e "$f" ] || [ -L "$f" ] || continue
			readlink "$f" >/dev/null 2>&1 && n=$((n+1)); (exec 3<"$f") 2>/dev/null && n=$((n+1)); done
		echo "fds-reached=$n"
		/bin/suid-helper ptrace 1
		echo "self-exe=$(readlink /proc/self/exe)"'
	echo "$output"
	assert_status 0
	for a in read-exe readlink-exe write-exe open-mem open-environ open-maps readlink-cwd readlink-root ls-root; do
		grep -qx "$a=[1-9][0-9]*" <<<"$output" || { echo "$a succeeded: $output" >&2; false; }
	done
	assert_output_contains "fds-reached=0"
	assert_output_matches "ptrace=(Operation not permitted|Permission denied)"
	assert_output_contains "self-exe=/bin/busybox"
	[ "$(state_field "$ID" status)" = created ]
	runtime_unchanged
}

@test "a runtime helper held inside the container (exec blocked on a FIFO /etc/passwd) is unreadable" {
	use_runtime_copy
	update_config '.root.readonly = false'
	# the container's own process is the attacker: it finds the runtime's exec helper
	# while that reads /etc/passwd (a FIFO the image swapped in), and tries it all
	cat >"$ROOTFS/attack.sh" <<'EOF'
wait_for() { i=0; until [ -e "$1" ]; do i=$((i+1)); [ $i -gt 200 ] && return 1; sleep 0.05; done; }
wait_for /tmp/go
i=0; p=
while [ -z "$p" ] && [ $i -lt 200 ]; do
	for d in /proc/[0-9]*; do
		case "$(cat $d/comm 2>/dev/null)" in contain*|runc*) p=${d#/proc/} ;; esac
	done
	i=$((i+1)); [ -n "$p" ] || sleep 0.05
done
{
	echo "helper=$p"
	cat /proc/$p/exe >/dev/null 2>&1; echo "read-exe=$?"
	readlink /proc/$p/exe >/dev/null 2>&1; echo "readlink-exe=$?"
	(exec 3>>/proc/$p/exe) 2>/dev/null; echo "write-exe=$?"
	(exec 3</proc/$p/mem) 2>/dev/null; echo "open-mem=$?"
	(exec 3</proc/$p/environ) 2>/dev/null; echo "open-environ=$?"
	readlink /proc/$p/cwd >/dev/null 2>&1; echo "readlink-cwd=$?"
	n=0; for f in /proc/$p/fd/*; do [ -e "$f" ] || [ -L "$f" ] || continue
		readlink "$f" >/dev/null 2>&1 && n=$((n+1)); (exec 3<"$f") 2>/dev/null && n=$((n+1)); done
	echo "fds-reached=$n"
} >/tmp/result 2>&1
touch /tmp/done
exec sleep 1000
EOF
	set_args sh /attack.sh
	start_ok "$ID"
	mv "$ROOTFS/etc/passwd" "$ROOTFS/etc/passwd.real"
	mkfifo "$ROOTFS/etc/passwd"
	rt exec "$ID" true </dev/null >"$TEST_DIR/exec.out" 2>&1 &
	exec_pid=$!
	CLEANUP_PIDS+=("$exec_pid")
	touch "$ROOTFS/tmp/go"
	wait_file "$ROOTFS/tmp/done"
	# let the helper go on (it reads the FIFO), and the exec finish
	timeout 10 sh -c 'cat "$1" >"$2"' sh "$ROOTFS/etc/passwd.real" "$ROOTFS/etc/passwd"
	wait "$exec_pid" || { cat "$TEST_DIR/exec.out" >&2; false; }
	cat "$ROOTFS/tmp/result"
	grep -qx 'helper=[0-9][0-9]*' "$ROOTFS/tmp/result"
	for a in read-exe readlink-exe write-exe open-mem open-environ readlink-cwd; do
		grep -qx "$a=[1-9][0-9]*" "$ROOTFS/tmp/result" || { echo "$a succeeded" >&2; false; }
	done
	grep -qx 'fds-reached=0' "$ROOTFS/tmp/result"
	runtime_unchanged
}

@test "CVE-2019-5736: exec of a container binary whose interpreter is /proc/self/exe cannot overwrite the runtime" {
	use_runtime_copy
	copy_runtime_libs
	update_config '.root.readonly = false'
	# /bin/evil runs "/proc/self/exe --log=/tmp/fifo /bin/evil": if /proc/self/exe is still
	# the runtime's binary when the kernel resolves the interpreter, the runtime's binary
	# runs in the container (blocked opening its log, a FIFO), where the container's own
	# process opens it, lets it exit, and writes to it through /proc/self/fd.
	printf '#!/proc/self/exe --log=/tmp/fifo\n' >"$ROOTFS/bin/evil"
	chmod 755 "$ROOTFS/bin/evil"
	mkfifo "$ROOTFS/tmp/fifo"
	cat >"$ROOTFS/attack.sh" <<'EOF'
wait_for() { i=0; until [ -e "$1" ]; do i=$((i+1)); [ $i -gt 200 ] && return 1; sleep 0.05; done; }
wait_for /tmp/go
i=0; p=
while [ -z "$p" ] && [ $i -lt 200 ]; do
	for d in /proc/[0-9]*; do [ "$(cat $d/comm 2>/dev/null)" = evil ] && p=${d#/proc/}; done
	i=$((i+1)); [ -n "$p" ] || sleep 0.05
done
{
	echo "evil=$p exe=$(readlink /proc/$p/exe)"
	if [ -n "$p" ] && exec 5</proc/$p/exe; then
		echo opened
		cat /tmp/fifo >/dev/null
		n=0
		until echo ATTACK >>/proc/self/fd/5; do n=$((n+1)); [ $n -gt 50 ] && break; sleep 0.1; done
		echo "write-tries=$n"
	fi
} >/tmp/result 2>&1
touch /tmp/done
exec sleep 1000
EOF
	set_args sh /attack.sh
	start_ok "$ID"
	rt exec "$ID" /bin/evil </dev/null >"$TEST_DIR/exec.out" 2>&1 &
	exec_pid=$!
	CLEANUP_PIDS+=("$exec_pid")
	touch "$ROOTFS/tmp/go"
	wait_file "$ROOTFS/tmp/done" 400
	wait "$exec_pid" || true
	cat "$ROOTFS/tmp/result" "$TEST_DIR/exec.out"
	runtime_unchanged
}

# ------------------------------------------------------------ bind sources, /proc destinations

@test "a bind source that is a symlink (in the bundle or the rootfs) is followed on the host, as runc does" {
	# runc takes a bind mount's source as a host path (relative ones from the bundle) and
	# lets the kernel follow symlinks in it: the config's author chooses the sources, so a
	# source through the rootfs is the config's choice, not the image's
	ln -s "$HOSTTARGET" "$BUNDLE/src-link"
	ln -s "$HOSTTARGET" "$ROOTFS/src-in-rootfs"
	add_mount "$(bind_json src-link /mnt/a)"
	add_mount "$(bind_json "$ROOTFS/src-in-rootfs" /mnt/b)"
	sh_ctr 'ls -A /mnt/a; ls -A /mnt/b; cat /mnt/a/host-marker'
	assert_status 0
	[ "${lines[0]}" = host-marker ]
	[ "${lines[1]}" = host-marker ]
	[ "${lines[2]}" = host-original ]
	host_untouched
}

@test "CVE-2025-52881 class: a bind destination at /proc/sys/kernel/core_pattern is refused" {
	echo '|/evil-handler' >"$TEST_DIR/fake-core"
	add_mount "$(bind_json "$TEST_DIR/fake-core" /proc/sys/kernel/core_pattern)"
	run_ctr cat /proc/sys/kernel/core_pattern
	assert_failed
	assert_output_contains "/proc"
	core_pattern_untouched
	assert_nothing_left "$ID"
}

@test "a bind destination reaching /proc/sys/kernel through a symlink in the rootfs is refused" {
	echo '|/evil-handler' >"$TEST_DIR/fake-core"
	ln -s /proc/sys/kernel "$ROOTFS/evil"
	add_mount "$(bind_json "$TEST_DIR/fake-core" /evil/core_pattern)"
	run_ctr cat /proc/sys/kernel/core_pattern
	assert_failed
	[[ "$output" != *evil-handler* ]]
	core_pattern_untouched
	assert_nothing_left "$ID"
}

@test "/proc of the image is a symlink: procfs is not mounted through it, nothing is mounted inside procfs" {
	# with /proc -> /fakeproc, a procfs mounted at /fakeproc would make every check on
	# "/proc/..." destinations miss, and let a bind cover /proc/self/attr or /proc/sys
	# files that the runtime later writes (runc refuses proc on anything but a directory)
	echo '|/evil-handler' >"$TEST_DIR/fake-core"
	rmdir "$ROOTFS/proc"
	mkdir "$ROOTFS/fakeproc"
	ln -s /fakeproc "$ROOTFS/proc"
	add_mount "$(bind_json "$TEST_DIR/fake-core" /proc/sys/kernel/core_pattern)"
	run_ctr cat /proc/sys/kernel/core_pattern
	assert_failed
	[[ "$output" != *evil-handler* ]]
	core_pattern_untouched
	assert_nothing_left "$ID"
}

# ------------------------------------------------------------ noNewPrivileges, capabilities

@test "noNewPrivileges true: a setuid-root binary run by uid 1000 keeps euid 1000" {
	need_helper
	update_config '.process.user = {"uid": 1000, "gid": 1000} | .process.noNewPrivileges = true'
	run_ctr /bin/suid-helper /bin/sh -c 'grep -E "^(NoNewPrivs|CapEff|CapPrm)" /proc/self/status'
	assert_status 0
	[ "${lines[0]}" = "euid=1000 uid=1000" ]
	assert_output_matches "NoNewPrivs:[[:space:]]+1"
	assert_output_matches "CapEff:[[:space:]]+0000000000000000"
	assert_output_matches "CapPrm:[[:space:]]+0000000000000000"
}

@test "noNewPrivileges false: the same setuid-root binary runs with euid 0 (the setup works)" {
	need_helper
	update_config '.process.user = {"uid": 1000, "gid": 1000} | .process.noNewPrivileges = false'
	run_ctr /bin/suid-helper
	assert_status 0
	[ "${lines[0]}" = "euid=0 uid=1000" ]
}

@test "noNewPrivileges holds for exec'd processes (config, and exec --no-new-privs)" {
	need_helper
	update_config '.process.noNewPrivileges = true'
	set_args sleep 1000
	rt_detached run -d "$ID"
	assert_status 0
	run --separate-stderr rt exec -u 1000:1000 "$ID" /bin/suid-helper
	assert_status 0
	[ "$output" = "euid=1000 uid=1000" ]
	# a container without it, and exec asking for it
	rt delete -f "$ID"
	update_config '.process.noNewPrivileges = false'
	rt_detached run -d "$ID"
	assert_status 0
	run --separate-stderr rt exec -u 1000:1000 "$ID" /bin/suid-helper
	[ "$output" = "euid=0 uid=1000" ]
	run --separate-stderr rt exec --no-new-privs -u 1000:1000 "$ID" /bin/suid-helper
	assert_status 0
	[ "$output" = "euid=1000 uid=1000" ]
}

# caps_ok: every Cap* line of $output is within the default set (AUDIT_WRITE, KILL,
# NET_BIND_SERVICE = 0x20000420); CAP_SYS_ADMIN (bit 21) is never there
caps_ok() {
	local name val n=0
	while read -r name val; do
		[[ "$name" == Cap*: ]] || continue
		n=$((n + 1))
		if (((0x$val & ~0x20000420) != 0)) || (((0x$val >> 21) & 1)); then
			echo "$name $val has a dropped capability" >&2
			return 1
		fi
	done <<<"$output"
	[ "$n" -ge 5 ] || { echo "no capability lines in: $output" >&2; return 1; }
}

@test "dropped capabilities stay dropped across a setuid-root binary and a re-exec'd shell" {
	need_helper
	mkdir -p "$ROOTFS/mnt"
	update_config '.process.noNewPrivileges = false'
	sh_ctr 'grep ^Cap /proc/self/status
		/bin/suid-helper /bin/sh -c "grep ^Cap /proc/self/status"
		sh -c "exec sh -c \"grep ^Cap /proc/self/status\""
		mount -t tmpfs x /mnt 2>&1; echo mount=$?
		grep -c " /mnt " /proc/self/mountinfo; true'
	assert_status 0
	caps_ok
	[ "$(grep -c '^CapBnd:' <<<"$output")" = 3 ]
	grep -q '^CapBnd:[[:space:]]*0000000020000420$' <<<"$output"
	assert_output_matches "mount=[1-9]"
	assert_output_matches "(permission denied|Operation not permitted)"
	[ "${lines[${#lines[@]}-1]}" = 0 ]
}

@test "an exec'd process has the same small capability set, and cannot mount" {
	need_helper
	mkdir -p "$ROOTFS/mnt"
	update_config '.process.noNewPrivileges = false'
	set_args sleep 1000
	rt_detached run -d "$ID"
	assert_status 0
	run --separate-stderr rt exec "$ID" sh -c 'grep ^Cap /proc/self/status
		/bin/suid-helper /bin/sh -c "grep ^Cap /proc/self/status"
		mount -t tmpfs x /mnt 2>&1; echo mount=$?'
	assert_status 0
	caps_ok
	assert_output_matches "mount=[1-9]"
}

# ------------------------------------------------------------ no host fd, directory or cwd

@test "after create + start: only fds 0 1 2 and a cwd inside, though the caller held host fds" {
	update_config '.root.readonly = false'
	set_args sh -c 'ls /proc/self/fd | tr "\n" " " >/tmp/fds; readlink /proc/self/cwd >/tmp/cwd'
	exec 7<"$HOSTTARGET/host-marker" 8<"$HOSTTARGET" 9>"$TEST_DIR/wfd"
	(cd "$HOSTTARGET" && rt create --bundle "$BUNDLE" "$ID" </dev/null >"$TEST_DIR/out" 2>&1) ||
		{ exec 7<&- 8<&- 9>&-; cat "$TEST_DIR/out" >&2; false; }
	(cd "$HOSTTARGET" && rt start "$ID")
	exec 7<&- 8<&- 9>&-
	wait_status "$ID" stopped
	[ "$(cat "$ROOTFS/tmp/fds")" = "0 1 2 3 " ]
	[ "$(cat "$ROOTFS/tmp/cwd")" = / ]
}

@test "after run: only fds 0 1 2 and a cwd inside, though the caller's cwd is a host dir" {
	cd "$HOSTTARGET"
	exec 7<"$HOSTTARGET"
	set_args sh -c 'ls /proc/self/fd | tr "\n" " "; echo; readlink /proc/self/cwd; ls -A'
	rt_run --bundle "$BUNDLE" "$ID"
	exec 7<&-
	cd "$BUNDLE"
	assert_status 0
	[ "${lines[0]}" = "0 1 2 3 " ]
	[ "${lines[1]}" = / ]
	[[ "$output" != *host-marker* ]]
}

@test "after exec: only fds 0 1 2 and a cwd inside, and the init has no fd but its stdio" {
	set_args sleep 1000
	rt_detached run -d "$ID"
	assert_status 0
	exec 7<"$HOSTTARGET" 8<"$HOSTTARGET/host-marker"
	run --separate-stderr rt exec "$ID" sh -c 'ls /proc/self/fd | tr "\n" " "; echo; readlink /proc/self/cwd; ls /proc/1/fd | tr "\n" " "; echo; ls -l /proc/1/fd'
	exec 7<&- 8<&-
	assert_status 0
	[ "${lines[0]}" = "0 1 2 3 " ]
	[ "${lines[1]}" = / ]
	[ "${lines[2]}" = "0 1 2 " ]
	[[ "$output" != *"$HOSTTARGET"* ]]
}

@test "CVE-2024-21626: process.cwd or exec --cwd at /proc/self/fd/N never reaches a host directory" {
	set_args sleep 1000
	rt_detached run -d "$ID"
	assert_status 0
	# what the runtime holds open while it sets up: the state dir, cgroup dirs, the bundle,
	# the host's /proc; none of their content may be listed from inside
	for n in 3 4 5 6 7 8 9 10 11 12; do
		run --separate-stderr rt exec --cwd "/proc/self/fd/$n" "$ID" sh -c 'pwd; ls -A'
		if [ "$status" -eq 0 ]; then
			[[ "${lines[0]}" == /* ]] || { echo "fd $n: cwd $output" >&2; false; }
		fi
		[[ "$output" != *state.json* && "$output" != *cgroup.procs* && "$output" != *config.json* &&
			"$output" != *exec.fifo* ]] || { echo "fd $n: a host dir: $output" >&2; false; }
	done
	rt delete -f "$ID"
	for n in 3 4 5 6 7 8 9 10; do
		update_config --arg c "/proc/self/fd/$n" '.process.cwd = $c'
		sh_ctr 'pwd; ls -A'
		if [ "$status" -eq 0 ]; then
			[[ "${lines[0]}" == /* ]] || { echo "fd $n: cwd $output" >&2; false; }
		fi
		[[ "$output" != *state.json* && "$output" != *cgroup.procs* && "$output" != *config.json* &&
			"$output" != *exec.fifo* ]] || { echo "fd $n: a host dir: $output" >&2; false; }
	done
}
