//! What a single cell means: the one definition of each cell semantic, below every
//! capability. The loader, the profile, clean, customer value and the recommenders all read
//! cells through here, so a column's inferred type and role, its profile facets and its PII
//! count agree by construction.
//!
//! - [`values`]: cell parsers (integers, number styles with currency / percent / grouping,
//!   booleans, dates and times in their many shapes).
//! - [`locale`]: regional number and date forms (decimal comma, currency codes, accounting
//!   negatives, AM/PM, month names, 年月日, two-digit years), read under a column's decided
//!   conventions.
//! - [`detect`]: detectors of personal and contact data (email, phone incl. Chinese mobile,
//!   Chinese resident ID, payment card by Luhn, IP address, URL), used for column roles,
//!   the profile's PII counts and masking.

pub mod detect;
pub mod locale;
pub mod values;
