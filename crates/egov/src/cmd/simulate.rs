//! `egov simulate`: the synthetic replica generator.

use crate::common::{make_readable, write_atomically};
use anyhow::Context;
use clap::Args;
use egov_survey::replica::{
    REPLICA_N, REPLICA_SEED, ReplicaConfig, Routing, codebook_toml, generate,
};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `egov simulate`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  egov simulate --out replica.parquet                 the 56,649-adult replica (seed 2021)\n  egov simulate --n 5000 --seed 7 --out small.csv\n  egov simulate --routing coded-no --out routed.parquet --codebook-out codebook.toml\n\nThe same seed and settings always give the same bytes. Output is SYNTHETIC data."
)]
pub struct SimulateArgs {
    /// Number of adults.
    #[arg(long, default_value_t = REPLICA_N)]
    pub n: usize,
    /// Random seed.
    #[arg(long, default_value_t = REPLICA_SEED)]
    pub seed: u64,
    /// Output file (.parquet or .csv).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Item routing for non-users of the Internet: asked-all or coded-no.
    #[arg(long, default_value = "asked-all")]
    pub routing: String,
    /// Share of item responses that are missing (code 9).
    #[arg(long, default_value_t = 0.02)]
    pub item_missing: f64,
    /// Also write the matching codebook here.
    #[arg(long, value_name = "FILE")]
    pub codebook_out: Option<PathBuf>,
    /// Also write the generating parameters (JSON) here.
    #[arg(long, value_name = "FILE")]
    pub parameters_out: Option<PathBuf>,
}

/// Runs `egov simulate`.
pub fn run(args: &SimulateArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.n > 0, "--n must be at least 1");
    anyhow::ensure!(
        (0.0..1.0).contains(&args.item_missing),
        "--item-missing must be in [0, 1), got {}",
        args.item_missing
    );
    let routing: Routing = args.routing.parse().map_err(anyhow::Error::msg)?;
    let config = ReplicaConfig {
        n: args.n,
        seed: args.seed,
        routing,
        item_missing_rate: args.item_missing,
        ..Default::default()
    };
    let sample = generate(&config);
    let ext_ok = matches!(
        args.out
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("parquet" | "csv")
    );
    anyhow::ensure!(
        ext_ok,
        "--out must end in .parquet or .csv: {}",
        args.out.display()
    );
    // Write beside the target, then rename: the writer needs a path with the right extension.
    let tmp_dir = args
        .out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    let tmp = tempfile::Builder::new()
        .prefix(".egov-simulate-")
        .suffix(&format!(
            ".{}",
            args.out
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("parquet")
        ))
        .tempfile_in(&tmp_dir)
        .with_context(|| format!("cannot create a temporary file in {}", tmp_dir.display()))?;
    sample.write(tmp.path())?;
    tmp.persist(&args.out)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    make_readable(&args.out);
    if let Some(path) = &args.codebook_out {
        write_atomically(path, codebook_toml().as_bytes())?;
    }
    if let Some(path) = &args.parameters_out {
        write_atomically(
            path,
            format!("{}\n", sample.true_parameters_json()).as_bytes(),
        )?;
    }
    eprintln!(
        "wrote {} SYNTHETIC respondents (seed {}) to {}",
        sample.rows.len(),
        args.seed,
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
