//! `associationRules` against an exhaustive enumeration oracle: on many seeded random basket
//! sets (up to 9 items, so every subset can be counted by brute force) the rule set, every
//! count and every measure must be equal, for thresholds drawn to land on exact ties
//! (supports and confidences that are whole fractions of the counts). Also: the rule whose
//! lift is just below 1 (Groceries' `bottled beer → whole milk`, confidence 0.2538) is kept
//! by default, and the resource guards answer `TOO_LARGE` instead of running away.

use std::collections::BTreeMap;

use crmlens::io::{read_csv_bytes, LoadOptions};
use crmlens::recommend::{association_rules, AssociationRuleOptions};
use crmlens::rng::Rng;

type Key = (Vec<String>, Vec<String>);

fn dataset(baskets: &[Vec<usize>]) -> crmlens::Dataset {
    let mut csv = String::from("t,i\n");
    for (t, b) in baskets.iter().enumerate() {
        for &i in b {
            csv.push_str(&format!("t{t},item{i}\n"));
        }
    }
    read_csv_bytes(csv.as_bytes(), LoadOptions { header: Some(true), ..Default::default() }).unwrap()
}

/// Every rule A → C over bitmasks of the item universe, with the thresholds read as the
/// definitions say: support = count / n ≥ minSupport, confidence = count(A∪C) / count(A) ≥
/// minConfidence, lift = confidence / support(C) ≥ minLift; counts exact.
fn oracle(
    baskets: &[Vec<usize>],
    items: usize,
    min_sup: f64,
    min_conf: f64,
    min_lift: f64,
    max_len: usize,
) -> BTreeMap<Key, (u32, f64, f64)> {
    let n = baskets.len();
    let masks: Vec<u32> = baskets.iter().map(|b| b.iter().fold(0u32, |m, &i| m | (1 << i))).collect();
    let count = |s: u32| masks.iter().filter(|&&m| m & s == s).count() as u32;
    let name =
        |s: u32| -> Vec<String> { (0..items).filter(|i| s & (1 << i) != 0).map(|i| format!("item{i}")).collect() };
    let mut out = BTreeMap::new();
    for set in 1u32..(1 << items) {
        let k = set.count_ones() as usize;
        if k < 2 || k > max_len {
            continue;
        }
        let c = count(set);
        if c == 0 || (c as f64) / (n as f64) < min_sup {
            continue;
        }
        // Every non-empty proper subset as the antecedent.
        let mut a = (set - 1) & set;
        while a > 0 {
            let cons = set & !a;
            let (ca, cc) = (count(a), count(cons));
            let conf = c as f64 / ca as f64;
            let lift = (c as f64 * n as f64) / (ca as f64 * cc as f64);
            if conf >= min_conf && lift >= min_lift {
                out.insert((name(a), name(cons)), (c, conf, lift));
            }
            a = (a - 1) & set;
        }
    }
    out
}

fn random_baskets(rng: &mut Rng) -> (Vec<Vec<usize>>, usize) {
    let items = 2 + rng.below(8); // 2..=9
    let n = 1 + rng.below(40);
    // Skewed item popularity so some itemsets are frequent and some are not.
    let p: Vec<f64> = (0..items).map(|_| 0.1 + 0.8 * rng.next_f64()).collect();
    let baskets = (0..n)
        .map(|_| {
            let b: Vec<usize> = (0..items).filter(|&i| rng.next_f64() < p[i]).collect();
            if b.is_empty() {
                vec![rng.below(items)]
            } else {
                b
            }
        })
        .collect();
    (baskets, items)
}

#[test]
fn rules_equal_exhaustive_enumeration_on_random_baskets() {
    let mut rng = Rng::new(20261207);
    let mut compared = 0usize;
    let mut nonempty = 0usize;
    for case in 0..400 {
        let (baskets, items) = random_baskets(&mut rng);
        let n = baskets.len();
        let ds = dataset(&baskets);
        // Thresholds on exact fractions half of the time, so ties at the threshold are tested.
        let min_sup =
            if rng.below(2) == 0 { (1 + rng.below(n)) as f64 / n as f64 } else { 0.05 + 0.6 * rng.next_f64() };
        let min_conf = [0.0, 0.25, 0.5, 2.0 / 3.0, 0.75, 1.0, rng.next_f64()][rng.below(7)];
        let min_lift = [None, Some(1.0), Some(0.5 + rng.next_f64())][rng.below(3)];
        let max_len = [None, Some(2), Some(3)][rng.below(3)];
        let opts = AssociationRuleOptions {
            transaction: "t".into(),
            item: "i".into(),
            min_support: Some(min_sup),
            min_confidence: Some(min_conf),
            min_lift,
            max_len,
        };
        let got = association_rules(&ds, &opts).unwrap_or_else(|e| panic!("case {case}: {e}"));
        assert_eq!(got.transactions, n);
        let want = oracle(&baskets, items, min_sup, min_conf, min_lift.unwrap_or(0.0), max_len.unwrap_or(usize::MAX));
        let ours: BTreeMap<Key, (u32, f64, f64)> = got
            .rules
            .iter()
            .map(|r| ((r.antecedents.clone(), r.consequents.clone()), (r.count, r.confidence, r.lift)))
            .collect();
        assert_eq!(ours.len(), got.rules.len(), "case {case}: a rule is listed twice");
        assert_eq!(
            ours.keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>(),
            "case {case}: n {n} minSupport {min_sup} minConfidence {min_conf} minLift {min_lift:?} maxLen {max_len:?}\n{baskets:?}"
        );
        for (k, v) in &want {
            assert_eq!(ours[k], *v, "case {case} rule {k:?}");
        }
        for r in &got.rules {
            assert_eq!(r.support, r.count as f64 / n as f64);
        }
        compared += 1;
        nonempty += usize::from(!want.is_empty());
    }
    assert_eq!(compared, 400);
    assert!(nonempty > 150, "many cases have rules to compare ({nonempty})");
}

/// Groceries' `bottled beer → whole milk`: count 201 of 792 baskets with bottled beer
/// (confidence 0.2538) and whole milk in 2,513 of 9,835 (lift 0.993). arules and mlxtend list
/// it at minSupport 0.006, minConfidence 0.25; the old default minLift of 1 dropped it silently.
#[test]
fn rule_with_lift_just_below_one_is_kept_by_default() {
    // The same counts, in baskets of (beer, milk), beer only, milk only, neither.
    let (n, beer, milk, both) = (9835usize, 792usize, 2513usize, 201usize);
    let mut baskets = Vec::with_capacity(n);
    baskets.extend((0..both).map(|_| vec![0, 1]));
    baskets.extend((0..beer - both).map(|_| vec![0]));
    baskets.extend((0..milk - both).map(|_| vec![1]));
    baskets.extend((0..n - beer - milk + both).map(|_| vec![2]));
    let ds = dataset(&baskets);
    let opts = AssociationRuleOptions {
        transaction: "t".into(),
        item: "i".into(),
        min_support: Some(0.006),
        min_confidence: Some(0.25),
        ..Default::default()
    };
    let got = association_rules(&ds, &opts).unwrap();
    let r = got
        .rules
        .iter()
        .find(|r| r.antecedents == ["item0"] && r.consequents == ["item1"])
        .expect("beer → milk listed");
    assert_eq!(r.count, 201);
    assert!((r.confidence - 0.25379).abs() < 1e-4 && r.lift < 1.0, "{r:?}");
    // Asking for minLift 1 still drops it, by request.
    let lifted = association_rules(&ds, &AssociationRuleOptions { min_lift: Some(1.0), ..opts }).unwrap();
    assert!(!lifted.rules.iter().any(|r| r.antecedents == ["item0"] && r.consequents == ["item1"]));
}

/// An itemset at exactly minSupport is frequent: 7 of 100 baskets at 0.07 (0.07 × 100 is
/// 7.000000000000001 in floating point; rounding it up asked for 8).
#[test]
fn itemset_at_exactly_min_support_is_kept() {
    let mut baskets: Vec<Vec<usize>> = (0..7).map(|_| vec![0, 1]).collect();
    baskets.extend((0..93).map(|_| vec![2]));
    let ds = dataset(&baskets);
    let opts = AssociationRuleOptions {
        transaction: "t".into(),
        item: "i".into(),
        min_support: Some(0.07),
        ..Default::default()
    };
    let got = association_rules(&ds, &opts).unwrap();
    assert_eq!(got.rules.len(), 2, "{:?}", got.rules);
    assert_eq!(got.rules[0].count, 7);
}

/// Finding 06: one basket of 15 distinct items with default options enumerated 3^15 rules
/// (80 s, > 3 GiB, then a wasm trap). Now a `TOO_LARGE` error naming `maxLen`, at once; with
/// maxLen 3 the same basket gives its 1,365 rules.
#[test]
fn one_wide_basket_is_too_large_not_a_blow_up() {
    for width in [15usize, 22, 40, 70] {
        let ds = dataset(&[(0..width).collect()]);
        let opts = AssociationRuleOptions { transaction: "t".into(), item: "i".into(), ..Default::default() };
        let t = std::time::Instant::now();
        let e = association_rules(&ds, &opts).unwrap_err();
        assert_eq!(e.code(), "TOO_LARGE", "{width}: {e}");
        let field = e.location().field.unwrap();
        assert!(["maxLen", "minSupport", "minConfidence"].contains(&field.as_str()), "{width}: {e}");
        assert!(t.elapsed().as_secs() < 20, "{width}: {:?}", t.elapsed());
    }
    let ds = dataset(&[(0..15).collect()]);
    let opts =
        AssociationRuleOptions { transaction: "t".into(), item: "i".into(), max_len: Some(3), ..Default::default() };
    let got = association_rules(&ds, &opts).unwrap();
    // 2-sets: 105 × 2 rules; 3-sets: 455 × 6 rules.
    assert_eq!(got.rules.len(), 105 * 2 + 455 * 6);
}

fn first_lines(path: &str, bytes: usize) -> Vec<u8> {
    let b = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e} (../shared/data must sit beside the repo)"));
    let cut = &b[..bytes.min(b.len())];
    let end = cut.iter().rposition(|&c| c == b'\n').map_or(0, |p| p + 1);
    cut[..end].to_vec()
}

/// Finding 13: the first 4 KB of the Telco churn file, transaction = InternetService, item =
/// TotalCharges, defaults: 3 transactions, 18,445 itemsets, 4.9 M rules, 78 s and 5.6 GB in
/// the package. Now `TOO_LARGE` quickly; with maxLen 2 a bounded answer.
#[test]
fn telco_4kb_slice_is_too_large_not_a_blow_up() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv"
    );
    let ds = read_csv_bytes(&first_lines(path, 4096), Default::default()).unwrap();
    let opts = AssociationRuleOptions {
        transaction: "InternetService".into(),
        item: "TotalCharges".into(),
        ..Default::default()
    };
    let t = std::time::Instant::now();
    let e = association_rules(&ds, &opts).unwrap_err();
    assert_eq!(e.code(), "TOO_LARGE", "{e}");
    assert!(t.elapsed().as_secs() < 30, "{:?}", t.elapsed());
    let got = association_rules(&ds, &AssociationRuleOptions { max_len: Some(2), ..opts }).unwrap();
    assert_eq!(got.transactions, 3);
    assert!(!got.rules.is_empty() && got.rules.len() <= 200_000);
}

/// Finding 06b: the fuzz-found bank slice (transaction = previous, item = day, minSupport
/// 0.001) trapped after ~100 s; now an answer or `TOO_LARGE`, promptly.
#[test]
fn bank_slice_basket_is_bounded() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fuzz-findings/06b_bank_slice_basket_trap.csv");
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let ds = read_csv_bytes(&bytes, Default::default()).unwrap();
    let opts = AssociationRuleOptions {
        transaction: "previous".into(),
        item: "day".into(),
        min_support: Some(0.001),
        ..Default::default()
    };
    let t = std::time::Instant::now();
    match association_rules(&ds, &opts) {
        Ok(r) => assert!(r.rules.len() <= 200_000),
        Err(e) => assert_eq!(e.code(), "TOO_LARGE", "{e}"),
    }
    assert!(t.elapsed().as_secs() < 30, "{:?}", t.elapsed());
}

/// Found by the fuzz harness: two baskets of ~100 distinct items each (transaction = a 0/1
/// label, item = a review text) at minSupport 0.01 mined toward the itemset cap for 14 s,
/// every conditional pattern base a long path. Mining now has a step budget: TOO_LARGE, fast.
#[test]
fn two_long_baskets_hit_the_mining_step_budget() {
    let baskets: Vec<Vec<usize>> = vec![(0..100).collect(), (50..150).collect()];
    let mut csv = String::from("t,i\n");
    for (t, b) in baskets.iter().enumerate() {
        for &i in b {
            csv.push_str(&format!("t{t},review number {i}\n"));
        }
    }
    let ds = read_csv_bytes(csv.as_bytes(), LoadOptions { header: Some(true), ..Default::default() }).unwrap();
    let opts = AssociationRuleOptions {
        transaction: "t".into(),
        item: "i".into(),
        min_support: Some(0.01),
        ..Default::default()
    };
    let t = std::time::Instant::now();
    let e = association_rules(&ds, &opts).unwrap_err();
    assert_eq!((e.code(), e.location().field.as_deref()), ("TOO_LARGE", Some("minSupport")), "{e}");
    assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
}
