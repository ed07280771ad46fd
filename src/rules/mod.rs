//! Business rules and alerts (issue 18): conditions over any customer table → events, with
//! `new` / `continuing` / `resolved` against the previous run's snapshot. The language
//! (grammar, missing-value semantics) is described in `src/rules/README.md`.
//!
//! Pipeline: text ([`lexer`] → [`parser`]) or JSON Logic ([`jsonlogic`]) → one syntax tree
//! ([`ast`], bounded in size and depth) → typed plan ([`compile`] → [`plan`], folded by
//! [`fold`]) → evaluated a block of rows at a time ([`eval`]) → events ([`run`], [`events`]).
//!
//! - [`ast`]: the syntax tree, spans, limits (64 KB of text, 64 levels, 16 K JSON nodes).
//! - [`lexer`]: tokens with byte spans.
//! - [`parser`]: precedence climbing with a depth counter.
//! - [`jsonlogic`]: JSON Logic objects into the same tree, nodes named by JSON path.
//! - [`diag`]: errors with line / column or JSON path, "did you mean" hints.
//! - [`compile`]: column resolution and type checking into the plan.
//! - [`plan`]: typed plan (numbers, three-valued conditions, text).
//! - [`fold`]: constants and category-column lookups folded at compile time.
//! - [`eval`]: the vector kernels.
//! - [`compiled`]: one compiled condition; whole-table evaluation with progress and abort.
//! - [`options`]: rules, options, counts, snapshot (the JSON contract).
//! - [`run`]: `rules` itself; [`events`]: the event Dataset.
//! - [`templates`]: ready-made CRM rules.
//! - [`text`]: numbers and cells as text without `fmt`'s float code (`reason`, keys, messages).

pub mod ast;
pub mod compile;
pub mod compiled;
pub mod diag;
pub mod eval;
pub mod events;
pub mod fold;
pub mod jsonlogic;
pub mod lexer;
pub mod options;
pub mod parser;
pub mod plan;
pub mod run;
pub mod templates;
pub mod text;

pub use compiled::{compile, parse_as_of, Compiled, MatchCount};
pub use options::{
    EventValues, EventsOptions, Rule, RuleCounts, RuleSnapshot, RulesOptions, Snapshot, Then, Trigger, When,
};
pub use run::{
    rules, rules_async, rules_bytes, rules_bytes_async, JoinedKeys, RulesResult, DEFAULT_MAX_EVENTS, MAX_RULES,
};
pub use templates::{rule_from_template, rule_templates, RuleTemplate, TemplateParam};
