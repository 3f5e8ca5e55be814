#!/usr/bin/env bash
# One chart card redrawn with 100 runs x 100k points (curve preparation, chart build, offscreen paint).
set -euo pipefail
BIN=$1
OUT=$2
if [ ! -x "$BIN/bench_ui_redraw" ]; then
    row "redraw 100 runs x 100k points" "not built (RUNLENS_BUILD_GUI=OFF)" "-" "<= 50 ms a frame" "-"
    exit 0
fi
rl=$(QT_QPA_PLATFORM=offscreen "$BIN/bench_ui_redraw" "$OUT/redraw_frame.png")
echo "$rl" | sed 's/^/    # /' >&2
wall=$(field redraw_frame_ms "$rl")
cpu=$(field cpu "$rl")
row "redraw one chart card, 100 runs x 100k points, 1600x900 offscreen (median of 10 frames)" \
    "${wall} ms (CPU ${cpu} ms): prepareCurve $(field prepare_ms "$rl") + buildCurveChart $(field build_ms "$rl") + paint $(field paint_ms "$rl") ms; $(field points_drawn "$rl") points drawn" \
    "-" "<= 50 ms a frame" "$(verdict "$wall" "$cpu" 50)"
