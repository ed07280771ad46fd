//! Per-customer RFM summary of a transaction log, in the definitions of the BTYD literature
//! (Fader, Hardie & Lee 2005) and of the Python `lifetimes` package
//! (`summary_data_from_transaction_data`):
//!
//! - transactions are aggregated per (customer, day) — or per (customer, period) with
//!   [`Aggregation::Period`] — into purchase occasions;
//! - `frequency` x = purchase occasions − 1 (repeat purchases) up to the calibration end;
//! - `recency` t_x = last − first purchase time; `T` = calibration end − first purchase time;
//! - `monetary` = mean spend of the repeat occasions (the first one excluded; 0 when x = 0).
//!
//! Rows that cannot be used are counted by reason in [`RowReport`], never dropped silently.
//! [`SummaryBuilder`] is the mergeable state: push rows (in any number of pieces), merge
//! builders, then [`SummaryBuilder::finish`]; [`bytes`]: the builder as versioned bytes
//! (`to_bytes` / `from_bytes`) to ship between engine workers; [`compact`]: the same builder
//! grouped per customer and day, ~4 bytes per row (what the Python wheel ships per partition).

pub mod bytes;
pub mod compact;

use std::fmt::Write;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::error::{CrmError, Result};
use crate::table::{Interner, StrVec};

/// The unit of t_x and T (and of every model time built on them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    #[default]
    Days,
    Weeks,
}

impl TimeUnit {
    /// Length of the unit in days.
    pub fn days(self) -> i32 {
        match self {
            TimeUnit::Days => 1,
            TimeUnit::Weeks => 7,
        }
    }
    /// Units per month as `lifetimes`' `customer_lifetime_value` counts them: 30 days or
    /// 4.345 weeks.
    pub fn per_month(self) -> f64 {
        match self {
            TimeUnit::Days => 30.0,
            TimeUnit::Weeks => 4.345,
        }
    }
}

/// What one purchase occasion is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregation {
    /// All of a customer's transactions on one day; times are day differences divided by the
    /// unit length (so in weeks they are fractional, as in FHL 2005 and the CDNOW summaries).
    #[default]
    Day,
    /// All of a customer's transactions in one period of the time unit (weeks run Monday to
    /// Sunday); times are whole periods (`lifetimes` with `freq="W"`).
    Period,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SummaryOptions {
    /// Last day (inclusive, days since 1970-01-01) of the calibration window; default: the
    /// last usable transaction day.
    pub calibration_end: Option<i32>,
    /// First day (inclusive) of the calibration window; default: none.
    pub calibration_start: Option<i32>,
    pub time_unit: TimeUnit,
    pub aggregation: Aggregation,
}

/// Why a row was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum SkipReason {
    MissingCustomer,
    MissingDate,
    InvalidDate,
    MissingAmount,
    NonFiniteAmount,
    /// A negative amount: a refund or cancellation, not a purchase.
    NegativeAmount,
    /// A cancellation by its invoice number (the `invoice` column starts with "C").
    Cancelled,
    BeforeCalibration,
    AfterCalibration,
}

/// One skipped row (0-based position in the input) and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct SkippedRow {
    pub row: usize,
    pub reason: SkipReason,
}

/// Rows examined, used, and left out by reason. `examples` holds up to [`MAX_EXAMPLES`]
/// skipped rows in row order (the first ones met while reading, then the window checks).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct RowReport {
    pub rows: usize,
    pub used: usize,
    pub missing_customer: usize,
    pub missing_date: usize,
    pub invalid_date: usize,
    pub missing_amount: usize,
    pub non_finite_amount: usize,
    pub negative_amount: usize,
    pub cancelled: usize,
    pub before_calibration: usize,
    pub after_calibration: usize,
    pub examples: Vec<SkippedRow>,
}

/// How many skipped rows [`RowReport::examples`] keeps.
pub const MAX_EXAMPLES: usize = 20;

impl RowReport {
    /// Rows not used, for any reason (`rows − used`).
    pub fn skipped(&self) -> usize {
        self.rows - self.used
    }
    fn note(&mut self, row: usize, reason: SkipReason) {
        let n = match reason {
            SkipReason::MissingCustomer => &mut self.missing_customer,
            SkipReason::MissingDate => &mut self.missing_date,
            SkipReason::InvalidDate => &mut self.invalid_date,
            SkipReason::MissingAmount => &mut self.missing_amount,
            SkipReason::NonFiniteAmount => &mut self.non_finite_amount,
            SkipReason::NegativeAmount => &mut self.negative_amount,
            SkipReason::Cancelled => &mut self.cancelled,
            SkipReason::BeforeCalibration => &mut self.before_calibration,
            SkipReason::AfterCalibration => &mut self.after_calibration,
        };
        *n += 1;
        if self.examples.len() < MAX_EXAMPLES {
            self.examples.push(SkippedRow { row, reason });
        }
    }
}

/// The summary, one entry per customer in order of first appearance in the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerSummary {
    pub customer: StrVec,
    /// x: repeat purchase occasions.
    pub frequency: Vec<f64>,
    /// t_x: time from the first to the last purchase.
    pub recency: Vec<f64>,
    /// T: time from the first purchase to the calibration end.
    #[serde(rename = "T")]
    pub t: Vec<f64>,
    /// Mean spend per repeat occasion (0 when x = 0).
    pub monetary: Vec<f64>,
    /// Day (since 1970-01-01) of the first purchase.
    pub first_purchase: Vec<i32>,
    pub calibration_end: i32,
    pub time_unit: TimeUnit,
    pub report: RowReport,
}

impl CustomerSummary {
    pub fn len(&self) -> usize {
        self.customer.len()
    }
    pub fn is_empty(&self) -> bool {
        self.customer.is_empty()
    }
}

/// Mergeable summary state: the usable transactions and the report so far.
#[derive(Debug, Clone, Default)]
pub struct SummaryBuilder {
    ids: Interner,
    /// Integer ids already interned (a cache in front of `index`: no text per row).
    int_index: FxHashMap<i64, u32>,
    /// (customer index, day, amount, row position) of every usable row.
    rows: Vec<(u32, i32, f64, usize)>,
    report: RowReport,
}

impl SummaryBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// One transaction. `None` means the cell is missing; a negative or non-finite amount
    /// is counted and left out.
    pub fn push(&mut self, customer: Option<&str>, day: Option<i32>, amount: Option<f64>) {
        let row = self.report.rows;
        self.report.rows += 1;
        let reason = match (customer, day, amount) {
            (None, _, _) => SkipReason::MissingCustomer,
            (_, None, _) => SkipReason::MissingDate,
            (_, _, None) => SkipReason::MissingAmount,
            (_, _, Some(a)) if !a.is_finite() => SkipReason::NonFiniteAmount,
            (_, _, Some(a)) if a < 0.0 => SkipReason::NegativeAmount,
            (Some(c), Some(d), Some(a)) => {
                let k = self.intern(c);
                return self.keep(k, d, a, row);
            }
        };
        self.report.note(row, reason);
    }

    /// A purchase (amount already checked finite and ≥ 0) of a customer with an integer id;
    /// the same as `push(Some(&id.to_string()), ..)`, without the text per row.
    pub fn push_int_id(&mut self, id: i64, day: i32, amount: f64) {
        let row = self.report.rows;
        self.report.rows += 1;
        let k = match self.int_index.get(&id) {
            Some(&k) => k,
            None => {
                let k = self.intern(&id.to_string());
                self.int_index.insert(id, k);
                k
            }
        };
        self.keep(k, day, amount, row);
    }

    /// The rows read so far, used and left out by reason.
    pub fn report(&self) -> &RowReport {
        &self.report
    }

    /// Room for `rows` more rows.
    pub fn reserve(&mut self, rows: usize) {
        self.rows.reserve(rows);
    }

    /// A usable row of customer `k`.
    fn keep(&mut self, k: u32, day: i32, amount: f64, row: usize) {
        self.rows.push((k, day, amount, row));
        self.report.used += 1;
    }

    /// A row the caller could not read a date from (e.g. unparseable text).
    pub fn push_invalid_date(&mut self) {
        self.push_skipped(SkipReason::InvalidDate);
    }

    /// A row the caller left out for `reason` (e.g. a cancelled invoice).
    pub fn push_skipped(&mut self, reason: SkipReason) {
        let row = self.report.rows;
        self.report.rows += 1;
        self.report.note(row, reason);
    }

    fn intern(&mut self, id: &str) -> u32 {
        self.ids.intern(id)
    }

    /// Appends `other`'s rows after this builder's (row positions in its report shift).
    pub fn merge(&mut self, other: SummaryBuilder) {
        let offset = self.report.rows;
        let map: Vec<u32> = other.ids.iter().map(|id| self.ids.intern(id)).collect();
        self.rows.extend(other.rows.iter().map(|&(k, d, a, row)| (map[k as usize], d, a, row + offset)));
        let (r, o) = (&mut self.report, other.report);
        r.rows += o.rows;
        r.used += o.used;
        r.missing_customer += o.missing_customer;
        r.missing_date += o.missing_date;
        r.invalid_date += o.invalid_date;
        r.missing_amount += o.missing_amount;
        r.non_finite_amount += o.non_finite_amount;
        r.negative_amount += o.negative_amount;
        r.cancelled += o.cancelled;
        r.before_calibration += o.before_calibration;
        r.after_calibration += o.after_calibration;
        for e in o.examples {
            if r.examples.len() < MAX_EXAMPLES {
                r.examples.push(SkippedRow { row: e.row + offset, reason: e.reason });
            }
        }
    }

    /// Monthly cohorts over every usable row (whatever the calibration window).
    pub fn cohorts(&self) -> Result<super::cohort::CohortMatrix> {
        let r = &self.report;
        let report = super::cohort::CohortReport {
            rows: r.rows,
            used: self.rows.len(),
            missing_customer: r.missing_customer,
            missing_date: r.missing_date + r.invalid_date,
        };
        super::cohort::matrix_from_indexed(self.ids.len(), self.rows.iter().map(|r| (r.0 as usize, r.1)), report)
    }

    /// Per customer of `s` (a summary this builder made), the number of distinct purchase days
    /// in (`after`, `until`]; and the number of rows in that span of customers not in `s`
    /// (first seen after its calibration window).
    pub fn occasions_between(&self, s: &CustomerSummary, after: i32, until: i32) -> (Vec<f64>, usize) {
        let mut position = vec![u32::MAX; self.ids.len()];
        for (i, c) in s.customer.iter().enumerate() {
            if let Some(k) = self.ids.get(c) {
                position[k as usize] = i as u32;
            }
        }
        let (mut days, mut rows_of_new) = (Vec::new(), 0);
        for &(k, d, _, _) in &self.rows {
            if d > after && d <= until {
                match position[k as usize] {
                    u32::MAX => rows_of_new += 1,
                    i => days.push((i, d)),
                }
            }
        }
        crate::sort::ord(&mut days);
        days.dedup();
        let mut counts = vec![0.0; s.len()];
        for (i, _) in days {
            counts[i as usize] += 1.0;
        }
        (counts, rows_of_new)
    }

    /// The summary over the calibration window.
    pub fn finish(&self, opts: &SummaryOptions) -> Result<CustomerSummary> {
        let mut report = self.report.clone();
        let Some(last_day) = self.rows.iter().map(|r| r.1).max() else {
            return Err(CrmError::empty(format!("no usable transactions among {} rows", report.rows)));
        };
        let end = opts.calibration_end.unwrap_or(last_day);
        let start = opts.calibration_start.unwrap_or(i32::MIN);
        if start > end {
            return Err(CrmError::invalid_option("calibrationStart", "the calibration window starts after it ends"));
        }
        let mut rows: Vec<(u32, i64, i32, f64)> = Vec::with_capacity(self.rows.len());
        for &(k, d, a, row) in &self.rows {
            if d < start || d > end {
                report.used -= 1;
                report.note(row, if d < start { SkipReason::BeforeCalibration } else { SkipReason::AfterCalibration });
            } else {
                rows.push((k, key(d, opts), d, a));
            }
        }
        if rows.is_empty() {
            return Err(CrmError::empty("no transactions inside the calibration window"));
        }
        crate::sort::by_key(&mut report.examples, |e| e.row);
        // Stable: amounts of one occasion are added in input order. (Logs are mostly in
        // customer/date order already, which this sort detects and exploits.)
        rows.sort_by_key(|r| (r.0, r.1, r.2));
        let (unit, end_key) = match opts.aggregation {
            Aggregation::Day => (opts.time_unit.days() as f64, end as i64),
            Aggregation::Period => (1.0, key(end, opts)),
        };
        let mut s = CustomerSummary {
            customer: StrVec::default(),
            frequency: Vec::new(),
            recency: Vec::new(),
            t: Vec::new(),
            monetary: Vec::new(),
            first_purchase: Vec::new(),
            calibration_end: end,
            time_unit: opts.time_unit,
            report,
        };
        let mut i = 0;
        while i < rows.len() {
            let (k, first, first_day) = (rows[i].0, rows[i].1, rows[i].2);
            let (mut occasions, mut last, mut repeat_spend) = (0u32, first, 0.0);
            while i < rows.len() && rows[i].0 == k {
                let key = rows[i].1;
                let mut spend = 0.0;
                while i < rows.len() && rows[i].0 == k && rows[i].1 == key {
                    spend += rows[i].3;
                    i += 1;
                }
                occasions += 1;
                last = key;
                if occasions > 1 {
                    repeat_spend += spend;
                }
            }
            let x = occasions - 1;
            s.customer.push(self.ids.name(k));
            s.frequency.push(x as f64);
            s.recency.push((last - first) as f64 / unit);
            s.t.push((end_key - first) as f64 / unit);
            s.monetary.push(if x > 0 { repeat_spend / x as f64 } else { 0.0 });
            s.first_purchase.push(first_day);
        }
        Ok(s)
    }
}

/// The occasion a day belongs to: the day itself, or its Monday-to-Sunday week.
fn key(day: i32, opts: &SummaryOptions) -> i64 {
    match (opts.aggregation, opts.time_unit) {
        (Aggregation::Period, TimeUnit::Weeks) => (day as i64 + 3).div_euclid(7), // 1970-01-01 is a Thursday
        _ => day as i64,
    }
}

/// The summary of a transaction log given as slices of equal length.
pub fn summarize(customers: &[&str], days: &[i32], amounts: &[f64], opts: &SummaryOptions) -> Result<CustomerSummary> {
    same_len(customers.len(), days.len(), amounts.len())?;
    let mut b = SummaryBuilder::new();
    for i in 0..customers.len() {
        b.push(Some(customers[i]), Some(days[i]), Some(amounts[i]));
    }
    b.finish(opts)
}

/// [`summarize`] with customers given as integer indexes (the ids become their decimal text).
pub fn summarize_indexed(
    customers: &[u32],
    days: &[i32],
    amounts: &[f64],
    opts: &SummaryOptions,
) -> Result<CustomerSummary> {
    same_len(customers.len(), days.len(), amounts.len())?;
    let mut b = SummaryBuilder::new();
    let mut buf = String::new();
    for i in 0..customers.len() {
        buf.clear();
        let _ = write!(buf, "{}", customers[i]); // writing to a String cannot fail
        b.push(Some(&buf), Some(days[i]), Some(amounts[i]));
    }
    b.finish(opts)
}

fn same_len(c: usize, d: usize, a: usize) -> Result<()> {
    if c != d || c != a {
        return Err(CrmError::invalid_option(
            "transactions",
            format!("customers, dates and amounts differ in length ({c}, {d}, {a})"),
        ));
    }
    Ok(())
}
