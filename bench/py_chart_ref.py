"""What a notebook user does for one chart of 100 runs: read each run's metrics.csv with pandas, plot
metric_0 against step with matplotlib (default path simplification) and save a 2400x1400 PNG.
Prints tab-separated fields: py_chart_s WALL cpu CPU."""
import glob
import os
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402


def main():
    runs, out = sys.argv[1], sys.argv[2]
    w0, c0 = time.perf_counter(), time.process_time()
    fig, ax = plt.subplots(figsize=(12, 7), dpi=200)
    for path in sorted(glob.glob(os.path.join(runs, "*", "metrics.csv"))):
        frame = pd.read_csv(path, usecols=["step", "metric_0"])
        ax.plot(frame["step"], frame["metric_0"], linewidth=1, label=os.path.basename(os.path.dirname(path)))
    ax.set_xlabel("step")
    ax.set_title("metric_0")
    fig.savefig(out)
    print("py_chart_s\t%.3f\tcpu\t%.3f" % (time.perf_counter() - w0, time.process_time() - c0))


if __name__ == "__main__":
    main()
