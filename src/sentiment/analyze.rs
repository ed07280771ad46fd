//! `sentiment`: scores many texts into columns (compound, positive, neutral, negative, label,
//! language), with optional per-token explanations and a per-customer roll-up.

use serde::Serialize;

use super::aspects::{summarize, text_aspects, AspectMention, AspectSummary};
use super::detect::TextLanguage;
use super::options::SentimentOptions;
use super::rollup::{rollup, CustomerRollup};
pub use super::text::{score_text, Label, TokenContribution};
use crate::error::{CrmError, Result};
use crate::task::{Ctl, Work};

/// Counts over all texts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SentimentSummary {
    pub texts: u32,
    /// Missing (null) texts: compound NaN, label null, language "none".
    pub missing: u32,
    pub positive: u32,
    pub neutral: u32,
    pub negative: u32,
    pub english: u32,
    pub chinese: u32,
    pub mixed: u32,
    /// Mean compound of the scored texts (NaN if none).
    pub mean_compound: f64,
}

/// Columnar result of `sentiment`: one entry per input text in every array. `compound` is in
/// [-1, 1]; `positive`, `neutral`, `negative` are the shares of the text that carry each
/// polarity (VADER's pos/neu/neg); a missing text has NaN scores and a null label.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SentimentResult {
    #[cfg_attr(feature = "ts", tsify(type = "Float64Array"))]
    pub compound: Vec<f64>,
    #[cfg_attr(feature = "ts", tsify(type = "Float64Array"))]
    pub positive: Vec<f64>,
    #[cfg_attr(feature = "ts", tsify(type = "Float64Array"))]
    pub neutral: Vec<f64>,
    #[cfg_attr(feature = "ts", tsify(type = "Float64Array"))]
    pub negative: Vec<f64>,
    pub label: Vec<Option<Label>>,
    pub language: Vec<TextLanguage>,
    pub summary: SentimentSummary,
    /// With `explain`: the tokens of each text with their valences.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub explanation: Option<Vec<Vec<TokenContribution>>>,
    /// With `customer`: the per-customer roll-up.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub customers: Option<CustomerRollup>,
    /// With `aspects`: the aspects of each text and a summary per aspect.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub aspects: Option<Aspects>,
}

#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Aspects {
    /// One entry per aspect, in a fixed order.
    pub summary: Vec<AspectSummary>,
    /// For each text, the aspects it mentions (empty for a missing text).
    pub per_text: Vec<Vec<AspectMention>>,
}

/// Scores every text (`None` = missing). `ids` are the customers of the texts, when the
/// options ask for a roll-up (the caller resolves `options.customer` into them).
pub fn sentiment(
    texts: &[Option<&str>],
    ids: Option<&[Option<String>]>,
    options: &SentimentOptions,
) -> Result<SentimentResult> {
    crate::task::run(sentiment_async(texts, ids, options, &mut Ctl::none()))
}

/// [`sentiment`] as long work: progress `texts` every 256 texts.
pub fn sentiment_async<'a>(
    texts: &'a [Option<&'a str>],
    ids: Option<&'a [Option<String>]>,
    options: &'a SentimentOptions,
    ctl: &'a mut Ctl<'_>,
) -> Work<'a, SentimentResult> {
    // Boxed: the sync and async callers share one copy of the state machine in wasm.
    Box::pin(sentiment_async_inner(texts, ids, options, ctl))
}

async fn sentiment_async_inner(
    texts: &[Option<&str>],
    ids: Option<&[Option<String>]>,
    options: &SentimentOptions,
    ctl: &mut Ctl<'_>,
) -> Result<SentimentResult> {
    let t = options.thresholds()?;
    let language = options.language.unwrap_or_default();
    let explain = options.explain.unwrap_or(false);
    let want_aspects = options.aspects.unwrap_or(false);
    let mut per_text: Vec<Vec<AspectMention>> = Vec::new();
    if let Some(ids) = ids {
        if ids.len() != texts.len() {
            return Err(CrmError::invalid_option(
                "customer",
                format!("{} customer ids for {} texts", ids.len(), texts.len()),
            ));
        }
    }
    let n = texts.len();
    let mut r = SentimentResult {
        compound: Vec::with_capacity(n),
        positive: Vec::with_capacity(n),
        neutral: Vec::with_capacity(n),
        negative: Vec::with_capacity(n),
        label: Vec::with_capacity(n),
        language: Vec::with_capacity(n),
        explanation: explain.then(|| Vec::with_capacity(n)),
        ..Default::default()
    };
    let mut sum = 0.0;
    let s = &mut r.summary;
    s.texts = n as u32;
    for (i, text) in texts.iter().enumerate() {
        if i % 256 == 0 {
            ctl.tick("texts", i as u64, n as u64).await?;
        }
        let Some(text) = text else {
            s.missing += 1;
            r.compound.push(f64::NAN);
            r.positive.push(f64::NAN);
            r.neutral.push(f64::NAN);
            r.negative.push(f64::NAN);
            r.label.push(None);
            r.language.push(TextLanguage::None);
            if let Some(e) = r.explanation.as_mut() {
                e.push(Vec::new());
            }
            if want_aspects {
                per_text.push(Vec::new());
            }
            continue;
        };
        let (scores, lang, toks) = score_text(text, language, explain)?;
        let label = Label::of(scores.compound, t);
        match label {
            Label::Positive => s.positive += 1,
            Label::Neutral => s.neutral += 1,
            Label::Negative => s.negative += 1,
        }
        match lang {
            TextLanguage::En => s.english += 1,
            TextLanguage::Zh => s.chinese += 1,
            TextLanguage::Mixed => s.mixed += 1,
            TextLanguage::None => {}
        }
        sum += scores.compound;
        r.compound.push(scores.compound);
        r.positive.push(scores.positive);
        r.neutral.push(scores.neutral);
        r.negative.push(scores.negative);
        r.label.push(Some(label));
        r.language.push(lang);
        if let Some(e) = r.explanation.as_mut() {
            e.push(toks);
        }
        if want_aspects {
            per_text.push(text_aspects(text, language)?);
        }
    }
    if want_aspects {
        r.aspects = Some(Aspects { summary: summarize(&per_text, t), per_text });
    }
    let scored = s.texts - s.missing;
    s.mean_compound = if scored > 0 { sum / scored as f64 } else { f64::NAN };
    if let Some(ids) = ids {
        r.customers = Some(rollup(ids, &r.compound, &r.label, |m| Label::of(m, t)));
    }
    Ok(r)
}

/// Customer ids given inline (`customer: [...]` with an array of texts) as strings.
pub fn ids_from_json(values: &[serde_json::Value]) -> Result<Vec<Option<String>>> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            serde_json::Value::Null => Ok(None),
            serde_json::Value::String(s) => Ok(Some(s.clone())),
            serde_json::Value::Number(x) => Ok(Some(x.to_string())),
            other => Err(CrmError::invalid_option(
                "customer",
                format!("customer[{i}] must be a string, a number or null, got {other}"),
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentiment::english;
    use crate::sentiment::options::Thresholds;

    #[test]
    fn columns_labels_and_rollup() {
        let texts = [Some("I love it, great service!"), None, Some("Terrible. Never again."), Some("It is a phone.")];
        let ids = vec![Some("a".to_string()), Some("a".to_string()), Some("b".to_string()), None];
        let o = SentimentOptions { explain: Some(true), ..Default::default() };
        let r = sentiment(&texts, Some(&ids), &o).unwrap();
        assert_eq!(r.label, vec![Some(Label::Positive), None, Some(Label::Negative), Some(Label::Neutral)]);
        assert!(r.compound[1].is_nan());
        assert_eq!(r.language[1], TextLanguage::None);
        assert_eq!((r.summary.missing, r.summary.english, r.summary.positive), (1, 3, 1));
        assert_eq!(r.compound[0], english::polarity_scores("I love it, great service!").compound);
        let c = r.customers.unwrap();
        assert_eq!(c.customer, vec!["a", "b"]);
        assert_eq!(c.texts, vec![1, 1]);
        assert_eq!((c.missing_customer, c.missing_text), (1, 1));
        assert_eq!(c.label, vec![Some(Label::Positive), Some(Label::Negative)]);
        let e = r.explanation.unwrap();
        assert!(e[0].iter().any(|t| t.token == "love" && t.valence > 0.0));
        let o =
            SentimentOptions { thresholds: Some(Thresholds { positive: 0.99, negative: -0.99 }), ..Default::default() };
        assert_eq!(sentiment(&texts[..1], None, &o).unwrap().label[0], Some(Label::Neutral));
        assert!(sentiment(&texts, Some(&ids[..2]), &o).is_err());
    }
}
