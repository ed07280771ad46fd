//! The English scorer against vaderSentiment 3.3.2 on the human-rated ground-truth texts of
//! Hutto & Gilbert (ICWSM 2014): compound within 1e-3 of the reference on ≥ 99.5% of texts,
//! and the same correlation with the human means as vaderSentiment gets (MANIFEST: 0.872
//! tweets, 0.427 movie snippets). Reference: tests/fixtures/sentiment/vader_*_3.3.2.tsv,
//! written by scripts/reference/vader_reference.py.

use crmlens::sentiment::english::{explain, polarity_scores};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/vader_hutto_icwsm2014/hutto_ICWSM_2014/");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sentiment/");

/// (id, human mean, text), read exactly as the reference script reads them.
fn ground_truth(file: &str) -> Vec<(String, f64, String)> {
    let bytes = std::fs::read(format!("{DATA}{file}")).expect("ground truth file");
    let text = String::from_utf8(bytes).expect("utf-8");
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut p = l.splitn(3, '\t');
            let id = p.next().unwrap().to_string();
            let mean = p.next().unwrap().parse().unwrap();
            (id, mean, p.next().unwrap().to_string())
        })
        .collect()
}

/// id → [compound, neg, neu, pos] from vaderSentiment.
fn reference(name: &str) -> Vec<(String, [f64; 4])> {
    let text = std::fs::read_to_string(format!("{FIXTURES}vader_{name}_3.3.2.tsv")).expect("fixture");
    text.lines()
        .map(|l| {
            let p: Vec<&str> = l.split('\t').collect();
            (
                p[0].to_string(),
                [p[1].parse().unwrap(), p[2].parse().unwrap(), p[3].parse().unwrap(), p[4].parse().unwrap()],
            )
        })
        .collect()
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    sxy / (sxx * syy).sqrt()
}

fn check(file: &str, name: &str, want_r: f64) {
    let gt = ground_truth(file);
    let reference = reference(name);
    assert_eq!(gt.len(), reference.len());
    let mut ours = Vec::with_capacity(gt.len());
    let mut agree = 0;
    let mut exact = 0;
    let mut props_agree = 0;
    let mut worst: Vec<(f64, String)> = Vec::new();
    for ((id, _, text), (rid, r)) in gt.iter().zip(&reference) {
        assert_eq!(id, rid);
        let s = polarity_scores(text);
        ours.push(s.compound);
        // vaderSentiment rounds to 4 decimals; ours is unrounded.
        if (s.compound - r[0]).abs() <= 5.0001e-5 {
            exact += 1;
        }
        if (s.compound - r[0]).abs() <= 1e-3 {
            agree += 1;
        } else {
            worst.push(((s.compound - r[0]).abs(), format!("{id}: ours {:.4} ref {} | {text}", s.compound, r[0])));
        }
        if (s.negative - r[1]).abs() <= 1e-3 && (s.neutral - r[2]).abs() <= 1e-3 && (s.positive - r[3]).abs() <= 1e-3 {
            props_agree += 1;
        }
    }
    worst.sort_by(|a, b| b.0.total_cmp(&a.0));
    let share = agree as f64 / gt.len() as f64;
    let means: Vec<f64> = gt.iter().map(|g| g.1).collect();
    let r = pearson(&ours, &means);
    eprintln!(
        "{name}: {agree}/{} compounds within 1e-3 ({:.4}), {exact} equal to 4 decimals, {props_agree} pos/neu/neg within 1e-3, r = {r:.4}",
        gt.len(),
        share
    );
    for w in worst.iter().take(10) {
        eprintln!("  {}", w.1);
    }
    assert!(share >= 0.995, "{name}: only {share:.4} agree");
    assert!(exact as f64 / gt.len() as f64 >= 0.995, "{name}: only {exact} equal to 4 decimals");
    assert!(props_agree as f64 / gt.len() as f64 >= 0.995, "{name}: proportions agree on {props_agree}");
    assert!((r - want_r).abs() < 0.0015, "{name}: r = {r}, vaderSentiment 3.3.2 gets {want_r}");
}

#[test]
fn tweets_agree_with_vader_sentiment() {
    check("tweets_GroundTruth.txt", "tweets", 0.872);
}

#[test]
fn movie_snippets_agree_with_vader_sentiment() {
    check("movieReviewSnippets_GroundTruth.txt", "movies", 0.427);
}

#[test]
fn explanation_sums_to_the_compound() {
    // The per-token valences are what the compound is built from (no "!"/"?" here).
    let (s, tokens) = explain("The food was not great, but the service was VERY good :)");
    let sum: f64 = tokens.iter().map(|t| t.valence).sum();
    assert!((crmlens::sentiment::english::normalize(sum) - s.compound).abs() < 1e-12);
    let great = tokens.iter().find(|t| t.token == "great").unwrap();
    assert!(great.valence < 0.0, "negated and before 'but': {great:?}");
    let good = tokens.iter().find(|t| t.token == "good").unwrap();
    assert!(good.valence > 1.9 * 1.5, "boosted, caps, after 'but': {good:?}");
}
