//! Sharded k-means (feature `pool`; js/pool-kmeans.js drives it): a shard's statistics of
//! the segmented columns, and its k-means state (`crmlens::segment::shards::ShardKMeans`)
//! kept in this worker under a number, stepped by `kmeansShardStep`.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use super::convert;
use super::dataset::JsDataset;
use super::error::{IntoJs, JsResult};
use crmlens::error::CrmError;
use crmlens::segment::metrics;
use crmlens::segment::shard_plan;
use crmlens::segment::shards::{self, ShardKMeans};
use crmlens::segment::warnings::min_auto_size;
use crmlens::segment::SegmentOptions;

thread_local! {
    static RUNS: RefCell<Vec<Option<ShardKMeans>>> = const { RefCell::new(Vec::new()) };
}

#[wasm_bindgen(js_class = Dataset)]
impl JsDataset {
    /// The segmented numeric columns of this shard: `{ columns, present, sums, squares,
    /// maxAbs, kept, rows }` (`squares` with `means` and `fills`: summed squared deviations).
    #[wasm_bindgen(js_name = segmentShardStats)]
    pub fn segment_shard_stats(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SegmentOptions | undefined")] options: JsValue,
        shards: u32,
        means: Option<Vec<f64>>,
        fills: Option<Vec<f64>>,
    ) -> JsResult<JsValue> {
        let opts: SegmentOptions = convert::options(&options).js()?;
        let p = opts.check().js()?;
        let mf = means.as_deref().zip(fills.as_deref());
        convert::to_plain(&shards::stats(&self.inner, &p, shards as usize, mf).js()?).js()
    }

    /// This shard's rows scaled by `plan` (fills, centers, scales, √weights) for k-means,
    /// kept in this worker: returns its number and used rows.
    #[wasm_bindgen(js_name = kmeansShardOpen)]
    pub fn kmeans_shard_open(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SegmentOptions | undefined")] options: JsValue,
        shards: u32,
        plan: Vec<f64>,
    ) -> JsResult<Vec<f64>> {
        let opts: SegmentOptions = convert::options(&options).js()?;
        let p = opts.check().js()?;
        let run = ShardKMeans::new(&self.inner, &p, shards as usize, &plan).js()?;
        let n = run.n as f64;
        let id = RUNS.with(|r| {
            let mut r = r.borrow_mut();
            let id = r.iter().position(Option::is_none).unwrap_or(r.len());
            if id == r.len() {
                r.push(None);
            }
            r[id] = Some(run);
            id
        });
        Ok(vec![id as f64, n])
    }
}

/// One step of a shard's k-means (see `ShardKMeans`): 0 column sums (`arg`: none, or the
/// means), 1 fetch row `arg[0]`, 2 start at centre `arg`, 3 pick rows for draws `arg`,
/// 4 potentials of candidates `arg`, 5 add centre `arg`, 6 nearest labels for centres `arg`,
/// 7 reassign to centres `arg` (`[changed, inertia, sums, counts]`; also a run's final
/// assignment), 8 farthest row (`arg`: k, centres, counts), 9 move row `arg[0]` into cluster
/// `arg[1]`, 10 fetch rows `arg` (one after another), 11 keep as best, 12 best
/// labels, 13 unscaled sums of the best run (`arg[0]` = k), 14 close, 15 sums and counts of
/// the current labels (`arg[0]` = k); 16–18 the run's seeded draws (no `id` needed: `plan`);
/// 19–20 the silhouette of `k: "auto"` (no `id` needed: `silhouette_step`).
#[wasm_bindgen(js_name = kmeansShardStep)]
pub fn kmeans_shard_step(id: u32, cmd: u8, arg: Vec<f64>) -> JsResult<JsValue> {
    let out = RUNS.with(|r| -> crmlens::error::Result<JsValue> {
        let mut r = r.borrow_mut();
        if cmd >= 19 {
            return Ok(js_sys::Float64Array::from(silhouette_step(cmd, &arg)?.as_slice()).into());
        }
        if cmd >= 16 {
            return Ok(js_sys::Float64Array::from(plan(cmd, &arg).as_slice()).into());
        }
        if cmd == 14 {
            if let Some(s) = r.get_mut(id as usize) {
                *s = None;
            }
            return Ok(JsValue::TRUE);
        }
        let s = r
            .get_mut(id as usize)
            .and_then(Option::as_mut)
            .ok_or_else(|| CrmError::state(format!("no k-means shard {id} in this worker (closed?)")))?;
        let at = |i: usize| arg.get(i).copied().unwrap_or(0.0);
        let v: Vec<f64> = match cmd {
            0 => s.column_sums((!arg.is_empty()).then_some(&arg[..])),
            1 => s.fetch(at(0) as usize)?,
            2 => vec![s.start(&arg)],
            3 => s.pick(&arg)?,
            4 => s.potentials(&arg)?,
            5 => vec![s.add_center(&arg)],
            6 => s.label_nearest(&arg)?,
            7 => s.assign(&arg, false)?,
            8 => {
                let k = at(0) as usize;
                let split = (1 + k * s.d).min(arg.len());
                s.farthest(&arg[1..split], &arg[split..])?
            }
            9 => {
                s.take(at(0) as usize, at(1) as u32)?;
                Vec::new()
            }
            10 => {
                let mut rows = Vec::with_capacity(arg.len().saturating_mul(s.d));
                for &i in &arg {
                    rows.extend(s.fetch(i as usize)?);
                }
                rows
            }
            11 => {
                s.keep_best();
                Vec::new()
            }
            12 => return Ok(js_sys::Int32Array::from(s.labels().as_slice()).into()),
            13 => s.raw_sums((at(0) as usize).max(1)),
            15 => s.sums((at(0) as usize).max(1)),
            _ => return Err(CrmError::state("unknown k-means shard step")),
        };
        Ok(js_sys::Float64Array::from(v.as_slice()).into())
    });
    out.js()
}

/// The seeded draws of `CrmlensPool.segment`'s k-means (steps 16–18 of `kmeansShardStep`, no
/// run needed), from the crate's one generator (`crmlens::segment::shard_plan`): the
/// coordinator keeps the stream's state as two 32-bit halves `[hi, lo]` and passes it back
/// first in `arg`. 16 start (`arg`: seed, k) → `[hi, lo]`; 17 fork (`arg`: hi, lo) → `[hi, lo,
/// restart hi, restart lo]`; 18 draws (`arg`: hi, lo, n, acc, count) → `[hi, lo, draws…]`
/// (each `next_f64() · acc` when acc > 0, else a row `below(n)`).
fn plan(cmd: u8, arg: &[f64]) -> Vec<f64> {
    // `as` saturates (NaN: 0): no input can trap here.
    let at = |i: usize| arg.get(i).map_or(0, |&v| v as u64);
    let mut r = Vec::with_capacity(4 + shard_plan::MAX_DRAWS);
    let mut s = (at(0) << 32) | (at(1) & 0xFFFF_FFFF);
    match cmd {
        16 => s = shard_plan::start(at(0), at(1) as usize),
        17 => {
            let (next, child) = shard_plan::fork(s);
            s = next;
            r.extend([0.0, 0.0, (child >> 32) as f64, (child & 0xFFFF_FFFF) as f64]);
        }
        _ => {
            let (next, draws) =
                shard_plan::draws(s, at(2) as usize, arg.get(3).copied().unwrap_or(0.0), at(4) as usize);
            s = next;
            r.extend([0.0, 0.0]);
            r.extend(draws);
        }
    }
    if r.is_empty() {
        r.extend([0.0, 0.0]);
    }
    r[0] = (s >> 32) as f64;
    r[1] = (s & 0xFFFF_FFFF) as f64;
    r
}

/// The silhouette of `CrmlensPool.segment`'s `k: "auto"` over shards, as `segment` computes it
/// (`crmlens::segment::metrics`): 19 the rows it is computed over (`arg`: n, d, seed) →
/// `[smallest group size of "auto" for n rows, rows…]` (ascending); 20 the silhouette of those
/// rows gathered from the shards (`arg`: d, k, seed, then their m labels, then their m × d
/// scaled values) → `[score]` (NaN: fewer than two clusters present).
fn silhouette_step(cmd: u8, arg: &[f64]) -> crmlens::error::Result<Vec<f64>> {
    // `as` saturates (NaN: 0): no input can trap here.
    let at = |i: usize| arg.get(i).map_or(0, |&v| v as usize);
    if cmd == 19 {
        let n = at(0);
        if n > 1 << 28 {
            return Err(CrmError::invalid_option("n", "too many rows for the silhouette's sample here"));
        }
        let rows = metrics::silhouette_rows(n, at(1), arg.get(2).map_or(0, |&v| v as u64));
        let mut out = Vec::with_capacity(rows.len() + 1);
        out.push(min_auto_size(n) as f64);
        out.extend(rows.into_iter().map(|i| i as f64));
        return Ok(out);
    }
    let (d, k) = (at(0), at(1));
    if d == 0 || d > 1 << 16 || k == 0 || k > 1 << 16 {
        return Err(CrmError::invalid_option("k", "1 to 65,536 segments of 1 to 65,536 columns"));
    }
    let rest = arg.get(3..).unwrap_or(&[]);
    let m = rest.len() / (d + 1);
    let (labels, x) = rest.split_at(m);
    let labels: Vec<u32> = labels.iter().map(|&l| l as u32).collect();
    if x.len() != m * d || labels.iter().any(|&l| l as usize >= k) {
        return Err(CrmError::invalid_option("labels", "one label below k per row of d values"));
    }
    // Every gathered row (at most 5,000 of up to 80 features: silhouette takes them all).
    Ok(vec![metrics::silhouette(x, m, d, &labels, k, at(2) as u64).0])
}
