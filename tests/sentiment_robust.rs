//! Garbage in, no panic out: random strings (ASCII punctuation, emoji, Han, controls, combining
//! marks, very long words) through every sentiment entry point, with the Chinese data
//! installed; every score stays finite and in range.

use crmlens::sentiment::trainable::{ModelKind, SentimentModel, TrainOptions};
use crmlens::sentiment::{chinese, english, sentiment, Language, SentimentOptions};

const ZH: &str = include_str!("../src/sentiment/data/zh_sentiment.tsv");

/// xorshift32, seeded: the same strings on every run.
struct Rng(u32);
impl Rng {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }
}

const PIECES: &[&str] = &[
    " ",
    "  ",
    "\t",
    "\n",
    "!",
    "?",
    "！",
    "？",
    "，",
    "。",
    "'",
    "n't",
    "but",
    "BUT",
    "not",
    "no",
    "never",
    "so",
    "this",
    "least",
    "at",
    "very",
    "kind",
    "of",
    "sort",
    "the",
    "shit",
    "kiss",
    "death",
    "good",
    "GOOD",
    "bad",
    ":)",
    ":-(",
    "😀",
    "😡",
    "💘",
    "©",
    "不",
    "没有",
    "很",
    "非常",
    "但是",
    "好",
    "差",
    "满意",
    "太",
    "\u{1f}",
    "\u{0}",
    "\u{301}",
    "ǅ",
    "ΣΑΣ",
    "İ",
    "ß",
    "\u{200b}",
    "\u{3000}",
    "a",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "1234",
    "-",
    "*",
    "%",
];

fn text(rng: &mut Rng) -> String {
    let n = rng.next() % 40;
    (0..n).map(|_| PIECES[(rng.next() as usize) % PIECES.len()]).collect()
}

fn check(s: english::Scores, what: &str) {
    assert!((-1.0..=1.0).contains(&s.compound), "{what}: {s:?}");
    for p in [s.positive, s.neutral, s.negative] {
        assert!(p.is_finite() && (0.0..=1.0 + 1e-9).contains(&p), "{what}: {s:?}");
    }
}

#[test]
fn random_texts_never_panic() {
    chinese::install(ZH).unwrap();
    let zh = chinese::loaded().unwrap();
    let mut rng = Rng(0x9e37_79b9);
    let texts: Vec<String> = (0..3000).map(|_| text(&mut rng)).collect();
    for t in &texts {
        check(english::polarity_scores(t), t);
        check(zh.polarity_scores(t), t);
        let (s, toks) = english::explain(t);
        assert_eq!(s, english::polarity_scores(t));
        assert!(toks.iter().all(|x| x.valence.is_finite()));
    }
    let refs: Vec<Option<&str>> = texts.iter().map(|t| Some(t.as_str())).collect();
    for language in [Language::Auto, Language::En, Language::Zh] {
        let o = SentimentOptions {
            language: Some(language),
            explain: Some(true),
            aspects: Some(true),
            ..Default::default()
        };
        let r = sentiment(&refs, None, &o).unwrap();
        assert_eq!(r.compound.len(), texts.len());
        assert!(r.compound.iter().all(|c| (-1.0..=1.0).contains(c)));
    }
    let labels: Vec<&str> = (0..texts.len()).map(|i| if i % 3 == 0 { "a" } else { "b" }).collect();
    let x: Vec<&str> = texts.iter().map(|t| t.as_str()).collect();
    for kind in [ModelKind::NaiveBayes, ModelKind::Logistic] {
        let m = SentimentModel::train(
            &x,
            &labels,
            &TrainOptions { model: Some(kind), epochs: Some(2), ..Default::default() },
        )
        .unwrap();
        assert!(m.predict(&x).probability.iter().all(|p| p.is_finite()));
    }
    // A 1 MB text of one word and one of only punctuation.
    let long = "good".repeat(250_000);
    check(english::polarity_scores(&long), "long");
    check(zh.polarity_scores(&"好".repeat(100_000)), "long zh");
    check(english::polarity_scores(&"!?".repeat(100_000)), "punctuation");
    // Empty training texts: an empty vocabulary still trains and predicts.
    let m = SentimentModel::train(&["", ""], &["a", "b"], &TrainOptions::default()).unwrap();
    assert_eq!(m.predict(&["x"]).label.len(), 1);
}
