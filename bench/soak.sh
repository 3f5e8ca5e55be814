#!/usr/bin/env bash
# Soak: a simulated trainer writes CSV, JSONL and event files in pieces while `runlens import --watch` reads
# them on, `runlens runs` reads the workspace every few seconds and the desktop window has it open; at the
# end every stored point must equal what was written (make limits, case d).
#
#   bash bench/soak.sh BIN-DIR [SECONDS] [RUNS]       (default 600 s, 3 runs; prints one result line)
set -uo pipefail
BIN=$1
SECONDS_TO_RUN=${2:-600}
RUNS=${3:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/runlens-soak.XXXXXX")
LOGS="$SCRATCH/logs"
WS="$SCRATCH/soak.runlens"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null; done
    wait 2> /dev/null
    rm -rf "$SCRATCH"
}
trap cleanup EXIT
mkdir -p "$LOGS"

python3 "$ROOT/bench/soak_trainer.py" "$LOGS" "$SECONDS_TO_RUN" "$RUNS" "$SCRATCH/truth.csv" \
    > "$SCRATCH/trainer.out" 2>&1 &
trainer=$!
sleep 1
"$BIN/runlens" import "$LOGS" -w "$WS" --watch --interval 1 > "$SCRATCH/watch.out" 2>&1 &
watcher=$!
pids+=("$watcher")
for _ in $(seq 30); do [ -s "$WS" ] && break; sleep 1; done
gui_state="not started (no bin/runlens GUI or no workspace yet)"
if [ -s "$WS" ]; then
    XDG_CONFIG_HOME="$SCRATCH/config" QT_QPA_PLATFORM=offscreen "$BIN/runlens" "$WS" > "$SCRATCH/gui.out" 2>&1 &
    gui=$!
    pids+=("$gui")
    gui_state=started
fi

reads=0
read_failures=0
while kill -0 "$trainer" 2> /dev/null; do
    sleep 5
    reads=$((reads + 1))
    "$BIN/runlens" runs -w "$WS" --json > /dev/null 2> "$SCRATCH/read.err" ||
        { read_failures=$((read_failures + 1)); cat "$SCRATCH/read.err" >> "$SCRATCH/reads.err"; }
done
wait "$trainer"
sleep 4 # the watcher's last polls read the final records
kill -INT "$watcher" 2> /dev/null
wait "$watcher" 2> /dev/null
if [ "$gui_state" = started ]; then
    if kill -0 "$gui" 2> /dev/null; then gui_state="still running"; else gui_state="EXITED (see its output)"; fi
fi

compare=$(python3 - "$BIN/runlens" "$WS" "$SCRATCH/truth.csv" << 'EOF'
import csv, subprocess, sys
runlens, ws, truth_path = sys.argv[1:4]
truth = {}
for row in csv.DictReader(open(truth_path)):
    truth.setdefault((row["run"], row["tag"]), []).append((int(row["step"]), float(row["value"])))
points = wrong = 0
for (run, tag), want in sorted(truth.items()):
    out = subprocess.run([runlens, "series", "-w", ws, "--run", run, "--tag", tag, "--csv"],
                         capture_output=True, text=True)
    got = [(int(r["step"]), float(r["value"])) for r in csv.DictReader(out.stdout.splitlines())]
    points += len(want)
    if got != want:
        wrong += 1
        first = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        print("MISMATCH %s/%s: %d stored vs %d written, first difference at point %d: %s vs %s"
              % (run, tag, len(got), len(want), first, got[first:first + 1], want[first:first + 1]))
print("%d series, %d points written, %d series differ" % (len(truth), points, wrong))
EOF
)
echo "$compare" | grep MISMATCH >&2
[ -s "$SCRATCH/reads.err" ] && sort "$SCRATCH/reads.err" | uniq -c | head -3 | sed 's/^/soak: a read failed: /' >&2
summary=$(echo "$compare" | tail -1)
echo "soak ${SECONDS_TO_RUN} s: $(cat "$SCRATCH/trainer.out"); stored vs written: $summary; workspace reads during the soak: $reads, failed: $read_failures; window: $gui_state"
[ "$read_failures" -eq 0 ] && echo "$summary" | grep -q ', 0 series differ' && [ "$gui_state" != "EXITED (see its output)" ]
