//! `SentimentModel`: a naive Bayes or logistic classifier trained on the user's own labelled
//! texts; predict, evaluate, and a JSON form to keep it without the data.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::features::text_features;
use super::metrics::{evaluate, Evaluation};
use super::options::{ModelKind, Params, TrainOptions};
use crate::error::{CrmError, Result};
use crate::sentiment::options::Language;

pub const FORMAT: &str = "crmlens-sentiment-model";
pub const VERSION: u32 = 1;

/// The JSON form of a model (`toJSON` / `fromJSON`). `params` are, for naive Bayes, the k log
/// priors then k × V log-likelihoods (class-major); for logistic, k × (V + 1) weights (class-
/// major, bias last).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ModelJson {
    pub format: String,
    pub version: u32,
    pub model: ModelKind,
    pub language: Language,
    pub classes: Vec<String>,
    pub vocabulary: Vec<String>,
    pub params: Vec<f64>,
}

#[derive(Debug, Clone)]
pub struct SentimentModel {
    model: ModelKind,
    language: Language,
    classes: Vec<String>,
    vocabulary: Vec<String>,
    index: FxHashMap<String, u32>,
    params: Vec<f64>,
}

/// Predictions: the label of each text, its probability, and all class probabilities
/// (`probabilities[i * classes.len() + c]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Predictions {
    pub label: Vec<String>,
    #[cfg_attr(feature = "ts", tsify(type = "Float64Array"))]
    pub probability: Vec<f64>,
    pub classes: Vec<String>,
    #[cfg_attr(feature = "ts", tsify(type = "Float64Array"))]
    pub probabilities: Vec<f64>,
}

fn softmax(scores: &mut [f64]) {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for s in scores.iter_mut() {
        *s = (*s - max).exp();
        sum += *s;
    }
    for s in scores.iter_mut() {
        *s /= sum;
    }
}

/// xorshift64*: the seeded example order of SGD.
fn shuffle(order: &mut [usize], seed: u64) {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for i in (1..order.len()).rev() {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        let r = s.wrapping_mul(0x2545_F491_4F6C_DD1D);
        order.swap(i, (r % (i as u64 + 1)) as usize);
    }
}

impl SentimentModel {
    /// Trains on `texts` with their `labels` (any strings; at least two distinct ones).
    pub fn train(texts: &[&str], labels: &[&str], options: &TrainOptions) -> Result<SentimentModel> {
        let p = options.check()?;
        if texts.len() != labels.len() {
            return Err(CrmError::invalid_option(
                "labels",
                format!("{} labels for {} texts", labels.len(), texts.len()),
            ));
        }
        let mut classes: Vec<String> = labels.iter().map(|l| l.to_string()).collect();
        crate::sort::ord(&mut classes);
        classes.dedup();
        if classes.len() < 2 {
            return Err(CrmError::invalid_option("labels", "need at least two different labels to train on"));
        }
        let y: Vec<usize> =
            labels.iter().map(|l| classes.binary_search_by(|c| c.as_str().cmp(l)).unwrap_or(0)).collect();
        let docs: Vec<Vec<String>> = texts.iter().map(|t| text_features(t, p.language)).collect();
        // Vocabulary: features in at least min_count texts, in sorted order (deterministic).
        let mut df: FxHashMap<&str, u32> = FxHashMap::default();
        for d in &docs {
            for f in d {
                *df.entry(f.as_str()).or_default() += 1;
            }
        }
        let mut vocabulary: Vec<String> =
            df.into_iter().filter(|&(_, c)| c >= p.min_count).map(|(f, _)| f.to_string()).collect();
        crate::sort::ord(&mut vocabulary);
        let index: FxHashMap<String, u32> = vocabulary.iter().enumerate().map(|(i, f)| (f.clone(), i as u32)).collect();
        let x: Vec<Vec<u32>> =
            docs.iter().map(|d| d.iter().filter_map(|f| index.get(f.as_str()).copied()).collect()).collect();
        let params = match p.model {
            ModelKind::NaiveBayes => naive_bayes(&x, &y, classes.len(), vocabulary.len(), p),
            ModelKind::Logistic => logistic(&x, &y, classes.len(), vocabulary.len(), p),
        };
        Ok(SentimentModel { model: p.model, language: p.language, classes, vocabulary, index, params })
    }

    pub fn classes(&self) -> &[String] {
        &self.classes
    }

    /// Class probabilities of one text.
    pub fn probabilities(&self, text: &str) -> Vec<f64> {
        let (k, v) = (self.classes.len(), self.vocabulary.len());
        let feats: Vec<usize> = text_features(text, self.language)
            .iter()
            .filter_map(|f| self.index.get(f.as_str()).map(|&i| i as usize))
            .collect();
        let mut s = vec![0.0; k];
        for (c, sc) in s.iter_mut().enumerate() {
            *sc = match self.model {
                ModelKind::NaiveBayes => {
                    self.params[c] + feats.iter().map(|&f| self.params[k + c * v + f]).sum::<f64>()
                }
                ModelKind::Logistic => {
                    let w = &self.params[c * (v + 1)..(c + 1) * (v + 1)];
                    w[v] + feats.iter().map(|&f| w[f]).sum::<f64>()
                }
            };
        }
        softmax(&mut s);
        s
    }

    pub fn predict(&self, texts: &[&str]) -> Predictions {
        let k = self.classes.len();
        let mut out = Predictions {
            label: Vec::with_capacity(texts.len()),
            probability: Vec::with_capacity(texts.len()),
            classes: self.classes.clone(),
            probabilities: Vec::with_capacity(texts.len() * k),
        };
        for t in texts {
            let p = self.probabilities(t);
            let best = (0..k).fold(0, |b, c| if p[c] > p[b] { c } else { b });
            out.label.push(self.classes[best].clone());
            out.probability.push(p[best]);
            out.probabilities.extend_from_slice(&p);
        }
        out
    }

    /// Accuracy, precision, recall, F1 and the confusion matrix on labelled texts. Labels the
    /// model has never seen are an error (they could never be predicted).
    pub fn evaluate(&self, texts: &[&str], labels: &[&str]) -> Result<Evaluation> {
        if texts.len() != labels.len() {
            return Err(CrmError::invalid_option(
                "labels",
                format!("{} labels for {} texts", labels.len(), texts.len()),
            ));
        }
        let truth = labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                self.classes.iter().position(|c| c == l).ok_or_else(|| {
                    CrmError::invalid_option(
                        "labels",
                        format!("labels[{i}] = {l:?} is not a class of this model ({:?})", self.classes),
                    )
                })
            })
            .collect::<Result<Vec<usize>>>()?;
        let pred = self.predict(texts);
        let pred: Vec<usize> =
            pred.label.iter().map(|l| self.classes.iter().position(|c| c == l).unwrap_or(0)).collect();
        Ok(evaluate(&self.classes, &truth, &pred))
    }

    pub fn to_json(&self) -> ModelJson {
        ModelJson {
            format: FORMAT.to_string(),
            version: VERSION,
            model: self.model,
            language: self.language,
            classes: self.classes.clone(),
            vocabulary: self.vocabulary.clone(),
            params: self.params.clone(),
        }
    }

    pub fn from_json(j: ModelJson) -> Result<SentimentModel> {
        let bad = |m: String| CrmError::invalid_option("json", m);
        if j.format != FORMAT || j.version != VERSION {
            return Err(bad(format!(
                "not a {FORMAT} version {VERSION} (format {:?}, version {})",
                j.format, j.version
            )));
        }
        let (k, v) = (j.classes.len(), j.vocabulary.len());
        let want = match j.model {
            ModelKind::NaiveBayes => k + k * v,
            ModelKind::Logistic => k * (v + 1),
        };
        if k < 2 || j.params.len() != want || j.params.iter().any(|x| !x.is_finite()) {
            return Err(bad(format!(
                "{} classes, {v} features: expected {want} finite params, got {}",
                k,
                j.params.len()
            )));
        }
        let index: FxHashMap<String, u32> =
            j.vocabulary.iter().enumerate().map(|(i, f)| (f.clone(), i as u32)).collect();
        if index.len() != v {
            return Err(bad("the vocabulary has duplicates".into()));
        }
        Ok(SentimentModel {
            model: j.model,
            language: j.language,
            classes: j.classes,
            vocabulary: j.vocabulary,
            index,
            params: j.params,
        })
    }
}

fn naive_bayes(x: &[Vec<u32>], y: &[usize], k: usize, v: usize, p: Params) -> Vec<f64> {
    let mut docs = vec![0.0f64; k];
    let mut counts = vec![0.0f64; k * v];
    for (d, &c) in x.iter().zip(y) {
        docs[c] += 1.0;
        for &f in d {
            counts[c * v + f as usize] += 1.0;
        }
    }
    let n = x.len() as f64;
    let mut params: Vec<f64> = docs.iter().map(|d| (d / n).ln()).collect();
    for c in 0..k {
        let total: f64 = counts[c * v..(c + 1) * v].iter().sum();
        let denom = (total + p.alpha * v as f64).ln();
        params.extend(counts[c * v..(c + 1) * v].iter().map(|&x| (x + p.alpha).ln() - denom));
    }
    params
}

fn logistic(x: &[Vec<u32>], y: &[usize], k: usize, v: usize, p: Params) -> Vec<f64> {
    let stride = v + 1;
    let mut w = vec![0.0f64; k * stride];
    let mut order: Vec<usize> = (0..x.len()).collect();
    let mut probs = vec![0.0; k];
    let mut t = 0usize;
    for epoch in 0..p.epochs {
        shuffle(&mut order, p.seed.wrapping_add(epoch as u64));
        for &i in &order {
            t += 1;
            let lr = 0.5 / (1.0 + 0.01 * t as f64 / x.len().max(1) as f64 * 10.0);
            for (c, pr) in probs.iter_mut().enumerate() {
                let wc = &w[c * stride..(c + 1) * stride];
                *pr = wc[v] + x[i].iter().map(|&f| wc[f as usize]).sum::<f64>();
            }
            softmax(&mut probs);
            for (c, &pr) in probs.iter().enumerate() {
                let g = pr - if y[i] == c { 1.0 } else { 0.0 };
                let wc = &mut w[c * stride..(c + 1) * stride];
                for &f in &x[i] {
                    let f = f as usize;
                    wc[f] -= lr * (g + p.l2 * wc[f]);
                }
                wc[v] -= lr * g;
            }
        }
    }
    w
}
