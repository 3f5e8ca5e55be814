#!/usr/bin/env bash
# One Curves-tab chart card with 100 runs x 100k points: smoothing-slider and zoom frames, beside matplotlib.
set -euo pipefail
BIN=$1
OUT=$2
if [ ! -x "$BIN/bench_ui_redraw" ]; then
    row "redraw 100 runs x 100k points" "not built (RUNLENS_BUILD_GUI=OFF)" "-" "<= 50 ms a frame" "-"
    exit 0
fi
rl=$(QT_QPA_PLATFORM=offscreen "$BIN/bench_ui_redraw" "$OUT/redraw_frame.png")
py=$("$PY" "$ROOT/bench/py_redraw_ref.py" "$OUT/redraw_matplotlib.png" 2>/dev/null || echo "py_redraw_frame_ms	-	cpu	-")
printf "%s\n" "$rl" "$py" | sed 's/^/    # /' >&2
wall=$(field redraw_frame_ms "$rl")
cpu=$(field cpu "$rl")
row "redraw one chart card after a smoothing change, 100 runs x 100k points, 1600x300 offscreen (median of 10 frames)" \
    "${wall} ms (CPU ${cpu} ms): prepare $(field prepare_ms "$rl") + paint $(field paint_ms "$rl") ms; $(field points_drawn "$rl") points drawn" \
    "pandas ewm + matplotlib set_ydata + Agg draw: $(field py_redraw_frame_ms "$py") ms (CPU $(field cpu "$py") ms)" \
    "<= 50 ms a frame" "$(verdict "$wall" "$cpu" 50)"
zoom=$(field zoom_frame_ms "$rl")
zoom_cpu=$(field zoom_cpu "$rl")
row "the same card after a zoom (raw and smoothed decimated again for the new range)" \
    "${zoom} ms (CPU ${zoom_cpu} ms)" "-" "<= 50 ms a frame" "$(verdict "$zoom" "$zoom_cpu" 50)"
row "one card with a single 10M-point run, zooming in (smoothing 0.6 at full resolution, then decimation)" \
    "$(field big_zoom_ms "$rl") ms (CPU $(field big_zoom_cpu "$rl") ms)" "-" "no visible stall (<= 100 ms)" \
    "$(verdict "$(field big_zoom_ms "$rl")" "$(field big_zoom_cpu "$rl")" 100)"
row "the same card rebuilt (new data: every run's x/y arrays copied and sorted once)" \
    "$(field rebuild_ms "$rl") ms" "-" "-" "-"
