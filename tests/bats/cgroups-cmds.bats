#!/usr/bin/env bats
# bats: each @test is a subshell, and run sets $output/$status/$stderr; jq filters use $vars
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# The commands on a container's cgroup: pause/resume (state paused, the processes stop),
# update (flags and -r JSON, values read back from the cgroup files), ps (json and table),
# events (--stats fields, the stream, OOM), kill --all, delete of a paused container. On
# cgroup v1, hybrid and v2 hosts alike.

load helpers

is_v2() { [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; }

# cgdir CONTROLLER: the container's cgroup holding CONTROLLER's files, from the host
# (v2: the one directory; v1: that controller's hierarchy).
cgdir() {
	local mnt path
	if is_v2; then
		path=$(awk -F: '$1 == 0 { print $3 }' /proc/self/cgroup)
		echo "/sys/fs/cgroup${path%/}/$ID"
		return
	fi
	mnt=$(awk -v c="$1" '{
		for (i = 7; $i != "-"; i++);
		if ($(i + 1) != "cgroup") next
		n = split($(i + 3), o, ",")
		for (j = 1; j <= n; j++) if (o[j] == c) { print $5; exit }
	}' /proc/self/mountinfo)
	path=$(awk -F: -v c="$1" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) { print $3; exit } }' /proc/self/cgroup)
	echo "$mnt${path%/}/$ID"
}

# frozen: the kernel says the container's cgroup is frozen.
frozen() {
	if is_v2; then
		grep -qx 'frozen 1' "$(cgdir)/cgroup.events"
	elif [ -n "$(cgdir freezer)" ] && [ -e "$(cgdir freezer)/freezer.state" ]; then
		[ "$(cat "$(cgdir freezer)/freezer.state")" = FROZEN ]
	else
		grep -qx 'frozen 1' "/sys/fs/cgroup/unified$(awk -F: '$1 == 0 { print $3 }' /proc/self/cgroup | sed 's|/$||')/$ID/cgroup.events"
	fi
}

# npids_ge N / nprocs_le N: the container has at least / at most N processes.
npids_ge() { [ "$(rt ps -f json "$ID" | jq length)" -ge "$1" ]; }
nprocs_le() { [ "$(wc -l <"$(cgdir pids)/cgroup.procs")" -le "$1" ]; }
# counted_beyond N: the counter of start_counter went past N.
counted_beyond() { [ "$(cat "$ROOTFS/tmp/n")" -gt "$1" ]; }

# counter: a container whose init counts in /tmp/n (the rootfs is writable), every 50 ms.
start_counter() {
	update_config '.root.readonly = false'
	set_args sh -c 'i=0; while :; do i=$((i + 1)); echo $i > /tmp/n; usleep 50000; done'
	start_ok "$ID"
	wait_for test -s "$ROOTFS/tmp/n"
}

@test "pause: state paused, the cgroup frozen, the processes stop; resume: they go on" {
	start_counter
	run rt pause "$ID"
	assert_status 0
	[ "$(state_field "$ID" status)" = paused ]
	frozen
	[ "$(rt list -f json | jq -r --arg id "$ID" '.[] | select(.id == $id) | .status')" = paused ]
	a=$(cat "$ROOTFS/tmp/n")
	sleep 0.4
	[ "$(cat "$ROOTFS/tmp/n")" = "$a" ]
	run rt resume "$ID"
	assert_status 0
	[ "$(state_field "$ID" status)" = running ]
	! frozen
	wait_for counted_beyond "$a"
}

@test "pause of a paused container: container not running; resume of a running one: container not paused" {
	set_args sleep 100
	start_ok "$ID"
	run rt resume "$ID"
	assert_failed
	assert_output_contains "container not paused"
	run rt pause "$ID"
	assert_status 0
	run rt pause "$ID"
	assert_failed
	assert_output_contains "container not running"
	[ "$(state_field "$ID" status)" = paused ]
}

@test "pause and resume of a stopped or missing container fail as runc's do" {
	set_args true
	start_ok "$ID"
	wait_status "$ID" stopped
	run rt pause "$ID"
	assert_failed
	assert_output_contains "container not running"
	run rt resume "$ID"
	assert_failed
	assert_output_contains "container not paused"
	run rt pause "$ID-none"
	assert_failed
	assert_output_contains "does not exist"
}

@test "delete of a paused container: refused without -f; -f kills it and removes everything" {
	set_args sh -c 'sleep 100 & exec sleep 100'
	start_ok "$ID"
	pid=$(state_field "$ID" pid)
	run rt pause "$ID"
	assert_status 0
	run rt delete "$ID"
	assert_failed
	assert_output_contains "paused"
	pid_alive "$pid"
	run rt delete -f "$ID"
	assert_status 0
	wait_for_gone "$pid"
	assert_nothing_left "$ID"
}

@test "kill --all: every process of the container gets the signal" {
	# the init (pid 1 of its namespace, no handler) survives SIGTERM; its children do not
	set_args sh -c 'sleep 100 & sleep 100 & while :; do sleep 1; done'
	start_ok "$ID"
	wait_for npids_ge 3
	run rt kill --all "$ID" TERM
	assert_status 0
	[ "$(state_field "$ID" status)" = running ]
	# only the init and its current `sleep 1` remain
	wait_for nprocs_le 2
	run rt kill --all "$ID" KILL
	assert_status 0
	wait_status "$ID" stopped
}

@test "update: the flags change the cgroup files; what is not given stays" {
	update_config '.linux.resources += {"memory": {"limit": 67108864}, "pids": {"limit": 50}}'
	set_args sleep 100
	start_ok "$ID"
	run rt update --memory 128m --pids-limit 20 --cpu-share 512 --cpu-quota 20000 --cpu-period 100000 "$ID"
	assert_status 0
	if is_v2; then
		d=$(cgdir)
		[ "$(cat "$d/memory.max")" = 134217728 ]
		[ "$(cat "$d/pids.max")" = 20 ]
		[ "$(cat "$d/cpu.max")" = "20000 100000" ]
		[ "$(cat "$d/cpu.weight")" -lt 100 ] # 512 shares weigh less than the default 1024
	else
		[ "$(cat "$(cgdir memory)/memory.limit_in_bytes")" = 134217728 ]
		[ "$(cat "$(cgdir pids)/pids.max")" = 20 ]
		[ "$(cat "$(cgdir cpu)/cpu.shares")" = 512 ]
		[ "$(cat "$(cgdir cpu)/cpu.cfs_quota_us")" = 20000 ]
		[ "$(cat "$(cgdir cpu)/cpu.cfs_period_us")" = 100000 ]
	fi
	# the quota alone: the period stays
	run rt update --cpu-quota 30000 "$ID"
	assert_status 0
	if is_v2; then
		[ "$(cat "$(cgdir)/cpu.max")" = "30000 100000" ]
		[ "$(cat "$(cgdir)/pids.max")" = 20 ]
	else
		[ "$(cat "$(cgdir cpu)/cpu.cfs_period_us")" = 100000 ]
		[ "$(cat "$(cgdir pids)/pids.max")" = 20 ]
	fi
	# -1: no limit
	run rt update --pids-limit -1 "$ID"
	assert_status 0
	[ "$(cat "$(cgdir pids)/pids.max")" = max ]
}

@test "update -r: the resources as JSON from a file and from stdin; the flags are ignored" {
	set_args sleep 100
	start_ok "$ID"
	echo '{"memory": {"limit": 100663296}, "pids": {"limit": 33}}' >"$TEST_DIR/r.json"
	run rt update -r "$TEST_DIR/r.json" --pids-limit 7 "$ID"
	assert_status 0
	if is_v2; then m=$(cat "$(cgdir)/memory.max"); else m=$(cat "$(cgdir memory)/memory.limit_in_bytes"); fi
	[ "$m" = 100663296 ]
	[ "$(cat "$(cgdir pids)/pids.max")" = 33 ]
	run rt update -r - "$ID" <<<'{"pids": {"limit": 44}}'
	assert_status 0
	[ "$(cat "$(cgdir pids)/pids.max")" = 44 ]
}

@test "update: bad values are refused before anything changes" {
	update_config '.linux.resources += {"pids": {"limit": 50}}'
	set_args sleep 100
	start_ok "$ID"
	run rt update --memory abc "$ID"
	assert_failed
	assert_output_contains "invalid value for memory"
	run rt update --cpu-period x1 "$ID"
	assert_failed
	assert_output_contains "cpu-period"
	run rt update -r - "$ID" <<<'{"pids": {"limit": "many"}}'
	assert_failed
	assert_output_contains ".pids.limit"
	if is_contain; then # (runc passes the value on to the kernel)
		run rt update -r - "$ID" <<<'{"memory": {"swappiness": 200}}'
		assert_failed
		assert_output_contains "swappiness"
	fi
	[ "$(cat "$(cgdir pids)/pids.max")" = 50 ]
}

@test "update of a stopped container: container not running" {
	set_args true
	start_ok "$ID"
	wait_status "$ID" stopped
	run rt update --memory 64m "$ID"
	assert_failed
	assert_output_contains "container not running"
}

@test "ps -f json: the host PIDs of every process; table: ps's lines of those only" {
	set_args sh -c 'sleep 100 & exec sleep 101'
	start_ok "$ID"
	pid=$(state_field "$ID" pid)
	wait_for npids_ge 2
	run rt ps -f json "$ID"
	assert_status 0
	[ "$(jq -c 'sort' <<<"$output")" = "$(sort -n "$(cgdir pids)/cgroup.procs" | jq -sc .)" ]
	jq -e --argjson p "$pid" 'index($p) != null' <<<"$output"
	run rt ps "$ID"
	assert_status 0
	[[ "${lines[0]}" == *PID*CMD* ]]
	[ "${#lines[@]}" = 3 ]
	printf '%s\n' "${lines[@]}" | grep -q "sleep 101"
	# the options after the id are ps's own
	run rt ps "$ID" -o pid,comm
	assert_status 0
	[ "$(echo "${lines[0]}" | tr -s ' ')" = " PID COMMAND" ] || [ "$(echo "${lines[0]}" | xargs)" = "PID COMMAND" ]
	printf '%s\n' "${lines[@]}" | grep -Eq "^ *$pid sleep$"
	run rt ps -f xml "$ID"
	assert_failed
	assert_output_contains "invalid format option"
}

@test "ps -f json of a stopped container: no processes" {
	set_args true
	start_ok "$ID"
	wait_status "$ID" stopped
	run rt ps -f json "$ID"
	assert_status 0
	[ "$(jq length <<<"$output")" = 0 ]
}

@test "events --stats: one line of runc's stats JSON" {
	update_config '.linux.resources += {"memory": {"limit": 67108864}, "pids": {"limit": 40}}'
	set_args sh -c 'sleep 100 & exec sleep 100'
	start_ok "$ID"
	wait_for npids_ge 2
	run rt events --stats "$ID"
	assert_status 0
	[ "${#lines[@]}" = 1 ]
	[ "$(jq -r .type <<<"$output")" = stats ]
	[ "$(jq -r .id <<<"$output")" = "$ID" ]
	[ "$(jq -r .data.memory.usage.limit <<<"$output")" = 67108864 ]
	[ "$(jq -r .data.pids.limit <<<"$output")" = 40 ]
	[ "$(jq -r .data.pids.current <<<"$output")" = 2 ]
	[ "$(jq -r .data.cpu.usage.total <<<"$output")" -gt 0 ]
	[ "$(jq -r '.data.memory.raw | length' <<<"$output")" -gt 5 ]
	jq -e '.data | has("blkio") and has("hugetlb") and has("cpuset") and (.memory | has("swap") and has("kernel"))' <<<"$output"
	jq -e '.data.cpu | has("throttling")' <<<"$output"
}

@test "events: stats every interval, and the stream ends when the container stops" {
	set_args sh -c 'sleep 1.6'
	start_ok "$ID"
	run timeout 6 "$RUNTIME" --root "$ROOT" events --interval 300ms "$ID"
	# (runc's stream goes on after the container stopped, until it is killed)
	if is_contain; then assert_status 0; else assert_status 124; fi
	n=$(printf '%s\n' "${lines[@]}" | jq -r 'select(.type == "stats") | .id' | grep -cx "$ID")
	[ "$n" -ge 2 ]
}

@test "events: an OOM kill in the container is an oom event" {
	update_config '.linux.resources += {"memory": {"limit": 16777216}}'
	set_args sh -c 'sleep 1; dd if=/dev/zero of=/dev/null bs=64M count=1; sleep 0.5'
	start_ok "$ID"
	run timeout 8 "$RUNTIME" --root "$ROOT" events --interval 10s "$ID"
	if is_contain; then assert_status 0; else assert_status 124; fi
	printf '%s\n' "${lines[@]}" | jq -e --arg id "$ID" 'select(.type == "oom") | .id == $id'
}

@test "events of a stopped container: not running, as runc says" {
	set_args true
	start_ok "$ID"
	wait_status "$ID" stopped
	run rt events --stats "$ID"
	assert_failed
	assert_output_contains "container with id $ID is not running"
	run rt events --interval 0s "$ID"
	assert_failed
}
