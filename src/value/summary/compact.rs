//! [`SummaryBuilder::to_compact_bytes`] / [`SummaryBuilder::from_compact_bytes`]: the builder
//! as a compact state grouped per customer and purchase day, for engines that ship one state per
//! partition (the Python wheel's Spark and Dask adapters).
//!
//! The plain bytes ([`super::bytes`]) keep 24 bytes per usable row (customer, day, amount, row
//! position). Nothing the summary, the fits, the holdout or the cohorts compute needs a row's
//! position except the skipped-row examples of the calibration window (the first ones in row
//! order, whichever window the fit picks), and nothing needs the customer and day of a row
//! more than once per (customer, day). So this form keeps:
//!
//! ```text
//! header "SUMC" v1 · u64 n ids, n × (varint length, UTF-8) in order of first appearance
//! report (as in SUMB)
//! per customer (id order): varint m days, m × (varint day step, varint n rows, n × amount)
//!   day step: zigzag(first day) for the first, then the difference to the previous day
//!   amount:   varint 2·c when amount = c / 100 exactly (bit for bit), else varint 1 + f64
//! u64 n days, n × (i32 day, varint k ≤ 20, k × varint row step): the first row positions
//!   of each purchase day (enough to give the first 20 skipped rows of any window)
//! ```
//!
//! Amounts keep their row order within a (customer, day), so the occasion sums are added in
//! the same order as from the plain builder; [`SummaryBuilder::from_compact_bytes`] rebuilds a
//! builder whose summary, fits, cohorts and report equal the original's exactly. CDNOW master:
//! 7.5 bytes per row as one state (9.0 in 16 partitions), against the plain form's 28.4.

use rustc_hash::FxHashMap;

use super::bytes::{check_counts, read_report, write_report};
use super::{SummaryBuilder, MAX_EXAMPLES};
use crate::error::Result;
use crate::table::wire::{Reader, Writer};

const KIND: &[u8; 4] = b"SUMC";
/// The version of the compact bytes this build writes and reads.
pub const VERSION: u16 = 1;
const WHAT: &str = "customer summary state";

fn zigzag(v: i32) -> u64 {
    ((v << 1) ^ (v >> 31)) as u32 as u64
}

fn unzigzag(v: u64) -> Option<i32> {
    let v = u32::try_from(v).ok()?;
    Some(((v >> 1) as i32) ^ -((v & 1) as i32))
}

fn write_amount(w: &mut Writer, a: f64) {
    let c = (a * 100.0).round();
    if (0.0..9.0e15).contains(&c) && (c / 100.0).to_bits() == a.to_bits() {
        w.uvar((c as u64) << 1);
    } else {
        w.uvar(1);
        w.f64(a);
    }
}

fn read_amount(r: &mut Reader) -> Result<f64> {
    match r.uvar()? {
        1 => r.f64(),
        v if v & 1 == 0 => Ok((v >> 1) as f64 / 100.0),
        _ => Err(r.bad("bad amount tag")),
    }
}

impl SummaryBuilder {
    /// The builder as compact bytes (see the module doc). Rows must be in row order (as a
    /// builder fed by `push` and `merge` keeps them).
    pub fn to_compact_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(KIND, VERSION);
        w.len(self.ids.len());
        for id in self.ids.iter() {
            w.vstr(id);
        }
        write_report(&mut w, &self.report);
        // Rows by (customer, day), stable: amounts of one (customer, day) stay in row order.
        let mut order: Vec<(u32, i32, u32)> = self.rows.iter().enumerate().map(|(i, r)| (r.0, r.1, i as u32)).collect();
        order.sort_unstable(); // unique (the index breaks ties): stable in effect
        let mut i = 0;
        for k in 0..self.ids.len() as u32 {
            let start = i;
            let mut days = 0;
            while i < order.len() && order[i].0 == k {
                let d = order[i].1;
                while i < order.len() && order[i].0 == k && order[i].1 == d {
                    i += 1;
                }
                days += 1;
            }
            w.uvar(days);
            let (mut j, mut prev) = (start, None);
            while j < i {
                let d = order[j].1;
                let n = order[j..i].iter().take_while(|o| o.1 == d).count();
                w.uvar(match prev {
                    None => zigzag(d),
                    Some(p) => (d as i64 - p as i64) as u64,
                });
                w.uvar(n as u64);
                for o in &order[j..j + n] {
                    write_amount(&mut w, self.rows[o.2 as usize].2);
                }
                prev = Some(d);
                j += n;
            }
        }
        // The first row positions of each day.
        let mut firsts: FxHashMap<i32, Vec<usize>> = FxHashMap::default();
        for &(_, d, _, row) in &self.rows {
            let v = firsts.entry(d).or_default();
            if v.len() < MAX_EXAMPLES {
                v.push(row);
            }
        }
        let mut days: Vec<(i32, Vec<usize>)> = firsts.into_iter().collect();
        crate::sort::by_key(&mut days, |d| d.0);
        w.len(days.len());
        for (d, rows) in &days {
            w.i32(*d);
            w.uvar(rows.len() as u64);
            let mut prev = 0;
            for &row in rows {
                w.uvar((row - prev) as u64);
                prev = row;
            }
        }
        w.finish()
    }

    /// Reads bytes written by [`SummaryBuilder::to_compact_bytes`]: a builder that gives the
    /// same summary, fits, cohorts and report as the one written. Bad bytes are `PARSE_ERROR`,
    /// another version `INVALID_STATE`.
    pub fn from_compact_bytes(bytes: &[u8]) -> Result<SummaryBuilder> {
        let mut r = Reader::open(bytes, KIND, VERSION, WHAT)?;
        let mut b = SummaryBuilder::new();
        let n = r.len(1)?;
        for i in 0..n {
            let id = r.vstr()?;
            if b.ids.intern(id) as usize != i {
                return Err(r.bad(format!("customer id {id:?} appears twice")));
            }
        }
        let report = read_report(&mut r)?;
        // (customer, day, amounts) in customer and day order.
        let mut groups: Vec<(u32, i32, Vec<f64>)> = Vec::new();
        let mut kept = 0usize;
        for k in 0..n as u32 {
            let m = r.uvar_len(3)?;
            let mut prev: Option<i32> = None;
            for _ in 0..m {
                let step = r.uvar()?;
                let d = match prev {
                    None => unzigzag(step),
                    Some(p) => i64::try_from(step).ok().and_then(|s| i32::try_from(p as i64 + s).ok()),
                }
                .ok_or_else(|| r.bad("day out of range"))?;
                let rows = r.uvar_len(1)?;
                if rows == 0 {
                    return Err(r.bad("a purchase day without rows"));
                }
                let mut amounts = Vec::with_capacity(rows);
                for _ in 0..rows {
                    amounts.push(read_amount(&mut r)?);
                }
                kept += rows;
                groups.push((k, d, amounts));
                prev = Some(d);
            }
        }
        check_counts(&r, &report, kept)?;
        // Per day: its groups (in customer order) and its first row positions.
        let mut of_day: FxHashMap<i32, Vec<u32>> = FxHashMap::default();
        for (g, x) in groups.iter().enumerate() {
            of_day.entry(x.1).or_default().push(g as u32);
        }
        let n_days = r.len(5)?;
        // Rows given their real position (the first of each day), the rest after them.
        let mut placed: Vec<(usize, u32, i32, f64)> = Vec::new();
        let mut taken = vec![0u32; groups.len()];
        for _ in 0..n_days {
            let d = r.i32()?;
            let k = r.uvar_len(1)?;
            if k > MAX_EXAMPLES {
                return Err(r.bad("too many first rows of a day"));
            }
            let gs = of_day.get(&d).ok_or_else(|| r.bad("first rows of a day without purchases"))?;
            let (mut gi, mut row) = (0, 0usize);
            for j in 0..k {
                let step = usize::try_from(r.uvar()?).map_err(|_| r.bad("row out of range"))?;
                row = row.checked_add(step).filter(|&x| x < report.rows).ok_or_else(|| r.bad("row out of range"))?;
                if j > 0 && step == 0 {
                    return Err(r.bad("first rows of a day not increasing"));
                }
                // The next row of this day: the groups' amounts in customer, then row order.
                while gs.get(gi).is_some_and(|&g| taken[g as usize] as usize == groups[g as usize].2.len()) {
                    gi += 1;
                }
                let g = *gs.get(gi).ok_or_else(|| r.bad("more first rows than rows of a day"))? as usize;
                let t = taken[g] as usize;
                placed.push((row, groups[g].0, d, groups[g].2[t]));
                taken[g] += 1;
            }
        }
        r.end()?;
        crate::sort::by_key(&mut placed, |p| p.0);
        let beyond = report.rows;
        b.rows.reserve(kept);
        b.rows.extend(placed.iter().map(|&(row, k, d, a)| (k, d, a, row)));
        for (g, (k, d, amounts)) in groups.iter().enumerate() {
            b.rows.extend(amounts[taken[g] as usize..].iter().map(|&a| (*k, *d, a, beyond)));
        }
        b.report = report;
        Ok(b)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Aggregation, SummaryOptions, TimeUnit};
    use super::*;
    use crate::rng::Rng;

    /// A log of `rows` rows: few customers and days (so days repeat within a customer and
    /// across partitions), amounts in cents and not, some rows skipped.
    fn log(rows: usize, seed: u64, skips: bool) -> Vec<(Option<String>, Option<i32>, Option<f64>)> {
        let mut rng = Rng::new(seed);
        let skip = if skips { 50 } else { usize::MAX };
        (0..rows)
            .map(|_| {
                let c = (rng.below(skip) != 0).then(|| format!("c{}", rng.below(40)));
                let d = (rng.below(skip) != 0).then(|| 19_000 + rng.below(90) as i32);
                let a = match rng.below(10) {
                    0 => Some(rng.next_f64() * 1000.0),
                    1 if skips => Some(-1.0),
                    _ => Some(rng.below(50_000) as f64 / 100.0),
                };
                (c, d, a)
            })
            .collect()
    }

    fn builder(rows: &[(Option<String>, Option<i32>, Option<f64>)]) -> SummaryBuilder {
        let mut b = SummaryBuilder::new();
        for (c, d, a) in rows {
            b.push(c.as_deref(), *d, *a);
        }
        b
    }

    #[test]
    fn rebuilt_builders_give_the_same_summary_cohorts_holdout_and_report() {
        for (seed, parts, skips) in [(1, 1, true), (2, 4, false), (3, 16, true), (4, 16, false)] {
            let rows = log(3000, seed, skips);
            let whole = builder(&rows);
            let n = rows.len();
            let mut merged = SummaryBuilder::new();
            let mut plain = 0;
            let mut compact = 0;
            for p in 0..parts {
                let b = builder(&rows[p * n / parts..(p + 1) * n / parts]);
                let bytes = b.to_compact_bytes();
                plain += b.to_bytes().len();
                compact += bytes.len();
                merged.merge(SummaryBuilder::from_compact_bytes(&bytes).unwrap());
            }
            assert!(compact * 2 < plain, "{compact} vs {plain}");
            for (end, start, unit, aggregation) in [
                (None, None, TimeUnit::Days, Aggregation::Day),
                (Some(19_050), None, TimeUnit::Days, Aggregation::Day),
                (Some(19_060), Some(19_010), TimeUnit::Weeks, Aggregation::Period),
                (Some(19_070), None, TimeUnit::Weeks, Aggregation::Day),
            ] {
                let o = SummaryOptions { calibration_end: end, calibration_start: start, time_unit: unit, aggregation };
                let (a, b) = (whole.finish(&o).unwrap(), merged.finish(&o).unwrap());
                assert_eq!(a, b, "seed {seed}, {parts} parts, {o:?}");
                // Without read-time skips, the examples are the window's first skipped rows.
                assert_eq!(a.report.examples.len(), if skips || end.is_some() { MAX_EXAMPLES } else { 0 });
                assert_eq!(whole.occasions_between(&a, 19_050, 19_080), merged.occasions_between(&b, 19_050, 19_080));
            }
            assert_eq!(whole.cohorts().unwrap(), merged.cohorts().unwrap());
        }
    }

    #[test]
    fn damaged_and_other_version_bytes_are_errors_not_panics() {
        let bytes = builder(&log(300, 9, true)).to_compact_bytes();
        assert!(SummaryBuilder::from_compact_bytes(&bytes).is_ok());
        let mut other = bytes.clone();
        other[8] = 2;
        assert_eq!(SummaryBuilder::from_compact_bytes(&other).unwrap_err().code(), "INVALID_STATE");
        for cut in 0..bytes.len() {
            assert_eq!(SummaryBuilder::from_compact_bytes(&bytes[..cut]).unwrap_err().code(), "PARSE_ERROR");
        }
        let mut rng = Rng::new(5);
        for _ in 0..2000 {
            let mut b = bytes.clone();
            let i = 10 + rng.below(b.len() - 10);
            b[i] = rng.next_u64() as u8;
            let _ = SummaryBuilder::from_compact_bytes(&b); // an error or a builder, never a panic
        }
    }
}
