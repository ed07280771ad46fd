//! The targets of the lazily loaded modules, natively: `sheets` and `from_excel` (the
//! `crmlens-sheets` crate: calamine's xlsx/ods/xls readers and our layout), `from_arrow`
//! (`crmlens::io::read_ipc_stream`, the `arrow` module's reader), and three `predict`
//! targets (`crmlens::predict`, which the `predict` module wraps): training on hostile
//! labelled tables and options, `fromJSON` of tampered models, and scoring tables that
//! differ from the training table.

use crmlens::io::{self, LoadOptions};
use crmlens::predict::{train_sync, PredictOptions, Predictor, Task, TrainOptions};
use crmlens::rng::Rng;
use crmlens::{CrmError, Dataset};
use serde_json::{json, Value};

use super::gen::{self, pick, Corpus};
use super::targets::{Input, Target, Verdict};
use super::workbook::{self, Cell};

fn chance(rng: &mut Rng, p: f64) -> bool {
    rng.next_f64() < p
}

/// Byte mutations for binary containers (as `scripts/fuzz-wasm.mjs`'s `mutateBinary`): bit
/// flips, overwritten 32-bit fields (lengths, offsets), truncation, inserted and repeated
/// ranges; a few per input, so most inputs stay close to valid.
pub fn mutate_binary(rng: &mut Rng, mut b: Vec<u8>) -> Vec<u8> {
    for _ in 0..1 + rng.below(4) {
        if b.is_empty() {
            break;
        }
        let at = rng.below(b.len());
        match rng.below(6) {
            0 => b[at] ^= 1 << rng.below(8),
            1 if at + 4 <= b.len() => {
                let v = *pick(rng, &[0u32, 1, 0x7fff_ffff, 0xffff_ffff, 0x10000, (b.len() * 2) as u32]);
                b[at..at + 4].copy_from_slice(&v.to_le_bytes());
            }
            2 => b.truncate(at),
            3 => {
                let ins: Vec<u8> = (0..1 + rng.below(16)).map(|_| rng.below(256) as u8).collect();
                b.splice(at..at, ins);
            }
            4 => {
                let end = (at + 1 + rng.below(64)).min(b.len());
                let dup = b[at..end].to_vec();
                b.splice(at..at, dup);
            }
            _ => b[at] = *pick(rng, &[0u8, 0xff, 0x7f, 0x80]),
        }
    }
    b
}

fn fixture(dir: &str, name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{dir}/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap_or_default()
}

/// A generated table's CSV lines as cells (numbers, booleans, text, empty).
fn grid(rng: &mut Rng, rows: usize) -> Vec<Vec<Cell>> {
    let (bytes, _) = gen::table(rng, rows);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let mut g: Vec<Vec<Cell>> = text
        .lines()
        .map(|l| {
            l.split(',')
                .map(|c| match c.parse::<f64>() {
                    _ if c.is_empty() => Cell::Empty,
                    Ok(x) if x.is_finite() && chance(rng, 0.8) => Cell::Number(x),
                    _ if c == "true" || c == "false" => Cell::Bool(c == "true"),
                    _ => Cell::Text(c.to_string()),
                })
                .collect()
        })
        .collect();
    if chance(rng, 0.2) {
        g.splice(0..0, [vec![Cell::Text("Report title".into())], vec![]]);
    }
    g
}

/// A workbook: a fixture (xlsx, ods, xls) or 1–3 generated sheets as .xlsx or .ods.
fn workbook_bytes(rng: &mut Rng) -> (Vec<u8>, &'static str) {
    if chance(rng, 0.25) {
        let f = *pick(rng, &["orders.xlsx", "orders.ods", "orders.xls"]);
        return (fixture("sheets", f), "fixture");
    }
    let sheets: Vec<(String, Vec<Vec<Cell>>)> = (0..1 + rng.below(3))
        .map(|s| {
            let name = format!("{}{s}", pick(rng, &["Sheet", "Orders", "数据", "It's", "<&>"]));
            let rows = rng.below(60);
            (name, grid(rng, rows))
        })
        .collect();
    if chance(rng, 0.6) {
        (workbook::xlsx(&sheets), "xlsx")
    } else {
        (workbook::ods(&sheets), "ods")
    }
}

/// Small labelled tables for training (as the package driver's `labelled`): numeric,
/// category, boolean, date, id and constant columns with a signal, missing and hostile
/// cells; the target binary text, 0/1, yes/no, numeric, one class or three classes.
fn labelled(rng: &mut Rng) -> (Vec<u8>, Vec<String>) {
    let rows = *pick(rng, &[5usize, 45, 60, 120, 200, 300]);
    let kinds: Vec<&str> =
        (0..1 + rng.below(6)).map(|_| *pick(rng, &["num", "num", "cat", "bool", "date", "id", "const"])).collect();
    let tk = *pick(rng, &["yesno", "yesno", "01", "text", "num", "num", "one", "three"]);
    let mut names: Vec<String> = kinds.iter().enumerate().map(|(j, k)| format!("{k}{j}")).collect();
    names.push("target".into());
    let mut out = names.join(",") + "\n";
    for r in 0..rows {
        let x = rng.next_f64();
        let mut cells: Vec<String> = kinds
            .iter()
            .map(|k| {
                if chance(rng, 0.04) {
                    return String::new();
                }
                if chance(rng, 0.01) {
                    return pick(rng, &["NaN", "1e308", "-1e308", "x"]).to_string();
                }
                match *k {
                    "num" => format!("{:.*}", rng.below(3), x * 100.0 + rng.next_f64() * 30.0),
                    "cat" => pick(rng, &["a", "b", "c", if x > 0.5 { "d" } else { "e" }]).to_string(),
                    "bool" => (x > 0.4).to_string(),
                    "date" => format!("2023-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
                    "id" => format!("c{r}"),
                    _ => "7".into(),
                }
            })
            .collect();
        let pos = x + rng.next_f64() * 0.5 > 0.8;
        let t = match tk {
            "yesno" => (if pos { "Yes" } else { "No" }).to_string(),
            "01" => (pos as u8).to_string(),
            "text" => (if pos { "churned" } else { "stayed" }).to_string(),
            "num" => format!("{:.2}", x * 500.0 + rng.next_f64() * 50.0),
            "one" => "Yes".into(),
            _ => pick(rng, &["a", "b", "c"]).to_string(),
        };
        cells.push(if chance(rng, 0.03) { String::new() } else { t });
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    (out.into_bytes(), names)
}

/// A table to score that differs from the training table: columns dropped, renamed,
/// reordered or retyped, extra columns, no rows, one row, or an unrelated table.
fn other_table(rng: &mut Rng, train: &[u8], corpus: &Corpus, max: usize) -> Vec<u8> {
    let text = String::from_utf8_lossy(train).into_owned();
    let mut lines: Vec<Vec<String>> = text.lines().map(|l| l.split(',').map(str::to_string).collect()).collect();
    let width = lines.first().map_or(0, Vec::len);
    match rng.below(8) {
        0 if width > 0 => {
            let j = rng.below(width);
            for l in &mut lines {
                if j < l.len() {
                    l.remove(j);
                }
            }
        }
        1 if width > 0 => {
            let j = rng.below(width);
            if let Some(h) = lines.first_mut().and_then(|h| h.get_mut(j)) {
                *h = pick(rng, &["renamed", "", "target", "num0"]).to_string();
            }
        }
        2 if width > 0 => {
            // Numbers become text, text becomes numbers, dates become garbage.
            let j = rng.below(width);
            for l in lines.iter_mut().skip(1) {
                if let Some(c) = l.get_mut(j) {
                    *c = pick(rng, &["abc", "1e308", "-0", "2023-13-45", "true", "好"]).to_string();
                }
            }
        }
        3 => {
            for (i, l) in lines.iter_mut().enumerate() {
                l.push(if i == 0 { "extra".into() } else { rng.below(9).to_string() });
            }
        }
        4 => lines.truncate(1 + rng.below(2)),
        5 => lines.reverse(),
        6 => {
            let rows = 1 + rng.below(50);
            return gen::table(rng, rows).0;
        }
        _ => {
            let b = lines.iter().map(|l| l.join(",")).collect::<Vec<_>>().join("\n").into_bytes();
            return if corpus.files.is_empty() { b } else { gen::mutate(rng, b, max) };
        }
    }
    lines.iter().map(|l| l.join(",")).collect::<Vec<_>>().join("\n").into_bytes()
}

fn predict_options(rng: &mut Rng, names: &[String]) -> Value {
    let keys = vec![
        ("task", vec![json!("classification"), json!("regression")]),
        (
            "model",
            vec![
                json!("auto"),
                json!("logistic"),
                json!("gbdt"),
                json!("random-forest"),
                json!("decision-tree"),
                json!("svm"),
                json!("linear"),
            ],
        ),
        (
            "validation",
            vec![
                json!({"folds": 2}),
                json!({"folds": 5, "seed": 3}),
                json!({"folds": 20}),
                json!({"folds": 1}),
                json!({"folds": 4294967296u64}),
                json!({"seed": -1}),
            ],
        ),
        ("classWeight", vec![json!("balanced"), json!("none")]),
        (
            "threshold",
            vec![
                json!({"rule": "maxF1"}),
                json!({"rule": "top", "fraction": 0.1}),
                json!({"rule": "fixed", "value": 0.5}),
                json!({"rule": "cost", "falsePositive": 1, "falseNegative": 5}),
                json!({"rule": "top", "fraction": 0}),
                json!({"rule": "fixed", "value": 1e308}),
                json!({"rule": "cost", "falsePositive": 0, "falseNegative": 0}),
            ],
        ),
        ("positive", vec![json!("Yes"), json!(1), json!(true), json!("churned"), json!("nosuch")]),
        ("features", vec![json!("auto"), json!(["num0"]), json!(["nosuch"]), json!([])]),
    ];
    let mut o = gen::options(rng, &keys, names, 0.2);
    if let Value::Object(m) = &mut o {
        let target = if chance(rng, 0.95) { json!("target") } else { gen::column(rng, names) };
        m.insert("target".into(), target);
    }
    o
}

pub fn generate(t: Target, rng: &mut Rng, corpus: &Corpus, max: usize) -> Input {
    match t {
        Target::Sheets | Target::FromExcel => {
            let (b, kind) = workbook_bytes(rng);
            let mutated = chance(rng, if t == Target::Sheets { 0.7 } else { 0.6 });
            let data = if mutated { mutate_binary(rng, b) } else { b };
            let keys = vec![
                (
                    "sheet",
                    vec![
                        json!(0),
                        json!(1),
                        json!(2),
                        json!("Orders0"),
                        json!("Sheet1"),
                        json!(-1),
                        json!(4294967296u64),
                        json!(""),
                    ],
                ),
                (
                    "range",
                    vec![
                        json!("A1"),
                        json!("B3:F200"),
                        json!("A1:XFD1048576"),
                        json!("XFD1048576"),
                        json!("A0"),
                        json!("ZZZZ1"),
                        json!("A1:A"),
                        json!("1:2"),
                        json!(""),
                    ],
                ),
                ("header", vec![json!(true), json!(false)]),
                ("maxRows", vec![json!(1), json!(5), json!(100), json!(0)]),
            ];
            let options = if t == Target::FromExcel { gen::options(rng, &keys, &[], 0.3) } else { json!({}) };
            Input { data, options, extra: json!({ "kind": kind, "mutated": mutated }) }
        }
        Target::FromArrow => {
            let fixture_file = chance(rng, 0.15);
            let (b, rows, cols) = if fixture_file {
                (fixture("arrow", if chance(rng, 0.5) { "js_file.arrow" } else { "js_stream.arrows" }), None, None)
            } else {
                let rows = 1 + rng.below((max / 40).clamp(2, 400));
                let (csv, _) = gen::table(rng, rows);
                match io::read_bytes(&csv, LoadOptions::default()) {
                    Ok(ds) => (io::write_ipc_stream(&ds), Some(ds.num_rows()), Some(ds.num_columns())),
                    Err(_) => (Vec::new(), None, None),
                }
            };
            let mutated = chance(rng, 0.7);
            let data = if mutated { mutate_binary(rng, b) } else { b };
            Input { data, options: json!({}), extra: json!({ "mutated": mutated, "rows": rows, "columns": cols }) }
        }
        Target::Predict | Target::PredictFromJson | Target::PredictOtherTable => {
            let (data, names) = labelled(rng);
            let options = predict_options(rng, &names);
            let explain = if chance(rng, 0.8) {
                json!(rng.below(4))
            } else {
                pick(rng, &[json!(20), json!(21), json!(-1), json!(4294967296u64), json!(0.5)]).clone()
            };
            let other = if t == Target::PredictOtherTable {
                Value::String(String::from_utf8_lossy(&other_table(rng, &data, corpus, max)).into_owned())
            } else {
                Value::Null
            };
            let extra = json!({
                "explain": explain,
                "tamper": rng.next_u64(),
                "truncate": if chance(rng, 0.3) { json!(rng.below(400)) } else { Value::Null },
                "other": other,
            });
            Input { data, options, extra }
        }
        _ => unreachable!("{} is not a module target", t.name()),
    }
}

fn opts<T: serde::de::DeserializeOwned>(v: &Value) -> crmlens::Result<T> {
    crmlens::options::options_from_json(&v.to_string())
}

/// A non-finite number shown as a result (`NaN`, `inf`) in a report's debug text.
fn non_finite(what: &str, debug: &str) -> Option<String> {
    ["NaN", "inf"].iter().find(|w| debug.contains(*w)).map(|w| format!("{what} holds {w}: {debug:.300}"))
}

/// Scored with `p`: one output row per input row, finite scores, probabilities in [0, 1].
fn judge_scores(p: &Predictor, ds: &Dataset, explain: &Value) -> crmlens::Result<Verdict> {
    let po: PredictOptions = opts(&json!({ "explain": explain }))?;
    let out = p.predict(ds, po.explain)?;
    if out.num_rows() != ds.num_rows() {
        return Ok(Verdict::Wrong(format!("predict returned {} rows for {}", out.num_rows(), ds.num_rows())));
    }
    let s = p.scores(ds)?;
    if s.len() != ds.num_rows() {
        return Ok(Verdict::Wrong(format!("{} scores for {} rows", s.len(), ds.num_rows())));
    }
    if let Some((i, x)) = s.iter().enumerate().find(|(_, x)| !x.is_finite()) {
        return Ok(Verdict::Wrong(format!("score {x} at row {i} ({:?}, {:?})", p.task, p.model)));
    }
    if p.task == Task::Classification {
        if let Some(x) = s.iter().find(|x| !(0.0..=1.0).contains(*x)) {
            return Ok(Verdict::Wrong(format!("probability {x} outside [0, 1]")));
        }
    }
    Ok(Verdict::Ok)
}

pub fn execute(t: Target, input: &Input) -> crmlens::Result<Verdict> {
    let o = &input.options;
    let mutated = input.extra["mutated"].as_bool() == Some(true);
    match t {
        Target::Sheets => {
            let names = crmlens_sheets::table::sheet_names(&input.data);
            match names {
                Err(e) if !mutated && input.extra["kind"] != "fixture" => {
                    Ok(Verdict::Wrong(format!("a generated workbook was refused: {e}")))
                }
                Err(e) => Err(e),
                Ok(n) if !mutated && n.is_empty() => Ok(Verdict::Wrong("no sheet names".into())),
                Ok(_) => Ok(Verdict::Ok),
            }
        }
        Target::FromExcel => {
            let so: crmlens_sheets::options::SheetOptions = opts(o)?;
            let ds = crmlens_sheets::table::read_workbook(&input.data, &so)?;
            if let Some(m) = so.max_rows.filter(|m| *m > 0) {
                if ds.num_rows() as u64 > m {
                    return Ok(Verdict::Wrong(format!("maxRows {m} returned {} rows", ds.num_rows())));
                }
            }
            Ok(Verdict::Ok)
        }
        Target::FromArrow => {
            let ds = io::read_ipc_stream(&input.data)?;
            if let (false, Some(r), Some(c)) = (mutated, input.extra["rows"].as_u64(), input.extra["columns"].as_u64())
            {
                if (ds.num_rows() as u64, ds.num_columns() as u64) != (r, c) {
                    return Ok(Verdict::Wrong(format!(
                        "{r} × {c} written, {} × {} read back",
                        ds.num_rows(),
                        ds.num_columns()
                    )));
                }
            }
            Ok(Verdict::Ok)
        }
        Target::Predict | Target::PredictFromJson | Target::PredictOtherTable => {
            let ds = io::read_bytes(&input.data, LoadOptions::default())?;
            let to: TrainOptions = opts(o)?;
            to.check()?;
            let mut p = train_sync(&ds, &to)?;
            if let Some(w) = non_finite("quality", &format!("{:?}", p.quality)) {
                return Ok(Verdict::Wrong(w));
            }
            if let Some(i) = p.importance.iter().find(|i| !i.mean.is_finite() || !i.std.is_finite()) {
                return Ok(Verdict::Wrong(format!("importance of {} is {} ± {}", i.feature, i.mean, i.std)));
            }
            if t == Target::PredictFromJson {
                let text = p.to_json()?;
                let text = match input.extra["truncate"].as_u64() {
                    Some(n) => text.chars().take(n as usize).collect(),
                    None => {
                        let mut v: Value = serde_json::from_str(&text).map_err(|e| CrmError::state(e.to_string()))?;
                        gen::tamper(&mut Rng::new(input.extra["tamper"].as_u64().unwrap_or(0)), &mut v);
                        v.to_string()
                    }
                };
                p = Predictor::from_json(&text)?;
            }
            let scored = match input.extra["other"].as_str() {
                Some(other) => io::read_bytes(other.as_bytes(), LoadOptions::default())?,
                None => ds,
            };
            judge_scores(&p, &scored, &input.extra["explain"])
        }
        _ => unreachable!("{} is not a module target", t.name()),
    }
}
