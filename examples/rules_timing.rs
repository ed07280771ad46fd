//! Native timing of `rules`: the CDNOW customer table (customerValue over CDNOW_master.txt)
//! repeated to 10^6 rows, 20 rules of the kind the templates hold.
//!
//!     cargo run --release --example rules_timing [-- ROWS] [--csv PATH]
//!
//! With `--csv PATH` the table is also written as CSV and the 20 conditions as SQL next to it
//! (PATH.sql.json), for a DuckDB comparison on the same rows.

use std::time::Instant;

use crmlens::io::{read_csv_bytes, LoadOptions};
use crmlens::rules::{compile, parse_as_of, rules, Rule, RulesOptions, Then, Trigger, When};
use crmlens::table::{Column, ColumnData, Dataset, Validity};
use crmlens::task::{run, Ctl};
use crmlens::value::{customer_value, CustomerValueOptions};

pub const CONDITIONS: [(&str, &str); 20] = [
    ("days_since(lastPurchase) > 90", "date_diff('day', lastPurchase, DATE '1998-07-01') > 90"),
    ("pAlive < 0.3 and clv > 200", "pAlive < 0.3 AND clv > 200"),
    ("pAlive < 0.3 and clv > 200 and days_since(lastPurchase) > 90", "pAlive < 0.3 AND clv > 200 AND date_diff('day', lastPurchase, DATE '1998-07-01') > 90"),
    ("days_since(firstPurchase) <= 14 and frequency = 0", "date_diff('day', firstPurchase, DATE '1998-07-01') <= 14 AND frequency = 0"),
    ("month(firstPurchase) = month() and day(firstPurchase) = day() and years_since(firstPurchase) >= 1", "month(firstPurchase) = 7 AND day(firstPurchase) = 1 AND date_sub('year', firstPurchase, DATE '1998-07-01') >= 1"),
    ("mScore >= 4 and rScore <= 2", "mScore >= 4 AND rScore <= 2"),
    ("segment in ('Champions', 'Loyal') and monetary > 50", "segment IN ('Champions', 'Loyal') AND monetary > 50"),
    ("frequency >= 3 and pAlive < 0.5", "frequency >= 3 AND pAlive < 0.5"),
    ("segment = 'At risk' or segment = \"Can't lose them\"", "segment = 'At risk' OR segment = 'Can''t lose them'"),
    ("expectedPurchases between 0.5 and 2", "expectedPurchases BETWEEN 0.5 AND 2"),
    ("clv / (frequency + 1) > 20", "clv / (frequency + 1) > 20"),
    ("monetary * frequency > 1000", "monetary * frequency > 1000"),
    ("lower(segment) contains 'loyal'", "contains(lower(segment), 'loyal')"),
    ("rfm starts with '5'", "starts_with(rfm, '5')"),
    ("rfm in ('555', '554', '545')", "rfm IN ('555', '554', '545')"),
    ("months_since(lastPurchase) >= 12 and clv > 50", "date_sub('month', lastPurchase, DATE '1998-07-01') >= 12 AND clv > 50"),
    ("not (segment in ('Lost', 'Hibernating')) and pAlive > 0.8", "NOT (segment IN ('Lost', 'Hibernating')) AND pAlive > 0.8"),
    ("lastPurchase < '1997-06-01' and frequency > 0", "lastPurchase < DATE '1997-06-01' AND frequency > 0"),
    ("recency > T * 0.5 or expectedSpend > 100", "recency > T * 0.5 OR expectedSpend > 100"),
    ("weekday(firstPurchase) in (6, 7) and mScore = 5", "isodow(firstPurchase) IN (6, 7) AND mScore = 5"),
];

fn data(rel: &str) -> std::path::PathBuf {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    ["../shared/data", "../../shared/data"]
        .iter()
        .map(|u| root.join(u).join(rel))
        .find(|p| p.exists())
        .expect("../shared/data")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rows: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let csv = args.iter().position(|a| a == "--csv").and_then(|i| args.get(i + 1)).cloned();
    let log = read_csv_bytes(&std::fs::read(data("cdnow_lifetimes/CDNOW_master.txt")).unwrap(), LoadOptions::default())
        .unwrap();
    let opts: CustomerValueOptions =
        crmlens::options::options_from_json(r#"{"customer":"customer_id","date":"date","amount":"dollar_value"}"#)
            .unwrap();
    let base = customer_value(&log, &opts).unwrap().customers;
    let n0 = base.num_rows();
    let pick: Vec<Option<usize>> = (0..rows).map(|i| Some(i % n0)).collect();
    let mut cols = vec![Column::new("id", ColumnData::Int64((0..rows as i64).collect()), Validity::all_valid(rows))];
    cols.extend(base.columns().iter().skip(1).map(|c| c.take(&pick)));
    let ds = Dataset::new(cols).unwrap();
    println!("table: {} rows × {} columns", ds.num_rows(), ds.num_columns());
    if let Some(path) = &csv {
        let o = crmlens::io::export::CsvWriteOptions { escape_formulas: false, ..Default::default() };
        std::fs::write(path, crmlens::io::export::to_csv(&ds, &o).unwrap()).unwrap();
        let sql: Vec<&str> = CONDITIONS.iter().map(|c| c.1).collect();
        std::fs::write(format!("{path}.sql.json"), serde_json::to_string(&sql).unwrap()).unwrap();
    }
    let rule_list: Vec<Rule> = CONDITIONS
        .iter()
        .enumerate()
        .map(|(i, c)| Rule {
            id: format!("r{i}"),
            when: When::Expr(c.0.into()),
            then: Then { action: format!("action {i}"), priority: i as i64 % 3, extra: Default::default() },
            description: None,
        })
        .collect();
    let as_of = parse_as_of("1998-07-01").unwrap();
    let best = |f: &mut dyn FnMut()| {
        let mut times = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            f();
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        times[2]
    };
    let mut compiled = Vec::new();
    let t_compile = best(&mut || {
        compiled = rule_list.iter().map(|r| compile(&ds, &r.id, &r.when, Some(as_of), true).unwrap()).collect();
    });
    let mut matched = Vec::new();
    let t_count = best(&mut || {
        matched = compiled.iter().map(|c| run(c.count(&ds, &mut Ctl::none())).unwrap().matched).collect();
    });
    let unfolded: Vec<_> =
        rule_list.iter().map(|r| compile(&ds, &r.id, &r.when, Some(as_of), false).unwrap()).collect();
    let t_unfolded = best(&mut || {
        let m: Vec<usize> = unfolded.iter().map(|c| run(c.count(&ds, &mut Ctl::none())).unwrap().matched).collect();
        assert_eq!(m, matched);
    });
    println!("matched per rule: {matched:?}");
    if args.iter().any(|a| a == "--per-rule") {
        for (c, r) in compiled.iter().zip(&rule_list) {
            let t = best(&mut || {
                run(c.count(&ds, &mut Ctl::none())).unwrap();
            });
            println!(
                "  {t:7.2} ms  {}",
                match &r.when {
                    When::Expr(e) => e.as_str(),
                    _ => "",
                }
            );
        }
    }
    let o1 = RulesOptions { key: Some("id".into()), as_of: Some("1998-07-01".into()), ..Default::default() };
    let mut first = None;
    let t_rules = best(&mut || first = Some(rules(&ds, &rule_list, &o1).unwrap()));
    let first = first.unwrap();
    let o2 = RulesOptions {
        key: Some("id".into()),
        as_of: Some("1998-08-01".into()),
        previous: Some(first.snapshot.clone()),
        trigger: Trigger::Change,
        ..Default::default()
    };
    let mut second = None;
    let t_second = best(&mut || second = Some(rules(&ds, &rule_list, &o2).unwrap()));
    let second = second.unwrap();
    let mrows = ds.num_rows() as f64 / 1e6;
    println!("compile 20 rules:                 {t_compile:8.2} ms");
    println!("evaluate 20 rules (counts):       {t_count:8.2} ms  ({:.0} M row-rules/s)", mrows * 20.0 / t_count * 1e3);
    println!("  same without compile-time folding: {t_unfolded:8.2} ms");
    println!(
        "rules(): events + snapshot:       {t_rules:8.2} ms  ({} events, truncated {})",
        first.events.num_rows(),
        first.events_truncated
    );
    println!("rules() with previous snapshot:   {t_second:8.2} ms  ({} events)", second.events.num_rows());
    let snap = serde_json::to_string(&first.snapshot).unwrap();
    println!("snapshot JSON: {:.1} MB", snap.len() as f64 / 1e6);
}
