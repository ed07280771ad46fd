//! A worksheet's used cells, column by column (sparse: empty cells are not stored), as read
//! from any of the workbook formats.

use crmlens::{CrmError, Result};

/// One non-empty cell, typed as the workbook stores it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A number (formulas: their cached value).
    Num(f64),
    Bool(bool),
    /// A date or date-time from a serial number with a date format (or an ISO value in
    /// .ods): milliseconds since 1970-01-01T00:00:00.
    When(i64),
    /// A duration (`[h]:mm:ss` formats), in seconds.
    Duration(f64),
    Text(String),
    /// A formula error such as `#DIV/0!` or `#N/A`.
    Error(String),
}

/// Most cells a sheet may hold (rows × columns of the table read), so that a workbook
/// claiming a huge extent cannot size an allocation: 2^27 (≈134 M) cells.
pub const MAX_CELLS: u64 = 1 << 27;

/// The used cells of one sheet: `cols[c]` holds (row, cell) in row order, for column `c`
/// (0 = column A); rows and columns are absolute sheet positions.
#[derive(Debug, Default)]
pub struct Grid {
    pub cols: Vec<Vec<(u32, Cell)>>,
    /// One past the last row holding a cell.
    pub rows: u32,
    /// Merged regions: ((row, col) start, (row, col) end), inclusive.
    pub merged: Vec<((u32, u32), (u32, u32))>,
}

impl Grid {
    /// Adds a cell; cells of one column must arrive in row order (all readers give them
    /// row by row).
    pub fn push(&mut self, row: u32, col: u32, cell: Cell) -> Result<()> {
        let c = col as usize;
        if c >= self.cols.len() {
            if col > crate::options::MAX_COL {
                return Err(CrmError::parse(
                    format!("cell column {} is beyond Excel's last column XFD", col + 1),
                    Default::default(),
                ));
            }
            self.cols.resize_with(c + 1, Vec::new);
        }
        let column = &mut self.cols[c];
        match column.last_mut() {
            // Out of order (never from Excel; possible in a hand-made file): keep the order.
            Some(last) if last.0 >= row => {
                if last.0 == row {
                    last.1 = cell;
                } else {
                    let at = column.partition_point(|(r, _)| *r < row);
                    if column.get(at).is_some_and(|(r, _)| *r == row) {
                        column[at].1 = cell;
                    } else {
                        column.insert(at, (row, cell));
                    }
                }
            }
            _ => column.push((row, cell)),
        }
        self.rows = self.rows.max(row + 1);
        Ok(())
    }

    /// The cell at (row, col), if any.
    pub fn get(&self, row: u32, col: usize) -> Option<&Cell> {
        let column = self.cols.get(col)?;
        let at = column.partition_point(|(r, _)| *r < row);
        column.get(at).filter(|(r, _)| *r == row).map(|(_, c)| c)
    }

    /// How many cells row `row` holds, and the first column holding one.
    pub fn row_cells(&self, row: u32) -> (usize, Option<usize>) {
        let mut n = 0;
        let mut first = None;
        for c in 0..self.cols.len() {
            if self.get(row, c).is_some() {
                n += 1;
                first.get_or_insert(c);
            }
        }
        (n, first)
    }

    /// The merged region starting at (row, col) that spans more than one column.
    pub fn merged_across(&self, row: u32) -> Option<((u32, u32), (u32, u32))> {
        self.merged.iter().copied().find(|(s, e)| s.0 == row && e.1 > s.1)
    }
}

/// Days from 1899-12-30 (Excel's serial day 0 in the 1900 system, after its leap-year bug)
/// to 1970-01-01.
const EPOCH_1900: f64 = 25_569.0;
/// The same for the 1904 system (serial 0 = 1904-01-01).
const EPOCH_1904: f64 = 24_107.0;
const DAY_MS: f64 = 86_400_000.0;

/// An Excel serial date-time → milliseconds since 1970-01-01 (rounded to the millisecond,
/// as Excel stores them). Serials before 1900-03-01 are off by Excel's phantom 1900-02-29,
/// as in every reader; `None` for values no calendar holds.
pub fn serial_to_ms(serial: f64, is_1904: bool) -> Option<i64> {
    let days = serial - if is_1904 { EPOCH_1904 } else { EPOCH_1900 };
    let ms = (days * DAY_MS).round();
    (ms.is_finite() && ms.abs() < 8.64e15).then_some(ms as i64)
}

/// `2023-10-31`, `2023-10-31T15:45:00(.123)` (the ISO values of .ods cells) → milliseconds.
pub fn iso_to_ms(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        t.bytes().all(|c| c.is_ascii_digit()).then(|| t.parse().ok())?
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !crmlens::table::date::is_valid_date(y as i32, m as u32, d as u32) {
        return None;
    }
    let mut ms = crmlens::table::date::days_from_civil(y as i32, m as u32, d as u32) as i64 * 86_400_000;
    if b.len() > 10 {
        if !matches!(b[10], b'T' | b' ') || b.len() < 19 || b[13] != b':' || b[16] != b':' {
            return None;
        }
        let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if h > 23 || mi > 59 || sec > 60 {
            return None;
        }
        ms += ((h * 60 + mi) * 60 + sec) * 1000;
        // A trailing `Z` (UTC, as some writers add) changes nothing: times are wall-clock.
        let rest = s.get(19..).unwrap_or("");
        if let Some(frac) = Some(rest.strip_suffix('Z').unwrap_or(rest)).filter(|f| !f.is_empty()) {
            let digits = frac.strip_prefix('.')?;
            if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let first3: String = digits.chars().chain("000".chars()).take(3).collect();
            ms += first3.parse::<i64>().ok()?;
        }
    }
    Some(ms)
}

/// `PT12H30M15S` (an .ods duration) → seconds.
pub fn iso_duration_secs(s: &str) -> Option<f64> {
    let rest = s.strip_prefix('-').unwrap_or(s).strip_prefix("PT")?;
    let (mut total, mut num) = (0.0, String::new());
    for c in rest.chars() {
        match c {
            '0'..='9' | '.' => num.push(c),
            'H' | 'M' | 'S' => {
                let v: f64 = num.parse().ok()?;
                total += v * match c {
                    'H' => 3600.0,
                    'M' => 60.0,
                    _ => 1.0,
                };
                num.clear();
            }
            _ => return None,
        }
    }
    num.is_empty().then_some(if s.starts_with('-') { -total } else { total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_dates_in_both_systems() {
        // 45230 = 2023-10-31 in the 1900 system; 43768 the same day in the 1904 system.
        assert_eq!(serial_to_ms(45230.0, false), Some(19661 * 86_400_000));
        assert_eq!(serial_to_ms(43768.0, true), Some(19661 * 86_400_000));
        assert_eq!(serial_to_ms(45230.65625, false), Some(19661 * 86_400_000 + (15 * 60 + 45) * 60_000));
        assert_eq!(serial_to_ms(f64::NAN, false), None);
    }

    #[test]
    fn iso_values_of_ods() {
        assert_eq!(iso_to_ms("2023-10-31"), Some(19661 * 86_400_000));
        assert_eq!(iso_to_ms("2023-10-31T15:45:00"), Some(19661 * 86_400_000 + 56_700_000));
        assert_eq!(iso_to_ms("2023-10-31T15:45:00.5"), Some(19661 * 86_400_000 + 56_700_500));
        assert_eq!(iso_to_ms("2023-10-31T15:45:00.000Z"), Some(19661 * 86_400_000 + 56_700_000));
        assert_eq!(iso_to_ms("2023-02-30"), None);
        assert_eq!(iso_to_ms("2023-10-31X"), None);
        assert_eq!(iso_duration_secs("PT1H30M15S"), Some(5415.0));
        assert_eq!(iso_duration_secs("1H"), None);
    }

    #[test]
    fn cells_out_of_order_are_placed() {
        let mut g = Grid::default();
        g.push(5, 1, Cell::Num(5.0)).unwrap();
        g.push(2, 1, Cell::Num(2.0)).unwrap();
        g.push(5, 1, Cell::Num(6.0)).unwrap();
        assert_eq!(g.cols[1], vec![(2, Cell::Num(2.0)), (5, Cell::Num(6.0))]);
        assert_eq!(g.rows, 6);
        assert_eq!(g.get(2, 1), Some(&Cell::Num(2.0)));
        assert_eq!(g.get(3, 1), None);
        assert_eq!(g.row_cells(5), (1, Some(1)));
        assert!(g.push(0, 20_000, Cell::Bool(true)).is_err());
    }
}
