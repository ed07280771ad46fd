//! `SentimentModel`: a classifier trained on the user's own labelled feedback.
//!
//! - [`features`]: words, negation-marked words and bigrams (English); characters and
//!   character bigrams (Chinese).
//! - [`options`]: `train` options (language, model, smoothing, penalty, epochs, seed).
//! - [`model`]: naive Bayes and logistic regression; predict, evaluate, JSON form.
//! - [`metrics`]: accuracy, precision, recall, F1, confusion matrix.

pub mod features;
pub mod metrics;
pub mod model;
pub mod options;

pub use metrics::{ClassMetrics, Evaluation};
pub use model::{ModelJson, Predictions, SentimentModel};
pub use options::{ModelKind, TrainOptions};
