#!/usr/bin/env bats
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# How the kernel runs the process: scheduler, ioPriority, execCPUAffinity, personality,
# and LSM labels (refused with the reason on a host without that LSM). contain_only where
# runc 1.1 lacks the field.

load helpers


@test "process.scheduler: SCHED_BATCH with nice 7 is the process's policy and nice" {
	contain_only "runc 1.1 has no process.scheduler"
	update_config '.process.scheduler = {"policy": "SCHED_BATCH", "nice": 7}'
	# fields 19 (nice) and 41 (policy) of /proc/self/stat
	sh_ctr 's=$(cat /proc/self/stat); s=${s##*) }; set -- $s; eval "echo \${17} \${39}"'
	assert_status 0
	[ "$output" = "7 3" ]
}

@test "process.scheduler: a policy the caller may not set is a clear error" {
	contain_only "runc 1.1 has no process.scheduler"
	update_config '.process.scheduler = {"policy": "SCHED_DEADLINE", "runtime": 1, "deadline": 2, "period": 3}'
	run_ctr true
	assert_failed
	assert_output_contains "process.scheduler"
	assert_nothing_left "$ID"
}

@test "process.ioPriority: class and priority, seen by ionice" {
	contain_only "runc 1.1 has no process.ioPriority"
	update_config '.process.ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 6}'
	sh_ctr 'ionice -p $$'
	assert_status 0
	[[ "$output" == *"best"*"6"* || "$output" == *"2"*"6"* ]]
}

@test "process.ioPriority: a priority out of 0..7 is refused" {
	contain_only "runc 1.1 has no process.ioPriority"
	update_config '.process.ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 9}'
	run_ctr true
	assert_failed
	assert_output_contains "ioPriority.priority"
	assert_nothing_left "$ID"
}

@test "process.execCPUAffinity.final: the process's allowed cpus" {
	contain_only "runc 1.1 has no execCPUAffinity"
	update_config '.process.execCPUAffinity = {"initial": "0", "final": "0"}'
	sh_ctr 'grep Cpus_allowed_list /proc/self/status'
	assert_status 0
	[ "$(awk '{print $2}' <<<"$output")" = 0 ]
}

@test "process.execCPUAffinity: a malformed list is a config error" {
	contain_only "runc 1.1 has no execCPUAffinity"
	update_config '.process.execCPUAffinity = {"final": "3-1"}'
	run_ctr true
	assert_failed
	assert_output_contains "execCPUAffinity.final"
	assert_nothing_left "$ID"
}

@test "linux.personality LINUX32: uname -m says a 32-bit machine" {
	update_config '.linux.personality = {"domain": "LINUX32"}'
	sh_ctr 'uname -m'
	assert_status 0
	[[ "$output" == i?86 ]]
}

@test "process.apparmorProfile on a host without AppArmor: refused, naming the field" {
	[ -e /sys/module/apparmor/parameters/enabled ] && skip "this host has AppArmor"
	contain_only "runc ignores a profile when AppArmor is off"
	update_config '.process.apparmorProfile = "docker-default"'
	run_ctr true
	assert_failed
	assert_output_contains "apparmorProfile"
	assert_output_contains "AppArmor is not enabled"
	assert_nothing_left "$ID"
}

@test "process.selinuxLabel on a host without SELinux: refused, naming the field" {
	[ -d /sys/fs/selinux ] && skip "this host has SELinux"
	contain_only "runc ignores a label when SELinux is off"
	update_config '.process.selinuxLabel = "system_u:system_r:container_t:s0"'
	run_ctr true
	assert_failed
	assert_output_contains "selinuxLabel"
	assert_output_contains "SELinux is not enabled"
	assert_nothing_left "$ID"
}
