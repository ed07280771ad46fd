//! A named, typed column.

use super::date::{format_date, format_datetime};
use super::{DataType, Role, StrVec, Validity};

/// The values of a column. Slots that are null hold a default value (0, false, "").
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    Int64(Vec<i64>),
    Float64(Vec<f64>),
    Bool(Vec<bool>),
    /// Days since 1970-01-01.
    Date(Vec<i32>),
    /// Milliseconds since 1970-01-01T00:00:00.
    Datetime(Vec<i64>),
    /// Dictionary codes into `dict` (first-seen order).
    Category {
        codes: Vec<u32>,
        dict: Vec<String>,
    },
    Text(StrVec),
}

/// One cell, borrowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Null,
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(i32),
    Datetime(i64),
    /// A datetime read from values that carried `Z` or a UTC offset: milliseconds since
    /// the epoch in UTC, written back with a trailing `Z`.
    DatetimeUtc(i64),
    Str(&'a str),
}

impl<'a> Value<'a> {
    /// The cell as text for use as a key (an id, an item): text cells are borrowed, other
    /// values are written into `buf` (no allocation per cell once `buf` has grown), integers
    /// without going through a `String`; `None` for null.
    pub fn text_in(self, buf: &'a mut String) -> Option<&'a str> {
        use std::fmt::Write;
        match self {
            Value::Null => None,
            Value::Str(s) => Some(s),
            Value::Int(i) => {
                buf.clear();
                let _ = write!(buf, "{i}");
                Some(buf.as_str())
            }
            other => {
                buf.clear();
                buf.push_str(&other.to_text().unwrap_or_default());
                Some(buf.as_str())
            }
        }
    }

    /// The cell as text, as it would be written to CSV (`None` for null).
    pub fn to_text(&self) -> Option<String> {
        match *self {
            Value::Null => None,
            Value::Int(v) => Some(v.to_string()),
            Value::Float(v) => Some(format_float(v)),
            Value::Bool(v) => Some(v.to_string()),
            Value::Date(d) => Some(format_date(d)),
            Value::Datetime(ms) => Some(format_datetime(ms)),
            Value::DatetimeUtc(ms) => Some(format_datetime(ms) + "Z"),
            Value::Str(s) => Some(s.to_string()),
        }
    }
}

/// Shortest text that reads back to the same `f64`.
pub fn format_float(v: f64) -> String {
    if v.is_finite() && v == v.trunc() && v.abs() < 1e15 {
        format!("{v:.1}").trim_end_matches(".0").to_string()
    } else {
        format!("{v}")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub data: ColumnData,
    pub validity: Validity,
    pub role: Option<Role>,
    /// How the values were written in the source when that matters for reading them
    /// back: the date pattern (e.g. `DD/MM/YYYY HH:MM`), or a number style
    /// (`thousands-separated`, `currency`, `percent`).
    pub format: Option<String>,
    /// Source tokens read as missing, with how often each occurred (e.g. `("NA", 11)`).
    pub missing_tokens: Vec<(String, usize)>,
    /// What inference had to assume about this column (e.g. an ambiguous day/month order).
    pub warnings: Vec<String>,
    /// Datetime values were written with `Z` or a UTC offset and are held in UTC.
    pub utc: bool,
    /// The currency the column's amounts were written in (`"EUR"`, `"USD"`, `"CNY"`, `"$"`,
    /// ...), when the cells carried a symbol or code.
    pub currency: Option<String>,
}

impl Column {
    pub fn new(name: impl Into<String>, data: ColumnData, validity: Validity) -> Self {
        Column {
            name: name.into(),
            data,
            validity,
            role: None,
            format: None,
            missing_tokens: Vec::new(),
            warnings: Vec::new(),
            utc: false,
            currency: None,
        }
    }

    pub fn dtype(&self) -> DataType {
        match self.data {
            ColumnData::Int64(_) => DataType::Int64,
            ColumnData::Float64(_) => DataType::Float64,
            ColumnData::Bool(_) => DataType::Bool,
            ColumnData::Date(_) => DataType::Date,
            ColumnData::Datetime(_) => DataType::Datetime,
            ColumnData::Category { .. } => DataType::Category,
            ColumnData::Text(_) => DataType::Text,
        }
    }

    pub fn len(&self) -> usize {
        self.validity.len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn null_count(&self) -> usize {
        self.validity.null_count()
    }

    /// The cell at `row` (`Value::Null` past the end).
    pub fn get(&self, row: usize) -> Value<'_> {
        if !self.validity.is_valid(row) {
            return Value::Null;
        }
        match &self.data {
            ColumnData::Int64(v) => Value::Int(v[row]),
            ColumnData::Float64(v) => Value::Float(v[row]),
            ColumnData::Bool(v) => Value::Bool(v[row]),
            ColumnData::Date(v) => Value::Date(v[row]),
            ColumnData::Datetime(v) if self.utc => Value::DatetimeUtc(v[row]),
            ColumnData::Datetime(v) => Value::Datetime(v[row]),
            ColumnData::Category { codes, dict } => Value::Str(&dict[codes[row] as usize]),
            ColumnData::Text(s) => Value::Str(s.get(row)),
        }
    }

    /// Numeric view: `Some(values)` for int64/float64 columns, nulls as NaN. Int64 values
    /// are exact because inference keeps int64 columns within ±2^53.
    pub fn to_f64(&self) -> Option<Vec<f64>> {
        let out = match &self.data {
            ColumnData::Int64(v) => {
                (0..v.len()).map(|i| if self.validity.is_valid(i) { v[i] as f64 } else { f64::NAN }).collect()
            }
            ColumnData::Float64(v) => {
                (0..v.len()).map(|i| if self.validity.is_valid(i) { v[i] } else { f64::NAN }).collect()
            }
            _ => return None,
        };
        Some(out)
    }

    /// Time view: `Some(ms since 1970-01-01)` for date (midnight) and datetime columns,
    /// nulls as NaN.
    pub fn to_millis(&self) -> Option<Vec<f64>> {
        let ms = |i: usize, v: f64| if self.validity.is_valid(i) { v } else { f64::NAN };
        Some(match &self.data {
            ColumnData::Date(d) => d.iter().enumerate().map(|(i, &x)| ms(i, x as f64 * 86_400_000.0)).collect(),
            ColumnData::Datetime(d) => d.iter().enumerate().map(|(i, &x)| ms(i, x as f64)).collect(),
            _ => return None,
        })
    }

    /// Approximate heap bytes held by the column.
    pub fn memory_bytes(&self) -> usize {
        let data = match &self.data {
            ColumnData::Int64(v) => v.capacity() * 8,
            ColumnData::Float64(v) => v.capacity() * 8,
            ColumnData::Bool(v) => v.capacity(),
            ColumnData::Date(v) => v.capacity() * 4,
            ColumnData::Datetime(v) => v.capacity() * 8,
            ColumnData::Category { codes, dict } => {
                codes.capacity() * 4 + dict.iter().map(|s| s.capacity() + 24).sum::<usize>()
            }
            ColumnData::Text(s) => s.memory_bytes(),
        };
        data + self.len().div_ceil(8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_text_is_shortest_round_trip() {
        assert_eq!(format_float(29.85), "29.85");
        assert_eq!(format_float(3.0), "3");
        assert_eq!(format_float(-0.5), "-0.5");
        assert_eq!(format_float(1e20), "100000000000000000000");
        assert_eq!(format_float(0.1 + 0.2).parse::<f64>().unwrap(), 0.1 + 0.2);
    }

    #[test]
    fn get_respects_nulls() {
        let mut v = Validity::default();
        v.push(true);
        v.push(false);
        let c = Column::new("x", ColumnData::Int64(vec![7, 0]), v);
        assert_eq!(c.get(0), Value::Int(7));
        assert_eq!(c.get(1), Value::Null);
        assert_eq!(c.to_f64().unwrap()[0], 7.0);
        assert!(c.to_f64().unwrap()[1].is_nan());
    }
}
