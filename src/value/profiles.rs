//! `customerProfiles`: the per-customer record of attributes, preferences and behaviour —
//! the customer value table joined with other per-customer tables (an attribute export from
//! the CRM, later sentiment and segment columns) by customer id. One row per customer of the
//! value table (a left join); every id that does not match, on either side, is counted and
//! reported, never silently dropped.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::error::{CrmError, Result};
use crate::table::{Column, Dataset, Role};

/// Options of one join (column names are the user's).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct JoinOptions {
    /// Id column of the customer table (default: its first column).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub key: Option<String>,
    /// Id column of the joined table (default: a column named like `key`, else its first
    /// column with the `id` role, else its first column).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub other_key: Option<String>,
    /// Prefix for the joined columns (default none; a name already taken gets `_2`, `_3`…).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub prefix: Option<String>,
}

/// How many ids matched and which did not. Ids are compared as text (`17850` and `"17850"`
/// match; `17850.0` reads as `17850`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct JoinReport {
    pub key: String,
    pub other_key: String,
    /// Rows of the customer table (= rows of the result).
    pub customers: usize,
    pub matched: usize,
    /// Customers with no row in the joined table (their joined columns are null).
    pub unmatched_customers: usize,
    /// Rows of the joined table whose id is not a customer of the value table.
    pub unmatched_rows: usize,
    /// Rows of the joined table with a null id.
    pub rows_without_id: usize,
    /// Rows of the joined table repeating an id already seen (the first row is used).
    pub duplicate_rows: usize,
    /// Customers of the value table with a null id (never matched).
    pub customers_without_id: usize,
    /// Up to 20 examples of each kind of unmatched id.
    pub unmatched_customer_examples: Vec<String>,
    pub unmatched_row_examples: Vec<String>,
    /// Joined columns renamed to stay unique: `[from, to]`.
    pub renamed: Vec<[String; 2]>,
}

const EXAMPLES: usize = 20;

fn pick_key<'a>(ds: &'a Dataset, wanted: Option<&str>, like: Option<&str>, option: &str) -> Result<&'a Column> {
    if let Some(name) = wanted {
        return ds.column(name).map_err(|_| {
            CrmError::invalid_option(option, format!("no column `{name}`; columns are {:?}", ds.column_names()))
        });
    }
    let cols = ds.columns();
    like.and_then(|l| cols.iter().find(|c| c.name == l))
        .or_else(|| cols.iter().find(|c| c.role == Some(Role::Id)))
        .or_else(|| cols.first())
        .ok_or_else(|| CrmError::empty("the table has no columns"))
}

/// Left-joins `other`'s columns onto `customers` by id.
pub fn join_customers(customers: &Dataset, other: &Dataset, opts: &JoinOptions) -> Result<(Dataset, JoinReport)> {
    let key = pick_key(customers, opts.key.as_deref(), None, "key")?;
    let other_key = pick_key(other, opts.other_key.as_deref(), Some(&key.name), "otherKey")?;
    let mut report = JoinReport {
        key: key.name.clone(),
        other_key: other_key.name.clone(),
        customers: customers.num_rows(),
        ..Default::default()
    };
    // First row of `other` per id.
    let mut first: FxHashMap<String, usize> = FxHashMap::default();
    let mut buf = String::new();
    for row in 0..other.num_rows() {
        match other_key.get(row).text_in(&mut buf) {
            None => report.rows_without_id += 1,
            Some(id) => {
                if first.contains_key(id) {
                    report.duplicate_rows += 1;
                } else {
                    first.insert(id.to_string(), row);
                }
            }
        }
    }
    let mut used = vec![false; other.num_rows()];
    let mut rows = Vec::with_capacity(customers.num_rows());
    for row in 0..customers.num_rows() {
        let hit = match key.get(row).text_in(&mut buf) {
            None => {
                report.customers_without_id += 1;
                None
            }
            Some(id) => {
                let hit = first.get(id).copied();
                if hit.is_none() && report.unmatched_customer_examples.len() < EXAMPLES {
                    report.unmatched_customer_examples.push(id.to_string());
                }
                hit
            }
        };
        match hit {
            Some(r) => {
                report.matched += 1;
                used[r] = true;
            }
            None => report.unmatched_customers += 1,
        }
        rows.push(hit);
    }
    let mut unmatched: Vec<(usize, &String)> =
        first.iter().filter(|(_, &r)| !used[r]).map(|(id, &r)| (r, id)).collect();
    crate::sort::ord(&mut unmatched);
    report.unmatched_rows = unmatched.len();
    report.unmatched_row_examples = unmatched.iter().take(EXAMPLES).map(|(_, id)| (*id).clone()).collect();

    let mut columns: Vec<Column> = customers.columns().to_vec();
    let prefix = opts.prefix.as_deref().unwrap_or("");
    for c in other.columns() {
        if c.name == other_key.name {
            continue;
        }
        let mut t = c.take(&rows);
        let wanted = format!("{prefix}{}", c.name);
        let mut name = wanted.clone();
        let mut k = 2;
        while columns.iter().any(|c| c.name == name) {
            name = format!("{wanted}_{k}");
            k += 1;
        }
        if name != c.name {
            report.renamed.push([c.name.clone(), name.clone()]);
        }
        t.name = name;
        columns.push(t);
    }
    Ok((Dataset::new(columns)?, report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::read_csv_str;
    use crate::table::Value;

    #[test]
    fn left_join_reports_every_unmatched_id() {
        let values = read_csv_str("customer,clv\n7,10.5\n8,3\n9,1\n,0\n", Default::default()).unwrap();
        let attrs =
            read_csv_str("id,city,clv\n8,Paris,x\n7,Oslo,y\n8,Rome,z\n42,Lima,w\n,Nowhere,v\n", Default::default())
                .unwrap();
        let (ds, r) =
            join_customers(&values, &attrs, &JoinOptions { other_key: Some("id".into()), ..Default::default() })
                .unwrap();
        assert_eq!(ds.num_rows(), 4);
        assert_eq!(ds.column_names(), vec!["customer", "clv", "city", "clv_2"]);
        assert_eq!(ds.column("city").unwrap().get(0), Value::Str("Oslo"));
        assert_eq!(ds.column("city").unwrap().get(1), Value::Str("Paris")); // first row of id 8
        assert_eq!(ds.column("city").unwrap().get(2), Value::Null);
        assert_eq!((r.matched, r.unmatched_customers, r.customers_without_id), (2, 2, 1));
        assert_eq!((r.unmatched_rows, r.duplicate_rows, r.rows_without_id), (1, 1, 1));
        assert_eq!(r.unmatched_customer_examples, vec!["9"]);
        assert_eq!(r.unmatched_row_examples, vec!["42"]);
        assert_eq!(r.renamed, vec![["clv".to_string(), "clv_2".to_string()]]);
        let e = join_customers(&values, &attrs, &JoinOptions { other_key: Some("nope".into()), ..Default::default() });
        assert_eq!(e.unwrap_err().code(), "INVALID_OPTION");
    }
}
