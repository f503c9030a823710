#!/bin/sh
# Instruction counts (callgrind, repeatable under machine load) and CPU time of the egov-econ LPM
# bench workload (31 coefficients, HC1 or household clusters).
# Usage: sh bench/econ/profile.sh [rows]   (default 56649; CPU time only above 100,000 rows)
# Prints every coefficient and standard error to compare builds digit by digit.
set -e
here=$(cd "$(dirname "$0")" && pwd)
rows="${1:-56649}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/../../target}/econ-profile"
cargo build --release --quiet --manifest-path "$here/profile/Cargo.toml"
bin="$CARGO_TARGET_DIR/release/econ-profile"
for mode in hc1 cluster; do
    "$bin" "$mode" "$rows" 5
    if [ "$rows" -le 100000 ]; then
        valgrind --tool=callgrind --toggle-collect='*workload*' --callgrind-out-file=/dev/null \
            "$bin" "$mode" "$rows" 1 2>&1 >/dev/null | sed -n "s/.*Collected : \([0-9]*\)/$mode: \1 instructions/p"
    fi
done
