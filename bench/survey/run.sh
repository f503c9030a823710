#!/bin/sh
# Loader benchmark: egov-survey load() vs pandas on the replica (Parquet, CSV) and peak memory on
# a 100x replica. Usage (from the repository root):
#   PROFILE=release sh bench/survey/run.sh     # real figures (release build of polars: ~30 min cold)
#   sh bench/survey/run.sh                      # dev profile (unoptimised polars): indicative only
set -eu
PROFILE=${PROFILE:-dev}
FLAG=""; [ "$PROFILE" = release ] && FLAG="--release"
TMP=${TMPDIR:-/tmp}/egov-survey-bench
mkdir -p "$TMP"
export OPENBLAS_NUM_THREADS=1 POLARS_MAX_THREADS=${POLARS_MAX_THREADS:-2}
cargo build -q $FLAG -p egov-survey --example load_bench
cargo build -q $FLAG -p egov
DIR=${CARGO_TARGET_DIR:-target}/$( [ "$PROFILE" = release ] && echo release || echo debug )
BENCH=$DIR/examples/load_bench
EGOV=$DIR/egov
CB=fixtures/replica/codebook.toml
PQ=fixtures/replica/kz_ict2021_SYNTHETIC_replica.parquet
"$EGOV" simulate --out "$TMP/replica.csv" 2>/dev/null
echo "# profile: $PROFILE"
"$BENCH" "$PQ" "$CB" 7
python3 bench/survey/peer_pandas.py "$PQ" 7
"$BENCH" "$TMP/replica.csv" "$CB" 7
python3 bench/survey/peer_pandas.py "$TMP/replica.csv" 7
# 100x replica (5,664,900 rows): one load, peak memory.
[ -f "$TMP/replica100.parquet" ] || "$EGOV" simulate --n 5664900 --out "$TMP/replica100.parquet" 2>/dev/null
/usr/bin/time -v "$BENCH" "$TMP/replica100.parquet" "$CB" 1 2>&1 | grep -E "load |Maximum resident|Elapsed"
/usr/bin/time -v python3 bench/survey/peer_pandas.py "$TMP/replica100.parquet" 1 2>&1 | grep -E "pandas|Maximum resident|Elapsed"
