//! Baselines: popularity (how many users touched an item) and recency (the same count with
//! each interaction's vote halving every quarter of the observed time span, so what is
//! bought now outranks what was bought long ago).

use super::interactions::Interactions;

/// Users per item.
pub fn popularity(data: &Interactions) -> Vec<f32> {
    let mut pop = vec![0f32; data.matrix.cols];
    data.matrix.indices.iter().for_each(|&i| pop[i as usize] += 1.0);
    pop
}

/// Time-decayed users per item; plain popularity when no interaction has a time.
pub fn recency(data: &Interactions) -> Vec<f32> {
    let known = data.time.iter().filter(|t| !t.is_nan());
    let (lo, hi) = known.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &t| (lo.min(t), hi.max(t)));
    if hi <= lo {
        return popularity(data);
    }
    let half_life = (hi - lo) / 4.0;
    let mut out = vec![0f32; data.matrix.cols];
    for (e, &i) in data.matrix.indices.iter().enumerate() {
        let t = data.time[e];
        // An interaction without a time counts as the oldest.
        let age = if t.is_nan() { hi - lo } else { hi - t };
        out[i as usize] += 0.5f64.powf(age / half_life) as f32;
    }
    out
}

/// Item indices from most to least popular (ties: first seen first).
pub fn ranking(scores: &[f32]) -> Vec<u32> {
    let mut v: Vec<(u32, f32)> = scores.iter().enumerate().map(|(i, &s)| (i as u32, s)).collect();
    let n = v.len();
    super::topk::top_k(&mut v, n);
    v.into_iter().map(|p| p.0).collect()
}

#[cfg(test)]
mod tests {
    use super::super::interactions::InteractionBuilder;
    use super::*;

    #[test]
    fn counts_users_and_decays_old_votes() {
        let mut b = InteractionBuilder::new();
        for (u, i, t) in
            [("a", "old", 0.0), ("b", "old", 0.0), ("c", "old", 0.0), ("a", "new", 100.0), ("b", "new", 100.0)]
        {
            b.push(Some(u), Some(i), 1.0, t);
        }
        b.push(Some("a"), Some("old"), 5.0, 1.0); // a repeat is the same user
        let d = b.finish().unwrap();
        assert_eq!(popularity(&d), vec![3.0, 2.0]);
        assert_eq!(ranking(&popularity(&d)), vec![0, 1]);
        let r = recency(&d);
        assert_eq!(r[1], 2.0);
        // b and c: 2^-4 each; a (latest at t = 1): 2^-(99/25).
        assert!((r[0] - (0.125 + 0.5f32.powf(99.0 / 25.0))).abs() < 1e-6, "{r:?}");
        assert_eq!(ranking(&r), vec![1, 0]);
    }
}
