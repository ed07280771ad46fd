//! Counting features over labelled reviews: how the shipped Chinese data is built
//! (`examples/sentiment_zh_data.rs`) and how the Chinese model is checked.

use rustc_hash::{FxHashMap, FxHashSet};

use super::model::Counts;
use super::rules::{features, pairs};
use super::segment::Segmenter;

/// Document frequency of every feature in positive and negative reviews (a feature counts
/// once per review).
pub fn count_features<'a>(
    seg: &Segmenter,
    pos: impl IntoIterator<Item = &'a str>,
    neg: impl IntoIterator<Item = &'a str>,
) -> (FxHashMap<String, Counts>, Counts) {
    let mut counts: FxHashMap<String, Counts> = FxHashMap::default();
    let mut docs = Counts::default();
    for (is_pos, texts) in [(true, pos.into_iter().collect::<Vec<_>>()), (false, neg.into_iter().collect())] {
        for text in texts {
            if is_pos {
                docs.pos += 1;
            } else {
                docs.neg += 1;
            }
            let toks = seg.segment(text);
            let words = features(&toks);
            let both = pairs(&toks, &words).into_iter().chain(words);
            let feats: FxHashSet<String> = both.flatten().collect();
            for f in feats {
                let c = counts.entry(f).or_default();
                if is_pos {
                    c.pos += 1;
                } else {
                    c.neg += 1;
                }
            }
        }
    }
    (counts, docs)
}
