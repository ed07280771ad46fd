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
