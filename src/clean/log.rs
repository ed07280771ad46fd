//! The change log of `clean`: every change with its row, column, before, after and rule,
//! and exact counts per rule and column even when the list is capped.

use serde::Serialize;

/// One change. `row` is the row's index in the input table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub row: u64,
    /// Null for whole-row changes (a dropped row).
    #[cfg_attr(feature = "ts", tsify(type = "string | null"))]
    pub column: Option<String>,
    #[cfg_attr(feature = "ts", tsify(type = "string | null"))]
    pub before: Option<String>,
    #[cfg_attr(feature = "ts", tsify(type = "string | null"))]
    pub after: Option<String>,
    /// `trim`, `case`, `standardizeEmail`, `standardizePhone`, `convert`, `fill`,
    /// `flagOutlier`, `dropOutlier`, `dropDuplicate`, `dropFuzzyDuplicate`.
    pub rule: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct RuleCount {
    pub rule: String,
    #[cfg_attr(feature = "ts", tsify(type = "string | null"))]
    pub column: Option<String>,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct CleanLog {
    pub rows_in: u64,
    pub rows_out: u64,
    /// Changes in the order they were made (first `maxLog` of them).
    pub changes: Vec<Change>,
    /// Exact counts per rule and column.
    pub counts: Vec<RuleCount>,
    /// True when `changes` was capped at `maxLog`.
    pub truncated: bool,
    /// Notes on what was not done and why (e.g. blocks too large to compare).
    pub notes: Vec<String>,
}

impl CleanLog {
    pub fn record(
        &mut self,
        max: usize,
        row: usize,
        column: Option<&str>,
        before: Option<String>,
        after: Option<String>,
        rule: &str,
    ) {
        match self.counts.iter_mut().find(|c| c.rule == rule && c.column.as_deref() == column) {
            Some(c) => c.count += 1,
            None => self.counts.push(RuleCount { rule: rule.into(), column: column.map(str::to_string), count: 1 }),
        }
        if self.changes.len() < max {
            self.changes.push(Change {
                row: row as u64,
                column: column.map(str::to_string),
                before,
                after,
                rule: rule.into(),
            });
        } else {
            self.truncated = true;
        }
    }
}
