//! Prediction (issue 17): who will churn, who will buy, how much they will spend — trained,
//! cross-validated, calibrated, explained and graded on a customer table.
//!
//! - [`options`]: `TrainOptions` (the JS option names), `ModelKind`, `ThresholdRule`.
//! - [`target`]: the target column: task, positive class, rows without a target counted.
//! - [`features`]: which columns become features and how they are encoded; the rest left
//!   out with the reason.
//! - [`matrix`]: the dense feature matrix and the size check on every input-sized allocation.
//! - [`linear`]: logistic regression, linear SVM, ridge regression (one truncated-Newton
//!   solver), coefficient × centred-value explanations.
//! - [`design`]: the standardised design as the linear solver touches it (one-hot runs as one
//!   code per row, so a category costs one pass, not one per level).
//! - [`tree`]: histogram trees (binning, best-first growth, native missing values).
//! - [`ensemble`]: gradient boosting, random forest, single decision tree.
//! - [`shap`]: exact TreeSHAP (the recursion of Algorithm 2, one row at a time).
//! - [`leafshap`]: the same values leaf by leaf, cached per pattern of met splits (scoring).
//! - [`exact`]: `exp`, `ln`, `ln_1p` from IEEE arithmetic only: the same bits natively and in
//!   wasm (the platforms' libm differ in the last bit), so training is native = wasm.
//! - [`calibrate`]: Platt scaling and isotonic regression.
//! - [`caveats`]: honest warnings: AUC uncertainty at this sample size (Hanley–McNeil), results
//!   too good to be true, indistinguishable from guessing, few rows per encoded column.
//! - [`metrics`]: AUC, PR AUC, log loss, Brier, confusion, curves, lift/gain, calibration bins, R².
//! - [`grade`]: the A / B / C grade and its plain-language explanation.
//! - [`train`](mod@train): cross-validation, model choice, calibration, threshold, importance, final fit.
//! - [`explain`]: `predict`'s per-row top factors (fast path, progress and abort).
//! - [`fitted`]: `Fitted`, the fitted function (linear or trees), its per-row reference
//!   explanation and consistency check (imported by both `model` and `explain`).
//! - [`model`]: the `Predictor`: report, `predict` with per-row factors, JSON form.
//! - [`transactions`]: `transactionFeatures`: per-customer features and labels from an order log.
//!
//! Why our own code rather than smartcore: see `README.md` in this directory.

pub mod calibrate;
pub mod caveats;
pub mod design;
pub mod ensemble;
pub mod exact;
pub mod explain;
pub mod features;
pub mod fitted;
pub mod grade;
pub mod leafshap;
pub mod linear;
pub mod matrix;
pub mod metrics;
pub mod model;
pub mod options;
pub mod shap;
pub mod target;
pub mod train;
pub mod transactions;
pub mod tree;

pub use model::{Candidate, FeatureReport, Importance, Output, PredictOptions, Predictor, Quality};
pub use options::{ClassWeight, Features, ModelKind, Positive, Task, ThresholdRule, TrainOptions, Validation};
pub use train::train;
pub use transactions::{transaction_features, Horizon, TransactionFeatureOptions, TransactionFeatures};

use crate::error::Result;
use crate::table::Dataset;
use crate::task::{run, Ctl};

/// [`train`] without progress or abort (for small inputs and native callers).
pub fn train_sync(ds: &Dataset, opts: &TrainOptions) -> Result<Predictor> {
    run(train(ds, opts, &mut Ctl::none()))
}
