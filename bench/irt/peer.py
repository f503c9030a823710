"""Peer timing for egov-irt: girth's 2PL marginal maximum likelihood on the same data as the Rust run.

Usage: python3 bench/irt/peer.py DATA.csv [repeats]
Prints one JSON object: girth version, median seconds, and its estimates (a, b).
"""
import json
import statistics
import sys
import time
from importlib.metadata import version

import girth
import numpy as np


def main():
    path = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=int).T  # girth wants items x persons
    times = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = girth.twopl_mml(data)
        times.append(time.perf_counter() - start)
    print(json.dumps({
        "tool": "girth.twopl_mml",
        "version": version("girth"),
        "persons": int(data.shape[1]),
        "items": int(data.shape[0]),
        "repeats": repeats,
        "median_seconds": statistics.median(times),
        "a": np.asarray(result["Discrimination"]).tolist(),
        "b": np.asarray(result["Difficulty"]).tolist(),
    }))


if __name__ == "__main__":
    main()
