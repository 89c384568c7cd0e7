#!/usr/bin/env bats
# bats: each @test is a subshell, and run sets $output/$status/$stderr; jq filters use $vars
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# Every namespace type, seen from inside; and joining existing namespaces by path.

load helpers

# host_ns TYPE: the caller's namespace of TYPE, as readlink /proc/self/ns/TYPE prints it.
host_ns() {
	readlink "/proc/$$/ns/$1"
}

# hostname_of_is PID NAME: the uts namespace of PID has hostname NAME
hostname_of_is() {
	[ "$(nsenter -t "$1" -u hostname)" = "$2" ]
}

@test "pid namespace: the process is PID 1 and sees only the container's processes" {
	sh_ctr 'echo $$; tr "\0" " " </proc/1/cmdline; echo; ls -d /proc/[0-9]* | wc -l; readlink /proc/self/ns/pid'
	assert_status 0
	[ "${lines[0]}" = 1 ]
	[[ "${lines[1]}" == "sh -c echo"* ]]
	# sh (1), plus the ls of the pipeline and wc; nothing of the host
	[ "${lines[2]}" -le 4 ]
	[ "${lines[3]}" != "$(host_ns pid)" ]
}

@test "network namespace: only lo, and lo is UP" {
	sh_ctr 'ls /sys/class/net; cat /sys/class/net/lo/flags; ip -o link show; readlink /proc/self/ns/net'
	assert_status 0
	[ "${lines[0]}" = lo ]
	# IFF_UP is bit 0
	(( lines[1] & 1 ))
	[[ "${lines[2]}" == "1: lo: <LOOPBACK,UP,LOWER_UP>"* ]]
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[3]}" != "$(host_ns net)" ]
}

@test "network namespace: 127.0.0.1 answers inside" {
	# ping needs a raw socket
	update_config '.process.capabilities |= with_entries(.value += ["CAP_NET_RAW"])'
	sh_ctr 'ip -4 addr show lo | grep -q "inet 127.0.0.1" && ping -c1 -W1 127.0.0.1 >/dev/null && echo reachable'
	assert_status 0
	[ "${lines[-1]}" = reachable ]
}

@test "mount namespace: the container's mounts are its own" {
	sh_ctr 'readlink /proc/self/ns/mnt; grep -c . /proc/self/mountinfo'
	assert_status 0
	[ "${lines[0]}" != "$(host_ns mnt)" ]
	assert_no_mounts_under "$TEST_DIR"
}

@test "ipc namespace: a new one; the host's SysV objects are not visible" {
	shmid=$(ipcmk -M 4096 | grep -o '[0-9]*$')
	sh_ctr 'readlink /proc/self/ns/ipc; grep -c . /proc/sysvipc/shm'
	ipcrm -m "$shmid"
	assert_status 0
	[ "${lines[0]}" != "$(host_ns ipc)" ]
	# only the header line
	[ "${lines[1]}" -eq 1 ]
}

@test "uts namespace: hostname from the config; the host's is unchanged" {
	host_before=$(hostname)
	update_config '.hostname = "box-1"'
	sh_ctr 'hostname; cat /proc/sys/kernel/hostname; readlink /proc/self/ns/uts'
	assert_status 0
	[ "${lines[0]}" = box-1 ]
	[ "${lines[1]}" = box-1 ]
	[ "${lines[2]}" != "$(host_ns uts)" ]
	[ "$(hostname)" = "$host_before" ]
}

@test "uts namespace: domainname from the config" {
	# runc 1.1.5 ignores "domainname" (runc added it in 1.2); the issue asks for it
	contain_only "runc 1.1 does not set domainname"
	update_config '.hostname = "box-1" | .domainname = "example.org"'
	sh_ctr 'cat /proc/sys/kernel/domainname'
	assert_status 0
	[ "${lines[0]}" = example.org ]
}

@test "hostname without a uts namespace is refused, nothing left" {
	no_ns uts
	update_config '.hostname = "box-1"'
	run_ctr hostname
	assert_status 1
	# runc: unable to set hostname without a private UTS namespace
	assert_output_matches "hostname.*(UTS|uts)"
	assert_nothing_left "$ID"
	[ "$(readlink /proc/self/ns/uts)" = "$(host_ns uts)" ]
}

@test "user namespace: uid_map/gid_map from the config, uid 0 inside" {
	add_ns user
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 1000}]'
	sh_ctr 'cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g; readlink /proc/self/ns/user'
	assert_status 0
	read -r -a u <<<"${lines[0]}"
	read -r -a g <<<"${lines[1]}"
	[ "${u[*]}" = "0 100000 65536" ]
	[ "${g[*]}" = "0 200000 1000" ]
	[ "${lines[2]}" = 0 ]
	[ "${lines[3]}" = 0 ]
	[ "${lines[4]}" != "$(host_ns user)" ]
}

@test "user namespace: files are owned by the mapped ids, inside and on the host" {
	add_ns user
	update_config '.root.readonly = false
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	chown -R 100000:100000 "$ROOTFS"
	chown 101000:101000 "$ROOTFS/home/user"
	sh_ctr 'stat -c "%u:%g" /bin/busybox /home/user; echo made > /tmp/new; stat -c "%u:%g" /tmp/new; stat -c "%u:%g" /proc/1'
	assert_status 0
	[ "${lines[0]}" = 0:0 ]
	[ "${lines[1]}" = 1000:1000 ]
	[ "${lines[2]}" = 0:0 ]
	[ "${lines[3]}" = 0:0 ]
	# on the host, the file the container's root made belongs to the mapped uid
	[ "$(stat -c %u:%g "$ROOTFS/tmp/new")" = 100000:100000 ]
}

@test "user namespace: an unmapped host owner shows as the overflow id" {
	add_ns user
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	# the rootfs stays owned by host root, which is not mapped
	sh_ctr 'stat -c "%u:%g" /bin/busybox; cat /proc/sys/kernel/overflowuid'
	assert_status 0
	[ "${lines[0]}" = "${lines[1]}:${lines[1]}" ]
}

@test "cgroup namespace: /proc/self/cgroup shows the container's cgroup as the root" {
	add_ns cgroup
	sh_ctr 'cat /proc/self/cgroup; readlink /proc/self/ns/cgroup'
	assert_status 0
	[ "${lines[-1]}" != "$(host_ns cgroup)" ]
	# every line is N:controllers:/ (v1) or 0::/ (v2)
	for l in "${lines[@]:0:${#lines[@]}-1}"; do
		[[ "$l" =~ ^[0-9]+:[^:]*:/$ ]] || { echo "not a root path: $l" >&2; false; }
	done
}

@test "without a cgroup namespace the container's path ends with its id" {
	no_ns cgroup
	sh_ctr 'cat /proc/self/cgroup'
	assert_status 0
	for l in "${lines[@]}"; do
		[[ "$l" == *"/$ID" ]] || { echo "not the container's cgroup: $l" >&2; false; }
	done
}

@test "time namespace: offsets from the config" {
	# runc 1.1.5 has no time namespace ("namespace {"time" ""} does not exist"); 1.2 added it
	contain_only "runc 1.1 has no time namespace"
	add_ns time
	update_config '.linux.timeOffsets = {"monotonic": {"secs": 86400, "nanosecs": 0}, "boottime": {"secs": 172800, "nanosecs": 0}}'
	sh_ctr 'cat /proc/self/timens_offsets; cut -d. -f1 /proc/uptime; readlink /proc/self/ns/time'
	assert_status 0
	grep -Eq '^monotonic[[:space:]]+86400[[:space:]]+0$' <<<"$output"
	grep -Eq '^boottime[[:space:]]+172800[[:space:]]+0$' <<<"$output"
	host_up=$(cut -d. -f1 /proc/uptime)
	[ "${lines[2]}" -ge $((host_up + 172800 - 5)) ]
	[ "${lines[3]}" != "$(host_ns time)" ]
}

@test "a namespace not in the config is the host's" {
	no_ns network
	no_ns ipc
	sh_ctr 'readlink /proc/self/ns/net; readlink /proc/self/ns/ipc'
	assert_status 0
	[ "${lines[0]}" = "$(host_ns net)" ]
	[ "${lines[1]}" = "$(host_ns ipc)" ]
}

@test "join a network namespace by path (ip netns add)" {
	ns=ctns-$$-$RANDOM
	ip netns add "$ns"
	CLEANUP_NETNS+=("$ns")
	ip netns exec "$ns" ip link add dummy-x type dummy 2>/dev/null || ip netns exec "$ns" ip link set lo up
	add_ns network "/run/netns/$ns"
	sh_ctr 'readlink /proc/self/ns/net; ls /sys/class/net'
	assert_status 0
	[ "${lines[0]}" = "net:[$(stat -L -c %i "/run/netns/$ns")]" ]
	[ "${lines[0]}" != "$(host_ns net)" ]
	if ip netns exec "$ns" ip link show dummy-x >/dev/null 2>&1; then
		assert_output_contains dummy-x
	fi
	ip netns delete "$ns"
}

@test "join the uts and ipc namespaces of a process by /proc/PID/ns path" {
	unshare --uts --ipc sh -c 'hostname joined-uts; exec sleep 100' </dev/null >/dev/null 2>&1 3>&- &
	pid=$!
	CLEANUP_PIDS+=("$pid")
	wait_for hostname_of_is "$pid" joined-uts
	update_config 'del(.hostname)'
	add_ns uts "/proc/$pid/ns/uts"
	add_ns ipc "/proc/$pid/ns/ipc"
	sh_ctr 'hostname; readlink /proc/self/ns/uts; readlink /proc/self/ns/ipc'
	assert_status 0
	[ "${lines[0]}" = joined-uts ]
	[ "${lines[1]}" = "$(readlink "/proc/$pid/ns/uts")" ]
	[ "${lines[2]}" = "$(readlink "/proc/$pid/ns/ipc")" ]
}

@test "join a pid namespace by path: the container sees the other process" {
	set_args sleep 100
	id1=$ID
	start_ok "$id1"
	pid1=$(state_field "$id1" pid)
	ID=$(new_id)
	add_ns pid "/proc/$pid1/ns/pid"
	sh_ctr 'tr "\0" " " </proc/1/cmdline; echo; readlink /proc/self/ns/pid'
	assert_status 0
	[ "${lines[0]}" = "sleep 100 " ]
	[ "${lines[1]}" = "$(readlink "/proc/$pid1/ns/pid")" ]
}

@test "join a namespace by a path that does not exist: error, nothing left" {
	add_ns network /run/netns/does-not-exist-$$
	run_ctr true
	assert_status 1
	assert_output_contains "/run/netns/does-not-exist-$$"
	assert_nothing_left "$ID"
}

@test "join a namespace by a path of the wrong type: error, nothing left" {
	add_ns network "/proc/$$/ns/uts"
	run_ctr true
	assert_status 1
	assert_nothing_left "$ID"
}

@test "an unknown namespace type is refused, nothing left" {
	update_config '.linux.namespaces += [{"type": "bogus"}]'
	run_ctr true
	assert_status 1
	assert_output_contains bogus
	assert_nothing_left "$ID"
}
