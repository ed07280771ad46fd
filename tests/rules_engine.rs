//! `rules` end to end on the CDNOW customer table (issue 18): events, counts, the change
//! trigger across two runs (new / continuing / resolved, checked against sets computed
//! independently from each rule's per-row result), JSON round trips, templates, options and
//! abort.

mod rules_support;

use std::collections::BTreeSet;

use crmlens::rules::{
    compile, parse_as_of, rule_from_template, rule_templates, rules, rules_async, Rule, RulesOptions, Snapshot,
    Trigger, When,
};
use crmlens::table::{Column, ColumnData, Validity, Value};
use crmlens::task::{run, Ctl};
use crmlens::Dataset;
use rules_support::{cdnow_customers, with_holes, CDNOW_AS_OF};

fn rule_list() -> Vec<Rule> {
    serde_json::from_value(serde_json::json!([
        { "id": "win-back", "when": "pAlive < 0.3 and clv > 20 and days_since(lastPurchase) > 90",
          "then": { "action": "Send win-back offer", "priority": 1, "channel": "email" } },
        { "id": "vip", "when": { "and": [ { "==": [ { "var": "segment" }, "Champions" ] }, { ">": [ { "var": "frequency" }, 5 ] } ] },
          "then": { "action": "Call within 24 h", "priority": 0 } },
        { "id": "inactive-year", "when": "months_since(lastPurchase) >= 12", "then": { "action": "Reminder" } },
    ]))
    .unwrap()
}

fn opts(json: serde_json::Value) -> RulesOptions {
    crmlens::options::options_from_json(&json.to_string()).unwrap()
}

/// Keys (customer ids) where `rule` is true / undecided.
fn sets(ds: &Dataset, rule: &Rule, as_of: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let c = compile(ds, &rule.id, &rule.when, Some(parse_as_of(as_of).unwrap()), true).unwrap();
    let tri = run(c.evaluate(ds, &mut Ctl::none())).unwrap();
    let ids = ds.column("customer_id").unwrap();
    let key = |i: usize| ids.get(i).to_text().unwrap_or_default();
    let pick = |v: u8| tri.iter().enumerate().filter(|(_, t)| **t == v).map(|(i, _)| key(i)).collect();
    (pick(2), pick(1))
}

/// (rule, key, status) of every event.
fn event_rows(ev: &Dataset) -> Vec<(String, String, String)> {
    let (r, k, s) = (ev.column("rule").unwrap(), ev.column("key").unwrap(), ev.column("status").unwrap());
    (0..ev.num_rows())
        .map(|i| (r.get(i).to_text().unwrap(), k.get(i).to_text().unwrap(), s.get(i).to_text().unwrap()))
        .collect()
}

/// The second run's table: 8 % of the cells missing, every 10th customer gone.
fn second_table(ds: &Dataset) -> Dataset {
    let holes = with_holes(ds, 0.08, 7);
    let keep: Vec<Option<usize>> = (0..ds.num_rows()).filter(|i| i % 10 != 3).map(Some).collect();
    let mut cols: Vec<Column> = holes.columns().iter().map(|c| c.take(&keep)).collect();
    // The key column itself stays complete.
    cols[0] = ds.columns()[0].take(&keep);
    Dataset::new(cols).unwrap()
}

#[test]
fn two_runs_tell_new_continuing_and_resolved() {
    let ds = cdnow_customers();
    let list = rule_list();
    let first = rules(&ds, &list, &opts(serde_json::json!({ "key": "customer_id", "asOf": CDNOW_AS_OF }))).unwrap();
    assert!(first.warnings.is_empty(), "{:?}", first.warnings);
    for (c, rule) in first.counts.iter().zip(&list) {
        let (m, u) = sets(&ds, rule, CDNOW_AS_OF);
        assert!(!m.is_empty(), "{} matches nothing", rule.id);
        assert_eq!((c.matched, c.new, c.continuing, c.resolved, c.undecided), (m.len(), m.len(), 0, 0, u.len()));
        let snap = first.snapshot.rules.iter().find(|r| r.id == rule.id).unwrap();
        assert_eq!(snap.keys.iter().cloned().collect::<BTreeSet<_>>(), m);
        assert_eq!(c.events, m.len());
    }
    assert_eq!(first.events.num_rows(), first.counts.iter().map(|c| c.matched).sum::<usize>());

    // The snapshot goes through JSON, as a host would store it.
    let stored = serde_json::to_string(&first.snapshot).unwrap();
    let previous: Snapshot = serde_json::from_str(&stored).unwrap();
    assert_eq!(previous, first.snapshot);

    let later = "1998-09-15";
    let ds2 = second_table(&ds);
    for trigger in [Trigger::Change, Trigger::Always] {
        let o = RulesOptions {
            key: Some("customer_id".into()),
            as_of: Some(later.into()),
            previous: Some(previous.clone()),
            trigger,
            max_events: None,
            events: Default::default(),
            join_keys: false,
            events_as_bytes: false,
        };
        let second = rules(&ds2, &list, &o).unwrap();
        let mut totals = [0usize; 4];
        let events = event_rows(&second.events);
        for (c, rule) in second.counts.iter().zip(&list) {
            let (m1, _) = sets(&ds, rule, CDNOW_AS_OF);
            let (m2, u2) = sets(&ds2, rule, later);
            let new: BTreeSet<_> = m2.difference(&m1).cloned().collect();
            let continuing: BTreeSet<_> = m2.intersection(&m1).cloned().collect();
            let resolved: BTreeSet<_> = m1.iter().filter(|k| !m2.contains(*k) && !u2.contains(*k)).cloned().collect();
            let carried: BTreeSet<_> = m1.intersection(&u2).cloned().collect();
            assert_eq!(
                (c.matched, c.new, c.continuing, c.resolved, c.undecided),
                (m2.len(), new.len(), continuing.len(), resolved.len(), u2.len()),
                "{}",
                rule.id
            );
            for (t, s) in totals.iter_mut().zip([&new, &continuing, &resolved, &carried]) {
                *t += s.len();
            }
            let of = |status: &str| -> BTreeSet<String> {
                events.iter().filter(|e| e.0 == rule.id && e.2 == status).map(|e| e.1.clone()).collect()
            };
            assert_eq!(of("new"), new, "{}", rule.id);
            assert_eq!(of("resolved"), resolved, "{}", rule.id);
            let want_continuing = if trigger == Trigger::Always { continuing.clone() } else { BTreeSet::new() };
            assert_eq!(of("continuing"), want_continuing, "{}", rule.id);
            // Undecided keys that matched before stay in the snapshot.
            let snap = second.snapshot.rules.iter().find(|r| r.id == rule.id).unwrap();
            let want: BTreeSet<String> = m2.union(&carried).cloned().collect();
            assert_eq!(snap.keys.iter().cloned().collect::<BTreeSet<_>>(), want, "{}", rule.id);
        }
        // Every case happens: new, continuing, resolved, and carried over while undecided.
        assert!(totals.iter().all(|&t| t > 0), "{totals:?}");
        // Keys gone from the table resolve with no row.
        let rows = second.events.column("row").unwrap();
        let reason = second.events.column("reason").unwrap();
        let gone = (0..second.events.num_rows()).filter(|&i| rows.get(i) == Value::Null).count();
        assert!(gone > 0);
        for i in (0..second.events.num_rows()).filter(|&i| rows.get(i) == Value::Null) {
            assert_eq!(reason.get(i), Value::Str("no longer in the table"));
        }
    }
}

#[test]
fn events_carry_the_values_the_rule_read() {
    let ds = cdnow_customers();
    let list = rule_list();
    let r =
        rules(&ds, &list, &opts(serde_json::json!({ "key": "customer_id", "asOf": CDNOW_AS_OF, "trigger": "always" })))
            .unwrap();
    let ev = &r.events;
    let names = ev.column_names();
    assert_eq!(names[..7], ["rule", "key", "action", "priority", "status", "row", "reason"]);
    // The columns read, in order of first use: win-back's, then vip's (segment, frequency).
    assert_eq!(names[7..], ["pAlive", "clv", "lastPurchase", "segment", "frequency"]);
    let col = |n: &str| ev.column(n).unwrap();
    for i in (0..ev.num_rows()).step_by(97) {
        let row = match col("row").get(i) {
            Value::Int(r) => r as usize,
            other => panic!("{other:?}"),
        };
        assert_eq!(col("key").get(i), ds.column("customer_id").unwrap().get(row));
        let rule = col("rule").get(i).to_text().unwrap();
        let reads: &[&str] = match rule.as_str() {
            "win-back" => &["pAlive", "clv", "lastPurchase"],
            "vip" => &["segment", "frequency"],
            _ => &["lastPurchase"],
        };
        for n in ["pAlive", "clv", "lastPurchase", "segment", "frequency"] {
            let want = if reads.contains(&n) { ds.column(n).unwrap().get(row) } else { Value::Null };
            assert_eq!(col(n).get(i), want, "{rule} {n}");
        }
        let reason = col("reason").get(i).to_text().unwrap();
        assert!(reason.starts_with(reads[0]) && reason.contains(" = "), "{reason}");
        let (action, priority) = match rule.as_str() {
            "win-back" => ("Send win-back offer", 1),
            "vip" => ("Call within 24 h", 0),
            _ => ("Reminder", 0),
        };
        assert_eq!((col("action").get(i), col("priority").get(i)), (Value::Str(action), Value::Int(priority)));
        assert_eq!(col("status").get(i), Value::Str("new"));
    }
    // The events export like any Dataset (formula-safe CSV by default).
    let csv = crmlens::io::export::to_csv(ev, &Default::default()).unwrap();
    assert!(csv.lines().count() == ev.num_rows() + 1);

    // `events: { values: 'none' }`: the same events, the fixed columns only.
    let lean = rules(
        &ds,
        &list,
        &opts(serde_json::json!({ "key": "customer_id", "asOf": CDNOW_AS_OF, "trigger": "always",
                                  "events": { "values": "none" } })),
    )
    .unwrap();
    assert_eq!(lean.events.column_names(), names[..7]);
    assert_eq!(lean.counts, r.counts);
    assert_eq!(lean.snapshot, r.snapshot);
    for n in &names[..7] {
        let (a, b) = (lean.events.column(n).unwrap(), col(n));
        assert!((0..ev.num_rows()).all(|i| a.get(i) == b.get(i)), "{n}");
    }
    // `join_keys` (the rules module's): the same keys, in one string with UTF-16 ends.
    let mut o = opts(serde_json::json!({ "key": "customer_id", "asOf": CDNOW_AS_OF, "trigger": "always" }));
    o.join_keys = true;
    let joined = rules(&ds, &list, &o).unwrap();
    let j = joined.joined_keys.as_ref().unwrap();
    let units: Vec<u16> = j.text.encode_utf16().collect();
    let (mut at, mut from) = (0usize, 0u32);
    for (rule, &n) in r.snapshot.rules.iter().zip(&j.counts) {
        let got: Vec<String> = j.ends[at..at + n]
            .iter()
            .map(|&e| {
                let k = String::from_utf16(&units[from as usize..e as usize]).unwrap();
                from = e;
                k
            })
            .collect();
        assert_eq!(got, rule.keys, "{}", rule.id);
        at += n;
    }
    assert_eq!((at, j.counts.len()), (j.ends.len(), list.len()));
    assert!(joined.snapshot.rules.iter().all(|x| x.keys.is_empty()) && r.joined_keys.is_none());
    assert!(r.snapshot.rules.iter().any(|x| x.keys.len() > 100));
    let read = opts(serde_json::json!({ "events": { "values": "read" } }));
    assert_eq!(read, opts(serde_json::json!({})));
    for bad in [r#"{"events": {"values": "all"}}"#, r#"{"events": {"value": "none"}}"#, r#"{"events": "none"}"#] {
        let e = crmlens::options::options_from_json::<RulesOptions>(bad).unwrap_err();
        assert_eq!((e.code(), e.location().field.as_deref()), ("INVALID_OPTION", Some("events")), "{bad}: {e}");
    }
    let e = crmlens::options::options_from_json::<RulesOptions>(r#"{"events": {"values": "all"}}"#).unwrap_err();
    assert!(e.to_string().contains("`read`") && e.to_string().contains("`none`"), "{e}");
}

#[test]
fn rules_snapshots_and_counts_are_json() {
    let list = rule_list();
    let text = serde_json::to_string(&list).unwrap();
    let back: Vec<Rule> = serde_json::from_str(&text).unwrap();
    assert_eq!(back, list);
    assert_eq!(list[0].then.extra["channel"], "email");
    let ds = cdnow_customers();
    let r = rules(&ds, &list, &opts(serde_json::json!({ "key": "customer_id", "asOf": CDNOW_AS_OF }))).unwrap();
    let counts = serde_json::to_value(&r.counts).unwrap();
    assert_eq!(counts[1]["rule"], "vip");
    assert!(counts[1]["matched"].as_u64().unwrap() > 0);
    for key in ["new", "continuing", "resolved", "undecided", "events"] {
        assert!(counts[0].get(key).is_some(), "{key}");
    }
    let snap = serde_json::to_value(&r.snapshot).unwrap();
    assert_eq!(
        (snap["version"].as_u64(), snap["key"].as_str(), snap["asOf"].as_str()),
        (Some(1), Some("customer_id"), Some(CDNOW_AS_OF))
    );
    // Bad JSON shapes are option errors that name the field.
    let parse = |v: serde_json::Value| crmlens::options::options_from_json::<Rule>(&v.to_string());
    let e =
        parse(serde_json::json!({ "id": "a", "when": "x > 1", "then": { "action": "b" }, "whenn": 1 })).unwrap_err();
    assert!(e.code() == "INVALID_OPTION" && e.to_string().contains("unknown field `whenn`"), "{e}");
    let e = crmlens::options::options_from_json::<RulesOptions>(r#"{"trigger": "sometimes"}"#).unwrap_err();
    assert!(e.to_string().contains("change") && e.to_string().contains("always"), "{e}");
    assert_eq!(e.location().field.as_deref(), Some("trigger"));
}

#[test]
fn options_and_rule_lists_are_checked() {
    let ds = cdnow_customers();
    let list = rule_list();
    let e = rules(&ds, &list, &opts(serde_json::json!({ "key": "customerid" }))).unwrap_err();
    assert_eq!(e.code(), "INVALID_OPTION");
    assert!(e.to_string().contains("did you mean `customer_id`"), "{e}");
    let e = rules(&ds, &list, &opts(serde_json::json!({ "asOf": "31/01/2024" }))).unwrap_err();
    assert_eq!(e.location().field.as_deref(), Some("asOf"));
    // A rule that needs asOf without one: the error names the rule and the position.
    let e = rules(&ds, &list, &RulesOptions::default()).unwrap_err();
    assert_eq!(
        (e.code(), e.location().field.as_deref(), e.location().column),
        ("RULE_ERROR", Some("win-back"), Some(31))
    );
    let mut dup = list.clone();
    dup[2].id = "vip".into();
    assert!(rules(&ds, &dup, &opts(serde_json::json!({ "asOf": CDNOW_AS_OF })))
        .unwrap_err()
        .to_string()
        .contains("duplicate rule id"));
    // A snapshot keyed by another column.
    let first = rules(&ds, &list, &opts(serde_json::json!({ "key": "customer_id", "asOf": CDNOW_AS_OF }))).unwrap();
    let o = RulesOptions {
        key: Some("rfm".into()),
        as_of: Some(CDNOW_AS_OF.into()),
        previous: Some(first.snapshot),
        ..Default::default()
    };
    assert!(rules(&ds, &list, &o).unwrap_err().to_string().contains("keyed by `customer_id`"));
    // Without a key option the id column is found by its role; repeated keys are reported.
    let r = rules(&ds, &list, &opts(serde_json::json!({ "key": "rfm", "asOf": CDNOW_AS_OF }))).unwrap();
    assert!(r.warnings.iter().any(|w| w.contains("repeat a key")), "{:?}", r.warnings);
    // The repeats are counted (integer keys by sorting, text keys by hashing): rows minus
    // distinct keys, with the missing keys as one key "", here with 8 % of the keys blanked.
    let int = ds.columns().iter().find(|c| c.dtype() == crmlens::table::DataType::Int64).unwrap().name.clone();
    let int = int.as_str();
    for (key, table) in [(int, ds.clone()), (int, with_holes(&ds, 0.08, 5)), ("rfm", with_holes(&ds, 0.08, 6))] {
        let c = table.column(key).unwrap();
        let distinct: BTreeSet<String> =
            (0..table.num_rows()).map(|i| c.get(i).to_text().unwrap_or_default()).collect();
        let want = format!("{} rows repeat a key of an earlier row", table.num_rows() - distinct.len());
        let r = rules(&table, &list, &opts(serde_json::json!({ "key": key, "asOf": CDNOW_AS_OF }))).unwrap();
        assert!(r.warnings.iter().any(|w| w.starts_with(&want)), "{key}: {want} / {:?}", r.warnings);
    }
    assert_eq!(ds.column("rfm").unwrap().dtype(), crmlens::table::DataType::Text);
    // With repeated keys a key that matched before is `continuing` on every row that has it.
    let o = RulesOptions {
        key: Some("rfm".into()),
        as_of: Some("1998-09-15".into()),
        previous: Some(r.snapshot.clone()),
        ..Default::default()
    };
    let again = rules(&ds, &list, &o).unwrap();
    for (c, s) in again.counts.iter().zip(&r.snapshot.rules) {
        assert_eq!(c.new + c.continuing, c.matched);
        let distinct: BTreeSet<&String> = s.keys.iter().collect();
        assert_eq!(distinct.len(), s.keys.len(), "snapshot keys are distinct");
    }
    for (c, s) in again.counts.iter().zip(&r.snapshot.rules) {
        // Resolved keys are counted once each, not once per row.
        assert!(c.resolved <= s.keys.len(), "{c:?}");
    }
    assert!(again.counts.iter().all(|c| c.continuing > 0), "{:?}", again.counts);
    // A key resolves only when none of its rows matches any more.
    let matched_keys: BTreeSet<(String, String)> =
        event_rows(&rules(&ds, &list, &RulesOptions { trigger: Trigger::Always, ..o.clone() }).unwrap().events)
            .into_iter()
            .filter(|e| e.2 != "resolved")
            .map(|e| (e.0, e.1))
            .collect();
    for e in event_rows(&again.events) {
        assert!(e.2 == "resolved" && !matched_keys.contains(&(e.0.clone(), e.1.clone())), "{e:?}");
    }
    let r = rules(&ds, &list, &opts(serde_json::json!({ "asOf": CDNOW_AS_OF }))).unwrap();
    assert_eq!(r.snapshot.key, "customer_id");
    // maxEvents cuts the list, never the counts.
    let r = rules(&ds, &list, &opts(serde_json::json!({ "asOf": CDNOW_AS_OF, "maxEvents": 100 }))).unwrap();
    assert_eq!(r.events.num_rows(), 100);
    assert!(r.events_truncated);
    assert!(r.counts.iter().map(|c| c.matched).sum::<usize>() > 100);
    assert_eq!(r.counts.iter().map(|c| c.events).sum::<usize>(), 100);
}

#[test]
fn templates_compile_on_the_tables_they_name() {
    let ds = cdnow_customers();
    // customerValue's table joined with a sentiment roll-up and churn scores (made up here;
    // only their column names matter).
    let n = ds.num_rows();
    let mut cols: Vec<Column> = ds.columns().to_vec();
    let wave = |k: f64| (0..n).map(|i| (i as f64 * k).sin()).collect::<Vec<f64>>();
    cols.push(Column::new("meanCompound", ColumnData::Float64(wave(0.37)), Validity::all_valid(n)));
    cols.push(Column::new(
        "probability",
        ColumnData::Float64(wave(0.11).iter().map(|x| x.abs()).collect()),
        Validity::all_valid(n),
    ));
    let joined = Dataset::new(cols).unwrap();
    let templates = rule_templates();
    assert!(templates.len() >= 6);
    let list: Vec<Rule> = templates.iter().map(|t| t.rule.clone()).collect();
    for t in &templates {
        for c in &t.columns {
            assert!(joined.column(c).is_ok(), "{}: {c}", t.id);
        }
        assert_eq!(t.when.contains('{'), !t.params.is_empty(), "{}", t.id);
    }
    let r = rules(&joined, &list, &opts(serde_json::json!({ "asOf": "1998-01-01" }))).unwrap();
    let matched: Vec<(String, usize)> = r.counts.iter().map(|c| (c.rule.clone(), c.matched)).collect();
    // Every template selects someone on this table except the two the data cannot have.
    for (id, m) in &matched {
        if !matches!(id.as_str(), "new-customer-follow-up" | "at-risk-high-value" | "win-back") {
            assert!(*m > 0, "{matched:?}");
        }
    }
    // Parameters: a changed threshold changes the rule; unknown ones are errors.
    let mut p = serde_json::Map::new();
    p.insert("days".into(), serde_json::json!(400));
    let r400 = rule_from_template("inactive", &p).unwrap();
    assert_eq!(r400.when, When::Expr("days_since(lastPurchase) > 400".into()));
    p.insert("dayz".into(), serde_json::json!(1));
    assert!(rule_from_template("inactive", &p).unwrap_err().to_string().contains("no parameter `dayz`"));
    assert!(rule_from_template("nope", &Default::default()).is_err());
    assert!(serde_json::to_string(&templates).unwrap().contains("\"columns\""));
}

#[test]
fn abort_stops_the_run() {
    use crmlens::task::{Control, Pause, Progress};
    struct Stop(std::cell::Cell<u32>);
    impl Control for Stop {
        fn now_ms(&self) -> f64 {
            self.0.set(self.0.get() + 1);
            self.0.get() as f64 * 100.0
        }
        fn progress(&self, _: &Progress) {}
        fn aborted(&self) -> bool {
            self.0.get() > 5
        }
        fn pause(&self) -> Option<Pause> {
            None
        }
    }
    let ds = cdnow_customers();
    let host = Stop(std::cell::Cell::new(0));
    let mut ctl = Ctl::new(&host);
    let e =
        run(rules_async(&ds, &rule_list(), &opts(serde_json::json!({ "asOf": CDNOW_AS_OF })), &mut ctl)).unwrap_err();
    assert_eq!(e.code(), "ABORTED");
}
