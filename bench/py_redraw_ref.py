"""What a notebook user does to redraw 100 runs x 100k points after changing the smoothing: pandas' EMA
(ewm adjust=True, TensorBoard's debiased EMA) of every run, set_ydata on each matplotlib line, draw the
canvas (Agg, 1600x300 px, matplotlib's default path simplification). Prints tab-separated fields."""
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

RUNS, POINTS, FRAMES = 100, 100_000, 3


def main():
    rng = np.random.default_rng(11)
    steps = np.arange(POINTS, dtype=float)
    raw = [2.0 / np.sqrt(1.0 + 1e-4 * (1.0 + 0.05 * r) * steps) + rng.normal(0, 0.05, POINTS) for r in range(RUNS)]
    fig, ax = plt.subplots(figsize=(16, 3), dpi=100)
    lines = [ax.plot(steps, y, linewidth=1)[0] for y in raw]
    fig.canvas.draw()  # warm-up: first layout, font cache
    walls, cpus = [], []
    for frame in range(FRAMES):
        weight = 0.5 + 0.04 * frame
        w0, c0 = time.perf_counter(), time.process_time()
        for line, y in zip(lines, raw):
            line.set_ydata(pd.Series(y).ewm(alpha=1 - weight, adjust=True).mean().to_numpy())
        fig.canvas.draw()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    if len(sys.argv) > 1:
        fig.savefig(sys.argv[1])
    print(f"py_redraw_frame_ms\t{1000 * float(np.median(walls)):.1f}\tcpu\t{1000 * float(np.median(cpus)):.1f}")


if __name__ == "__main__":
    main()
