//! End-to-end tests of the `egov` binary (one test binary; modules per command).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn egov(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_egov"))
        .args(args)
        .output()
        .expect("run egov")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(rel: &str) -> String {
    root().join("fixtures").join(rel).display().to_string()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

mod check {
    use super::*;

    #[test]
    fn bundled_replica_has_no_errors() {
        let out = egov(&["check", "--format", "json"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(text(&out.stderr).contains("SYNTHETIC"));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["rows"], 56_649);
        assert_eq!(json["errors"].as_array().unwrap().len(), 0);
        assert!(json["warnings"].is_array());
        assert_eq!(json["synthetic"], true);
        assert!(
            json["file"]
                .as_str()
                .unwrap()
                .ends_with("kz_ict2021_SYNTHETIC_replica.parquet")
        );
        let summary = json["summary"].as_array().unwrap();
        assert!(summary.iter().any(|v| v["variable"] == "region"));
    }

    #[test]
    fn text_report_summarises_every_variable() {
        let out = egov(&["check"]);
        assert!(out.status.success());
        let s = text(&out.stdout);
        for needle in [
            "0 error(s)",
            "email",
            "egov",
            "wage_employee",
            "astana",
            "weighted",
        ] {
            assert!(s.contains(needle), "missing {needle} in:\n{s}");
        }
    }

    #[test]
    fn corrupted_file_fails_and_names_columns_rows_values() {
        let cb = fixture("formats/codebook.toml");
        let out = egov(&["check", &fixture("bad/survey_bad.csv"), "--codebook", &cb]);
        assert_eq!(out.status.code(), Some(1));
        let s = text(&out.stdout);
        assert!(s.contains("7 error(s)"), "{s}");
        assert!(
            s.contains("column `sex`") && s.contains("3, 6") && s.contains("values: 7, 8"),
            "{s}"
        );
        assert!(s.contains("column `age`") && s.contains("abc"), "{s}");
        assert!(s.contains("column `id`") && s.contains("A02"), "{s}");
        let json = egov(&[
            "check",
            &fixture("bad/survey_bad.csv"),
            "--codebook",
            &cb,
            "--format",
            "json",
        ]);
        assert_eq!(json.status.code(), Some(1));
        let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(v["errors"].as_array().unwrap().len(), 7);
    }

    #[test]
    fn unreadable_files_fail_with_a_message() {
        let cb = fixture("formats/codebook.toml");
        for (file, needle) in [
            ("bad/truncated.parquet", "truncated or corrupted"),
            ("bad/empty.csv", "no data rows"),
            ("bad/truncated.csv", "looks truncated"),
            ("formats/survey_cp1251.csv", "--encoding windows-1251"),
        ] {
            let out = egov(&["check", &fixture(file), "--codebook", &cb]);
            assert_eq!(out.status.code(), Some(1), "{file}");
            let err = text(&out.stderr);
            assert!(
                err.starts_with("error: ") && err.contains(needle),
                "{file}: {err}"
            );
        }
    }

    #[test]
    fn every_format_checks_clean() {
        let cb = fixture("formats/codebook.toml");
        for file in ["survey.parquet", "survey.dta", "survey.sav", "survey.xlsx"] {
            let out = egov(&[
                "check",
                &fixture(&format!("formats/{file}")),
                "--codebook",
                &cb,
            ]);
            assert!(out.status.success(), "{file}: {}", text(&out.stdout));
        }
        let out = egov(&[
            "check",
            &fixture("formats/survey_cp1251.csv"),
            "--codebook",
            &cb,
            "--encoding",
            "windows-1251",
            "--delimiter",
            ";",
        ]);
        assert!(out.status.success(), "{}", text(&out.stdout));
    }

    #[test]
    fn usage_errors_exit_2_and_missing_codebook_exits_1() {
        assert_eq!(egov(&["check", "--format", "yaml"]).status.code(), Some(2));
        assert_eq!(egov(&["frobnicate"]).status.code(), Some(2));
        let out = egov(&["check", &fixture("formats/survey.parquet")]);
        assert_eq!(out.status.code(), Some(1));
        assert!(text(&out.stderr).contains("--codebook"));
    }
}

mod simulate {
    use super::*;

    #[test]
    fn same_seed_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let run = |name: &str, seed: &str| {
            let p = dir.path().join(name);
            let out = egov(&[
                "simulate",
                "--n",
                "1500",
                "--seed",
                seed,
                "--out",
                p.to_str().unwrap(),
            ]);
            assert!(out.status.success(), "{}", text(&out.stderr));
            std::fs::read(p).unwrap()
        };
        assert_eq!(run("a.parquet", "5"), run("b.parquet", "5"));
        assert_ne!(run("c.parquet", "5"), run("d.parquet", "6"));
        assert_eq!(run("a.csv", "5"), run("b.csv", "5"));
    }

    #[test]
    fn output_checks_clean_with_its_codebook() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("s.csv");
        let cb = dir.path().join("cb.toml");
        let out = egov(&[
            "simulate",
            "--n",
            "800",
            "--seed",
            "3",
            "--routing",
            "coded-no",
            "--out",
            data.to_str().unwrap(),
            "--codebook-out",
            cb.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let out = egov(&[
            "check",
            data.to_str().unwrap(),
            "--codebook",
            cb.to_str().unwrap(),
            "--format",
            "json",
        ]);
        assert!(out.status.success(), "{}", text(&out.stdout));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["rows"], 800);
    }

    #[test]
    fn bad_arguments_are_refused_without_writing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.json");
        let out = egov(&["simulate", "--out", p.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1));
        assert!(text(&out.stderr).contains(".parquet or .csv"));
        assert!(!p.exists());
        assert_eq!(
            egov(&["simulate", "--n", "0", "--out", "y.csv"])
                .status
                .code(),
            Some(1)
        );
        assert_eq!(
            egov(&[
                "simulate",
                "--routing",
                "sometimes",
                "--n",
                "5",
                "--out",
                dir.path().join("z.csv").to_str().unwrap()
            ])
            .status
            .code(),
            Some(1)
        );
    }
}
