#!/bin/bash
# Builds the libFuzzer targets with clang, outside automake, straight from the
# schemas (running the generator itself), and fuzzes each one for
# FUZZ_SECONDS seconds (default 60). Exits non-zero when a target crashes,
# leaks or trips a sanitizer; the input that did it is kept in the build dir.
#
#   tests/fuzz/run.sh [config] [state]      (default: both)
#   FUZZ_SECONDS=600 FUZZ_BUILD_DIR=/tmp/fz tests/fuzz/run.sh config
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${FUZZ_SECONDS:-60}
clang=${CLANG:-clang}
python=${PYTHON3:-python3}
build=${FUZZ_BUILD_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/contain-fuzz.XXXXXX")}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(config state)

mkdir -p "$build/gen"
schemas=()
for s in defs config-schema state-schema runtime-state features-schema; do
  schemas+=("$top/oci-spec/$s.json")
done
"$python" "$top/libocispec/generate.py" -o "$build/gen" "${schemas[@]}"

# A dictionary of every key and enum value in the schemas, so that libFuzzer
# reaches deep fields instead of guessing their names byte by byte.
"$python" - "${schemas[@]}" > "$build/oci.dict" <<'PY'
import json, sys
words = set()
def walk(node):
    if isinstance(node, dict):
        for k, v in node.get("properties", {}).items():
            words.add(k)
        for v in node.get("enum", []) or []:
            if isinstance(v, str):
                words.add(v)
        for v in node.values():
            walk(v)
    elif isinstance(node, list):
        for v in node:
            walk(v)
for path in sys.argv[1:]:
    walk(json.load(open(path)))
for w in sorted(words):
    print('"\\"%s\\""' % w)
for tok in ["{", "}", "[", "]", ":", ",", "null", "true", "false", "-1", "18446744073709551615", "4294967296"]:
    print('"%s"' % tok)
PY

cflags=(-std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
        -fno-omit-frame-pointer -Wall -Wextra -Werror -Wno-unused-parameter)
read -r -a yajl_cflags <<< "$(pkg-config --cflags yajl)"
read -r -a yajl_libs <<< "$(pkg-config --libs yajl)"

status=0
for t in "${targets[@]}"; do
  src="$top/tests/fuzz/fuzz-$t.c"
  [ -f "$src" ] || { echo "run.sh: no target $t ($src)" >&2; exit 2; }
  echo "== building fuzz-$t in $build"
  "$clang" "${cflags[@]}" "${yajl_cflags[@]}" -I"$top/libocispec" -I"$build/gen" \
    -o "$build/fuzz-$t" "$src" "$build/gen/oci-types.c" "$top/libocispec/ocispec-runtime.c" "${yajl_libs[@]}"
  # New inputs go to a working corpus; the seeds in the tree are only read.
  mkdir -p "$build/corpus-$t"
  echo "== fuzzing fuzz-$t for ${seconds}s"
  if ! "$build/fuzz-$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -dict="$build/oci.dict" -artifact_prefix="$build/crash-$t-" -print_final_stats=1 \
      "$build/corpus-$t" "$top/tests/fuzz/corpus/$t"; then
    echo "run.sh: fuzz-$t FAILED; reproducer: $(ls "$build"/crash-"$t"-* 2>/dev/null | head -1)" >&2
    status=1
  fi
done
[ $status -eq 0 ] && echo "run.sh: all fuzz targets ran ${seconds}s each without a crash"
exit $status
