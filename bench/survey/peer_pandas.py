"""Peer timing for the survey loader: pandas reads the same file and computes the same
per-variable missing counts and weighted level shares (a fair stand-in for `load()`'s work).
    python3 bench/survey/peer_pandas.py FILE [RUNS]
"""

import statistics
import sys
import time

import numpy as np
import pandas as pd

path = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
cats = ["sex", "educ", "labour", "urban", "region", "internet"]
items = [f"sk{j:02d}" for j in range(1, 12)]
times = []
for _ in range(runs):
    t = time.perf_counter()
    df = pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path)
    w = df["weight"].to_numpy()
    assert df["resp_id"].is_unique and np.all(np.isfinite(w)) and (w >= 0).all()
    out = {}
    for c in items + ["egov"]:
        x = df[c].to_numpy()
        ok = x != 9
        out[c] = (np.sum(w[ok] * (x[ok] == 1)) / np.sum(w[ok]), int((~ok).sum()))
    for c in cats:
        out[c] = df.groupby(c)["weight"].sum() / w.sum()
    out["age"] = (df["age"].between(15, 74).all(), df["age"].mean())
    times.append((time.perf_counter() - t) * 1000)
print(f"pandas {pd.__version__} load+summarise {path} ({len(df)} rows): median {statistics.median(times):.1f} ms "
      f"over {runs} runs; runs: {', '.join(f'{t:.1f}' for t in times)}")
