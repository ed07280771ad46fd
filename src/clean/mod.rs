//! Cleaning: safe, logged changes to a [`Dataset`](crate::table::Dataset). Nothing changes
//! in place; every change is listed (row, column, before, after, rule) with exact counts.
//!
//! - [`plan`]: the cleaning plan (`dataset.clean(plan)`), steps in a fixed order.
//! - [`apply`]: `clean` — convert, trim, case, standardise, fill, outliers, dedupe.
//! - [`dedupe`]: exact duplicate rows; fuzzy customer matching (blocking, Jaro–Winkler,
//!   Levenshtein, normalised email / phone) with groups, per-field scores and a survivor.
//! - [`standardize`]: whitespace, case, email, phone and name normalisers.
//! - [`similarity`]: Jaro, Jaro–Winkler, Levenshtein.
//! - [`log`]: the change log. [`cells`]: owned cells and column rebuilding.
//! - [`mask`](mod@mask): `dataset.mask` — personal data redacted, hashed or partly hidden.
//! - [`sha256`]: SHA-256 for the hashed pseudonyms.

pub mod apply;
pub mod cells;
pub mod dedupe;
pub mod log;
pub mod mask;
pub mod plan;
pub mod sha256;
pub mod similarity;
pub mod standardize;

pub use apply::{clean, clean_async, CleanReport, CleanResult};
pub use dedupe::{DuplicateGroup, PairScore};
pub use log::{Change, CleanLog, RuleCount};
pub use mask::{mask, MaskColumns, MaskMethod, MaskOptions, MaskReport, MaskedColumn};
pub use plan::CleanPlan;
