#!/usr/bin/env bats
# bats: each @test is a subshell, and run sets $output/$status/$stderr; jq filters use $vars
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# A bad config.json: exit 1, a message that says what is wrong, and nothing left.
# The texts differ between runtimes; the generic tests check what both name (the field),
# the contain_only ones check contain's own messages (file: JSON path: what is wrong).
#
# runc 1.1.5 for reference:
#   {bad                   invalid character 'b' looking for beginning of object key string
#   .process.args = [1]    json: cannot unmarshal number into Go struct field Process.process.args of type string
#   no .process.args       args must not be empty
#   no .process            process property must not be empty
#   no .root               root must be specified
#   no config.json         JSON specification file config.json not found
#   relative cwd           Cwd must be an absolute path

load helpers

# fails_cleanly [create|run]: the command fails with 1 and leaves nothing
fails_cleanly() {
	if [ "${1:-run}" = create ]; then
		rt_detached create "$ID"
	else
		run rt run "$ID"
	fi
	assert_status 1
	assert_nothing_left "$ID"
	[ -z "$(ls -A "$ROOT")" ] || { echo "root not empty: $(ls -A "$ROOT")" >&2; return 1; }
}

# mentions WORD...: the output names each WORD, case-insensitively
mentions() {
	local w
	for w in "$@"; do
		grep -qiF -- "$w" <<<"$(all_output)" || { echo "output does not mention '$w': $(all_output)" >&2; return 1; }
	done
}

@test "malformed JSON: exit 1, nothing left" {
	echo '{bad' >"$BUNDLE/config.json"
	fails_cleanly
	assert_output_matches "(invalid character|config.json)"
}

@test "malformed JSON on create: exit 1, nothing left" {
	echo '{"ociVersion": "1.0.2", "process": ' >"$BUNDLE/config.json"
	fails_cleanly create
}

@test "an empty config.json: exit 1, nothing left" {
	: >"$BUNDLE/config.json"
	fails_cleanly
}

@test "config.json is not an object: exit 1, nothing left" {
	echo '[]' >"$BUNDLE/config.json"
	fails_cleanly
}

@test "wrong type: .process.args[0] is a number" {
	update_config '.process.args = [1]'
	fails_cleanly
	mentions args
}

@test "wrong type: .process.args is a string" {
	update_config '.process.args = "sh"'
	fails_cleanly
	mentions args
}

@test "wrong type: .hostname is a number" {
	update_config '.hostname = 5'
	fails_cleanly
	mentions hostname
}

@test "wrong type: .process.user.uid is a string" {
	update_config '.process.user.uid = "0"'
	fails_cleanly
	mentions uid
}

@test "missing required field: .process.args" {
	update_config 'del(.process.args)'
	fails_cleanly
	mentions args
}

@test "empty .process.args" {
	update_config '.process.args = []'
	fails_cleanly create
	mentions args
}

@test "missing required field: .process (for create)" {
	update_config 'del(.process)'
	fails_cleanly create
	mentions process
}

@test "missing required field: .root" {
	update_config 'del(.root)'
	fails_cleanly
	mentions root
}

@test "relative .process.cwd is refused" {
	update_config '.process.cwd = "relative/dir"'
	fails_cleanly
	mentions cwd
}

@test "missing config.json: exit 1, names the file" {
	rm "$BUNDLE/config.json"
	fails_cleanly
	mentions config.json
}

@test "missing bundle directory: exit 1, names it" {
	run rt run -b "$TEST_DIR/no-such-bundle" "$ID"
	assert_status 1
	mentions no-such-bundle
	assert_nothing_left "$ID"
}

@test "missing rootfs: exit 1, names it, nothing left" {
	rm -rf "$ROOTFS"
	fails_cleanly create
	mentions rootfs
}

@test "unknown fields are ignored" {
	update_config '.process.args = ["sh", "-c", "echo fine"] | .xUnknown = 1 | .process.xAlso = {"a": [1]}'
	rt_run "$ID"
	assert_status 0
	[ "$output" = fine ]
}

@test "the config is read at create: editing it afterwards changes nothing" {
	update_config '.root.readonly = false'
	set_args sh -c 'echo first > /tmp/which'
	create_ok "$ID"
	set_args sh -c 'echo second > /tmp/which'
	rt start "$ID"
	wait_status "$ID" stopped
	[ "$(cat "$ROOTFS/tmp/which")" = first ]
}

# --- contain's own texts ------------------------------------------------------------------

@test "contain: wrong type names the JSON path, what was expected and what was found" {
	contain_only "contain's message text"
	update_config '.process.args = ["sh", 1]'
	fails_cleanly
	assert_output_contains 'config.json: .process.args[1]: expected a string, found a number'
	ID=$(new_id)
	update_config '.process.args = [1]'
	fails_cleanly
	assert_output_contains 'config.json: .process.args[0]: expected a string, found a number'
}

@test "contain: a string where an array belongs" {
	contain_only "contain's message text"
	update_config '.process.args = "sh"'
	fails_cleanly
	assert_output_contains 'config.json: .process.args: expected an array, found a string'
}

@test "contain: malformed JSON says config.json and where" {
	contain_only "contain's message text"
	printf '{\n  "ociVersion": "1.0.2",\n  bad\n}\n' >"$BUNDLE/config.json"
	fails_cleanly
	assert_output_contains "config.json"
	# the line of the error
	assert_output_matches "(line 3|:3:)"
}

@test "contain: a missing required field names its path" {
	contain_only "contain's message text"
	update_config 'del(.process.args)'
	fails_cleanly
	assert_output_contains "config.json: .process.args"
	ID=$(new_id)
	update_config 'del(.root)'
	fails_cleanly
	assert_output_contains "config.json: .root"
}

@test "contain: a relative cwd names .process.cwd" {
	contain_only "contain's message text"
	update_config '.process.cwd = "relative/dir"'
	fails_cleanly
	assert_output_contains "config.json: .process.cwd"
}

@test "contain: the warning for a relative mount destination names .mounts[N].destination" {
	contain_only "contain's message text"
	update_config '.mounts += [{"destination": "rel", "type": "tmpfs", "source": "tmpfs"}]'
	n=$(jq '.mounts | length - 1' "$BUNDLE/config.json")
	run_ctr true
	assert_status 0
	[[ "$CTR_STDERR" == *"config.json: .mounts[$n].destination"* ]]
}

@test "contain: an error in --log-format json keeps the same text in msg" {
	contain_only "contain's message text"
	update_config '.process.args = [1]'
	run --separate-stderr rt --log "$TEST_DIR/log.json" --log-format json run "$ID"
	assert_status 1
	grep '"level":"error"' "$TEST_DIR/log.json" | tail -n 1 |
		jq -e '.msg | contains("config.json: .process.args[0]: expected a string, found a number")' >/dev/null
	assert_nothing_left "$ID"
}
