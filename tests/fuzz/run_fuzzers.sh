#!/bin/sh
# Runs each libFuzzer target for a bounded time, seeded with the test fixtures and the real event files.
# Usage: tests/fuzz/run_fuzzers.sh BUILD_DIR SECONDS   (BUILD_DIR configured with -DRUNLENS_FUZZ=ON, clang)
set -eu
if [ $# -ne 2 ]; then
    echo "usage: $0 BUILD_DIR SECONDS" >&2
    exit 2
fi
build=$1
seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
real="$source_dir/../shared/data/real"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Seed corpora: copies, because libFuzzer adds files to its first corpus directory.
mkdir -p "$work/tfevents" "$work/csv"
if [ -d "$real/tfevents" ]; then
    find "$real/tfevents" -type f -name '*tfevents*' -size -1024k -exec cp {} "$work/tfevents/" \; 2>/dev/null || true
fi
find "$source_dir/tests/data" -type f \( -name '*tfevents*' \) -exec cp {} "$work/tfevents/" \; 2>/dev/null || true
find "$source_dir/tests/data" -type f \( -name '*.csv' -o -name '*.tsv' \) -size -256k \
    -exec cp {} "$work/csv/" \; 2>/dev/null || true
if [ -d "$real" ]; then
    find "$real" -type f \( -name '*.csv' -o -name '*.tsv' -o -name '*.log' \) -size -256k \
        -exec cp {} "$work/csv/" \; 2>/dev/null || true
fi

status=0
for target in tfevents csv; do
    bin="$build/fuzz/fuzz_$target"
    if [ ! -x "$bin" ]; then
        echo "missing $bin (configure with -DRUNLENS_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++)" >&2
        status=1
        continue
    fi
    echo "== fuzz_$target for ${seconds}s ($(ls "$work/$target" | wc -l) seeds)"
    if ! "$bin" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
        -artifact_prefix="$work/" "$work/$target"; then
        echo "fuzz_$target found a problem; crash inputs:" >&2
        ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* 2>/dev/null >&2 || true
        mkdir -p "$build/fuzz/artifacts"
        cp "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$build/fuzz/artifacts/" 2>/dev/null || true
        status=1
    fi
done
exit $status
