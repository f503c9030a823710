#!/bin/sh
# Instruction counts (callgrind, repeatable under machine load) of the egov-irt bench workloads.
# Usage: sh bench/irt/profile.sh [fit|fit_no_se|replicate|large ...]   (default: fit replicate)
# Prints estimates and scores to compare builds digit by digit, then the instructions of one run.
set -e
here=$(cd "$(dirname "$0")" && pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/../../target}/irt-profile"
cargo build --release --quiet --manifest-path "$here/profile/Cargo.toml"
bin="$CARGO_TARGET_DIR/release/irt-profile"
modes="${*:-fit replicate}"
for mode in $modes; do
    "$bin" "$mode" 3
    valgrind --tool=callgrind --toggle-collect='*workload*' --callgrind-out-file=/dev/null \
        "$bin" "$mode" 1 2>&1 >/dev/null | sed -n "s/.*Collected : \([0-9]*\)/$mode: \1 instructions/p"
done
