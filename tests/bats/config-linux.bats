#!/usr/bin/env bats
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# More of config.json, each seen from inside: linux.sysctl, linux.devices, oomScoreAdj,
# ambient capabilities, annotations in state.

load helpers

@test "linux.sysctl: namespaced keys are set inside, the host's values untouched" {
	host_ping=$(cat /proc/sys/net/ipv4/ping_group_range)
	host_shm=$(cat /proc/sys/kernel/shmmni)
	update_config '.linux.sysctl = {"net.ipv4.ping_group_range": "0 0", "kernel.shmmni": "1234"} | .linux.readonlyPaths = []'
	sh_ctr 'cat /proc/sys/net/ipv4/ping_group_range /proc/sys/kernel/shmmni'
	assert_status 0
	[ "$(echo "${lines[0]}" | tr -s '\t ' ' ')" = "0 0" ]
	[ "${lines[1]}" = 1234 ]
	[ "$(cat /proc/sys/net/ipv4/ping_group_range)" = "$host_ping" ]
	[ "$(cat /proc/sys/kernel/shmmni)" = "$host_shm" ]
}

@test "linux.sysctl: a host-wide key is refused, naming it; nothing left" {
	contain_only "contain's check (runc refuses too, with another text)"
	update_config '.linux.sysctl = {"vm.swappiness": "10"}'
	run_ctr true
	assert_failed
	assert_output_contains "vm.swappiness"
	assert_nothing_left "$ID"
}

@test "linux.sysctl: a net key without a network namespace of its own is refused" {
	contain_only "contain's check"
	no_ns network
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	run_ctr true
	assert_failed
	assert_output_contains "network namespace"
	assert_nothing_left "$ID"
}

@test "linux.devices: character and fifo devices with their numbers, mode and owner" {
	update_config '.linux.devices = [{"path": "/dev/mynull", "type": "c", "major": 1, "minor": 3, "fileMode": 438, "uid": 1000, "gid": 1000},
		{"path": "/dev/myfifo", "type": "p", "fileMode": 420}]
		| .linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"}]'
	sh_ctr 'stat -c "%t:%T %a %u:%g %F" /dev/mynull; stat -c "%a %F" /dev/myfifo; echo x > /dev/mynull && echo writable'
	assert_status 0
	[ "${lines[0]}" = "1:3 666 1000:1000 character special file" ]
	[ "${lines[1]}" = "644 fifo" ]
	[ "${lines[2]}" = writable ]
}

@test "process.oomScoreAdj: the process's oom_score_adj" {
	update_config '.process.oomScoreAdj = 500'
	sh_ctr 'cat /proc/self/oom_score_adj'
	assert_status 0
	[ "$output" = 500 ]
}

@test "ambient capabilities: kept across exec as a non-root user when also inheritable" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}
		| .process.capabilities = {"bounding": ["CAP_NET_BIND_SERVICE"], "effective": ["CAP_NET_BIND_SERVICE"],
		  "permitted": ["CAP_NET_BIND_SERVICE"], "inheritable": ["CAP_NET_BIND_SERVICE"], "ambient": ["CAP_NET_BIND_SERVICE"]}'
	sh_ctr 'grep -E "^Cap(Amb|Eff)" /proc/self/status'
	assert_status 0
	# CAP_NET_BIND_SERVICE is bit 10
	[[ "$output" == *"CapAmb:"*"0000000000000400"* ]]
	[[ "$output" == *"CapEff:"*"0000000000000400"* ]]
}

@test "annotations: kept and shown by state" {
	update_config '.annotations = {"org.example.a": "one", "b": "two words"}'
	set_args sleep 100
	create_ok "$ID"
	run rt state "$ID"
	assert_status 0
	[ "$(jq -r '.annotations["org.example.a"]' <<<"$output")" = one ]
	[ "$(jq -r '.annotations.b' <<<"$output")" = "two words" ]
}
