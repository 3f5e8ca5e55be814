#!/bin/sh
# Runs each libFuzzer target for a bounded time, seeded with the test fixtures, tests/fuzz/seeds and the real logs.
# Usage: tests/fuzz/run_fuzzers.sh BUILD_DIR SECONDS [TARGET...]   (BUILD_DIR configured with -DRUNLENS_FUZZ=ON)
# Crash, leak and timeout inputs are kept in BUILD_DIR/fuzz/artifacts/; the grown corpora in BUILD_DIR/fuzz/corpus/.
set -euf # no globbing: find patterns below are passed unexpanded
if [ $# -lt 2 ]; then
    echo "usage: $0 BUILD_DIR SECONDS [TARGET...]" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
real="$source_dir/../shared/data/real"
data="$source_dir/tests/data"
corpus_root="$build/fuzz/corpus"
artifacts="$build/fuzz/artifacts"
mkdir -p "$corpus_root" "$artifacts"

all_targets="tfevents csv jsonl predictions hparams_yaml hparams_json hf_trainer_state hf_results wandb_csv wandb
learning_curve mlflow_sql optuna_sql optuna_journal dvclive mlflow_dir workspace"
targets=${*:-$all_targets}

# Copies files matching a find expression (below 256 KiB) from the given roots into a corpus folder.
collect() {
    dest=$1
    shift
    for root in "$@"; do
        [ -d "$root" ] || continue
        find "$root" -type f -size -256k \( $pattern \) 2>/dev/null | while read -r f; do
            cp "$f" "$dest/$(echo "$f" | cksum | cut -d' ' -f1)-$(basename "$f")"
        done
    done
}

# A directory fuzzer's input is one selector byte (which file of the layout) followed by that file's bytes.
prefixed() {
    dest=$1
    selector=$2
    shift 2
    for root in "$@"; do
        [ -d "$root" ] || continue
        find "$root" -type f -size -64k \( $pattern \) 2>/dev/null | head -40 | while read -r f; do
            out="$dest/sel$selector-$(echo "$f" | cksum | cut -d' ' -f1)"
            printf "\\$(printf '%03o' "$selector")" >"$out"
            cat "$f" >>"$out"
        done
    done
}

mlflow_db_seed() {
    python3 - "$1/seed-mlflow.db" <<'PY' || true
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("""
CREATE TABLE experiments (experiment_id INTEGER PRIMARY KEY, name TEXT, lifecycle_stage TEXT);
CREATE TABLE runs (run_uuid TEXT PRIMARY KEY, name TEXT, experiment_id INTEGER, status TEXT,
                   start_time BIGINT, end_time BIGINT, lifecycle_stage TEXT);
CREATE TABLE metrics (key TEXT, value FLOAT, timestamp BIGINT, run_uuid TEXT, step BIGINT, is_nan BOOLEAN);
CREATE TABLE params (key TEXT, value TEXT, run_uuid TEXT);
CREATE TABLE tags (key TEXT, value TEXT, run_uuid TEXT);
INSERT INTO experiments VALUES (1, 'exp', 'active');
INSERT INTO runs VALUES ('r1', 'run-one', 1, 'FINISHED', 1700000000000, 1700000005000, 'active');
INSERT INTO metrics VALUES ('loss', 1.5, 1700000000000, 'r1', 0, 0), ('loss', 1.2, 1700000001000, 'r1', 1, 0),
                           ('acc', 0, 1700000001000, 'r1', 1, 1);
INSERT INTO params VALUES ('lr', '0.001', 'r1');
INSERT INTO tags VALUES ('mlflow.runName', 'run-one', 'r1');
""")
db.commit()
PY
}

seed() {
    target=$1
    dest=$2
    case $target in
    tfevents) pattern="-name *tfevents*"; collect "$dest" "$real/tfevents" "$data" ;;
    csv) pattern="-name *.csv -o -name *.tsv -o -name *.log"; collect "$dest" "$here/seeds/csv" "$data" "$real" ;;
    jsonl) pattern="-name *.jsonl -o -name *.json"; collect "$dest" "$here/seeds/jsonl" "$data" ;;
    predictions) pattern="-name *.csv"; collect "$dest" "$here/seeds/predictions" "$data/eval" ;;
    hparams_yaml) pattern="-name *.yaml -o -name *.yml"; collect "$dest" "$here/seeds/hparams_yaml" "$real" ;;
    hparams_json) pattern="-name *.json"; collect "$dest" "$here/seeds/hparams_json" "$real/dvclive" ;;
    hf_trainer_state) pattern="-name trainer_state.json"; collect "$dest" "$real" ;;
    hf_results) pattern="-name *_results.json"; collect "$dest" "$here/seeds/hf_results" "$real" ;;
    wandb_csv) pattern="-name *.csv"; collect "$dest" "$here/seeds/wandb_csv" ;;
    wandb) pattern="-name *.wandb"; collect "$dest" "$real/wandb" ;;
    learning_curve) pattern="-name *.csv"; collect "$dest" "$data/learning_curve" ;;
    mlflow_sql) mlflow_db_seed "$dest" ;;
    optuna_sql | optuna_journal)
        # Real studies from Debian's python3-optuna when it is installed (else the empty start below).
        gen=$(mktemp -d)
        if /usr/bin/python3 "$here/../tools/gen_optuna_studies.py" "$gen" >/dev/null 2>&1; then
            if [ "$target" = optuna_sql ]; then cp "$gen/optuna.db" "$dest/"; else cp "$gen/journal.log" "$dest/"; fi
        fi
        rm -rf "$gen" ;;
    dvclive)
        pattern="-name *.tsv"; prefixed "$dest" 0 "$real/dvclive"
        pattern="-name metrics.json"; prefixed "$dest" 2 "$real/dvclive"
        pattern="-name params.yaml"; prefixed "$dest" 3 "$real/dvclive" ;;
    mlflow_dir)
        pattern="-path */metrics/*"; prefixed "$dest" 0 "$real/mlflow"
        pattern="-path */params/*"; prefixed "$dest" 1 "$real/mlflow"
        pattern="-name meta.yaml"; prefixed "$dest" 3 "$real/mlflow" ;;
    workspace) RUNLENS_FUZZ_WRITE_SEED="$dest/seed.runlens" "$build/fuzz/fuzz_workspace" >/dev/null 2>&1 || true ;;
    esac
    # libFuzzer needs at least one input; an empty file is a fine start.
    [ -n "$(ls "$dest")" ] || : >"$dest/empty"
}

status=0
for target in $targets; do
    bin="$build/fuzz/fuzz_$target"
    if [ ! -x "$bin" ]; then
        echo "missing $bin (configure with -DRUNLENS_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++)" >&2
        status=1
        continue
    fi
    corpus="$corpus_root/$target"
    mkdir -p "$corpus"
    seed "$target" "$corpus"
    max_len=65536
    [ "$target" = workspace ] || [ "$target" = mlflow_sql ] && max_len=262144
    echo "== fuzz_$target for ${seconds}s ($(ls "$corpus" | wc -l) inputs in corpus)"
    if ! "$bin" -max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb=2048 -malloc_limit_mb=1024 \
        -timeout=10 -print_final_stats=1 -artifact_prefix="$artifacts/$target-" "$corpus"; then
        echo "fuzz_$target found a problem; inputs kept in $artifacts:" >&2
        ls "$artifacts" | grep "^$target-" >&2 || true
        status=1
    fi
done
exit $status
