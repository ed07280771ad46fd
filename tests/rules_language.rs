//! The rules language (issue 18): every operator and function on a small table with every
//! column type and missing values, SQL three-valued logic exhaustively, parse and type errors
//! with positions and hints, the size and depth bounds, hostile input.

mod rules_support;

use crmlens::rules::{compile, parse_as_of, When};
use crmlens::task::{run, Ctl};
use crmlens::Dataset;

const TABLE: &str = "id,amount,visits,vip,joined,seen_at,segment,note,城市
1,10.5,3,true,2024-01-01,2024-01-30 10:00,Champions,hello world,北京
2,,0,false,2023-12-31,,Lost,,上海
3,200,7,,2022-02-28,2024-01-31 23:59,Champions,Hello,北京
4,-5,,true,,2023-06-01 00:00,,O'Brien says hi,
5,0,1,false,2024-01-31,2024-01-01 12:00,At risk,world,广州
";

fn table() -> Dataset {
    crmlens::io::read_csv_str(TABLE, Default::default()).unwrap()
}

/// Ids of the rows where `when` is true, and of those where it is undecided.
fn rows_of(ds: &Dataset, when: When, as_of: Option<&str>) -> crmlens::Result<(Vec<i64>, Vec<i64>)> {
    let c = compile(ds, "t", &when, as_of.map(|d| parse_as_of(d).unwrap()), true)?;
    let tri = run(c.evaluate(ds, &mut Ctl::none()))?;
    let ids = ds.column("id").unwrap().to_f64().unwrap();
    let pick = |v: u8| tri.iter().zip(&ids).filter(|(t, _)| **t == v).map(|(_, &i)| i as i64).collect();
    Ok((pick(2), pick(1)))
}

fn rows(expr: &str) -> (Vec<i64>, Vec<i64>) {
    rows_of(&table(), When::Expr(expr.into()), Some("2024-01-31")).unwrap_or_else(|e| panic!("{expr}: {e}"))
}

#[test]
fn the_table_has_every_type() {
    let ds = table();
    let types: Vec<&str> = ds.columns().iter().map(|c| c.dtype().name()).collect();
    assert_eq!(types[..6], ["int64", "float64", "int64", "bool", "date", "datetime"]);
    assert!(matches!(types[6], "category" | "text") && matches!(types[7], "category" | "text"));
}

#[test]
fn every_operator_and_function() {
    let cases: &[(&str, &[i64], &[i64])] = &[
        ("amount > 5", &[1, 3], &[2]),
        ("amount = 0", &[5], &[2]),
        ("amount == 0", &[5], &[2]),
        ("amount != 0", &[1, 3, 4], &[2]),
        ("amount <> 0", &[1, 3, 4], &[2]),
        ("amount <= 0", &[4, 5], &[2]),
        ("amount >= 200", &[3], &[2]),
        ("amount < 10.5", &[4, 5], &[2]),
        ("amount + visits > 10", &[1, 3], &[2, 4]),
        ("amount - visits * 2 = 4.5", &[1], &[2, 4]),
        ("(amount - visits) * 2 = 15", &[1], &[2, 4]),
        ("amount / visits > 3", &[1, 3], &[2, 4]),
        // Division by zero is missing (row 5: visits / 0).
        ("visits / amount > 0", &[1, 3], &[2, 4, 5]),
        ("amount % 4 = 2.5", &[1], &[2]),
        ("visits % amount >= 0", &[1, 3], &[2, 4, 5]),
        ("-amount > 0", &[4], &[2]),
        ("abs(amount) = 5", &[4], &[2]),
        ("segment in ('Champions', 'Lost')", &[1, 2, 3], &[4]),
        ("segment not in ('Champions')", &[2, 5], &[4]),
        ("visits in (0, 1, 7)", &[2, 3, 5], &[4]),
        ("visits not in (0, 1, 7)", &[1], &[4]),
        ("amount between 0 and 10.5", &[1, 5], &[2]),
        ("amount not between 0 and 10.5", &[3, 4], &[2]),
        ("amount between 10.5 and 0", &[], &[2]),
        ("amount is missing", &[2], &[]),
        ("amount is not missing", &[1, 3, 4, 5], &[]),
        ("amount is null", &[2], &[]),
        ("vip is missing or joined is missing", &[3, 4], &[]),
        ("note contains 'world'", &[1, 5], &[2]),
        ("note starts with 'Hello'", &[3], &[2]),
        ("lower(note) starts with 'hello'", &[1, 3], &[2]),
        ("note ends with 'hi'", &[4], &[2]),
        ("note not contains 'o'", &[4], &[2]),
        ("note not starts with 'h'", &[3, 4, 5], &[2]),
        ("length(note) > 5", &[1, 4], &[2]),
        ("upper(segment) = 'LOST'", &[2], &[4]),
        ("trim('  x ') = 'x'", &[1, 2, 3, 4, 5], &[]),
        ("segment > 'B'", &[1, 2, 3], &[4]),
        ("vip", &[1, 4], &[3]),
        ("not vip", &[2, 5], &[3]),
        ("vip = false", &[2, 5], &[3]),
        ("vip in (true)", &[1, 4], &[3]),
        ("vip or amount > 100", &[1, 3, 4], &[2]),
        ("vip and amount > 100", &[], &[3]),
        ("not (vip and amount > 100)", &[1, 2, 4, 5], &[3]),
        ("joined < '2024-01-01'", &[2, 3], &[4]),
        ("'2024-01-01' > joined", &[2, 3], &[4]),
        ("joined = '2024-01-31'", &[5], &[4]),
        ("joined in ('2024-01-31', '2022-02-28')", &[3, 5], &[4]),
        ("joined between '2023-01-01' and '2024-01-01'", &[1, 2], &[4]),
        ("days_since(joined) > 30", &[2, 3], &[4]),
        ("days_since(joined) = 0", &[5], &[4]),
        ("months_since(joined) >= 1", &[2, 3], &[4]),
        ("years_since(joined) = 1", &[3], &[4]),
        ("year(joined) = 2024", &[1, 5], &[4]),
        ("month(joined) = 12", &[2], &[4]),
        ("day(joined) = 28", &[3], &[4]),
        ("weekday(joined) = 1", &[1, 3], &[4]),
        ("month() = 1 and year() = 2024 and day() = 31 and weekday() = 3", &[1, 2, 3, 4, 5], &[]),
        ("seen_at >= '2024-01-30'", &[1, 3], &[2]),
        ("seen_at > '2024-01-31 12:00'", &[3], &[2]),
        ("days_since(seen_at) = 0", &[3], &[2]),
        ("joined < today()", &[1, 2, 3], &[4]),
        ("seen_at < joined", &[5], &[2, 4]),
        ("城市 = '北京'", &[1, 3], &[4]),
        ("`城市` = '北京'", &[1, 3], &[4]),
        ("note = 'O''Brien says hi'", &[4], &[2]),
        ("note = \"O'Brien says hi\"", &[4], &[2]),
        ("amount IS NOT MISSING AND vip", &[1, 4], &[3]),
        ("amount > 5 Or Not vip", &[1, 2, 3, 5], &[]),
        ("visits > 2 and visits < 10 or segment = 'Lost'", &[1, 2, 3], &[4]),
        ("visits > 2 and (visits < 10 or segment = 'Lost')", &[1, 3], &[4]),
        ("visits > 2 and visits < 10 or vip", &[1, 3, 4], &[]),
        ("1e308 * 10 > amount", &[1, 3, 4, 5], &[2]),
    ];
    for (expr, want, unknown) in cases {
        let (m, u) = rows(expr);
        assert_eq!((m.as_slice(), u.as_slice()), (*want, *unknown), "{expr}");
    }
}

#[test]
fn folded_plans_mean_what_unfolded_plans_mean() {
    let ds = rules_support::telco();
    for e in [
        "Contract in ('One year', 'Two year') and lower(PaymentMethod) contains 'credit'",
        "length(InternetService) > 3 or gender = 'Female'",
        "not (MultipleLines != 'Yes') and tenure > 12",
        "upper(StreamingTV) starts with 'NO' or TotalCharges is missing",
    ] {
        let w = When::Expr(e.into());
        let a = compile(&ds, "f", &w, None, true).unwrap();
        let b = compile(&ds, "f", &w, None, false).unwrap();
        assert_ne!(a, b, "{e}: nothing was folded");
        let (ta, tb) =
            (run(a.evaluate(&ds, &mut Ctl::none())).unwrap(), run(b.evaluate(&ds, &mut Ctl::none())).unwrap());
        assert_eq!(ta, tb, "{e}");
        assert!(ta.contains(&2) && ta.contains(&0), "{e}");
    }
}

/// Kleene's logic (SQL's): `None` is unknown.
fn k_and(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}
fn k_or(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    k_and(a.map(|x| !x), b.map(|x| !x)).map(|x| !x)
}

#[test]
fn three_valued_logic_on_every_combination() {
    let v = ["true", "false", ""];
    let mut csv = String::from("id,a,b,c\n");
    let mut triples = Vec::new();
    for x in v {
        for y in v {
            for z in v {
                csv.push_str(&format!("{},{x},{y},{z}\n", triples.len() + 1));
                let p = |s: &str| (!s.is_empty()).then(|| s == "true");
                triples.push((p(x), p(y), p(z)));
            }
        }
    }
    let ds = crmlens::io::read_csv_str(&csv, Default::default()).unwrap();
    assert_eq!(ds.column("a").unwrap().dtype().name(), "bool");
    type F = fn(Option<bool>, Option<bool>, Option<bool>) -> Option<bool>;
    let cases: [(&str, F); 7] = [
        ("a and b", |a, b, _| k_and(a, b)),
        ("a or b", |a, b, _| k_or(a, b)),
        ("not a", |a, _, _| a.map(|x| !x)),
        ("a and (b or not c)", |a, b, c| k_and(a, k_or(b, c.map(|x| !x)))),
        ("not (a or b) or c", |a, b, c| k_or(k_or(a, b).map(|x| !x), c)),
        ("a = b", |a, b, _| a.zip(b).map(|(x, y)| x == y)),
        ("(a is missing) or b and c", |a, b, c| k_or(Some(a.is_none()), k_and(b, c))),
    ];
    for (expr, f) in cases {
        let (m, u) = rows_of(&ds, When::Expr(expr.into()), None).unwrap();
        for (i, &(a, b, c)) in triples.iter().enumerate() {
            let id = i as i64 + 1;
            let want = f(a, b, c);
            let got = if m.contains(&id) {
                Some(true)
            } else if u.contains(&id) {
                None
            } else {
                Some(false)
            };
            assert_eq!(got, want, "{expr} with a={a:?} b={b:?} c={c:?}");
        }
    }
}

#[test]
fn json_logic_equals_the_expression() {
    let ds = table();
    let pairs: &[(&str, serde_json::Value)] = &[
        ("amount > 5", serde_json::json!({">": [{"var": "amount"}, 5]})),
        (
            "segment = 'Champions' and vip",
            serde_json::json!({"and": [{"==": [{"var": "segment"}, "Champions"]}, {"var": "vip"}]}),
        ),
        ("amount is missing", serde_json::json!({"==": [{"var": "amount"}, null]})),
        ("amount is not missing", serde_json::json!({"!=": [null, {"var": "amount"}]})),
        ("amount between 0 and 10.5", serde_json::json!({"<=": [0, {"var": "amount"}, 10.5]})),
        ("amount > 0 and amount < 200", serde_json::json!({"<": [0, {"var": "amount"}, 200]})),
        ("visits in (0, 7)", serde_json::json!({"in": [{"var": "visits"}, [0, 7]]})),
        ("note contains 'world'", serde_json::json!({"in": ["world", {"var": "note"}]})),
        ("note starts with 'O'", serde_json::json!({"starts_with": [{"var": "note"}, "O"]})),
        ("not vip", serde_json::json!({"!": {"var": "vip"}})),
        (
            "amount + visits * 2 - 1 > 10",
            serde_json::json!({">": [{"-": [{"+": [{"var": "amount"}, {"*": [{"var": "visits"}, 2]}]}, 1]}, 10]}),
        ),
        ("-amount / 2 % 3 != 0", serde_json::json!({"!=": [{"%": [{"/": [{"-": [{"var": "amount"}]}, 2]}, 3]}, 0]})),
        ("days_since(joined) > 30", serde_json::json!({">": [{"days_since": [{"var": "joined"}]}, 30]})),
        ("joined < '2024-01-01'", serde_json::json!({"<": [{"var": "joined"}, "2024-01-01"]})),
        (
            "lower(`城市`) = '北京' or vip",
            serde_json::json!({"or": [{"==": [{"lower": {"var": "城市"}}, "北京"]}, {"var": "vip"}]}),
        ),
    ];
    for (text, json) in pairs {
        let a = rows_of(&ds, When::Expr((*text).into()), Some("2024-01-31")).unwrap();
        let b = rows_of(&ds, When::Logic(json.clone()), Some("2024-01-31")).unwrap();
        assert_eq!(a, b, "{text} vs {json}");
        assert!(!a.0.is_empty() || !a.1.is_empty(), "{text} selects nothing");
    }
    // The example on the CDNOW customer table.
    let c = rules_support::cdnow_customers();
    let tri = |w: When| run(compile(&c, "t", &w, None, true).unwrap().evaluate(&c, &mut Ctl::none())).unwrap();
    let a = tri(When::Expr("segment = 'Champions' and pAlive < 0.9".into()));
    let b = tri(When::Logic(
        serde_json::json!({ "and": [ { "==": [ { "var": "segment" }, "Champions" ] }, { "<": [ { "var": "pAlive" }, 0.9 ] } ] }),
    ));
    assert_eq!(a, b);
    assert!(a.contains(&2));
}

fn error(ds: &Dataset, when: When, as_of: Option<&str>) -> crmlens::CrmError {
    match rows_of(ds, when, as_of) {
        Ok(r) => panic!("expected an error, got {r:?}"),
        Err(e) => e,
    }
}

#[test]
fn errors_name_the_position_and_hint() {
    let ds = table();
    let cases: &[(&str, Option<&str>, u64, u64, &str)] = &[
        ("segment > 3", Some("2024-01-31"), 1, 1, "quote the value to compare text: '3'"),
        ("amount > '12'", None, 1, 1, "write the number without quotes: 12"),
        ("amount > 'abc'", None, 1, 1, "cannot compare"),
        ("joined > 30", None, 1, 1, "days_since"),
        ("joined > '2024-13-45'", None, 1, 10, "not a date"),
        ("joined > '03/04/2024'", None, 1, 10, "YYYY-MM-DD"),
        ("amount +", None, 1, 9, "ended early"),
        ("days_since(joined) > 3", None, 1, 1, "asOf"),
        ("dayz_since(joined) > 3", Some("2024-01-31"), 1, 1, "did you mean days_since()?"),
        ("vip = 1", None, 1, 1, "write true or false"),
        ("amount > 5 and", None, 1, 15, "ended early"),
        ("amount > 5\n  and bogus = 1", None, 2, 7, "unknown column `bogus`"),
        ("Amount > 5", None, 1, 1, "did you mean `amount`?"),
        ("amuont > 5", None, 1, 1, "did you mean `amount`?"),
        ("amount", None, 1, 1, "must be a condition"),
        ("amount in ('a')", None, 1, 12, "cannot compare"),
        ("segment in (1)", None, 1, 13, "quote the value"),
        ("note contains 3", None, 1, 15, "needs text"),
        ("lower(amount) = 'x'", None, 1, 7, "lower() needs text"),
        ("length() > 1", None, 1, 1, "takes 1 argument"),
        ("amount > 5 amount < 3", None, 1, 12, "expected an operator"),
        ("amount > 5 an vip", None, 1, 12, "did you mean `and`"),
        ("amount >> 5", None, 1, 9, "expected a value"),
        ("(amount > 5", None, 1, 1, "never closed"),
        ("amount > 5)", None, 1, 11, "without a matching"),
        ("1 < amount < 5", None, 1, 12, "chained"),
        ("segment = 'open", None, 1, 11, "never closed"),
        ("amount && vip", None, 1, 8, "write `and`"),
        ("joined + 1 > 3", None, 1, 1, "does not apply to dates"),
        ("vip + 1 > 3", None, 1, 1, "needs numbers"),
        ("amount in (visits)", None, 1, 12, "takes values"),
        ("amount = null", None, 1, 10, "is missing"),
        ("note = 1e999", None, 1, 8, "out of range"),
        ("`城市 > 1", None, 1, 1, "never closed"),
        ("城市 > 1", None, 1, 1, "quote the value"),
        ("not amount", None, 1, 5, "needs a condition"),
        ("vip and amount", None, 1, 9, "needs a condition"),
    ];
    for &(expr, as_of, line, column, hint) in cases {
        let e = error(&ds, When::Expr(expr.into()), as_of);
        assert_eq!(e.code(), "RULE_ERROR", "{expr}: {e}");
        let loc = e.location();
        assert_eq!((loc.line, loc.column), (Some(line), Some(column)), "{expr}: {e}");
        assert_eq!(loc.field.as_deref(), Some("t"));
        assert!(e.to_string().contains(hint), "{expr}: {e}");
    }
    // On the CDNOW customer table: the example.
    let c = rules_support::cdnow_customers();
    let e = error(&c, When::Expr("CLV > 200".into()), None);
    assert!(e.to_string().contains("unknown column `CLV` — did you mean `clv`?"), "{e}");
    // JSON Logic: the path of the node.
    for (json, hint) in [
        (
            serde_json::json!({"and": [{"var": "vip"}, {"==": [{"var": "amont"}, 1]}]}),
            "at /and/1/==/0: unknown column `amont` — did you mean `amount`?",
        ),
        (serde_json::json!({"if": [true, 1, 2]}), "unsupported JSON Logic operator `if`"),
        (serde_json::json!({"==": [1, 2], "!=": [1, 2]}), "exactly one key"),
        (serde_json::json!({"var": ["amount", 0]}), "`var` takes 1 arguments"),
        (
            serde_json::json!({">": [{"var": "segment"}, 3]}),
            "at /: `>` cannot compare `segment` (text) with 3 (a number)",
        ),
        (serde_json::json!([1, 2]), "a list is only allowed"),
        (serde_json::json!({"in": [{"var": "amount"}, []]}), "empty"),
    ] {
        let e = error(&ds, When::Logic(json.clone()), None);
        assert_eq!(e.code(), "RULE_ERROR", "{json}");
        assert!(e.to_string().contains(hint), "{json}: {e}");
    }
}

#[test]
fn bounds_are_errors_not_crashes() {
    let ds = table();
    // 1 MB of expression text.
    let big = "amount > 1 or ".repeat(75_000) + "vip";
    assert!(big.len() > 1_000_000);
    let e = error(&ds, When::Expr(big), None);
    assert_eq!(e.code(), "TOO_LARGE", "{e}");
    // 10,000 levels of nesting, of every kind.
    for deep in [
        "(".repeat(10_000) + "vip" + &")".repeat(10_000),
        "not ".repeat(10_000) + "vip",
        "-".repeat(10_000) + "amount > 0",
        "abs(".repeat(10_000) + "amount" + &")".repeat(10_000) + " > 0",
        (0..10_000).map(|_| "1").collect::<Vec<_>>().join("+") + " > amount",
    ] {
        let e = error(&ds, When::Expr(deep.clone()), None);
        assert_eq!(e.code(), if deep.len() > 64 * 1024 { "TOO_LARGE" } else { "RULE_ERROR" }, "{e}");
        if e.code() == "RULE_ERROR" {
            assert!(e.to_string().contains("nested more than 64"), "{e}");
        }
    }
    // Just inside the limits, every kind of nesting goes through every pass (parse, type
    // check, fold, evaluate) on a test thread's stack; and 5,000 conditions joined by `and`
    // are one level.
    for ok in [
        "(".repeat(60) + "vip" + &")".repeat(60),
        "not ".repeat(60) + "vip",
        "not (".repeat(30) + "vip" + &")".repeat(30),
        "-".repeat(60) + "amount < 0",
        "abs(".repeat(60) + "amount" + &")".repeat(60) + " > 0",
        (0..60).map(|_| "1").collect::<Vec<_>>().join("+") + " > amount",
        (0..30).map(|i| format!("(visits = {i} or ")).collect::<String>() + "vip" + &")".repeat(30),
    ] {
        let (m, _) = rows_of(&ds, When::Expr(ok.clone()), None).unwrap_or_else(|e| panic!("{ok}: {e}"));
        assert!(!m.is_empty(), "{ok}");
    }
    let mut v = serde_json::json!({"var": "vip"});
    for _ in 0..60 {
        let mut m = serde_json::Map::new();
        m.insert("!".into(), serde_json::Value::Array(vec![v]));
        v = serde_json::Value::Object(m);
    }
    assert_eq!(rows_of(&ds, When::Logic(v), None).unwrap().0, vec![1, 4]);
    let flat = (0..5000).map(|i| format!("amount != {i}")).collect::<Vec<_>>().join(" and ");
    assert!(flat.len() < 64 * 1024 * 2);
    let flat = flat[..flat.len().min(60_000)].rsplit_once(" and ").unwrap().0.to_string();
    // (The chain reaches `amount != 200`, so row 3 is out.)
    assert_eq!(rows_of(&ds, When::Expr(flat), None).unwrap().0, vec![1, 4]);
    // A 10,000-deep JSON Logic value built in Rust (not with `json!`, which re-serialises its
    // argument recursively), and 10,000-deep JSON text (refused by serde_json's parser).
    let mut v = serde_json::json!({"var": "vip"});
    for _ in 0..10_000 {
        let mut m = serde_json::Map::new();
        m.insert("!".into(), serde_json::Value::Array(vec![v]));
        v = serde_json::Value::Object(m);
    }
    let deep = When::Logic(v);
    let e = compile(&ds, "t", &deep, None, true).unwrap_err();
    assert_eq!(e.code(), "RULE_ERROR", "{e}");
    assert!(e.to_string().contains("nested more than 64"), "{e}");
    // serde_json drops a value recursively: this one would overflow the test thread's stack.
    std::mem::forget(deep);
    let text = "{\"!\":".repeat(10_000) + "true" + &"}".repeat(10_000);
    let rule = format!("{{\"id\":\"x\",\"when\":{text},\"then\":{{\"action\":\"a\"}}}}");
    let e = crmlens::options::options_from_json::<crmlens::rules::Rule>(&rule).unwrap_err();
    assert_eq!(e.code(), "INVALID_OPTION");
    let wide = serde_json::json!({ "or": (0..20_000).map(|i| serde_json::json!({"==": [{"var": "visits"}, i]})).collect::<Vec<_>>() });
    assert_eq!(error(&ds, When::Logic(wide), None).code(), "TOO_LARGE");
}

#[test]
fn hostile_input_never_panics() {
    let ds = table();
    let hostile = [
        "note = '\u{0}\u{1}\u{7f}'",
        "note = '\u{202e}gnp.exe'",
        "`\u{202e}` > 1",
        "note contains '😀' or `😀` = 1",
        "\u{feff}amount > 1",
        "amount > 1 -- comment",
        "amount > 1; drop table x",
        "amount > 1 /* */",
        "${amount} > 1",
        "amount > 0x10",
        "'",
        "`",
        "\"",
        "((((",
        "))))",
        "amount in (",
        "amount between",
        "is missing",
        "note starts",
        "note starts with",
        "🙂🙂🙂",
        "",
        "   ",
        "\n\n",
    ];
    for h in hostile {
        let _ = rows_of(&ds, When::Expr(h.into()), Some("2024-01-31"));
    }
    // A long string literal is fine.
    let long = format!("note = '{}'", "x".repeat(60_000));
    assert_eq!(rows_of(&ds, When::Expr(long), None).unwrap().0, Vec::<i64>::new());
    // Random token soup: always a result or an error.
    let vocab = [
        "amount",
        "visits",
        "vip",
        "joined",
        "segment",
        "note",
        "`城市`",
        "and",
        "or",
        "not",
        "in",
        "between",
        "is",
        "missing",
        "contains",
        "starts",
        "with",
        "ends",
        "(",
        ")",
        ",",
        "=",
        "!=",
        "<",
        "<=",
        ">",
        ">=",
        "+",
        "-",
        "*",
        "/",
        "%",
        "1",
        "0",
        "2.5",
        "'a'",
        "'2024-01-01'",
        "true",
        "false",
        "days_since",
        "lower",
        "length",
        "month",
        "abs",
        "null",
    ];
    let mut rng = crmlens::rng::Rng::new(18);
    let (mut ok, mut err) = (0, 0);
    for _ in 0..20_000 {
        let n = 1 + rng.below(12);
        let e: Vec<&str> = (0..n).map(|_| vocab[rng.below(vocab.len())]).collect();
        match rows_of(&ds, When::Expr(e.join(" ")), Some("2024-01-31")) {
            Ok(_) => ok += 1,
            Err(x) => {
                assert!(matches!(x.code(), "RULE_ERROR"), "{}: {x}", e.join(" "));
                err += 1
            }
        }
    }
    assert!(ok > 100 && err > 100, "{ok} ok, {err} errors");
}

#[test]
fn a_category_with_more_entries_than_rows() {
    use crmlens::table::{Column, ColumnData, Validity};
    // A few rows taken from a large category column keep its whole dictionary.
    let dict: Vec<String> = (0..50_000).map(|i| format!("c{i}")).collect();
    let codes: Vec<u32> = (0..50_000u32).rev().collect();
    let big = Column::new("cat", ColumnData::Category { codes, dict }, Validity::all_valid(50_000));
    let rows: Vec<Option<usize>> = (0..300).map(|i| if i % 7 == 0 { None } else { Some(i * 101) }).collect();
    let id = Column::new("id", ColumnData::Int64((1..=300).collect()), Validity::all_valid(300));
    let ds = Dataset::new(vec![id, big.take(&rows)]).unwrap();
    let want: Vec<i64> = (0..300usize)
        .filter(|i| i % 7 != 0 && format!("c{}", 49_999 - i * 101).starts_with("c4"))
        .map(|i| i as i64 + 1)
        .collect();
    for fold in [true, false] {
        let c = compile(&ds, "t", &When::Expr("cat starts with 'c4'".into()), None, fold).unwrap();
        let tri = run(c.evaluate(&ds, &mut Ctl::none())).unwrap();
        let got: Vec<i64> = (0..300).filter(|&i| tri[i] == 2).map(|i| i as i64 + 1).collect();
        assert_eq!(got, want);
        assert_eq!(tri.iter().filter(|&&t| t == 1).count(), 43);
    }
}
