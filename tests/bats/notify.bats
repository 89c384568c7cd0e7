#!/usr/bin/env bats
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# NOTIFY_SOCKET: the container gets a socket at the caller's path, and start relays the
# container's READY=1 to the caller's socket (podman's --sdnotify=container).

load helpers

# listen_notify SOCK OUT: a datagram listener on the host that writes what it gets to OUT
listen_notify() {
	python3 - "$1" "$2" <<-'PY' &
	import socket, sys
	s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
	s.bind(sys.argv[1])
	s.settimeout(30)
	msg = s.recv(4096)
	open(sys.argv[2], "wb").write(msg)
	PY
	LISTENER=$!
	CLEANUP_PIDS+=("$LISTENER")
	wait_for test -S "$1"
}

@test "NOTIFY_SOCKET: READY=1 from the container reaches the caller's socket at start" {
	command -v python3 >/dev/null || skip "python3 needed for the listener"
	cp "$SRC_DIR/tests/sdnotify" "$ROOTFS/bin/sdnotify"
	mkdir -p "$TEST_DIR/n"
	listen_notify "$TEST_DIR/n/host.sock" "$TEST_DIR/got"
	set_args sh -c 'echo "socket=$NOTIFY_SOCKET"; test -S "$NOTIFY_SOCKET" && sdnotify "READY=1"; sleep 100'
	NOTIFY_SOCKET=$TEST_DIR/n/host.sock create_ok "$ID"
	NOTIFY_SOCKET=$TEST_DIR/n/host.sock run rt start "$ID"
	assert_status 0
	wait "$LISTENER"
	[ "$(cat "$TEST_DIR/got")" = "READY=1" ]
}

@test "NOTIFY_SOCKET: the container's socket is at the caller's path inside" {
	command -v python3 >/dev/null || skip "python3 needed for the listener"
	cp "$SRC_DIR/tests/sdnotify" "$ROOTFS/bin/sdnotify"
	mkdir -p "$TEST_DIR/n"
	listen_notify "$TEST_DIR/n/host.sock" "$TEST_DIR/got"
	set_args sh -c 'echo "$NOTIFY_SOCKET" > /dev/shm/where; sdnotify READY=1; exec cat /dev/shm/where'
	NOTIFY_SOCKET=$TEST_DIR/n/host.sock run --separate-stderr rt run "$ID"
	assert_status 0
	[ "$output" = "$TEST_DIR/n/notify.sock" ]
	wait "$LISTENER"
	[ "$(cat "$TEST_DIR/got")" = "READY=1" ]
}
