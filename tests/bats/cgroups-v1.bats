#!/usr/bin/env bats
# bats: each @test is a subshell, and run sets $output/$status/$stderr; jq filters use $vars
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# linux.resources on a cgroup v1 (or hybrid) host: every value is read back from the
# container's cgroup files as the host sees them (<own cgroup>/<id> in each hierarchy, as an
# empty cgroupsPath makes it) and as the container sees them (/sys/fs/cgroup/<controller>
# is its own cgroup), and enforced where the effect shows: an OOM kill (137), a fork refused
# at pids.max, a busy loop throttled. Skipped on a host without cgroup v1 controllers
# (cgroups-v2.bats is the pure v2 suite, run in tests/vm/).

load helpers

setup() {
	common_setup
	v1_mnt memory >/dev/null || skip "no cgroup v1 memory controller on this host"
}

# v1_mnt CONTROLLER: where the v1 hierarchy holding CONTROLLER is mounted.
v1_mnt() {
	awk -v c="$1" '{
		for (i = 7; $i != "-"; i++);
		if ($(i + 1) != "cgroup") next
		n = split($(i + 3), o, ",")
		for (j = 1; j <= n; j++) if (o[j] == c) { print $5; found = 1; exit }
	} END { exit !found }' /proc/self/mountinfo
}

# v1_dir CONTROLLER [ID]: the container's cgroup in that hierarchy, as the host sees it.
v1_dir() {
	local mnt path
	mnt=$(v1_mnt "$1") || return 1
	path=$(awk -F: -v c="$1" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) { print $3; exit } }' /proc/self/cgroup)
	echo "$mnt${path%/}/${2-$ID}"
}

# cgv CONTROLLER FILE: a file of the container's cgroup, from the host.
cgv() {
	cat "$(v1_dir "$1")/$2"
}

# res JSON: set linux.resources (the default spec's device rules are kept).
res() {
	update_config --argjson r "$1" '.linux.resources += $r'
}

@test "memory: limit, reservation and swappiness, in memory.* from the host and inside" {
	res '{"memory": {"limit": 67108864, "reservation": 33554432, "swappiness": 10}}'
	RUN_OPTS=(--keep)
	sh_ctr 'cd /sys/fs/cgroup/memory && cat memory.limit_in_bytes memory.soft_limit_in_bytes memory.swappiness'
	assert_status 0
	[ "${lines[0]}" = 67108864 ]
	[ "${lines[1]}" = 33554432 ]
	[ "${lines[2]}" = 10 ]
	[ "$(cgv memory memory.limit_in_bytes)" = 67108864 ]
	[ "$(cgv memory memory.soft_limit_in_bytes)" = 33554432 ]
	[ "$(cgv memory memory.swappiness)" = 10 ]
}

@test "memory: swap is memory+swap, in memory.memsw.limit_in_bytes" {
	[ -e "$(v1_dir memory "")/memory.memsw.limit_in_bytes" ] || skip "no swap accounting in this kernel"
	res '{"memory": {"limit": 33554432, "swap": 67108864}}'
	RUN_OPTS=(--keep)
	sh_ctr 'cat /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes'
	assert_status 0
	[ "${lines[0]}" = 67108864 ]
	[ "$(cgv memory memory.limit_in_bytes)" = 33554432 ]
	[ "$(cgv memory memory.memsw.limit_in_bytes)" = 67108864 ]
}

@test "memory: swap below the limit is refused, naming the field; nothing is left" {
	res '{"memory": {"limit": 67108864, "swap": 33554432}}'
	run_ctr true
	assert_failed
	is_runc || assert_output_contains "linux.resources.memory.swap" # (runc does not name the field)
	assert_nothing_left "$ID"
}

@test "memory: beyond the limit the process is OOM-killed (137) and the kill is counted" {
	res '{"memory": {"limit": 16777216}}'
	# no swap to fall back on, where the kernel accounts it
	if [ -e "$(v1_dir memory "")/memory.memsw.limit_in_bytes" ]; then
		res '{"memory": {"limit": 16777216, "swap": 16777216}}'
	fi
	RUN_OPTS=(--keep)
	# dd's 64 MiB buffer cannot fit in 16 MiB
	run_ctr dd if=/dev/zero of=/dev/null bs=64M count=1
	assert_status 137
	grep -qx 'oom_kill [1-9][0-9]*' "$(v1_dir memory)/memory.oom_control"
	# it used all it could, and never more
	peak=$(cgv memory memory.max_usage_in_bytes)
	[ "$peak" -le 16777216 ] && [ "$peak" -gt $((16777216 - 2097152)) ]
}

@test "memory: disableOOMKiller sets oom_kill_disable" {
	res '{"memory": {"limit": 67108864, "disableOOMKiller": true}}'
	RUN_OPTS=(--keep)
	sh_ctr 'grep oom_kill_disable /sys/fs/cgroup/memory/memory.oom_control'
	assert_status 0
	[ "${lines[0]}" = "oom_kill_disable 1" ]
	grep -qx 'oom_kill_disable 1' "$(v1_dir memory)/memory.oom_control"
}

@test "cpu: shares, quota and period in cpu.*; a busy loop is throttled" {
	res '{"cpu": {"shares": 512, "quota": 10000, "period": 100000}}'
	RUN_OPTS=(--keep)
	sh_ctr 'cd /sys/fs/cgroup/cpu && cat cpu.shares cpu.cfs_quota_us cpu.cfs_period_us; timeout 1 sh -c "while :; do :; done"; echo looped'
	assert_status 0
	[ "${lines[0]}" = 512 ]
	[ "${lines[1]}" = 10000 ]
	[ "${lines[2]}" = 100000 ]
	assert_output_contains looped
	[ "$(cgv cpu cpu.shares)" = 512 ]
	[ "$(cgv cpu cpu.cfs_quota_us)" = 10000 ]
	[ "$(cgv cpu cpu.cfs_period_us)" = 100000 ]
	throttled=$(awk '$1 == "nr_throttled" { print $2 }' "$(v1_dir cpu)/cpu.stat")
	[ "$throttled" -gt 0 ]
}

@test "cpu: shares out of the kernel's range are refused with the range" {
	res '{"cpu": {"shares": 1}}'
	run_ctr true
	assert_failed
	is_runc || assert_output_contains "linux.resources.cpu.shares" # (runc does not name the field)
	assert_output_contains "minimum"
	assert_nothing_left "$ID"
}

@test "cpu: realtime runtime and period, burst and idle in cpu.*" {
	contain_only "runc 1.1 knows neither cpu.burst nor cpu.idle (runtime-spec 1.1)"
	d=$(v1_dir cpu "")
	for f in cpu.rt_runtime_us cpu.cfs_burst_us cpu.idle; do
		[ -e "$d/$f" ] || skip "this kernel has no $f"
	done
	res '{"cpu": {"realtimeRuntime": 1000, "realtimePeriod": 100000, "quota": 20000, "period": 100000, "burst": 5000, "idle": 1}}'
	RUN_OPTS=(--keep)
	sh_ctr 'cd /sys/fs/cgroup/cpu && cat cpu.rt_runtime_us cpu.rt_period_us cpu.cfs_burst_us cpu.idle'
	assert_status 0
	[ "${lines[*]}" = "1000 100000 5000 1" ]
	[ "$(cgv cpu cpu.rt_runtime_us)" = 1000 ]
	[ "$(cgv cpu cpu.cfs_burst_us)" = 5000 ]
	[ "$(cgv cpu cpu.idle)" = 1 ]
}

@test "memory: kernel memory where the kernel has no kmem limit is named, never silently dropped" {
	[ "$(uname -r | cut -d. -f1)" -ge 6 ] || skip "kernel memory limits may still work here"
	res '{"memory": {"limit": 67108864, "kernel": 33554432}}'
	run_ctr true
	# refused, or (as the issue allows) done with a warning: either way the field is named
	is_runc || assert_output_contains "linux.resources.memory.kernel"
	[ "$status" -eq 0 ] || assert_nothing_left "$ID"
}

@test "blkio: leafWeight without the CFQ scheduler is refused, naming the field" {
	v1_mnt blkio >/dev/null || skip "no blkio controller"
	[ ! -e "$(v1_dir blkio "")/blkio.leaf_weight" ] || skip "this kernel has leaf weights"
	res '{"blockIO": {"leafWeight": 300}}'
	run_ctr true
	assert_failed
	is_runc || assert_output_contains "linux.resources.blockIO.leafWeight"
	assert_nothing_left "$ID"
}

@test "cpuset: cpus and mems in cpuset.*; the process runs only there" {
	v1_mnt cpuset >/dev/null || skip "no cpuset controller"
	res '{"cpu": {"cpus": "0", "mems": "0"}}'
	RUN_OPTS=(--keep)
	sh_ctr 'cat /sys/fs/cgroup/cpuset/cpuset.cpus /sys/fs/cgroup/cpuset/cpuset.mems; grep Cpus_allowed_list /proc/self/status'
	assert_status 0
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" = 0 ]
	[[ "${lines[2]}" =~ Cpus_allowed_list:[[:space:]]+0$ ]]
	[ "$(cgv cpuset cpuset.cpus)" = 0 ]
	[ "$(cgv cpuset cpuset.mems)" = 0 ]
}

@test "pids: the limit in pids.max; a fork beyond it fails" {
	res '{"pids": {"limit": 6}}'
	RUN_OPTS=(--keep)
	# (a failed fork ends a busybox script: the loop runs in a shell of its own)
	sh_ctr 'cat /sys/fs/cgroup/pids/pids.max; sh -c "for i in 1 2 3 4 5 6 7 8 9 10; do sleep 5 & done" 2>&1; echo rc=$?'
	[ "${lines[0]}" = 6 ]
	assert_output_contains "can't fork"
	assert_output_contains "rc=2"
	[ "$(cgv pids pids.max)" = 6 ]
	max=$(awk '$1 == "max" { print $2 }' "$(v1_dir pids)/pids.events")
	[ "$max" -gt 0 ]
}

@test "blkio: weight and a read throttle in blkio.*" {
	v1_mnt blkio >/dev/null || skip "no blkio controller"
	dev=$(for d in /sys/block/*; do [ -e "$d/device" ] && cat "$d/dev" && break; done)
	[ -n "$dev" ] || skip "no block device"
	res "$(jq -cn --argjson ma "${dev%:*}" --argjson mi "${dev#*:}" \
		'{blockIO: {weight: 300, throttleReadBpsDevice: [{major: $ma, minor: $mi, rate: 1048576}]}}')"
	RUN_OPTS=(--keep)
	run_ctr true
	assert_status 0
	d=$(v1_dir blkio)
	if [ -e "$d/blkio.bfq.weight" ]; then w=$(cat "$d/blkio.bfq.weight"); else w=$(cat "$d/blkio.weight"); fi
	[ "${w##* }" = 300 ]
	grep -qx "$dev 1048576" "$d/blkio.throttle.read_bps_device"
}

@test "devices: devices.list holds the rules and the default devices, never allow-all" {
	v1_mnt devices >/dev/null || skip "no devices controller"
	update_config '.linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 11, "access": "r"}]'
	RUN_OPTS=(--keep)
	sh_ctr 'cat /sys/fs/cgroup/devices/devices.list'
	assert_status 0
	for want in "c 1:11 r" "c 1:3 rwm" "c 1:5 rwm" "c 136:* rwm" "c *:* m" "b *:* m"; do
		printf '%s\n' "${lines[@]}" | grep -qxF "$want"
		grep -qxF "$want" "$(v1_dir devices)/devices.list"
	done
	! grep -qx 'a \*:\* rwm' "$(v1_dir devices)/devices.list"
}

@test "hugepageLimits without a v1 hugetlb controller: refused naming the field" {
	! v1_mnt hugetlb >/dev/null || skip "this host has a v1 hugetlb controller"
	res '{"hugepageLimits": [{"pageSize": "2MB", "limit": 2097152}]}'
	run_ctr true
	assert_failed
	is_runc || assert_output_contains "linux.resources.hugepageLimits" # (runc does not name the field)
	assert_output_contains "hugetlb"
	assert_nothing_left "$ID"
}

@test "network classID without a net_cls controller: refused naming the field" {
	! v1_mnt net_cls >/dev/null || skip "this host has net_cls"
	res '{"network": {"classID": 1048577}}'
	run_ctr true
	assert_failed
	is_runc || assert_output_contains "linux.resources.network.classID" # (runc does not name the field)
	assert_nothing_left "$ID"
}

@test "hybrid: the container's processes are in the cgroup2 hierarchy too" {
	u=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
	[ "$u" = /sys/fs/cgroup/unified ] || skip "not a hybrid host"
	own=$(awk -F: '$1 == 0 { print $3 }' /proc/self/cgroup)
	set_args sleep 100
	start_ok "$ID"
	pid=$(state_field "$ID" pid)
	grep -qx "$pid" "$u${own%/}/$ID/cgroup.procs"
	grep -qx "$pid" "$(v1_dir memory)/cgroup.procs"
	grep -qx "$pid" "$(v1_dir pids)/cgroup.procs"
}

@test "events --stats: the v1 numbers as runc reports them" {
	res '{"memory": {"limit": 67108864}, "pids": {"limit": 40}}'
	set_args sleep 100
	start_ok "$ID"
	run rt events --stats "$ID"
	assert_status 0
	[ "$(jq -r .type <<<"$output")" = stats ]
	[ "$(jq -r .data.memory.usage.limit <<<"$output")" = 67108864 ]
	[ "$(jq -r .data.pids.limit <<<"$output")" = 40 ]
	[ "$(jq -r .data.pids.current <<<"$output")" = 1 ]
	usage=$(jq -r .data.memory.usage.usage <<<"$output")
	[ "$usage" -gt 0 ] && [ "$usage" -le "$(($(cgv memory memory.max_usage_in_bytes) + 1048576))" ]
	[ "$(jq -r '.data.memory.raw.hierarchical_memory_limit' <<<"$output")" = 67108864 ]
	[ "$(jq -r '.data.cpu.usage.percpu | length' <<<"$output")" -ge 1 ]
}

@test "update: a memory limit below the usage is refused with the usage; the limit stays" {
	res '{"memory": {"limit": 67108864}}'
	set_args sleep 100
	start_ok "$ID"
	run rt update --memory 4096 "$ID"
	assert_failed
	assert_output_contains "memory"
	[ "$(cgv memory memory.limit_in_bytes)" = 67108864 ]
}
