//! `predict` with `explain` on real tables (Telco churn, Bank marketing): the fast path
//! (src/predict/explain.rs, leaf-cached TreeSHAP in src/predict/leafshap.rs) gives the same
//! top factors, values and contributions as the per-row reference (`Fitted::explain_row`, the
//! recursive TreeSHAP of src/predict/shap.rs, a full sort by size), and progress / abort work
//! during scoring. The data sit in ../shared/data (see its MANIFEST.md).

use crmlens::io::{read_csv_bytes, LoadOptions};
use crmlens::predict::features::{encode, owners};
use crmlens::predict::fitted::Fitted;
use crmlens::predict::{train_sync, Predictor, TrainOptions};
use crmlens::task::{run, Control, Ctl, Pause, Progress};
use crmlens::Dataset;
use std::cell::{Cell, RefCell};

fn load(rel: &str) -> Dataset {
    let path = format!("{}/../shared/data/{rel}", env!("CARGO_MANIFEST_DIR"));
    let bytes =
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e} (../shared/data must sit beside the repo)"));
    read_csv_bytes(&bytes, LoadOptions::default()).unwrap()
}

fn trained(ds: &Dataset, target: &str, positive: &str, model: &str) -> Predictor {
    let json = format!(
        r#"{{"target":"{target}","positive":"{positive}","model":"{model}","validation":{{"folds":2,"seed":0}}}}"#
    );
    train_sync(ds, &TrainOptions::from_json(&json).unwrap()).unwrap()
}

/// The first `n` rows (the reference path is slow: O(leaves × depth²) with an allocation per
/// node, per row).
fn head(ds: &Dataset, n: usize) -> Dataset {
    let some: Vec<Option<usize>> = (0..n.min(ds.num_rows())).map(Some).collect();
    Dataset::new(ds.columns().iter().map(|c| c.take(&some)).collect()).unwrap()
}

/// Compares `predict(ds, k)` with the reference path, row by row; returns the rows checked.
fn same_as_reference(p: &Predictor, ds: &Dataset, k: usize) -> usize {
    let out = p.predict(ds, k).unwrap();
    let x = encode(ds, &p.features.used, None).unwrap();
    let owner = owners(&p.features.used);
    let nf = p.features.used.len();
    let text = |name: &str, i: usize| out.column(name).unwrap().get(i).to_text().unwrap_or_default();
    let num = |name: &str, i: usize| match out.column(name).unwrap().get(i) {
        crmlens::table::Value::Float(v) => v,
        v => panic!("{name} row {i}: {v:?}"),
    };
    let mut close_ties = 0;
    // The reference is `Fitted` (src/predict/fitted.rs), the same type the fast path takes.
    let fitted: &Fitted = &p.fitted;
    for i in 0..ds.num_rows() {
        let (base, c) = fitted.explain_row(&x.row(i), &owner, nf).unwrap();
        assert!((num("baseValue", i) - base).abs() <= 1e-12 * base.abs().max(1.0), "row {i} base");
        let mut order: Vec<usize> = (0..nf).collect();
        order.sort_by(|&a, &b| c[b].abs().total_cmp(&c[a].abs()).then(a.cmp(&b)));
        for (r, &f) in order.iter().take(k).enumerate() {
            let name = &p.features.used[f].name;
            let got = num(&format!("factor{}Contribution", r + 1), i);
            assert!((got - c[f]).abs() <= 1e-9 * c[f].abs().max(1e-3), "row {i} factor {r}: {got} vs {}", c[f]);
            let fast = text(&format!("factor{}", r + 1), i);
            if &fast != name {
                // Only a tie within rounding may swap two factors.
                let g = p.features.used.iter().position(|u| u.name == fast).unwrap();
                assert!((c[g].abs() - c[f].abs()).abs() <= 1e-12, "row {i} factor {r}: {fast} vs {name}");
                close_ties += 1;
                continue;
            }
            let want = ds.column(name).unwrap().get(i).to_text().unwrap_or_default();
            assert_eq!(text(&format!("factor{}Value", r + 1), i), want, "row {i} factor {r} value");
        }
    }
    assert!(close_ties * 1000 <= ds.num_rows(), "{close_ties} near-ties swapped");
    ds.num_rows()
}

#[test]
fn telco_fast_explanations_equal_the_reference() {
    let ds = load("telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv");
    for model in ["logistic", "gbdt"] {
        let p = trained(&ds, "Churn", "Yes", model);
        assert_eq!(same_as_reference(&p, &head(&ds, 1500), 3), 1500, "{model}");
    }
}

#[test]
fn bank_fast_explanations_equal_the_reference() {
    let ds = load("bank_marketing/bank.csv");
    let ds = Dataset::new(ds.columns().iter().filter(|c| c.name != "duration").cloned().collect()).unwrap();
    for model in ["gbdt", "random-forest"] {
        let p = trained(&ds, "y", "yes", model);
        assert_eq!(same_as_reference(&p, &head(&ds, 800), 5), 800, "{model}");
    }
}

struct Host {
    seen: RefCell<Vec<(u64, u64)>>,
    abort_at: u64,
    now: Cell<f64>,
}

impl Control for Host {
    fn now_ms(&self) -> f64 {
        self.now.set(self.now.get() + 1.0);
        self.now.get()
    }
    fn aborted(&self) -> bool {
        self.seen.borrow().last().is_some_and(|&(done, _)| done >= self.abort_at)
    }
    fn progress(&self, p: &Progress) {
        if p.phase == "explain" {
            self.seen.borrow_mut().push((p.done, p.total));
        }
    }
    fn pause(&self) -> Option<Pause> {
        None
    }
}

#[test]
fn scoring_reports_progress_and_stops_on_abort() {
    let ds = load("telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv");
    let p = trained(&ds, "Churn", "Yes", "gbdt");
    let host = Host { seen: RefCell::new(vec![]), abort_at: u64::MAX, now: Cell::new(0.0) };
    let out = run(p.predict_async(&ds, 3, &mut Ctl::new(&host).with_slice(0.0))).unwrap();
    assert_eq!(out.to_bytes(), p.predict(&ds, 3).unwrap().to_bytes());
    let seen = host.seen.borrow().clone();
    assert!(seen.len() >= 3, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0) && seen.iter().all(|&(_, t)| t == 7043));
    assert_eq!(seen.last(), Some(&(7043, 7043)));
    let host = Host { seen: RefCell::new(vec![]), abort_at: 2048, now: Cell::new(0.0) };
    let e = run(p.predict_async(&ds, 3, &mut Ctl::new(&host).with_slice(0.0))).unwrap_err();
    assert_eq!(e.code(), "ABORTED");
    assert!(host.seen.borrow().iter().all(|&(d, _)| d < 7043));
    // (The same trained model, to save a fit:) the block path of `predict` gives the same
    // bits as row by row.
    blocks_equal_rows(&p, &ds);
}

/// `Explainer::add_block` (blocks of 256 rows, tree by tree: `predict`'s path) adds the same
/// bits as `Explainer::add` row by row, on every row of `ds`.
fn blocks_equal_rows(p: &Predictor, ds: &Dataset) {
    use crmlens::predict::leafshap::Explainer;
    let Fitted::Trees(e) = &p.fitted else { panic!("not trees") };
    let x = encode(ds, &p.features.used, None).unwrap();
    let (n, w) = (x.rows, x.cols);
    let rows: Vec<f64> = (0..n).flat_map(|r| (0..w).map(move |j| (r, j))).map(|(r, j)| x.get(r, j)).collect();
    let mut ex = Explainer::new(&e.trees);
    let mut by_row = vec![0.0; n * w];
    for (xr, pr) in rows.chunks_exact(w).zip(by_row.chunks_exact_mut(w)) {
        ex.add(xr, pr, e.scale);
    }
    let mut ex = Explainer::new(&e.trees);
    let mut by_block = vec![0.0; n * w];
    for (xs, ps) in rows.chunks(256 * w).zip(by_block.chunks_mut(256 * w)) {
        ex.add_block(xs, w, ps, e.scale);
    }
    assert!(by_row.iter().any(|v| *v != 0.0));
    let differ = by_row.iter().zip(&by_block).filter(|(a, b)| a.to_bits() != b.to_bits()).count();
    assert_eq!(differ, 0, "{differ} of {} contributions differ", n * w);
}

/// The memory bound of the leaf tables: a leaf with more than `CACHED_DEPTH` distinct
/// features on its path gets no table (its 2^d patterns would not fit); its contributions are
/// computed per row instead, and every value still equals the recursion (`shap::add`). A
/// chain of `CACHED_DEPTH + 4` splits, with two features split twice on the way down.
#[test]
fn deep_leaves_get_no_table_and_stay_exact() {
    use crmlens::predict::leafshap::{Explainer, CACHED_DEPTH};
    use crmlens::predict::tree::{Node, Tree};
    let depth = CACHED_DEPTH + 4;
    let feature = |k: usize| match k {
        3 => 1,
        6 => 0,
        _ => k as u32,
    };
    // Internal node k at 2k: left goes on to 2k + 2, right is the leaf 2k + 1; the last
    // internal node's left child is the leaf 2 * depth.
    let mut nodes = Vec::new();
    for k in 0..depth {
        let cover = 10.0 * (depth - k + 1) as f64;
        let split = |left, right| Node {
            feature: feature(k),
            threshold: 0.5 - 0.01 * k as f64,
            missing_left: k % 2 == 0,
            left,
            right,
            value: 0.0,
            cover,
        };
        nodes.push(split(2 * k as u32 + 2, 2 * k as u32 + 1));
        let leaf = |value: f64, cover: f64| Node {
            feature: 0,
            threshold: 0.0,
            missing_left: false,
            left: 0,
            right: 0,
            value,
            cover,
        };
        nodes.push(leaf(0.1 * k as f64 - 0.7, 10.0));
        if k + 1 == depth {
            nodes.push(leaf(1.3, 10.0));
        }
    }
    let tree = Tree { nodes };
    let width = depth;
    assert!(tree.valid(width));
    // Leaves with more distinct features than CACHED_DEPTH, counted from the chain itself.
    let distinct = |k: usize| (0..=k).map(feature).collect::<std::collections::BTreeSet<_>>().len();
    let deep =
        (0..depth).filter(|&k| distinct(k) > CACHED_DEPTH).count() + usize::from(distinct(depth - 1) > CACHED_DEPTH);
    assert!(deep >= 3, "{deep}");
    let trees = [tree];
    let mut ex = Explainer::new(&trees);
    let mut state = 7u64;
    let mut next = || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as f64 / (1u64 << 31) as f64
    };
    for row in 0..400 {
        let x: Vec<f64> = (0..width).map(|_| if next() < 0.1 { f64::NAN } else { next() * 0.8 + 0.1 }).collect();
        let mut fast = vec![0.0; width];
        ex.add(&x, &mut fast, 0.5);
        let mut want = vec![0.0; width];
        crmlens::predict::shap::add(&trees[0], &x, &mut want, 0.5);
        for (j, (a, b)) in fast.iter().zip(&want).enumerate() {
            assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "row {row} feature {j}: {a} vs {b}");
        }
    }
    assert_eq!(ex.leaves_without_table(), deep);
    // The shallow leaves' indexes: 2^d slots each, d = 1..=CACHED_DEPTH distinct features.
    let slots: usize = (0..depth).map(distinct).filter(|&d| d <= CACHED_DEPTH).map(|d| 1usize << d).sum();
    assert_eq!(ex.table_cells().0, slots);
}
