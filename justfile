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
