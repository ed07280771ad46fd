//! Monthly acquisition cohorts and their retention matrix.
//!
//! - A customer's **cohort** is the calendar month of their first purchase.
//! - Cell `(cohort, k)` of the matrix is the number of customers of that cohort with at least
//!   one purchase in calendar month `cohort + k` (so `k = 0` is the whole cohort).
//! - **Retention** is that count divided by the cohort's size.
//!
//! Months are counted as `year · 12 + (month − 1)` ([`month_of_day`]) and labelled
//! `"YYYY-MM"` ([`month_label`]). Only months in which somebody was acquired appear as
//! cohorts. Row `c` runs from `k = 0` to the last month with any purchase in the data, so
//! the matrix is a triangle: later cohorts have fewer observed months.
//!
//! [`CohortBuilder`] is the mergeable state: per customer the first month and the set of
//! months with a purchase. Push transactions in any number of pieces and in any order,
//! [`CohortBuilder::merge`] builders, then [`CohortBuilder::finish`]. The result does not
//! depend on the order of the rows or on how they were split. Rows without a customer or a
//! date are counted in [`CohortReport`], never dropped silently.

use serde::Serialize;

use crate::error::{CrmError, Result};
use crate::table::date::civil_from_days;
use crate::table::Interner;

/// Month index (`year · 12 + month − 1`) of a day counted since 1970-01-01.
pub fn month_of_day(day: i32) -> i32 {
    let (y, m, _) = civil_from_days(day);
    y * 12 + (m as i32 - 1)
}

/// `"YYYY-MM"` label of a month index (years before 0 or after 9999 are written as they are,
/// with a sign if negative).
pub fn month_label(month: i32) -> String {
    let (y, m) = (month.div_euclid(12), month.rem_euclid(12) + 1);
    if (0..=9999).contains(&y) {
        format!("{y:04}-{m:02}")
    } else {
        format!("{y}-{m:02}")
    }
}

/// Rows examined and left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct CohortReport {
    pub rows: usize,
    pub used: usize,
    pub missing_customer: usize,
    pub missing_date: usize,
}

/// Mergeable cohort state.
#[derive(Debug, Clone, Default)]
pub struct CohortBuilder {
    ids: Interner,
    /// Sorted, distinct month indexes with a purchase, per customer (the first is the cohort).
    months: Vec<Vec<i32>>,
    report: CohortReport,
}

impl CohortBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// One transaction; `None` marks a missing cell (counted and left out).
    pub fn push(&mut self, customer: Option<&str>, day: Option<i32>) {
        self.report.rows += 1;
        match (customer, day) {
            (None, _) => self.report.missing_customer += 1,
            (_, None) => self.report.missing_date += 1,
            (Some(c), Some(d)) => {
                self.report.used += 1;
                let k = self.intern(c);
                insert_month(&mut self.months[k], month_of_day(d));
            }
        }
    }

    fn intern(&mut self, id: &str) -> usize {
        let k = self.ids.intern(id) as usize;
        if k == self.months.len() {
            self.months.push(Vec::new());
        }
        k
    }

    /// Adds `other`'s customers and months to this builder.
    pub fn merge(&mut self, other: CohortBuilder) {
        for (k, id) in other.ids.iter().enumerate() {
            let mine = self.intern(id);
            if let Some(months) = other.months.get(k) {
                for &m in months {
                    insert_month(&mut self.months[mine], m);
                }
            }
        }
        let (r, o) = (&mut self.report, other.report);
        r.rows += o.rows;
        r.used += o.used;
        r.missing_customer += o.missing_customer;
        r.missing_date += o.missing_date;
    }

    /// Customers seen so far.
    pub fn customers(&self) -> usize {
        self.months.len()
    }

    /// The cohort matrix; no usable transaction is an `EMPTY_INPUT` error.
    pub fn finish(&self) -> Result<CohortMatrix> {
        let firsts = self.months.iter().filter_map(|m| m.first().copied());
        let (Some(first), Some(last)) =
            (firsts.clone().min(), self.months.iter().filter_map(|m| m.last().copied()).max())
        else {
            return Err(CrmError::empty(format!("no usable transactions among {} rows", self.report.rows)));
        };
        // Dense per-month tables over [first, last]; only acquiring months become rows.
        let span = (last - first) as usize + 1;
        let mut size = vec![0u32; span];
        let mut active = vec![Vec::<u32>::new(); span];
        for months in &self.months {
            let Some(&c) = months.first() else { continue };
            let row = (c - first) as usize;
            size[row] += 1;
            let width = (last - c) as usize + 1;
            let cells = &mut active[row];
            if cells.is_empty() {
                cells.resize(width, 0);
            }
            for &m in months {
                cells[(m - c) as usize] += 1;
            }
        }
        let mut out = CohortMatrix {
            cohorts: Vec::new(),
            cohort_months: Vec::new(),
            sizes: Vec::new(),
            active: Vec::new(),
            retention: Vec::new(),
            last_month: month_label(last),
            customers: self.months.len(),
            report: self.report,
        };
        for (row, cells) in active.into_iter().enumerate() {
            let n = size[row];
            if n == 0 {
                continue;
            }
            let month = first + row as i32;
            out.cohorts.push(month_label(month));
            out.cohort_months.push(month);
            out.sizes.push(n);
            out.retention.push(cells.iter().map(|&a| a as f64 / n as f64).collect());
            out.active.push(cells);
        }
        Ok(out)
    }
}

/// The cohort matrix of transactions already keyed by customer index (0..`customers`), e.g.
/// by a [`super::summary::SummaryBuilder`], so ids are not hashed a second time.
pub(crate) fn matrix_from_indexed(
    customers: usize,
    rows: impl Iterator<Item = (usize, i32)>,
    report: CohortReport,
) -> Result<CohortMatrix> {
    let mut b = CohortBuilder { months: vec![Vec::new(); customers], report, ..CohortBuilder::default() };
    for (k, day) in rows {
        if let Some(m) = b.months.get_mut(k) {
            insert_month(m, month_of_day(day));
        }
    }
    b.finish()
}

/// Inserts `m` into the sorted, distinct `months` (usually a push at the end).
fn insert_month(months: &mut Vec<i32>, m: i32) {
    match months.last() {
        Some(&l) if l == m => {}
        Some(&l) if l < m => months.push(m),
        None => months.push(m),
        _ => {
            if let Err(pos) = months.binary_search(&m) {
                months.insert(pos, m);
            }
        }
    }
}

/// The retention matrix of monthly acquisition cohorts (one row per cohort, oldest first).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct CohortMatrix {
    /// `"YYYY-MM"` of each cohort.
    pub cohorts: Vec<String>,
    /// Month index of each cohort ([`month_of_day`]).
    pub cohort_months: Vec<i32>,
    /// Customers acquired in each cohort month.
    pub sizes: Vec<u32>,
    /// `active[c][k]`: customers of cohort `c` with a purchase in month `cohort + k`; row `c`
    /// runs to the last month of the data.
    pub active: Vec<Vec<u32>>,
    /// `active[c][k] / sizes[c]`.
    pub retention: Vec<Vec<f64>>,
    /// `"YYYY-MM"` of the last month with any purchase.
    pub last_month: String,
    /// Distinct customers (the sum of `sizes`).
    pub customers: usize,
    pub report: CohortReport,
}

impl CohortMatrix {
    /// Row of a cohort label (`"1997-01"`), if it is a cohort.
    pub fn cohort_index(&self, label: &str) -> Option<usize> {
        self.cohorts.iter().position(|c| c == label)
    }
}

/// The cohort matrix of a transaction log given as equal-length slices of customer ids and
/// days since 1970-01-01. Different lengths are an `INVALID_OPTION` error.
pub fn cohort_matrix(customers: &[&str], days: &[i32]) -> Result<CohortMatrix> {
    if customers.len() != days.len() {
        return Err(CrmError::invalid_option(
            "transactions",
            format!("customers and dates differ in length ({}, {})", customers.len(), days.len()),
        ));
    }
    let mut b = CohortBuilder::new();
    for (c, &d) in customers.iter().zip(days) {
        b.push(Some(c), Some(d));
    }
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::date::days_from_civil;

    #[test]
    fn labels() {
        assert_eq!(month_label(month_of_day(days_from_civil(1997, 1, 31))), "1997-01");
        assert_eq!(month_label(month_of_day(days_from_civil(1969, 12, 31))), "1969-12");
        assert_eq!(month_of_day(days_from_civil(1998, 3, 1)) - month_of_day(days_from_civil(1997, 3, 31)), 12);
    }

    #[test]
    fn months_stay_sorted_and_distinct() {
        let mut v = Vec::new();
        for m in [5, 3, 5, 9, 1, 3, 9] {
            insert_month(&mut v, m);
        }
        assert_eq!(v, vec![1, 3, 5, 9]);
    }
}
