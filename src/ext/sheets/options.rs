//! Options of `Dataset.fromExcel` (JSON text from the JS layer; unknown keys rejected).

use serde::Deserialize;

use crmlens::{CrmError, Result};

/// Which sheet to read: its name, or its 0-based position in the workbook.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum SheetRef {
    Index(u32),
    Name(String),
}

/// What to read from a workbook.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SheetOptions {
    /// The sheet (name or 0-based index); default the first sheet.
    pub sheet: Option<SheetRef>,
    /// A cell range in A1 notation (`"B3:F200"`, or `"B3"` for everything from B3 on);
    /// default the sheet's used cells. With a range, title rows are not looked for.
    pub range: Option<String>,
    /// Whether the first row (after any title rows) holds the column names; default: detected.
    pub header: Option<bool>,
    /// Stop after this many data rows (`source.truncated` then says so).
    pub max_rows: Option<u64>,
}

/// A parsed `range`: first and last cell, 0-based (row, column), inclusive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellRange {
    pub start: (u32, u32),
    pub end: (u32, u32),
}

impl CellRange {
    pub fn contains(&self, row: u32, col: u32) -> bool {
        (self.start.0..=self.end.0).contains(&row) && (self.start.1..=self.end.1).contains(&col)
    }
}

/// The largest row and column indexes of a worksheet (Excel's limits).
pub const MAX_ROW: u32 = 1_048_575;
pub const MAX_COL: u32 = 16_383;

/// One cell reference (`B3`, `$B$3`, `b3`) → 0-based (row, column).
fn cell_ref(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().replace('$', "");
    let split = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = s.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let col = letters.bytes().fold(0u32, |acc, b| acc * 26 + (b.to_ascii_uppercase() - b'A' + 1) as u32) - 1;
    let row: u32 = digits.parse().ok()?;
    if row == 0 || row - 1 > MAX_ROW || col > MAX_COL {
        return None;
    }
    Some((row - 1, col))
}

impl SheetOptions {
    /// The `range` option, checked.
    pub fn cell_range(&self) -> Result<Option<CellRange>> {
        let Some(text) = &self.range else { return Ok(None) };
        let bad = || {
            CrmError::invalid_option(
                "range",
                format!("{text:?} is not a cell range: use A1 notation such as \"B3:F200\", or \"B3\" for all cells from B3 on"),
            )
        };
        let (a, b) = match text.split_once(':') {
            Some((a, b)) => (cell_ref(a).ok_or_else(bad)?, cell_ref(b).ok_or_else(bad)?),
            None => (cell_ref(text).ok_or_else(bad)?, (MAX_ROW, MAX_COL)),
        };
        Ok(Some(CellRange { start: (a.0.min(b.0), a.1.min(b.1)), end: (a.0.max(b.0), a.1.max(b.1)) }))
    }
}

/// `B3`-style name of a 0-based cell position (for messages).
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let r = (c - 1) % 26;
        letters.push(b'A' + r as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_in_a1_notation() {
        let o = SheetOptions { range: Some("b3:$F$200".into()), ..Default::default() };
        assert_eq!(o.cell_range().unwrap(), Some(CellRange { start: (2, 1), end: (199, 5) }));
        let o = SheetOptions { range: Some("AA10".into()), ..Default::default() };
        assert_eq!(o.cell_range().unwrap(), Some(CellRange { start: (9, 26), end: (MAX_ROW, MAX_COL) }));
        for bad in ["", "A0", "3B", "A1:", "XFE1", "A1048577"] {
            let o = SheetOptions { range: Some(bad.into()), ..Default::default() };
            let e = o.cell_range().unwrap_err();
            assert_eq!(e.code(), "INVALID_OPTION", "{bad}");
        }
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(2, 27), "AB3");
        assert_eq!(a1(0, 16383), "XFD1");
    }
}
