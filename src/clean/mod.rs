//! Cleaning: safe, logged changes to a [`Dataset`](crate::table::Dataset).
//!
//! - [`mask`](mod@mask): `dataset.mask` — personal data redacted, hashed or partly hidden.
//! - [`sha256`]: SHA-256 for the hashed pseudonyms.

pub mod mask;
pub mod sha256;

pub use mask::{mask, MaskColumns, MaskMethod, MaskOptions, MaskReport, MaskedColumn};
