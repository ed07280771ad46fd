//! Options of `sentiment` (serde, unknown keys rejected).

use serde::{Deserialize, Serialize};

use crate::error::{CrmError, Result};

/// Which scorer reads the texts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Detect per text (Han characters against Latin words); mixed texts are scored by both.
    #[default]
    Auto,
    /// Every text through VADER.
    En,
    /// Every text through the Chinese scorer.
    Zh,
}

/// Compound cut-offs of the labels: `compound >= positive` is "positive", `compound <=
/// negative` is "negative", anything between is "neutral" (VADER's convention: ±0.05).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    pub positive: f64,
    pub negative: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { positive: 0.05, negative: -0.05 }
    }
}

/// Who wrote each text, for the per-customer roll-up: with a Dataset, the name of its
/// customer column; with an array of texts, an array of ids of the same length (strings or
/// numbers; null = unknown customer).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(untagged)]
pub enum CustomerKey {
    Column(String),
    Ids(#[cfg_attr(feature = "ts", tsify(type = "Array<string | number | null>"))] Vec<serde_json::Value>),
}

/// Options of `sentiment(input, options)`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct SentimentOptions {
    /// The text column, when the input is a Dataset (required then; an error with an array).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub column: Option<String>,
    /// `"auto"` (default), `"en"` or `"zh"`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub language: Option<Language>,
    /// Also return each token's contribution (default false).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub explain: Option<bool>,
    /// Roll the scores up per customer.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub customer: Option<CustomerKey>,
    /// Tag each text with business aspects (price, quality, delivery, service, product
    /// features, usability) and their sentiment (default false).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub aspects: Option<bool>,
    /// Label cut-offs on the compound (default ±0.05).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub thresholds: Option<Thresholds>,
}

impl SentimentOptions {
    /// The thresholds, checked: finite, within [-1, 1], negative ≤ positive.
    pub fn thresholds(&self) -> Result<Thresholds> {
        let t = self.thresholds.unwrap_or_default();
        let ok = |x: f64| x.is_finite() && (-1.0..=1.0).contains(&x);
        if !ok(t.positive) || !ok(t.negative) || t.negative > t.positive {
            return Err(CrmError::invalid_option(
                "thresholds",
                format!(
                    "need -1 <= negative <= positive <= 1, got positive {} and negative {}",
                    t.positive, t.negative
                ),
            ));
        }
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::options_from_json;

    #[test]
    fn parse_and_reject() {
        let o: SentimentOptions = options_from_json(
            r#"{"language":"zh","explain":true,"customer":"id","thresholds":{"positive":0.1,"negative":-0.2}}"#,
        )
        .unwrap();
        assert_eq!(o.language, Some(Language::Zh));
        assert_eq!(o.customer, Some(CustomerKey::Column("id".into())));
        assert_eq!(o.thresholds().unwrap().negative, -0.2);
        let o: SentimentOptions = options_from_json(r#"{"customer":["a",2,null]}"#).unwrap();
        assert!(matches!(o.customer, Some(CustomerKey::Ids(ref v)) if v.len() == 3));
        let e = options_from_json::<SentimentOptions>(r#"{"langauge":"en"}"#).unwrap_err();
        assert_eq!(e.location().field.as_deref(), Some("langauge"));
        assert!(options_from_json::<SentimentOptions>(r#"{"language":"fr"}"#).is_err());
        let o: SentimentOptions = options_from_json(r#"{"thresholds":{"positive":-0.5,"negative":0.5}}"#).unwrap();
        assert_eq!(o.thresholds().unwrap_err().code(), "INVALID_OPTION");
    }
}
