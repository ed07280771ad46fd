//! Association rules on the first 5,000 rows of UCI Online Retail (InvoiceNo → StockCode)
//! equal mlxtend 0.25.0's: same rule set and the same measures (to the 12 significant
//! digits the fixture keeps). Reference: scripts/reference/recommend_mlxtend_reference.py →
//! tests/fixtures/recommend/online_retail_mlxtend_rules.json.

use std::collections::BTreeMap;

use crmlens::io::read_csv_bytes;
use crmlens::recommend::{association_rules, AssociationRuleOptions};
use serde_json::Value;

fn retail() -> crmlens::Dataset {
    let path =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/online_retail_uci_first5000/online_retail_small.csv");
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e} (../shared/data must sit beside the repo)"));
    read_csv_bytes(&bytes, Default::default()).unwrap()
}

fn names(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-10 * a.abs().max(b.abs()).max(1e-3)
}

#[test]
fn rule_sets_equal_mlxtend() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/recommend/online_retail_mlxtend_rules.json");
    let reference: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let ds = retail();
    for cfg in reference["configs"].as_array().unwrap() {
        let o = &cfg["options"];
        let opts = AssociationRuleOptions {
            transaction: "InvoiceNo".into(),
            item: "StockCode".into(),
            min_support: o["minSupport"].as_f64(),
            min_confidence: o["minConfidence"].as_f64(),
            min_lift: o["minLift"].as_f64(),
            max_len: o["maxLen"].as_u64().map(|v| v as usize),
        };
        let got = association_rules(&ds, &opts).unwrap();
        assert_eq!(got.transactions as u64, reference["transactions"].as_u64().unwrap());
        assert_eq!(got.items as u64, reference["items"].as_u64().unwrap());
        assert_eq!(got.frequent_itemsets as u64, cfg["frequentItemsets"].as_u64().unwrap(), "{o}");
        assert_eq!(got.report.used, 5000);
        let theirs: BTreeMap<(Vec<String>, Vec<String>), &Value> =
            cfg["rules"].as_array().unwrap().iter().map(|r| ((names(&r[0]), names(&r[1])), r)).collect();
        let ours: BTreeMap<(Vec<String>, Vec<String>), _> =
            got.rules.iter().map(|r| ((r.antecedents.clone(), r.consequents.clone()), r)).collect();
        assert!(theirs.len() >= 50, "{o}: a meaningful number of rules");
        assert_eq!(ours.keys().collect::<Vec<_>>(), theirs.keys().collect::<Vec<_>>(), "{o}: rule sets differ");
        for (key, r) in &ours {
            let t = theirs[key];
            let want = [2, 3, 4, 5, 6, 7].map(|i| t[i].as_f64().unwrap());
            let have = [r.antecedent_support, r.consequent_support, r.support, r.confidence, r.lift, r.leverage];
            for (h, w) in have.iter().zip(want) {
                assert!(close(*h, w), "{o} {key:?}: {have:?} vs {want:?}");
            }
            match (r.conviction, t[8].as_f64()) {
                (None, None) => assert_eq!(r.confidence, 1.0),
                (Some(a), Some(b)) => assert!(close(a, b), "{key:?}: conviction {a} vs {b}"),
                (a, b) => panic!("{key:?}: conviction {a:?} vs {b:?}"),
            }
        }
        // Best first.
        for w in got.rules.windows(2) {
            assert!(w[0].lift >= w[1].lift);
        }
    }
}

#[test]
fn options_are_checked() {
    let ds = retail();
    let base =
        AssociationRuleOptions { transaction: "InvoiceNo".into(), item: "StockCode".into(), ..Default::default() };
    for (o, field) in [
        (AssociationRuleOptions { min_support: Some(0.0), ..base.clone() }, "minSupport"),
        (AssociationRuleOptions { min_confidence: Some(1.5), ..base.clone() }, "minConfidence"),
        (AssociationRuleOptions { max_len: Some(1), ..base.clone() }, "maxLen"),
        // The two huge invoices (523 and 590 items) make every subset frequent at 1%.
        (AssociationRuleOptions { min_support: Some(0.005), ..base.clone() }, "minSupport"),
    ] {
        let e = association_rules(&ds, &o).unwrap_err();
        assert_eq!(e.location().field.as_deref(), Some(field), "{e}");
    }
    let e = association_rules(&ds, &AssociationRuleOptions { item: "Nope".into(), ..base }).unwrap_err();
    assert_eq!(e.code(), "UNKNOWN_COLUMN");
}
