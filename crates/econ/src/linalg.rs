//! Normal equations with in-order collinearity detection, Cholesky solves and score sums.

use crate::EconError;
use nalgebra::{Cholesky, DMatrix, DVector};

/// Relative pivot tolerance on the unit-diagonal scaled cross-product matrix: a column whose
/// squared residual norm, after projection on the earlier kept columns, is below this share of
/// its own squared norm is treated as collinear (≈ 1e-5 relative on the R factor of a QR).
pub(crate) const COLLINEARITY_TOL: f64 = 1e-10;

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
    let sp = SparseRows::from_dense(x);
    let g = sp.gram(w);
    let kept = independent_columns(&g);
    if kept.len() < x.ncols() {
        let dropped: Vec<usize> = (0..x.ncols()).filter(|j| !kept.contains(j)).collect();
        return Err(EconError::Singular(format!(
            "columns {dropped:?} are linear combinations of earlier columns"
        )));
    }
    let (beta, _) = solve_sparse(&sp, y, w, &g)?;
    Ok(beta.iter().copied().collect())
}

/// Maps an identifier column to dense group indices 0..G, numbered in order of first appearance.
///
/// Survey files list the members of a household together, so a row usually repeats the previous
/// row's identifier: that case skips the hash lookup. Keys are hashed with one multiply (they are
/// identifiers from the caller's own data, so a DoS-resistant hash buys nothing here).
pub(crate) fn group_ids(values: impl Iterator<Item = u64>) -> (Vec<u32>, usize) {
    let mut map: std::collections::HashMap<u64, u32, IdHashBuilder> =
        std::collections::HashMap::with_hasher(IdHashBuilder);
    let mut previous: Option<(u64, u32)> = None;
    let ids: Vec<u32> = values
        .map(|v| {
            if let Some((key, id)) = previous
                && key == v
            {
                return id;
            }
            let next = map.len() as u32;
            let id = *map.entry(v).or_insert(next);
            previous = Some((v, id));
            id
        })
        .collect();
    (ids, map.len())
}

/// Multiplicative hashing of u64 identifiers (Fibonacci hashing, folded so the high bits that
/// hashbrown uses for its control bytes depend on every input bit).
#[derive(Default, Clone, Copy)]
struct IdHashBuilder;

#[derive(Default)]
struct IdHasher(u64);

impl std::hash::BuildHasher for IdHashBuilder {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(0)
    }
}

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, v: u64) {
        let x = (self.0 ^ v ^ (v >> 32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = x ^ (x >> 29);
    }
}

/// The non-zero entries of a design matrix, row by row (compressed sparse rows).
///
/// Survey models are mostly dummies: with 31 columns a row has about 9 non-zeros, so
/// accumulating Σ w_i x_i x_i' over non-zeros is several times cheaper than a dense product,
/// and one structure serves the cross products, the score sums and the leverages.
#[derive(Debug, Clone)]
pub(crate) struct SparseRows {
    ptr: Vec<usize>,
    col: Vec<u32>,
    val: Vec<f64>,
    k: usize,
}

impl SparseRows {
    pub(crate) fn from_parts(ptr: Vec<usize>, col: Vec<u32>, val: Vec<f64>, k: usize) -> Self {
        SparseRows { ptr, col, val, k }
    }

    /// The same rows restricted to the columns `keep` (ascending), renumbered 0..keep.len().
    pub(crate) fn select_columns(&self, keep: &[usize]) -> Self {
        let mut map = vec![u32::MAX; self.k];
        for (new, &old) in keep.iter().enumerate() {
            map[old] = new as u32;
        }
        let mut ptr = Vec::with_capacity(self.ptr.len());
        let mut col = Vec::with_capacity(self.col.len());
        let mut val = Vec::with_capacity(self.val.len());
        ptr.push(0);
        for i in 0..self.n() {
            let (cols, vals) = self.row(i);
            for (&c, &v) in cols.iter().zip(vals) {
                if map[c as usize] != u32::MAX {
                    col.push(map[c as usize]);
                    val.push(v);
                }
            }
            ptr.push(col.len());
        }
        SparseRows {
            ptr,
            col,
            val,
            k: keep.len(),
        }
    }

    pub(crate) fn from_dense(x: &DMatrix<f64>) -> Self {
        let (n, k) = x.shape();
        let data = x.as_slice();
        // Count first so the buffers are allocated once at their exact size.
        let nnz = data.iter().filter(|v| **v != 0.0).count();
        let mut ptr = Vec::with_capacity(n + 1);
        let mut col = Vec::with_capacity(nnz);
        let mut val = Vec::with_capacity(nnz);
        ptr.push(0);
        // Rows in blocks: each column slice of a block is read contiguously (the matrix is
        // column-major), then the block is emitted row by row.
        const BLOCK: usize = 256;
        let mut block = vec![0.0; BLOCK * k];
        for start in (0..n).step_by(BLOCK) {
            let len = BLOCK.min(n - start);
            for j in 0..k {
                let src = &data[j * n + start..j * n + start + len];
                for (r, v) in src.iter().enumerate() {
                    block[r * k + j] = *v;
                }
            }
            for r in 0..len {
                for (j, &v) in block[r * k..(r + 1) * k].iter().enumerate() {
                    if v != 0.0 {
                        col.push(j as u32);
                        val.push(v);
                    }
                }
                ptr.push(col.len());
            }
        }
        SparseRows { ptr, col, val, k }
    }

    pub(crate) fn row(&self, i: usize) -> (&[u32], &[f64]) {
        let (a, b) = (self.ptr[i], self.ptr[i + 1]);
        (&self.col[a..b], &self.val[a..b])
    }

    fn n(&self) -> usize {
        self.ptr.len() - 1
    }

    /// Σ m_i x_i x_i' (m = 1 when `None`).
    pub(crate) fn gram(&self, m: Option<&[f64]>) -> DMatrix<f64> {
        let k = self.k;
        let mut acc = vec![0.0; k * k];
        for i in 0..self.n() {
            let (cols, vals) = self.row(i);
            let mi = m.map_or(1.0, |m| m[i]);
            if mi == 0.0 {
                continue;
            }
            for (a, (&ca, &va)) in cols.iter().zip(vals).enumerate() {
                let s = mi * va;
                let base = ca as usize * k;
                for (&cb, &vb) in cols[a..].iter().zip(&vals[a..]) {
                    acc[base + cb as usize] += s * vb;
                }
            }
        }
        // Column indices ascend within a row, so `acc` holds the upper triangle (a ≤ b).
        DMatrix::from_fn(k, k, |r, c| {
            if r <= c {
                acc[r * k + c]
            } else {
                acc[c * k + r]
            }
        })
    }

    /// X'v.
    pub(crate) fn tr_mul_vec(&self, v: &[f64]) -> DVector<f64> {
        let mut out = vec![0.0; self.k];
        for (range, &vi) in self.ptr.windows(2).zip(v) {
            let (cols, vals) = (&self.col[range[0]..range[1]], &self.val[range[0]..range[1]]);
            for (&c, &x) in cols.iter().zip(vals) {
                out[c as usize] += x * vi;
            }
        }
        DVector::from_vec(out)
    }

    /// X'W(y − Xb) in one pass over the rows, without storing the fitted values or residuals
    /// (the same operations, in the same order, as `tr_mul_vec` of the weighted residuals).
    pub(crate) fn tr_mul_weighted_residuals(
        &self,
        y: &[f64],
        w: Option<&[f64]>,
        b: &DVector<f64>,
    ) -> DVector<f64> {
        let b = b.as_slice();
        let mut out = vec![0.0; self.k];
        for (i, (range, &yi)) in self.ptr.windows(2).zip(y).enumerate() {
            let (cols, vals) = (&self.col[range[0]..range[1]], &self.val[range[0]..range[1]]);
            let fitted: f64 = cols
                .iter()
                .zip(vals)
                .map(|(&c, &x)| x * b[c as usize])
                .sum();
            let ri = (yi - fitted) * w.map_or(1.0, |w| w[i]);
            for (&c, &x) in cols.iter().zip(vals) {
                out[c as usize] += x * ri;
            }
        }
        DVector::from_vec(out)
    }

    /// Xb.
    pub(crate) fn mul_vec(&self, b: &DVector<f64>) -> Vec<f64> {
        (0..self.n())
            .map(|i| {
                let (cols, vals) = self.row(i);
                cols.iter()
                    .zip(vals)
                    .map(|(&c, &x)| x * b[c as usize])
                    .sum()
            })
            .collect()
    }

    /// x_i' M x_i for every row.
    pub(crate) fn quad_forms(&self, m: &DMatrix<f64>) -> Vec<f64> {
        (0..self.n())
            .map(|i| {
                let (cols, vals) = self.row(i);
                let mut s = 0.0;
                for (&ca, &va) in cols.iter().zip(vals) {
                    for (&cb, &vb) in cols.iter().zip(vals) {
                        s += va * m[(ca as usize, cb as usize)] * vb;
                    }
                }
                s
            })
            .collect()
    }

    /// Σ_g t_g t_g' with t_g = Σ_{i∈g} s_i x_i, one group at a time.
    ///
    /// Rows are bucketed by group (a stable counting sort, so each t_g sums its rows in row order),
    /// and each t_g lives in one k-vector only while its group is folded: no G × k matrix of sums
    /// (570 MB for 2.3 million households) is ever formed. The outer product runs over the non-zeros
    /// of t_g in ascending column order, groups in index order — the same sums, in the same order,
    /// as forming every t_g first.
    pub(crate) fn clustered_meat(
        &self,
        s: &[f64],
        groups: &[u32],
        n_groups: usize,
    ) -> DMatrix<f64> {
        let k = self.k;
        let mut start = vec![0usize; n_groups + 1];
        for &g in groups {
            start[g as usize + 1] += 1;
        }
        for g in 0..n_groups {
            start[g + 1] += start[g];
        }
        // Groups numbered by first appearance and stored contiguously (the usual household file)
        // are already in bucket order: the rows are then read in place.
        let in_order = groups.windows(2).all(|p| p[1] == p[0] || p[1] == p[0] + 1)
            && groups.first().is_none_or(|&g| g == 0);
        let order: Vec<u32> = if in_order {
            Vec::new()
        } else {
            let mut next = start.clone();
            let mut order = vec![0u32; groups.len()];
            for (i, &g) in groups.iter().enumerate() {
                order[next[g as usize]] = i as u32;
                next[g as usize] += 1;
            }
            order
        };
        let mut meat = vec![0.0; k * k];
        let mut t = vec![0.0; k];
        let mut nonzero: Vec<(usize, f64)> = Vec::with_capacity(k);
        for g in 0..n_groups {
            let mut add_row = |i: usize| {
                let si = s[i];
                let (cols, vals) = self.row(i);
                for (&c, &x) in cols.iter().zip(vals) {
                    t[c as usize] += si * x;
                }
            };
            if in_order {
                (start[g]..start[g + 1]).for_each(&mut add_row);
            } else {
                order[start[g]..start[g + 1]]
                    .iter()
                    .for_each(|&i| add_row(i as usize));
            }
            nonzero.clear();
            for (c, v) in t.iter_mut().enumerate() {
                if *v != 0.0 {
                    nonzero.push((c, *v));
                    *v = 0.0;
                }
            }
            for (at, &(a, ta)) in nonzero.iter().enumerate() {
                let row = &mut meat[a * k..(a + 1) * k];
                for &(b, tb) in &nonzero[at..] {
                    row[b] += ta * tb;
                }
            }
        }
        DMatrix::from_fn(k, k, |r, c| {
            if r <= c {
                meat[r * k + c]
            } else {
                meat[c * k + r]
            }
        })
    }

    /// Rows of Σ_{i∈g} s_i x_i for each group g (G × k).
    pub(crate) fn group_sums(&self, s: &[f64], groups: &[u32], n_groups: usize) -> DMatrix<f64> {
        let k = self.k;
        let mut acc = vec![0.0; n_groups * k];
        for (i, (&si, &g)) in s.iter().zip(groups).enumerate() {
            let (cols, vals) = self.row(i);
            let base = g as usize * k;
            for (&c, &x) in cols.iter().zip(vals) {
                acc[base + c as usize] += si * x;
            }
        }
        DMatrix::from_row_slice(n_groups, k, &acc)
    }
}

/// Weighted least squares on the kept columns, with iterative refinement on the residuals so
/// the accuracy matches a QR solve even when X'WX is moderately ill-conditioned.
pub(crate) fn solve_sparse(
    sp: &SparseRows,
    y: &[f64],
    w: Option<&[f64]>,
    g: &DMatrix<f64>,
) -> Result<(DVector<f64>, ScaledCholesky), EconError> {
    let chol = ScaledCholesky::new(g)?;
    let wy: Vec<f64> = match w {
        Some(w) => y.iter().zip(w).map(|(a, b)| a * b).collect(),
        None => y.to_vec(),
    };
    let mut beta = chol.solve(&sp.tr_mul_vec(&wy));
    for _ in 0..2 {
        let delta = chol.solve(&sp.tr_mul_weighted_residuals(y, w, &beta));
        beta += &delta;
        if delta.amax() <= 1e-15 * beta.amax().max(1e-300) {
            break;
        }
    }
    Ok((beta, chol))
}
