//! Column types and semantic roles.

use serde::Serialize;

/// The physical type of a column. Every type can hold nulls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum DataType {
    /// Integers. Inference only picks it when every value fits in ±2^53, so the values
    /// cross to JavaScript exactly as numbers (`Float64Array`).
    Int64,
    Float64,
    Bool,
    /// A calendar date (days since 1970-01-01).
    Date,
    /// A date and time of day (milliseconds since 1970-01-01T00:00:00, UTC when an offset was given).
    Datetime,
    /// Repeated strings, dictionary-encoded.
    Category,
    /// Free strings.
    Text,
}

impl DataType {
    pub fn name(self) -> &'static str {
        match self {
            DataType::Int64 => "int64",
            DataType::Float64 => "float64",
            DataType::Bool => "bool",
            DataType::Date => "date",
            DataType::Datetime => "datetime",
            DataType::Category => "category",
            DataType::Text => "text",
        }
    }
    pub fn is_numeric(self) -> bool {
        matches!(self, DataType::Int64 | DataType::Float64)
    }
}

/// What a column means, detected from its name and values. `None` when nothing specific.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum Role {
    Id,
    Email,
    Phone,
    Money,
    Percent,
    PostalCode,
    Country,
    City,
    Url,
    FreeText,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Id => "id",
            Role::Email => "email",
            Role::Phone => "phone",
            Role::Money => "money",
            Role::Percent => "percent",
            Role::PostalCode => "postalCode",
            Role::Country => "country",
            Role::City => "city",
            Role::Url => "url",
            Role::FreeText => "freeText",
        }
    }
}
