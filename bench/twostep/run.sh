#!/usr/bin/env bash
# Replica-sized timings of egov-twostep (56,649 simulated persons, ~22,700 households,
# 35 LPM coefficients). Usage: bench/twostep/run.sh [replicates]   (default 999)
# 1) one timed run of each procedure (release build), 2) criterion medians.
set -euo pipefail
cd "$(dirname "$0")/../.."
replicates="${1:-999}"
cargo run --release -q -p egov-twostep --example timing -- 56649 "$replicates"
TWOSTEP_BENCH_REPLICATES="$replicates" cargo bench -p egov-twostep --bench twostep -- --noplot
