//! Options of `dataset.profile`.

use serde::Deserialize;

use crate::error::{CrmError, Result};

/// Options of `dataset.profile(options?)`; every field is optional.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ProfileOptions {
    /// Most frequent values listed per column (default 10).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub top_k: usize,
    /// Histogram bins of numeric and date columns (default 20).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub bins: usize,
    /// Distinct values counted exactly (with exact top values and quantiles) up to this many
    /// per column; past it a HyperLogLog, a Misra–Gries summary and a quantile sketch take
    /// over (default 50 000).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub exact_distinct_limit: usize,
    /// Compute Pearson, Spearman and Cramér's V (default true).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub correlations: bool,
    /// At most this many numeric and this many categorical columns enter the correlation
    /// matrices, in table order (default 30).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub max_correlation_columns: usize,
    /// A categorical column enters Cramér's V when it has 2 to this many distinct values
    /// (default 50).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub max_levels: usize,
    /// Seed of the quantile sketch's coin flips (default 42).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub seed: u64,
}

impl Default for ProfileOptions {
    fn default() -> Self {
        ProfileOptions {
            top_k: 10,
            bins: 20,
            exact_distinct_limit: 50_000,
            correlations: true,
            max_correlation_columns: 30,
            max_levels: 50,
            seed: 42,
        }
    }
}

impl ProfileOptions {
    pub fn validate(&self) -> Result<()> {
        if self.top_k > 1000 {
            return Err(CrmError::invalid_option("topK", "must be at most 1000"));
        }
        if self.bins == 0 || self.bins > 1000 {
            return Err(CrmError::invalid_option("bins", "must be between 1 and 1000"));
        }
        if self.exact_distinct_limit > 10_000_000 {
            return Err(CrmError::invalid_option("exactDistinctLimit", "must be at most 10000000"));
        }
        if self.max_correlation_columns > 200 {
            return Err(CrmError::invalid_option("maxCorrelationColumns", "must be at most 200"));
        }
        if self.max_levels < 2 || self.max_levels > 1000 {
            return Err(CrmError::invalid_option("maxLevels", "must be between 2 and 1000"));
        }
        Ok(())
    }
}
