//! The RFM summary of a transaction table: which columns hold the customer, the date and the
//! amount, read cell by cell into a [`SummaryBuilder`], so that every row that cannot be used
//! is counted by reason in the summary's [`RowReport`](super::summary::RowReport).

use crate::error::{CrmError, Result};
use crate::io::values::parse_day;
use crate::table::date::MS_PER_DAY;
use crate::table::{DataType, Dataset, Value};

use super::summary::{CustomerSummary, SummaryBuilder, SummaryOptions};

/// The columns of a transaction table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransactionColumns<'a> {
    /// Any type; numbers are read as their text.
    pub customer: &'a str,
    /// A `date` or `datetime` column (a datetime counts on its UTC day), or text holding
    /// `YYYY-MM-DD` / `YYYYMMDD` dates (other text is counted as an invalid date).
    pub date: &'a str,
    /// An `int64` / `float64` column; `None` summarises without spend (monetary 0).
    pub amount: Option<&'a str>,
}

/// The summary of `ds` (see [`super::summary`]); `report` says how many rows were used and
/// why the others were not.
pub fn summarize_dataset(
    ds: &Dataset,
    cols: &TransactionColumns<'_>,
    opts: &SummaryOptions,
) -> Result<CustomerSummary> {
    let customer = ds.column(cols.customer)?;
    let date = ds.column(cols.date)?;
    match date.dtype() {
        DataType::Date | DataType::Datetime | DataType::Text | DataType::Category => {}
        other => {
            return Err(CrmError::invalid_option(
                "date",
                format!("column `{}` is {other:?}; a date, datetime or text column is needed", date.name),
            ))
        }
    }
    let amount = match cols.amount {
        Some(name) => {
            let c = ds.column(name)?;
            if !matches!(c.dtype(), DataType::Int64 | DataType::Float64) {
                return Err(CrmError::invalid_option(
                    "amount",
                    format!("column `{name}` is {:?}; a numeric column is needed", c.dtype()),
                ));
            }
            Some(c)
        }
        None => None,
    };
    let mut b = SummaryBuilder::new();
    let mut id_text = String::new();
    for row in 0..ds.num_rows() {
        let day = match date.get(row) {
            Value::Null => None,
            Value::Date(d) => Some(d),
            Value::Datetime(ms) => Some(ms.div_euclid(MS_PER_DAY) as i32),
            Value::Str(s) => match parse_day(s) {
                Some(d) => Some(d),
                None => {
                    b.push_invalid_date();
                    continue;
                }
            },
            _ => None,
        };
        let amount = match amount {
            None => Some(0.0),
            Some(c) => match c.get(row) {
                Value::Int(v) => Some(v as f64),
                Value::Float(v) => Some(v),
                _ => None,
            },
        };
        let id = match customer.get(row) {
            Value::Null => None,
            Value::Str(s) => Some(s),
            v => {
                id_text.clear();
                id_text.push_str(&v.to_text().unwrap_or_default());
                Some(id_text.as_str())
            }
        };
        b.push(id, day, amount);
    }
    b.finish(opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::table::date::days_from_civil;

    #[test]
    fn parses_iso_and_compact_days() {
        assert_eq!(parse_day("1970-01-02"), Some(1));
        assert_eq!(parse_day("19970101"), Some(days_from_civil(1997, 1, 1)));
        assert_eq!(parse_day("1997-01-01T10:00"), Some(days_from_civil(1997, 1, 1)));
        assert_eq!(parse_day("1997-02-30"), None);
        assert_eq!(parse_day("soon"), None);
        assert_eq!(parse_day("+1997-01"), None);
    }
}
