"""Simulate complete 2PL responses (11 items) for the peer comparison. Usage: make_data.py N SEED OUT.csv"""
import sys

import numpy as np

A = np.array([0.8, 1.2, 1.5, 2.0, 1.0, 0.6, 1.8, 1.3, 2.4, 0.9, 1.1])
B = np.array([-2.0, -1.2, -0.5, 0.0, 0.4, 1.0, -0.8, 0.7, 1.5, -1.6, 2.0])

n, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(seed)
theta = rng.standard_normal(n)
y = (rng.random((n, 11)) < 1 / (1 + np.exp(-A * (theta[:, None] - B)))).astype(int)
np.savetxt(out, y, fmt="%d", delimiter=",", header=",".join(f"item{i + 1}" for i in range(11)), comments="")
