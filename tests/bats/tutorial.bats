#!/usr/bin/env bats
# bats: each @test is a subshell; run sets $output/$status
# shellcheck disable=SC2030,SC2031,SC2016,SC2154
# The docs are tested: every runnable block of docs/tutorial/*.md is run, in order, in one
# shell per chapter (so `cd` and variables carry from block to block), in a temp dir, with
# a --root of its own; the output block that follows it is checked. And the man page:
# docs/contain.1 is what docs/md2man.py makes of docs/contain.1.md, and the markdown names
# every command and every option the code has.
#
# The conventions (docs/tutorial/README.md tells the reader the same):
#   ```sh runnable            a block to run; `contain` there is the runtime under test with
#                             the test's --root (and container ids given a prefix of the
#                             test's, removed from the output again), and contrib/ is in the
#                             PATH (mkbundle.sh)
#   ```sh runnable cgroups    the same, for a host whose cgroups can take limits: skipped
#                             when `contain check -b` says a bundle with memory, pids and cpu
#                             limits cannot run here
#   ```output                 what the block before prints (stdout and stderr together).
#                             Lines are compared with runs of blanks made one space and
#                             trailing blanks dropped; <n> stands for a number, <hex> for hex
#                             digits, <any> for any text within a line, and a line "..." for
#                             any number of lines (none included).
# After a chapter no container may be left in its root and no cgroup of its containers.

load helpers

DOCS=$SRC_DIR/docs
TUTORIAL=$DOCS/tutorial

setup() {
	common_setup
	contain_only "the tutorial is contain's"
}

# tutorial_extract CHAPTER DIR: the blocks as DIR/b-N.sh, their expected output as DIR/e-N.txt
# and their flags as DIR/f-N; fails on a malformed chapter.
tutorial_extract() {
	python3 - "$1" "$2" <<'PY'
import re, sys
src, out = sys.argv[1], sys.argv[2]
lines = open(src, encoding="utf-8").read().split("\n")
blocks = []  # [info, text, line]
i = 0
while i < len(lines):
    m = re.match(r"^```(.*)$", lines[i])
    if not m:
        i += 1
        continue
    info, start = m.group(1).strip(), i + 1
    i += 1
    body = []
    while i < len(lines) and lines[i] != "```":
        body.append(lines[i])
        i += 1
    if i >= len(lines):
        sys.exit("%s:%d: a block is not closed" % (src, start))
    i += 1
    blocks.append((info.split(), "\n".join(body) + "\n", start))
n = 0
prev_runnable = False
for words, text, line in blocks:
    if words[:1] == ["output"]:
        if not prev_runnable:
            sys.exit("%s:%d: an output block that follows no runnable block" % (src, line))
        open("%s/e-%d.txt" % (out, n), "w").write(text)
        prev_runnable = False
        continue
    prev_runnable = "runnable" in words
    if prev_runnable:
        n += 1
        open("%s/b-%d.sh" % (out, n), "w").write("# %s:%d\n%s" % (src, line, text))
        open("%s/f-%d" % (out, n), "w").write(" ".join(w for w in words[1:] if w != "runnable"))
print(n)
PY
}

# tutorial_match EXPECTED ACTUAL: whether ACTUAL fits EXPECTED (the conventions above).
tutorial_match() {
	python3 - "$1" "$2" <<'PY'
import re, sys
exp = open(sys.argv[1], encoding="utf-8").read().rstrip("\n").split("\n")
act = open(sys.argv[2], encoding="utf-8", errors="replace").read().rstrip("\n").split("\n")
norm = lambda s: re.sub(r"\s+", " ", s).rstrip()
PH = {"<n>": "[0-9]+", "<hex>": "[0-9a-f]+", "<any>": "[^\n]*"}
pat = ""
for line in exp:
    if line.strip() == "...":
        pat += r"(?:[^\n]*\n)*?"
        continue
    parts = re.split(r"(<n>|<hex>|<any>)", norm(line))
    pat += "".join(PH.get(p, re.escape(p)) for p in parts) + r"\n"
text = "\n".join(norm(l) for l in act) + "\n"
if act == [""]:
    text = ""
sys.exit(0 if re.fullmatch(pat, text) else 1)
PY
}

# Whether cgroup limits can be had here, as `contain check -b` tells.
cgroups_ready() {
	local b=$TEST_DIR/limits
	cp -a "$BUNDLE" "$b"
	jq '.linux.resources.memory = {limit: 33554432} | .linux.resources.pids = {limit: 16}
		| .linux.resources.cpu = {quota: 10000, period: 100000}' "$BUNDLE/config.json" >"$b/config.json"
	rt check -b "$b" >"$TEST_DIR/cgroups-check" 2>&1
}

# run_chapter FILE.md: runs its blocks and checks what they print.
run_chapter() {
	local chapter=$TUTORIAL/$1 work=$TEST_DIR/work blocks=$TEST_DIR/blocks n i bad=0 ready=1
	[ -f "$chapter" ] || { echo "no chapter $chapter" >&2; return 1; }
	mkdir -p "$work" "$blocks"
	chmod 755 "$work"
	n=$(tutorial_extract "$chapter" "$blocks") || return 1
	[ "$n" -gt 0 ] || { echo "$1 has no runnable block" >&2; return 1; }
	if grep -qw cgroups "$blocks"/f-*; then
		cgroups_ready || ready=0
	fi
	# one shell for the whole chapter: blocks are sourced, in order
	cat >"$blocks/runner.sh" <<-'EOF'
		contain() {
			# Container ids get a prefix of the test's own (and lose it again in the output
			# compared): the cgroup of a container is named after its id, and another run of
			# this file at the same time must not meet "demo" there.
			local a=("$@") i
			case "$1" in
			create | run | start | state | kill | delete | exec | pause | resume | update | ps | events)
				for ((i = 1; i < ${#a[@]}; i++)); do
					case "${a[i]}" in
					-*) ;;
					*)
						a[i]=$TUT_PREFIX${a[i]}
						echo "${a[i]}" >>"$TUT_BLOCKS/ids"
						break
						;;
					esac
				done
				;;
			esac
			timeout -k 5 60 "$RUNTIME" --root "$TUT_ROOT" "${a[@]}"
		}
		export PATH="$TUT_CONTRIB:$PATH"
		cd "$TUT_WORK" || exit 1
		for ((i = 1; i <= TUT_N; i++)); do
			if [ "$TUT_READY" = 0 ] && grep -qw cgroups "$TUT_BLOCKS/f-$i"; then
				echo skipped >"$TUT_BLOCKS/s-$i"
				continue
			fi
			# shellcheck disable=SC1090
			{ . "$TUT_BLOCKS/b-$i.sh"; } >"$TUT_BLOCKS/o-$i.txt" 2>&1 </dev/null
		done
		exit 0 # the blocks' own statuses are part of their output, when they matter
	EOF
	local rc=0
	local prefix="tut$$x$RANDOM-"
	TUT_ROOT=$ROOT TUT_CONTRIB=$SRC_DIR/contrib TUT_WORK=$work TUT_BLOCKS=$blocks TUT_N=$n \
		TUT_READY=$ready TUT_PREFIX=$prefix RUNTIME=$RUNTIME timeout 600 bash "$blocks/runner.sh" || rc=$?
	if [ "$rc" != 0 ]; then
		echo "$1: the chapter's shell ended with status $rc (124: it took more than 600 s)" >&2
		bad=1
	fi
	local skipped=0
	for ((i = 1; i <= n; i++)); do
		if [ -e "$blocks/s-$i" ]; then
			skipped=$((skipped + 1))
			continue
		fi
		[ -e "$blocks/e-$i.txt" ] || continue
		sed -i "s/$prefix//g" "$blocks/o-$i.txt"
		if ! tutorial_match "$blocks/e-$i.txt" "$blocks/o-$i.txt"; then
			echo "--- $(head -1 "$blocks/b-$i.sh" | cut -c3-): the block" >&2
			tail -n +2 "$blocks/b-$i.sh" >&2
			echo "--- expected" >&2
			cat "$blocks/e-$i.txt" >&2
			echo "--- got" >&2
			cat "$blocks/o-$i.txt" >&2
			bad=1
		fi
	done
	if [ "$skipped" -gt 0 ]; then
		echo "# $1: $skipped block(s) for delegated cgroups skipped: $(grep -E 'missing' "$TEST_DIR/cgroups-check" | head -3)" >&3
	fi
	# the chapter cleans up after itself
	local left
	left=$(rt list -q 2>/dev/null)
	if [ -n "$left" ]; then
		echo "$1 leaves containers behind: $left" >&2
		bad=1
	fi
	local id
	while read -r id; do
		rt delete --force "$id" >/dev/null 2>&1
		assert_no_cgroup "$id" || { echo "$1 leaves the cgroup of $id behind" >&2; bad=1; }
	done < <(sort -u "$blocks/ids" 2>/dev/null)
	return "$bad"
}

@test "tutorial 01: a bundle, and a first container" {
	run_chapter 01-bundle.md
}

@test "tutorial 02: the lifecycle: create, start, state, exec, kill, delete" {
	run_chapter 02-lifecycle.md
}

@test "tutorial 03: namespaces" {
	run_chapter 03-namespaces.md
}

@test "tutorial 04: mounts and pivot_root" {
	run_chapter 04-mounts.md
}

@test "tutorial 05: cgroup limits: memory, pids, cpu" {
	cgroups_ready || skip "contain check -b: limits cannot be had here: $(grep missing "$TEST_DIR/cgroups-check" | head -2)"
	run_chapter 05-cgroups.md
}

@test "tutorial 06: capabilities" {
	run_chapter 06-capabilities.md
}

@test "tutorial 07: user namespaces" {
	run_chapter 07-user-namespaces.md
}

@test "every chapter of the tutorial is run by this file" {
	local f
	for f in "$TUTORIAL"/[0-9]*.md; do
		grep -q "run_chapter $(basename "$f")\$" "$BATS_TEST_FILENAME" ||
			{ echo "$(basename "$f") is not tested" >&2; return 1; }
	done
}

@test "the matcher: numbers, hex, any text, ... and blanks" {
	printf 'pid <n>, <hex>\n...\nend <any>\n' >"$TEST_DIR/e"
	printf 'pid 42,  beef \nmore\nlines\nend of it\n' >"$TEST_DIR/a"
	tutorial_match "$TEST_DIR/e" "$TEST_DIR/a"
	printf 'pid x, beef\nend\n' >"$TEST_DIR/a"
	run ! tutorial_match "$TEST_DIR/e" "$TEST_DIR/a"
	printf 'a\n...\n' >"$TEST_DIR/e"
	printf 'a\n' >"$TEST_DIR/a"
	tutorial_match "$TEST_DIR/e" "$TEST_DIR/a"
}

# --- the man page ---------------------------------------------------------------------------

@test "docs/contain.1 is what md2man.py makes of docs/contain.1.md" {
	run python3 "$DOCS/md2man.py" "$DOCS/contain.1.md"
	assert_status 0
	diff <(echo "$output") "$DOCS/contain.1"
	# and man reads it without a warning
	if command -v man >/dev/null; then
		run bash -c "MANWIDTH=80 man --warnings -l '$DOCS/contain.1' 2>&1 >/dev/null"
		[ -z "$output" ]
	fi
}

@test "md2man.py refuses what it does not understand" {
	printf '%% X(1) x | y\n\n| a | b |\n' >"$TEST_DIR/t.md"
	run python3 "$DOCS/md2man.py" "$TEST_DIR/t.md"
	assert_failed
	assert_output_contains "tables"
	printf '%% X(1) x | y\n\nan `unclosed\nspan`\n' >"$TEST_DIR/t.md"
	run python3 "$DOCS/md2man.py" "$TEST_DIR/t.md"
	assert_failed
}

@test "the man page names every command of contain --help" {
	local cmd
	for cmd in $(rt --help | awk '/^commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }'); do
		grep -Eq "^## ([a-z, ]*, )?$cmd(,|\$)" "$DOCS/contain.1.md" ||
			{ echo "no section for $cmd in contain.1.md" >&2; return 1; }
	done
}

@test "the man page names every long option of src/contain.c and src/cmd/*.c" {
	local opt missing=
	while read -r opt; do
		grep -q -- "\`--$opt\`" "$DOCS/contain.1.md" || missing+=" --$opt"
	done < <(grep -ho '{"[a-z][a-z0-9-]*", \(no\|required\|optional\)_argument' \
		"$SRC_DIR"/src/contain.c "$SRC_DIR"/src/cmd/*.c "$SRC_DIR"/src/cli.h |
		sed 's/{"\([^"]*\)".*/\1/' | sort -u)
	[ -z "$missing" ] || { echo "not in contain.1.md:$missing" >&2; return 1; }
}
