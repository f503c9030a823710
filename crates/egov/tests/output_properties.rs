//! Properties of egov's outputs, over generated cases: a failed run leaves the target folder and
//! its parent exactly as they were; the same inputs and seed give the same bytes.
//!
//! Few cases, on a small simulated sample: each case runs the binary.

#![cfg(unix)]

use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn egov() -> Command {
    Command::new(env!("CARGO_BIN_EXE_egov"))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A simulated sample, its codebook and a copy that fails validation (an age of 999).
struct Sample {
    data: PathBuf,
    codebook: PathBuf,
    broken: PathBuf,
}

fn sample() -> &'static Sample {
    static SAMPLE: OnceLock<Sample> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let data = dir.join("sample.csv");
        let codebook = dir.join("codebook.toml");
        let o = egov()
            .args(["simulate", "--n", "5000", "--seed", "7", "--out"])
            .arg(&data)
            .arg("--codebook-out")
            .arg(&codebook)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let text = std::fs::read_to_string(&data).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut fields: Vec<String> = lines[1].split(',').map(str::to_string).collect();
        fields[8] = "999".into();
        lines[1] = fields.join(",");
        let broken = dir.join("broken.csv");
        std::fs::write(&broken, lines.join("\n") + "\n").unwrap();
        Sample {
            data,
            codebook,
            broken,
        }
    })
}

/// Every entry under `dir` with its bytes; folders end in `/`.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap().display().to_string();
            if e.file_type().unwrap().is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(root, &p, out);
            } else {
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out
}

/// What is in the output folder before the run.
#[derive(Debug, Clone)]
enum Existing {
    /// Nothing: the folder and `depth` parents are new.
    Nothing { depth: usize },
    /// Files (name, bytes), some in a subfolder; `marked`: listed in an egov marker.
    Files {
        files: Vec<(String, Vec<u8>, bool)>,
        marked: bool,
    },
}

fn existing() -> impl Strategy<Value = Existing> {
    prop_oneof![
        (0usize..3).prop_map(|depth| Existing::Nothing { depth }),
        (
            prop::collection::vec(
                (
                    "[a-z]{1,6}\\.(txt|csv|svg)",
                    prop::collection::vec(any::<u8>(), 0..24),
                    any::<bool>()
                ),
                0..4
            ),
            any::<bool>()
        )
            .prop_map(|(files, marked)| Existing::Files { files, marked }),
    ]
}

/// The failing command.
#[derive(Debug, Clone, Copy)]
enum Run {
    Charts,
    Reproduce,
    DsiScore,
}

fn run_failing(run: Run, root: &Path, out: &Path, force: bool) -> Output {
    let s = sample();
    let mut c = egov();
    match run {
        Run::Charts => {
            c.arg("charts")
                .arg(&s.broken)
                .arg("--codebook")
                .arg(&s.codebook)
                .arg("--out")
                .arg(out);
        }
        Run::Reproduce => {
            let config = root.join("broken.toml");
            std::fs::write(
                &config,
                format!(
                    "[data]\nfile = {:?}\ncodebook = {:?}\n[inference]\nmethods = []\n",
                    s.broken.display().to_string(),
                    s.codebook.display().to_string()
                ),
            )
            .unwrap();
            c.arg("reproduce")
                .arg("--config")
                .arg(&config)
                .arg("--out")
                .arg(out);
        }
        Run::DsiScore => {
            c.args(["dsi", "score"])
                .arg(&s.broken)
                .arg("--codebook")
                .arg(&s.codebook)
                .arg("--out")
                .arg(out.join("scores.csv"));
        }
    }
    if force && !matches!(run, Run::DsiScore) {
        c.arg("--force");
    }
    c.output().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_failed_run_leaves_the_folder_as_it_was(
        existing in existing(),
        run in prop_oneof![Just(Run::Charts), Just(Run::Reproduce), Just(Run::DsiScore)],
        force in any::<bool>(),
    ) {
        let root = tempfile::tempdir().unwrap();
        let parent = root.path().join("work");
        std::fs::create_dir(&parent).unwrap();
        let out = match &existing {
            Existing::Nothing { depth } => {
                let mut out = parent.clone();
                for i in 0..*depth {
                    out.push(format!("new{i}"));
                }
                out.join("out")
            }
            Existing::Files { files, marked } => {
                let out = parent.join("out");
                std::fs::create_dir(&out).unwrap();
                let mut listed = String::new();
                for (name, bytes, nested) in files {
                    let rel = if *nested { format!("sub/{name}") } else { name.clone() };
                    std::fs::create_dir_all(out.join(&rel).parent().unwrap()).unwrap();
                    std::fs::write(out.join(&rel), bytes).unwrap();
                    listed.push_str(&rel);
                    listed.push('\n');
                }
                if *marked {
                    std::fs::write(out.join(".egov-output"), listed).unwrap();
                }
                out
            }
        };
        let before = snapshot(&parent);
        let o = run_failing(run, root.path(), &out, force);
        prop_assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        prop_assert!(stderr(&o).lines().filter(|l| l.starts_with("error:")).count() == 1);
        prop_assert_eq!(snapshot(&parent), before);
    }

    #[test]
    fn the_same_seed_gives_the_same_bytes(
        n in 20usize..400,
        seed in any::<u64>(),
        parquet in any::<bool>(),
    ) {
        let ext = if parquet { "parquet" } else { "csv" };
        let runs: Vec<BTreeMap<String, Vec<u8>>> = (0..2)
            .map(|i| {
                let dir = tempfile::tempdir().unwrap();
                let o = egov()
                    .args(["simulate", "--n", &n.to_string(), "--seed", &seed.to_string(), "--out"])
                    .arg(dir.path().join(format!("run{i}/s.{ext}")))
                    .arg("--codebook-out")
                    .arg(dir.path().join(format!("run{i}/cb.toml")))
                    .arg("--parameters-out")
                    .arg(dir.path().join(format!("run{i}/p.json")))
                    .output()
                    .unwrap();
                assert!(o.status.success(), "{}", stderr(&o));
                snapshot(&dir.path().join(format!("run{i}")))
            })
            .collect();
        prop_assert_eq!(runs[0].len(), 3);
        prop_assert_eq!(&runs[0], &runs[1]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3, failure_persistence: None, ..ProptestConfig::default() })]

    /// The whole report folder, report.md, report.html and manifest.json included, is the same
    /// for the same inputs and seed; only timings.json differs.
    #[test]
    fn the_same_inputs_and_seed_give_the_same_report(seed in 0u64..1_000_000, draws in 2usize..4) {
        let s = sample();
        let runs: Vec<BTreeMap<String, Vec<u8>>> = (0..2)
            .map(|_| {
                let dir = tempfile::tempdir().unwrap();
                let config = dir.path().join("analysis.toml");
                std::fs::write(
                    &config,
                    format!(
                        "[data]\nfile = {:?}\ncodebook = {:?}\n[inference]\nmethods = [\"pv\"]\ndraws = {draws}\nseed = {seed}\n[charts]\ninclude = [\"uptake_by_region\", \"item_curves\"]\n",
                        s.data.display().to_string(),
                        s.codebook.display().to_string()
                    ),
                )
                .unwrap();
                let out = dir.path().join("out");
                let o = egov()
                    .arg("reproduce")
                    .arg("--config")
                    .arg(&config)
                    .arg("--out")
                    .arg(&out)
                    .output()
                    .unwrap();
                assert!(o.status.success(), "{}", stderr(&o));
                let mut files = snapshot(&out);
                assert!(files.remove("timings.json").is_some());
                files
            })
            .collect();
        for name in ["report.md", "report.html", "manifest.json", "tables/inference.json"] {
            prop_assert!(runs[0].contains_key(name), "{} missing", name);
        }
        let differing: Vec<&String> = runs[0]
            .iter()
            .filter(|(k, v)| runs[1].get(*k) != Some(v))
            .map(|(k, _)| k)
            .collect();
        prop_assert!(differing.is_empty(), "differ: {:?}", differing);
        prop_assert_eq!(runs[0].len(), runs[1].len());
    }
}
