//! Sentiment of customer feedback in English and Chinese (issue 7).
//!
//! - [`text`]: one text's scores, label and token contributions (every other part reads texts through it).
//! - [`analyze`]: `sentiment` over many texts → columns, explanations, roll-up.
//! - [`dataset`]: the same over a Dataset's text (and customer) column.
//! - [`aspects`]: business aspects (price, quality, delivery, …) per text with their sentiment.
//! - [`terms`]: `topTerms`, the most positive / negative words of a corpus.
//! - [`options`]: its options (language, explain, customer, thresholds).
//! - [`detect`]: language of a text (Han characters against Latin words).
//! - [`english`]: VADER, rule for rule as vaderSentiment 3.3.2.
//! - [`chinese`]: segmentation, lexicon rules and naive Bayes (data loaded separately).
//! - [`rollup`]: per-customer roll-up.
//! - [`trainable`]: `SentimentModel`, naive Bayes / logistic on the user's labelled texts.

pub mod analyze;
pub mod aspects;
pub mod chinese;
pub mod dataset;
pub mod detect;
pub mod english;
pub mod options;
pub mod rollup;
pub mod terms;
pub mod text;
pub mod trainable;

pub use analyze::{sentiment, SentimentResult, SentimentSummary};
pub use detect::TextLanguage;
pub use options::{CustomerKey, Language, SentimentOptions, Thresholds};
pub use text::{Label, TokenContribution};
