//! Parallel loading (issue 22): a file cut into byte ranges after newlines, each range read on
//! its own (`Loader::shard`), the cuts verified by the quote scan (`io::shard::scan`) and
//! moved when they fall inside a quoted field, the column types decided across ranges, gives
//! the same rows, types and issues (with the file's own line numbers) as the whole file read
//! at once. This is the algorithm of js/pool.js, in Rust, on the real files.

use crmlens::io::shard::{scan, CsvShard, ShardType};
use crmlens::io::{read_bytes, LoadOptions, Loader};
use crmlens::profile::{
    first_pass_bytes, profile, profile_shards, second_pass_bytes, ProfileOptions, ProfileReport, ShardTotals,
};
use crmlens::table::DataType;
use crmlens::Dataset;

fn data(rel: &str) -> Vec<u8> {
    let path = format!("{}/../shared/data/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e} (../shared/data must sit beside the repo)"))
}

fn load(bytes: &[u8], opts: &LoadOptions, shard: CsvShard) -> Dataset {
    let mut l = Loader::shard(opts.clone(), shard).unwrap();
    l.push(bytes).unwrap();
    l.finish().unwrap()
}

/// (start, first line) of every shard: speculative cuts after newlines, verified.
fn shards(bytes: &[u8], n: usize, delimiter: u8, quote: u8) -> Vec<(usize, u64)> {
    let mut starts = vec![0];
    for k in 1..n {
        let at = k * bytes.len() / n;
        if let Some(p) = bytes[at.saturating_sub(1)..].iter().position(|&b| b == b'\n') {
            let s = at.saturating_sub(1) + p + 1;
            if s < bytes.len() && s > *starts.last().unwrap() {
                starts.push(s);
            }
        }
    }
    let (mut inside, mut line, mut out) = (false, 1u64, Vec::new());
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(bytes.len());
        let sc = scan(&bytes[s..end], delimiter, quote);
        if !inside {
            out.push((s, line));
        } else if let Some((off, nl)) = sc.boundary {
            out.push((s + off as usize, line + nl));
        }
        inside = if inside { sc.inside_ends_inside } else { sc.outside_ends_inside };
        line += sc.newlines;
    }
    out
}

/// The pool's type decision for one column over the shards' own types (js/pool.js `decide`).
fn decide(was: ShardType, types: &[DataType], formats: &[Option<String>]) -> ShardType {
    let same = types.iter().all(|t| *t == types[0]) && formats.iter().all(|f| *f == formats[0]);
    if same {
        return was;
    }
    let all = |ok: &dyn Fn(&DataType) -> bool| types.iter().all(ok);
    if all(&|t| matches!(t, DataType::Int64 | DataType::Float64)) {
        return ShardType::Float;
    }
    if all(&|t| matches!(t, DataType::Category | DataType::Text)) {
        return ShardType::Text;
    }
    if all(&|t| matches!(t, DataType::Date | DataType::Datetime)) && types.iter().all(|t| *t == types[0]) {
        // Same type, the order differs: the order of most rows' shards (the pool: of rows).
        let dmy = formats.iter().filter(|f| f.as_deref().is_some_and(|f| f.starts_with("DD"))).count();
        return if 2 * dmy >= formats.len() { ShardType::Dmy } else { ShardType::Mdy };
    }
    ShardType::String
}

fn sharded(bytes: &[u8], n: usize, opts: &LoadOptions) -> Vec<Dataset> {
    let head = read_bytes(&bytes[..bytes.len().min(256 * 1024)], LoadOptions { max_rows: Some(1000), ..opts.clone() })
        .unwrap();
    let delim = head.source.delimiter.clone().unwrap();
    let d = if delim == "whitespace" { b' ' } else { delim.as_bytes()[0] };
    let quote = if delim == "whitespace" { 0 } else { b'"' };
    let cuts = shards(bytes, n, d, quote);
    let names: Vec<String> = head.columns().iter().map(|c| c.name.clone()).collect();
    let forced = LoadOptions {
        delimiter: Some(delim),
        encoding: Some(head.source.encoding.clone()),
        header: Some(false),
        ..opts.clone()
    };
    let range = |k: usize| cuts[k].0..cuts.get(k + 1).map_or(bytes.len(), |c| c.0);
    let spec = |k: usize, force: Vec<ShardType>| CsvShard {
        names: (k > 0).then(|| names.clone()),
        first_line: cuts[k].1,
        last: k + 1 == cuts.len(),
        force,
    };
    let one =
        |k: usize, force: Vec<ShardType>| load(&bytes[range(k)], if k == 0 { opts } else { &forced }, spec(k, force));
    let mut parts: Vec<Dataset> = (0..cuts.len()).map(|k| one(k, vec![])).collect();
    let mut force = vec![ShardType::Auto; names.len()];
    for _round in 0..3 {
        let next: Vec<ShardType> = (0..names.len())
            .map(|j| {
                let live = parts.iter().filter(|p| p.num_rows() > 0);
                let t: Vec<DataType> = live.clone().map(|p| p.columns()[j].dtype()).collect();
                let f: Vec<Option<String>> = live.map(|p| p.columns()[j].format.clone()).collect();
                decide(force[j], &t, &f)
            })
            .collect();
        if next == force {
            break;
        }
        force = next;
        parts = (0..cuts.len()).map(|k| one(k, force.clone())).collect();
    }
    parts
}

fn cells(ds: &Dataset) -> Vec<Vec<Option<String>>> {
    (0..ds.num_rows()).map(|i| ds.columns().iter().map(|c| c.get(i).to_text()).collect()).collect()
}

fn same_as_whole(bytes: &[u8], opts: &LoadOptions, what: &str) {
    let whole = read_bytes(bytes, opts.clone()).unwrap();
    for n in [1, 2, 3, 7] {
        let parts = sharded(bytes, n, opts);
        let rows: usize = parts.iter().map(|p| p.num_rows()).sum();
        assert_eq!(rows, whole.num_rows(), "{what} n={n}: rows");
        let mut got = Vec::new();
        let mut issues = Vec::new();
        for p in &parts {
            if p.num_rows() > 0 {
                let a: Vec<_> = p.columns().iter().map(|c| (c.name.clone(), c.dtype())).collect();
                let b: Vec<_> = whole.columns().iter().map(|c| (c.name.clone(), c.dtype())).collect();
                assert_eq!(a, b, "{what} n={n}: names and types");
            }
            got.extend(cells(p));
            issues.extend(p.issues.iter().cloned());
        }
        assert_eq!(got, cells(&whole), "{what} n={n}: cells");
        assert_eq!(issues, whole.issues, "{what} n={n}: issues");
    }
}

#[test]
fn real_files_sharded_equal_whole() {
    let o = LoadOptions::default();
    same_as_whole(&data("telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv"), &o, "telco");
    same_as_whole(&data("telco_customer_churn/Telco-Customer-Churn.DirtyDF-variant.csv"), &o, "telco dirty");
    same_as_whole(&data("bank_marketing/bank.csv"), &o, "bank");
    same_as_whole(&data("cdnow_lifetimes/CDNOW_master.txt"), &o, "cdnow");
}

/// Telco with a free-text column whose notes span lines inside quotes (one every few rows),
/// so that cuts fall inside quoted fields.
fn with_quoted_newlines() -> Vec<u8> {
    let text = String::from_utf8(data("telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv")).unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        out.push_str(line.trim_end_matches('\r'));
        out.push(',');
        if i == 0 {
            out.push_str("note");
        } else if i % 3 == 0 {
            out.push_str(&format!("\"called {i} times,\nsaid \"\"call back\"\"\n\nlater\""));
        } else {
            out.push_str(&format!("plain {i}"));
        }
        out.push('\n');
    }
    out.into_bytes()
}

#[test]
fn quoted_newlines_across_cuts() {
    let bytes = with_quoted_newlines();
    // Cuts into 2..40 ranges: many speculative cuts land inside the quoted notes and are moved
    // to the next record start (a verified cut is never inside a quote: its line is a record's).
    let whole = read_bytes(&bytes, LoadOptions::default()).unwrap();
    let (mut moved, mut all) = (0, 0);
    for n in 2..40 {
        for (k, &(s, line)) in shards(&bytes, n, b',', b'"').iter().enumerate().skip(1) {
            all += 1;
            let spec = bytes[k * bytes.len() / n - 1..].iter().position(|&b| b == b'\n').unwrap() + k * bytes.len() / n;
            moved += (s != spec) as usize;
            assert_eq!(bytes[..s].iter().filter(|&&b| b == b'\n').count() as u64 + 1, line);
            assert!(
                bytes[s..].starts_with(b"0") || bytes[s..].first().is_some_and(u8::is_ascii_digit),
                "cut at a record"
            );
        }
    }
    assert!(moved > 0 && moved < all, "{moved} of {all} cuts moved");
    assert!(whole.num_rows() == 7043);
    same_as_whole(&bytes, &LoadOptions::default(), "telco + quoted newlines");
}

#[test]
fn a_quote_never_closed_joins_the_later_ranges_to_its_own() {
    let mut bytes = data("telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv");
    // An opening quote a third of the way in that never closes (Telco has no other quote):
    // the single loader re-reads the rest literally, and so must the shard it opened in.
    let at = bytes.len() / 3;
    let nl = at + bytes[at..].iter().position(|&b| b == b'\n').unwrap() + 1;
    bytes.splice(nl..nl, b"9999-OPEN,\"this quote never closes,".iter().copied());
    let cuts = shards(&bytes, 7, b',', b'"');
    assert!(cuts.len() <= 3, "cuts after the open quote are inside it: {cuts:?}");
    same_as_whole(&bytes, &LoadOptions::default(), "open quote");
}

#[test]
fn a_column_typed_differently_in_two_ranges_is_one_type() {
    // Integers in the first half, fractions in the second; day-first dates decided by the
    // second half only; a code column that turns to letters at the end.
    let mut text = String::from("id,amount,when,code\n");
    for i in 0..4000 {
        let amount = if i < 2000 { format!("{}", i % 50) } else { format!("{}.5", i % 50) };
        let when = if i < 3000 { "01/02/2024".to_string() } else { format!("{}/02/2024", 13 + i % 10) };
        let code = if i < 3900 { format!("{}", 100 + i % 7) } else { "X1".to_string() };
        text.push_str(&format!("{i},{amount},{when},{code}\n"));
    }
    let bytes = text.into_bytes();
    let whole = read_bytes(&bytes, LoadOptions::default()).unwrap();
    assert_eq!(whole.columns()[1].dtype(), DataType::Float64);
    for n in [2, 3, 7] {
        let parts = sharded(&bytes, n, &LoadOptions::default());
        for p in &parts {
            assert_eq!(p.columns()[1].dtype(), DataType::Float64, "n={n}");
            assert_eq!(p.columns()[3].dtype(), whole.columns()[3].dtype(), "n={n}");
        }
        let rows: usize = parts.iter().map(|p| p.num_rows()).sum();
        assert_eq!(rows, 4000);
    }
}

/// Numbers equal up to 1e-9 relative (sums merged in another order); everything else exact.
fn close(a: &serde_json::Value, b: &serde_json::Value, path: &str) {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!((x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0), "{path}: {x} vs {y}");
        }
        (Array(x), Array(y)) => {
            assert_eq!(x.len(), y.len(), "{path}: length");
            x.iter().zip(y).enumerate().for_each(|(i, (x, y))| close(x, y, &format!("{path}[{i}]")));
        }
        (Object(x), Object(y)) => {
            assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>(), "{path}: keys");
            x.iter().for_each(|(k, v)| close(v, &y[k], &format!("{path}.{k}")));
        }
        _ => assert_eq!(a, b, "{path}"),
    }
}

fn pack(parts: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in parts {
        out.extend_from_slice(&(p.len() as u64).to_le_bytes());
        out.extend_from_slice(p);
    }
    out
}

/// The profile of a table held in shards (first pass per shard, merged; second pass per
/// shard planned from the merge; report from both), as js/pool.js computes it in workers.
fn profile_of_shards(parts: &[Dataset], opts: &ProfileOptions) -> ProfileReport {
    let live: Vec<&Dataset> = parts.iter().filter(|p| p.num_rows() > 0).collect();
    let firsts = pack(&live.iter().map(|p| first_pass_bytes(p, opts).unwrap()).collect::<Vec<_>>());
    let seconds = pack(&live.iter().map(|p| second_pass_bytes(p, opts, &firsts).unwrap()).collect::<Vec<_>>());
    let totals = ShardTotals {
        rows: live.iter().map(|p| p.num_rows() as u64).sum(),
        memory_bytes: live.iter().map(|p| p.memory_bytes() as u64).sum(),
        missing_tokens: (0..live[0].num_columns())
            .map(|j| {
                let mut m: Vec<(String, usize)> = Vec::new();
                for p in &live {
                    for (t, c) in &p.columns()[j].missing_tokens {
                        match m.iter_mut().find(|x| x.0 == *t) {
                            Some(x) => x.1 += c,
                            None => m.push((t.clone(), *c)),
                        }
                    }
                }
                m
            })
            .collect(),
    };
    profile_shards(live[0], opts, &firsts, &seconds, &totals).unwrap()
}

#[test]
fn profile_of_shards_equals_the_whole_tables() {
    let opts = ProfileOptions::default();
    for (rel, what) in [
        ("telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv", "telco"),
        ("bank_marketing/bank.csv", "bank"),
        ("cdnow_lifetimes/CDNOW_master.txt", "cdnow"),
    ] {
        let bytes = data(rel);
        let whole = read_bytes(&bytes, LoadOptions::default()).unwrap();
        let mut want = serde_json::to_value(profile(&whole, &opts).unwrap()).unwrap();
        for n in [1, 3, 7] {
            let parts = sharded(&bytes, n, &LoadOptions::default());
            let mut got = serde_json::to_value(profile_of_shards(&parts, &opts)).unwrap();
            // The shards' memory is their sum (each keeps its own dictionaries).
            got["dataset"]["memoryBytes"] = 0.into();
            want["dataset"]["memoryBytes"] = 0.into();
            close(&got, &want, &format!("{what} n={n}"));
        }
    }
}

#[test]
fn damaged_profile_states_are_errors() {
    let ds = read_bytes(&data("bank_marketing/bank.csv"), LoadOptions::default()).unwrap();
    let opts = ProfileOptions::default();
    let first = first_pass_bytes(&ds, &opts).unwrap();
    for cut in [0, 7, first.len() / 2, first.len() - 1] {
        let packed = pack(&[first[..cut].to_vec()]);
        assert!(second_pass_bytes(&ds, &opts, &packed).is_err(), "cut at {cut}");
    }
    // A column count far beyond the bytes (just after the 10-byte CRMS header).
    let mut huge = first.clone();
    huge[10..18].copy_from_slice(&(u64::MAX / 2).to_le_bytes());
    assert_eq!(second_pass_bytes(&ds, &opts, &pack(&[huge])).unwrap_err().code(), "PARSE_ERROR");
    // Another version of the form: INVALID_STATE, not a silent misread.
    let mut other = first.clone();
    other[8] = other[8].wrapping_add(1);
    assert_eq!(second_pass_bytes(&ds, &opts, &pack(&[other])).unwrap_err().code(), "INVALID_STATE");
    // A second-pass state where a first pass is expected.
    let firsts = pack(std::slice::from_ref(&first));
    let second = second_pass_bytes(&ds, &opts, &firsts).unwrap();
    assert_eq!(second_pass_bytes(&ds, &opts, &pack(&[second])).unwrap_err().code(), "PARSE_ERROR");
    // Trailing bytes after a state.
    let mut long = first;
    long.push(0);
    assert!(second_pass_bytes(&ds, &opts, &pack(&[long])).is_err());
}

#[test]
fn customer_value_of_shards_equals_the_whole_table() {
    use crmlens::value::shards::{customer_summary_bytes, customer_value_of_states};
    use crmlens::value::{customer_value, CustomerValueOptions};
    let bytes = data("cdnow_lifetimes/CDNOW_master.txt");
    let opts: CustomerValueOptions = serde_json::from_value(serde_json::json!({
        "customer": "customer_id", "date": "date", "amount": "dollar_value",
        "calibrationEnd": "1997-09-30", "observationEnd": "1998-06-30"
    }))
    .unwrap();
    let whole = customer_value(&read_bytes(&bytes, LoadOptions::default()).unwrap(), &opts).unwrap();
    let strip = |v: &crmlens::value::CustomerValue| {
        let mut m = serde_json::to_value(&v.model).unwrap();
        m.as_object_mut().unwrap().remove("timings");
        (m, serde_json::to_value(&v.cohorts).unwrap(), cells(&v.customers))
    };
    let want = strip(&whole);
    for n in [2, 7] {
        let parts = sharded(&bytes, n, &LoadOptions::default());
        let states: Vec<Vec<u8>> = parts.iter().map(|p| customer_summary_bytes(p, &opts).unwrap()).collect();
        let got = customer_value_of_states(states.iter().map(|s| s.as_slice()), &opts).unwrap();
        let got = strip(&got);
        close(&got.0, &want.0, &format!("model n={n}"));
        assert_eq!(got.1, want.1, "cohorts n={n}");
        assert_eq!(got.2, want.2, "customers n={n}");
    }
}
