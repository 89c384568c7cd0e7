#!/usr/bin/env bats
# bats: each @test is a subshell, and run sets $output/$status/$stderr; jq filters use $vars
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# linux.resources on a pure cgroup v2 host: each value read back from the container's cgroup
# (<own cgroup>/<id> from the host, and / in the container's cgroup namespace) and enforced:
# memory.max OOM kill, pids.max fork failure, cpu.max throttling in cpu.stat, the eBPF device
# filter refusing an open with EPERM (and replaced by update), the freezer.
# Skipped unless /sys/fs/cgroup is cgroup2: tests/vm/run-suite.sh boots such a kernel under
# QEMU, where every process costs 100-175 ms (jq ~400 ms), so each test makes one config
# edit and as few containers as it can.

load helpers

setup() {
	common_setup
	[ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] || skip "not a cgroup v2 host"
}

# cg: the container's cgroup directory, from the host.
cg() {
	local own
	own=$(awk -F: '$1 == 0 { print $3 }' /proc/self/cgroup)
	echo "/sys/fs/cgroup${own%/}/${1:-$ID}"
}

# cfg [--arg[json] NAME VALUE...] JQ_FILTER [ARG...]: one jq run: the filter (on the config, after a cgroup namespace
# is added), and .process.args = [ARG...] when any is given.
cfg() {
	local pre=()
	while [ "${1:-}" = --arg ] || [ "${1:-}" = --argjson ]; do
		pre+=("$1" "$2" "$3")
		shift 3
	done
	local filter=$1 i=0 a list='' opts=()
	shift
	for a in "$@"; do
		opts+=(--arg "a$i" "$a")
		list+="${list:+,}\$a$i"
		i=$((i + 1))
	done
	[ $# -eq 0 ] || filter+=" | .process.args = [$list]"
	update_config "${pre[@]}" "${opts[@]}" ".linux.namespaces += [{type: \"cgroup\"}] | $filter"
}

# Device nodes made in the container: /dev/kmsg (c 1:11) and /dev/nodev (c 240:0, a major
# without a driver: an open the cgroup lets through fails with ENXIO, one it refuses with
# EPERM). Neither is a default device.
NODES='.linux.devices += [{path: "/dev/kmsg", type: "c", major: 1, minor: 11, fileMode: 438},
	{path: "/dev/nodev", type: "c", major: 240, minor: 0, fileMode: 438}]'
# (a failed redirection ends a POSIX shell: each open is tried in a subshell)
OPENS='(: </dev/null) 2>&1 && echo null-ok; (: </dev/nodev) 2>&1; (: >/dev/nodev) 2>&1; (: >/dev/kmsg) 2>&1 && echo kmsg-w-ok; echo done'

@test "v2 limits: memory, swap, pids, cpu and cpuset in their files, from the host and inside; cpu.max throttles" {
	last=$(($(nproc --all) - 1))
	cfg --arg c "$last" '.linux.resources += {memory: {limit: 67108864, reservation: 33554432, swap: 100663296},
		pids: {limit: 20}, cpu: {shares: 512, quota: 10000, period: 100000, cpus: $c, mems: "0"}}' \
		sh -c 'cd /sys/fs/cgroup && cat memory.max memory.low memory.swap.max pids.max cpu.max cpu.weight cpuset.cpus; grep Cpus_allowed_list /proc/self/status; timeout 2 sh -c "while :; do :; done"; echo looped'
	rt_run --keep "$ID"
	assert_status 0
	[ "${lines[0]}" = 67108864 ]
	[ "${lines[1]}" = 33554432 ]
	[ "${lines[2]}" = 33554432 ] # memory+swap 96M with memory 64M: 32M of swap
	[ "${lines[3]}" = 20 ]
	[ "${lines[4]}" = "10000 100000" ]
	[ "${lines[5]}" -lt 100 ] && [ "${lines[5]}" -gt 1 ] # 512 shares weigh less than 1024 (100)
	[ "${lines[6]}" = "$last" ]
	[[ "${lines[7]}" =~ Cpus_allowed_list:[[:space:]]+$last$ ]]
	[ "${lines[8]}" = looped ]
	d=$(cg)
	[ "$(cat "$d/memory.max")" = 67108864 ]
	[ "$(cat "$d/memory.swap.max")" = 33554432 ]
	[ "$(cat "$d/pids.max")" = 20 ]
	[ "$(cat "$d/cpu.max")" = "10000 100000" ]
	[ "$(cat "$d/cpuset.mems")" = 0 ]
	throttled=$(awk '$1 == "nr_throttled" { print $2 }' "$d/cpu.stat")
	[ "$throttled" -gt 0 ]
}

@test "v2 memory.max and pids.max: a fork beyond pids.max fails; beyond memory.max, the OOM kill (137)" {
	cfg '.linux.resources += {memory: {limit: 16777216, swap: 16777216}, pids: {limit: 5}}' \
		sh -c 'sh -c "for i in 1 2 3 4 5 6 7 8; do sleep 5 & done" 2>&1; echo rc=$?; exec dd if=/dev/zero of=/dev/null bs=64M count=1'
	rt_run --keep "$ID"
	assert_status 137
	assert_output_contains "can't fork"
	assert_output_contains "rc=2"
	grep -Eqx 'max [1-9][0-9]*' "$(cg)/pids.events"
	[ "$(cat "$(cg)/memory.swap.max")" = 0 ]
	grep -Eqx 'oom_kill [1-9][0-9]*' "$(cg)/memory.events"
}

@test "v2 unified and hugetlb: written as given; an absent controller's key and v1-only fields are refused by name" {
	huge='{}'
	[ -d /sys/kernel/mm/hugepages/hugepages-2048kB ] && huge='{"hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}]}'
	cfg --argjson h "$huge" '.linux.resources += $h + {unified: {"memory.high": "50000000", "pids.max": "9"}}' true
	rt_run --keep "$ID"
	assert_status 0
	high=$(cat "$(cg)/memory.high")
	[ "$high" -le 50000000 ] && [ "$high" -gt 49000000 ] # rounded to pages
	[ "$(cat "$(cg)/pids.max")" = 9 ]
	[ "$huge" = '{}' ] || [ "$(cat "$(cg)/hugetlb.2MB.max")" = 4194304 ]
	id2=$(new_id)
	update_config '.linux.resources.unified = {"nosuch.knob": "1"}'
	rt_run "$id2"
	assert_failed
	is_runc || assert_output_contains 'unified["nosuch.knob"]' # (runc does not name the field)
	assert_nothing_left "$id2"
	# a field cgroup v2 has no file for: refused by name, before anything is made (runc
	# drops it silently)
	is_contain || return 0
	update_config '.linux.resources = {memory: {limit: 67108864, swappiness: 10}}'
	rt_run "$id2"
	assert_failed
	assert_output_contains "linux.resources.memory.swappiness"
	assert_nothing_left "$id2"
}

@test "v2 devices: the eBPF filter lets the default devices through, and a rule's access only" {
	cfg "$NODES"' | .linux.resources.devices += [{allow: true, type: "c", major: 240, minor: 0, access: "r"}]' \
		sh -c "$OPENS"
	rt_run "$ID"
	assert_status 0
	assert_output_contains null-ok
	# read: the filter lets it through (to the missing driver); write: refused by the filter
	assert_output_contains "can't open /dev/nodev: No such device or address"
	assert_output_contains "can't create /dev/nodev: Operation not permitted"
	# no rule for kmsg
	assert_output_contains "can't create /dev/kmsg: Operation not permitted"
	[[ "$output" != *kmsg-w-ok* ]]
}

@test "v2 devices: allow-all with one deny refuses that device only; a hole in a wildcard is refused" {
	cfg "$NODES"' | .linux.resources.devices = [{allow: true, access: "rwm"}, {allow: false, type: "c", major: 240, minor: 0, access: "w"}]' \
		sh -c "$OPENS"
	rt_run "$ID"
	assert_status 0
	assert_output_contains null-ok
	assert_output_contains kmsg-w-ok
	assert_output_contains "can't open /dev/nodev: No such device or address"
	assert_output_contains "can't create /dev/nodev: Operation not permitted"
	id2=$(new_id)
	update_config '.linux.resources.devices = [{allow: false, access: "rwm"}, {allow: true, type: "c", major: 240, access: "rwm"}, {allow: false, type: "c", major: 240, minor: 0, access: "r"}]'
	rt_run "$id2"
	assert_failed
	is_runc || assert_output_contains "linux.resources.devices[2]"
	assert_output_contains "hole"
	assert_nothing_left "$id2"
}

@test "v2 devices: update -r with rules replaces the filter of a running container" {
	contain_only "runc update never changes the device rules"
	cfg "$NODES"' | .root.readonly = false' \
		sh -c 'while :; do (: </dev/nodev) 2>/tmp/r.new; mv /tmp/r.new /tmp/r; usleep 100000; done'
	start_ok "$ID"
	wait_for grep -q "Operation not permitted" "$ROOTFS/tmp/r"
	run rt update -r - "$ID" <<<'{"devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 240, "minor": 0, "access": "r"}]}'
	assert_status 0
	wait_for grep -q "No such device or address" "$ROOTFS/tmp/r"
	run rt update -r - "$ID" <<<'{"devices": [{"allow": false, "access": "rwm"}]}'
	assert_status 0
	wait_for grep -q "Operation not permitted" "$ROOTFS/tmp/r"
}

@test "v2 freezer: pause freezes (cgroup.freeze, cgroup.events), resume thaws; events --stats reads v2" {
	cfg '.linux.resources += {memory: {limit: 67108864}, pids: {limit: 40}}' sleep 100
	start_ok "$ID"
	run rt pause "$ID"
	assert_status 0
	[ "$(cat "$(cg)/cgroup.freeze")" = 1 ]
	grep -qx 'frozen 1' "$(cg)/cgroup.events"
	[ "$(state_field "$ID" status)" = paused ]
	run rt resume "$ID"
	assert_status 0
	[ "$(cat "$(cg)/cgroup.freeze")" = 0 ]
	grep -qx 'frozen 0' "$(cg)/cgroup.events"
	run rt events --stats "$ID"
	assert_status 0
	[ "$(jq -c '[.data.memory.usage.limit, .data.pids.limit, .data.pids.current, (.data.cpu.usage.total > 0), (.data.memory.raw | has("anon"))]' <<<"$output")" = '[67108864,40,1,true,true]' ]
}

@test "v2 device filter: the generated programs, as the kernel runs them" {
	[ -n "${CONTAIN_DEVBPF_CHECK:-}" ] || skip "CONTAIN_DEVBPF_CHECK (tests/vm/devices-bpf-check) not given"
	d=$(cg "devbpf-$$")
	mkdir "$d"
	run "$CONTAIN_DEVBPF_CHECK" "$d"
	rmdir "$d"
	assert_status 0
	assert_output_contains "ok (0 failures)"
}
