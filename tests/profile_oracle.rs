//! Differential test of the profile (issue 19, item 3): on seeded random tables, every exact
//! figure of the report equals a straightforward recomputation from the generated cells
//! (counts, missing, distinct, min/max/sum/mean/sample std, zeros, negatives, the top values
//! and their counts, text lengths, duplicate rows, missing cells). The oracle works on the
//! strings it generated, not on the loaded table, so a loader slip shows up too.

use crmlens::io::read_bytes;
use crmlens::profile::{profile, ColumnProfile, ProfileOptions};
use crmlens::rng::Rng;
use std::collections::HashMap;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Int,
    Cents,
    Level,
    Words,
}

/// One generated cell: its text (empty = missing) and, for numbers, its value.
fn cell(rng: &mut Rng, kind: Kind, missing: f64) -> (String, Option<f64>) {
    if rng.next_f64() < missing {
        return (String::new(), None);
    }
    match kind {
        Kind::Int => {
            // Wide range, so the column types as integers and not as a few levels.
            let v = rng.below(200_001) as i64 - 50_000;
            let v = if rng.below(10) == 0 { 0 } else { v };
            (v.to_string(), Some(v as f64))
        }
        Kind::Cents => {
            let c = rng.below(2_000_001) as i64 - 400_000;
            let c = if rng.below(12) == 0 { 0 } else { c };
            let s = format!("{}{}.{:02}", if c < 0 { "-" } else { "" }, c.abs() / 100, c.abs() % 100);
            let v: f64 = s.parse().unwrap();
            (s, Some(v))
        }
        Kind::Level => {
            // Skewed, so the top values have distinct counts most of the time.
            let levels = ["gold", "silver", "bronze", "platinum", "steel"];
            let i = rng.below(5).min(rng.below(5));
            (levels[i].to_string(), None)
        }
        Kind::Words => {
            let words = ["good", "bad", "very", "late", "parcel", "refund", "thanks"];
            let n = 1 + rng.below(6);
            let w: Vec<&str> = (0..n).map(|_| words[rng.below(words.len())]).collect();
            (w.join(" "), None)
        }
    }
}

fn close(a: f64, b: f64, what: &str) {
    let scale = a.abs().max(b.abs()).max(1.0);
    assert!((a - b).abs() <= 1e-9 * scale, "{what}: profile {a} vs oracle {b}");
}

fn check(c: &ColumnProfile, kind: Kind, cells: &[(String, Option<f64>)], what: &str) {
    let present: Vec<&(String, Option<f64>)> = cells.iter().filter(|(s, _)| !s.is_empty()).collect();
    assert_eq!(c.count, present.len() as u64, "{what}: count");
    assert_eq!(c.missing, (cells.len() - present.len()) as u64, "{what}: missing");
    let mut freq: HashMap<&str, u64> = HashMap::new();
    for (s, _) in &present {
        *freq.entry(s.as_str()).or_default() += 1;
    }
    assert!(c.distinct_exact, "{what}: distinct is exact at this size");
    assert_eq!(c.distinct, freq.len() as u64, "{what}: distinct");
    // Every listed top value has its true count, in non-increasing order, and no unlisted
    // value is more frequent than the last one listed.
    let mut last = u64::MAX;
    for t in &c.top {
        let key = match kind {
            Kind::Int | Kind::Cents => present
                .iter()
                .find(|(s, v)| s == &t.value || v.is_some_and(|v| t.value.parse::<f64>().ok() == Some(v)))
                .map(|(s, _)| s.as_str())
                .unwrap_or_else(|| panic!("{what}: top value {:?} not in the data", t.value)),
            _ => t.value.as_str(),
        };
        assert_eq!(t.count, freq.get(key).copied().unwrap_or(0), "{what}: count of top value {key:?}");
        assert!(t.count <= last, "{what}: top values in order");
        last = t.count;
    }
    if c.top.len() < freq.len() {
        assert!(freq.values().filter(|&&n| n > last).count() <= c.top.len(), "{what}: a more frequent value left out");
    } else {
        assert_eq!(c.top.len(), freq.len(), "{what}: every value listed");
    }
    match kind {
        Kind::Int | Kind::Cents => {
            let x: Vec<f64> = present.iter().map(|(_, v)| v.unwrap()).collect();
            let n = c.numeric.as_ref().unwrap_or_else(|| panic!("{what}: numeric stats ({:?})", c.dtype));
            let sum: f64 = x.iter().sum();
            let mean = sum / x.len() as f64;
            close(n.sum, sum, &format!("{what}: sum"));
            close(n.mean, mean, &format!("{what}: mean"));
            close(n.min, x.iter().copied().fold(f64::INFINITY, f64::min), &format!("{what}: min"));
            close(n.max, x.iter().copied().fold(f64::NEG_INFINITY, f64::max), &format!("{what}: max"));
            assert_eq!(n.zeros, x.iter().filter(|&&v| v == 0.0).count() as u64, "{what}: zeros");
            assert_eq!(n.negatives, x.iter().filter(|&&v| v < 0.0).count() as u64, "{what}: negatives");
            if x.len() >= 2 {
                let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (x.len() - 1) as f64;
                close(n.std.expect("std of ≥ 2 values"), var.sqrt(), &format!("{what}: std"));
            }
        }
        Kind::Words => {
            let t = c.text.as_ref().unwrap_or_else(|| panic!("{what}: text stats ({:?})", c.dtype));
            let lens: Vec<f64> = present.iter().map(|(s, _)| s.chars().count() as f64).collect();
            close(t.min_length, lens.iter().copied().fold(f64::INFINITY, f64::min), &format!("{what}: min length"));
            close(t.max_length, lens.iter().copied().fold(f64::NEG_INFINITY, f64::max), &format!("{what}: max length"));
            close(t.mean_length, lens.iter().sum::<f64>() / lens.len() as f64, &format!("{what}: mean length"));
        }
        Kind::Level => {}
    }
}

#[test]
fn profile_equals_a_direct_recomputation_on_random_tables() {
    let kinds = [Kind::Int, Kind::Cents, Kind::Level, Kind::Words];
    let mut rng = Rng::new(19);
    for case in 0..150 {
        let rows = 3 + rng.below(if case % 10 == 0 { 3000 } else { 200 });
        let ncols = 1 + rng.below(5);
        let cols: Vec<(Kind, f64)> =
            (0..ncols).map(|_| (kinds[rng.below(kinds.len())], [0.0, 0.05, 0.3][rng.below(3)])).collect();
        // The first two rows hold a value in every column: a column is never all missing.
        let cells: Vec<Vec<(String, Option<f64>)>> = cols
            .iter()
            .map(|&(k, m)| (0..rows).map(|r| cell(&mut rng, k, if r < 2 { 0.0 } else { m })).collect())
            .collect();
        // Repeat a few earlier rows, so duplicate rows are counted too.
        let mut order: Vec<usize> = (0..rows).collect();
        for _ in 0..rng.below(4) {
            let r = rng.below(rows);
            order.push(r);
        }
        let cells: Vec<Vec<(String, Option<f64>)>> =
            cells.iter().map(|c| order.iter().map(|&r| c[r].clone()).collect()).collect();
        let n = order.len();
        let names: Vec<String> = (0..ncols).map(|j| format!("c{j}")).collect();
        let mut csv = names.join(",") + "\n";
        for r in 0..n {
            // A one-column row with a missing cell is written `""`: an empty line is no row.
            let line: Vec<&str> =
                cells.iter().map(|c| if ncols == 1 && c[r].0.is_empty() { "\"\"" } else { c[r].0.as_str() }).collect();
            csv.push_str(&line.join(","));
            csv.push('\n');
        }
        let ds = read_bytes(csv.as_bytes(), Default::default()).unwrap_or_else(|e| panic!("case {case}: {e}"));
        assert_eq!(ds.num_rows(), n, "case {case}: rows");
        let rep = profile(&ds, &ProfileOptions::default()).unwrap();
        assert_eq!(rep.dataset.rows, n as u64);
        assert_eq!(rep.columns.len(), ncols);
        let mut seen = std::collections::HashSet::new();
        let dups = (0..n).filter(|&r| !seen.insert(cells.iter().map(|c| c[r].0.as_str()).collect::<Vec<_>>())).count();
        assert_eq!(rep.dataset.duplicate_rows, dups as u64, "case {case}: duplicate rows");
        let missing: usize = cells.iter().map(|c| c.iter().filter(|(s, _)| s.is_empty()).count()).sum();
        assert_eq!(rep.dataset.missing_cells, missing as u64, "case {case}: missing cells");
        for (j, c) in rep.columns.iter().enumerate() {
            check(c, cols[j].0, &cells[j], &format!("case {case} ({n} rows) column {j}"));
        }
    }
}
