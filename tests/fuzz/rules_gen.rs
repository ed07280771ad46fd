//! Inputs of the `rules` target: rule lists whose conditions are random expressions of the
//! rule language (src/rules/README.md) over the table's columns — hostile literals, unknown
//! functions and columns, deep nesting, long chains, mutated text — or random JSON Logic.
//! Most lists (70 %) are typed: every condition is built from the loaded table's real
//! columns and their types, so it compiles and the engine runs it over the rows.

use crmlens::rng::Rng;
use crmlens::table::DataType;
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

/// A backquoted column name.
fn quoted(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// A condition that type-checks against the table's columns (`cols`: name and type), so
/// the engine evaluates it over the rows rather than refusing it at compile time; combined
/// with `and` / `or` / `not` at random.
fn typed_condition(rng: &mut Rng, cols: &[(String, DataType)], depth: usize) -> String {
    if depth < 2 && rng.below(100) < 35 {
        let a = typed_condition(rng, cols, depth + 1);
        let b = typed_condition(rng, cols, depth + 1);
        let not = if rng.below(5) == 0 { "not " } else { "" };
        return format!("({a}) {} {not}{b}", pick(rng, &["and", "or"]));
    }
    let (name, ty) = pick(rng, cols);
    let q = quoted(name);
    match ty {
        DataType::Int64 | DataType::Float64 => {
            let lit = *pick(rng, &["0", "1", "-5", "100.5", "1e308", "-1e308"]);
            match rng.below(6) {
                0 => format!("{q} {} {lit}", pick(rng, OPS)),
                1 => format!("{q} * 2 - 1 > {}", pick(rng, &["0", "10"])),
                2 => format!(
                    "{q} between {} and {}",
                    pick(rng, &["0", "5", "-1e308"]),
                    pick(rng, &["10", "1e308", "-1"])
                ),
                3 => format!("{q} / {} > 1", pick(rng, &["0", "3"])),
                4 => format!("abs({q}) % 7 = 1"),
                _ => format!("{q} is missing"),
            }
        }
        DataType::Bool => {
            pick(rng, &[q.clone(), format!("not {q}"), format!("{q} = true"), format!("{q} is not missing")]).clone()
        }
        DataType::Date | DataType::Datetime => match rng.below(5) {
            0 => format!("days_since({q}) > {}", pick(rng, &["30", "-1", "1e9"])),
            1 => format!("{q} >= '2023-01-01'"),
            2 => format!("months_since({q}) between 1 and 12"),
            3 => format!("weekday({q}) = 1"),
            _ => format!("year({q}) = 2024"),
        },
        _ => match rng.below(6) {
            0 => format!("{q} = 'gold'"),
            1 => format!("lower({q}) contains '{}'", pick(rng, &["a", "", "好", "o''b"])),
            2 => format!("{q} in ('a', 'b', 'gold')"),
            3 => format!("length({q}) > 3"),
            4 => format!("trim({q}) starts with 'c'"),
            _ => format!("{q} is missing"),
        },
    }
}

/// A rule list (1–4 rules, sometimes 200) for `rules::rules`; `cols` are the loaded
/// table's columns and types (empty when the bytes do not load).
pub fn rule_list(rng: &mut Rng, names: &[String], cols: &[(String, DataType)]) -> Value {
    let typed = !cols.is_empty() && rng.below(10) < 7;
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
                let when = if typed { json!(typed_condition(rng, cols, 0)) } else { condition(rng, names) };
                json!({ "id": id, "when": when, "then": { "action": "Call", "priority": priority } })
            })
            .collect(),
    )
}
