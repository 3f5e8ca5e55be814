"""Reference for the prediction-log parse benchmark: pandas.read_csv of the same file, median of 3 runs."""
import statistics
import sys
import time

import pandas as pd


def main():
    walls, cpus = [], []
    for _ in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        frame = pd.read_csv(sys.argv[1])
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    print(f"pandas_read_csv_s\t{statistics.median(walls):.3f}\tcpu\t{statistics.median(cpus):.3f}\trows\t{len(frame)}")


if __name__ == "__main__":
    main()
