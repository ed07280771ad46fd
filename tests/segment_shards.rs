//! The per-shard steps of sharded k-means (`crmlens::segment::shards`, driven in the browser by
//! js/pool-kmeans.js): a coordinator written here the way pool-kmeans.js is (merged
//! statistics, the same seeded greedy k-means++ draws asked of `shard_plan` as the pool asks
//! `kmeansShardStep` 16–18, per-centroid sums each Lloyd pass),
//! over the Mall Customers table and bank.csv cut into 2 and 3 shards, gives the labels,
//! sizes and iterations of `segment` on the whole table, and its inertia within 1e-9.

use crmlens::segment::shard_plan;
use crmlens::segment::shards::{stats, ShardKMeans};
use crmlens::segment::{segment, SegmentOptions};

const MALL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/mall_customers/Mall_Customers.csv");
const BANK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/bank_marketing/bank.csv");

fn opts(json: &str) -> SegmentOptions {
    crmlens::options::options_from_json(json).unwrap()
}

/// The file's records cut into `n` tables (each with the header).
fn shards(path: &str, n: usize) -> Vec<crmlens::Dataset> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let per = rows.len().div_ceil(n);
    rows.chunks(per)
        .map(|c| {
            let csv = format!("{header}\n{}\n", c.join("\n"));
            crmlens::io::read_csv_str(&csv, Default::default()).unwrap()
        })
        .collect()
}

fn sq(a: &[f64], b: &[f64]) -> f64 {
    crmlens::segment::kmeans::sq_dist(a, b)
}

fn add(parts: &[Vec<f64>]) -> Vec<f64> {
    let mut out = vec![0.0; parts[0].len()];
    for p in parts {
        for (o, v) in out.iter_mut().zip(p) {
            *o += v;
        }
    }
    out
}

/// pool-kmeans.js's coordinator, in Rust: (labels over every row, inertia, iterations, sizes).
fn sharded(parts: &[crmlens::Dataset], o: &SegmentOptions, k: usize) -> (Vec<i32>, f64, usize, Vec<usize>) {
    let p = o.check().unwrap();
    let s1: Vec<_> = parts.iter().map(|ds| stats(ds, &p, parts.len(), None).unwrap()).collect();
    let d = s1[0].columns.len();
    let n: usize = s1.iter().map(|s| s.kept).sum();
    let present = add(&s1.iter().map(|s| s.present.clone()).collect::<Vec<_>>());
    let sums = add(&s1.iter().map(|s| s.sums.clone()).collect::<Vec<_>>());
    let fills: Vec<f64> = (0..d).map(|j| sums[j] / present[j]).collect();
    let means: Vec<f64> = (0..d).map(|j| (sums[j] + (n as f64 - present[j]) * fills[j]) / n as f64).collect();
    let s2: Vec<_> = parts.iter().map(|ds| stats(ds, &p, parts.len(), Some((&means, &fills))).unwrap()).collect();
    let squares = add(&s2.iter().map(|s| s.squares.clone()).collect::<Vec<_>>());
    let scales: Vec<f64> =
        squares.iter().map(|s| (s / n as f64).sqrt()).map(|s| if s > 0.0 { s } else { 1.0 }).collect();
    let mut plan = fills.clone();
    plan.extend(&means);
    plan.extend(&scales);
    plan.extend(vec![1.0; d]);
    let mut sh: Vec<ShardKMeans> =
        parts.iter().map(|ds| ShardKMeans::new(ds, &p, parts.len(), &plan).unwrap()).collect();
    let col_mean: Vec<f64> =
        add(&sh.iter().map(|s| s.column_sums(None)).collect::<Vec<_>>()).iter().map(|v| v / n as f64).collect();
    let col_var = add(&sh.iter().map(|s| s.column_sums(Some(&col_mean))).collect::<Vec<_>>());
    let tol_abs = 1e-4 * (col_var.iter().map(|v| v / n as f64).sum::<f64>() / d as f64);
    let mut rng = shard_plan::start(p.seed, k);
    let row_at = |sh: &[ShardKMeans], mut g: usize| {
        for s in sh {
            if g < s.n {
                return s.fetch(g).unwrap();
            }
            g -= s.n;
        }
        unreachable!()
    };
    let mut best: Option<(f64, usize)> = None;
    for _ in 0..p.n_init.unwrap_or(10) {
        let (next, mut r) = shard_plan::fork(rng);
        rng = next;
        // Greedy k-means++.
        let (after, g) = shard_plan::draws(r, n, 0.0, 1);
        r = after;
        let first = row_at(&sh, g[0] as usize);
        let mut centers = first.clone();
        let mut accs: Vec<f64> = sh.iter_mut().map(|s| s.start(&first)).collect();
        let trials = 2 + (k as f64).ln() as usize;
        for _ in 1..k {
            let acc: f64 = accs.iter().sum();
            let (after, picks) = shard_plan::draws(r, n, acc, trials);
            r = after;
            let draws: Vec<(Option<f64>, usize)> =
                picks.iter().map(|&v| if acc > 0.0 { (Some(v), 0) } else { (None, v as usize) }).collect();
            let rows: Vec<Vec<f64>> = draws
                .iter()
                .map(|&(x, g)| match x {
                    None => row_at(&sh, g),
                    Some(x) => {
                        let mut prefix = 0.0;
                        for (s, a) in accs.iter().enumerate() {
                            if x < prefix + a || s == accs.len() - 1 {
                                return sh[s].pick(&[x - prefix]).unwrap();
                            }
                            prefix += a;
                        }
                        unreachable!()
                    }
                })
                .collect();
            let cand: Vec<f64> = rows.concat();
            let pots = add(&sh.iter().map(|s| s.potentials(&cand).unwrap()).collect::<Vec<_>>());
            let mut b = 0;
            for t in 1..trials {
                if pots[t] < pots[b] {
                    b = t;
                }
            }
            centers.extend(&rows[b]);
            accs = sh.iter_mut().map(|s| s.add_center(&rows[b])).collect();
        }
        // Lloyd over merged sums (no empty clusters on these tables).
        let mut merged =
            add(&sh.iter_mut().map(|s| s.label_nearest(&centers).unwrap()[2..].to_vec()).collect::<Vec<_>>());
        let (mut it, mut strict, mut inertia) = (0, false, 0.0);
        while it < p.max_iter.unwrap_or(300) {
            it += 1;
            let old = centers.clone();
            for j in 0..k {
                let c = merged[k * d + j];
                assert!(c > 0.0, "an empty cluster (not in this test)");
                for t in 0..d {
                    centers[j * d + t] = merged[j * d + t] / c;
                }
            }
            let shift: f64 = (0..k).map(|j| sq(&centers[j * d..(j + 1) * d], &old[j * d..(j + 1) * d])).sum();
            if shift <= tol_abs {
                break;
            }
            let ans: Vec<Vec<f64>> = sh.iter_mut().map(|s| s.assign(&centers, false).unwrap()).collect();
            let changed: f64 = ans.iter().map(|a| a[0]).sum();
            inertia = ans.iter().map(|a| a[1]).sum();
            merged = add(&ans.iter().map(|a| a[2..].to_vec()).collect::<Vec<_>>());
            if changed == 0.0 {
                strict = true;
                break;
            }
        }
        if !strict {
            inertia = sh.iter_mut().map(|s| s.assign(&centers, false).unwrap()[1]).sum();
        }
        if best.is_none_or(|(b, _)| inertia < b) {
            best = Some((inertia, it));
            sh.iter_mut().for_each(|s| s.keep_best());
        }
    }
    let raw = add(&sh.iter().map(|s| s.raw_sums(k)).collect::<Vec<_>>());
    let sizes: Vec<usize> = (0..k).map(|j| raw[k * d + j] as usize).collect();
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| sizes[b].cmp(&sizes[a]).then(a.cmp(&b)));
    let mut new_of = vec![0i32; k];
    for (i, &old) in order.iter().enumerate() {
        new_of[old] = i as i32;
    }
    let labels: Vec<i32> =
        sh.iter().flat_map(|s| s.labels()).map(|l| if l < 0 { -1 } else { new_of[l as usize] }).collect();
    let (inertia, it) = best.unwrap();
    (labels, inertia, it, order.iter().map(|&o| sizes[o]).collect())
}

fn check(path: &str, json: &str, k: usize) {
    let text = std::fs::read_to_string(path).unwrap();
    let whole = crmlens::io::read_csv_str(&text, Default::default()).unwrap();
    let o = opts(json);
    let want = segment(&whole, &o).unwrap();
    for n in [2, 3] {
        let parts = shards(path, n);
        assert_eq!(parts.len(), n);
        let (labels, inertia, iterations, sizes) = sharded(&parts, &o, k);
        assert_eq!(labels, want.labels, "{path} n={n}: labels");
        assert_eq!(sizes, want.report.segments.iter().map(|s| s.size).collect::<Vec<_>>(), "{path} n={n}: sizes");
        assert_eq!(iterations, want.report.iterations, "{path} n={n}: iterations");
        let rel = (inertia - want.report.inertia).abs() / want.report.inertia;
        assert!(rel <= 1e-9, "{path} n={n}: inertia {inertia} vs {}", want.report.inertia);
    }
}

#[test]
fn mall_in_shards_segments_as_the_whole_table() {
    check(MALL, r#"{"columns": ["age", "annual_income_thousands", "spending_score"], "k": 5, "seed": 3}"#, 5);
}

#[test]
fn bank_in_shards_segments_as_the_whole_table() {
    check(BANK, r#"{"columns": ["age", "balance", "duration", "campaign"], "k": 4, "seed": 7}"#, 4);
}
