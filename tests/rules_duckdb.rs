//! Differential test of the rules language against DuckDB's `WHERE` (issue 18): ≥ 10,000
//! random conditions over Telco and the CDNOW customer table (each also with 8 % of its cells
//! made missing), generated from a seed by `rules_support::gen`, each evaluated by crmlens
//! from its expression text and from its JSON Logic form; the matched and undecided
//! (`WHERE (cond) IS NULL`) row counts must equal DuckDB's.
//!
//! DuckDB's counts are in tests/fixtures/rules/duckdb_counts.json (counts and a hash of each
//! condition only: the conditions quote values of Telco, which may not be copied into the
//! repo). To regenerate it:
//!
//!     cargo test --test rules_duckdb -- --ignored write_cases    # tests/out/rules/: tables + cases
//!     /tmp/venv-rules/bin/python scripts/reference/rules_duckdb.py
//!
//! The same counts from DuckDB-Wasm (the npm dev dependency `@duckdb/duckdb-wasm`, Node
//! blocking bundle), compared with the fixture case by case (2026-12-07: DuckDB-Wasm v1.4.3,
//! 10,400 cases, 0 differ); `--write` writes the fixture from DuckDB-Wasm instead:
//!
//!     node scripts/reference/rules_duckdb_wasm.mjs

mod rules_support;

use crmlens::rules::{compile, parse_as_of, When};
use crmlens::task::{run, Ctl};
use crmlens::Dataset;
use rules_support::gen::{Case, Gen};

const SEED: u64 = 0x5eed_0018;
const PER_TABLE: usize = 2_600;

fn cases_of(name: &str, ds: &Dataset) -> Vec<Case> {
    let as_of = name.starts_with("cdnow").then_some(rules_support::CDNOW_AS_OF);
    let seed = SEED ^ crmlens::table::hash::hash_bytes(name.as_bytes());
    let mut g = Gen::new(ds, seed, as_of);
    (0..PER_TABLE).map(|_| g.case()).collect()
}

fn hash(table: &str, text: &str) -> String {
    format!("{:016x}", crmlens::table::hash::hash_bytes(format!("{table}\n{text}").as_bytes()))
}

fn out_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/out/rules")
}

#[test]
#[ignore = "writes the inputs of scripts/reference/rules_duckdb.py"]
fn write_cases() {
    let dir = out_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let mut tables = serde_json::Map::new();
    let mut cases = Vec::new();
    for (name, ds) in rules_support::tables() {
        let opts = crmlens::io::export::CsvWriteOptions { escape_formulas: false, ..Default::default() };
        let csv = crmlens::io::export::to_csv(&ds, &opts).unwrap();
        let path = dir.join(format!("{name}.csv"));
        std::fs::write(&path, csv).unwrap();
        let schema: Vec<serde_json::Value> =
            ds.columns().iter().map(|c| serde_json::json!({ "name": c.name, "type": c.dtype().name() })).collect();
        tables.insert(name.into(), serde_json::json!({ "csv": path, "schema": schema }));
        for c in cases_of(name, &ds) {
            cases.push(serde_json::json!({ "table": name, "hash": hash(name, &c.text), "text": c.text, "sql": c.sql }));
        }
    }
    let doc = serde_json::json!({ "seed": SEED, "tables": tables, "cases": cases });
    std::fs::write(dir.join("cases.json"), serde_json::to_string(&doc).unwrap()).unwrap();
}

#[test]
fn conditions_agree_with_duckdb() {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules/duckdb_counts.json");
    let fixture: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let want = fixture["cases"].as_array().unwrap();
    assert!(want.len() >= 10_000, "{} cases", want.len());
    let mut k = 0;
    let (mut some_matched, mut some_undecided, mut some_none, mut checked, mut same_plan) = (0, 0, 0, 0, 0);
    for (name, ds) in rules_support::tables() {
        let as_of = name.starts_with("cdnow").then(|| parse_as_of(rules_support::CDNOW_AS_OF).unwrap());
        for case in cases_of(name, &ds) {
            let w = &want[k];
            k += 1;
            // [table, hash of the text, matched, undecided]
            assert_eq!(w[0], name);
            assert_eq!(w[1], hash(name, &case.text), "case {k} is not the one DuckDB counted: regenerate the fixture");
            let (matched, undecided) = (w[2].as_u64().unwrap() as usize, w[3].as_u64().unwrap() as usize);
            let mut text_plan = None;
            for when in [When::Expr(case.text.clone()), When::Logic(case.json.clone())] {
                let c = compile(&ds, "case", &when, as_of, true)
                    .unwrap_or_else(|e| panic!("{name} case {k}: {e}\n{}\n{}", case.text, case.json));
                // A JSON Logic form that compiled to the very plan of the text is not run again.
                if text_plan.as_ref() == Some(&c) {
                    same_plan += 1;
                    continue;
                }
                text_plan = Some(c.clone());
                let got = run(c.count(&ds, &mut Ctl::none())).unwrap();
                assert_eq!(
                    (got.matched, got.undecided),
                    (matched, undecided),
                    "{name} case {k} ({}):\n{}\nSQL: {}",
                    if matches!(when, When::Expr(_)) { "text" } else { "JSON Logic" },
                    case.text,
                    case.sql
                );
            }
            checked += 1;
            some_matched += (matched > 0) as usize;
            some_undecided += (undecided > 0) as usize;
            some_none += (matched == 0) as usize;
        }
    }
    assert_eq!(k, want.len());
    eprintln!("{checked} cases; {same_plan} JSON Logic forms compiled to the text's plan, the others were run");
    // The cases exercise something: most select rows, many have undecided rows, some none.
    assert!(
        some_matched * 2 > checked && some_undecided * 5 > checked && some_none > 0,
        "{some_matched} {some_undecided} {some_none} of {checked}"
    );
}
