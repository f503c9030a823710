//! `egov simulate`: the synthetic replica generator.

use anyhow::Context;
use clap::Args;
use egov_analysis::output::{self, OutputFile};
use egov_survey::replica::{
    REPLICA_N, REPLICA_SEED, ReplicaConfig, Routing, codebook_toml, generate,
};
use std::path::{Path, PathBuf};
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
    // Every output is checked and staged before the sample is drawn; all appear together.
    let mut outputs: Vec<(&str, &Path)> = vec![("--out", &args.out)];
    if let Some(path) = &args.codebook_out {
        outputs.push(("--codebook-out", path));
    }
    if let Some(path) = &args.parameters_out {
        outputs.push(("--parameters-out", path));
    }
    let files = OutputFile::prepare_all(&outputs, &[])?;
    let sample = generate(&config);
    sample
        .write(files[0].path())
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    for (file, (flag, _)) in files.iter().zip(&outputs).skip(1) {
        let text = match *flag {
            "--codebook-out" => codebook_toml().to_string(),
            _ => format!("{}\n", sample.true_parameters_json()),
        };
        std::fs::write(file.path(), text)
            .with_context(|| format!("cannot write {}", file.target().display()))?;
    }
    output::commit_files(files)?;
    eprintln!(
        "wrote {} SYNTHETIC respondents (seed {}) to {}",
        sample.rows.len(),
        args.seed,
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
