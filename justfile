# Tasks for egov. `just --list` shows them all.
# Most recipes are thin wrappers: every command works without `just` too.

set shell := ["bash", "-euo", "pipefail", "-c"]

# Run the whole reproduction on the bundled synthetic replica (the README's first command).
run *ARGS:
    cargo run -p egov -- reproduce {{ARGS}}

# The whole test suite (the README's second command; CI runs exactly this).
test:
    cargo test --workspace

# What CI runs: formatting, lints, tests, examples, notebooks.
ci:
    .ci/run

fmt:
    cargo fmt --all

lint:
    cargo clippy --workspace --all-targets -- -D warnings

# API docs, with every example compiled and run as a doctest.
doc:
    cargo test --workspace --doc
    cargo doc --workspace --no-deps

# Rebuild egov, regenerate the notebooks from notebooks/src/ and execute them in place (outputs are never edited by hand).
notebooks:
    cargo build -p egov
    python3 notebooks/build_notebooks.py
    for notebook in notebooks/*.ipynb; do EGOV_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/egov" python3 -m jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=900 --ExecutePreprocessor.record_timing=False "$notebook"; done

# Every benchmark in one run, with peer tools (Python, R) timed beside egov; `just bench --quick` for a short run.
bench *ARGS:
    bash bench/run_all.sh {{ARGS}}

# Monte Carlo coverage study of naive, bootstrap and plausible-value inference (small by default;
# positional: datasets replicates persons draws [json-path], e.g. `just montecarlo 500 499 5000 10`).
montecarlo *ARGS:
    cargo run --release -p egov-twostep --example montecarlo -- {{ARGS}}
