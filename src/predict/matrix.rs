//! A dense column-major matrix of encoded features (`NaN` = missing), and the size check
//! every allocation sized by the input goes through.

use crate::error::{CrmError, Result};

/// Most cells (rows × encoded columns) a feature matrix may hold: 2^27 doubles = 1 GiB.
pub const MAX_CELLS: usize = 1 << 27;

#[derive(Debug, Clone, PartialEq)]
pub struct Mat {
    pub rows: usize,
    pub cols: usize,
    /// Column `j` is `data[j * rows..(j + 1) * rows]`.
    pub data: Vec<f64>,
}

/// `rows × cols` cells, or `TOO_LARGE` naming `what`.
pub fn checked_cells(rows: usize, cols: usize, what: &str) -> Result<usize> {
    match rows.checked_mul(cols) {
        Some(c) if c <= MAX_CELLS => Ok(c),
        _ => Err(CrmError::too_large(
            what,
            format!("{rows} rows × {cols} encoded columns exceeds the limit of {MAX_CELLS} cells"),
        )),
    }
}

/// Most columns in one exclusive run (codes are bytes, one code means "none").
const MAX_RUN: usize = 254;

/// Greedy runs of consecutive columns among the first `cols`, each 0/1 with no missing value
/// and at most one 1 per row (a category's one-hot levels; exclusive feature bundling, as
/// LightGBM): `(first, width, codes)` with one code per row, `k` when column `first + k` is 1
/// and `width` when none is. Runs of one column are left out. Models use them to touch each
/// category once per row instead of once per level.
pub fn exclusive_runs(x: &Mat, cols: usize) -> Vec<(usize, usize, Vec<u8>)> {
    let cols = cols.min(x.cols);
    let binary = |j: usize| x.col(j).iter().all(|&v| v == 0.0 || v == 1.0);
    let mut out = Vec::new();
    let mut j = 0;
    while j < cols {
        if !binary(j) {
            j += 1;
            continue;
        }
        const NONE: u8 = u8::MAX;
        let mut code: Vec<u8> = x.col(j).iter().map(|&v| if v == 1.0 { 0 } else { NONE }).collect();
        let mut width = 1;
        while j + width < cols && width < MAX_RUN && binary(j + width) {
            let c = x.col(j + width);
            if code.iter().zip(c).any(|(&k, &v)| v == 1.0 && k != NONE) {
                break;
            }
            for (k, &v) in code.iter_mut().zip(c) {
                if v == 1.0 {
                    *k = width as u8;
                }
            }
            width += 1;
        }
        if width > 1 {
            for k in code.iter_mut() {
                if *k == NONE {
                    *k = width as u8;
                }
            }
            out.push((j, width, code));
        }
        j += width;
    }
    out
}

impl Mat {
    pub fn zeros(rows: usize, cols: usize) -> Result<Mat> {
        let n = checked_cells(rows, cols, "features")?;
        Ok(Mat { rows, cols, data: vec![0.0; n] })
    }

    pub fn col(&self, j: usize) -> &[f64] {
        &self.data[j * self.rows..(j + 1) * self.rows]
    }

    pub fn col_mut(&mut self, j: usize) -> &mut [f64] {
        let r = self.rows;
        &mut self.data[j * r..(j + 1) * r]
    }

    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.data[j * self.rows + i]
    }

    /// One row as a vector (for per-row explanations).
    pub fn row(&self, i: usize) -> Vec<f64> {
        (0..self.cols).map(|j| self.get(i, j)).collect()
    }

    /// The rows `idx`, in that order.
    pub fn take(&self, idx: &[usize]) -> Mat {
        let mut data = Vec::with_capacity(idx.len() * self.cols);
        for j in 0..self.cols {
            let c = self.col(j);
            data.extend(idx.iter().map(|&i| c[i]));
        }
        Mat { rows: idx.len(), cols: self.cols, data }
    }
}
