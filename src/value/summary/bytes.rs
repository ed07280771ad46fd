//! [`SummaryBuilder::to_bytes`] / [`SummaryBuilder::from_bytes`]: the builder as checked,
//! versioned bytes (`crate::table::wire`), so that partitions summarised on engine workers
//! are merged on the driver.
//!
//! ```text
//! header "SUMB" v1 · u64 n ids, n × str · u64 n rows, n × (u32 id, i32 day, f64 amount, u64 row)
//! report: 11 × u64 (rows, used, then the counts per reason in `SkipReason` order),
//!         u64 n examples, n × (u64 row, u8 reason)
//! ```

use super::{RowReport, SkipReason, SkippedRow, SummaryBuilder, MAX_EXAMPLES};
use crate::error::Result;
use crate::table::wire::{Reader, Writer};

const KIND: &[u8; 4] = b"SUMB";
/// The version of the builder's bytes this build writes and reads.
pub const VERSION: u16 = 1;
const WHAT: &str = "customer summary state";

const REASONS: [SkipReason; 9] = [
    SkipReason::MissingCustomer,
    SkipReason::MissingDate,
    SkipReason::InvalidDate,
    SkipReason::MissingAmount,
    SkipReason::NonFiniteAmount,
    SkipReason::NegativeAmount,
    SkipReason::Cancelled,
    SkipReason::BeforeCalibration,
    SkipReason::AfterCalibration,
];

fn counts(r: &mut RowReport) -> [&mut usize; 11] {
    [
        &mut r.rows,
        &mut r.used,
        &mut r.missing_customer,
        &mut r.missing_date,
        &mut r.invalid_date,
        &mut r.missing_amount,
        &mut r.non_finite_amount,
        &mut r.negative_amount,
        &mut r.cancelled,
        &mut r.before_calibration,
        &mut r.after_calibration,
    ]
}

impl SummaryBuilder {
    /// The builder as bytes (see the module doc).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(KIND, VERSION);
        w.len(self.ids.len());
        for id in self.ids.iter() {
            w.str(id);
        }
        w.len(self.rows.len());
        for &(k, day, amount, row) in &self.rows {
            w.u32(k);
            w.i32(day);
            w.f64(amount);
            w.len(row);
        }
        write_report(&mut w, &self.report);
        w.finish()
    }

    /// Reads bytes written by [`SummaryBuilder::to_bytes`] of this version: bad bytes are
    /// `PARSE_ERROR`, another version `INVALID_STATE`.
    pub fn from_bytes(bytes: &[u8]) -> Result<SummaryBuilder> {
        let mut r = Reader::open(bytes, KIND, VERSION, WHAT)?;
        let mut b = SummaryBuilder::new();
        let n = r.len(8)?;
        for i in 0..n {
            let id = r.str()?;
            if b.ids.intern(id) as usize != i {
                return Err(r.bad(format!("customer id {id:?} appears twice")));
            }
        }
        let n = r.len(24)?;
        b.rows.reserve(n);
        for _ in 0..n {
            let k = r.u32()?;
            if k as usize >= b.ids.len() {
                return Err(r.bad(format!("customer index {k} beyond the {} ids", b.ids.len())));
            }
            let day = r.i32()?;
            let amount = r.f64()?;
            let row = r.usize()?;
            b.rows.push((k, day, amount, row));
        }
        b.report = read_report(&mut r)?;
        r.end()?;
        check_counts(&r, &b.report, b.rows.len())?;
        Ok(b)
    }
}

/// The report: its counts, then its examples.
pub(super) fn write_report(w: &mut Writer, report: &RowReport) {
    let mut report = report.clone();
    for n in counts(&mut report) {
        w.len(*n);
    }
    w.len(report.examples.len());
    for e in &report.examples {
        w.len(e.row);
        w.u8(REASONS.iter().position(|&r| r == e.reason).unwrap_or(0) as u8);
    }
}

pub(super) fn read_report(r: &mut Reader) -> Result<RowReport> {
    let mut report = RowReport::default();
    for n in counts(&mut report) {
        *n = r.usize()?;
    }
    let n = r.len(9)?;
    if n > MAX_EXAMPLES {
        return Err(r.bad(format!("{n} skipped-row examples; at most {MAX_EXAMPLES}")));
    }
    for _ in 0..n {
        let row = r.usize()?;
        let reason = *REASONS.get(r.u8()? as usize).ok_or_else(|| r.bad("unknown skip reason"))?;
        report.examples.push(SkippedRow { row, reason });
    }
    Ok(report)
}

/// Rows used = the rows kept, and used + skipped = rows read.
pub(super) fn check_counts(r: &Reader, rep: &RowReport, kept: usize) -> Result<()> {
    let skipped = [
        rep.missing_customer,
        rep.missing_date,
        rep.invalid_date,
        rep.missing_amount,
        rep.non_finite_amount,
        rep.negative_amount,
        rep.cancelled,
        rep.before_calibration,
        rep.after_calibration,
    ]
    .iter()
    .try_fold(0usize, |a, &n| a.checked_add(n));
    match skipped.and_then(|s| rep.used.checked_add(s)) {
        Some(total) if rep.used == kept && total == rep.rows => Ok(()),
        _ => Err(r.bad("row counts do not add up")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_merges_and_rejects_other_versions() {
        let mut a = SummaryBuilder::new();
        a.push(Some("c1"), Some(10), Some(5.0));
        a.push(None, Some(10), Some(5.0));
        a.push_int_id(7, 12, 2.5);
        a.push(Some("c1"), Some(20), Some(-1.0));
        let bytes = a.to_bytes();
        let back = SummaryBuilder::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(back.report, a.report);
        let mut m = back.clone();
        m.merge(back);
        assert_eq!(m.report.rows, 8);
        assert_eq!(m.report.negative_amount, 2);
        let s = m.finish(&Default::default()).unwrap();
        assert_eq!(s.len(), 2);

        let mut other = bytes.clone();
        other[8] = 2; // version 2
        assert_eq!(SummaryBuilder::from_bytes(&other).unwrap_err().code(), "INVALID_STATE");
        for cut in 0..bytes.len() {
            assert_eq!(SummaryBuilder::from_bytes(&bytes[..cut]).unwrap_err().code(), "PARSE_ERROR");
        }
    }
}
