//! One target per public entry point: how its input is generated and how it is run and
//! judged. A run ends in `Ok(Verdict)` or a `CrmError` (both clean outcomes); a panic is
//! caught by the driver. `Verdict::Wrong` marks a silent loss or nonsense presented as a
//! result (chunked ≠ whole, a round trip that loses rows, a NaN score without an error).

use crmlens::io::{self, LoadOptions};
use crmlens::options::options_from_json;
use crmlens::rng::Rng;
use crmlens::{CrmError, Dataset};
use serde_json::{json, Value};

use super::gen::{self, Corpus};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    LoadCsv,
    LoadJson,
    LoadChunked,
    CsvRoundTrip,
    Profile,
    Clean,
    Mask,
    CustomerValue,
    Segment,
    Sentiment,
    SentimentModel,
    Recommend,
    RecommendEvaluate,
    AssociationRules,
    RecommenderFromJson,
    SentimentModelFromJson,
    Rules,
    // The lazily loaded modules (tests/fuzz/modules.rs).
    Sheets,
    FromExcel,
    FromArrow,
    Predict,
    PredictFromJson,
    PredictOtherTable,
}

/// Every target: the core's entry points, then the lazily loaded modules'.
pub fn all() -> impl Iterator<Item = Target> {
    CORE.iter().chain(MODULES).copied()
}

/// The targets in the core crate's entry points (the wasm core and the `rules` engine).
pub const CORE: &[Target] = &[
    Target::LoadCsv,
    Target::LoadJson,
    Target::LoadChunked,
    Target::CsvRoundTrip,
    Target::Profile,
    Target::Clean,
    Target::Mask,
    Target::CustomerValue,
    Target::Segment,
    Target::Sentiment,
    Target::SentimentModel,
    Target::Recommend,
    Target::RecommendEvaluate,
    Target::AssociationRules,
    Target::RecommenderFromJson,
    Target::SentimentModelFromJson,
    Target::Rules,
];

/// The lazily loaded modules' targets: `sheets`, `arrow`, `predict`.
pub const MODULES: &[Target] = &[
    Target::Sheets,
    Target::FromExcel,
    Target::FromArrow,
    Target::Predict,
    Target::PredictFromJson,
    Target::PredictOtherTable,
];

impl Target {
    pub fn name(self) -> &'static str {
        match self {
            Target::LoadCsv => "load_csv",
            Target::LoadJson => "load_json",
            Target::LoadChunked => "load_chunked",
            Target::CsvRoundTrip => "csv_round_trip",
            Target::Profile => "profile",
            Target::Clean => "clean",
            Target::Mask => "mask",
            Target::CustomerValue => "customer_value",
            Target::Segment => "segment",
            Target::Sentiment => "sentiment",
            Target::SentimentModel => "sentiment_model",
            Target::Recommend => "recommend",
            Target::RecommendEvaluate => "recommend_evaluate",
            Target::AssociationRules => "association_rules",
            Target::RecommenderFromJson => "recommender_from_json",
            Target::SentimentModelFromJson => "sentiment_model_from_json",
            Target::Rules => "rules",
            Target::Sheets => "sheets",
            Target::FromExcel => "from_excel",
            Target::FromArrow => "from_arrow",
            Target::Predict => "predict",
            Target::PredictFromJson => "predict_from_json",
            Target::PredictOtherTable => "predict_other_table",
        }
    }
    pub fn from_name(s: &str) -> Option<Target> {
        all().find(|t| t.name() == s)
    }
}

/// One generated input: the file bytes, the options object, and target-specific extras
/// (a split seed, a tampering seed). Saved as JSON when it fails.
#[derive(Debug, Clone)]
pub struct Input {
    pub data: Vec<u8>,
    pub options: Value,
    pub extra: Value,
}

pub enum Verdict {
    Ok,
    /// Silent loss or nonsense: what was expected and what came out.
    Wrong(String),
}

/// File bytes for a target: mostly structure-aware tables, else (mutated) slices of real files.
fn data(rng: &mut Rng, corpus: &Corpus, max: usize, mutate_p: f64) -> (Vec<u8>, Vec<String>) {
    if corpus.files.is_empty() || rng.next_f64() < 0.6 {
        let rows = 1 + rng.below((max / 40).clamp(2, 400));
        let (mut b, names) = gen::table(rng, rows);
        if rng.next_f64() < mutate_p * 0.5 {
            b = gen::mutate(rng, b, max);
        }
        (b, names)
    } else {
        let (mut b, _) = gen::real_slice(rng, corpus, max);
        if rng.next_f64() < mutate_p {
            b = gen::mutate(rng, b, max);
        }
        let names = gen::header_names(&b);
        (b, names)
    }
}

fn vals(v: &[Value]) -> Vec<Value> {
    v.to_vec()
}

pub fn generate(t: Target, rng: &mut Rng, corpus: &Corpus, max: usize) -> Input {
    if MODULES.contains(&t) {
        return super::modules::generate(t, rng, corpus, max);
    }
    let (bytes, names) = match t {
        Target::LoadJson => {
            let b =
                if rng.next_f64() < 0.7 { gen::json_table(rng, max / 60 + 1) } else { data(rng, corpus, max, 1.0).0 };
            let b = if rng.next_f64() < 0.5 { gen::mutate(rng, b, max) } else { b };
            (b, Vec::new())
        }
        Target::LoadCsv | Target::LoadChunked | Target::CsvRoundTrip => data(rng, corpus, max, 0.8),
        _ => data(rng, corpus, max, 0.25),
    };
    let n = &names;
    let col = |rng: &mut Rng| gen::column(rng, n);
    let like = |rng: &mut Rng, k: &str| gen::column_like(rng, n, k);
    let cols = |rng: &mut Rng| {
        let k = 1 + rng.below(4);
        Value::Array((0..k).map(|_| gen::column(rng, n)).collect())
    };
    let load_keys = || {
        vec![
            ("format", vals(&[json!("auto"), json!("csv"), json!("json"), json!("ndjson")])),
            (
                "delimiter",
                vals(&[json!(","), json!(";"), json!("\t"), json!("whitespace"), json!("auto"), json!("||")]),
            ),
            ("header", vals(&[json!(true), json!(false)])),
            ("encoding", vals(&[json!("utf-8"), json!("gbk"), json!("latin1"), json!("utf-16le"), json!("x-unknown")])),
            ("quote", vals(&[json!("'"), json!("\""), json!("")])),
            ("onBadRows", vals(&[json!("repair"), json!("skip"), json!("error")])),
            ("missingValues", vals(&[json!(["", "NA"]), json!([]), json!(["0"])])),
            ("dateOrder", vals(&[json!("auto"), json!("dmy"), json!("mdy")])),
            ("maxRows", vals(&[json!(0), json!(1), json!(5), json!(100)])),
        ]
    };
    let (options, extra) = match t {
        Target::LoadCsv | Target::LoadJson | Target::LoadChunked | Target::CsvRoundTrip => {
            let o = gen::options(rng, &load_keys(), n, 0.15);
            let chunks: Vec<usize> = (0..4).map(|_| 1 + rng.below(8192)).collect();
            (o, json!({ "chunks": chunks }))
        }
        Target::Profile => {
            let keys = vec![
                ("topK", vals(&[json!(1), json!(10), json!(1000)])),
                ("bins", vals(&[json!(1), json!(20), json!(100000)])),
                ("exactDistinctLimit", vals(&[json!(0), json!(1), json!(100)])),
                ("correlations", vals(&[json!(true), json!(false)])),
                ("maxCorrelationColumns", vals(&[json!(0), json!(2), json!(1000)])),
                ("maxLevels", vals(&[json!(0), json!(3), json!(1000)])),
                ("seed", vals(&[json!(1), json!(u64::MAX)])),
            ];
            (gen::options(rng, &keys, n, 0.3), Value::Null)
        }
        Target::Clean => {
            let mut m = serde_json::Map::new();
            if rng.below(3) == 0 {
                m.insert("trim".into(), if rng.below(2) == 0 { json!("all") } else { cols(rng) });
            }
            for (key, good) in [
                ("case", vec![json!("lower"), json!("upper"), json!("title"), json!("camel")]),
                ("standardize", vec![json!("email"), json!("phone")]),
                (
                    "convert",
                    vec![json!("int"), json!("number"), json!("bool"), json!("date"), json!("text"), json!("category")],
                ),
                (
                    "fill",
                    vec![
                        json!("mean"),
                        json!("median"),
                        json!("mode"),
                        json!("previous"),
                        json!({"constant": 0}),
                        json!({"constant": "x"}),
                    ],
                ),
                (
                    "outliers",
                    vec![
                        json!({"method": "iqr", "action": "drop"}),
                        json!({"method": "mad", "k": 0}),
                        json!({"k": -1e308}),
                        json!({}),
                    ],
                ),
            ] {
                if rng.below(3) == 0 {
                    let c = col(rng).as_str().unwrap_or("x").to_string();
                    m.insert(key.into(), json!({ c: gen::option_value(rng, &good, n) }));
                }
            }
            if rng.below(4) == 0 {
                m.insert("dedupe".into(), json!(rng.below(2) == 0));
            }
            if rng.below(4) == 0 {
                m.insert(
                    "fuzzyDedupe".into(),
                    json!({ "name": col(rng), "email": like(rng, "mail"), "threshold": gen::option_value(rng, &[json!(0.85), json!(0.0), json!(1.0)], n),
                            "drop": rng.below(2) == 0, "maxBlock": gen::option_value(rng, &[json!(2), json!(500)], n) }),
                );
            }
            if rng.below(5) == 0 {
                m.insert("maxLog".into(), gen::option_value(rng, &[json!(0), json!(10)], n));
            }
            (Value::Object(m), Value::Null)
        }
        Target::Mask => {
            let keys = vec![
                ("columns", vec![json!("auto"), cols(rng), cols(rng)]),
                ("method", vals(&[json!("redact"), json!("hash"), json!("partial")])),
                ("salt", vals(&[json!(""), json!("s3cret")])),
            ];
            (gen::options(rng, &keys, n, 0.6), Value::Null)
        }
        Target::CustomerValue => {
            let mut o = gen::options(
                rng,
                &[
                    (
                        "calibrationEnd",
                        vals(&[json!("2021-06-30"), json!("2023-01-01"), json!("1900-01-01"), json!("garbage")]),
                    ),
                    ("observationEnd", vals(&[json!("2022-06-30"), json!("2024-12-31"), json!("2021-06-29")])),
                    ("timeUnit", vals(&[json!("days"), json!("weeks"), json!("months")])),
                    ("horizon", vals(&[json!(1), json!(12), json!(120), json!(1200), json!(0)])),
                    ("discountRate", vals(&[json!(0.0), json!(0.01), json!(0.5), json!(-0.5), json!(1e9)])),
                    ("penalizer", vals(&[json!(0.0), json!(0.001), json!(1e6)])),
                ],
                n,
                0.25,
            );
            if let Value::Object(m) = &mut o {
                m.insert("customer".into(), like(rng, "customer"));
                m.insert("date".into(), like(rng, "date"));
                match rng.below(3) {
                    0 => {
                        m.insert("amount".into(), like(rng, "amount"));
                    }
                    1 => {
                        m.insert("quantity".into(), like(rng, "quant"));
                        m.insert("price".into(), like(rng, "price"));
                    }
                    _ => {}
                }
                if rng.below(3) == 0 {
                    m.insert("invoice".into(), like(rng, "invoice"));
                }
            }
            (o, Value::Null)
        }
        Target::Segment => {
            let keys = vec![
                ("columns", vec![cols(rng)]),
                ("k", vals(&[json!("auto"), json!(1), json!(2), json!(3), json!(8), json!(1000)])),
                ("kRange", vals(&[json!([2, 4]), json!([2, 31]), json!([3, 3]), json!([5, 2]), json!([0, 1])])),
                ("algorithm", vals(&[json!("kmeans"), json!("minibatch"), json!("kprototypes"), json!("auto")])),
                ("scaling", vals(&[json!("standard"), json!("robust"), json!("none")])),
                ("missing", vals(&[json!("impute"), json!("drop")])),
                ("seed", vals(&[json!(0), json!(7)])),
                ("nInit", vals(&[json!(1), json!(3), json!(100)])),
                ("maxIter", vals(&[json!(1), json!(3), json!(10000)])),
                ("tol", vals(&[json!(0.0), json!(1e-4), json!(1e308)])),
                (
                    "weights",
                    vec![json!({}), json!({ "amount": 2.0 }), json!({ col(rng).as_str().unwrap_or("x"): 1e6 })],
                ),
            ];
            (gen::options(rng, &keys, n, 0.3), Value::Null)
        }
        Target::Sentiment => {
            let keys = vec![
                ("column", vec![like(rng, "text"), col(rng)]),
                ("language", vals(&[json!("auto"), json!("en"), json!("zh")])),
                ("explain", vals(&[json!(true), json!(false)])),
                ("aspects", vals(&[json!(true), json!(false)])),
                ("customer", vec![like(rng, "customer")]),
                (
                    "thresholds",
                    vals(&[json!({"positive": 0.05, "negative": -0.05}), json!({"positive": -1, "negative": 1})]),
                ),
            ];
            let mut o = gen::options(rng, &keys, n, 0.4);
            if let Value::Object(m) = &mut o {
                m.entry("column").or_insert_with(|| gen::column_like(rng, n, "text"));
            }
            (o, Value::Null)
        }
        Target::Rules => {
            let keys = vec![
                ("key", n.iter().map(|c| json!(c)).collect()),
                ("asOf", vals(&[json!("2024-01-31"), json!("2000-02-29"), json!("9999-12-31"), json!("2024-02-30")])),
                ("trigger", vals(&[json!("change"), json!("always")])),
                ("maxEvents", vals(&[json!(0), json!(1), json!(10), json!(1000)])),
            ];
            let mut o = gen::options(rng, &keys, n, 0.25);
            if let Value::Object(m) = &mut o {
                // The date functions need `asOf`: most inputs give one.
                if !m.contains_key("asOf") && rng.below(5) > 0 {
                    m.insert("asOf".into(), json!("2024-06-30"));
                }
            }
            // The table as the run will load it: typed conditions over its real columns.
            let cols: Vec<(String, crmlens::table::DataType)> = match load(&bytes) {
                Ok(ds) => ds.columns().iter().map(|c| (c.name.clone(), c.dtype())).collect(),
                Err(_) => Vec::new(),
            };
            let extra = json!({ "rules": super::rules_gen::rule_list(rng, n, &cols), "tamper": rng.next_u64(), "again": rng.below(2) == 0 });
            (o, extra)
        }
        Target::SentimentModel | Target::SentimentModelFromJson => {
            let k = 1 + rng.below(60);
            let texts = gen::texts(rng, k);
            let classes = 1 + rng.below(4);
            let labels: Vec<String> = (0..k).map(|_| format!("c{}", rng.below(classes))).collect();
            let keys = vec![
                ("language", vals(&[json!("auto"), json!("en"), json!("zh")])),
                ("model", vals(&[json!("naive-bayes"), json!("logistic")])),
                ("alpha", vals(&[json!(1.0), json!(0.0), json!(1e-9)])),
                ("l2", vals(&[json!(0.0), json!(1e-4), json!(100.0)])),
                ("epochs", vals(&[json!(1), json!(20), json!(10000)])),
                ("seed", vals(&[json!(1)])),
            ];
            let o = gen::options(rng, &keys, n, 0.4);
            let variant = if t == Target::SentimentModelFromJson { "from_json" } else { "" };
            let extra = json!({ "texts": texts, "labels": labels, "tamper": rng.next_u64(), "variant": variant });
            return Input { data: Vec::new(), options: o, extra };
        }
        Target::Recommend | Target::RecommendEvaluate | Target::RecommenderFromJson => {
            let mut o = gen::options(
                rng,
                &[
                    (
                        "method",
                        vals(&[json!("item-knn"), json!("als"), json!("popularity"), json!("recency"), json!("auto")]),
                    ),
                    ("factors", vals(&[json!(1), json!(8), json!(512)])),
                    ("regularization", vals(&[json!(0.0), json!(1e-6), json!(0.1)])),
                    ("iterations", vals(&[json!(1), json!(5)])),
                    ("alpha", vals(&[json!(0.0), json!(40.0), json!(1e30)])),
                    ("cgSteps", vals(&[json!(1), json!(3)])),
                    ("neighbours", vals(&[json!(1), json!(20)])),
                ],
                n,
                0.3,
            );
            if let Value::Object(m) = &mut o {
                m.insert("user".into(), like(rng, "customer"));
                m.insert("item".into(), like(rng, "item"));
                if rng.below(3) == 0 {
                    m.insert("weight".into(), like(rng, "quant"));
                }
                if rng.below(3) == 0 {
                    m.insert("timestamp".into(), like(rng, "date"));
                }
            }
            let eval = gen::options(
                rng,
                &[
                    ("k", vals(&[json!(1), json!(10), json!(100000)])),
                    ("split", vals(&[json!("leave-last-out"), json!("random")])),
                ],
                n,
                0.5,
            );
            let variant = match t {
                Target::RecommendEvaluate => "evaluate",
                Target::RecommenderFromJson => "from_json",
                _ => "",
            };
            (o, json!({ "evaluate": eval, "k": rng.below(20), "tamper": rng.next_u64(), "variant": variant }))
        }
        Target::AssociationRules => {
            let mut o = gen::options(
                rng,
                &[
                    ("minSupport", vals(&[json!(0.001), json!(0.01), json!(0.1), json!(1.0)])),
                    ("minConfidence", vals(&[json!(0.0), json!(0.5), json!(1.0)])),
                    ("minLift", vals(&[json!(0.0), json!(1.0)])),
                    ("maxLen", vals(&[json!(2), json!(3), json!(64)])),
                ],
                n,
                0.5,
            );
            if let Value::Object(m) = &mut o {
                m.insert("transaction".into(), if rng.below(2) == 0 { like(rng, "invoice") } else { col(rng) });
                m.insert("item".into(), if rng.below(2) == 0 { like(rng, "item") } else { col(rng) });
            }
            (o, Value::Null)
        }
        m => return super::modules::generate(m, rng, corpus, max),
    };
    Input { data: bytes, options, extra }
}

fn load(data: &[u8]) -> crmlens::Result<Dataset> {
    io::read_bytes(data, LoadOptions::default())
}

fn opts<T: serde::de::DeserializeOwned>(v: &Value) -> crmlens::Result<T> {
    options_from_json(&v.to_string())
}

fn table_text(ds: &Dataset) -> crmlens::Result<String> {
    io::to_csv(ds, &io::CsvWriteOptions { escape_formulas: false, ..Default::default() })
}

fn finite_or(what: &str, xs: impl IntoIterator<Item = f64>) -> Verdict {
    match xs.into_iter().find(|x| !x.is_finite()) {
        Some(x) => Verdict::Wrong(format!("{what}: {x} returned as a result without an error")),
        None => Verdict::Ok,
    }
}

/// `maxRows: N` returns at most N rows, whatever the format and wherever the limit falls
/// (findings 03 and 05: N + 1 for NDJSON above 64 KiB and for whitespace mode).
fn within_max_rows(o: &Value, ds: &Dataset) -> Verdict {
    match o.get("maxRows").and_then(Value::as_u64) {
        Some(m) if ds.num_rows() as u64 > m => Verdict::Wrong(format!("maxRows {m} returned {} rows", ds.num_rows())),
        _ => Verdict::Ok,
    }
}

pub fn execute(t: Target, input: &Input) -> crmlens::Result<Verdict> {
    let o = &input.options;
    match t {
        Target::LoadCsv => Ok(within_max_rows(o, &io::read_bytes(&input.data, opts(o)?)?)),
        Target::LoadJson => Ok(within_max_rows(o, &io::read_json_bytes(&input.data, opts(o)?)?)),
        Target::LoadChunked => {
            // Chunked = whole: the same table whatever the chunk sizes.
            let lo: LoadOptions = opts(o)?;
            let whole = io::read_bytes(&input.data, lo.clone());
            let sizes: Vec<usize> = serde_json::from_value(input.extra["chunks"].clone()).unwrap_or_else(|_| vec![7]);
            let mut loader = io::Loader::new(lo)?;
            let (mut at, mut i) = (0usize, 0usize);
            let chunked = (|| {
                while at < input.data.len() {
                    let n = sizes[i % sizes.len()].max(1);
                    loader.push(&input.data[at..(at + n).min(input.data.len())])?;
                    at += n;
                    i += 1;
                    if loader.is_full() {
                        break;
                    }
                }
                loader.finish()
            })();
            match (whole, chunked) {
                (Ok(a), Ok(b)) => {
                    let (ta, tb) = (table_text(&a)?, table_text(&b)?);
                    if ta != tb || a.num_rows() != b.num_rows() {
                        return Ok(Verdict::Wrong(format!(
                            "chunked load differs from whole: {} vs {} rows, {} vs {} columns",
                            a.num_rows(),
                            b.num_rows(),
                            a.num_columns(),
                            b.num_columns()
                        )));
                    }
                    Ok(Verdict::Ok)
                }
                (Err(a), Err(b)) if a.code() == b.code() => Err(a),
                (a, b) => Ok(Verdict::Wrong(format!(
                    "chunked load and whole load disagree: whole {:?}, chunked {:?}",
                    a.map(|d| d.num_rows()).map_err(|e| e.to_string()),
                    b.map(|d| d.num_rows()).map_err(|e| e.to_string())
                ))),
            }
        }
        Target::CsvRoundTrip => {
            // toCsv → fromCsv keeps every row, column, name and value.
            let ds = io::read_bytes(&input.data, opts(o)?)?;
            if ds.num_columns() == 0 {
                return Ok(Verdict::Ok);
            }
            let text = table_text(&ds)?;
            let back = io::read_csv_bytes(text.as_bytes(), LoadOptions { header: Some(true), ..Default::default() })?;
            if back.num_rows() != ds.num_rows() || back.num_columns() != ds.num_columns() {
                return Ok(Verdict::Wrong(format!(
                    "toCsv → fromCsv: {} × {} became {} × {}",
                    ds.num_rows(),
                    ds.num_columns(),
                    back.num_rows(),
                    back.num_columns()
                )));
            }
            // No value lost on the way: the same names and, per column, the same number of
            // missing cells (a `missingValues` option of the first load may make text such
            // as "NA" a value there that the default re-read takes as missing).
            if back.column_names() != ds.column_names() {
                return Ok(Verdict::Wrong(format!(
                    "toCsv → fromCsv renamed columns: {:?} became {:?}",
                    ds.column_names(),
                    back.column_names()
                )));
            }
            if o.get("missingValues").is_none() {
                for (a, b) in ds.columns().iter().zip(back.columns()) {
                    if a.null_count() != b.null_count() {
                        return Ok(Verdict::Wrong(format!(
                            "toCsv → fromCsv: column {:?} had {} missing cells, {} after the round trip",
                            a.name,
                            a.null_count(),
                            b.null_count()
                        )));
                    }
                }
            }
            Ok(Verdict::Ok)
        }
        Target::Profile => {
            let ds = load(&input.data)?;
            crmlens::profile::profile(&ds, &opts(o)?)?;
            Ok(Verdict::Ok)
        }
        Target::Clean => {
            let ds = load(&input.data)?;
            crmlens::clean::clean(&ds, &opts(o)?)?;
            Ok(Verdict::Ok)
        }
        Target::Mask => {
            let ds = load(&input.data)?;
            let (masked, _) = crmlens::clean::mask(&ds, &opts(o)?)?;
            if masked.num_rows() != ds.num_rows() {
                return Ok(Verdict::Wrong(format!(
                    "mask changed the row count {} → {}",
                    ds.num_rows(),
                    masked.num_rows()
                )));
            }
            Ok(Verdict::Ok)
        }
        Target::CustomerValue => {
            let ds = load(&input.data)?;
            let cv = crmlens::value::customer_value(&ds, &opts(o)?)?;
            let m = &cv.model;
            let p = &m.bg_nbd.params;
            Ok(finite_or("BG/NBD parameters", [p.r, p.alpha, p.a, p.b]))
        }
        Target::Segment => {
            let ds = load(&input.data)?;
            let s = crmlens::segment::segment(&ds, &opts(o)?)?;
            let used: Vec<f64> = (0..s.report.k)
                .filter(|&j| s.report.segments.iter().any(|g| g.id as usize == j && g.size > 0))
                .flat_map(|j| {
                    let p = s.report.centroid_columns.len();
                    s.centroids[j * p..(j + 1) * p].to_vec()
                })
                .collect();
            Ok(finite_or("segment centroid", used))
        }
        Target::Sentiment => {
            let ds = load(&input.data)?;
            let r = crmlens::sentiment::dataset::sentiment_of_dataset(&ds, &opts(o)?)?;
            Ok(finite_or("sentiment compound", r.compound.iter().copied().filter(|x| !x.is_nan())))
        }
        Target::SentimentModel | Target::SentimentModelFromJson => {
            let texts: Vec<String> = serde_json::from_value(input.extra["texts"].clone()).unwrap_or_default();
            let labels: Vec<String> = serde_json::from_value(input.extra["labels"].clone()).unwrap_or_default();
            let t: Vec<&str> = texts.iter().map(|s| s.as_str()).collect();
            let l: Vec<&str> = labels.iter().map(|s| s.as_str()).collect();
            let mut model = crmlens::sentiment::trainable::SentimentModel::train(&t, &l, &opts(o)?)?;
            if matches_target(input, "from_json") {
                let mut j = serde_json::to_value(model.to_json()).map_err(|e| CrmError::state(e.to_string()))?;
                let mut rng = Rng::new(input.extra["tamper"].as_u64().unwrap_or(0));
                gen::tamper(&mut rng, &mut j);
                let parsed: crmlens::sentiment::trainable::ModelJson = opts(&j)?;
                model = crmlens::sentiment::trainable::SentimentModel::from_json(parsed)?;
            }
            let probs: Vec<f64> = t.iter().take(8).flat_map(|s| model.probabilities(s)).collect();
            Ok(finite_or("sentiment model probability", probs))
        }
        Target::Recommend | Target::RecommendEvaluate | Target::RecommenderFromJson => {
            let ds = load(&input.data)?;
            let mut model = crmlens::recommend::Recommender::fit_dataset(&ds, &opts(o)?)?;
            if matches_target(input, "from_json") {
                let mut j: Value =
                    serde_json::from_str(&model.to_json()?).map_err(|e| CrmError::state(e.to_string()))?;
                let mut rng = Rng::new(input.extra["tamper"].as_u64().unwrap_or(0));
                gen::tamper(&mut rng, &mut j);
                model = crmlens::recommend::Recommender::from_json(&j.to_string())?;
            }
            if matches_target(input, "evaluate") {
                model.evaluate(&opts(&input.extra["evaluate"])?)?;
                return Ok(Verdict::Ok);
            }
            let k = input.extra["k"].as_u64().unwrap_or(5) as usize;
            let users: Vec<String> = model.users().iter().take(4).cloned().collect();
            let mut scores = Vec::new();
            for u in &users {
                let recs = model.recommend(u, &crmlens::recommend::RecommendOptions::with_k(k))?;
                scores.extend(recs.iter().map(|r| r.score));
            }
            if let Some(item) = model.items().first().cloned() {
                model.similar_items(&item, k)?;
            }
            Ok(finite_or("recommendation score", scores))
        }
        Target::Rules => {
            // Counts add up and stay within the rows; `maxEvents` holds; the snapshot (tampered
            // or not) feeds a second run that is refused or runs.
            let ds = load(&input.data)?;
            let list: Vec<crmlens::rules::Rule> = opts(&input.extra["rules"])?;
            let ro: crmlens::rules::RulesOptions = opts(o)?;
            let r = crmlens::rules::rules(&ds, &list, &ro)?;
            let rows = ds.num_rows();
            if let Some(c) =
                r.counts.iter().find(|c| c.matched > rows || c.undecided > rows || c.new + c.continuing != c.matched)
            {
                return Ok(Verdict::Wrong(format!("rule counts of {:?} over {rows} rows: {c:?}", c.rule)));
            }
            if let Some(m) = o.get("maxEvents").and_then(Value::as_u64).filter(|m| *m > 0) {
                if r.events.num_rows() as u64 > m {
                    return Ok(Verdict::Wrong(format!("maxEvents {m} returned {} events", r.events.num_rows())));
                }
            }
            if input.extra["again"].as_bool() == Some(true) {
                let mut snap = serde_json::to_value(&r.snapshot).map_err(|e| CrmError::state(e.to_string()))?;
                let mut rng = Rng::new(input.extra["tamper"].as_u64().unwrap_or(0));
                if rng.below(2) == 0 {
                    gen::tamper(&mut rng, &mut snap);
                }
                let mut again = o.clone();
                if let Value::Object(m) = &mut again {
                    m.insert("previous".into(), snap);
                }
                crmlens::rules::rules(&ds, &list, &opts(&again)?)?;
            }
            Ok(Verdict::Ok)
        }
        Target::AssociationRules => {
            let ds = load(&input.data)?;
            let r = crmlens::recommend::association_rules(&ds, &opts(o)?)?;
            Ok(finite_or("rule measure", r.rules.iter().flat_map(|x| [x.support, x.confidence, x.lift, x.leverage])))
        }
        m => super::modules::execute(m, input),
    }
}

/// The from-JSON and evaluate variants share their generator with the plain target; the
/// driver marks which one an input is for in `extra.variant`.
fn matches_target(input: &Input, variant: &str) -> bool {
    input.extra.get("variant").and_then(|v| v.as_str()) == Some(variant)
}
