//! crmlens-rules, the lazily loaded module of business rules (issue 18; see
//! docs-lazy-modules.md). The engine is the core's `crmlens::rules`; this crate links it into
//! its own wasm so that the core wasm does not carry it. js/rules.js is its only caller: it
//! hands a table over once as Dataset bytes ([`Table`]), rules and options as JSON text, and
//! turns the results back into the package's shapes (the events into a core `Dataset` with
//! `Dataset.fromBytes`).
//!
//! - [`control`]: `onProgress` / abort / pause from JS as the core's `task::Control`.

pub mod control;

use std::rc::Rc;

use crmlens::error::{CrmError, Result};
use crmlens::rules::{compile, parse_as_of, rule_from_template, rule_templates, Rule, RulesOptions, RulesResult};
use crmlens::task::Ctl;
use crmlens::Dataset;
use js_sys::{Error, Object, Promise, Reflect, Uint32Array, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// `CrmError` → JS `Error { name: "CrmlensError", code, line, column, field, hint }` (as the
/// core's boundary does; `hint` is what follows ` — ` in a rule error's message).
fn to_js(e: CrmError) -> JsValue {
    let message = e.to_string();
    let err = Error::new(&message);
    err.set_name("CrmlensError");
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&err, &JsValue::from_str(k), &v);
    };
    set("code", JsValue::from_str(e.code()));
    let loc = e.location();
    if let Some(l) = loc.line {
        set("line", JsValue::from_f64(l as f64));
    }
    if let Some(c) = loc.column {
        set("column", JsValue::from_f64(c as f64));
    }
    if let Some(f) = loc.field {
        set("field", JsValue::from_str(&f));
    }
    if let (CrmError::Rule { .. }, Some(h)) = (&e, hint_of(&message)) {
        set("hint", JsValue::from_str(&h));
    }
    err.into()
}

fn hint_of(message: &str) -> Option<String> {
    message.split_once(" — ").map(|(_, h)| h.to_string())
}

fn json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| CrmError::invalid_option("result", e.to_string()))
}

/// A table handed over once (Dataset bytes, read with the checking reader) and kept here, so
/// that an editor's live counts do not copy the table on every keystroke.
#[wasm_bindgen]
pub struct Table {
    ds: Rc<Dataset>,
}

#[wasm_bindgen]
impl Table {
    /// Reads `dataset.toBytes()`; bad bytes are a `PARSE_ERROR`.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8]) -> std::result::Result<Table, JsValue> {
        Ok(Table { ds: Rc::new(Dataset::from_bytes(bytes).map_err(to_js)?) })
    }
}

/// The rule list: a JSON array of the rules' own JSON texts (js/rules.js stringifies each
/// rule, so that a rule that cannot be read is named: INVALID_OPTION `rules[i]`).
fn rule_list(text: &str) -> Result<Vec<Rule>> {
    let items: Vec<String> = serde_json::from_str(text)
        .map_err(|_| CrmError::invalid_option("rules", "expected an array of rules `{ id, when, then }`"))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            // Numbers read exactly (crmlens::io::json_exact), then the rule from that value.
            crmlens::io::json_exact::value_from_str(item).and_then(serde_json::from_value::<Rule>).map_err(|e| {
                let m = e.to_string();
                let m = m.rfind(" at line ").map_or(m.as_str(), |p| &m[..p]);
                CrmError::invalid_option(
                    format!("rules[{i}]"),
                    format!("{m} (a rule is {{ id, when, then: {{ action, priority }} }})"),
                )
            })
        })
        .collect()
}

fn options<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T> {
    crmlens::options::options_from_json(text)
}

thread_local! {
    /// The last events' bytes, while js/rules.js reads them through a view (see [`outcome`]).
    static EVENTS: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `{ events: Uint8Array (Dataset bytes), result: JSON text of { counts, snapshot (its rules
/// with `keys: []`), keyCounts, eventsTruncated, warnings }, keys: every rule's snapshot keys
/// in one string, keyEnds: Uint32Array of each key's end in it (UTF-16 units) }`.
///
/// Handing a million events and a few million snapshot keys over is most of a large run's
/// time: the events are written by the fast writer, and the keys as one string that
/// js/rules.js cuts into `snapshot.rules[i].keys` only when they are read (one JS string per
/// key is what made the JSON form slow). With `view`, `events` is a view of this module's
/// memory (no copy): the caller must read it before any other call into this module, then
/// call [`release_events`].
fn outcome(mut r: RulesResult, view: bool) -> std::result::Result<JsValue, JsValue> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Rest<'a> {
        counts: &'a [crmlens::rules::RuleCounts],
        snapshot: &'a crmlens::rules::Snapshot,
        key_counts: Vec<usize>,
        events_truncated: bool,
        warnings: &'a [String],
    }
    // The keys leave the snapshot (its JSON has `keys: []`) for one string and their ends:
    // joined by the engine (the option `join_keys`), else here.
    let joined = match r.joined_keys.take() {
        Some(j) => j,
        None => {
            let mut j = crmlens::rules::JoinedKeys::default();
            for rule in &mut r.snapshot.rules {
                let keys = std::mem::take(&mut rule.keys);
                j.push_rule(keys.iter().map(String::as_str)).map_err(to_js)?;
            }
            j
        }
    };
    let crmlens::rules::JoinedKeys { text: keys, ends, counts: key_counts } = joined;
    let rest = Rest {
        counts: &r.counts,
        snapshot: &r.snapshot,
        key_counts,
        events_truncated: r.events_truncated,
        warnings: &r.warnings,
    };
    let rest = json(&rest).map_err(to_js)?;
    let out = Object::new();
    Reflect::set(&out, &"result".into(), &JsValue::from_str(&rest))?;
    Reflect::set(&out, &"keys".into(), &JsValue::from_str(&keys))?;
    Reflect::set(&out, &"keyEnds".into(), &Uint32Array::from(ends.as_slice()))?;
    drop((keys, ends, rest));
    // Always there (`rules_bytes`); without it, no events rather than a second writer here.
    let bytes = r.events_bytes.take().unwrap_or_default();
    drop(r);
    if view {
        EVENTS.with(|e| {
            *e.borrow_mut() = bytes;
            let held = e.borrow();
            // SAFETY: the view is of `EVENTS`, which stays as it is until `release_events` or
            // the next `outcome`; nothing here allocates after it is made, and js/rules.js
            // copies it (Dataset.fromBytes) before any other call into this module.
            let v = unsafe { Uint8Array::view(held.as_slice()) };
            Reflect::set(&out, &"events".into(), &v)
        })?;
    } else {
        Reflect::set(&out, &"events".into(), &Uint8Array::from(bytes.as_slice()))?;
    }
    Ok(out.into())
}

/// Frees the events' bytes that the last synchronous [`run`] lent as a view.
#[wasm_bindgen(js_name = releaseEvents)]
pub fn release_events() {
    EVENTS.with(|e| *e.borrow_mut() = Vec::new());
}

/// `rules(table, rules, options)`: options as `RulesOptions` JSON text.
#[wasm_bindgen]
pub fn run(table: &Table, rules: &str, opts: &str) -> std::result::Result<JsValue, JsValue> {
    let list = rule_list(rules).map_err(to_js)?;
    let mut opts: RulesOptions = options(opts).map_err(to_js)?;
    opts.join_keys = true;
    outcome(crmlens::rules::rules_bytes(&table.ds, &list, &opts).map_err(to_js)?, true)
}

/// `rulesAsync`: as [`run`], with `control` = `{ onProgress, aborted, pause }` (functions).
#[wasm_bindgen(js_name = runAsync)]
pub fn run_async(table: &Table, rules: &str, opts: &str, control: JsValue) -> Promise {
    let setup = rule_list(rules).and_then(|l| Ok((l, options::<RulesOptions>(opts)?)));
    let (list, mut opts) = match setup {
        Ok(v) => v,
        Err(e) => return Promise::reject(&to_js(e)),
    };
    opts.join_keys = true;
    let ds = Rc::clone(&table.ds);
    future_to_promise(async move {
        let host = control::JsControl::new(&control);
        let mut ctl = Ctl::new(&host);
        let r = crmlens::rules::rules_bytes_async(&ds, &list, &opts, &mut ctl).await.map_err(to_js)?;
        outcome(r, false)
    })
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
struct CountsOptions {
    as_of: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleProblem {
    code: &'static str,
    message: String,
    line: Option<u64>,
    column: Option<u64>,
    hint: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleCheck {
    rule: String,
    rows: usize,
    matched: usize,
    undecided: usize,
    columns: Vec<String>,
    error: Option<RuleProblem>,
}

/// `ruleCounts`: per rule its matched and undecided rows, or its error; JSON text of
/// `RuleCheck[]`. Throws only for a list that is not rules or bad options.
#[wasm_bindgen]
pub fn counts(table: &Table, rules: &str, opts: &str) -> std::result::Result<String, JsValue> {
    let list = rule_list(rules).map_err(to_js)?;
    let opts: CountsOptions = options(opts).map_err(to_js)?;
    let as_of = opts.as_of.as_deref().map(parse_as_of).transpose().map_err(to_js)?;
    let ds = &*table.ds;
    let checks: Vec<RuleCheck> = list
        .iter()
        .map(|r| {
            let mut check = RuleCheck {
                rule: r.id.clone(),
                rows: ds.num_rows(),
                matched: 0,
                undecided: 0,
                columns: vec![],
                error: None,
            };
            let counted = compile(ds, &r.id, &r.when, as_of, true).and_then(|c| {
                check.columns = c.columns().to_vec();
                crmlens::task::run(c.count(ds, &mut Ctl::none()))
            });
            match counted {
                Ok(m) => {
                    check.matched = m.matched;
                    check.undecided = m.undecided;
                }
                Err(e) => {
                    let loc = e.location();
                    let message = e.to_string();
                    check.error = Some(RuleProblem {
                        code: e.code(),
                        hint: hint_of(&message),
                        message,
                        line: loc.line,
                        column: loc.column,
                    });
                }
            }
            check
        })
        .collect();
    json(&checks).map_err(to_js)
}

/// `ruleTemplates()`: JSON text of `RuleTemplate[]`.
#[wasm_bindgen]
pub fn templates() -> std::result::Result<String, JsValue> {
    json(&rule_templates()).map_err(to_js)
}

/// `ruleFromTemplate(name, params)`: JSON text of the `Rule`; `params` as JSON text.
#[wasm_bindgen(js_name = fromTemplate)]
pub fn from_template(name: &str, params: &str) -> std::result::Result<String, JsValue> {
    let params: serde_json::Map<String, serde_json::Value> = options(params).map_err(to_js)?;
    json(&rule_from_template(name, &params).map_err(to_js)?).map_err(to_js)
}

/// The version of this module (the package's).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
