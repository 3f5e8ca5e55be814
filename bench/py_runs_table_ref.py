"""Reference for the workspace-open benchmark: build the run table straight from the logs with pandas."""
import pathlib
import sys
import time

import pandas as pd
import yaml


def main():
    root = pathlib.Path(sys.argv[1])
    t0, c0 = time.perf_counter(), time.process_time()
    rows = []
    for run in sorted(p for p in root.iterdir() if p.is_dir()):
        row = {"run": run.name}
        row.update(yaml.safe_load((run / "hparams.yaml").read_text()))
        row.update(pd.read_csv(run / "metrics.csv").iloc[-1].to_dict())  # last value of every metric
        rows.append(row)
    table = pd.DataFrame(rows)
    print(f"pandas_run_table_s\t{time.perf_counter() - t0:.3f}\tcpu\t{time.process_time() - c0:.3f}\truns\t{len(table)}")


if __name__ == "__main__":
    main()
