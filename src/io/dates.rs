//! Date and datetime columns: one pass classifies the cells (shape family, separator,
//! day/month evidence, time and offset) and, when the order does not matter, keeps the
//! resolved values; `convert` then produces the typed column.

use super::options::DateOrder;
use super::raw::TextCells;
use crate::cells::values::{parse_date_cell, resolve, DateShape};
use crate::table::date::MS_PER_DAY;
use crate::table::hash::MixMap;
use crate::table::{ColumnData, Validity};

#[derive(Default)]
pub struct DateStats {
    /// Every classified cell so far is a date of one shape family.
    pub ok: bool,
    pub any_time: bool,
    any_seconds: bool,
    pub any_offset: bool,
    /// Values resolved while classifying (ms since epoch, 0 for nulls), as long as no
    /// value needs the day/month order decided first; saves parsing every date twice.
    ms: Vec<i64>,
    ms_ok: bool,
    ab: bool,
    ymd: bool,
    pub compact: bool,
    dmon: bool,
    a_gt_12: bool,
    b_gt_12: bool,
    a_seen: u32,
    b_seen: u32,
    sep: Option<u8>,
    /// Cells already classified (up to 15 bytes, packed with their length) and their
    /// resolved value: a column holds few distinct dates, each many times, and a repeated
    /// cell changes none of the flags above. At most [`SEEN_MAX`] entries.
    seen: MixMap<u128, i64>,
}

const SEEN_MAX: usize = 1 << 16;

/// `cell` packed into a key (bytes little-endian, length in the top byte); `None` when too long.
#[inline]
fn pack(cell: &str) -> Option<u128> {
    let b = cell.as_bytes();
    let n = b.len();
    if n == 0 || n > 15 {
        return None;
    }
    let le8 = |s: &[u8]| {
        let mut a = [0u8; 8];
        a.copy_from_slice(&s[..8]);
        u64::from_le_bytes(a)
    };
    let (lo, hi) = if n >= 8 {
        // Bytes 8..n are the top n − 8 bytes of the last 8.
        (le8(b), if n > 8 { le8(&b[n - 8..]) >> (8 * (16 - n)) } else { 0 })
    } else {
        (b.iter().rev().fold(0u64, |acc, &c| acc << 8 | c as u64), 0)
    };
    Some(((hi | (n as u64) << 56) as u128) << 64 | lo as u128)
}

impl DateStats {
    pub fn new() -> Self {
        DateStats { ok: true, ms_ok: true, ..Default::default() }
    }

    /// A missing cell (keeps the resolved values aligned with the rows).
    pub fn push_null(&mut self) {
        if self.ok && self.ms_ok {
            self.ms.push(0);
        }
    }

    /// Classifies one non-missing cell; the column stops being a date column at the first
    /// cell that is not a date of the same shape family.
    pub fn classify(&mut self, cell: &str) {
        let ds = self;
        let key = pack(cell);
        if let Some(&ms) = key.and_then(|k| ds.seen.get(&k)) {
            if ds.ms_ok {
                ds.ms.push(ms);
            }
            return;
        }
        let Some(c) = parse_date_cell(cell).filter(|c| ds.sep.is_none_or(|s| s == c.sep)) else {
            ds.ok = false;
            ds.ms = Vec::new();
            return;
        };
        if ds.ms_ok {
            match (c.shape, resolve(&c, false)) {
                (DateShape::Ab { .. }, _) | (_, None) => {
                    ds.ms_ok = false;
                    ds.ms = Vec::new();
                }
                (_, Some(ms)) => ds.ms.push(ms),
            }
        }
        if let Some(key) = key.filter(|_| ds.seen.len() < SEEN_MAX) {
            // The value only matters while `ms_ok`, which never comes back once false.
            ds.seen.insert(key, ds.ms.last().copied().unwrap_or(0));
        }
        ds.sep = Some(c.sep);
        ds.any_time |= c.time_ms.is_some();
        ds.any_seconds |= c.seconds;
        ds.any_offset |= c.offset_min.is_some();
        match c.shape {
            DateShape::Ymd { compact, .. } => {
                ds.ymd = true;
                ds.compact |= compact;
            }
            DateShape::DMonY { .. } => ds.dmon = true,
            DateShape::Ab { a, b, .. } => {
                ds.ab = true;
                ds.a_gt_12 |= a > 12;
                ds.b_gt_12 |= b > 12;
                ds.a_seen |= 1 << a;
                ds.b_seen |= 1 << b;
            }
        }
        // One shape family per column.
        if (ds.ymd as u8 + ds.dmon as u8 + ds.ab as u8) > 1 || (ds.a_gt_12 && ds.b_gt_12) {
            ds.ok = false;
        }
    }

    /// Day-first or month-first: from the option, else from the values (a first part above
    /// 12 means day-first, a second part above 12 month-first; when no value decides, the
    /// part that takes more distinct values is the day, and a warning says so).
    pub fn day_first(&self, order: DateOrder, warnings: &mut Vec<String>) -> bool {
        match order {
            DateOrder::Dmy => true,
            DateOrder::Mdy => false,
            DateOrder::Auto if self.a_gt_12 => true,
            DateOrder::Auto if self.b_gt_12 => false,
            DateOrder::Auto => {
                let day_first = self.a_seen.count_ones() > self.b_seen.count_ones();
                if self.ab {
                    warnings.push(format!(
                        "day/month order is ambiguous (no part above 12); read as {}, set dateOrder to {:?} if that is wrong",
                        if day_first { "day-first" } else { "month-first" },
                        if day_first { "mdy" } else { "dmy" }
                    ));
                }
                day_first
            }
        }
    }

    /// The source pattern, e.g. `DD/MM/YYYY HH:MM`.
    pub fn format(&self, day_first: bool) -> String {
        let ds = self;
        let sep = ds.sep.map(|s| (s as char).to_string()).unwrap_or_default();
        let date = if ds.compact {
            "YYYYMMDD".to_string()
        } else if ds.ymd {
            format!("YYYY{sep}MM{sep}DD")
        } else if ds.dmon {
            format!("DD{sep}MON{sep}YYYY")
        } else if day_first {
            format!("DD{sep}MM{sep}YYYY")
        } else {
            format!("MM{sep}DD{sep}YYYY")
        };
        let zone = if ds.any_offset { " ±HH:MM (held in UTC)" } else { "" };
        match (ds.any_time, ds.any_seconds) {
            (false, _) => date,
            (true, false) => format!("{date} HH:MM{zone}"),
            (true, true) => format!("{date} HH:MM:SS{zone}"),
        }
    }

    /// The typed column: the values resolved while classifying when there are all of them,
    /// else a second parse in the chosen order. `None` (the column stays text) if any value
    /// is not a valid date in that order.
    pub fn convert(&mut self, raw: &TextCells, valid: &Validity, day_first: bool) -> Option<ColumnData> {
        let n = raw.len();
        let ms = if self.ms_ok && self.ms.len() == n {
            std::mem::take(&mut self.ms)
        } else {
            let mut ms = Vec::with_capacity(n);
            for i in 0..n {
                if !valid.is_valid(i) {
                    ms.push(0);
                    continue;
                }
                ms.push(parse_date_cell(raw.get(i).trim()).and_then(|c| resolve(&c, day_first))?);
            }
            ms
        };
        Some(if self.any_time {
            ColumnData::Datetime(ms)
        } else {
            ColumnData::Date(ms.into_iter().map(|ms| ms.div_euclid(MS_PER_DAY) as i32).collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::raw::RawColumn;
    use crate::table::date::days_from_civil;

    fn convert(cells: &[String]) -> Option<ColumnData> {
        let mut raw = RawColumn::new("d".into());
        let mut ds = DateStats::new();
        for c in cells {
            raw.push(c.as_bytes());
            if ds.ok {
                ds.classify(c);
            }
        }
        let raw = raw.into_text();
        let valid = Validity::all_valid(cells.len());
        if !ds.ok {
            return None;
        }
        ds.convert(&raw, &valid, false)
    }

    #[test]
    fn keys_are_the_bytes_and_the_length() {
        let old = |c: &str| {
            let mut buf = [0u8; 16];
            buf[..c.len()].copy_from_slice(c.as_bytes());
            buf[15] = c.len() as u8;
            u128::from_le_bytes(buf)
        };
        for c in ["1", "1234567", "12345678", "123456789", "2024-01-02", "2024-01-02 10:0", "31-Dec-1999"] {
            assert_eq!(pack(c), Some(old(c)), "{c}");
        }
        assert_eq!((pack(""), pack("2024-01-02 10:00")), (None, None));
    }

    #[test]
    fn repeated_cells_read_the_same_as_first_seen() {
        // 3 000 distinct days, each seen three times, shuffled.
        let days: Vec<i32> = (0..9000).map(|i| days_from_civil(2000, 1, 1) + (i * 7919 % 3000)).collect();
        let cells: Vec<String> = days
            .iter()
            .enumerate()
            .map(|(i, &d)| {
                let (y, m, dd) = crate::table::date::civil_from_days(d);
                if i % 2 == 0 {
                    format!("{y:04}{m:02}{dd:02}")
                } else {
                    format!("{y:04}-{m:02}-{dd:02}")
                }
            })
            .collect();
        // Mixed compact and dashed forms are two separators: not one date column.
        assert!(convert(&cells).is_none());
        let compact: Vec<String> = cells.iter().map(|c| c.replace('-', "")).collect();
        match convert(&compact) {
            Some(ColumnData::Date(v)) => assert_eq!(v, days),
            other => panic!("{other:?}"),
        }
        // A bad cell after many repeats still ends the date column.
        let mut bad = compact.clone();
        bad.push("20240230".into());
        assert!(convert(&bad).is_none());
    }
}
