//! ALS in wasm (simd128 kernels) gives the very factors the native build recorded in
//! tests/fixtures/recommend/als_determinism.json (see tests/recommend_determinism.rs), and
//! the kernels add in the documented order.

use crmlens::io::read_csv_bytes;
use crmlens::recommend::kernels::{axpy, axpy_4, dot, dot_4, sym_mat_vec};
use crmlens::recommend::model::Model;
use crmlens::recommend::{Method, Recommender, RecommenderOptions};
use wasm_bindgen_test::*;

const DIGESTS: &str = include_str!("../../../../tests/fixtures/recommend/als_determinism.json");
const RETAIL: &[u8] = include_bytes!("../../../../../shared/data/online_retail_uci_first5000/online_retail_small.csv");

fn digest(r: &Recommender) -> String {
    let Model::Als { factors, .. } = &r.model else { panic!("not an ALS model") };
    let mut h: u64 = 0xcbf29ce484222325;
    for v in factors.users.iter().chain(&factors.items) {
        for b in v.to_bits().to_le_bytes() {
            h = (h ^ b as u64).wrapping_mul(0x100000001b3);
        }
    }
    format!("{h:016x}")
}

#[wasm_bindgen_test]
fn als_factors_equal_the_native_ones_bit_for_bit() {
    let recorded: serde_json::Value = serde_json::from_str(DIGESTS).unwrap();
    let ds = read_csv_bytes(RETAIL, Default::default()).unwrap();
    for (factors, alpha, cg_steps) in [(13usize, 10.0, 3usize), (21, 2.5, 4)] {
        let opts = RecommenderOptions {
            user: "CustomerID".into(),
            item: "StockCode".into(),
            weight: Some("Quantity".into()),
            method: Some(Method::Als),
            factors: Some(factors),
            iterations: Some(4),
            alpha: Some(alpha),
            cg_steps: Some(cg_steps),
            seed: Some(11),
            ..Default::default()
        };
        let r = Recommender::fit_dataset(&ds, &opts).unwrap();
        assert_eq!(digest(&r), recorded[format!("factors{factors}")].as_str().unwrap(), "factors {factors}");
    }
}

/// The simd128 kernels against scalar sums written out in the documented order.
#[wasm_bindgen_test]
fn simd_kernels_add_in_the_documented_order() {
    let mut seed = 7u32;
    let mut next = || {
        seed = seed.wrapping_mul(1664525).wrapping_add(1013904223);
        (seed >> 8) as f32 / (1u32 << 24) as f32 - 0.5
    };
    for n in [3usize, 8, 13, 21, 64] {
        let a: Vec<f32> = (0..n).map(|_| next()).collect();
        let ys: Vec<Vec<f32>> = (0..4).map(|_| (0..n).map(|_| next()).collect()).collect();
        let m = n - n % 8;
        let want_dot = |x: &[f32], y: &[f32]| {
            let mut s = [0f32; 8];
            for k in 0..m {
                s[k % 8] += x[k] * y[k];
            }
            let mut tail = 0f32;
            for k in m..n {
                tail += x[k] * y[k];
            }
            (((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]))) + tail
        };
        let yr = [&ys[0][..], &ys[1][..], &ys[2][..], &ys[3][..]];
        assert_eq!(dot(&a, yr[0]).to_bits(), want_dot(&a, yr[0]).to_bits(), "dot n={n}");
        let d4 = dot_4(yr, &a);
        for k in 0..4 {
            assert_eq!(d4[k].to_bits(), want_dot(yr[k], &a).to_bits(), "dot_4 n={n}");
        }
        let s = [0.3f32, -1.7, 2.2, 0.01];
        let (mut one, mut four) = (a.clone(), a.clone());
        for k in 0..4 {
            axpy(s[k], yr[k], &mut one);
        }
        axpy_4(s, yr, &mut four);
        let mut want = a.clone();
        for (j, w) in want.iter_mut().enumerate() {
            for k in 0..4 {
                *w += s[k] * yr[k][j];
            }
        }
        assert_eq!(one, want, "axpy n={n}");
        assert_eq!(four, want, "axpy_4 n={n}");
        let mut mat = vec![0f32; n * n];
        for r in 0..n {
            for c in r..n {
                let v = next();
                mat[r * n + c] = v;
                mat[c * n + r] = v;
            }
        }
        let mut out = vec![1f32; n];
        sym_mat_vec(&mat, &a, -1.0, &mut out);
        for j in 0..n {
            let mut w = 0f32;
            for k in 0..n {
                w += (-a[k]) * mat[k * n + j];
            }
            assert_eq!(out[j].to_bits(), w.to_bits(), "sym_mat_vec n={n} j={j}");
        }
    }
}
