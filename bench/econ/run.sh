#!/bin/sh
# One benchmark run: the Rust LPM benchmark, then the Python and R peers on the same CSV,
# one after another so that all see the same machine load. Run from the workspace root:
#   sh bench/econ/run.sh
set -e
CSV=${EGOV_ECON_BENCH_CSV:-/tmp/egov-econ-bench-56649.csv}
export EGOV_ECON_BENCH_CSV="$CSV" OPENBLAS_NUM_THREADS=1
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
cargo bench -p egov-econ --bench lpm 2>&1 | grep -E "^rows=|^lpm_|time:"
python3 bench/econ/peers.py "$CSV" 7
Rscript bench/econ/peers.R "$CSV" 7
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
