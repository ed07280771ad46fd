//! Monthly acquisition cohorts of the CDNOW master file (../shared/data/cdnow_lifetimes):
//! every customer first bought in January–March 1997, and the log runs to June 1998. The
//! whole matrix is checked against a direct count over the raw text of the file.

use std::collections::{BTreeSet, HashMap};

use crmlens::io::read_csv_bytes;
use crmlens::table::date::days_from_civil;
use crmlens::table::Value;
use crmlens::value::cohort::{cohort_matrix, month_label, month_of_day, CohortBuilder, CohortMatrix};

fn path() -> String {
    format!("{}/../shared/data/cdnow_lifetimes/CDNOW_master.txt", env!("CARGO_MANIFEST_DIR"))
}

/// (customer, day) of every row, through the loader.
fn transactions() -> Vec<(String, i32)> {
    let bytes = std::fs::read(path()).unwrap_or_else(|e| panic!("{}: {e}", path()));
    let ds = read_csv_bytes(&bytes, Default::default()).unwrap();
    let (c, d) = (ds.column("customer_id").unwrap(), ds.column("date").unwrap());
    (0..ds.num_rows())
        .map(|i| match (c.get(i), d.get(i)) {
            (Value::Str(id), Value::Date(day)) => (id.to_string(), day),
            other => panic!("row {i}: {other:?}"),
        })
        .collect()
}

fn build(rows: &[(String, i32)]) -> CohortMatrix {
    let mut b = CohortBuilder::new();
    for (c, d) in rows {
        b.push(Some(c), Some(*d));
    }
    b.finish().unwrap()
}

/// The matrix counted straight from the text: `YYYYMMDD` → months since year 0, no date code.
fn direct_count() -> (Vec<u32>, HashMap<u32, Vec<u32>>) {
    let text = std::fs::read_to_string(path()).unwrap();
    let mut months: HashMap<&str, BTreeSet<u32>> = HashMap::new();
    for line in text.lines().skip(1) {
        let mut f = line.split_whitespace();
        let (Some(id), Some(date)) = (f.next(), f.next()) else { continue };
        let (y, m): (u32, u32) = (date[..4].parse().unwrap(), date[4..6].parse().unwrap());
        months.entry(id).or_default().insert(y * 12 + m - 1);
    }
    assert_eq!(months.len(), 23_570);
    let last = months.values().map(|s| *s.last().unwrap()).max().unwrap();
    let mut cells: HashMap<u32, Vec<u32>> = HashMap::new();
    for set in months.values() {
        let c = *set.first().unwrap();
        let row = cells.entry(c).or_insert_with(|| vec![0; (last - c + 1) as usize]);
        for &m in set {
            row[(m - c) as usize] += 1;
        }
    }
    let mut cohorts: Vec<u32> = cells.keys().copied().collect();
    cohorts.sort_unstable();
    (cohorts, cells)
}

#[test]
fn cdnow_master_cohorts() {
    let rows = transactions();
    assert_eq!(rows.len(), 69_659);
    let m = build(&rows);
    assert_eq!(m.cohorts, ["1997-01", "1997-02", "1997-03"]);
    assert_eq!(m.last_month, "1998-06");
    assert_eq!((m.report.rows, m.report.used, m.customers), (69_659, 69_659, 23_570));
    assert_eq!(m.sizes.iter().sum::<u32>(), 23_570);
    // Rows run to June 1998: 18, 17 and 16 observed months.
    assert_eq!(m.active.iter().map(Vec::len).collect::<Vec<_>>(), [18, 17, 16]);
    for c in 0..3 {
        assert_eq!(m.active[c][0], m.sizes[c]);
        assert_eq!(m.retention[c][0], 1.0);
        for k in 0..m.active[c].len() {
            assert!(m.active[c][k] <= m.sizes[c]);
            assert_eq!(m.retention[c][k], m.active[c][k] as f64 / m.sizes[c] as f64);
        }
    }

    // Every cell against the direct count over the raw text.
    let (cohorts, cells) = direct_count();
    assert_eq!(cohorts.len(), 3);
    for (c, &month) in cohorts.iter().enumerate() {
        assert_eq!(m.cohort_months[c], month as i32);
        assert_eq!(m.active[c], cells[&month], "cohort {}", m.cohorts[c]);
    }

    // A few cells, as regression values (equal to the direct count above).
    let jan = m.cohort_index("1997-01").unwrap();
    let mar = m.cohort_index("1997-03").unwrap();
    eprintln!("sizes {:?}", m.sizes);
    for c in 0..3 {
        let pct: Vec<String> = m.retention[c].iter().map(|r| format!("{:.1}", 100.0 * r)).collect();
        eprintln!("{} {:?} {}", m.cohorts[c], m.active[c], pct.join(" "));
    }
    assert_eq!(m.sizes, [7_846, 8_476, 7_248]);
    assert_eq!((m.active[jan][1], m.active[jan][17]), (1_157, 498));
    assert_eq!(m.active[mar][15], 457);
    assert_eq!(format!("{:.4}", m.retention[jan][1]), "0.1475"); // 1,157 / 7,846
}

#[test]
fn merged_pieces_equal_one_builder() {
    let rows = transactions();
    let whole = build(&rows);
    // Three pieces, pushed in a different order and merged the other way round.
    let third = rows.len() / 3;
    let mut pieces: Vec<CohortBuilder> = Vec::new();
    for chunk in [&rows[2 * third..], &rows[third..2 * third], &rows[..third]] {
        let mut b = CohortBuilder::new();
        for (c, d) in chunk.iter().rev() {
            b.push(Some(c), Some(*d));
        }
        pieces.push(b);
    }
    let mut merged = CohortBuilder::new();
    for p in pieces {
        merged.merge(p);
    }
    assert_eq!(merged.customers(), 23_570);
    assert_eq!(merged.finish().unwrap(), whole);
}

#[test]
fn small_log_by_hand() {
    let d = days_from_civil;
    // a: Jan, Mar; b: Jan (twice); c: Feb, Mar; gap month Apr has no acquisition.
    let customers = ["a", "b", "b", "a", "c", "c", "d"];
    let days =
        [d(2020, 1, 5), d(2020, 1, 6), d(2020, 1, 31), d(2020, 3, 1), d(2020, 2, 29), d(2020, 3, 2), d(2020, 5, 1)];
    let m = cohort_matrix(&customers, &days).unwrap();
    assert_eq!(m.cohorts, ["2020-01", "2020-02", "2020-05"]);
    assert_eq!(m.sizes, [2, 1, 1]);
    assert_eq!(m.active, [vec![2, 0, 1, 0, 0], vec![1, 1, 0, 0], vec![1]]);
    assert_eq!(m.retention[0], [1.0, 0.0, 0.5, 0.0, 0.0]);
    assert_eq!(m.last_month, "2020-05");
    assert_eq!(month_label(month_of_day(d(1999, 12, 31))), "1999-12");

    // Missing cells are counted; a log without usable rows is an error.
    let mut b = CohortBuilder::new();
    b.push(None, Some(0));
    b.push(Some("x"), None);
    assert_eq!(b.finish().unwrap_err().code(), "EMPTY_INPUT");
    b.push(Some("x"), Some(0));
    let m = b.finish().unwrap();
    assert_eq!((m.report.rows, m.report.used, m.report.missing_customer, m.report.missing_date), (3, 1, 1, 1));
    assert_eq!(m.cohorts, ["1970-01"]);
    assert_eq!(cohort_matrix(&["a"], &[]).unwrap_err().code(), "INVALID_OPTION");
}
