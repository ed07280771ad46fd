//! The random draws of sharded k-means (`CrmlensPool.segment`). The coordinator
//! (js/pool-kmeans.js) asks the pool wasm for them (steps 16–18 of `kmeansShardStep`, src/wasm/shard_kmeans.rs),
//! so the pool draws from [`Rng`], the crate's one generator, the very numbers `segment` draws
//! on the whole table: the stream of one k (`rng_for(seed, k)`), one fork per restart, then
//! k-means++'s draws ([`super::kmeans::kmeans_plus_plus`]).
//!
//! The generator's state travels between calls as its 64 bits (the wasm op carries them as
//! two 32-bit halves); nothing is kept between calls.

use super::pipeline::rng_for;
use crate::rng::Rng;

/// At most this many draws per call (k-means++ draws `2 + ⌊ln k⌋` candidates per centre).
pub const MAX_DRAWS: usize = 64;

/// The state of `segment`'s stream for `k` (the same whichever other k are tried).
pub fn start(seed: u64, k: usize) -> u64 {
    rng_for(seed, k).state()
}

/// One restart's generator: `(the stream's state after the fork, the restart's state)`.
pub fn fork(state: u64) -> (u64, u64) {
    let mut r = Rng::new(state);
    let child = r.fork();
    (r.state(), child.state())
}

/// `count` draws of k-means++ over `n` rows, as `kmeans_plus_plus` draws them: each a point
/// `next_f64() * acc` on the cumulative squared distances when `acc > 0`, else a uniform row
/// `below(n)` (the first centre: `acc = 0`, `count = 1`). Returns the state after them. At
/// most [`MAX_DRAWS`]; `n = 0` (never asked) draws row 0.
pub fn draws(state: u64, n: usize, acc: f64, count: usize) -> (u64, Vec<f64>) {
    let mut r = Rng::new(state);
    let out = (0..count.min(MAX_DRAWS))
        .map(|_| if acc > 0.0 { r.next_f64() * acc } else { r.below(n.max(1)) as f64 })
        .collect();
    (r.state(), out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replays_the_stream_segment_draws() {
        let (seed, k, n) = (42, 5, 1000);
        // segment: rng_for(seed, k), a fork per restart, the first row, then the draws.
        let mut whole = rng_for(seed, k);
        let mut s = start(seed, k);
        for _ in 0..3 {
            let mut r = whole.fork();
            let (next, child) = fork(s);
            s = next;
            let (c, first) = draws(child, n, 0.0, 1);
            assert_eq!(first, vec![r.below(n) as f64]);
            let (c, picks) = draws(c, n, 12.5, 3);
            let want: Vec<f64> = (0..3).map(|_| r.next_f64() * 12.5).collect();
            assert_eq!(picks, want);
            assert_eq!(c, r.state());
        }
        assert_eq!(s, whole.state());
        assert_eq!(draws(s, 0, 0.0, 1).1, vec![0.0]);
        assert_eq!(draws(s, 10, 1.0, MAX_DRAWS + 1).1.len(), MAX_DRAWS);
    }
}
