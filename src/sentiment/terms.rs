//! `topTerms`: the words that pushed a corpus most towards positive and towards negative,
//! from the per-token contributions of every text.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::options::Language;
use super::text::score_text;
use crate::error::{CrmError, Result};
use crate::task::{Ctl, Work};

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct TopTermsOptions {
    /// The text column, when the input is a Dataset.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub column: Option<String>,
    /// `"auto"` (default), `"en"`, `"zh"`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub language: Option<Language>,
    /// How many terms on each side (default 20, at most 1000).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub top: Option<u32>,
    /// Terms in fewer texts are left out (default 2).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub min_texts: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Term {
    /// The term (English lower-cased).
    pub term: String,
    /// Texts in which it carried sentiment.
    pub texts: u32,
    /// Sum of its contributions over the corpus (the ranking key).
    pub total_valence: f64,
    pub mean_valence: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct TopTerms {
    pub positive: Vec<Term>,
    pub negative: Vec<Term>,
    /// Texts read (missing ones are not).
    pub texts: u32,
}

pub fn top_terms(texts: &[Option<&str>], options: &TopTermsOptions) -> Result<TopTerms> {
    crate::task::run(top_terms_async(texts, options, &mut Ctl::none()))
}

/// [`top_terms`] as long work: progress `texts` every 256 texts.
pub fn top_terms_async<'a>(
    texts: &'a [Option<&'a str>],
    options: &'a TopTermsOptions,
    ctl: &'a mut Ctl<'_>,
) -> Work<'a, TopTerms> {
    // Boxed: the sync and async callers share one copy of the state machine in wasm.
    Box::pin(top_terms_async_inner(texts, options, ctl))
}

async fn top_terms_async_inner(
    texts: &[Option<&str>],
    options: &TopTermsOptions,
    ctl: &mut Ctl<'_>,
) -> Result<TopTerms> {
    let top = options.top.unwrap_or(20);
    if !(1..=1000).contains(&top) {
        return Err(CrmError::invalid_option("top", format!("must be 1..=1000, got {top}")));
    }
    let min_texts = options.min_texts.unwrap_or(2);
    let language = options.language.unwrap_or_default();
    // term → (texts, total valence, last text index seen)
    let mut acc: FxHashMap<String, (u32, f64, usize)> = FxHashMap::default();
    let mut read = 0;
    for (i, text) in texts.iter().enumerate() {
        if i % 256 == 0 {
            ctl.tick("texts", i as u64, texts.len() as u64).await?;
        }
        let Some(text) = text else { continue };
        read += 1;
        let (_, _, toks) = score_text(text, language, true)?;
        for t in toks.into_iter().filter(|t| t.valence != 0.0) {
            let e = acc.entry(t.token.to_lowercase()).or_insert((0, 0.0, usize::MAX));
            if e.2 != i {
                e.0 += 1;
                e.2 = i;
            }
            e.1 += t.valence;
        }
    }
    let mut terms: Vec<Term> = acc
        .into_iter()
        .filter(|(_, (n, _, _))| *n >= min_texts)
        .map(|(term, (n, total, _))| Term { term, texts: n, total_valence: total, mean_valence: total / n as f64 })
        .collect();
    // Ties broken by the term, so the order never depends on hashing.
    crate::sort::by(&mut terms, &|a, b| b.total_valence.total_cmp(&a.total_valence).then_with(|| a.term.cmp(&b.term)));
    let positive: Vec<Term> = terms.iter().filter(|t| t.total_valence > 0.0).take(top as usize).cloned().collect();
    let negative: Vec<Term> =
        terms.iter().rev().filter(|t| t.total_valence < 0.0).take(top as usize).cloned().collect();
    Ok(TopTerms { positive, negative, texts: read })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_by_total_contribution() {
        let texts = [Some("great phone"), Some("great battery, awful screen"), Some("awful"), Some("good"), None];
        let t = top_terms(&texts, &TopTermsOptions { min_texts: Some(1), ..Default::default() }).unwrap();
        assert_eq!(t.texts, 4);
        assert_eq!(t.positive[0].term, "great");
        assert_eq!(t.positive[0].texts, 2);
        assert_eq!(t.negative[0].term, "awful");
        let t = top_terms(&texts, &TopTermsOptions::default()).unwrap();
        assert!(t.positive.iter().all(|x| x.texts >= 2));
        assert!(top_terms(&texts, &TopTermsOptions { top: Some(0), ..Default::default() }).is_err());
    }
}
