//! Customer value: who is still a customer, how much they will buy, and what that is worth.
//!
//! - [`summary`]: the per-customer RFM summary of a transaction log (frequency x, recency
//!   t_x, age T, mean repeat spend), in the definitions of the BTYD literature and of the
//!   Python `lifetimes` package, with a report of every row left out and why.
//! - [`transactions`]: the same summary read from a [`Dataset`](crate::table::Dataset)'s
//!   customer, date and amount columns.
//! - [`bgnbd`]: the BG/NBD model (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy
//!   Way"): maximum-likelihood fit, P(alive), conditional and unconditional expected purchases.
//! - [`gamma_gamma`]: the Gamma-Gamma spend model (Fader & Hardie 2013, "The Gamma-Gamma
//!   Model of Monetary Value"): fit, conditional expected spend, and discounted CLV combining
//!   both models.
//! - [`rfm`](mod@rfm): quintile R, F, M scores, the RFM code and an 11-segment scheme with a
//!   per-segment summary.
//! - [`cohort`]: monthly acquisition cohorts and their retention matrix (mergeable builder).
//! - [`predict`]: P(alive), expected purchases, spend and CLV for many customers at once.
//! - [`holdout`]: the model against a holdout period and a naive baseline, graded A / B / C.
//! - [`customer_value`]: `customerValue` — everything above in one per-customer table.
//! - [`validity`]: what the data supports — `model.warnings` and the predictions withheld
//!   when a fit cannot be trusted (no repeat customers, a span of days, degenerate parameters).
//! - [`profiles`]: `customerProfiles` — that table joined with attribute (and other
//!   per-customer) tables by id, reporting every id that does not match.
//! - [`shards`]: `customerValue` of a table held in shards (summary-builder bytes, merged).
//! - [`special`]: ln Γ, digamma, the Gauss hypergeometric ₂F₁.
//! - [`optimize`]: BFGS, Nelder–Mead and a multi-start driver that always reports its best
//!   point and why it stopped.
//!
//! Formulas and published reference numbers are from the cited papers and notes; the code is
//! this crate's own. `tests/value_cdnow.rs` checks the summary, both fits and the predictions
//! on the CDNOW sample against the published results and against `lifetimes` 0.11.3.

pub mod bgnbd;
pub mod cohort;
pub mod customer_value;
pub mod gamma_gamma;
pub mod holdout;
pub mod optimize;
pub mod predict;
pub mod profiles;
pub mod rfm;
pub mod shards;
pub mod special;
pub mod summary;
pub mod transactions;
pub mod validity;

pub use bgnbd::{fit as fit_bg_nbd, BgNbd, BgNbdFit, FitOptions as BgNbdFitOptions};
pub use cohort::{cohort_matrix, CohortBuilder, CohortMatrix};
pub use customer_value::{
    customer_value, customer_value_async, customer_value_from_builder, CustomerValue, CustomerValueOptions, ValueModel,
};
pub use gamma_gamma::{customer_lifetime_value, ClvOptions, GammaGamma, GammaGammaFit};
pub use predict::predict as predict_customers;
pub use rfm::{rfm, rfm_from_summary, Rfm, Segment, SegmentSummary};
pub use summary::{
    summarize, summarize_indexed, Aggregation, CustomerSummary, RowReport, SkipReason, SummaryBuilder, SummaryOptions,
    TimeUnit,
};
pub use transactions::{summarize_dataset, summary_builder, TransactionColumns};
pub(crate) use transactions::{Txn, TxnReader};
