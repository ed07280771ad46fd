//! The JSON shapes of rules, options, counts and the snapshot (serde, camelCase; unknown
//! keys are errors except in `then`, which carries whatever the host needs).

use serde::{Deserialize, Serialize};

/// A rule's condition: expression text, or a JSON Logic object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum When {
    Expr(String),
    Logic(serde_json::Value),
}

/// What a matching rule asks for. `action` and `priority` are read; any other key
/// (`channel`, `owner`, `template`, …) is kept as it is for the host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Then {
    pub action: String,
    /// Lower is more urgent (default 0).
    #[serde(default)]
    pub priority: i64,
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// One business rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rule {
    /// Unique within a rule list; keys the snapshot.
    pub id: String,
    pub when: When,
    pub then: Then,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// When a matching row becomes an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Trigger {
    /// Only on a change: not matching → matching (`new`), and matching → not (`resolved`).
    #[default]
    Change,
    /// Every matching row (`new` or `continuing`), plus the `resolved` ones.
    Always,
}

/// Options of `rules(customers, ruleList, options)`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RulesOptions {
    /// Column identifying a customer (default: the first column whose role is `id`, else the
    /// row number, 1-based).
    pub key: Option<String>,
    /// The day date functions are relative to, `YYYY-MM-DD` (required by `days_since` & co.).
    pub as_of: Option<String>,
    /// The previous run's snapshot, for `new` / `continuing` / `resolved`.
    pub previous: Option<Snapshot>,
    pub trigger: Trigger,
    /// Most events returned (default 1,000,000); the counts are exact regardless and
    /// `eventsTruncated` says when events were left out.
    pub max_events: Option<usize>,
    /// What the event list carries (`{ values: 'read' | 'none' }`).
    pub events: EventsOptions,
    /// Not an option of the JSON form: the snapshot's keys left out of `snapshot.rules[i].keys`
    /// and joined into [`super::RulesResult::joined_keys`] instead (the rules module hands them
    /// to JS as one string: one `String` per key was most of a large snapshot's cost).
    #[serde(skip)]
    pub join_keys: bool,
    /// Not an option of the JSON form: the events written as dataset bytes into
    /// [`super::RulesResult::events_bytes`] (`events` is then an empty Dataset), without
    /// making the events' Dataset (the rules module calls `rules_bytes`, which always does).
    #[serde(skip)]
    pub events_as_bytes: bool,
}

/// `events` option of `rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct EventsOptions {
    pub values: EventValues,
    /// Whether the events carry `reason`, the values the rule read as one text (default
    /// true). `false` leaves the column out: writing a million of those texts is a large
    /// share of a large run's time.
    pub reason: bool,
}

impl Default for EventsOptions {
    fn default() -> Self {
        EventsOptions { values: EventValues::Read, reason: true }
    }
}

/// Whether the events carry the values the rules read as typed columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EventValues {
    /// One typed column per column any rule read, after `reason` (the default).
    #[default]
    Read,
    /// No value columns: the fixed columns only (`reason` still says what was read). A large
    /// run hands much less over (10^6 events over 20 rules: 7 columns instead of 21).
    None,
}

/// Per rule: how its rows came out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleCounts {
    pub rule: String,
    /// Rows where the condition is true.
    pub matched: usize,
    /// Matched rows whose key did not match in the previous run (all of them without one).
    pub new: usize,
    /// Matched rows whose key matched in the previous run too.
    pub continuing: usize,
    /// Keys that matched in the previous run and do not now (false, or gone from the table).
    pub resolved: usize,
    /// Rows where the condition could not be decided (missing values): not matched, and a
    /// key that matched before keeps its state (not resolved, still in the snapshot).
    pub undecided: usize,
    /// Events returned for this rule (after the trigger and `maxEvents`).
    pub events: usize,
}

/// What the next run needs to tell `new` from `continuing`: per rule, the keys that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Snapshot {
    /// Format version (1).
    pub version: u32,
    /// The key column the keys come from (`""` for row numbers).
    pub key: String,
    pub as_of: Option<String>,
    pub rules: Vec<RuleSnapshot>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleSnapshot {
    pub id: String,
    /// Hash of the rule's condition: a changed condition is reported in `warnings`.
    pub fingerprint: String,
    /// Keys that matched (or, undecided this run, matched before), in row order.
    pub keys: Vec<String>,
}

pub const SNAPSHOT_VERSION: u32 = 1;
