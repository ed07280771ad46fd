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
    #[inline(always)]
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

    /// Removes the last cell.
    pub fn pop(&mut self) {
        if self.ends.pop().is_some() {
            self.bytes.truncate(self.ends.last().copied().unwrap_or(0));
            self.explicit_null.pop();
        }
    }

    /// Validates the buffer once. Cells come from decoded text split at ASCII bytes, so
    /// this cannot fail; if it ever did, bad bytes would show as U+FFFD, not vanish.
    pub fn into_text(mut self) -> TextCells {
        // A reservation from a size estimate that overshot is given back: the column
        // holds what the data needs, not what a guess asked for.
        if self.bytes.capacity() > self.bytes.len() + self.bytes.len() / 4 + 4096 {
            self.bytes.shrink_to_fit();
        }
        if self.ends.capacity() > self.ends.len() + self.ends.len() / 4 + 1024 {
            self.ends.shrink_to_fit();
        }
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

    /// Removes the last `k` rows.
    pub fn pop_rows(&mut self, k: usize) {
        let k = k.min(self.rows);
        for c in &mut self.columns {
            for _ in 0..k {
                c.pop();
            }
        }
        self.rows -= k;
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
/// Linear in the number of names: each base name remembers the next suffix to try, so
/// 20,000 copies of one name do not re-test `a_2`, `a_3`, … for every copy.
pub fn unique_names(raw: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    let mut seen = rustc_hash::FxHashSet::default();
    let mut next: rustc_hash::FxHashMap<String, usize> = rustc_hash::FxHashMap::default();
    for (i, name) in raw.into_iter().enumerate() {
        let base = name.trim().to_string();
        let base = if base.is_empty() { format!("column_{}", i + 1) } else { base };
        if seen.insert(base.clone()) {
            out.push(base);
            continue;
        }
        let k = next.entry(base.clone()).or_insert(2);
        let mut candidate = format!("{base}_{k}");
        while seen.contains(&candidate) {
            *k += 1;
            candidate = format!("{base}_{k}");
        }
        *k += 1;
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
        // A name that is already someone's suffix is skipped over.
        let n = unique_names(vec!["a".into(), "a_2".into(), "a".into(), "a".into()]);
        assert_eq!(n, vec!["a", "a_2", "a_3", "a_4"]);
    }

    /// Fuzz finding 02: 20,000 copies of one header name took 23 s (quadratic renaming).
    #[test]
    fn many_copies_of_one_name_are_renamed_in_linear_time() {
        let t = std::time::Instant::now();
        let n = unique_names(vec!["a".to_string(); 20_000]);
        assert_eq!(n[19_999], "a_20000");
        assert_eq!(n.iter().collect::<std::collections::HashSet<_>>().len(), 20_000);
        // Generous bound for a debug build on a busy machine; the quadratic version needs seconds.
        assert!(t.elapsed().as_millis() < 1500, "{:?}", t.elapsed());
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
