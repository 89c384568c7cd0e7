#!/usr/bin/env bats
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# contain features: the document of runtime-spec features.md, valid against oci-spec's
# schema, and true to this build and kernel.

load helpers

@test "features: valid against oci-spec/features-schema.json" {
	contain_only "contain's schema"
	python3 -c 'import jsonschema' 2>/dev/null || skip "python3-jsonschema not installed"
	rt features >"$TEST_DIR/features.json"
	python3 "$SRC_DIR/tests/validate-schema.py" "$SRC_DIR/oci-spec/features-schema.json" "$TEST_DIR/features.json"
}

@test "features: versions, hooks, mount options, namespaces, capabilities of this kernel" {
	run rt features
	assert_status 0
	jq -e '.ociVersionMax | startswith("1.")' <<<"$output" >/dev/null
	[ "$(jq -r '.hooks | length' <<<"$output")" -ge 5 ]
	jq -e '.mountOptions | index("rbind") and index("nosuid") and index("ro")' <<<"$output" >/dev/null
	for ns in pid network mount ipc uts user cgroup; do
		jq -e --arg n "$ns" '.linux.namespaces | index($n)' <<<"$output" >/dev/null
	done
	# one capability per bit the kernel has
	last=$(cat /proc/sys/kernel/cap_last_cap)
	[ "$(jq -r '.linux.capabilities | length' <<<"$output")" -eq $((last + 1)) ]
	jq -e '.linux.capabilities | index("CAP_SYS_ADMIN")' <<<"$output" >/dev/null
}

@test "features: claims nothing contain cannot do (no systemd driver, no idmapped mounts, no Intel RDT)" {
	contain_only "contain's own claims"
	run rt features
	assert_status 0
	[ "$(jq -r '.linux.cgroup.systemd' <<<"$output")" = false ]
	[ "$(jq -r '.linux.mountExtensions.idmap.enabled' <<<"$output")" = false ]
	[ "$(jq -r '.linux.intelRdt.enabled // false' <<<"$output")" = false ]
	[ "$(jq -r '.linux.cgroup.v1' <<<"$output")" = true ]
}

@test "features: seccomp lists the actions, operators and architectures" {
	run rt features
	assert_status 0
	[ "$(jq -r '.linux.seccomp.enabled' <<<"$output")" = true ]
	jq -e '.linux.seccomp.actions | index("SCMP_ACT_ERRNO")' <<<"$output" >/dev/null
	jq -e '.linux.seccomp.operators | index("SCMP_CMP_MASKED_EQ")' <<<"$output" >/dev/null
	jq -e '.linux.seccomp.archs | index("SCMP_ARCH_X86_64")' <<<"$output" >/dev/null
}
