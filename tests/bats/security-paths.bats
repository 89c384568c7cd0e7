#!/usr/bin/env bats
# bats: each @test is a subshell, and run sets $output/$status/$stderr; jq filters use $vars
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# The rootfs's own paths as weapons, beyond the destination symlinks of security.bats:
# mounts over /proc (CVE-2019-16884, CVE-2019-19921), /proc magic links in a destination,
# a /dev/null swapped for a symlink when paths are masked (CVE-2025-31133), symlinks in
# maskedPaths and readonlyPaths, and a read-only tmpfs that still takes mounts inside it.
#
# The "host paths" the evil symlinks point at are under the test's own tmpdir.

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

host_untouched() {
	[ "$(ls -A "$HOSTTARGET")" = host-marker ] || { echo "host dir changed: $(ls -A "$HOSTTARGET")" >&2; return 1; }
	[ "$(cat "$HOSTTARGET/host-marker")" = host-original ] || { echo "host file changed" >&2; return 1; }
	assert_no_mounts_under "$TEST_DIR"
}

bind_mount_json() { # SOURCE DEST
	jq -cn --arg s "$1" --arg d "$2" '{destination: $d, type: "bind", source: $s, options: ["rbind"]}'
}

@test "a mount inside /proc is refused (/proc/sys would hide readonlyPaths)" {
	mkdir "$TEST_DIR/src"
	add_mount "$(bind_mount_json "$TEST_DIR/src" /proc/sys)"
	run_ctr true
	assert_status 1
	assert_output_contains "inside /proc"
	assert_nothing_left "$ID"
}

@test "a tmpfs inside /proc is refused as well" {
	contain_only "runc 1.1 checks bind mounts and other types against /proc, but not tmpfs"
	add_mount '{"destination": "/proc/sys", "type": "tmpfs", "source": "tmpfs"}'
	run_ctr true
	assert_status 1
	assert_output_contains "inside /proc"
	assert_nothing_left "$ID"
}

@test "a mount inside /proc through a symlink in the rootfs is refused too" {
	mkdir "$TEST_DIR/src"
	ln -s /proc/sys "$ROOTFS/evil"
	add_mount "$(bind_mount_json "$TEST_DIR/src" /evil)"
	run_ctr true
	assert_status 1
	assert_output_contains "/proc/sys"
	assert_nothing_left "$ID"
}

@test "only procfs may be mounted on /proc" {
	mkdir "$TEST_DIR/src"
	update_config '.mounts |= map(select(.destination != "/proc"))'
	add_mount "$(bind_mount_json "$TEST_DIR/src" /proc)"
	run_ctr true
	assert_status 1
	assert_output_contains "not of type proc"
	assert_nothing_left "$ID"
}

@test "the files lxcfs emulates may be bound inside /proc" {
	printf 'MemTotal: 42 kB\n' >"$TEST_DIR/meminfo"
	add_mount "$(jq -cn --arg s "$TEST_DIR/meminfo" '{destination: "/proc/meminfo", type: "bind", source: $s, options: ["bind", "ro"]}')"
	sh_ctr 'head -n 1 /proc/meminfo'
	assert_status 0
	[ "$output" = "MemTotal: 42 kB" ]
}

@test "a destination through a /proc magic link (/proc/self/cwd) never reaches the host" {
	# Before the pivot, the init's cwd is a host directory: following the magic link
	# would land the mount there.
	add_mount '{"destination": "/proc/self/cwd/escape", "type": "tmpfs", "source": "tmpfs"}'
	run_ctr true
	[ ! -e "$BUNDLE/escape" ]
	[ ! -e "$ROOTFS/escape" ]
	host_untouched
	if is_contain; then
		assert_status 1
	fi
}

@test "maskedPaths with /dev/null swapped for a symlink: refused, nothing unmasked" {
	contain_only "runc 1.1 binds the symlink's target (CVE-2025-31133, fixed in runc 1.2.8)"
	# no /dev tmpfs: the rootfs's own /dev is used, and its "null" is a symlink
	update_config '.mounts |= map(select(.destination | startswith("/dev") | not))'
	mkdir -p "$ROOTFS/dev"
	ln -sf /proc/sys/kernel/core_pattern "$ROOTFS/dev/null"
	update_config '.linux.maskedPaths = ["/proc/kcore", "/proc/keys", "/proc/timer_list"]'
	run_ctr true
	assert_status 1
	assert_output_contains "/dev/null"
	assert_nothing_left "$ID"
}

@test "maskedPaths and readonlyPaths that are symlinks out of the rootfs: the host is untouched" {
	ln -s "$HOSTTARGET/host-marker" "$ROOTFS/masked-file"
	ln -s "$HOSTTARGET" "$ROOTFS/masked-dir"
	ln -s "$HOSTTARGET" "$ROOTFS/ro-dir"
	update_config '.linux.maskedPaths += ["/masked-file", "/masked-dir"] | .linux.readonlyPaths += ["/ro-dir"]'
	sh_ctr 'echo ok'
	assert_status 0
	[ "$output" = ok ]
	host_untouched
}

@test "maskedPaths: a masked directory is an empty read-only tmpfs, a masked file is /dev/null" {
	mkdir -p "$ROOTFS/secret-dir"
	echo secret >"$ROOTFS/secret-dir/data"
	echo secret >"$ROOTFS/secret-file"
	update_config '.linux.maskedPaths += ["/secret-dir", "/secret-file", "/no/such/path"]'
	sh_ctr 'ls -A /secret-dir; cat /secret-file; { echo x >/secret-dir/new; } 2>/dev/null || echo write-refused'
	assert_status 0
	[ "$output" = write-refused ]
	[ "$(cat "$ROOTFS/secret-file")" = secret ]
}

@test "a read-only tmpfs still takes a mount inside it, and stays read-only" {
	mkdir "$TEST_DIR/src"
	echo inner >"$TEST_DIR/src/f"
	add_mount '{"destination": "/run", "type": "tmpfs", "source": "tmpfs", "options": ["ro", "nosuid", "mode=755"]}'
	add_mount "$(jq -cn --arg s "$TEST_DIR/src" '{destination: "/run/inner", type: "bind", source: $s, options: ["rbind", "ro"]}')"
	sh_ctr 'cat /run/inner/f; touch /run/x 2>/dev/null || echo run-ro; touch /run/inner/y 2>/dev/null || echo inner-ro'
	assert_status 0
	[ "${lines[0]}" = inner ]
	[ "${lines[1]}" = run-ro ]
	[ "${lines[2]}" = inner-ro ]
}

@test "a bind destination under a dangling symlink is made inside the rootfs" {
	# Followed on the host, the link leads to $TEST_DIR/made-by-link; in the container's /
	# (where ".." stops at the root) to /made-by-link. Neither exists yet.
	ln -s ../../made-by-link "$ROOTFS/dangling"
	mkdir "$TEST_DIR/src"
	add_mount "$(jq -cn --arg s "$TEST_DIR/src" '{destination: "/dangling/sub", type: "bind", source: $s, options: ["bind"]}')"
	run_ctr true
	[ ! -e "$TEST_DIR/made-by-link" ]
	host_untouched
	if is_contain; then
		# made where the link leads when it is resolved in the container's /
		assert_status 0
		[ -d "$ROOTFS/made-by-link/sub" ]
	fi
}
