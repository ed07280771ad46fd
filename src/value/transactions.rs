//! The RFM summary of a transaction table: which columns hold the customer, the date and the
//! amount, read cell by cell into a [`SummaryBuilder`], so that every row that cannot be used
//! is counted by reason in the summary's [`RowReport`](super::summary::RowReport).

use crate::cells::values::parse_day;
use crate::error::{CrmError, Result};
use crate::table::date::MS_PER_DAY;
use crate::table::{Column, ColumnData, DataType, Dataset, Value};
use crate::task::Ctl;

use super::summary::{CustomerSummary, SkipReason, SummaryBuilder, SummaryOptions};

/// The columns of a transaction table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TransactionColumns<'a> {
    /// Any type; numbers are read as their text.
    pub customer: &'a str,
    /// A `date` or `datetime` column (a datetime counts on its UTC day), or text holding
    /// `YYYY-MM-DD` / `YYYYMMDD` dates (other text is counted as an invalid date).
    pub date: &'a str,
    /// An `int64` / `float64` column; `None` summarises without spend (monetary 0) unless
    /// `quantity` and `price` are given.
    pub amount: Option<&'a str>,
    /// With `price` and no `amount`: the amount of a row is quantity × price (order lines).
    pub quantity: Option<&'a str>,
    pub price: Option<&'a str>,
    /// An invoice-number column: rows whose invoice starts with "C" or "c" are cancellations
    /// (the convention of the UCI Online Retail data), counted and left out.
    pub invoice: Option<&'a str>,
}

/// What one transaction row holds, as the summary, the holdout count and the cohorts read it.
pub(crate) enum Txn<'a> {
    /// A purchase: customer, day, amount (≥ 0).
    Purchase(&'a str, i32, f64),
    /// The same with an integer customer id (read without formatting it as text per row).
    PurchaseInt(i64, i32, f64),
    /// Not a usable purchase, and why.
    Skipped(SkipReason),
}

enum AmountSource<'a> {
    None,
    Column(&'a Column),
    Product(&'a Column, &'a Column),
}

/// Reads transaction rows of a table through [`TransactionColumns`].
pub(crate) struct TxnReader<'a> {
    customer: &'a Column,
    date: &'a Column,
    amount: AmountSource<'a>,
    invoice: Option<&'a Column>,
    buf: String,
    /// The date column's days and the amount column's values when they are stored that way
    /// (the usual case): read directly instead of through a `Value` per cell.
    days: Option<&'a [i32]>,
    amounts: Option<&'a [f64]>,
}

fn numeric<'a>(ds: &'a Dataset, name: &str, option: &str) -> Result<&'a Column> {
    let c = ds.column(name)?;
    if matches!(c.dtype(), DataType::Int64 | DataType::Float64) {
        Ok(c)
    } else {
        Err(CrmError::invalid_option(option, format!("column `{name}` is {:?}; a numeric column is needed", c.dtype())))
    }
}

fn number(v: Value<'_>) -> Option<f64> {
    match v {
        Value::Int(v) => Some(v as f64),
        Value::Float(v) => Some(v),
        _ => None,
    }
}

impl<'a> TxnReader<'a> {
    pub(crate) fn new(ds: &'a Dataset, cols: &TransactionColumns<'_>) -> Result<Self> {
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
        let amount = match (cols.amount, cols.quantity, cols.price) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                return Err(CrmError::invalid_option(
                    "amount",
                    "give either `amount` or `quantity` and `price`, not both",
                ))
            }
            (Some(a), None, None) => AmountSource::Column(numeric(ds, a, "amount")?),
            (None, Some(q), Some(p)) => AmountSource::Product(numeric(ds, q, "quantity")?, numeric(ds, p, "price")?),
            (None, Some(_), None) | (None, None, Some(_)) => {
                return Err(CrmError::invalid_option("price", "`quantity` and `price` go together"))
            }
            (None, None, None) => AmountSource::None,
        };
        let invoice = cols.invoice.map(|name| ds.column(name)).transpose()?;
        let days = match &date.data {
            ColumnData::Date(d) => Some(d.as_slice()),
            _ => None,
        };
        let amounts = match amount {
            AmountSource::Column(Column { data: ColumnData::Float64(v), .. }) => Some(v.as_slice()),
            _ => None,
        };
        Ok(TxnReader { customer, date, amount, invoice, buf: String::new(), days, amounts })
    }

    fn amount_of(&self, row: usize) -> Option<f64> {
        match self.amount {
            AmountSource::None => Some(0.0),
            AmountSource::Column(c) => number(c.get(row)),
            AmountSource::Product(q, p) => number(q.get(row)).zip(number(p.get(row))).map(|(q, p)| q * p),
        }
    }

    pub(crate) fn read(&mut self, row: usize) -> Txn<'_> {
        if let Some(inv) = self.invoice {
            let cancelled = match inv.get(row) {
                Value::Str(s) => s.starts_with(['C', 'c']),
                _ => false,
            };
            if cancelled {
                return Txn::Skipped(SkipReason::Cancelled);
            }
        }
        let day = match self.days {
            Some(d) if self.date.validity.is_valid(row) => d[row],
            _ => match self.date.get(row) {
                Value::Null => return Txn::Skipped(SkipReason::MissingDate),
                Value::Date(d) => d,
                Value::Datetime(ms) | Value::DatetimeUtc(ms) => ms.div_euclid(MS_PER_DAY) as i32,
                Value::Str(s) => match parse_day(s) {
                    Some(d) => d,
                    None => return Txn::Skipped(SkipReason::InvalidDate),
                },
                _ => return Txn::Skipped(SkipReason::InvalidDate),
            },
        };
        let amount = match (self.amounts, &self.amount) {
            (Some(v), AmountSource::Column(c)) if c.validity.is_valid(row) => Some(v[row]),
            _ => self.amount_of(row),
        };
        let amount = match amount {
            None => return Txn::Skipped(SkipReason::MissingAmount),
            Some(a) if !a.is_finite() => return Txn::Skipped(SkipReason::NonFiniteAmount),
            Some(a) if a < 0.0 => return Txn::Skipped(SkipReason::NegativeAmount),
            Some(a) => a,
        };
        let customer = self.customer.get(row);
        if let Value::Int(id) = customer {
            return Txn::PurchaseInt(id, day, amount);
        }
        match customer.text_in(&mut self.buf) {
            None => Txn::Skipped(SkipReason::MissingCustomer),
            Some(id) => Txn::Purchase(id, day, amount),
        }
    }
}

/// The summary of `ds` (see [`super::summary`]); `report` says how many rows were used and
/// why the others were not.
pub fn summarize_dataset(
    ds: &Dataset,
    cols: &TransactionColumns<'_>,
    opts: &SummaryOptions,
) -> Result<CustomerSummary> {
    summary_builder(ds, cols)?.finish(opts)
}

/// Every row of `ds` pushed into a [`SummaryBuilder`] (the state behind the summary and the
/// cohorts).
pub fn summary_builder(ds: &Dataset, cols: &TransactionColumns<'_>) -> Result<SummaryBuilder> {
    crate::task::run(summary_builder_async(ds, cols, &mut Ctl::none()))
}

/// [`summary_builder`] as long work: progress `rows` every 65,536 rows.
pub async fn summary_builder_async(
    ds: &Dataset,
    cols: &TransactionColumns<'_>,
    ctl: &mut Ctl<'_>,
) -> Result<SummaryBuilder> {
    let mut reader = TxnReader::new(ds, cols)?;
    let mut b = SummaryBuilder::new();
    b.reserve(ds.num_rows());
    let total = ds.num_rows() as u64;
    for row in 0..ds.num_rows() {
        if row % 65_536 == 0 {
            ctl.tick("rows", row as u64, total).await?;
        }
        match reader.read(row) {
            Txn::Purchase(id, day, amount) => b.push(Some(id), Some(day), Some(amount)),
            Txn::PurchaseInt(id, day, amount) => b.push_int_id(id, day, amount),
            Txn::Skipped(reason) => b.push_skipped(reason),
        }
    }
    Ok(b)
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
