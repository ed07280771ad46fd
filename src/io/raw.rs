//! Cells as text, column by column, while a file is read. Types are inferred once the
//! whole column is known (see `infer`), then the text is dropped column by column.

use crate::table::StrVec;

/// One column of text cells. A cell can also be an explicit null (JSON `null`, a missing
/// key), which is different from the empty string.
#[derive(Debug, Default, Clone)]
pub struct RawColumn {
    pub name: String,
    pub cells: StrVec,
    explicit_null: Vec<bool>,
}

impl RawColumn {
    pub fn new(name: String) -> Self {
        RawColumn {
            name,
            cells: StrVec::default(),
            explicit_null: Vec::new(),
        }
    }
    pub fn len(&self) -> usize {
        self.cells.len()
    }
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
    #[inline]
    pub fn push(&mut self, s: &str) {
        self.cells.push(s);
        if !self.explicit_null.is_empty() {
            self.explicit_null.push(false);
        }
    }
    pub fn push_null(&mut self) {
        if self.explicit_null.is_empty() {
            self.explicit_null = vec![false; self.cells.len()];
        }
        self.cells.push("");
        self.explicit_null.push(true);
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
        RawTable {
            columns: names.into_iter().map(RawColumn::new).collect(),
            rows: 0,
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

    /// Appends one record whose fields match the columns one to one.
    pub fn push_record<'a>(&mut self, fields: impl Iterator<Item = &'a str>) {
        let mut n = 0;
        for (col, f) in self.columns.iter_mut().zip(fields) {
            col.push(f);
            n += 1;
        }
        for col in &mut self.columns[n..] {
            col.push_null();
        }
        self.rows += 1;
    }
}

/// Makes header names unique and non-empty: `""` → `column_3`, a repeated `a` → `a_2`.
pub fn unique_names(raw: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for (i, name) in raw.into_iter().enumerate() {
        let base = name.trim().to_string();
        let base = if base.is_empty() {
            format!("column_{}", i + 1)
        } else {
            base
        };
        let mut candidate = base.clone();
        let mut k = 2;
        while out.contains(&candidate) {
            candidate = format!("{base}_{k}");
            k += 1;
        }
        out.push(candidate);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_non_empty() {
        let n = unique_names(vec![
            "a".into(),
            "".into(),
            "a".into(),
            " b ".into(),
            "a".into(),
        ]);
        assert_eq!(n, vec!["a", "column_2", "a_2", "b", "a_3"]);
    }

    #[test]
    fn short_records_are_padded_with_explicit_nulls() {
        let mut t = RawTable::with_names(vec!["x".into(), "y".into()]);
        t.push_record(["1", "2"].into_iter());
        t.push_record(["3"].into_iter());
        assert_eq!(t.columns[1].len(), 2);
        assert!(t.columns[1].is_explicit_null(1));
        assert!(!t.columns[1].is_explicit_null(0));
        let k = t.add_column("z".into());
        assert!(t.columns[k].is_explicit_null(1));
    }
}
