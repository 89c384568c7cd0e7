#!/usr/bin/env bats
# bats: each @test is a subshell, and run sets $output/$status; jq filters use $vars
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# `contain check`: the host report (text and JSON), `check -b BUNDLE` field by field with
# its exit status, and --fix-cgroups (refused on the host; done in a private cgroup
# namespace made for the test, never on a cgroup that holds the suite's shell).

load helpers

setup() {
	common_setup
	contain_only "check is contain's own command"
}

# the JSON report
check_json() {
	run --separate-stderr rt check --format json "$@"
}

# item NAME: the item of the last check_json, as compact JSON ("" when absent)
item() {
	jq -c --arg n "$1" '[.items[] | select(.name == $n)] | last // empty' <<<"$output"
}

is_hybrid() {
	[ "$(stat -fc %T /sys/fs/cgroup)" = tmpfs ] && [ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]
}

@test "check runs, prints one line per item in sections, and ends with the counts" {
	run rt check
	assert_status 0
	for s in cgroup namespaces security kernel; do
		[[ "$output" == *$'\n'"$s"$'\n'* || "$output" == "$s"$'\n'* ]]
	done
	assert_output_matches $'\n  (ok|warn|missing) +cgroup\\.mode +'
	assert_output_matches $'\n[0-9]+ ok, [0-9]+ warn, [0-9]+ missing$'
}

@test "check --format json parses, and every item has a name, a status, a detail and a fix" {
	check_json
	assert_status 0
	jq -e . <<<"$output" >/dev/null
	[ "$(jq '.items | length' <<<"$output")" -gt 20 ]
	# every status is one of three, every item has the four fields (fix may be null)
	[ "$(jq '[.items[] | select((.status | IN("ok", "warn", "missing")) | not)] | length' <<<"$output")" = 0 ]
	[ "$(jq '[.items[] | select(has("name") and has("section") and has("detail") and has("fix") | not)] | length' <<<"$output")" = 0 ]
	[ "$(jq '[.items[] | select(.detail == "")] | length' <<<"$output")" = 0 ]
	# the summary counts them
	[ "$(jq '.summary.ok + .summary.warn + .summary.missing == (.items | length)' <<<"$output")" = true ]
	# the items the issue lists are there
	for n in cgroup.mode cgroup.own cgroup.controllers cgroup.processes cgroup.writable container \
		systemd ns.mount ns.user ns.time ns.cgroup seccomp capabilities no_new_privs overlayfs \
		idmapped_mounts mount_api clone3 pidfd; do
		[ -n "$(item "$n")" ] || { echo "no item $n" >&2; return 1; }
	done
	# without a bundle there is no verdict on one
	[ "$(jq 'has("runnable")' <<<"$output")" = false ]
}

@test "check -f json and --format=json are the same, and a bad format is a usage error" {
	run rt check -f json
	assert_status 0
	jq -e .items <<<"$output" >/dev/null
	run rt check --format=yaml
	assert_failed
	assert_output_contains '--format: expected text or json, found "yaml"'
}

@test "on this hybrid host the mode says hybrid" {
	is_hybrid || skip "the host is not hybrid"
	check_json
	[[ "$(jq -r .detail <<<"$(item cgroup.mode)")" == hybrid* ]]
	[ "$(jq -r .status <<<"$(item cgroup.mode)")" = ok ]
}

@test "the mode matches the cgroup filesystem the host has" {
	check_json
	detail=$(jq -r .detail <<<"$(item cgroup.mode)")
	case "$(stat -fc %T /sys/fs/cgroup)" in
	cgroup2fs) [[ "$detail" == v2* ]] ;;
	tmpfs) [[ "$detail" == hybrid* || "$detail" == v1* ]] ;;
	esac
}

@test "check reads only: it makes no cgroup" {
	mnt=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
	had_init=$([ -e "$mnt/init" ] && echo yes || echo no)
	run rt check -b "$BUNDLE"
	assert_status 0
	[ "$([ -e "$mnt/init" ] && echo yes || echo no)" = "$had_init" ]
	# no directory of the container it would make
	for d in $(cgroup_dirs "<id>"); do
		[ ! -e "$d" ]
	done
}

@test "check -b of the default bundle exits 0 and says it can run" {
	run rt check -b "$BUNDLE"
	assert_status 0
	assert_output_contains "bundle $BUNDLE: can run here"
	check_json -b "$BUNDLE"
	assert_status 0
	[ "$(jq .runnable <<<"$output")" = true ]
	[ "$(jq -r .bundle <<<"$output")" = "$BUNDLE" ]
	[ "$(jq '[.items[] | select(.section == "bundle" and .status == "missing")] | length' <<<"$output")" = 0 ]
	[ "$(jq -r .status <<<"$(item root.path)")" = ok ]
	[ "$(jq -r .status <<<"$(item config.json)")" = ok ]
	[[ "$(jq -r .detail <<<"$(item process.args)")" == "sh is "* ]]
}

@test "check -b: an AppArmor profile on a host without AppArmor exits 1 naming the field" {
	[ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" != Y ] || skip "AppArmor is enabled here"
	update_config '.process.apparmorProfile = "contain-test"'
	run rt check -b "$BUNDLE"
	assert_status 1
	assert_output_matches 'missing +process\.apparmorProfile +"contain-test" is asked for, but AppArmor is not enabled'
	assert_output_contains "cannot run here"
	check_json -b "$BUNDLE"
	assert_status 1
	[ "$(jq .runnable <<<"$output")" = false ]
	[ "$(jq -r .status <<<"$(item process.apparmorProfile)")" = missing ]
	[ "$(jq -r .fix <<<"$(item process.apparmorProfile)")" != null ]
	# and create agrees
	set_args true
	rt_run "$ID"
	assert_failed
	assert_output_contains apparmorProfile
}

@test "check -b: a missing rootfs exits 1 naming root.path" {
	update_config '.root.path = "no-such-rootfs"'
	run rt check -b "$BUNDLE"
	assert_status 1
	assert_output_matches "missing +root\\.path +rootfs $BUNDLE/no-such-rootfs: No such file or directory"
	check_json -b "$BUNDLE"
	[ "$(jq -r .status <<<"$(item root.path)")" = missing ]
	# config_load's verdict on the same field is not said twice
	[ "$(jq '[.items[] | select(.name == "root.path")] | length' <<<"$output")" = 1 ]
}

@test "check -b: a bundle without config.json, a command not in the rootfs, a missing hook" {
	run rt check -b "$TEST_DIR"
	assert_status 1
	assert_output_matches 'missing +config\.json'
	update_config '.process.args = ["no-such-command"] | .hooks = {prestart: [{path: "/no/such/hook"}]}'
	check_json -b "$BUNDLE"
	assert_status 1
	[ "$(jq -r .status <<<"$(item process.args)")" = missing ]
	[[ "$(jq -r .detail <<<"$(item process.args)")" == *"no executable of that name in the rootfs (PATH="* ]]
	[ "$(jq -r .status <<<"$(item 'hooks.prestart[0]')")" = missing ]
}

@test "check -b: an absolute symlink in the rootfs is resolved inside it, not on the host" {
	# /bin/evil -> the runtime's absolute path: an executable on the host, nothing in the rootfs
	ln -s "$RUNTIME" "$ROOTFS/bin/evil"
	update_config '.process.args = ["/bin/evil"]'
	check_json -b "$BUNDLE"
	[ "$(jq -r .status <<<"$(item process.args)")" = missing ]
}

@test "check -b: every namespace of the config has an item, and a bad join path is missing" {
	add_ns user
	update_config '.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
	add_ns ipc /proc/self/ns/net
	check_json -b "$BUNDLE"
	n=$(jq '.linux.namespaces | length' "$BUNDLE/config.json")
	[ "$(jq '[.items[] | select(.name | startswith("linux.namespaces["))] | length' <<<"$output")" = "$n" ]
	last=$((n - 1))
	[ "$(jq -r .status <<<"$(item "linux.namespaces[$last]")")" = missing ]
	[[ "$(jq -r .detail <<<"$(item "linux.namespaces[$last]")")" == *"is not a ipc namespace"* ]]
	assert_status 1
}

@test "check -b: cgroup limits get an item each, and check agrees with run" {
	update_config '.linux.resources.memory = {limit: 67108864} | .linux.resources.pids = {limit: 64}'
	check_json -b "$BUNDLE"
	mem=$(jq -r .status <<<"$(item linux.resources.memory)")
	pids=$(jq -r .status <<<"$(item linux.resources.pids)")
	[ -n "$mem" ] && [ -n "$pids" ]
	set_args true
	rt_run "$ID"
	if [ "$mem" = missing ] || [ "$pids" = missing ]; then
		assert_failed
	else
		assert_status 0
	fi
}

@test "check -b: a cgroupsPath that is the caller's own cgroup is missing, with the reason" {
	own=$(awk -F: '$1 == 0 { print $3 }' /proc/self/cgroup)
	is_hybrid && own=$(awk -F: '$2 == "pids" { print $3 }' /proc/self/cgroup)
	update_config --arg p "$own" '.linux.cgroupsPath = $p | .linux.resources.pids = {limit: 64}'
	check_json -b "$BUNDLE"
	assert_status 1
	[ "$(jq -r .status <<<"$(item linux.cgroupsPath)")" = missing ]
	[[ "$(jq -r .detail <<<"$(item linux.cgroupsPath)")" == *"contain never gives limits to a cgroup it runs in"* ]]
}

@test "check -b: the systemd form of cgroupsPath is missing (no systemd driver yet)" {
	update_config '.linux.cgroupsPath = "system.slice:contain:test"'
	check_json -b "$BUNDLE"
	assert_status 1
	[[ "$(jq -r .detail <<<"$(item linux.cgroupsPath)")" == *"systemd form"* ]]
}

@test "--fix-cgroups on the host refuses with the reason and changes nothing" {
	[ "$(stat -L -c %i /proc/self/ns/cgroup)" = 4026531835 ] || skip "not in the host's cgroup namespace"
	mnt=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
	had_init=$([ -e "$mnt/init" ] && echo yes || echo no)
	run rt check --fix-cgroups
	assert_failed
	assert_output_contains "--fix-cgroups: this is the host's cgroup namespace"
	assert_output_contains "nothing was changed"
	[ "$([ -e "$mnt/init" ] && echo yes || echo no)" = "$had_init" ]
	run rt check --fix-cgroups -b "$BUNDLE"
	assert_failed
}

# A container's place, made for the test: a new cgroup v2 cgroup (beneath the suite's own
# one, which is never written to) as the root of a new cgroup namespace, seen through a
# cgroup2 mounted on /sys/fs/cgroup in a private mount namespace, as a container engine
# with --cgroupns=private makes it.
@test "--fix-cgroups at the root of a container's cgroup namespace moves its processes into init" {
	command -v unshare >/dev/null || skip "no unshare(1)"
	mnt=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
	own=$(awk -F: '$1 == 0 { print $3 }' /proc/self/cgroup)
	[ -n "$mnt" ] || skip "no cgroup2 mounted"
	cg=$mnt${own%/}/contain-fixtest-$$-$RANDOM
	mkdir "$cg"
	cat >"$TEST_DIR/inner.sh" <<-EOF
		mount -t cgroup2 none /sys/fs/cgroup || exit 9
		sleep 60 & sl=\$!
		"$RUNTIME" check --format json >"$TEST_DIR/before.json"
		"$RUNTIME" check --fix-cgroups >"$TEST_DIR/fix1" 2>&1; echo \$? >"$TEST_DIR/fix1.rc"
		grep '^0::' /proc/self/cgroup >"$TEST_DIR/where"
		"$RUNTIME" check --fix-cgroups >"$TEST_DIR/fix2" 2>&1; echo \$? >"$TEST_DIR/fix2.rc"
		kill \$sl
		wait
	EOF
	cat >"$TEST_DIR/outer.sh" <<-EOF
		echo \$\$ >"$cg/cgroup.procs" || exit 8
		exec unshare --cgroup --fork bash "$TEST_DIR/inner.sh"
	EOF
	timeout 60 unshare --mount --propagation private bash "$TEST_DIR/outer.sh"
	rc=$?
	procs_root=$(wc -l <"$cg/cgroup.procs")
	# whatever is left there is this test's (a sleep, if it failed half-way)
	for d in "$cg/init" "$cg"; do
		[ -d "$d" ] || continue
		remove_cgroup "$d"
	done
	[ ! -d "$cg" ]
	[ "$rc" = 0 ]
	# before: a container, at the root of its cgroup namespace
	[ "$(jq -r '.items[] | select(.name == "container") | .status' "$TEST_DIR/before.json")" = warn ]
	[[ "$(jq -r '.items[] | select(.name == "container") | .detail' "$TEST_DIR/before.json")" == *"cgroup namespace is not the host's"* ]]
	[[ "$(jq -r '.items[] | select(.name == "cgroup.mode") | .detail' "$TEST_DIR/before.json")" == v2* ]]
	# the fix: each step printed, every process moved
	[ "$(cat "$TEST_DIR/fix1.rc")" = 0 ]
	grep -q '^+ mkdir /sys/fs/cgroup/init$' "$TEST_DIR/fix1"
	grep -Eq '^\+ echo [0-9]+ > /sys/fs/cgroup/init/cgroup.procs \(sleep\)$' "$TEST_DIR/fix1"
	grep -q '^+ done: ' "$TEST_DIR/fix1"
	[ "$(cat "$TEST_DIR/where")" = "0::/init" ]
	[ "$procs_root" = 0 ]
	# again: nothing to do
	[ "$(cat "$TEST_DIR/fix2.rc")" = 0 ]
	grep -q '^+ nothing to do: ' "$TEST_DIR/fix2"
}

@test "check --help describes the options" {
	run rt check --help
	assert_status 0
	assert_output_contains "--fix-cgroups"
	assert_output_contains "-b, --bundle DIR"
	run rt check extra
	assert_failed
}
