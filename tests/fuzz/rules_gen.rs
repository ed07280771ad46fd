//! Inputs of the `rules` target: rule lists whose conditions are random expressions of the
//! rule language (src/rules/README.md) over the table's columns — hostile literals, unknown
//! functions and columns, deep nesting, long chains, mutated text — or random JSON Logic.

use crmlens::rng::Rng;
use serde_json::{json, Value};

use super::gen::pick;

const OPS: &[&str] = &["=", "!=", "<", "<=", ">", ">=", "<>", "=="];
const FNS: &[&str] = &[
    "days_since",
    "months_since",
    "years_since",
    "year",
    "month",
    "day",
    "weekday",
    "lower",
    "upper",
    "trim",
    "length",
    "abs",
    "today",
    "round",
    "coalesce",
    "nosuch",
];
const LITS: &[&str] = &[
    "0",
    "1",
    "-1",
    "0.5",
    ".5",
    "1e3",
    "1e308",
    "-1e308",
    "4294967296",
    "9007199254740993",
    "'gold'",
    "'2024-02-30'",
    "'2023-01-01'",
    "'O''Brien'",
    "true",
    "false",
    "null",
    "''",
    "'好'",
    "\"x\"",
    "1e",
    "'open",
    "`",
    "(",
    ")",
    ",",
    "and",
    "or",
    "not",
];

fn ident(rng: &mut Rng, names: &[String]) -> String {
    let n = if names.is_empty() { "x".to_string() } else { pick(rng, names).clone() };
    if rng.below(10) < 9 {
        format!("`{}`", n.replace('`', "``"))
    } else {
        pick(rng, &[n.as_str(), "nosuch", "`open", "城市"]).to_string()
    }
}

fn expr(rng: &mut Rng, names: &[String], depth: usize) -> String {
    if depth > 4 || rng.below(10) < 3 {
        let a = if rng.below(10) < 6 { ident(rng, names) } else { pick(rng, LITS).to_string() };
        return if rng.below(10) < 3 { format!("{}({a})", pick(rng, FNS)) } else { a };
    }
    let d = depth + 1;
    match rng.below(8) {
        0 => format!("{} and {}", expr(rng, names, d), expr(rng, names, d)),
        1 => format!("{} or {}", expr(rng, names, d), expr(rng, names, d)),
        2 => format!("not {}", expr(rng, names, d)),
        3 => {
            let vals: Vec<&str> = (0..1 + rng.below(4)).map(|_| *pick(rng, LITS)).collect();
            format!("{} in ({})", ident(rng, names), vals.join(", "))
        }
        4 => format!("{} between {} and {}", ident(rng, names), pick(rng, LITS), pick(rng, LITS)),
        5 => format!("{} is {}missing", ident(rng, names), pick(rng, &["", "not "])),
        6 => format!(
            "{} {} {}",
            ident(rng, names),
            pick(rng, &["contains", "starts with", "ends with"]),
            pick(rng, LITS)
        ),
        _ => format!("{} {} {}", expr(rng, names, d), pick(rng, OPS), expr(rng, names, d)),
    }
}

fn logic(rng: &mut Rng, names: &[String], depth: usize) -> Value {
    if depth > 4 || rng.below(10) < 3 {
        return if rng.below(2) == 0 && !names.is_empty() {
            json!({ "var": pick(rng, names) })
        } else {
            pick(rng, &[json!(1), json!("gold"), json!(null), json!(1e308), json!(-1), json!([]), json!({})]).clone()
        };
    }
    let op = *pick(
        rng,
        &[
            "and",
            "or",
            "!",
            "not",
            "==",
            "!=",
            "<",
            ">=",
            "in",
            "between",
            "contains",
            "missing",
            "days_since",
            "lower",
            "+",
            "*",
            "if",
            "nosuch",
        ],
    );
    let args: Vec<Value> = (0..rng.below(4)).map(|_| logic(rng, names, depth + 1)).collect();
    json!({ op: args })
}

/// One condition: mostly an expression, else JSON Logic, deep nesting or a long chain.
fn condition(rng: &mut Rng, names: &[String]) -> Value {
    if rng.below(2) == 0 && !names.is_empty() {
        // Conditions that type-check over any column, so the engine runs them over the rows.
        let parts: Vec<String> = (0..1 + rng.below(4))
            .map(|_| {
                let n = pick(rng, names);
                format!("{}`{}` is {}missing", pick(rng, &["", "not "]), n.replace('`', "``"), pick(rng, &["", "not "]))
            })
            .collect();
        let sep = *pick(rng, &[" and ", " or "]);
        return json!(parts.join(sep));
    }
    let col = ident(rng, names);
    match rng.below(10) {
        0 => {
            let n = *pick(rng, &[100usize, 1000, 20_000]);
            json!(format!("{}{col} > 1{}", "(".repeat(n), ")".repeat(n)))
        }
        1 => json!(format!("{}{col} > 1", "not ".repeat(*pick(rng, &[100usize, 5000])))),
        2 => {
            let n = *pick(rng, &[100usize, 3000]);
            let sep = *pick(rng, &[" and ", " or ", " + "]);
            json!((0..n).map(|i| format!("{col} > {i}")).collect::<Vec<_>>().join(sep))
        }
        3 => {
            // Past serde_json's recursion limit (128) but not so deep that the harness's own
            // serialising of the rule list overflows a debug test thread's stack.
            let mut j = json!({ ">": [{ "var": names.first().cloned().unwrap_or_default() }, 1] });
            for _ in 0..*pick(rng, &[10usize, 70, 200]) {
                j = json!({ "not": [j] });
            }
            j
        }
        4 => logic(rng, names, 0),
        5 => {
            let mut e: Vec<char> = expr(rng, names, 0).chars().collect();
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(e.len() + 1);
                if rng.below(2) == 0 && at < e.len() {
                    e.remove(at);
                } else {
                    e.insert(at, *pick(rng, &['(', ')', '\'', '`', '\0', '😀', '"', '=']));
                }
            }
            json!(e.into_iter().collect::<String>())
        }
        _ => json!(expr(rng, names, 0)),
    }
}

/// A rule list (1–4 rules, sometimes 200) for `rules::rules`.
pub fn rule_list(rng: &mut Rng, names: &[String]) -> Value {
    let n = if rng.below(20) == 0 { 200 } else { 1 + rng.below(4) };
    Value::Array(
        (0..n)
            .map(|i| {
                let id = if rng.below(30) == 0 { json!(pick(rng, &["r0", ""])) } else { json!(format!("r{i}")) };
                let priority = if rng.below(20) == 0 {
                    pick(rng, &[json!(-1), json!(1e308), json!(9007199254740993u64)]).clone()
                } else {
                    json!(rng.below(5))
                };
                json!({ "id": id, "when": condition(rng, names), "then": { "action": "Call", "priority": priority } })
            })
            .collect(),
    )
}
