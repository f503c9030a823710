#!/usr/bin/env bash
# Every benchmark in one go, on the same machine state, then a summary table of medians and ratios.
#
#   bash bench/run_all.sh            # (a) egov reproduce, (b) the Python pipeline, (c) criterion
#                                    # benches of the light crates, (d) the crates' peer scripts
#   bash bench/run_all.sh --quick    # (a) and (b) only, few runs
#
# (a) hyperfine on `$EGOV_BIN reproduce --force --out /tmp/egov-bench-out`. EGOV_BIN defaults to
#     $CARGO_TARGET_DIR/release/egov if it exists, else $CARGO_TARGET_DIR/debug/egov
#     (CARGO_TARGET_DIR defaults to target). The profile measured is printed: a dev build runs
#     polars unoptimised, so its figure is not the release figure.
# (b) hyperfine on bench/pipeline/reproduce.py (pandas + girth + statsmodels + matplotlib), then on
#     bench/pipeline/reproduce.R (base R + sandwich + survey) when R has those packages.
# (c) cargo bench for each of egov-irt, egov-econ, egov-charts, egov-twostep that has benches
#     (release builds of crates without polars); TWOSTEP_BENCH_REPLICATES defaults to 99 here.
# (d) bench/irt/run.sh (egov-irt vs girth) and the peers of bench/econ (statsmodels, pyfixest,
#     R estimatr/sandwich) on the CSV the econ bench wrote.
# Results go to $BENCH_RESULTS (default /tmp/egov-bench-results/<time>); the summary is printed
# and kept as summary.md there. Run from anywhere; it works from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
for arg in "$@"; do
    case "$arg" in
        --quick) quick=1 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "unknown option $arg (use --quick or --help)" >&2; exit 2 ;;
    esac
done

target=${CARGO_TARGET_DIR:-target}
if [ -z "${EGOV_BIN:-}" ]; then
    if [ -x "$target/release/egov" ]; then EGOV_BIN=$target/release/egov; else EGOV_BIN=$target/debug/egov; fi
fi
case "$EGOV_BIN" in
    */release/*) profile=release ;;
    */debug/*) profile="dev (polars unoptimised)" ;;
    *) profile=unknown ;;
esac
if [ "$quick" = 1 ]; then
    egov_runs=${EGOV_RUNS:-3}; py_runs=${PY_RUNS:-2}
else
    egov_runs=${EGOV_RUNS:-10}; py_runs=${PY_RUNS:-3}
fi
res=${BENCH_RESULTS:-/tmp/egov-bench-results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$res"
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
econ_csv=${EGOV_ECON_BENCH_CSV:-/tmp/egov-econ-bench-56649.csv}
export EGOV_ECON_BENCH_CSV=$econ_csv TWOSTEP_BENCH_REPLICATES=${TWOSTEP_BENCH_REPLICATES:-99}

load() { cut -d' ' -f1-3 /proc/loadavg; }
cores=$(getconf _NPROCESSORS_ONLN)
touch "$res/started"
load_before=$(load)
echo "results: $res"
echo "load average before: $load_before (cores $cores)"
echo "egov binary: $EGOV_BIN — profile measured: $profile"

# (a) egov reproduce
if [ -x "$EGOV_BIN" ] && "$EGOV_BIN" reproduce --help >/dev/null 2>&1; then
    hyperfine --warmup 1 --runs "$egov_runs" --export-json "$res/egov.json" \
        -n "egov reproduce [$profile]" "$EGOV_BIN reproduce --force --out /tmp/egov-bench-out"
    cp /tmp/egov-bench-out/manifest.json "$res/" 2>/dev/null || true
    cp /tmp/egov-bench-out/timings.json "$res/" 2>/dev/null || true
else
    echo "skipping (a): $EGOV_BIN is missing or has no 'reproduce' command; build it with" \
         "'cargo build -p egov' or set EGOV_BIN" >&2
fi

# (b) the Python pipeline
hyperfine --runs "$py_runs" --export-json "$res/python.json" -n "python reproduce.py" \
    "python3 bench/pipeline/reproduce.py --quiet --out /tmp/egov-py-bench-out"
cp /tmp/egov-py-bench-out/key_numbers.json "$res/"
# (b') the R pipeline, when R has sandwich, survey and RcppTOML (it reads a CSV copy: no Parquet
# reader is installed for R; the conversion is not timed).
r_dir=""
if command -v Rscript >/dev/null && Rscript -e 'for (p in c("sandwich", "survey", "RcppTOML")) stopifnot(requireNamespace(p, quietly = TRUE))' >/dev/null 2>&1; then
    python3 -c "import pandas as pd; pd.read_parquet('fixtures/replica/kz_ict2021_SYNTHETIC_replica.parquet').to_csv('/tmp/egov-replica.csv', index=False)"
    hyperfine --runs "${R_RUNS:-2}" --export-json "$res/r.json" -n "Rscript reproduce.R" \
        "Rscript bench/pipeline/reproduce.R /tmp/egov-replica.csv /tmp/egov-r-bench-out 2>/dev/null"
    cp /tmp/egov-r-bench-out/key_numbers.json "$res/r_key_numbers.json"
    r_dir=/tmp/egov-r-bench-out
else
    echo "skipping the R pipeline: Rscript with sandwich, survey and RcppTOML not found" >&2
fi
if [ -f /tmp/egov-bench-out/tables/lpm.json ]; then
    python3 bench/pipeline/compare.py /tmp/egov-bench-out /tmp/egov-py-bench-out $r_dir | tee "$res/compare.txt"
fi

if [ "$quick" = 0 ]; then
    # (c) criterion benches of the light crates (short measurement windows).
    for crate in irt econ charts twostep; do
        if compgen -G "crates/$crate/benches/*.rs" >/dev/null; then
            # One --bench per file: the criterion flags would be refused by the lib's test harness.
            for file in crates/$crate/benches/*.rs; do
                bench=$(basename "$file" .rs)
                echo "== cargo bench -p egov-$crate --bench $bench"
                cargo bench -p "egov-$crate" --bench "$bench" -- --warm-up-time 1 --measurement-time 3 \
                    2>&1 | grep -E "time:|^[a-z_0-9/]+ *$|^rows=|[Ee]rror" | tee -a "$res/bench-$crate.log" || true
            done
        else
            echo "== egov-$crate has no criterion benches"
        fi
    done
    # (d) the crate owners' peer scripts.
    echo "== bench/irt/run.sh (egov-irt vs girth)"
    bash bench/irt/run.sh 3 2>&1 | tee "$res/irt.log" || true
    echo "== bench/econ peers (statsmodels, pyfixest, R) on $econ_csv"
    if [ -f "$econ_csv" ]; then
        { python3 bench/econ/peers.py "$econ_csv" 7
          if command -v Rscript >/dev/null; then Rscript bench/econ/peers.R "$econ_csv" 7; fi
        } 2>&1 | tee "$res/econ.log" || true
    else
        echo "no $econ_csv (the econ bench writes it); skipped" >&2
    fi
fi

load_after=$(load)
python3 - "$res" "$EGOV_BIN" "$profile" "$load_before" "$load_after" <<'EOF'
import json, subprocess, sys, datetime
res, binary, profile, before, after = sys.argv[1:6]
rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
json.dump({"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
           "egov_bin": binary, "profile": profile, "load_before": before, "load_after": after,
           "git": rev}, open(f"{res}/meta.json", "w"), indent=2)
EOF
python3 bench/pipeline/summarise.py "$res" "$target/criterion" | tee "$res/summary.md"
