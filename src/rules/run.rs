//! `rules(customers, ruleList, options)`: every rule compiled first (so a bad rule fails the
//! call before any work), then evaluated rule by rule over the whole table; matched keys are
//! compared with the previous snapshot into `new` / `continuing` / `resolved`, and the events
//! the trigger asks for become a Dataset.

use rustc_hash::{FxHashMap, FxHashSet};

use super::compiled::{compile, parse_as_of, Compiled};
use super::events::{build_events, events_bytes, Event, Status};
use super::options::{Rule, RuleCounts, RuleSnapshot, RulesOptions, Snapshot, Trigger, SNAPSHOT_VERSION};
use super::plan::{TRUE, UNKNOWN};
use crate::error::{CrmError, Result};
use crate::table::{Column, ColumnData, Dataset, Role, StrVec};
use crate::task::{Ctl, Work};

/// Most rules in one call.
pub const MAX_RULES: usize = 10_000;
/// Default `maxEvents`.
pub const DEFAULT_MAX_EVENTS: usize = 1_000_000;

/// What `rules` returns.
#[derive(Debug, Clone)]
pub struct RulesResult {
    /// One row per event: rule, key, action, priority, status, row, reason, and the values of
    /// the columns the rules read.
    pub events: Dataset,
    /// Per rule, in the order given.
    pub counts: Vec<RuleCounts>,
    /// State for the next run's `previous`.
    pub snapshot: Snapshot,
    /// True when `maxEvents` cut the event list (the counts are exact regardless).
    pub events_truncated: bool,
    /// Things the caller should know (duplicate keys, rules changed since the snapshot, …).
    pub warnings: Vec<String>,
    /// With the option `join_keys`: every rule's snapshot keys in one string, in rule order.
    pub joined_keys: Option<JoinedKeys>,
    /// With the option `events_as_bytes`: the events as dataset bytes (`events` is empty).
    pub events_bytes: Option<Vec<u8>>,
}

/// The snapshot's keys as one string: `ends[i]` is the end of key `i` in UTF-16 units (as JS
/// counts), `counts[r]` the number of keys of rule `r`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JoinedKeys {
    pub text: String,
    pub ends: Vec<u32>,
    pub counts: Vec<usize>,
}

impl JoinedKeys {
    /// Appends one rule's keys; a JS string holds at most 2^29-24 units, so past u32 it is an
    /// error.
    pub fn push_rule<'a>(&mut self, keys: impl IntoIterator<Item = &'a str>) -> Result<()> {
        let mut end = self.ends.last().copied().unwrap_or(0) as u64;
        let mut n = 0;
        for k in keys {
            self.text.push_str(k);
            end += if k.is_ascii() { k.len() } else { k.encode_utf16().count() } as u64;
            self.ends.push(
                u32::try_from(end)
                    .map_err(|_| CrmError::too_large("snapshot", "the snapshot's keys exceed a JS string"))?,
            );
            n += 1;
        }
        self.counts.push(n);
        Ok(())
    }
}

/// The fingerprint of a condition (hash of its JSON form).
pub fn fingerprint(rule: &Rule) -> String {
    let text = serde_json::to_string(&rule.when).unwrap_or_default();
    format!("{:016x}", crate::table::hash::hash_bytes(text.as_bytes()))
}

fn check_rules(rules: &[Rule]) -> Result<()> {
    if rules.len() > MAX_RULES {
        return Err(CrmError::too_large("rules", format!("{} rules; at most {MAX_RULES} per call", rules.len())));
    }
    let mut seen = FxHashSet::default();
    for (i, r) in rules.iter().enumerate() {
        if r.id.trim().is_empty() {
            return Err(CrmError::invalid_option(format!("rules[{i}].id"), "every rule needs a non-empty `id`"));
        }
        if r.id.len() > 256 {
            return Err(CrmError::invalid_option(format!("rules[{i}].id"), "a rule id may have at most 256 bytes"));
        }
        if !seen.insert(r.id.as_str()) {
            return Err(CrmError::invalid_option(format!("rules[{i}].id"), format!("duplicate rule id `{}`", r.id)));
        }
    }
    Ok(())
}

/// The key column's index (or `None` for row numbers) and the key of every row.
fn keys(ds: &Dataset, opts: &RulesOptions) -> Result<(Option<usize>, StrVec, usize)> {
    let cols = ds.columns();
    let idx = match &opts.key {
        Some(k) => Some(cols.iter().position(|c| &c.name == k).ok_or_else(|| {
            let hint = super::diag::closest(k, cols.iter().map(|c| c.name.as_str()))
                .map(|c| format!(" — did you mean `{c}`?"))
                .unwrap_or_default();
            CrmError::invalid_option("key", format!("unknown column `{}`{hint}", super::diag::short(k)))
        })?),
        None => cols.iter().position(|c| c.role == Some(Role::Id)),
    };
    let n = ds.num_rows();
    let mut out = StrVec::with_capacity(n, n * 8);
    let mut missing = 0;
    let mut buf = String::new();
    // An integer key column (the common case) is written without `fmt`.
    if let Some(c @ Column { data: ColumnData::Int64(v), .. }) = idx.map(|c| &cols[c]) {
        let mut b = itoa::Buffer::new();
        for (i, &x) in v.iter().enumerate() {
            if c.validity.is_valid(i) {
                out.push(b.format(x));
            } else {
                missing += 1;
                out.push("");
            }
        }
        return Ok((idx, out, missing));
    }
    let mut b = itoa::Buffer::new();
    for i in 0..n {
        buf.clear();
        match idx {
            Some(c) => {
                if !super::text::push_cell(&mut buf, &cols[c], i) {
                    missing += 1;
                }
            }
            None => buf.push_str(b.format(i + 1)),
        }
        out.push(&buf);
    }
    Ok((idx, out, missing))
}

/// Rows of an integer key column whose key repeats an earlier row's (missing keys are all
/// the key `""`); `None` for another type.
fn int_key_repeats(c: &Column) -> Option<usize> {
    let ColumnData::Int64(v) = &c.data else { return None };
    let mut ks: Vec<u64> =
        v.iter().enumerate().filter(|&(i, _)| c.validity.is_valid(i)).map(|(_, &x)| x as u64 ^ (1 << 63)).collect();
    let missing = v.len() - ks.len();
    crate::sort::radix_u64(&mut ks);
    let distinct =
        ks.windows(2).filter(|w| w[0] != w[1]).count() + usize::from(!ks.is_empty()) + usize::from(missing > 0);
    Some(v.len() - distinct)
}

/// Runs `rules` over `ds`. One boxed future (as `association_rules_async`): the synchronous
/// [`rules`] and the rules module's `runAsync` poll the same code, where an `async fn`
/// was inlined into each of them (~10 KB of wasm twice).
#[inline(never)]
pub fn rules_async<'a>(
    ds: &'a Dataset,
    rules: &'a [Rule],
    opts: &'a RulesOptions,
    ctl: &'a mut Ctl<'_>,
) -> Work<'a, RulesResult> {
    Box::pin(rules_inner(ds, rules, opts, ctl, either_events))
}

/// [`rules_async`] with the events always as dataset bytes (`events_bytes`; `events` is
/// empty), whatever `events_as_bytes` says: the rules module's entry, which then does not link
/// the events' Dataset builder ([`build_events`], `Column::take`, `to_bytes_fast`).
#[inline(never)]
pub fn rules_bytes_async<'a>(
    ds: &'a Dataset,
    rules: &'a [Rule],
    opts: &'a RulesOptions,
    ctl: &'a mut Ctl<'_>,
) -> Work<'a, RulesResult> {
    Box::pin(rules_inner(ds, rules, opts, ctl, bytes_events))
}

/// What the run hands to the events' writer.
struct EventsIn<'r> {
    ds: &'r Dataset,
    rules: &'r [Rule],
    compiled: &'r [Compiled],
    events: &'r [Event],
    keys: &'r StrVec,
    gone: &'r [String],
    opts: &'r RulesOptions,
}

/// The events' Dataset, or (empty Dataset, the bytes).
type EventsOut = Result<(Dataset, Option<Vec<u8>>)>;

/// The events as a Dataset, or as bytes with `events_as_bytes`.
fn either_events(e: EventsIn) -> EventsOut {
    if e.opts.events_as_bytes {
        return bytes_events(e);
    }
    Ok((build_events(e.ds, e.rules, e.compiled, e.events, e.keys, e.gone, e.opts.events)?, None))
}

fn bytes_events(e: EventsIn) -> EventsOut {
    let b = events_bytes(e.ds, e.rules, e.compiled, e.events, e.keys, e.gone, e.opts.events)?;
    Ok((Dataset::default(), Some(b)))
}

async fn rules_inner(
    ds: &Dataset,
    rules: &[Rule],
    opts: &RulesOptions,
    ctl: &mut Ctl<'_>,
    write_events: fn(EventsIn) -> EventsOut,
) -> Result<RulesResult> {
    check_rules(rules)?;
    let as_of = opts.as_of.as_deref().map(parse_as_of).transpose()?;
    let (key_col, keys, missing_keys) = keys(ds, opts)?;
    let compiled: Vec<Compiled> =
        rules.iter().map(|r| compile(ds, &r.id, &r.when, as_of, true)).collect::<Result<_>>()?;
    let key_name = key_col.map(|c| ds.columns()[c].name.clone()).unwrap_or_default();
    let mut warnings = Vec::new();
    if missing_keys > 0 {
        warnings.push(format!("{missing_keys} rows have no key (missing `{key_name}`): their key is \"\""));
    }
    let prev = opts.previous.as_ref();
    if let Some(p) = prev {
        if p.version != SNAPSHOT_VERSION {
            return Err(CrmError::invalid_option(
                "previous",
                format!("snapshot version {} is not supported (expected {SNAPSHOT_VERSION})", p.version),
            ));
        }
        if p.key != key_name {
            return Err(CrmError::invalid_option(
                "previous",
                format!("the snapshot was keyed by `{}`, this run by `{key_name}`: use the same `key`", p.key),
            ));
        }
    }
    // Row of each key (first occurrence): previous keys are looked up in it, and it tells
    // whether keys repeat. Without a previous snapshot only the repeats are needed: row
    // numbers never repeat, and integer keys are counted by sorting (faster than hashing
    // 10^6 texts).
    let mut row_of: FxHashMap<&str, u32> = FxHashMap::default();
    let quick = match (prev, key_col) {
        (Some(_), _) => None,
        (None, None) => Some(0),
        (None, Some(c)) => int_key_repeats(&ds.columns()[c]),
    };
    let dup = match quick {
        Some(d) => d,
        None => {
            row_of.reserve(keys.len());
            (0..keys.len()).filter(|&i| row_of.insert(keys.get(i), i as u32).is_some()).count()
        }
    };
    if dup > 0 {
        warnings.push(format!("{dup} rows repeat a key of an earlier row: keys should be unique"));
    }
    let max_events = opts.max_events.unwrap_or(DEFAULT_MAX_EVENTS);
    let mut events: Vec<Event> = Vec::new();
    let mut gone: Vec<String> = Vec::new();
    let mut truncated = false;
    let mut counts = Vec::with_capacity(rules.len());
    let mut snap_rules = Vec::with_capacity(rules.len());
    let mut joined = opts.join_keys.then(JoinedKeys::default);

    for (ri, (rule, plan)) in rules.iter().zip(&compiled).enumerate() {
        let tri = plan.evaluate(ds, ctl).await?;
        let fp = fingerprint(rule);
        let before = prev.and_then(|p| p.rules.iter().find(|r| r.id == rule.id));
        if let Some(b) = before {
            if b.fingerprint != fp {
                warnings.push(format!(
                    "rule `{}` changed since the previous run: keys it matched then count as continuing",
                    rule.id
                ));
            }
        }
        let mut c = RuleCounts {
            rule: rule.id.clone(),
            matched: 0,
            new: 0,
            continuing: 0,
            resolved: 0,
            undecided: 0,
            events: 0,
        };
        let mut push = |e: Event, c: &mut RuleCounts, events: &mut Vec<Event>| {
            if events.len() < max_events {
                events.push(e);
                c.events += 1;
            } else {
                truncated = true;
            }
        };
        // Which rows matched last time (by key), and the previous keys gone from the table.
        let mut was: Vec<bool> = Vec::new();
        let mut gone_now: Vec<&str> = Vec::new();
        if let Some(b) = before {
            was = vec![false; keys.len()];
            if dup == 0 {
                for k in &b.keys {
                    match row_of.get(k.as_str()) {
                        Some(&r) => was[r as usize] = true,
                        None => gone_now.push(k),
                    }
                }
            } else {
                let set: FxHashSet<&str> = b.keys.iter().map(String::as_str).collect();
                for (row, w) in was.iter_mut().enumerate() {
                    *w = set.contains(keys.get(row));
                }
                gone_now = b.keys.iter().map(String::as_str).filter(|k| !row_of.contains_key(k)).collect();
            }
        }
        let mut snap: Vec<&str> = Vec::new();
        for (row, &v) in tri.iter().enumerate() {
            let before_here = was.get(row).copied().unwrap_or(false);
            if v == TRUE {
                c.matched += 1;
                let status = if before_here { Status::Continuing } else { Status::New };
                match status {
                    Status::New => c.new += 1,
                    _ => c.continuing += 1,
                }
                snap.push(keys.get(row));
                if status == Status::New || opts.trigger == Trigger::Always {
                    push(Event { rule: ri as u32, row: Some(row as u32), gone: None, status }, &mut c, &mut events);
                }
            } else if v == UNKNOWN {
                c.undecided += 1;
                if before_here {
                    snap.push(keys.get(row));
                }
            } else if before_here && dup == 0 {
                c.resolved += 1;
                push(
                    Event { rule: ri as u32, row: Some(row as u32), gone: None, status: Status::Resolved },
                    &mut c,
                    &mut events,
                );
            }
        }
        if dup > 0 {
            // Repeated keys: a key is resolved when none of its rows matches or is undecided.
            if let Some(b) = before {
                let alive: FxHashSet<&str> = snap.iter().copied().collect();
                for k in &b.keys {
                    if let (Some(&r), false) = (row_of.get(k.as_str()), alive.contains(k.as_str())) {
                        c.resolved += 1;
                        push(
                            Event { rule: ri as u32, row: Some(r), gone: None, status: Status::Resolved },
                            &mut c,
                            &mut events,
                        );
                    }
                }
            }
        }
        for k in gone_now {
            c.resolved += 1;
            gone.push(k.to_string());
            let g = Some(gone.len() as u32 - 1);
            push(Event { rule: ri as u32, row: None, gone: g, status: Status::Resolved }, &mut c, &mut events);
        }
        if dup > 0 {
            let mut seen = FxHashSet::default();
            snap.retain(|k| seen.insert(*k));
        }
        let keys_now: Vec<String> = match joined.as_mut() {
            Some(j) => {
                j.push_rule(snap)?;
                Vec::new()
            }
            None => snap.into_iter().map(str::to_string).collect(),
        };
        snap_rules.push(RuleSnapshot { id: rule.id.clone(), fingerprint: fp, keys: keys_now });
        counts.push(c);
        ctl.phase("rules", ri as u64 + 1, rules.len() as u64).await?;
    }
    let (events, events_bytes) =
        write_events(EventsIn { ds, rules, compiled: &compiled, events: &events, keys: &keys, gone: &gone, opts })?;
    let snapshot = Snapshot { version: SNAPSHOT_VERSION, key: key_name, as_of: opts.as_of.clone(), rules: snap_rules };
    Ok(RulesResult {
        events,
        counts,
        snapshot,
        events_truncated: truncated,
        warnings,
        joined_keys: joined,
        events_bytes,
    })
}

/// [`rules_bytes_async`] without a host.
pub fn rules_bytes(ds: &Dataset, rules: &[Rule], opts: &RulesOptions) -> Result<RulesResult> {
    crate::task::run(rules_bytes_async(ds, rules, opts, &mut Ctl::none()))
}

/// [`rules_async`] without a host (synchronous callers, small inputs).
pub fn rules(ds: &Dataset, rules: &[Rule], opts: &RulesOptions) -> Result<RulesResult> {
    crate::task::run(rules_async(ds, rules, opts, &mut Ctl::none()))
}
