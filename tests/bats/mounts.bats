#!/usr/bin/env bats
# bats: each @test is a subshell, and run sets $output/$status/$stderr; jq filters use $vars
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# mounts: types, options, bind mounts ro/rw, files, creation of mount points, errors.

load helpers

# mount_line DEST: the container's mountinfo line for DEST (from $output)
mount_line() {
	awk -v d="$1" '$5 == d' <<<"$output" | tail -n 1
}

# mount_opts DEST: per-mount options (field 6) of DEST
mount_opts() {
	mount_line "$1" | awk '{ print $6 }'
}

# has_opt OPTS OPT: OPT is one of the comma-separated OPTS
has_opt() {
	[[ ",$1," == *",$2,"* ]]
}

add_mount() {
	update_config --argjson m "$1" '.mounts += [$m]'
}

@test "tmpfs with size, mode, nosuid, nodev, noexec" {
	add_mount '{"destination": "/t1", "type": "tmpfs", "source": "tmpfs",
		"options": ["size=1m", "mode=0700", "nosuid", "nodev", "noexec"]}'
	sh_ctr 'cat /proc/self/mountinfo; echo; stat -c "mode=%a" /t1; df -k /t1 | tail -n 1'
	assert_status 0
	line=$(mount_line /t1)
	[ -n "$line" ]
	opts=$(mount_opts /t1)
	has_opt "$opts" nosuid
	has_opt "$opts" nodev
	has_opt "$opts" noexec
	[[ "$line" == *" - tmpfs "* ]]
	[[ "$line" == *"size=1024k"* ]]
	assert_output_contains "mode=700"
	# nothing of it on the host
	assert_no_mounts_under "$TEST_DIR"
}

@test "tmpfs: noexec really forbids exec, and ro really forbids writes" {
	add_mount '{"destination": "/nx", "type": "tmpfs", "source": "tmpfs", "options": ["noexec"]}'
	add_mount '{"destination": "/rotmp", "type": "tmpfs", "source": "tmpfs", "options": ["ro"]}'
	sh_ctr 'cp /bin/busybox /nx/bb && /nx/bb true; echo exec=$?; touch /rotmp/x; echo write=$?'
	assert_status 0
	assert_output_contains "exec=126"
	assert_output_contains "write=1"
}

@test "bind mount read-only: the host's file is readable, writes fail" {
	mkdir "$TEST_DIR/hostdir"
	echo hostdata >"$TEST_DIR/hostdir/file"
	add_mount "$(jq -cn --arg s "$TEST_DIR/hostdir" '{destination: "/b", type: "bind", source: $s, options: ["bind", "ro"]}')"
	sh_ctr 'cat /b/file; echo new > /b/new; echo rc=$?; cat /proc/self/mountinfo'
	assert_status 0
	[ "${lines[0]}" = hostdata ]
	assert_output_contains "rc=1"
	has_opt "$(mount_opts /b)" ro
	[ ! -e "$TEST_DIR/hostdir/new" ]
}

@test "bind mount read-write: writes inside reach the host directory" {
	mkdir "$TEST_DIR/hostdir"
	add_mount "$(jq -cn --arg s "$TEST_DIR/hostdir" '{destination: "/b", type: "none", source: $s, options: ["rbind", "rw"]}')"
	sh_ctr 'echo from-container > /b/new'
	assert_status 0
	[ "$(cat "$TEST_DIR/hostdir/new")" = from-container ]
}

@test "bind mount with nosuid,nodev,noexec flags" {
	mkdir "$TEST_DIR/hostdir"
	cp /bin/busybox "$TEST_DIR/hostdir/bb"
	add_mount "$(jq -cn --arg s "$TEST_DIR/hostdir" '{destination: "/b", type: "bind", source: $s, options: ["bind", "nosuid", "nodev", "noexec"]}')"
	sh_ctr 'cat /proc/self/mountinfo; /b/bb true; echo exec=$?'
	assert_status 0
	opts=$(mount_opts /b)
	has_opt "$opts" nosuid
	has_opt "$opts" nodev
	has_opt "$opts" noexec
	assert_output_contains "exec=126"
}

@test "bind mount of a file onto a destination that does not exist yet" {
	echo filedata >"$TEST_DIR/hostfile"
	add_mount "$(jq -cn --arg s "$TEST_DIR/hostfile" '{destination: "/etc/bound", type: "bind", source: $s, options: ["bind"]}')"
	sh_ctr 'test -f /etc/bound && cat /etc/bound'
	assert_status 0
	[ "$output" = filedata ]
	# the mount point was made as a file in the rootfs
	[ -f "$ROOTFS/etc/bound" ]
}

@test "mount points are created, with their parents, when missing" {
	add_mount '{"destination": "/a/b/c", "type": "tmpfs", "source": "tmpfs"}'
	sh_ctr 'awk "\$5 == \"/a/b/c\" { print \$9 }" /proc/self/mountinfo'
	assert_status 0
	[ "$output" = tmpfs ]
	[ -d "$ROOTFS/a/b/c" ]
}

@test "mounts are applied in order: a later mount over an earlier one's subdir" {
	add_mount '{"destination": "/m", "type": "tmpfs", "source": "tmpfs"}'
	add_mount '{"destination": "/m/sub", "type": "tmpfs", "source": "tmpfs", "options": ["size=2m"]}'
	sh_ctr 'cat /proc/self/mountinfo'
	assert_status 0
	[ -n "$(mount_line /m)" ]
	[[ "$(mount_line /m/sub)" == *size=2048k* ]]
	# /m/sub was created inside the tmpfs at /m, not in the rootfs
	[ ! -e "$ROOTFS/m/sub" ]
}

@test "proc, sysfs, mqueue, devpts of the spec are mounted with their options" {
	sh_ctr 'cat /proc/self/mountinfo'
	assert_status 0
	[[ "$(mount_line /proc)" == *" - proc "* ]]
	[[ "$(mount_line /sys)" == *" - sysfs "* ]]
	has_opt "$(mount_opts /sys)" ro
	[[ "$(mount_line /dev/pts)" == *" - devpts "* ]]
	[[ "$(mount_line /dev/mqueue)" == *" - mqueue "* ]]
	[[ "$(mount_line /dev/shm)" == *" - tmpfs "* ]]
	has_opt "$(mount_opts /dev/shm)" nodev
}

@test "the container's mounts never appear in the host's mount table" {
	add_mount '{"destination": "/t", "type": "tmpfs", "source": "tmpfs"}'
	set_args sleep 100
	start_ok "$ID"
	wait_status "$ID" running
	assert_no_mounts_under "$TEST_DIR"
	pid=$(state_field "$ID" pid)
	# but they are in the container's
	grep -q " /t " "/proc/$pid/mountinfo"
}

@test "a bind mount of a missing source: error naming it, nothing left" {
	add_mount '{"destination": "/x", "type": "bind", "source": "/no/such/source", "options": ["bind"]}'
	run_ctr true
	assert_status 1
	assert_output_contains "/no/such/source"
	assert_nothing_left "$ID"
}

@test "a mount of an unknown filesystem type: error, nothing left" {
	add_mount '{"destination": "/x", "type": "no-such-fs", "source": "x"}'
	run_ctr true
	assert_status 1
	assert_output_contains "/x"
	assert_nothing_left "$ID"
}

@test "a mount with an invalid option: error, nothing left" {
	add_mount '{"destination": "/x", "type": "tmpfs", "source": "tmpfs", "options": ["size=bogus-size"]}'
	run_ctr true
	assert_status 1
	assert_nothing_left "$ID"
}

@test "a relative mount destination is mounted from / with a warning, as the spec says" {
	# runtime-spec: relative destinations are taken from "/"; runc 1.1.5 warns ("mount
	# destination relative is not absolute...") and mounts it, and so does contain
	add_mount '{"destination": "relative", "type": "tmpfs", "source": "tmpfs"}'
	run_ctr sh -c 'grep " /relative " /proc/self/mountinfo'
	assert_status 0
	[[ "$output" == *" /relative "*tmpfs* ]]
	[[ "$CTR_STDERR" == *"relative"* ]]
}
