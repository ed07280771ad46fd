//! Sentiment of customer feedback (issue 7).
//!
//! - [`english`]: VADER, rule for rule as vaderSentiment 3.3.2.
pub mod english;
