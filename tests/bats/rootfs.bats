#!/usr/bin/env bats
# bats: each @test is a subshell, and run sets $output/$status/$stderr; jq filters use $vars
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# root.path, root.readonly, pivot_root / --no-pivot, /dev, masked and read-only paths.

load helpers

@test "the container's / is the bundle's rootfs, and nothing of the host" {
	echo marker-$$ >"$ROOTFS/etc/marker"
	sh_ctr 'cat /etc/marker; ls /; awk "\$5 == \"/\"" /proc/self/mountinfo | wc -l'
	assert_status 0
	[ "${lines[0]}" = "marker-$$" ]
	# the host's / has /work and /usr/lib; the rootfs has neither
	[[ "$output" != *work* ]]
	run_ctr test -e /usr/lib
	assert_status 1
}

@test "the host's mounts are not visible inside (pivot_root)" {
	sh_ctr 'cat /proc/self/mountinfo'
	assert_status 0
	[[ "$output" != *"$TEST_DIR"* ]] || { echo "bundle path visible inside" >&2; false; }
	# the host's /sys/fs/cgroup/unified mount must not show up under an odd path
	[[ "$output" != *" /work"* ]]
}

@test "root.path may be absolute" {
	mv "$ROOTFS" "$TEST_DIR/elsewhere"
	update_config --arg p "$TEST_DIR/elsewhere" '.root.path = $p'
	echo abs >"$TEST_DIR/elsewhere/etc/marker"
	run_ctr cat /etc/marker
	assert_status 0
	[ "$output" = abs ]
}

@test "root.path is relative to the bundle, not to the caller's cwd" {
	mkdir "$TEST_DIR/cwd"
	cd "$TEST_DIR/cwd"
	echo rel >"$ROOTFS/etc/marker"
	set_args cat /etc/marker
	rt_run -b "$BUNDLE" "$ID"
	assert_status 0
	[ "$output" = rel ]
}

@test "root.readonly true: / is read-only, mounts on it still work" {
	update_config '.root.readonly = true'
	sh_ctr 'touch /newfile 2>&1; echo rc=$?; awk "\$5 == \"/\" { print \$6 }" /proc/self/mountinfo; touch /dev/shm/ok && echo shm-ok'
	assert_status 0
	assert_output_contains "Read-only file system"
	assert_output_contains "rc=1"
	[[ "$(grep -E '^(ro|rw)' <<<"$output")" == ro* ]]
	assert_output_contains shm-ok
	[ ! -e "$ROOTFS/newfile" ]
}

@test "root.readonly false: / is writable, and writes land in the rootfs" {
	update_config '.root.readonly = false'
	sh_ctr 'echo written > /newfile && awk "\$5 == \"/\" { print \$6 }" /proc/self/mountinfo'
	assert_status 0
	[[ "${lines[0]}" == rw* ]]
	[ "$(cat "$ROOTFS/newfile")" = written ]
}

@test "--no-pivot: the same view of the rootfs" {
	echo np >"$ROOTFS/etc/marker"
	set_args sh -c 'cat /etc/marker; ls /; cat /proc/self/mountinfo'
	rt_run --no-pivot "$ID"
	assert_status 0
	[ "${lines[0]}" = np ]
	[[ "$output" != *work* ]]
	assert_nothing_left "$ID"
}

@test "/dev: the default devices exist and work" {
	sh_ctr 'for d in null zero full random urandom tty; do stat -c "%n %F %t:%T" /dev/$d; done
		echo x > /dev/null && echo null-ok
		head -c 4 /dev/zero | od -An -tx1
		head -c 16 /dev/urandom | wc -c
		for l in fd stdin stdout stderr ptmx; do printf "%s " "$(readlink /dev/$l)"; done; echo
		ls /dev/pts /dev/shm /dev/mqueue >/dev/null && echo dirs-ok'
	assert_status 0
	assert_output_contains "/dev/null character special file 1:3"
	assert_output_contains "/dev/zero character special file 1:5"
	assert_output_contains "/dev/full character special file 1:7"
	assert_output_contains "/dev/random character special file 1:8"
	assert_output_contains "/dev/urandom character special file 1:9"
	assert_output_contains "/dev/tty character special file 5:0"
	assert_output_contains null-ok
	assert_output_contains " 00 00 00 00"
	printf '%s\n' "${lines[@]}" | grep -qx 16
	assert_output_contains "/proc/self/fd /proc/self/fd/0 /proc/self/fd/1 /proc/self/fd/2 pts/ptmx "
	assert_output_contains dirs-ok
}

@test "/dev: the devices cgroup denies what the config does not allow" {
	# the default spec denies all; runc still allows the default devices
	sh_ctr 'mknod /tmp/sda b 8 0 2>&1; echo rc=$?'
	assert_status 0
	assert_output_contains "rc=1"
}

@test "maskedPaths: a masked file reads empty, a masked dir is empty" {
	update_config '.linux.maskedPaths = ["/proc/timer_list", "/sys/firmware", "/proc/no-such-file"]'
	sh_ctr 'wc -c < /proc/timer_list; ls -A /sys/firmware | wc -l; grep -c -E " /proc/timer_list | /sys/firmware " /proc/self/mountinfo'
	assert_status 0
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" = 0 ]
	[ "${lines[2]}" = 2 ]
	# (on the host it is not empty)
	[ -n "$(head -c 1 /proc/timer_list)" ]
}

@test "readonlyPaths: writes fail there, and work elsewhere in /proc/sys without it" {
	update_config '.linux.readonlyPaths = ["/proc/sys"]'
	sh_ctr 'echo 1 > /proc/sys/kernel/ns_last_pid 2>&1; echo rc=$?; awk "\$5 == \"/proc/sys\" { print \$6 }" /proc/self/mountinfo'
	assert_status 0
	assert_output_contains "Read-only file system"
	assert_output_contains "rc=1"
	[[ "${lines[-1]}" == ro* ]]
}

@test "a missing rootfs: error naming it, exit 1, nothing left" {
	update_config '.root.path = "no-such-rootfs"'
	run_ctr true
	assert_status 1
	assert_output_contains "no-such-rootfs"
	assert_nothing_left "$ID"
}

@test "a rootfs that is a file: error, exit 1, nothing left" {
	: >"$BUNDLE/file-rootfs"
	update_config '.root.path = "file-rootfs"'
	run_ctr true
	assert_status 1
	assert_nothing_left "$ID"
}
