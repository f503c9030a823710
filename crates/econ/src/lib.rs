//! # egov-econ
//!
//! Regression models for survey microdata, with the inference an applied economist reports:
//!
//! * a light named-column container ([`Frame`]) and an R/fixest-style formula interface
//!   (`y ~ dsi + i(region) + sex*urban + I(age^2) - 1`), with listwise deletion that is counted
//!   and reported, and detection of perfectly collinear terms;
//! * least squares ([`regress`]) and the linear probability model ([`lpm`]), with sampling
//!   weights and classical, HC0–HC3, one- and two-way cluster-robust, and survey-design
//!   (stratified PSU linearisation) variance ([`Vcov`]);
//! * Wald/F tests of linear restrictions written as text ([`Regression::wald`]);
//! * logit and probit by maximum likelihood with average marginal effects ([`logit`], [`probit`]);
//! * weighted group means with design-based standard errors ([`descriptive::group_means`]);
//! * side-by-side regression tables in Markdown, LaTeX and text ([`table::RegressionTable`]).
//!
//! It does **not** read files, fit the skill index (that is `egov-irt`), draw charts
//! (`egov-charts`) or depend on a data-frame library: callers convert their data into a
//! [`Frame`] of plain vectors.
//!
//! ```
//! use egov_econ::{Frame, Categorical, lpm, EstimateOptions};
//! let n = 200;
//! let mut f = Frame::new();
//! let x: Vec<f64> = (0..n).map(|i| (i % 17) as f64 / 16.0).collect();
//! let g: Vec<Option<&str>> = (0..n).map(|i| Some(if i % 3 == 0 { "urban" } else { "rural" })).collect();
//! let y: Vec<f64> = (0..n).map(|i| if x[i] + 0.3 * (i % 3 == 0) as u8 as f64 > 0.6 { 1.0 } else { 0.0 }).collect();
//! f.push_numeric("y", y).unwrap();
//! f.push_numeric("x", x).unwrap();
//! f.push_categorical("area", Categorical::from_labels(&g)).unwrap();
//! let fit = lpm("y ~ x + area", &f, &EstimateOptions::default()).unwrap();
//! assert_eq!(fit.coefficients.len(), 3);
//! assert!(fit.coefficient("area::urban").unwrap().estimate > 0.0);
//! let test = fit.wald("x = 0, area::urban = 0").unwrap();
//! assert_eq!(test.q, 2);
//! ```

mod binary;
pub mod descriptive;
mod error;
mod formula;
mod frame;
mod inference;
mod linalg;
mod regression;
pub mod table;

pub use binary::{BinaryChoice, Link, logit, probit};
pub use error::EconError;
pub use formula::{DroppedRows, ModelMatrix, model_matrix};
pub use frame::{Categorical, Column, Frame};
pub use inference::{Coefficient, WaldTest};
pub use linalg::ols_coefficients;
pub use regression::{EstimateOptions, OutsideUnitInterval, Regression, Vcov, lpm, regress};
