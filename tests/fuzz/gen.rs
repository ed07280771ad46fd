//! Inputs: structure-aware tables (CRM-shaped columns with hostile values), byte mutations of
//! slices of the real files in `../shared/data`, and option objects drawn from each option's
//! plausible values mixed with a pool of hostile ones. Everything derives from one seeded
//! [`Rng`], so an input is reproduced from its seed alone.

use crmlens::rng::Rng;
use serde_json::{json, Value};

/// The real files the mutations start from: (name, first bytes).
pub struct Corpus {
    pub files: Vec<(String, Vec<u8>)>,
}

/// Most bytes of a file kept in the corpus.
const CORPUS_PREFIX: usize = 256 * 1024;

impl Corpus {
    /// Table-like and text files under `dir` (recursively), each cut to its first 256 KiB.
    pub fn load(dir: &std::path::Path) -> Corpus {
        let mut files = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else { continue };
            let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            entries.sort();
            for p in entries {
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
                let lower = name.to_lowercase();
                if lower.starts_with("license") || lower.ends_with(".md") || lower.ends_with(".zip") {
                    continue;
                }
                let Ok(bytes) = std::fs::read(&p) else { continue };
                if bytes.len() < 64 {
                    continue;
                }
                files.push((p.to_string_lossy().into_owned(), bytes[..bytes.len().min(CORPUS_PREFIX)].to_vec()));
            }
        }
        files.sort();
        Corpus { files }
    }
}

pub fn pick<'a, T>(rng: &mut Rng, v: &'a [T]) -> &'a T {
    &v[rng.below(v.len())]
}

fn chance(rng: &mut Rng, p: f64) -> bool {
    rng.next_f64() < p
}

/// Numbers and strings that have broken parsers and analyses before.
const HOSTILE_CELLS: &[&str] = &[
    "",
    " ",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e308",
    "-1e308",
    "1.7976931348623157e308",
    "4.9e-324",
    "-0",
    "0",
    "-1",
    "4294967296",
    "9007199254740993",
    "18446744073709551616",
    "99999999999999999999999",
    "1,5",
    "1.234,56",
    "$1,234.50",
    "€12",
    "12%",
    "(12.50)",
    "0x1F",
    "١٢٣",
    "TRUE",
    "no",
    "NULL",
    "N/A",
    "-",
    "?",
    "=HYPERLINK(\"x\")",
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "\"quoted, with comma\"",
    "\"unterminated",
    "a\"b",
    "line\nbreak",
    "😀",
    "好评",
    "2024-02-30",
    "2024-13-01",
    "0000-00-00",
    "31/12/2023",
    "12/31/2023",
    "2023年1月2日",
    "Jan 5 2024",
    "1970-01-01T00:00:00Z",
    "9999-12-31",
    "-2024-01-01",
    "C536365",
    "c1",
];

const WORDS: &[&str] = &[
    "great", "terrible", "not", "very", "good", "bad", "love", "hate", "but", "!!!", ":)", "😡", "好", "不", "很",
    "差", "服务", "delivery", "late", "refund", "price", "quality", "BUT", "kinda", "meh", "never", "again", "no",
    "5/5",
];

/// A random cell of a column kind.
fn cell(rng: &mut Rng, kind: &str, row: usize, customers: usize) -> String {
    if chance(rng, 0.06) {
        return pick(rng, HOSTILE_CELLS).to_string();
    }
    match kind {
        "customer" => format!("c{}", rng.below(customers.max(1))),
        "invoice" => format!("{}{}", if chance(rng, 0.05) { "C" } else { "" }, 500000 + row / (1 + rng.below(4))),
        "date" => {
            let (y, m, d) = (2019 + rng.below(6), 1 + rng.below(12), 1 + rng.below(28));
            match rng.below(4) {
                0 => format!("{y}-{m:02}-{d:02}"),
                1 => format!("{d}/{m}/{y} {}:{:02}", rng.below(24), rng.below(60)),
                2 => format!("{m}/{d}/{y}"),
                _ => format!("{y}{m:02}{d:02}"),
            }
        }
        "amount" | "price" => {
            let v = (rng.next_f64() * 200.0 - 10.0) * if chance(rng, 0.02) { 1e12 } else { 1.0 };
            format!("{:.2}", v)
        }
        "quantity" => format!("{}", rng.below(20) as i64 - 2),
        "item" => format!("item{}", rng.below(12)),
        "category" => pick(rng, &["gold", "silver", "bronze", "none"]).to_string(),
        "flag" => pick(rng, &["true", "false", "yes", "no"]).to_string(),
        "score" => format!("{}", rng.below(100)),
        "text" => {
            let n = 1 + rng.below(12);
            (0..n).map(|_| *pick(rng, WORDS)).collect::<Vec<_>>().join(" ")
        }
        _ => format!("{}", rng.next_f64()),
    }
}

pub const KINDS: &[&str] =
    &["customer", "invoice", "date", "amount", "quantity", "price", "item", "category", "flag", "score", "text"];

/// A CRM-shaped CSV table: a random subset of column kinds (always a customer and a date
/// most of the time), random rows, hostile cells, sometimes a BOM, CRLF, `;` or tab.
pub fn table(rng: &mut Rng, max_rows: usize) -> (Vec<u8>, Vec<String>) {
    let mut kinds: Vec<&str> = KINDS.iter().copied().filter(|_| chance(rng, 0.5)).collect();
    if chance(rng, 0.8) && !kinds.contains(&"customer") {
        kinds.insert(0, "customer");
    }
    if chance(rng, 0.7) && !kinds.contains(&"date") {
        kinds.push("date");
    }
    if kinds.is_empty() {
        kinds.push("amount");
    }
    let names: Vec<String> = kinds.iter().map(|k| k.to_string()).collect();
    let delim = *pick(rng, &[",", ",", ",", ";", "\t", "|"]);
    let eol = if chance(rng, 0.2) { "\r\n" } else { "\n" };
    let rows = rng.below(max_rows + 1);
    let customers = 1 + rng.below(rows.max(1));
    let mut out = String::new();
    if chance(rng, 0.05) {
        out.push('\u{feff}');
    }
    out.push_str(&names.join(delim));
    out.push_str(eol);
    for r in 0..rows {
        let cells: Vec<String> = kinds
            .iter()
            .map(|k| {
                let c = cell(rng, k, r, customers);
                if c.contains(delim) || c.contains('\n') || c.contains('"') {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c
                }
            })
            .collect();
        out.push_str(&cells.join(delim));
        if r + 1 < rows || chance(rng, 0.9) {
            out.push_str(eol);
        }
    }
    (out.into_bytes(), names)
}

/// The same rows as JSON: an array of objects or NDJSON.
pub fn json_table(rng: &mut Rng, max_rows: usize) -> Vec<u8> {
    let rows = rng.below(max_rows + 1);
    let kinds: Vec<&str> = KINDS.iter().copied().filter(|_| chance(rng, 0.5)).collect();
    let objs: Vec<Value> = (0..rows)
        .map(|r| {
            let mut m = serde_json::Map::new();
            for k in &kinds {
                if chance(rng, 0.05) {
                    continue;
                }
                let c = cell(rng, k, r, 10);
                let v = match rng.below(6) {
                    0 => c
                        .parse::<f64>()
                        .ok()
                        .and_then(|f| serde_json::Number::from_f64(f).map(Value::Number))
                        .unwrap_or(Value::String(c)),
                    1 => Value::Null,
                    2 => json!([c]),
                    _ => Value::String(c),
                };
                m.insert(k.to_string(), v);
            }
            Value::Object(m)
        })
        .collect();
    if chance(rng, 0.5) {
        serde_json::to_vec(&objs).unwrap_or_default()
    } else {
        objs.iter().map(|o| o.to_string()).collect::<Vec<_>>().join("\n").into_bytes()
    }
}

/// A slice of a real file: its first lines up to `max` bytes (cut at a line end), or a window
/// from the middle with the header line kept.
pub fn real_slice(rng: &mut Rng, corpus: &Corpus, max: usize) -> (Vec<u8>, String) {
    let (name, bytes) = pick(rng, &corpus.files);
    let want = 64 + rng.below(max.max(65) - 64);
    let header_end = bytes.iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| p + 1);
    let mut out = Vec::new();
    if chance(rng, 0.3) && bytes.len() > header_end + want {
        out.extend_from_slice(&bytes[..header_end]);
        let start = header_end + rng.below(bytes.len() - header_end - want);
        let start = bytes[start..].iter().position(|&b| b == b'\n').map_or(start, |p| start + p + 1);
        out.extend_from_slice(&bytes[start..(start + want).min(bytes.len())]);
    } else {
        out.extend_from_slice(&bytes[..want.min(bytes.len())]);
    }
    if chance(rng, 0.7) {
        if let Some(p) = out.iter().rposition(|&b| b == b'\n') {
            out.truncate(p + 1);
        }
    }
    (out, name.clone())
}

/// The column names of a CSV-ish header line (split on the likeliest delimiter).
pub fn header_names(bytes: &[u8]) -> Vec<String> {
    let end = bytes.iter().position(|&b| b == b'\n').unwrap_or(bytes.len()).min(4096);
    let line = String::from_utf8_lossy(&bytes[..end]);
    let delim = [',', ';', '\t', '|'].into_iter().max_by_key(|d| line.matches(*d).count()).unwrap_or(',');
    line.split(delim)
        .map(|s| s.trim().trim_matches('"').trim_start_matches('\u{feff}').to_string())
        .filter(|s| !s.is_empty())
        .take(64)
        .collect()
}

const INSERTS: &[&[u8]] = &[
    b",",
    b"\"",
    b"\n",
    b"\r\n",
    b";",
    b"\t",
    b"\0",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xc3",
    b"\xe4\xbd",
    b"\"\"",
    b"\n\n\n",
    b"1e308",
    b"-9223372036854775809",
    b"NaN",
    b"=cmd",
    b"\\",
    b"{",
    b"[",
    b"}",
    b"]",
    b":",
    b"\"a\":",
];

/// Byte mutations (AFL-style, a few per input): flips, interesting inserts, deletions,
/// duplicated ranges, a long field, many blank lines, truncation, swapped lines.
pub fn mutate(rng: &mut Rng, mut b: Vec<u8>, max: usize) -> Vec<u8> {
    let n = 1 + rng.below(6);
    for _ in 0..n {
        let len = b.len();
        let at = if len == 0 { 0 } else { rng.below(len + 1) };
        match rng.below(10) {
            0 if len > 0 => {
                let i = rng.below(len);
                b[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                b[i] = rng.below(256) as u8;
            }
            2 | 3 => {
                let ins = *pick(rng, INSERTS);
                b.splice(at..at, ins.iter().copied());
            }
            4 if len > 0 => {
                let end = (at + 1 + rng.below(64)).min(len);
                b.drain(at.min(end)..end);
            }
            5 if len > 0 => {
                let s = rng.below(len);
                let e = (s + 1 + rng.below(256)).min(len);
                let chunk = b[s..e].to_vec();
                let times = 1 + rng.below(8);
                for _ in 0..times {
                    b.splice(at..at, chunk.iter().copied());
                }
            }
            6 => {
                let long = vec![b'a' + rng.below(26) as u8; 1 + rng.below(20_000)];
                b.splice(at..at, long);
            }
            7 => {
                let blanks = vec![b'\n'; 1 + rng.below(4000)];
                b.splice(at..at, blanks);
            }
            8 if len > 0 => b.truncate(at),
            _ => {
                let cells = pick(rng, HOSTILE_CELLS).as_bytes().to_vec();
                b.splice(at..at, cells);
            }
        }
    }
    b.truncate(max);
    b
}

/// A JSON value for an option: usually one of its plausible `good` values, sometimes a
/// hostile one (huge, negative, fractional, wrong type, 2^32 and 2^53 neighbours).
pub fn option_value(rng: &mut Rng, good: &[Value], names: &[String]) -> Value {
    if !good.is_empty() && chance(rng, 0.92) {
        return pick(rng, good).clone();
    }
    match rng.below(16) {
        0 => json!(0),
        1 => json!(-1),
        2 => json!(4294967296u64),
        3 => json!(4294967301u64),
        4 => json!(9007199254740992u64),
        5 => json!(u64::MAX),
        6 => json!(1e308),
        7 => json!(0.5),
        8 => json!(1e-12),
        9 => json!(true),
        10 => json!(""),
        11 => json!("auto"),
        12 => json!([]),
        13 => json!({}),
        14 => Value::Null,
        _ => names.get(rng.below(names.len().max(1))).map_or(json!("nope"), |n| json!(n)),
    }
}

/// An options object: each `(key, good values)` present with probability `p`, plus now and
/// then an unknown key.
pub fn options(rng: &mut Rng, keys: &[(&str, Vec<Value>)], names: &[String], p: f64) -> Value {
    let mut m = serde_json::Map::new();
    for (k, good) in keys {
        if chance(rng, p) {
            m.insert(k.to_string(), option_value(rng, good, names));
        }
    }
    if chance(rng, 0.03) {
        m.insert("notAnOption".into(), json!(1));
    }
    Value::Object(m)
}

/// A column name of the table, usually one that exists.
pub fn column(rng: &mut Rng, names: &[String]) -> Value {
    if names.is_empty() || chance(rng, 0.02) {
        json!("missing_column")
    } else {
        json!(pick(rng, names))
    }
}

/// Columns named for `kind` first (the structure-aware tables name them so).
pub fn column_like(rng: &mut Rng, names: &[String], kind: &str) -> Value {
    match names.iter().find(|n| n.to_lowercase().contains(kind)) {
        Some(n) if chance(rng, 0.8) => json!(n),
        _ => column(rng, names),
    }
}

/// Random texts for sentiment: word salads in English and Chinese, hostile cells.
pub fn texts(rng: &mut Rng, n: usize) -> Vec<String> {
    (0..n)
        .map(|_| {
            if chance(rng, 0.1) {
                pick(rng, HOSTILE_CELLS).to_string()
            } else {
                let k = rng.below(30);
                (0..k).map(|_| *pick(rng, WORDS)).collect::<Vec<_>>().join(if chance(rng, 0.5) { " " } else { "" })
            }
        })
        .collect()
}

/// Tampering with a model's JSON: change a number, drop or duplicate an array element,
/// remove a key, or set a value to a hostile one.
pub fn tamper(rng: &mut Rng, v: &mut Value) {
    enum Step {
        Key(String),
        Index(usize),
    }
    /// A random path into `v` (read-only), then followed mutably.
    fn path(rng: &mut Rng, v: &Value) -> Vec<Step> {
        let mut out = Vec::new();
        let mut cur = v;
        for _ in 0..6 {
            if rng.below(4) == 0 {
                break;
            }
            match cur {
                Value::Object(m) if !m.is_empty() => {
                    let key = m.keys().nth(rng.below(m.len())).cloned().unwrap_or_default();
                    cur = &m[&key];
                    out.push(Step::Key(key));
                }
                Value::Array(a) if !a.is_empty() => {
                    let i = rng.below(a.len());
                    cur = &a[i];
                    out.push(Step::Index(i));
                }
                _ => break,
            }
        }
        out
    }
    fn follow<'a>(mut v: &'a mut Value, steps: &[Step]) -> &'a mut Value {
        for s in steps {
            v = match s {
                Step::Key(k) => &mut v[k.as_str()],
                Step::Index(i) => &mut v[*i],
            };
        }
        v
    }
    let n = 1 + rng.below(3);
    for _ in 0..n {
        let steps = path(rng, v);
        let target = follow(v, &steps);
        match rng.below(8) {
            0 => *target = json!(-1),
            1 => *target = json!(1e308),
            2 => *target = json!(4294967296u64),
            3 => *target = Value::Null,
            4 => {
                if let Value::Array(a) = target {
                    if !a.is_empty() {
                        let i = rng.below(a.len());
                        a.remove(i);
                    }
                }
            }
            5 => {
                if let Value::Array(a) = target {
                    if let Some(x) = a.first().cloned() {
                        a.push(x);
                    }
                }
            }
            6 => {
                if let Value::Object(m) = target {
                    if let Some(k) = m.keys().next().cloned() {
                        m.remove(&k);
                    }
                }
            }
            _ => {
                if let Some(x) = target.as_f64() {
                    *target = json!(x * 1e6 + 1.0);
                } else {
                    *target = json!("tampered");
                }
            }
        }
    }
}
