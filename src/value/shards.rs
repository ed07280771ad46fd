//! `customerValue` over a table held in shards (`CrmlensPool`): each shard's rows read into a
//! [`SummaryBuilder`] where the shard is, shipped as its bytes (`SUMB`, `table::wire`), merged
//! in table order and fitted once. Merging in order gives the builder one reading of the
//! whole table makes, so the result equals `customer_value` on the whole table.

use super::customer_value::{customer_value_from_builder, CustomerValue, CustomerValueOptions};
use super::summary::SummaryBuilder;
use super::transactions::{summary_builder, TransactionColumns};
use crate::error::Result;
use crate::table::Dataset;

/// One shard's transaction rows as summary-builder bytes, read with `opts`' columns.
pub fn customer_summary_bytes(ds: &Dataset, opts: &CustomerValueOptions) -> Result<Vec<u8>> {
    let cols = TransactionColumns {
        customer: &opts.customer,
        date: &opts.date,
        amount: opts.amount.as_deref(),
        quantity: opts.quantity.as_deref(),
        price: opts.price.as_deref(),
        invoice: opts.invoice.as_deref(),
    };
    Ok(summary_builder(ds, &cols)?.to_bytes())
}

/// The customer value of every shard's builder bytes (in table order), merged.
pub fn customer_value_of_states<'a>(
    states: impl IntoIterator<Item = &'a [u8]>,
    opts: &CustomerValueOptions,
) -> Result<CustomerValue> {
    let mut all = SummaryBuilder::new();
    for b in states {
        all.merge(SummaryBuilder::from_bytes(b)?);
    }
    customer_value_from_builder(&all, opts)
}
