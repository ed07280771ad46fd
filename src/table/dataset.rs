//! The table: columns of equal length, plus what loading it found out.

use serde::Serialize;

use super::{Column, DataType, Role, Value};
use crate::error::{CrmError, Result};

/// Facts about where the data came from and how it was read.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SourceInfo {
    /// `"csv"`, `"json"` or `"ndjson"`.
    pub format: String,
    /// The encoding the bytes were decoded from (WHATWG label, e.g. `"UTF-8"`, `"GBK"`).
    pub encoding: String,
    /// The field delimiter (CSV only): `","`, `";"`, `"\t"`, `"|"` or `"whitespace"`.
    #[cfg_attr(feature = "ts", tsify(type = "string | null"))]
    pub delimiter: Option<String>,
    /// Whether the first record was read as the header (CSV only).
    pub header: bool,
    /// Input bytes read.
    pub bytes: u64,
    /// Data records seen in the input (kept + skipped).
    pub records: u64,
    /// Records left out of the table; each is listed in the dataset's issues.
    pub skipped_rows: u64,
    /// Records kept after repair; each is listed in the dataset's issues.
    pub repaired_rows: u64,
    /// True when reading stopped at `maxRows`.
    pub truncated: bool,
    /// How sure the sniffer was of the delimiter it picked, 0–1 (the share of sampled
    /// records with the chosen field count); null when the delimiter was given.
    #[cfg_attr(feature = "ts", tsify(type = "number | null"))]
    pub delimiter_confidence: Option<f64>,
    /// Why the sniffer decided as it did, in words (e.g. "lines: no delimiter splits the
    /// lines consistently; each line is one text value"); null when nothing was sniffed.
    #[cfg_attr(feature = "ts", tsify(type = "string | null"))]
    pub sniff_note: Option<String>,
}

/// Something loading noticed about one record or cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Issue {
    /// 1-based line in the input where the record starts.
    pub line: u64,
    /// 1-based field position, when the issue is about one field.
    #[cfg_attr(feature = "ts", tsify(type = "number | null"))]
    pub column: Option<u64>,
    /// `"ragged"`, `"encoding"`, `"unbalancedQuote"`, `"json"`.
    pub kind: String,
    /// What was done: `"skipped"` (row left out) or `"repaired"` (row kept, fixed as described).
    pub action: String,
    pub message: String,
}

/// How many issues of one kind and action loading found (exact, even when the issue
/// list itself is capped).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct IssueCount {
    pub kind: String,
    pub action: String,
    pub count: u64,
}

/// One line of `dataset.columns()`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ColumnInfo {
    pub name: String,
    #[serde(rename = "type")]
    pub dtype: DataType,
    #[cfg_attr(feature = "ts", tsify(type = "Role | null"))]
    pub role: Option<Role>,
    pub null_count: usize,
    /// Source pattern of dates / style of numbers, when it matters (e.g. `"DD/MM/YYYY HH:MM"`).
    #[cfg_attr(feature = "ts", tsify(type = "string | null"))]
    pub format: Option<String>,
    /// The currency of a money column whose cells carried a symbol or code (`"EUR"`,
    /// `"USD"`, `"CNY"`, `"$"`, `"¥ (CNY or JPY)"`), else null.
    #[cfg_attr(feature = "ts", tsify(type = "string | null"))]
    pub currency: Option<String>,
    /// Source tokens read as missing, e.g. `[["NA", 11]]`.
    pub missing_tokens: Vec<(String, usize)>,
    /// What inference had to assume, e.g. an ambiguous day/month order.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dataset {
    columns: Vec<Column>,
    num_rows: usize,
    pub source: SourceInfo,
    pub issues: Vec<Issue>,
    pub issue_counts: Vec<IssueCount>,
}

impl Dataset {
    /// A dataset from columns of equal length; names must be unique.
    pub fn new(columns: Vec<Column>) -> Result<Self> {
        let num_rows = columns.first().map_or(0, |c| c.len());
        for c in &columns {
            if c.len() != num_rows {
                return Err(CrmError::state(format!(
                    "column `{}` has {} values, expected {num_rows}",
                    c.name,
                    c.len()
                )));
            }
        }
        let mut names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        crate::sort::ord(&mut names);
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(CrmError::state(format!("duplicate column name `{}`", w[0])));
        }
        Ok(Dataset { columns, num_rows, source: SourceInfo::default(), issues: Vec::new(), issue_counts: Vec::new() })
    }

    pub fn num_rows(&self) -> usize {
        self.num_rows
    }
    pub fn num_columns(&self) -> usize {
        self.columns.len()
    }
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }
    pub fn column_names(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }

    pub fn column(&self, name: &str) -> Result<&Column> {
        self.columns.iter().find(|c| c.name == name).ok_or_else(|| CrmError::UnknownColumn { name: name.to_string() })
    }

    pub fn column_info(&self) -> Vec<ColumnInfo> {
        self.columns
            .iter()
            .map(|c| ColumnInfo {
                name: c.name.clone(),
                dtype: c.dtype(),
                role: c.role,
                null_count: c.null_count(),
                format: c.format.clone(),
                currency: c.currency.clone(),
                missing_tokens: c.missing_tokens.clone(),
                warnings: c.warnings.clone(),
            })
            .collect()
    }

    /// The cells of one row, in column order.
    pub fn row(&self, i: usize) -> Vec<Value<'_>> {
        self.columns.iter().map(|c| c.get(i)).collect()
    }

    /// Approximate heap bytes held by the columns.
    pub fn memory_bytes(&self) -> usize {
        self.columns.iter().map(Column::memory_bytes).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{ColumnData, Validity};

    #[test]
    fn rejects_unequal_lengths_and_duplicate_names() {
        let a = Column::new("a", ColumnData::Int64(vec![1, 2]), Validity::all_valid(2));
        let b = Column::new("b", ColumnData::Bool(vec![true]), Validity::all_valid(1));
        assert!(Dataset::new(vec![a.clone(), b]).is_err());
        assert!(Dataset::new(vec![a.clone(), a.clone()]).is_err());
        let ds = Dataset::new(vec![a]).unwrap();
        assert_eq!(ds.num_rows(), 2);
        assert!(matches!(ds.column("zz"), Err(CrmError::UnknownColumn { .. })));
    }
}
