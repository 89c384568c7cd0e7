#!/usr/bin/env bats
# bats: each @test is a subshell, and run sets $output/$status/$stderr; jq filters use $vars
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# Symlinks in the rootfs never make a mount land outside it (CVE-2021-30465 class);
# no host file descriptor reaches the container (CVE-2024-21626 class).
#
# The "host paths" the evil symlinks point at are directories under the test's own tmpdir,
# so a runtime that gets it wrong damages nothing but the test (and teardown undoes it).

load helpers

add_mount() {
	update_config --argjson m "$1" '.mounts += [$m]'
}

setup() {
	common_setup
	HOSTTARGET=$TEST_DIR/hosttarget
	mkdir "$HOSTTARGET"
	echo host-original >"$HOSTTARGET/host-marker"
}

# host_untouched: the host directory still holds only its one original file, and nothing
# is mounted on or under it in the host's mount namespace.
host_untouched() {
	[ "$(ls -A "$HOSTTARGET")" = host-marker ] || { echo "host dir changed: $(ls -A "$HOSTTARGET")" >&2; return 1; }
	[ "$(cat "$HOSTTARGET/host-marker")" = host-original ] || { echo "host file changed" >&2; return 1; }
	assert_no_mounts_under "$HOSTTARGET"
	assert_no_mounts_under "$TEST_DIR"
}

@test "mount destination is an absolute symlink to a host path: lands inside the rootfs" {
	ln -s "$HOSTTARGET" "$ROOTFS/evil"
	add_mount '{"destination": "/evil", "type": "tmpfs", "source": "tmpfs"}'
	sh_ctr 'echo from-container > /evil/new; ls -A /evil; cat /proc/self/mountinfo'
	assert_status 0
	# inside, /evil leads to a fresh tmpfs (the host dir's file is not there)
	[ "${lines[0]}" = new ]
	# and the tmpfs sits at the symlink's target resolved in the container's /
	grep -q " $HOSTTARGET rw.* - tmpfs " <<<"$output"
	host_untouched
}

@test "mount destination is a relative symlink climbing out with ../..: lands inside" {
	rel=$(printf '../%.0s' 1 2 3 4 5 6 7 8 9 10)${HOSTTARGET#/}
	ln -s "$rel" "$ROOTFS/evil"
	add_mount '{"destination": "/evil", "type": "tmpfs", "source": "tmpfs"}'
	sh_ctr 'echo from-container > /evil/new; ls -A /evil'
	assert_status 0
	[ "$output" = new ]
	host_untouched
}

@test "a symlink in the middle of a destination path: lands inside" {
	ln -s "$HOSTTARGET" "$ROOTFS/evil"
	add_mount '{"destination": "/evil/sub", "type": "tmpfs", "source": "tmpfs"}'
	sh_ctr 'echo x > /evil/sub/new; ls -A /evil/sub'
	assert_status 0
	[ "$output" = new ]
	host_untouched
	[ ! -e "$HOSTTARGET/sub" ]
}

@test "bind mount onto a file symlinked to a host file: the host file is untouched" {
	echo replacement >"$TEST_DIR/source"
	ln -s "$HOSTTARGET/host-marker" "$ROOTFS/etc/evil"
	add_mount "$(jq -cn --arg s "$TEST_DIR/source" '{destination: "/etc/evil", type: "bind", source: $s, options: ["bind"]}')"
	sh_ctr 'cat /etc/evil'
	assert_status 0
	[ "$output" = replacement ]
	host_untouched
}

@test "the symlinked dir of a bind-mount destination stays in the rootfs even when the mount fails" {
	ln -s "$HOSTTARGET" "$ROOTFS/evil"
	add_mount '{"destination": "/evil/x", "type": "bind", "source": "/no/such/source", "options": ["bind"]}'
	run_ctr true
	assert_status 1
	host_untouched
	assert_nothing_left "$ID"
}

@test "process.cwd that climbs with .. stays inside the rootfs" {
	update_config '.process.cwd = "/../../../../.."'
	sh_ctr 'pwd; ls /'
	assert_status 0
	[ "${lines[0]}" = / ]
	[[ "$output" != *work* ]]
}

@test "process.cwd through a symlink to a host path stays inside the rootfs" {
	ln -s "$HOSTTARGET" "$ROOTFS/evilcwd"
	update_config '.process.cwd = "/evilcwd"'
	sh_ctr 'ls -A .'
	# runc resolves it inside the rootfs (and creates it there); either way: not the host dir
	[[ "$output" != *host-marker* ]]
	host_untouched
}

@test "no host fd reaches the container: only 0 1 2 (and ls's own directory fd)" {
	exec 7<"$HOSTTARGET/host-marker" 8<"$HOSTTARGET" 9>"$TEST_DIR/wfd"
	run_ctr ls /proc/self/fd
	exec 7<&- 8<&- 9>&-
	assert_status 0
	[ "${lines[*]}" = "0 1 2 3" ]
}

@test "no host fd: /proc/self/fd/N of a caller's fd leads nowhere inside" {
	exec 7<"$HOSTTARGET"
	sh_ctr 'ls -A /proc/self/fd/7/ 2>&1; echo rc=$?'
	exec 7<&-
	[[ "$output" != *host-marker* ]]
	assert_output_contains "rc=1"
}

@test "process.cwd naming a caller's fd (/proc/self/fd/7) never reaches the host dir" {
	exec 7<"$HOSTTARGET"
	update_config '.process.cwd = "/proc/self/fd/7"'
	sh_ctr 'pwd; ls -A'
	exec 7<&-
	[[ "$output" != *host-marker* ]] || { echo "the host dir is reachable: $output" >&2; false; }
	host_untouched
	[ "$status" -ne 0 ] || [ "${lines[0]}" != "$HOSTTARGET" ]
}

@test "--preserve-fds 1 passes fd 3 (and only it) to the process" {
	exec 4<"$HOSTTARGET"
	set_args sh -c 'ls /proc/self/fd | tr "\n" " "; echo; cat <&3'
	rt_run --preserve-fds 1 "$ID" 3<"$HOSTTARGET/host-marker"
	exec 4<&-
	assert_status 0
	# 0 1 2, the preserved 3, and ls's own directory fd (4)
	[ "${lines[0]}" = "0 1 2 3 4 " ]
	[ "${lines[1]}" = host-original ]
}

@test "create --preserve-fds 1: fd 3 of create's caller reaches the process at start" {
	update_config '.root.readonly = false'
	set_args sh -c 'ls /proc/self/fd | tr "\n" " " > /tmp/fds; cat <&3 > /tmp/fd3'
	rt create --preserve-fds 1 "$ID" 3<"$HOSTTARGET/host-marker" </dev/null >"$TEST_DIR/out" 2>&1 ||
		{ cat "$TEST_DIR/out" >&2; false; }
	rt start "$ID"
	wait_status "$ID" stopped
	[ "$(cat "$ROOTFS/tmp/fds")" = "0 1 2 3 4 " ]
	[ "$(cat "$ROOTFS/tmp/fd3")" = host-original ]
}

@test "the container cannot see the runtime's state directory" {
	sh_ctr 'cat /proc/self/mountinfo; ls -A /run 2>&1; ls -A /'
	assert_status 0
	[[ "$output" != *"$ROOT"* ]]
}
