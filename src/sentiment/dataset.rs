//! `sentiment` over a Dataset: the text column (and customer column) resolved by name.

use super::analyze::{sentiment_async, SentimentResult};
use super::options::{CustomerKey, SentimentOptions};
use crate::error::{CrmError, Result};
use crate::table::{Column, Dataset, Value};
use crate::task::Ctl;

/// Row values of a column as text (`None` for nulls; numbers and dates formatted).
fn texts_of(col: &Column) -> Vec<Option<std::borrow::Cow<'_, str>>> {
    (0..col.len())
        .map(|i| match col.get(i) {
            Value::Null => None,
            Value::Str(s) => Some(std::borrow::Cow::Borrowed(s)),
            other => other.to_text().map(std::borrow::Cow::Owned),
        })
        .collect()
}

/// The text column named by `column` (required) as optional strings.
pub fn text_column<'a>(ds: &'a Dataset, column: Option<&str>) -> Result<Vec<Option<std::borrow::Cow<'a, str>>>> {
    let name =
        column.ok_or_else(|| CrmError::invalid_option("column", "name the text column: { column: \"feedback\" }"))?;
    Ok(texts_of(ds.column(name)?))
}

/// Scores `options.column` of the dataset; `options.customer` (a column name) for the roll-up.
pub fn sentiment_of_dataset(ds: &Dataset, options: &SentimentOptions) -> Result<SentimentResult> {
    crate::task::run(sentiment_of_dataset_async(ds, options, &mut Ctl::none()))
}

/// [`sentiment_of_dataset`] as long work (see [`super::analyze::sentiment_async`]).
pub async fn sentiment_of_dataset_async(
    ds: &Dataset,
    options: &SentimentOptions,
    ctl: &mut Ctl<'_>,
) -> Result<SentimentResult> {
    let texts = text_column(ds, options.column.as_deref())?;
    let refs: Vec<Option<&str>> = texts.iter().map(|t| t.as_deref()).collect();
    let ids: Option<Vec<Option<String>>> = match &options.customer {
        None => None,
        Some(CustomerKey::Column(c)) => {
            Some(texts_of(ds.column(c)?).into_iter().map(|t| t.map(|t| t.into_owned())).collect())
        }
        Some(CustomerKey::Ids(_)) => {
            return Err(CrmError::invalid_option("customer", "with a Dataset, `customer` is the name of a column"))
        }
    };
    sentiment_async(&refs, ids.as_deref(), options, ctl).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_customer_columns() {
        let ds = crate::io::read_csv_str("id,feedback\n1,Great product!\n2,\n1,awful support\n", Default::default())
            .unwrap();
        let o = SentimentOptions {
            column: Some("feedback".into()),
            customer: Some(CustomerKey::Column("id".into())),
            ..Default::default()
        };
        let r = sentiment_of_dataset(&ds, &o).unwrap();
        assert_eq!(r.summary.texts, 3);
        assert_eq!(r.summary.missing, 1);
        let c = r.customers.unwrap();
        assert_eq!(c.customer, vec!["1", "2"]);
        assert_eq!(c.texts, vec![2, 0]);
        let bad = SentimentOptions { column: Some("nope".into()), ..Default::default() };
        assert_eq!(sentiment_of_dataset(&ds, &bad).unwrap_err().code(), "UNKNOWN_COLUMN");
        assert_eq!(sentiment_of_dataset(&ds, &SentimentOptions::default()).unwrap_err().code(), "INVALID_OPTION");
    }
}
