//! Integration tests of the survey crate: readers against files written by independent tools,
//! validation of broken inputs, codebooks, the replica generator, and fuzzed bytes.

use egov_survey::read::{Format, read_table};
use egov_survey::replica::{ReplicaConfig, codebook_toml, generate};
use egov_survey::{
    Codebook, Encoding, LoadError, MISSING, ProblemKind, ReadOptions, bundled_replica_paths, load,
    validate,
};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn formats_codebook() -> Codebook {
    Codebook::from_path(&fixtures().join("formats/codebook.toml")).unwrap()
}

mod formats {
    use super::*;

    fn expected() -> serde_json::Value {
        let text = std::fs::read_to_string(fixtures().join("formats/expected.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    fn check_file(name: &str, opts: &ReadOptions) {
        let exp = expected();
        let (frame, report) = load(
            &fixtures().join("formats").join(name),
            &formats_codebook(),
            opts,
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(report.rows, 12, "{name}");
        let ids: Vec<String> = serde_json::from_value(exp["respondent_id"].clone()).unwrap();
        assert_eq!(frame.respondent_id, ids, "{name}");
        let w: Vec<f64> = serde_json::from_value(exp["weight"].clone()).unwrap();
        assert_eq!(frame.weight, w, "{name}");
        let age: Vec<f64> = serde_json::from_value(exp["age"].clone()).unwrap();
        assert_eq!(
            frame.age,
            age.into_iter().map(Some).collect::<Vec<_>>(),
            "{name}"
        );
        let row1: Vec<u8> = serde_json::from_value(exp["items_row1"].clone()).unwrap();
        assert_eq!(frame.item_row(0), &row1[..], "{name}");
        let missing = frame.items.iter().filter(|x| **x == MISSING).count();
        assert_eq!(
            missing as u64,
            exp["items_missing_total"].as_u64().unwrap(),
            "{name}"
        );
        // Row 9 answered no item: all missing, never "no".
        assert!(frame.item_row(8).iter().all(|x| *x == MISSING), "{name}");
        let outcome: Vec<Option<u8>> = serde_json::from_value(exp["outcome"].clone()).unwrap();
        assert_eq!(frame.outcome, outcome, "{name}");
        assert_eq!(
            frame.education.levels[frame.education.codes[3].unwrap() as usize].name,
            "basic_or_less"
        );
        assert_eq!(
            frame.region.levels[frame.region.codes[0].unwrap() as usize].name,
            "astana"
        );
        assert_eq!(
            frame.household,
            vec![0, 0, 1, 2, 2, 3, 4, 5, 5, 6, 7, 7],
            "{name}"
        );
        // Zero weight in row 10 is a warning, not an error.
        assert!(
            report
                .warnings
                .iter()
                .any(|p| p.kind == ProblemKind::ZeroWeight && p.rows == vec![10])
        );
    }

    #[test]
    fn csv_windows_1251_semicolon() {
        let opts = ReadOptions {
            encoding: Encoding::Windows1251,
            delimiter: Some(b';'),
            ..Default::default()
        };
        check_file("survey_cp1251.csv", &opts);
        // The Cyrillic text column decodes correctly.
        let (frame, _) = load(
            &fixtures().join("formats/survey_cp1251.csv"),
            &formats_codebook(),
            &opts,
        )
        .unwrap();
        let place = &frame.extras[0];
        match &place.values {
            egov_survey::ExtraValues::Categorical(c) => {
                assert_eq!(c.levels[c.codes[7].unwrap() as usize].name, "shymkent")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn csv_delimiter_is_guessed() {
        let opts = ReadOptions {
            encoding: Encoding::Windows1251,
            ..Default::default()
        };
        check_file("survey_cp1251.csv", &opts);
    }

    #[test]
    fn csv_in_wrong_encoding_is_a_clear_error() {
        let err = load(
            &fixtures().join("formats/survey_cp1251.csv"),
            &formats_codebook(),
            &ReadOptions::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("windows-1251"), "{err}");
    }

    #[test]
    fn parquet_from_pyarrow() {
        check_file("survey.parquet", &ReadOptions::default());
    }

    #[test]
    fn stata_from_pyreadstat_keeps_value_labels() {
        check_file("survey.dta", &ReadOptions::default());
        let (frame, _) = load(
            &fixtures().join("formats/survey.dta"),
            &formats_codebook(),
            &ReadOptions::default(),
        )
        .unwrap();
        // The codebook gives no English label for sex: the file's value label is used.
        assert_eq!(frame.sex.levels[1].label_en, "Female");
        assert_eq!(frame.sex.levels[1].label(egov_survey::Lang::Ru), "Женщина");
    }

    #[test]
    fn spss_from_pyreadstat_keeps_value_labels() {
        check_file("survey.sav", &ReadOptions::default());
        let (frame, _) = load(
            &fixtures().join("formats/survey.sav"),
            &formats_codebook(),
            &ReadOptions::default(),
        )
        .unwrap();
        assert_eq!(frame.sex.levels[0].label_en, "Male");
    }

    #[test]
    fn stata_releases_115_117_and_119() {
        // Without the free-text extra: numeric codes are the survey's substance.
        let text = std::fs::read_to_string(fixtures().join("formats/codebook.toml")).unwrap();
        let cb = Codebook::from_toml_str(&text[..text.find("[[extras]]").unwrap()]).unwrap();
        let exp = expected();
        for name in ["survey_v115.dta", "survey_v117.dta", "survey_v119.dta"] {
            let (frame, report) = load(
                &fixtures().join("formats").join(name),
                &cb,
                &ReadOptions::default(),
            )
            .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(report.rows, 12);
            let w: Vec<f64> = serde_json::from_value(exp["weight"].clone()).unwrap();
            assert_eq!(frame.weight, w, "{name}");
            let row1: Vec<u8> = serde_json::from_value(exp["items_row1"].clone()).unwrap();
            assert_eq!(frame.item_row(0), &row1[..], "{name}");
            assert_eq!(frame.sex.levels[1].label_en, "Female", "{name}");
        }
        // Release 117 strings are 8-bit; UTF-8 bytes written by pyreadstat are recovered.
        let table = read_table(
            &fixtures().join("formats/survey_v117.dta"),
            &ReadOptions::default(),
        )
        .unwrap();
        match table.column("note").unwrap() {
            egov_survey::read::RawColumn::Text(v) => assert_eq!(v[0].as_deref(), Some("Астана")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn excel_from_openpyxl_skips_title_and_footnote() {
        check_file("survey.xlsx", &ReadOptions::default());
    }

    #[test]
    fn format_by_extension() {
        assert_eq!(
            Format::from_path(Path::new("x.parquet")),
            Some(Format::Parquet)
        );
        assert_eq!(Format::from_path(Path::new("x.DTA")), Some(Format::Stata));
        let err = read_table(Path::new("x.json"), &ReadOptions::default()).unwrap_err();
        assert!(
            err.to_string()
                .contains(".csv, .parquet, .dta, .sav or .xlsx")
        );
    }
}

mod validation {
    use super::*;

    fn report_of(name: &str) -> egov_survey::ValidationReport {
        validate(
            &fixtures().join("bad").join(name),
            &formats_codebook(),
            &ReadOptions::default(),
        )
        .unwrap()
    }

    #[test]
    fn every_problem_is_reported_at_once_with_rows_and_values() {
        let r = report_of("survey_bad.csv");
        let find = |kind: ProblemKind, column: &str| {
            r.errors
                .iter()
                .find(|p| p.kind == kind && p.column.as_deref() == Some(column))
                .unwrap_or_else(|| panic!("no {kind:?} on {column}: {:#?}", r.errors))
        };
        let sex = find(ProblemKind::UnknownCode, "sex");
        assert_eq!(
            (sex.rows.clone(), sex.values.clone(), sex.count),
            (vec![3, 6], vec!["7".into(), "8".into()], 2)
        );
        let age = find(ProblemKind::NonNumeric, "age");
        assert_eq!(
            (age.rows.clone(), age.values.clone()),
            (vec![4], vec!["abc".to_string()])
        );
        let range = find(ProblemKind::OutOfRange, "age");
        assert_eq!(
            (range.rows.clone(), range.values.clone()),
            (vec![7], vec!["99".to_string()])
        );
        let w = find(ProblemKind::InvalidWeight, "w");
        assert_eq!(w.rows, vec![8]);
        let dup = find(ProblemKind::DuplicateId, "id");
        assert_eq!(
            (dup.rows.clone(), dup.values.clone()),
            (vec![11], vec!["A02".to_string()])
        );
        let item = find(ProblemKind::ItemAllMissing, "q03");
        assert_eq!(item.count, 12);
        let reg = find(ProblemKind::UnknownCode, "reg");
        assert_eq!(reg.rows, vec![1]);
        assert_eq!(r.errors.len(), 7, "{:#?}", r.errors);
        // load() refuses the file and carries the same report.
        match load(
            &fixtures().join("bad/survey_bad.csv"),
            &formats_codebook(),
            &ReadOptions::default(),
        ) {
            Err(LoadError::Invalid { report, .. }) => assert_eq!(report.errors.len(), 7),
            other => panic!("expected Invalid, got {other:?}"),
        }
        let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(json["rows"], 12);
        assert!(json["errors"].as_array().unwrap().len() == 7 && json["warnings"].is_array());
    }

    #[test]
    fn missing_column_is_named_with_the_columns_present() {
        let r = report_of("missing_column.csv");
        assert_eq!(r.errors.len(), 1);
        let p = &r.errors[0];
        assert_eq!(
            (p.kind, p.column.as_deref()),
            (ProblemKind::MissingColumn, Some("educ"))
        );
        assert!(
            p.message.contains("education") && p.message.contains("settl"),
            "{}",
            p.message
        );
    }

    #[test]
    fn empty_header_only_and_truncated_files_are_read_errors() {
        for name in [
            "empty.csv",
            "header_only.csv",
            "truncated.csv",
            "truncated.parquet",
        ] {
            let err = validate(
                &fixtures().join("bad").join(name),
                &formats_codebook(),
                &ReadOptions::default(),
            )
            .unwrap_err();
            let text = err.to_string();
            assert!(matches!(err, LoadError::Read(_)), "{name}: {text}");
            assert!(text.contains(name), "{name}: {text}");
        }
    }

    #[test]
    fn missing_items_are_counted_not_recoded() {
        let (frame, report) = load(
            &fixtures().join("formats/survey.parquet"),
            &formats_codebook(),
            &ReadOptions::default(),
        )
        .unwrap();
        let email = report
            .summary
            .iter()
            .find(|s| s.variable == "email")
            .unwrap();
        assert_eq!(email.missing, 1);
        let yes = frame.items.chunks(11).filter(|r| r[0] == 1).count();
        let no = frame.items.chunks(11).filter(|r| r[0] == 0).count();
        assert_eq!((yes, no, yes + no + email.missing), (9, 2, 12));
    }
}

mod codebooks {
    use super::*;

    #[test]
    fn committed_replica_codebook_matches_the_generator() {
        let (_, cb) = bundled_replica_paths();
        assert_eq!(std::fs::read_to_string(cb).unwrap(), codebook_toml());
    }

    #[test]
    fn codebook_mistakes_are_explained() {
        let base = codebook_toml();
        let cases = [
            (
                base.replace("reference = \"wage_employee\"", "reference = \"worker\""),
                "reference `worker` is not one of the levels",
            ),
            (
                base.replace("email = { column = \"sk01\" }", ""),
                "missing item(s) email",
            ),
            (
                base.replace("email = { column", "e_mail = { column"),
                "unknown item `e_mail`",
            ),
            (
                base.replace("missing = [99]", "missing = [6]"),
                "both a level and a missing code",
            ),
            (
                base.replace(
                    "[outcome]\ncolumn = \"egov\"\nyes = [1]\nno = [2]",
                    "[outcome]\ncolumn = \"egov\"\nyes = [1]\nno = [1]",
                ),
                "listed twice",
            ),
            (
                base.replace("min = 15\nmax = 74", "min = 74\nmax = 15"),
                "min 74 is larger than max 15",
            ),
            (base.replace("[columns]", "[colums]"), "not valid"),
        ];
        for (text, needle) in cases {
            let err = Codebook::from_toml_str(&text).unwrap_err().to_string();
            assert!(err.contains(needle), "expected `{needle}` in: {err}");
        }
    }

    #[test]
    fn template_parses() {
        let path = fixtures().join("../docs/codebook-template.toml");
        if path.exists() {
            Codebook::from_path(&path).unwrap();
        }
    }
}

mod replica {
    use super::*;

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let write = |seed: u64, name: &str| {
            let p = dir.path().join(name);
            generate(&ReplicaConfig {
                n: 2000,
                seed,
                ..Default::default()
            })
            .write(&p)
            .unwrap();
            std::fs::read(p).unwrap()
        };
        assert_eq!(write(7, "a.parquet"), write(7, "b.parquet"));
        assert_ne!(write(7, "c.parquet"), write(8, "d.parquet"));
        assert_eq!(write(7, "a.csv"), write(7, "b.csv"));
    }

    #[test]
    fn committed_replica_is_reproduced_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("replica.parquet");
        generate(&ReplicaConfig::default()).write(&p).unwrap();
        let (committed, _) = bundled_replica_paths();
        assert!(std::fs::read(p).unwrap() == std::fs::read(committed).unwrap());
    }

    #[test]
    fn margins_match_the_published_figures() {
        let s = generate(&ReplicaConfig::default());
        let n = s.rows.len() as f64;
        let total: f64 = s.rows.iter().map(|r| r.weight).sum();
        assert!(
            (total - 13_054_255.0).abs() < 50.0,
            "weights sum to {total}"
        );
        let share = |f: &dyn Fn(&egov_survey::replica::ReplicaRow) -> bool| {
            s.rows
                .iter()
                .filter(|r| f(r))
                .map(|r| r.weight)
                .sum::<f64>()
                / total
        };
        // Census 15-74: 48.2% men; urban 61.9% (10+ proxy by region gives ~61%).
        assert!((share(&|r| r.sex == 1) - 0.482).abs() < 0.01);
        assert!((share(&|r| r.urban) - 0.61).abs() < 0.015);
        // Higher education 28.1% of 15-74 (the gradient moves it a little).
        assert!((share(&|r| r.educ == 6) - 0.281).abs() < 0.02);
        // Labour shares of 15+ (facts file 2.3): employees ~50%, self-employed ~16%.
        assert!((share(&|r| r.labour == 1) - 0.50).abs() < 0.03);
        assert!((share(&|r| r.labour == 2) - 0.16).abs() < 0.02);
        // Internet use 92.9% in 2021 (ages 6-74).
        assert!((share(&|r| r.internet) - 0.929).abs() < 0.02);
        // Urban adults are more often graduates than rural ones (imposed gradient).
        let higher = |urban: bool| {
            let g: Vec<_> = s.rows.iter().filter(|r| r.urban == urban).collect();
            g.iter().filter(|r| r.educ == 6).count() as f64 / g.len() as f64
        };
        assert!(higher(true) > higher(false) + 0.08);
        // Item difficulty order: e-mail easiest, programming hardest.
        let yes = |j: usize| s.rows.iter().filter(|r| r.items[j] == 1).count() as f64 / n;
        for j in 0..11 {
            assert!(yes(0) >= yes(j) && yes(7) <= yes(j));
        }
        let miss = s
            .rows
            .iter()
            .flat_map(|r| r.items)
            .filter(|x| *x == 9)
            .count() as f64
            / (11.0 * n);
        assert!((miss - 0.02).abs() < 0.002);
    }

    #[test]
    fn csv_and_parquet_copies_load_to_the_same_frame() {
        let dir = tempfile::tempdir().unwrap();
        let (_, cb) = bundled_replica_paths();
        let cb = Codebook::from_path(&cb).unwrap();
        for seed in [1u64, 99] {
            let s = generate(&ReplicaConfig {
                n: 1500,
                seed,
                ..Default::default()
            });
            let frames: Vec<_> = ["r.csv", "r.parquet"]
                .iter()
                .map(|name| {
                    let p = dir.path().join(name);
                    s.write(&p).unwrap();
                    let (mut f, _) = load(&p, &cb, &ReadOptions::default()).unwrap();
                    f.source.path = PathBuf::new();
                    f.source.format = String::new();
                    f.source.sha256 = String::new();
                    f
                })
                .collect();
            assert_eq!(frames[0], frames[1], "seed {seed}");
            // And the frame holds what the generator drew.
            let f = &frames[0];
            for (i, row) in s.rows.iter().enumerate() {
                for j in 0..11 {
                    let want = match row.items[j] {
                        1 => 1,
                        2 => 0,
                        _ => MISSING,
                    };
                    assert_eq!(f.items[i * 11 + j], want);
                }
                assert_eq!(f.age[i], Some(f64::from(row.age)));
                assert_eq!(f.weight[i], row.weight);
                assert_eq!(
                    f.urban.levels[f.urban.codes[i].unwrap() as usize].name,
                    if row.urban { "urban" } else { "rural" }
                );
                let region = egov_survey::regions::REGIONS_2021[row.region].slug;
                assert_eq!(
                    f.region.levels[f.region.codes[i].unwrap() as usize].name,
                    region
                );
            }
        }
    }

    #[test]
    fn routing_codes_non_users_no() {
        let cfg = ReplicaConfig {
            n: 3000,
            routing: egov_survey::replica::Routing::NonUsersCodedNo,
            ..Default::default()
        };
        let s = generate(&cfg);
        let non_users: Vec<_> = s.rows.iter().filter(|r| !r.internet).collect();
        assert!(!non_users.is_empty());
        assert!(non_users.iter().all(|r| r.items.iter().all(|x| *x == 2)));
    }
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn seeds() -> Vec<(String, Vec<u8>)> {
        [
            "survey.parquet",
            "survey.dta",
            "survey.sav",
            "survey.xlsx",
            "survey_cp1251.csv",
        ]
        .iter()
        .map(|n| {
            (
                n.to_string(),
                std::fs::read(fixtures().join("formats").join(n)).unwrap(),
            )
        })
        .collect()
    }

    fn read_bytes(ext: &str, bytes: &[u8]) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("f.{ext}"));
        std::fs::write(&path, bytes).unwrap();
        // Any result is fine; a panic or abort is not.
        let _ = read_table(&path, &ReadOptions::default());
        let _ = validate(&path, &formats_codebook(), &ReadOptions::default());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), ext in 0usize..5) {
            let exts = ["csv", "parquet", "dta", "sav", "xlsx"];
            read_bytes(exts[ext], &bytes);
        }

        #[test]
        fn corrupted_fixtures_never_panic(which in 0usize..5, cut in 0.0f64..1.0, flips in proptest::collection::vec((0.0f64..1.0, any::<u8>()), 0..16)) {
            let (name, mut bytes) = seeds().swap_remove(which);
            for (at, b) in flips {
                let i = ((bytes.len() as f64) * at) as usize % bytes.len();
                bytes[i] = b;
            }
            let keep = ((bytes.len() as f64) * cut) as usize;
            bytes.truncate(keep.max(1));
            let ext = name.rsplit('.').next().unwrap().to_string();
            read_bytes(&ext, &bytes);
        }
    }
}
