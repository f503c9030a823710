//! A tour of the survey crate: load the bundled synthetic replica through its codebook, read
//! the validation report, and use the analysis frame.
//!
//! Run with `cargo run -p egov-survey --example survey_tour`.

use egov_survey::regions::{REGIONS_2021, region_2021_from_2022};
use egov_survey::replica::{ReplicaConfig, generate};
use egov_survey::{Codebook, Lang, MISSING, bundled_replica_paths, load};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. A codebook maps the raw file onto the analysis schema.
    let (data, codebook_path) = bundled_replica_paths();
    let codebook = Codebook::from_path(&codebook_path)?;
    println!(
        "dataset: {} (synthetic: {})",
        codebook.dataset.name, codebook.dataset.synthetic
    );

    // 2. load() reads, maps and validates; problems come back all at once.
    let (frame, report) = load(&data, &codebook, &Default::default())?;
    println!(
        "{} rows, {} errors, {} warnings",
        report.rows,
        report.errors.len(),
        report.warnings.len()
    );
    if let Some(w) = report.warnings.first() {
        println!("first warning: {w}");
    }

    // 3. The frame is plain vectors. Items are row-major, 255 = missing (never "no").
    let k = frame.n_items();
    let missing = frame.items.iter().filter(|x| **x == MISSING).count();
    println!("{} items per row; {missing} missing responses in total", k);
    for (j, name) in frame.item_names.iter().enumerate() {
        let (mut yes, mut w_yes, mut w_all) = (0usize, 0.0, 0.0);
        for i in 0..frame.n_rows() {
            let x = frame.items[i * k + j];
            if x != MISSING {
                w_all += frame.weight[i];
                if x == 1 {
                    yes += 1;
                    w_yes += frame.weight[i];
                }
            }
        }
        println!(
            "  {name:<20} yes {yes:>6}  weighted share {:.3}",
            w_yes / w_all
        );
    }

    // 4. Categoricals carry levels, a reference level and labels in three languages.
    let labour = &frame.labour;
    println!("labour reference: {}", labour.levels[labour.reference].name);
    for level in &labour.levels {
        println!(
            "  {:<16} {} / {}",
            level.name,
            level.label(Lang::Ru),
            level.label(Lang::Kk)
        );
    }

    // 5. Regions of 2021, and the crosswalk from the 2022 division.
    let cities: Vec<&str> = REGIONS_2021
        .iter()
        .filter(|r| r.is_city)
        .map(|r| r.name_en)
        .collect();
    println!("cities: {}", cities.join(", "));
    println!(
        "Abai (2022) belongs to {:?} in 2021",
        region_2021_from_2022("abai")
    );

    // 6. The generator is deterministic: a small sample for experiments.
    let sample = generate(&ReplicaConfig {
        n: 1000,
        seed: 7,
        ..Default::default()
    });
    let mean_age = sample.rows.iter().map(|r| f64::from(r.age)).sum::<f64>() / 1000.0;
    println!("a 1000-adult sample (seed 7): mean age {mean_age:.1}");
    Ok(())
}
