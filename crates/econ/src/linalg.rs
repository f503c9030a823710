//! Normal equations with in-order collinearity detection, Cholesky solves and score sums.

use crate::EconError;
use nalgebra::{Cholesky, DMatrix, DVector};

/// Relative pivot tolerance on the unit-diagonal scaled cross-product matrix: a column whose
/// squared residual norm, after projection on the earlier kept columns, is below this share of
/// its own squared norm is treated as collinear (≈ 1e-5 relative on the R factor of a QR).
pub(crate) const COLLINEARITY_TOL: f64 = 1e-10;

/// X'WX (or X'X) via a blocked matrix product.
pub(crate) fn cross_product(x: &DMatrix<f64>, w: Option<&[f64]>) -> DMatrix<f64> {
    match w {
        None => x.tr_mul(x),
        Some(w) => {
            let mut xw = x.clone();
            scale_rows(&mut xw, w);
            xw.tr_mul(x)
        }
    }
}

/// Multiplies row i of `m` by `s[i]`.
pub(crate) fn scale_rows(m: &mut DMatrix<f64>, s: &[f64]) {
    for mut col in m.column_iter_mut() {
        for (v, f) in col.iter_mut().zip(s) {
            *v *= f;
        }
    }
}

/// X'Wv.
pub(crate) fn cross_vector(x: &DMatrix<f64>, v: &[f64], w: Option<&[f64]>) -> DVector<f64> {
    let v = match w {
        None => DVector::from_column_slice(v),
        Some(w) => DVector::from_iterator(v.len(), v.iter().zip(w).map(|(a, b)| a * b)),
    };
    x.tr_mul(&v)
}

/// Indices of the columns kept by an in-order (Gram–Schmidt order, as R's `lm` and Stata)
/// Cholesky of the scaled cross-product matrix: later columns that are linear combinations of
/// earlier ones are dropped.
pub(crate) fn independent_columns(g: &DMatrix<f64>) -> Vec<usize> {
    let k = g.nrows();
    let scale: Vec<f64> = (0..k).map(|j| g[(j, j)].max(0.0).sqrt()).collect();
    let mut kept: Vec<usize> = Vec::with_capacity(k);
    // Rows of L for kept columns, in kept order.
    let mut l: Vec<Vec<f64>> = Vec::with_capacity(k);
    for j in 0..k {
        if scale[j] == 0.0 || !scale[j].is_finite() {
            continue;
        }
        let m = kept.len();
        let mut row = vec![0.0; m];
        for a in 0..m {
            let ka = kept[a];
            let mut s = g[(ka, j)] / (scale[ka] * scale[j]);
            for b in 0..a {
                s -= l[a][b] * row[b];
            }
            row[a] = s / l[a][a];
        }
        let pivot = 1.0 - row.iter().map(|v| v * v).sum::<f64>();
        if pivot > COLLINEARITY_TOL {
            row.push(pivot.sqrt());
            l.push(row);
            kept.push(j);
        }
    }
    kept
}

/// Submatrix of the selected rows and columns.
pub(crate) fn select_square(g: &DMatrix<f64>, idx: &[usize]) -> DMatrix<f64> {
    DMatrix::from_fn(idx.len(), idx.len(), |a, b| g[(idx[a], idx[b])])
}

/// Selected columns of `x` (no copy when all are kept).
pub(crate) fn select_columns<'a>(
    x: &'a DMatrix<f64>,
    idx: &[usize],
) -> std::borrow::Cow<'a, DMatrix<f64>> {
    if idx.len() == x.ncols() {
        std::borrow::Cow::Borrowed(x)
    } else {
        std::borrow::Cow::Owned(x.select_columns(idx.iter()))
    }
}

/// Cholesky factor of a symmetric positive definite matrix, after scaling to unit diagonal.
pub(crate) struct ScaledCholesky {
    chol: Cholesky<f64, nalgebra::Dyn>,
    scale: DVector<f64>,
}

impl ScaledCholesky {
    pub(crate) fn new(g: &DMatrix<f64>) -> Result<Self, EconError> {
        let k = g.nrows();
        let scale = DVector::from_iterator(k, (0..k).map(|j| 1.0 / g[(j, j)].sqrt()));
        let scaled = DMatrix::from_fn(k, k, |a, b| g[(a, b)] * scale[a] * scale[b]);
        let chol = Cholesky::new(scaled)
            .ok_or_else(|| EconError::Singular("X'WX is not positive definite".into()))?;
        Ok(ScaledCholesky { chol, scale })
    }
    pub(crate) fn solve(&self, b: &DVector<f64>) -> DVector<f64> {
        let sb = b.component_mul(&self.scale);
        self.chol.solve(&sb).component_mul(&self.scale)
    }
    pub(crate) fn inverse(&self) -> DMatrix<f64> {
        let inv = self.chol.inverse();
        let k = inv.nrows();
        DMatrix::from_fn(k, k, |a, b| inv[(a, b)] * self.scale[a] * self.scale[b])
    }
}

/// Weighted least squares on the kept columns, with one step of iterative refinement on the
/// residuals so the accuracy matches a QR solve even when X'WX is moderately ill-conditioned.
pub(crate) fn solve_least_squares(
    x: &DMatrix<f64>,
    y: &[f64],
    w: Option<&[f64]>,
    g: &DMatrix<f64>,
) -> Result<(DVector<f64>, ScaledCholesky), EconError> {
    let chol = ScaledCholesky::new(g)?;
    let mut beta = chol.solve(&cross_vector(x, y, w));
    for _ in 0..2 {
        let fitted = x * &beta;
        let resid: Vec<f64> = y.iter().zip(fitted.iter()).map(|(a, b)| a - b).collect();
        let delta = chol.solve(&cross_vector(x, &resid, w));
        beta += &delta;
        if delta.amax() <= 1e-15 * beta.amax().max(1e-300) {
            break;
        }
    }
    Ok((beta, chol))
}

/// Coefficients of the (weighted) least-squares fit of `y` on `x`: the fast path used by
/// resampling code where the design is fixed. Fails if `x` is rank deficient.
///
/// ```
/// use egov_econ::ols_coefficients;
/// use nalgebra::DMatrix;
/// let x = DMatrix::from_row_slice(4, 2, &[1.0, 0.0, 1.0, 1.0, 1.0, 2.0, 1.0, 3.0]);
/// let b = ols_coefficients(&x, &[1.0, 3.0, 5.0, 7.0], None).unwrap();
/// assert!((b[0] - 1.0).abs() < 1e-12 && (b[1] - 2.0).abs() < 1e-12);
/// ```
pub fn ols_coefficients(
    x: &DMatrix<f64>,
    y: &[f64],
    w: Option<&[f64]>,
) -> Result<Vec<f64>, EconError> {
    if y.len() != x.nrows() || w.is_some_and(|w| w.len() != x.nrows()) {
        return Err(EconError::InvalidArgument {
            name: "y/w".into(),
            reason: format!("lengths must equal the {} rows of x", x.nrows()),
        });
    }
    let g = cross_product(x, w);
    let kept = independent_columns(&g);
    if kept.len() < x.ncols() {
        let dropped: Vec<usize> = (0..x.ncols()).filter(|j| !kept.contains(j)).collect();
        return Err(EconError::Singular(format!(
            "columns {dropped:?} are linear combinations of earlier columns"
        )));
    }
    let (beta, _) = solve_least_squares(x, y, w, &g)?;
    Ok(beta.iter().copied().collect())
}

/// Maps an identifier column to dense group indices 0..G.
pub(crate) fn group_ids(values: impl Iterator<Item = u64>) -> (Vec<u32>, usize) {
    let mut map: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    let ids: Vec<u32> = values
        .map(|v| {
            let next = map.len() as u32;
            *map.entry(v).or_insert(next)
        })
        .collect();
    (ids, map.len())
}

/// Σ_g s_g s_g' where s_g is the sum of score rows in group g; `scores` is n × k.
pub(crate) fn clustered_meat(
    scores: &DMatrix<f64>,
    groups: &[u32],
    n_groups: usize,
) -> DMatrix<f64> {
    let k = scores.ncols();
    let mut sums = DMatrix::<f64>::zeros(n_groups, k);
    for j in 0..k {
        let col = scores.column(j);
        let mut dst = sums.column_mut(j);
        for (v, &g) in col.iter().zip(groups) {
            dst[g as usize] += v;
        }
    }
    sums.tr_mul(&sums)
}
