//! The events written straight as dataset bytes (the rules module's path: option
//! `events_as_bytes`, `table::bytes_writer`) are the bytes of the events Dataset that `rules`
//! otherwise returns (`to_bytes_fast`), and read back into that Dataset: random rules over the
//! real tables (Telco, CDNOW's customer table, both with holes), first run and a second run
//! against the previous snapshot (new, continuing, resolved, keys gone), trigger `always`,
//! both `events.values`, with and without `events.reason`, `maxEvents`, and read columns whose names are fixed columns' names.

mod rules_support;

use crmlens::rules::{compile, parse_as_of, rules, rules_bytes, Rule, RulesOptions, Then, When};
use crmlens::table::Column;
use crmlens::Dataset;
use rules_support::gen::Gen;

/// Up to `n` generated rules that compile on `ds`.
fn rule_list(ds: &Dataset, seed: u64, as_of: Option<&str>, n: usize) -> Vec<Rule> {
    let mut g = Gen::new(ds, seed, as_of);
    let days = as_of.map(|a| parse_as_of(a).unwrap());
    let mut out = Vec::new();
    for i in 0..n * 4 {
        let case = g.case();
        let when = if i % 2 == 0 { When::Expr(case.text) } else { When::Logic(case.json) };
        if compile(ds, "r", &when, days, true).is_ok() {
            out.push(Rule {
                id: format!("r{i}"),
                when,
                then: Then { action: format!("act {}", i % 5), priority: i as i64 % 3, extra: Default::default() },
                description: None,
            });
        }
        if out.len() == n {
            break;
        }
    }
    assert!(out.len() >= n / 2, "only {} of {n} rules compiled", out.len());
    out
}

/// `rules` both ways: the bytes equal the Dataset's, and read back to it. Returns the next
/// run's options (this run's snapshot as `previous`) and the number of events.
fn same_both_ways(ds: &Dataset, list: &[Rule], opts: &RulesOptions) -> (RulesOptions, usize) {
    let plain = rules(ds, list, opts).unwrap();
    let mut o = opts.clone();
    o.events_as_bytes = true;
    let mut fast = rules(ds, list, &o).unwrap();
    let bytes = fast.events_bytes.take().expect("events_bytes");
    assert_eq!(fast.events.num_rows(), 0);
    assert!(plain.events_bytes.is_none());
    assert_eq!(bytes, plain.events.to_bytes_fast(), "bytes differ ({} events)", plain.events.num_rows());
    // The rules module's entry (`rules_bytes`: bytes whatever `events_as_bytes` says).
    let mut module = rules_bytes(ds, list, opts).unwrap();
    assert_eq!(module.events_bytes.take().as_deref(), Some(bytes.as_slice()));
    assert_eq!(module.counts, plain.counts);
    assert_eq!(Dataset::from_bytes(&bytes).unwrap(), plain.events);
    assert_eq!(fast.counts, plain.counts);
    assert_eq!(fast.snapshot, plain.snapshot);
    let n = plain.events.num_rows();
    let mut next = opts.clone();
    next.previous = Some(plain.snapshot);
    (next, n)
}

/// The first `n` rows.
fn head(ds: &Dataset, n: usize) -> Dataset {
    let rows: Vec<Option<usize>> = (0..n.min(ds.num_rows())).map(Some).collect();
    Dataset::new(ds.columns().iter().map(|c| c.take(&rows)).collect()).unwrap()
}

/// Every 7th row dropped (their keys are gone next run).
fn drop_rows(ds: &Dataset) -> Dataset {
    let keep: Vec<Option<usize>> = (0..ds.num_rows()).filter(|i| i % 7 != 2).map(Some).collect();
    Dataset::new(ds.columns().iter().map(|c| c.take(&keep)).collect()).unwrap()
}

#[test]
fn events_bytes_are_the_events_datasets_bytes() {
    let telco = rules_support::telco();
    let cdnow = rules_support::cdnow_customers();
    // 4,000 rows of each (a debug-build test): Telco with holes, CDNOW's customers with holes.
    let cases = [
        ("telco", head(&rules_support::with_holes(&telco, 0.08, 3), 4_000), "customerID", None),
        (
            "cdnow",
            head(&rules_support::with_holes(&cdnow, 0.1, 5), 4_000),
            "customer_id",
            Some(rules_support::CDNOW_AS_OF),
        ),
    ];
    for (name, ds, key, as_of) in cases {
        let list = rule_list(&ds, 0x18b7 ^ name.len() as u64, as_of, 12);
        for (values, reason, trigger) in
            [("read", true, "change"), ("read", false, "always"), ("none", true, "always"), ("none", false, "change")]
        {
            {
                let opts: RulesOptions = crmlens::options::options_from_json(
                    &serde_json::json!({ "key": key, "asOf": as_of, "trigger": trigger,
                                         "events": { "values": values, "reason": reason } })
                    .to_string(),
                )
                .unwrap();
                let (next, first) = same_both_ways(&ds, &list, &opts);
                // The second run: holes move, rows leave (resolved, gone keys).
                let second = drop_rows(&rules_support::with_holes(&ds, 0.05, 9));
                let (_, again) = same_both_ways(&second, &list, &next);
                let mut capped = next.clone();
                capped.max_events = Some(777);
                let (_, cut) = same_both_ways(&second, &list, &capped);
                // Events in every run, or the comparison would prove little.
                assert!(first > 0 && again > 0 && cut > 0, "{name}: {first} / {again} / {cut} events");
            }
        }
        eprintln!("{name}: {} rules", list.len());
    }
}

#[test]
fn read_columns_named_as_fixed_columns_are_renamed_the_same_way() {
    let ds = rules_support::cdnow_customers();
    let cols: Vec<Column> = ds
        .columns()
        .iter()
        .map(|c| {
            let mut c = c.clone();
            match c.name.as_str() {
                "segment" => c.name = "status".into(),
                "frequency" => c.name = "priority".into(),
                "clv" => c.name = "reason".into(),
                _ => {}
            }
            c
        })
        .collect();
    let ds = Dataset::new(cols).unwrap();
    let list: Vec<Rule> = serde_json::from_value(serde_json::json!([
        { "id": "a", "when": "status = 'Champions' and priority > 3", "then": { "action": "call" } },
        { "id": "b", "when": "reason > 100 or days_since(lastPurchase) < 30", "then": { "action": "mail", "priority": 2 } },
    ]))
    .unwrap();
    let opts: RulesOptions =
        crmlens::options::options_from_json(r#"{"key":"customer_id","asOf":"1998-07-01"}"#).unwrap();
    assert!(same_both_ways(&ds, &list, &opts).1 > 0);
    let r = rules(&ds, &list, &opts).unwrap();
    let names: Vec<&str> = r.events.columns().iter().map(|c| c.name.as_str()).collect();
    assert!(names.contains(&"status (value)") && names.contains(&"reason (value)"), "{names:?}");
}

#[test]
fn reason_false_leaves_out_the_reason_column_only() {
    let ds = head(&rules_support::with_holes(&rules_support::cdnow_customers(), 0.05, 11), 5_000);
    let list = rule_list(&ds, 0x18, Some(rules_support::CDNOW_AS_OF), 8);
    for values in ["read", "none"] {
        let o = |reason: serde_json::Value| -> RulesOptions {
            let mut events = serde_json::json!({ "values": values });
            if !reason.is_null() {
                events["reason"] = reason;
            }
            crmlens::options::options_from_json(
                &serde_json::json!({ "key": "customer_id", "asOf": rules_support::CDNOW_AS_OF, "events": events })
                    .to_string(),
            )
            .unwrap()
        };
        let with = rules(&ds, &list, &o(serde_json::Value::Null)).unwrap().events;
        assert_eq!(rules(&ds, &list, &o(serde_json::json!(true))).unwrap().events, with);
        let without = rules(&ds, &list, &o(serde_json::json!(false))).unwrap().events;
        assert!(with.num_rows() > 0);
        let kept: Vec<Column> = with.columns().iter().filter(|c| c.name != "reason").cloned().collect();
        assert_eq!(kept.len(), with.num_columns() - 1);
        assert_eq!(without, Dataset::new(kept).unwrap());
    }
    // Not a boolean: an INVALID_OPTION naming it.
    let bad = crmlens::options::options_from_json::<RulesOptions>(r#"{"events":{"reason":"no"}}"#).unwrap_err();
    assert_eq!(bad.code(), "INVALID_OPTION", "{bad}");
    assert!(bad.to_string().contains("events") && bad.to_string().contains("boolean"), "{bad}");
}
