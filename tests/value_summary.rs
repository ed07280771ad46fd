//! The RFM summary on small hand-checked logs: definitions, the row report, merging, and
//! errors.

use crmlens::io::read_csv_str;
use crmlens::table::date::days_from_civil;
use crmlens::value::{
    summarize, summarize_dataset, summarize_indexed, Aggregation, SkipReason, SummaryBuilder, SummaryOptions, TimeUnit,
    TransactionColumns,
};

fn d(y: i32, m: u32, day: u32) -> i32 {
    days_from_civil(y, m, day)
}

#[test]
fn definitions_follow_lifetimes() {
    // Customer a: 3 purchase days (two rows on 01-10), b: one day, c: only after the end.
    let customers = ["a", "a", "a", "b", "a", "c"];
    let days = [d(2024, 1, 1), d(2024, 1, 10), d(2024, 1, 10), d(2024, 1, 5), d(2024, 1, 29), d(2024, 3, 1)];
    let amounts = [10.0, 5.0, 7.0, 3.0, 20.0, 9.0];
    let opts = SummaryOptions { calibration_end: Some(d(2024, 1, 31)), ..SummaryOptions::default() };
    let s = summarize(&customers, &days, &amounts, &opts).unwrap();
    assert_eq!(s.customer.iter().collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(s.frequency, [2.0, 0.0]);
    assert_eq!(s.recency, [28.0, 0.0]);
    assert_eq!(s.t, [30.0, 26.0]);
    // Repeat days of a: 12 (5 + 7) and 20.
    assert_eq!(s.monetary, [16.0, 0.0]);
    assert_eq!(s.first_purchase, [d(2024, 1, 1), d(2024, 1, 5)]);
    assert_eq!((s.report.rows, s.report.used, s.report.after_calibration), (6, 5, 1));

    // Weeks: the same day differences / 7.
    let w = SummaryOptions { time_unit: TimeUnit::Weeks, ..opts };
    let s = summarize(&customers, &days, &amounts, &w).unwrap();
    assert_eq!(s.recency, [4.0, 0.0]);
    assert_eq!(s.t, [30.0 / 7.0, 26.0 / 7.0]);

    // Calendar weeks (Monday to Sunday, lifetimes' freq="W"): 2024-01-01 is a Monday.
    let p = SummaryOptions { aggregation: Aggregation::Period, ..w };
    let s = summarize(&customers, &days, &amounts, &p).unwrap();
    assert_eq!(s.frequency, [2.0, 0.0]);
    assert_eq!(s.recency, [4.0, 0.0]);
    assert_eq!(s.t, [4.0, 4.0]);

    // Indexed customers give the same numbers.
    let idx = [7, 7, 7, 8, 7, 9];
    let s2 = summarize_indexed(&idx, &days, &amounts, &opts).unwrap();
    assert_eq!(s2.customer.iter().collect::<Vec<_>>(), ["7", "8"]);
    assert_eq!(s2.frequency, [2.0, 0.0]);
}

#[test]
fn calibration_end_defaults_to_the_last_day_and_start_filters() {
    let s = summarize(&["a", "a", "b"], &[0, 10, 4], &[1.0, 2.0, 3.0], &SummaryOptions::default()).unwrap();
    assert_eq!(s.calibration_end, 10);
    assert_eq!(s.t, [10.0, 6.0]);
    let opts = SummaryOptions { calibration_start: Some(3), ..SummaryOptions::default() };
    let s = summarize(&["a", "a", "b"], &[0, 10, 4], &[1.0, 2.0, 3.0], &opts).unwrap();
    assert_eq!(s.report.before_calibration, 1);
    assert_eq!((s.frequency.clone(), s.t.clone()), (vec![0.0, 0.0], vec![0.0, 6.0]));
    assert_eq!(s.report.examples[0].row, 0);
    assert_eq!(s.report.examples[0].reason, SkipReason::BeforeCalibration);
}

#[test]
fn every_unusable_row_is_counted_by_reason() {
    let csv = "customer,date,amount\n\
               a,2024-01-01,10\n\
               ,2024-01-02,5\n\
               a,,5\n\
               a,2024-01-03,\n\
               a,2024-01-04,-4\n\
               b,2024-01-05,2.5\n\
               a,2024-01-07,8\n";
    let ds = read_csv_str(csv, Default::default()).unwrap();
    let cols = TransactionColumns { customer: "customer", date: "date", amount: Some("amount"), ..Default::default() };
    let s = summarize_dataset(&ds, &cols, &SummaryOptions::default()).unwrap();
    let r = &s.report;
    assert_eq!((r.rows, r.used, r.skipped()), (7, 3, 4));
    assert_eq!((r.missing_customer, r.missing_date, r.missing_amount, r.negative_amount), (1, 1, 1, 1));
    let reasons: Vec<(usize, SkipReason)> = r.examples.iter().map(|e| (e.row, e.reason)).collect();
    assert_eq!(reasons[0], (1, SkipReason::MissingCustomer));
    assert_eq!(reasons[1], (2, SkipReason::MissingDate));
    assert_eq!(reasons[3], (4, SkipReason::NegativeAmount));
    assert_eq!(s.customer.iter().collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(s.frequency, [1.0, 0.0]);
    assert_eq!(s.monetary, [8.0, 0.0]);

    // Non-finite amounts (possible through the slice API) have their own count.
    let mut b = SummaryBuilder::new();
    b.push(Some("a"), Some(1), Some(f64::INFINITY));
    b.push(Some("a"), Some(2), Some(f64::NAN));
    b.push(Some("a"), Some(3), Some(1.0));
    let s = b.finish(&SummaryOptions::default()).unwrap();
    assert_eq!((s.report.non_finite_amount, s.report.used), (2, 1));
}

#[test]
fn text_dates_are_parsed_or_counted_invalid() {
    let csv = "id,when,spend\n1,2024-01-01,1\n1,someday,2\n1,20240111,3\n";
    let ds = read_csv_str(csv, Default::default()).unwrap();
    let cols = TransactionColumns { customer: "id", date: "when", amount: Some("spend"), ..Default::default() };
    let s = summarize_dataset(&ds, &cols, &SummaryOptions::default()).unwrap();
    assert_eq!(s.report.invalid_date, 1);
    assert_eq!((s.frequency[0], s.recency[0], s.monetary[0]), (1.0, 10.0, 3.0));
    // Without an amount column: counts only.
    let cols = TransactionColumns { amount: None, ..cols };
    let s = summarize_dataset(&ds, &cols, &SummaryOptions::default()).unwrap();
    assert_eq!(s.monetary, [0.0]);
}

#[test]
fn builders_merge_like_one_pass() {
    let rows: Vec<(&str, i32, f64)> = (0..40)
        .map(|i| (["a", "b", "c"][i % 3], (i * 7 % 23) as i32, if i % 11 == 5 { -1.0 } else { i as f64 }))
        .collect();
    let mut whole = SummaryBuilder::new();
    let (mut left, mut right) = (SummaryBuilder::new(), SummaryBuilder::new());
    for (i, &(c, day, amt)) in rows.iter().enumerate() {
        whole.push(Some(c), Some(day), Some(amt));
        if i < 17 { &mut left } else { &mut right }.push(Some(c), Some(day), Some(amt));
    }
    left.merge(right);
    let opts = SummaryOptions { calibration_end: Some(20), ..SummaryOptions::default() };
    assert_eq!(left.finish(&opts).unwrap(), whole.finish(&opts).unwrap());
}

#[test]
fn bad_input_is_an_error() {
    let opts = SummaryOptions::default();
    assert_eq!(summarize(&[], &[], &[], &opts).unwrap_err().code(), "EMPTY_INPUT");
    assert_eq!(summarize(&["a"], &[1, 2], &[1.0], &opts).unwrap_err().code(), "INVALID_OPTION");
    assert_eq!(summarize(&["a"], &[1], &[f64::NAN], &opts).unwrap_err().code(), "EMPTY_INPUT");
    let late = SummaryOptions { calibration_end: Some(0), ..opts };
    assert_eq!(summarize(&["a"], &[5], &[1.0], &late).unwrap_err().code(), "EMPTY_INPUT");
    let inverted = SummaryOptions { calibration_start: Some(9), calibration_end: Some(3), ..opts };
    assert_eq!(summarize(&["a"], &[5], &[1.0], &inverted).unwrap_err().code(), "INVALID_OPTION");
    let ds = read_csv_str("id,n,amount\n1,2,3\n", Default::default()).unwrap();
    let cols = TransactionColumns { customer: "id", date: "n", amount: Some("amount"), ..Default::default() };
    assert_eq!(summarize_dataset(&ds, &cols, &opts).unwrap_err().code(), "INVALID_OPTION");
    let cols = TransactionColumns { customer: "id", date: "nope", amount: None, ..Default::default() };
    assert_eq!(summarize_dataset(&ds, &cols, &opts).unwrap_err().code(), "UNKNOWN_COLUMN");
}
