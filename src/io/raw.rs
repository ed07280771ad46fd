//! Cells as text, column by column, while a file is read. Types are inferred once the
//! whole column is known (see `infer`), then the text is dropped column by column.

use crate::table::StrVec;

/// One column of cells as UTF-8 bytes, back to back. A cell can also be an explicit null
/// (JSON `null`, a missing key), which is different from the empty string.
#[derive(Debug, Default, Clone)]
pub struct RawColumn {
    pub name: String,
    bytes: Vec<u8>,
    ends: Vec<usize>,
    explicit_null: Vec<bool>,
}

/// A raw column after one UTF-8 validation of its whole buffer: cells as `&str`.
pub struct TextCells {
    pub name: String,
    pub cells: StrVec,
    explicit_null: Vec<bool>,
}

impl RawColumn {
    pub fn new(name: String) -> Self {
        RawColumn { name, bytes: Vec::new(), ends: Vec::new(), explicit_null: Vec::new() }
    }
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    #[inline]
    pub fn push(&mut self, s: &[u8]) {
        self.bytes.extend_from_slice(s);
        self.ends.push(self.bytes.len());
        if !self.explicit_null.is_empty() {
            self.explicit_null.push(false);
        }
    }
    pub fn push_null(&mut self) {
        if self.explicit_null.is_empty() {
            self.explicit_null = vec![false; self.ends.len()];
        }
        self.ends.push(self.bytes.len());
        self.explicit_null.push(true);
    }

    /// Validates the buffer once. Cells come from decoded text split at ASCII bytes, so
    /// this cannot fail; if it ever did, bad bytes would show as U+FFFD, not vanish.
    pub fn into_text(self) -> TextCells {
        let data = match String::from_utf8(self.bytes) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        let cells = StrVec::from_parts(data, self.ends);
        TextCells { name: self.name, cells, explicit_null: self.explicit_null }
    }
}

impl TextCells {
    pub fn len(&self) -> usize {
        self.cells.len()
    }
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
    #[inline]
    pub fn is_explicit_null(&self, i: usize) -> bool {
        !self.explicit_null.is_empty() && self.explicit_null[i]
    }
    #[inline]
    pub fn get(&self, i: usize) -> &str {
        self.cells.get(i)
    }
}

/// A table of text cells being filled record by record.
#[derive(Debug, Default)]
pub struct RawTable {
    pub columns: Vec<RawColumn>,
    pub rows: usize,
}

impl RawTable {
    pub fn with_names(names: Vec<String>) -> Self {
        RawTable { columns: names.into_iter().map(RawColumn::new).collect(), rows: 0 }
    }

    /// Allocates room for `rows` more rows and `bytes[j]` bytes of text in column j.
    pub fn reserve(&mut self, rows: usize, bytes: &[usize]) {
        for (j, c) in self.columns.iter_mut().enumerate() {
            c.ends.reserve(rows);
            c.bytes.reserve(bytes.get(j).copied().unwrap_or(0));
        }
    }

    /// Adds a column of `rows` nulls (a key first seen after some rows, in JSON).
    pub fn add_column(&mut self, name: String) -> usize {
        let mut c = RawColumn::new(name);
        for _ in 0..self.rows {
            c.push_null();
        }
        self.columns.push(c);
        self.columns.len() - 1
    }

    /// Appends one record: field j goes to column j; missing fields are explicit nulls,
    /// fields beyond the last column are not kept (the caller reports them).
    pub fn push_record(&mut self, fields: &dyn super::record::Fields) {
        let n = fields.count();
        if let Some(cells) = fields.slices().filter(|c| c.len() == self.columns.len()) {
            for (col, cell) in self.columns.iter_mut().zip(cells) {
                col.push(cell);
            }
            self.rows += 1;
            return;
        }
        for (j, col) in self.columns.iter_mut().enumerate() {
            if j < n {
                col.push(fields.field(j));
            } else {
                col.push_null();
            }
        }
        self.rows += 1;
    }
}

/// Makes header names unique and non-empty: `""` → `column_3`, a repeated `a` → `a_2`.
pub fn unique_names(raw: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    let mut seen = rustc_hash::FxHashSet::default();
    for (i, name) in raw.into_iter().enumerate() {
        let base = name.trim().to_string();
        let base = if base.is_empty() { format!("column_{}", i + 1) } else { base };
        let mut candidate = base.clone();
        let mut k = 2;
        while seen.contains(&candidate) {
            candidate = format!("{base}_{k}");
            k += 1;
        }
        seen.insert(candidate.clone());
        out.push(candidate);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_non_empty() {
        let n = unique_names(vec!["a".into(), "".into(), "a".into(), " b ".into(), "a".into()]);
        assert_eq!(n, vec!["a", "column_2", "a_2", "b", "a_3"]);
    }

    #[test]
    fn short_records_are_padded_with_explicit_nulls() {
        let mut t = RawTable::with_names(vec!["x".into(), "y".into()]);
        t.push_record(&vec![&b"1"[..], b"2"]);
        t.push_record(&vec![&b"3"[..]]);
        assert_eq!(t.columns[1].len(), 2);
        let k = t.add_column("z".into());
        let y = t.columns.swap_remove(1).into_text();
        assert!(y.is_explicit_null(1) && !y.is_explicit_null(0));
        assert_eq!(y.get(0), "2");
        assert!(t.columns.swap_remove(k - 1).into_text().is_explicit_null(1));
    }
}
