//! Gathering rows of a column by position: the building block of joins, filters and
//! reordering. `None` positions become nulls.

use super::column::{Column, ColumnData};
use super::strings::StrVec;
use super::validity::Validity;

impl Column {
    /// A new column whose row i is this column's row `rows[i]` (null for `None` or a position
    /// past the end). Name, role, format and the other metadata are kept.
    pub fn take(&self, rows: &[Option<usize>]) -> Column {
        let n = self.len();
        let pick = |r: &Option<usize>| r.filter(|&i| i < n && self.validity.is_valid(i));
        let mut validity = Validity::with_capacity(rows.len());
        for r in rows {
            validity.push(pick(r).is_some());
        }
        fn gather<T: Copy + Default>(
            v: &[T],
            rows: &[Option<usize>],
            ok: impl Fn(&Option<usize>) -> Option<usize>,
        ) -> Vec<T> {
            rows.iter().map(|r| ok(r).map(|i| v[i]).unwrap_or_default()).collect()
        }
        let data = match &self.data {
            ColumnData::Int64(v) => ColumnData::Int64(gather(v, rows, pick)),
            ColumnData::Float64(v) => ColumnData::Float64(gather(v, rows, pick)),
            ColumnData::Bool(v) => ColumnData::Bool(gather(v, rows, pick)),
            ColumnData::Date(v) => ColumnData::Date(gather(v, rows, pick)),
            ColumnData::Datetime(v) => ColumnData::Datetime(gather(v, rows, pick)),
            ColumnData::Category { codes, dict } => {
                ColumnData::Category { codes: gather(codes, rows, pick), dict: dict.clone() }
            }
            ColumnData::Text(s) => {
                let mut out = StrVec::default();
                for r in rows {
                    out.push(pick(r).map(|i| s.get(i)).unwrap_or(""));
                }
                ColumnData::Text(out)
            }
        };
        Column { data, validity, ..self.clone_meta() }
    }

    /// This column's name and metadata with no rows.
    fn clone_meta(&self) -> Column {
        Column {
            name: self.name.clone(),
            data: ColumnData::Bool(Vec::new()),
            validity: Validity::with_capacity(0),
            role: self.role,
            format: self.format.clone(),
            missing_tokens: self.missing_tokens.clone(),
            warnings: self.warnings.clone(),
            utc: self.utc,
            currency: self.currency.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::table::Value;

    #[test]
    fn take_gathers_and_fills_nulls() {
        let ds = crate::io::read_csv_str("id,n,s,d\n1,2.5,a,2024-01-02\n2,,b,\n3,7,,2024-03-04\n", Default::default())
            .unwrap();
        let rows = [Some(2), None, Some(0), Some(1), Some(9)];
        for c in ds.columns() {
            let t = c.take(&rows);
            assert_eq!(t.len(), 5);
            assert_eq!(t.dtype(), c.dtype());
            assert_eq!(t.get(0), c.get(2));
            assert_eq!(t.get(1), Value::Null);
            assert_eq!(t.get(2), c.get(0));
            assert_eq!(t.get(3), c.get(1));
            assert_eq!(t.get(4), Value::Null);
        }
    }
}
