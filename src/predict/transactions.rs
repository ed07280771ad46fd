//! placeholder
pub struct TransactionFeatureOptions;
pub enum Horizon {}
pub fn transaction_features() {}
