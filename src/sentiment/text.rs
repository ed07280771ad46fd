//! One text's sentiment: its scores under a language choice, its label, and (with
//! `explain`) each token's contribution. Below `analyze`, `aspects`, `rollup` and `terms`,
//! which all read texts through it.

use serde::Serialize;

use super::chinese;
use super::detect::{chinese_weight, script, TextLanguage};
use super::english::{self, Scores, TokenValence};
use super::options::{Language, Thresholds};
use crate::error::{CrmError, Result};

/// The label of a compound under the thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Label {
    Positive,
    Neutral,
    Negative,
}

impl Label {
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Positive => "positive",
            Label::Neutral => "neutral",
            Label::Negative => "negative",
        }
    }

    pub fn of(compound: f64, t: Thresholds) -> Label {
        if compound >= t.positive {
            Label::Positive
        } else if compound <= t.negative {
            Label::Negative
        } else {
            Label::Neutral
        }
    }
}

/// One token's contribution to its text's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct TokenContribution {
    pub token: String,
    /// Its valence after every rule (negation, degree, contrast, caps), on VADER's scale.
    pub valence: f64,
    /// `"en"` or `"zh"`: which scorer read it.
    pub language: TextLanguage,
}

fn not_loaded() -> CrmError {
    CrmError::state(
        "Chinese sentiment data is not loaded (sentiment() loads it on first Chinese text; \
         or await loadChineseSentiment() first)",
    )
}

/// Scores and (with `explain`) tokens of one text under a language choice.
pub fn score_text(
    text: &str,
    language: Language,
    explain: bool,
) -> Result<(Scores, TextLanguage, Vec<TokenContribution>)> {
    let w = match language {
        Language::En => 0.0,
        Language::Zh => 1.0,
        Language::Auto => chinese_weight(script(text)),
    };
    let tag = |toks: Vec<TokenValence>, l: TextLanguage| {
        toks.into_iter().map(move |t| TokenContribution { token: t.token, valence: t.valence, language: l })
    };
    if !english::lexicon::loaded() {
        return Err(CrmError::state(
            "English sentiment data is not loaded (sentiment() loads it on first use; or await loadSentimentData() first)",
        ));
    }
    if w == 0.0 {
        if explain {
            let (s, toks) = english::explain(text);
            return Ok((s, TextLanguage::En, tag(toks, TextLanguage::En).collect()));
        }
        return Ok((english::polarity_scores(text), TextLanguage::En, Vec::new()));
    }
    let zh = chinese::loaded().ok_or_else(not_loaded)?;
    if w == 1.0 {
        let (s, toks) = if explain { zh.explain(text) } else { (zh.polarity_scores(text), Vec::new()) };
        return Ok((s, TextLanguage::Zh, tag(toks, TextLanguage::Zh).collect()));
    }
    // Mixed: both readings, weighted by the share of words each language has.
    let (ze, ztoks) = zh.explain(text);
    let (ee, etoks) = english::explain(text);
    let mix = |a: f64, b: f64| w * a + (1.0 - w) * b;
    let s = Scores {
        compound: mix(ze.compound, ee.compound),
        positive: mix(ze.positive, ee.positive),
        neutral: mix(ze.neutral, ee.neutral),
        negative: mix(ze.negative, ee.negative),
    };
    let toks = if explain {
        tag(etoks, TextLanguage::En).filter(|t| t.valence != 0.0).chain(tag(ztoks, TextLanguage::Zh)).collect()
    } else {
        Vec::new()
    };
    Ok((s, TextLanguage::Mixed, toks))
}
