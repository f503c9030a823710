//! One grammar for variance estimators, shared by `--vcov`, `model.vcov` and Python's `vcov=`.
//!
//! ```text
//! iid | hc0 | hc1 | robust | hc2 | hc3          classical and heteroskedasticity-robust
//! cluster:COL[,COL] | cr1:COL[,COL]            one- or two-way cluster-robust (CR1)
//! design                                       the codebook's PSUs and strata
//! survey:PSU[/STRATA]                          a stratified cluster design on named columns
//! ```
//!
//! Keywords are case-insensitive (`HC1`, `CR1:household`), so fixest's spelling reads as is.

use anyhow::bail;
use egov_econ::{Frame, Vcov};
use std::fmt;
use std::str::FromStr;

/// Why `design` cannot be used on the data at hand.
pub(crate) const DESIGN_NEEDS_CODEBOOK: &str = "the `design` variance needs a codebook that maps the PSU column (`columns.psu`); for a plain table use --psu COL [--strata COL] (or `survey:PSU/STRATA`)";

/// A variance estimator as the user names it, before it is checked against the data.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum VcovSpec {
    /// Classical s²(X'WX)⁻¹.
    Iid,
    /// White's heteroskedasticity-robust estimator.
    Hc0,
    /// HC0 × n/(n−k), Stata's `robust`.
    Hc1,
    /// Leverage-corrected HC2.
    Hc2,
    /// Jackknife-like HC3.
    Hc3,
    /// CR1 on one column, or two-way (Cameron–Gelbach–Miller) on two.
    Cluster(Vec<String>),
    /// The codebook's survey design: the `psu` column, within `stratum` when mapped.
    Design,
    /// A stratified cluster design on named columns.
    Survey {
        /// Primary sampling unit column.
        psu: String,
        /// Stratum column.
        strata: Option<String>,
    },
}

const GRAMMAR: &str = "iid, hc0, hc1 (robust), hc2, hc3, cluster:COL[,COL] (or cr1:COL[,COL]), design, or survey:PSU[/STRATA]";

fn column_list(text: &str, spelled: &str) -> anyhow::Result<Vec<String>> {
    let cols: Vec<String> = text.split(',').map(|c| c.trim().to_string()).collect();
    if !(1..=2).contains(&cols.len()) || cols.iter().any(String::is_empty) {
        bail!("`{spelled}`: a cluster variance takes one column or two comma-separated columns");
    }
    Ok(cols)
}

impl FromStr for VcovSpec {
    type Err = anyhow::Error;

    fn from_str(text: &str) -> anyhow::Result<Self> {
        let spelled = text.trim();
        let (keyword, rest) = match spelled.split_once(':') {
            Some((k, r)) => (k.trim().to_ascii_lowercase(), Some(r.trim())),
            None => (spelled.to_ascii_lowercase(), None),
        };
        Ok(match (keyword.as_str(), rest) {
            ("iid", None) => Self::Iid,
            ("hc0", None) => Self::Hc0,
            ("hc1" | "robust", None) => Self::Hc1,
            ("hc2", None) => Self::Hc2,
            ("hc3", None) => Self::Hc3,
            ("design", None) => Self::Design,
            ("cluster" | "cr1", Some(cols)) => Self::Cluster(column_list(cols, spelled)?),
            ("survey", Some(cols)) => {
                let (psu, strata) = match cols.split_once('/') {
                    Some((p, s)) => (p.trim(), Some(s.trim())),
                    None => (cols, None),
                };
                if psu.is_empty() || strata.is_some_and(str::is_empty) {
                    bail!("`{spelled}`: write survey:PSU or survey:PSU/STRATA");
                }
                Self::Survey {
                    psu: psu.to_string(),
                    strata: strata.map(str::to_string),
                }
            }
            ("cluster" | "cr1" | "survey", None) => {
                bail!("`{spelled}` needs its columns, e.g. `{keyword}:household`")
            }
            _ => bail!("unknown variance estimator `{spelled}`: use {GRAMMAR}"),
        })
    }
}

impl fmt::Display for VcovSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Iid => f.write_str("iid"),
            Self::Hc0 => f.write_str("hc0"),
            Self::Hc1 => f.write_str("hc1"),
            Self::Hc2 => f.write_str("hc2"),
            Self::Hc3 => f.write_str("hc3"),
            Self::Cluster(cols) => write!(f, "cluster:{}", cols.join(",")),
            Self::Design => f.write_str("design"),
            Self::Survey { psu, strata: None } => write!(f, "survey:{psu}"),
            Self::Survey {
                psu,
                strata: Some(s),
            } => write!(f, "survey:{psu}/{s}"),
        }
    }
}

impl TryFrom<String> for VcovSpec {
    type Error = anyhow::Error;
    fn try_from(text: String) -> anyhow::Result<Self> {
        text.parse()
    }
}

impl From<VcovSpec> for String {
    fn from(spec: VcovSpec) -> String {
        spec.to_string()
    }
}

impl VcovSpec {
    /// Combines the command line's `--vcov`, `--cluster`, `--psu` and `--strata` into one
    /// estimator (`None` when none is given: the command's default applies).
    pub fn from_flags(
        vcov: Option<&VcovSpec>,
        cluster: Option<&str>,
        psu: Option<&str>,
        strata: Option<&str>,
    ) -> anyhow::Result<Option<Self>> {
        let chosen = [vcov.is_some(), cluster.is_some(), psu.is_some()]
            .iter()
            .filter(|&&b| b)
            .count();
        if chosen > 1 {
            bail!(
                "choose one of --vcov, --cluster and --psu: they select different variance estimators"
            );
        }
        if strata.is_some() && psu.is_none() {
            bail!("--strata needs --psu (the design's primary sampling unit column)");
        }
        if let Some(cols) = cluster {
            return Ok(Some(Self::Cluster(column_list(cols, cols).map_err(
                |_| {
                    anyhow::anyhow!(
                        "--cluster takes one column or two comma-separated columns, got `{cols}`"
                    )
                },
            )?)));
        }
        if let Some(psu) = psu {
            return Ok(Some(Self::Survey {
                psu: psu.to_string(),
                strata: strata.map(str::to_string),
            }));
        }
        Ok(vcov.cloned())
    }

    /// The engine's estimator for a model frame, checking that the columns it needs exist.
    pub fn resolve(&self, frame: &Frame) -> anyhow::Result<Vcov> {
        let has = |name: &str| frame.column(name).is_ok();
        let need = |name: &str, what: &str| -> anyhow::Result<()> {
            if has(name) {
                Ok(())
            } else {
                bail!("{what} column `{name}` is not in the data (variance `{self}`)")
            }
        };
        Ok(match self {
            Self::Iid => Vcov::Iid,
            Self::Hc0 => Vcov::Hc0,
            Self::Hc1 => Vcov::Hc1,
            Self::Hc2 => Vcov::Hc2,
            Self::Hc3 => Vcov::Hc3,
            Self::Cluster(cols) => {
                for c in cols {
                    need(c, "cluster")?;
                }
                Vcov::Cluster(cols.clone())
            }
            Self::Design => {
                if !has("psu") {
                    bail!("{DESIGN_NEEDS_CODEBOOK}");
                }
                Vcov::Survey {
                    psu: "psu".into(),
                    strata: has("stratum").then(|| "stratum".to_string()),
                }
            }
            Self::Survey { psu, strata } => {
                need(psu, "PSU")?;
                if let Some(s) = strata {
                    need(s, "stratum")?;
                }
                Vcov::Survey {
                    psu: psu.clone(),
                    strata: strata.clone(),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixest_and_stata_spellings_parse_to_one_value() {
        assert_eq!("HC1".parse::<VcovSpec>().unwrap(), VcovSpec::Hc1);
        assert_eq!("robust".parse::<VcovSpec>().unwrap(), VcovSpec::Hc1);
        assert_eq!(
            "CR1: household".parse::<VcovSpec>().unwrap(),
            VcovSpec::Cluster(vec!["household".into()])
        );
        assert_eq!(
            "cluster:firm, year".parse::<VcovSpec>().unwrap(),
            VcovSpec::Cluster(vec!["firm".into(), "year".into()])
        );
        assert_eq!(
            "survey:psu/stratum".parse::<VcovSpec>().unwrap(),
            VcovSpec::Survey {
                psu: "psu".into(),
                strata: Some("stratum".into())
            }
        );
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "iid",
            "hc0",
            "hc1",
            "hc2",
            "hc3",
            "design",
            "cluster:a,b",
            "survey:p",
            "survey:p/s",
        ] {
            let spec: VcovSpec = text.parse().unwrap();
            assert_eq!(spec.to_string(), text);
        }
    }

    #[test]
    fn bad_spellings_say_what_is_accepted() {
        let err = "hc9".parse::<VcovSpec>().unwrap_err().to_string();
        assert_eq!(
            err,
            format!("unknown variance estimator `hc9`: use {GRAMMAR}")
        );
        let err = "cluster".parse::<VcovSpec>().unwrap_err().to_string();
        assert_eq!(err, "`cluster` needs its columns, e.g. `cluster:household`");
        let err = "cr1:a,b,c".parse::<VcovSpec>().unwrap_err().to_string();
        assert_eq!(
            err,
            "`cr1:a,b,c`: a cluster variance takes one column or two comma-separated columns"
        );
    }

    #[test]
    fn flags_conflict_and_combine() {
        let err = VcovSpec::from_flags(Some(&VcovSpec::Hc1), Some("household"), None, None)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("choose one of --vcov, --cluster and --psu"));
        assert_eq!(
            VcovSpec::from_flags(None, None, Some("p"), Some("s")).unwrap(),
            Some(VcovSpec::Survey {
                psu: "p".into(),
                strata: Some("s".into())
            })
        );
        assert_eq!(VcovSpec::from_flags(None, None, None, None).unwrap(), None);
    }

    #[test]
    fn resolving_checks_the_columns() {
        let mut frame = Frame::new();
        frame.push_numeric("x", vec![1.0, 2.0]).unwrap();
        let err = VcovSpec::Cluster(vec!["household".into()])
            .resolve(&frame)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "cluster column `household` is not in the data (variance `cluster:household`)"
        );
        assert!(
            VcovSpec::Design
                .resolve(&frame)
                .unwrap_err()
                .to_string()
                .contains("`columns.psu`")
        );
    }
}
