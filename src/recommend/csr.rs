//! Compressed sparse rows: the user × item interaction matrix, its item × user transpose and
//! the item × item neighbour lists are all this one type.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Csr {
    pub rows: usize,
    pub cols: usize,
    /// `indptr[r]..indptr[r + 1]` are row r's entries; `rows + 1` long.
    pub indptr: Vec<u32>,
    /// Column of each entry, increasing within a row.
    pub indices: Vec<u32>,
    pub data: Vec<f32>,
}

impl Csr {
    /// From (row, col, value) triples in any order; duplicates are summed.
    pub fn from_triples(rows: usize, cols: usize, triples: Vec<(u32, u32, f32)>) -> Csr {
        let mut order: Vec<(u64, u32)> =
            triples.iter().enumerate().map(|(k, t)| (((t.0 as u64) << 32) | t.1 as u64, k as u32)).collect();
        super::topk::sort_keyed(&mut order);
        let triples = order.into_iter().map(|(_, k)| triples[k as usize]);
        let mut indptr = vec![0u32; rows + 1];
        let mut indices = Vec::with_capacity(triples.len());
        let mut data: Vec<f32> = Vec::with_capacity(triples.len());
        let mut last: Option<(u32, u32)> = None;
        for (r, c, v) in triples {
            if last == Some((r, c)) {
                *data.last_mut().expect("an entry was pushed") += v;
                continue;
            }
            last = Some((r, c));
            indptr[r as usize + 1] += 1;
            indices.push(c);
            data.push(v);
        }
        for r in 0..rows {
            indptr[r + 1] += indptr[r];
        }
        Csr { rows, cols, indptr, indices, data }
    }

    pub fn nnz(&self) -> usize {
        self.indices.len()
    }

    pub fn row(&self, r: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.indptr[r] as usize, self.indptr[r + 1] as usize);
        (&self.indices[a..b], &self.data[a..b])
    }

    pub fn row_len(&self, r: usize) -> usize {
        (self.indptr[r + 1] - self.indptr[r]) as usize
    }

    /// Value at (r, c), if stored.
    pub fn get(&self, r: usize, c: u32) -> Option<f32> {
        let (idx, val) = self.row(r);
        idx.binary_search(&c).ok().map(|k| val[k])
    }

    /// The transpose (columns increasing within each row, by construction).
    pub fn transpose(&self) -> Csr {
        let mut indptr = vec![0u32; self.cols + 1];
        for &c in &self.indices {
            indptr[c as usize + 1] += 1;
        }
        for c in 0..self.cols {
            indptr[c + 1] += indptr[c];
        }
        let mut next: Vec<u32> = indptr[..self.cols].to_vec();
        let mut indices = vec![0u32; self.nnz()];
        let mut data = vec![0f32; self.nnz()];
        for r in 0..self.rows {
            let (idx, val) = self.row(r);
            for (&c, &v) in idx.iter().zip(val) {
                let slot = next[c as usize] as usize;
                indices[slot] = r as u32;
                data[slot] = v;
                next[c as usize] += 1;
            }
        }
        Csr { rows: self.cols, cols: self.rows, indptr, indices, data }
    }

    /// Bytes held by the three arrays.
    pub fn memory_bytes(&self) -> usize {
        self.indptr.capacity() * 4 + self.indices.capacity() * 4 + self.data.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triples_sum_duplicates_and_transpose_round_trips() {
        let m = Csr::from_triples(3, 4, vec![(2, 1, 1.0), (0, 3, 2.0), (0, 1, 1.0), (0, 3, 0.5), (1, 0, 4.0)]);
        assert_eq!(m.indptr, vec![0, 2, 3, 4]);
        assert_eq!(m.row(0), (&[1u32, 3][..], &[1.0f32, 2.5][..]));
        assert_eq!(m.get(1, 0), Some(4.0));
        assert_eq!(m.get(1, 1), None);
        let t = m.transpose();
        assert_eq!((t.rows, t.cols), (4, 3));
        assert_eq!(t.row(1), (&[0u32, 2][..], &[1.0f32, 1.0][..]));
        assert_eq!(t.transpose(), m);
    }
}
