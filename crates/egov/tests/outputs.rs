//! A run never destroys anything it did not create: `--force` replaces only folders egov wrote,
//! never an input, the working directory or its ancestors; bad output paths are refused before
//! any work; two runs into one folder cannot both go on; a failed or interrupted run leaves
//! nothing behind; the same inputs give the same bytes.
//!
//! The runs use a small simulated sample (5,000 adults) with the inference stage off, so that
//! each takes well under a second in the dev profile.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn egov() -> Command {
    Command::new(env!("CARGO_BIN_EXE_egov"))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The only `error:` line of a failed run (one story per failure), with its exit status 1.
fn refusal(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(1), "{}", stderr(o));
    let text = stderr(o);
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{text}");
    errors[0].trim_start_matches("error: ").to_string()
}

/// A simulated sample and its codebook, made once: (data, codebook).
fn sample() -> &'static (PathBuf, PathBuf) {
    static SAMPLE: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
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
        (data, codebook)
    })
}

/// An analysis configuration in `dir` on the small sample, without inference; `extra` is appended.
fn config_in(dir: &Path, extra: &str) -> PathBuf {
    let (data, codebook) = sample();
    let path = dir.join("analysis.toml");
    std::fs::write(
        &path,
        format!(
            "[data]\nfile = {:?}\ncodebook = {:?}\n[inference]\nmethods = []\n{extra}",
            data.display().to_string(),
            codebook.display().to_string()
        ),
    )
    .unwrap();
    path
}

/// A configuration whose run takes a few seconds (the two-step bootstrap), so that a test can
/// act while it runs.
fn slow_config_in(dir: &Path) -> PathBuf {
    let (data, codebook) = sample();
    let path = dir.join("slow.toml");
    std::fs::write(
        &path,
        format!(
            "[data]\nfile = {:?}\ncodebook = {:?}\n[inference]\nmethods = [\"bootstrap\"]\nreplicates = 999\n",
            data.display().to_string(),
            codebook.display().to_string()
        ),
    )
    .unwrap();
    path
}

/// A data file that passes the output checks but fails to load (an age of 999).
fn broken_data(dir: &Path) -> PathBuf {
    let (data, _) = sample();
    let text = std::fs::read_to_string(data).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut fields: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    fields[8] = "999".into();
    lines[1] = fields.join(",");
    let path = dir.join("broken.csv");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

/// Every file under `dir` with its bytes (hidden ones included).
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
    walk(dir, dir, &mut out);
    out
}

/// Names in `dir` that a run leaves only while it works.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".egov-"))
        .collect()
}

fn charts(data: &Path, codebook: &Path, out: &Path, force: bool) -> Output {
    let mut c = egov();
    c.arg("charts")
        .arg(data)
        .arg("--codebook")
        .arg(codebook)
        .args(["--format", "svg", "--out"])
        .arg(out);
    if force {
        c.arg("--force");
    }
    c.output().unwrap()
}

#[test]
fn force_never_replaces_a_folder_holding_an_input() {
    let (data, codebook) = sample();
    let data_dir = data.parent().unwrap();
    let before = snapshot(data_dir);
    let o = charts(data, codebook, data_dir, true);
    assert_eq!(
        refusal(&o),
        format!(
            "--out {} contains the data file of this run ({}); egov never replaces a folder that holds an input: choose another --out",
            data_dir.display(),
            data.display()
        )
    );
    // The folder of the configuration file, with the data elsewhere.
    let dir = tempfile::tempdir().unwrap();
    let config = config_in(dir.path(), "");
    let o = egov()
        .arg("reproduce")
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(dir.path())
        .arg("--force")
        .output()
        .unwrap();
    assert_eq!(
        refusal(&o),
        format!(
            "--out {} contains the configuration of this run ({}); egov never replaces a folder that holds an input: choose another --out",
            dir.path().display(),
            config.display()
        )
    );
    assert!(config.is_file());
    // The data file itself, for a folder and for a file output.
    let o = charts(data, codebook, data, true);
    assert_eq!(
        refusal(&o),
        format!(
            "--out {} is the data file of this run ({}); choose another --out",
            data.display(),
            data.display()
        )
    );
    let o = egov()
        .args(["dsi", "score"])
        .arg(data)
        .arg("--codebook")
        .arg(codebook)
        .arg("--out")
        .arg(data)
        .output()
        .unwrap();
    assert_eq!(
        refusal(&o),
        format!(
            "--out {} is the data file of this run ({}); choose another --out",
            data.display(),
            data.display()
        )
    );
    let params = dir.path().join("fit.csv");
    std::fs::write(&params, "{}").unwrap();
    let o = egov()
        .args(["dsi", "score", "--params"])
        .arg(&params)
        .arg("--out")
        .arg(&params)
        .output()
        .unwrap();
    assert_eq!(
        refusal(&o),
        format!(
            "--out {} is the --params file of this run ({}); choose another --out",
            params.display(),
            params.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&params).unwrap(), "{}");
    assert_eq!(snapshot(data_dir), before, "the inputs are untouched");
}

#[test]
fn force_never_replaces_the_working_directory_or_its_ancestors() {
    let (data, codebook) = sample();
    let root = tempfile::tempdir().unwrap();
    let work = root.path().join("work");
    std::fs::create_dir(&work).unwrap();
    std::fs::write(work.join("mine.txt"), "mine").unwrap();
    let cwd = work.canonicalize().unwrap();
    for (out, expected) in [
        (
            PathBuf::from("."),
            "--out . is the working directory; egov never replaces the folder you work in: choose a new folder, e.g. --out results".to_string(),
        ),
        (
            cwd.clone(),
            format!("--out {} is the working directory; egov never replaces the folder you work in: choose a new folder, e.g. --out results", cwd.display()),
        ),
        (
            PathBuf::from(".."),
            format!("--out .. contains the working directory ({}); egov never replaces it: choose a new folder, e.g. --out results", cwd.display()),
        ),
    ] {
        let o = egov()
            .current_dir(&work)
            .arg("charts")
            .arg(data)
            .arg("--codebook")
            .arg(codebook)
            .arg("--out")
            .arg(&out)
            .arg("--force")
            .output()
            .unwrap();
        assert_eq!(refusal(&o), expected);
    }
    assert_eq!(
        std::fs::read_to_string(work.join("mine.txt")).unwrap(),
        "mine"
    );
    assert!(leftovers(root.path()).is_empty() && leftovers(&work).is_empty());
}

#[test]
fn force_replaces_only_a_folder_egov_wrote_and_nothing_added_to_it() {
    let (data, codebook) = sample();
    let root = tempfile::tempdir().unwrap();
    let theirs = root.path().join("theirs");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::write(theirs.join("thesis.tex"), "years of work").unwrap();
    let o = charts(data, codebook, &theirs, false);
    assert_eq!(
        refusal(&o),
        format!(
            "the output folder {} is not empty; choose another --out, or pass --force to replace it (only a folder egov wrote can be replaced)",
            theirs.display()
        )
    );
    let o = charts(data, codebook, &theirs, true);
    assert_eq!(
        refusal(&o),
        format!(
            "--out {} is not a folder egov wrote (it has no .egov-output file), so --force does not replace it; choose another --out, or empty or remove the folder yourself",
            theirs.display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(theirs.join("thesis.tex")).unwrap(),
        "years of work"
    );

    let ours = root.path().join("ours");
    let o = charts(data, codebook, &ours, false);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = charts(data, codebook, &ours, true);
    assert!(
        o.status.success(),
        "an egov folder is replaced: {}",
        stderr(&o)
    );
    // A read-only folder inside would stop the removal of the old folder halfway.
    use std::os::unix::fs::PermissionsExt;
    let figures_mode = std::fs::metadata(&ours).unwrap().permissions();
    std::fs::set_permissions(&ours, std::fs::Permissions::from_mode(0o555)).unwrap();
    let o = charts(data, codebook, &ours, true);
    std::fs::set_permissions(&ours, figures_mode).unwrap();
    assert_eq!(
        refusal(&o),
        format!(
            "--out {} cannot be replaced: it is read-only; make it writable (chmod u+w) or choose another --out",
            ours.display()
        )
    );
    std::fs::create_dir(ours.join("notes")).unwrap();
    std::fs::write(ours.join("notes/todo.md"), "mine").unwrap();
    let before = snapshot(&ours);
    let o = charts(data, codebook, &ours, true);
    assert_eq!(
        refusal(&o),
        format!(
            "--out {} holds 1 file(s) egov did not write (notes/todo.md), so --force does not replace it; move them elsewhere or choose another --out",
            ours.display()
        )
    );
    assert_eq!(snapshot(&ours), before);
    assert!(leftovers(root.path()).is_empty());
}

#[test]
fn two_outputs_of_one_run_may_not_share_a_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.csv");
    let o = egov()
        .args(["simulate", "--n", "50", "--out"])
        .arg(&out)
        .arg("--codebook-out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        refusal(&o),
        format!(
            "--codebook-out {} is the same file as --out {}; give each output its own path",
            out.display(),
            out.display()
        )
    );
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

#[test]
fn bad_output_paths_are_refused_before_any_work() {
    let (data, codebook) = sample();
    let root = tempfile::tempdir().unwrap();
    let real = root.path().join("real");
    std::fs::create_dir(&real).unwrap();
    let link = root.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let dangling = root.path().join("dangling");
    std::os::unix::fs::symlink(root.path().join("gone"), &dangling).unwrap();
    let file = root.path().join("file.txt");
    std::fs::write(&file, "x").unwrap();
    let real_canonical = real.canonicalize().unwrap();
    let file_canonical = file.canonicalize().unwrap();
    let cases = [
        (
            link.clone(),
            format!(
                "--out {} is a symbolic link to {}; egov does not write through links: pass the real path ({}) or choose another --out",
                link.display(),
                real.display(),
                real_canonical.display()
            ),
        ),
        (
            PathBuf::from(format!("{}/", link.display())),
            format!(
                "--out {}/ is a symbolic link to {}; egov does not write through links: pass the real path ({}) or choose another --out",
                link.display(),
                real.display(),
                real_canonical.display()
            ),
        ),
        (
            dangling.clone(),
            format!(
                "--out {} is a symbolic link to {}, which does not exist; egov does not write through links: remove the link or choose another --out",
                dangling.display(),
                root.path().join("gone").display()
            ),
        ),
        (
            file.join("figures"),
            format!(
                "cannot create --out {}: {} is a file, not a folder; choose another --out",
                file.join("figures").display(),
                file_canonical.display()
            ),
        ),
        (
            file.clone(),
            format!(
                "--out {} is a file, not a folder; choose a folder for --out",
                file.display()
            ),
        ),
    ];
    for (out, expected) in cases {
        let start = Instant::now();
        let o = charts(data, codebook, &out, true);
        assert_eq!(refusal(&o), expected);
        // Refused before the data are even read (a run takes far longer).
        assert!(!stderr(&o).contains("note:"), "{}", stderr(&o));
        assert!(start.elapsed() < Duration::from_secs(5));
    }
    // An unwritable folder: a read-only one, or (for root, who may write anywhere) /sys.
    let locked = root.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    let parent = if std::fs::write(locked.join("probe"), "").is_ok() {
        PathBuf::from("/sys")
    } else {
        locked.clone()
    };
    let out = parent.join("figures");
    let o = charts(data, codebook, &out, false);
    assert_eq!(
        refusal(&o),
        format!(
            "cannot write --out {}: the folder {} is not writable (permission denied); choose a --out in a folder you can write to",
            out.display(),
            parent.display()
        )
    );
    // The same rules for a single output file.
    let o = egov()
        .args(["simulate", "--n", "50", "--out"])
        .arg(&dangling)
        .output()
        .unwrap();
    assert_eq!(
        refusal(&o),
        format!("--out must end in .parquet or .csv: {}", dangling.display())
    );
    let dangling_csv = root.path().join("dangling.csv");
    std::os::unix::fs::symlink(root.path().join("gone.csv"), &dangling_csv).unwrap();
    let o = egov()
        .args(["simulate", "--n", "50", "--out"])
        .arg(&dangling_csv)
        .output()
        .unwrap();
    assert_eq!(
        refusal(&o),
        format!(
            "--out {} is a symbolic link to {}, which does not exist; egov does not write through links: remove the link or choose another --out",
            dangling_csv.display(),
            root.path().join("gone.csv").display()
        )
    );
    let o = egov()
        .args(["simulate", "--n", "50", "--out"])
        .arg(parent.join("s.csv"))
        .output()
        .unwrap();
    assert_eq!(
        refusal(&o),
        format!(
            "cannot write --out {}: the folder {} is not writable (permission denied); choose a --out in a folder you can write to",
            parent.join("s.csv").display(),
            parent.display()
        )
    );
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(leftovers(root.path()).is_empty());
    assert!(!locked.join("figures").exists());
}

/// Waits until a staging folder appears in `dir`.
fn wait_for_staging(dir: &Path) {
    let start = Instant::now();
    while !std::fs::read_dir(dir).is_ok_and(|d| {
        d.filter_map(Result::ok).any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".egov-staging-")
        })
    }) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no staging folder appeared"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn spawn_reproduce(config: &Path, out: &Path, force: bool) -> std::process::Child {
    let mut c = egov();
    c.arg("reproduce")
        .arg("--config")
        .arg(config)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if force {
        c.arg("--force");
    }
    c.spawn().unwrap()
}

#[test]
fn of_two_runs_into_one_folder_exactly_one_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let config = slow_config_in(dir.path());
    let out = dir.path().join("out");
    for force in [false, true] {
        let first = spawn_reproduce(&config, &out, force);
        wait_for_staging(dir.path());
        let second = spawn_reproduce(&config, &out, force)
            .wait_with_output()
            .unwrap();
        assert_eq!(
            refusal(&second),
            format!(
                "another egov run (process {}) is writing --out {} now; wait for it to finish or choose another --out",
                first.id(),
                out.display()
            )
        );
        let first = first.wait_with_output().unwrap();
        assert!(first.status.success(), "{}", stderr(&first));
        assert!(out.join("report.md").is_file());
        assert!(leftovers(dir.path()).is_empty());
    }
}

#[test]
fn an_interrupted_run_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let config = slow_config_in(dir.path());
    for (signal, code, name) in [("INT", 130, "SIGINT"), ("TERM", 143, "SIGTERM")] {
        // Into new folders, which go too; then over an egov folder, which stays as it was.
        let out = dir.path().join("new/deeper/out");
        let child = spawn_reproduce(&config, &out, false);
        wait_for_staging(&dir.path().join("new/deeper"));
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(status.success());
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(code), "{}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!(
                "interrupted by {name}; the unfinished output was removed and nothing was written"
            )),
            "{}",
            stderr(&o)
        );
        assert!(!dir.path().join("new").exists(), "created folders stay");
        assert!(leftovers(dir.path()).is_empty());
    }
    let out = dir.path().join("kept");
    let o = spawn_reproduce(&config_in(dir.path(), ""), &out, false)
        .wait_with_output()
        .unwrap();
    assert!(o.status.success());
    let before = snapshot(&out);
    let child = spawn_reproduce(&config, &out, true);
    wait_for_staging(dir.path());
    Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130));
    assert_eq!(snapshot(&out), before);
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn a_failed_run_leaves_nothing_behind() {
    let (_, codebook) = sample();
    let dir = tempfile::tempdir().unwrap();
    let broken = broken_data(dir.path());
    // A folder output into new folders.
    let out = dir.path().join("a/b/figures");
    let o = charts(&broken, codebook, &out, false);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!dir.path().join("a").exists());
    // A single file output into new folders.
    let out = dir.path().join("c/d/scores.csv");
    let o = egov()
        .args(["dsi", "score"])
        .arg(&broken)
        .arg("--codebook")
        .arg(codebook)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!dir.path().join("c").exists());
    assert!(leftovers(dir.path()).is_empty());
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["broken.csv"]);
}

#[test]
fn the_summary_names_the_report_only_when_one_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_in(
        dir.path(),
        "[charts]\ninclude = [\"none\"]\n[output]\nreport = [\"markdown\"]\n",
    );
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
    let text = stderr(&o);
    assert!(!text.contains("report.html"), "{text}");
    assert!(
        text.contains(&format!("; open {}\n", out.join("report.md").display())),
        "{text}"
    );
    assert!(text.contains("timings: load "), "{text}");
    assert!(!out.join("report.html").exists());
}

#[test]
fn reports_and_manifests_name_paths_relative_to_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_in(dir.path(), "");
    let out = dir.path().join("out");
    let o = spawn_reproduce(&config, &out, false)
        .wait_with_output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let absolute_out = out.canonicalize().unwrap().display().to_string();
    for (name, bytes) in snapshot(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(".egov-staging") && !text.contains(&absolute_out),
            "{name} names a temporary or absolute output path"
        );
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["configuration_file"], "../analysis.toml");
    assert!(manifest.get("timings_ms").is_none());
}

#[test]
fn an_interrupted_simulate_leaves_the_old_files_and_no_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.parquet");
    std::fs::write(&out, "the previous sample").unwrap();
    let codebook = dir.path().join("new/cb.toml");
    // A million adults take seconds to draw; the outputs are staged before the first draw.
    let child = egov()
        .args(["simulate", "--n", "1000000", "--out"])
        .arg(&out)
        .arg("--codebook-out")
        .arg(&codebook)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_staging(&dir.path().join("new"));
    Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(143), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "the previous sample"
    );
    assert!(!dir.path().join("new").exists());
    assert!(leftovers(dir.path()).is_empty());
}
