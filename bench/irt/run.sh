#!/usr/bin/env bash
# Time egov-irt against girth on the same simulated 56,649 x 11 data set, in one run.
# Usage: bash bench/irt/run.sh [repeats]     (from the workspace root)
set -euo pipefail
repeats="${1:-7}"
data="$(mktemp -d)/irt_56649.csv"
python3 bench/irt/make_data.py 56649 20260101 "$data"
cargo run --release -q -p egov-irt --example time_fit -- "$data" "$repeats"
python3 bench/irt/peer.py "$data" "$repeats"
