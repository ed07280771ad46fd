//! Arrow IPC in and out (`crmlens::io::{write_ipc_stream, read_ipc_stream}`): round trips of
//! the real files (../shared/data) and of a table with every type and nulls, the byte layout
//! the format requires, the types other writers use, and hostile bytes (never a panic).

use crmlens::io::arrow::flatbuf::{build, Obj, F};
use crmlens::io::{read_bytes, read_ipc_stream, write_ipc_stream, IpcStream, LoadOptions};
use crmlens::rng::Rng;
use crmlens::table::{Column, ColumnData, DataType, StrVec, Validity, Value};
use crmlens::Dataset;

fn load(rel: &str, opts: &str) -> Dataset {
    let path = format!("{}/../shared/data/{rel}", env!("CARGO_MANIFEST_DIR"));
    let bytes =
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e} (../shared/data must sit beside the repo)"));
    read_bytes(&bytes, LoadOptions::from_json(opts).unwrap()).unwrap()
}

/// Same names, types, nulls and values (floats by bit pattern), row by row.
fn assert_same(a: &Dataset, b: &Dataset) {
    assert_eq!(a.num_rows(), b.num_rows());
    assert_eq!(a.column_names(), b.column_names());
    for (x, y) in a.columns().iter().zip(b.columns()) {
        assert_eq!((x.dtype(), x.null_count(), x.utc), (y.dtype(), y.null_count(), y.utc), "column {}", x.name);
        for row in 0..a.num_rows() {
            let (p, q) = (x.get(row), y.get(row));
            match (p, q) {
                (Value::Float(p), Value::Float(q)) => assert_eq!(p.to_bits(), q.to_bits(), "{} row {row}", x.name),
                _ => assert_eq!(p, q, "{} row {row}", x.name),
            }
        }
        if let (ColumnData::Category { dict: d1, .. }, ColumnData::Category { dict: d2, .. }) = (&x.data, &y.data) {
            assert_eq!(d1, d2, "dictionary of {}", x.name);
        }
    }
}

fn round_trip(ds: &Dataset) -> Dataset {
    let bytes = write_ipc_stream(ds);
    check_layout(&bytes);
    let back = read_ipc_stream(&bytes).unwrap();
    assert_same(ds, &back);
    // Writing what was read gives the same bytes.
    assert_eq!(write_ipc_stream(&back), bytes);
    // The streamed form: its length is known first, its pieces add up to the same bytes.
    let stream = IpcStream::new(ds);
    assert_eq!(stream.len(), bytes.len());
    let (mut pieces, mut joined) = (0, Vec::new());
    stream.write(&mut |p| {
        pieces += 1;
        joined.extend_from_slice(p);
    });
    assert_eq!(joined, bytes);
    // Handed over in pieces of about 64 KiB (one `put` may overshoot), not in one buffer.
    assert!(
        pieces >= bytes.len() >> 17 && pieces <= (bytes.len() >> 16) + 1,
        "{pieces} pieces for {} bytes",
        bytes.len()
    );
    back
}

/// Walks the messages: continuation marker, 8-byte aligned metadata and bodies, the
/// end-of-stream marker last. Returns the message count.
fn check_layout(b: &[u8]) -> usize {
    let mut at = 0;
    let mut n = 0;
    loop {
        assert_eq!(&b[at..at + 4], &[0xFF; 4], "continuation marker at {at}");
        let len = u32::from_le_bytes(b[at + 4..at + 8].try_into().unwrap()) as usize;
        at += 8;
        if len == 0 {
            assert_eq!(at, b.len(), "bytes after the end-of-stream marker");
            return n;
        }
        assert_eq!(len % 8, 0, "metadata length");
        let meta = &b[at..at + len];
        // bodyLength: field 3 of the Message table.
        let root = u32::from_le_bytes(meta[..4].try_into().unwrap()) as usize;
        let vt = root - i32::from_le_bytes(meta[root..root + 4].try_into().unwrap()) as usize;
        let off = u16::from_le_bytes(meta[vt + 10..vt + 12].try_into().unwrap()) as usize;
        assert_eq!((root + off) % 8, 0, "bodyLength aligned");
        let body = i64::from_le_bytes(meta[root + off..root + off + 8].try_into().unwrap()) as usize;
        assert_eq!(body % 8, 0);
        at += len + body;
        n += 1;
    }
}

fn every_type() -> Dataset {
    let v = |bits: &[bool]| {
        let mut v = Validity::default();
        bits.iter().for_each(|&b| v.push(b));
        v
    };
    let some = v(&[true, false, true, true, false]);
    let mut text = StrVec::default();
    for s in ["北京 \"quoted\"", "", "", "emoji 😀", ""] {
        text.push(s);
    }
    let mut dt = Column::new(
        "dt",
        ColumnData::Datetime(vec![1_700_000_000_123, 0, -86_400_001, 253_402_300_799_000, 0]),
        some.clone(),
    );
    dt.utc = true;
    let mut all_null = StrVec::default();
    (0..5).for_each(|_| all_null.push(""));
    Dataset::new(vec![
        Column::new("i", ColumnData::Int64(vec![1, 0, -9_007_199_254_740_992, 9_007_199_254_740_992, 0]), some.clone()),
        Column::new("f", ColumnData::Float64(vec![0.1, 0.0, -1e300, f64::INFINITY, 0.0]), some.clone()),
        Column::new("b", ColumnData::Bool(vec![true, false, false, true, false]), some.clone()),
        Column::new("d", ColumnData::Date(vec![0, 0, -719_162, 2_932_896, 0]), some.clone()),
        Column::new("naive", ColumnData::Datetime(vec![1, 0, 2, 3, 0]), some.clone()),
        dt,
        Column::new("c", ColumnData::Category { codes: vec![0, 0, 1, 0, 0], dict: vec!["x".into(), "é".into()] }, some),
        Column::new("c0", ColumnData::Category { codes: vec![0; 5], dict: vec![] }, v(&[false; 5])),
        Column::new("t", ColumnData::Text(text), v(&[true, false, true, true, false])),
        Column::new("t0", ColumnData::Text(all_null), v(&[false; 5])),
        Column::new("full", ColumnData::Int64(vec![5, 4, 3, 2, 1]), Validity::all_valid(5)),
    ])
    .unwrap()
}

#[test]
fn every_type_with_nulls_round_trips() {
    let ds = every_type();
    let back = round_trip(&ds);
    assert_eq!(back.source.format, "arrow");
    assert_eq!(back.column("t").unwrap().get(2), Value::Str(""));
    assert_eq!(back.column("t").unwrap().get(1), Value::Null);
    // Schema, two dictionary batches, one record batch.
    assert_eq!(check_layout(&write_ipc_stream(&ds)), 4);
    // Zero rows and zero columns.
    let empty = Dataset::new(vec![Column::new("e", ColumnData::Float64(vec![]), Validity::default())]).unwrap();
    round_trip(&empty);
    round_trip(&Dataset::new(vec![]).unwrap());
}

#[test]
fn real_files_round_trip() {
    for (rel, opts, types) in [
        ("telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv", "{}", &["category", "text", "float64"][..]),
        ("online_retail_uci_first5000/online_retail_small.csv", "{}", &["datetime"][..]),
        ("cdnow_lifetimes/CDNOW_master.txt", r#"{"delimiter":"whitespace"}"#, &["date", "int64"][..]),
        ("bank_marketing/bank.csv", "{}", &["int64", "category"][..]),
        ("waimai_10k/waimai_10k.csv", "{}", &["text"][..]),
        ("telco_customer_churn/Telco-Customer-Churn.DirtyDF-variant.csv", "{}", &[][..]),
    ] {
        let ds = load(rel, opts);
        let have: Vec<&str> = ds.columns().iter().map(|c| c.dtype().name()).collect();
        for t in types {
            assert!(have.contains(t), "{rel}: no {t} column in {have:?}");
        }
        let nulls: usize = ds.columns().iter().map(Column::null_count).sum();
        let back = round_trip(&ds);
        assert_eq!(back.num_rows(), ds.num_rows(), "{rel}");
        if rel.contains("DirtyDF") {
            assert!(nulls > 0, "{rel}: the dirty variant has missing values");
        }
    }
}

#[test]
fn bool_columns_round_trip() {
    let ds = load("telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv", "{}");
    let bools = ds.columns().iter().filter(|c| c.dtype() == DataType::Bool).count();
    let ds = if bools == 0 {
        // The loader may keep Yes/No as categories: make a bool column from one.
        let churn = ds.column("Churn").unwrap();
        let v: Vec<bool> = (0..ds.num_rows()).map(|i| churn.get(i) == Value::Str("Yes")).collect();
        let mut valid = Validity::default();
        (0..v.len()).for_each(|i| valid.push(i % 7 != 3));
        Dataset::new(vec![Column::new("churn", ColumnData::Bool(v), valid)]).unwrap()
    } else {
        ds
    };
    round_trip(&ds);
}

/// A message: marker, length, metadata, body.
fn message(kind: i64, header: Obj, body: &[u8]) -> Vec<u8> {
    let meta = build(&Obj::Table(vec![
        Some(F::Int(4, 2)),
        Some(F::Int(kind, 1)),
        Some(F::Obj(header)),
        Some(F::Int(body.len() as i64, 8)),
    ]));
    let mut out = vec![0xFF, 0xFF, 0xFF, 0xFF];
    out.extend_from_slice(&(meta.len() as u32).to_le_bytes());
    out.extend_from_slice(&meta);
    out.extend_from_slice(body);
    out
}

/// A schema field of Arrow type `type_id` with the type table's fields.
fn field<'a>(name: &'a str, type_id: i64, ty: Vec<Option<F<'a>>>, dict: Option<F<'a>>) -> Obj<'a> {
    Obj::Table(vec![
        Some(F::Obj(Obj::Str(name))),
        Some(F::Int(1, 1)),
        Some(F::Int(type_id, 1)),
        Some(F::Obj(Obj::Table(ty))),
        dict,
        Some(F::Obj(Obj::Tables(vec![]))),
    ])
}

fn schema(fields: Vec<Obj>) -> Vec<u8> {
    message(1, Obj::Table(vec![Some(F::Int(0, 2)), Some(F::Obj(Obj::Tables(fields)))]), &[])
}

/// A record batch of `rows` with the given nodes and buffers (each padded to 8 in the body).
fn batch_obj<'a>(rows: i64, nodes: Vec<(i64, i64)>, bufs: &[Vec<u8>]) -> (Obj<'a>, Vec<u8>) {
    let mut body = Vec::new();
    let mut spans = Vec::new();
    for b in bufs {
        spans.push((body.len() as i64, b.len() as i64));
        body.extend_from_slice(b);
        body.resize(body.len().next_multiple_of(8), 0);
    }
    let obj = Obj::Table(vec![Some(F::Int(rows, 8)), Some(F::Obj(Obj::Pairs(nodes))), Some(F::Obj(Obj::Pairs(spans)))]);
    (obj, body)
}

fn batch(rows: i64, nodes: Vec<(i64, i64)>, bufs: &[Vec<u8>]) -> Vec<u8> {
    let (obj, body) = batch_obj(rows, nodes, bufs);
    message(3, obj, &body)
}

const EOS: [u8; 8] = [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0];

fn le<T: Copy, const N: usize>(v: &[T], f: fn(T) -> [u8; N]) -> Vec<u8> {
    v.iter().flat_map(|&x| f(x)).collect()
}

/// The types pyarrow and DuckDB emit that crmlens does not write: narrow and unsigned
/// integers, Float32, Decimal128, Date64, Timestamp in s/µs/ns with a time zone, LargeUtf8,
/// Dictionary with Int8 indices and a delta, the Null type, several batches.
#[test]
fn reads_the_types_other_writers_use() {
    let int = |bits: i64, signed: i64| vec![Some(F::Int(bits, 4)), Some(F::Int(signed, 1))];
    let mut s = schema(vec![
        field("i8", 2, int(8, 1), None),
        field("u64", 2, int(64, 0), None),
        field("f32", 3, vec![Some(F::Int(1, 2))], None),
        field("dec", 7, vec![Some(F::Int(10, 4)), Some(F::Int(2, 4)), Some(F::Int(128, 4))], None),
        field("d64", 8, vec![Some(F::Int(1, 2))], None),
        field("ts_ns", 10, vec![Some(F::Int(3, 2)), Some(F::Obj(Obj::Str("Asia/Shanghai")))], None),
        field("ts_s", 10, vec![Some(F::Int(0, 2))], None),
        field("big", 20, vec![], None),
        field(
            "cat",
            5,
            vec![],
            Some(F::Obj(Obj::Table(vec![Some(F::Int(7, 8)), Some(F::Obj(Obj::Table(int(8, 1))))]))),
        ),
        field("nothing", 1, vec![], None),
        field("i8", 2, int(16, 0), None),
    ]);
    // Dictionary 7: ["a", "b"], then a delta adding "c".
    let dict = |values: &[&str], delta: i64| {
        let mut offsets = vec![0i32];
        let mut data = Vec::new();
        for v in values {
            data.extend_from_slice(v.as_bytes());
            offsets.push(data.len() as i32);
        }
        let (obj, body) = batch_obj(
            values.len() as i64,
            vec![(values.len() as i64, 0)],
            &[vec![], le(&offsets, i32::to_le_bytes), data],
        );
        message(2, Obj::Table(vec![Some(F::Int(7, 8)), Some(F::Obj(obj)), Some(F::Int(delta, 1))]), &body)
    };
    s.extend(dict(&["a", "b"], 0));
    let valid = vec![0b101u8]; // rows 0 and 2 present
    let strings = |v: &[&str]| {
        let mut offsets = vec![0i64];
        let mut data = Vec::new();
        for x in v {
            data.extend_from_slice(x.as_bytes());
            offsets.push(data.len() as i64);
        }
        (le(&offsets, i64::to_le_bytes), data)
    };
    let (o1, d1) = strings(&["长文本", "junk-in-a-null-slot", "z"]);
    let nodes3 = |nulls| (0..11).map(|_| (3i64, nulls)).collect::<Vec<_>>();
    let mut nodes = nodes3(1);
    nodes[9] = (3, 3);
    s.extend(batch(
        3,
        nodes,
        &[
            valid.clone(),
            le(&[-5i8, 99, 127], i8::to_le_bytes),
            valid.clone(),
            le(&[u64::MAX, 1, 1 << 53], u64::to_le_bytes),
            valid.clone(),
            le(&[1.5f32, 9.0, -0.25], f32::to_le_bytes),
            valid.clone(),
            le(&[12345i128, 7, -1], i128::to_le_bytes),
            valid.clone(),
            le(&[86_400_000i64 * 3 + 5, 0, -1], i64::to_le_bytes),
            valid.clone(),
            le(&[1_700_000_000_123_456_789i64, 77, -1], i64::to_le_bytes),
            valid.clone(),
            le(&[1_700_000_000i64, 0, -2], i64::to_le_bytes),
            valid.clone(),
            o1,
            d1,
            valid.clone(),
            le(&[1i8, 100, 0], i8::to_le_bytes),
            valid.clone(),
            le(&[65535u16, 0, 2], u16::to_le_bytes),
        ],
    ));
    s.extend(dict(&["c"], 1));
    // Second batch: one row, no nulls (no validity buffers).
    let (o2, d2) = strings(&["x"]);
    let mut bufs2 = vec![
        vec![],
        le(&[-1i8], i8::to_le_bytes),
        vec![],
        le(&[2u64], u64::to_le_bytes),
        vec![],
        le(&[2.0f32], f32::to_le_bytes),
        vec![],
        le(&[100i128], i128::to_le_bytes),
        vec![],
        le(&[0i64], i64::to_le_bytes),
        vec![],
        le(&[1_000_000i64], i64::to_le_bytes),
        vec![],
        le(&[1i64], i64::to_le_bytes),
        vec![],
        o2,
        d2,
        vec![],
        le(&[2i8], i8::to_le_bytes),
        vec![],
        le(&[7u16], u16::to_le_bytes),
    ];
    let mut nodes = (0..11).map(|_| (1i64, 0i64)).collect::<Vec<_>>();
    nodes[9] = (1, 1);
    s.extend(batch(1, nodes, &bufs2));
    s.extend(EOS);
    let ds = read_ipc_stream(&s).unwrap();
    let col = |n: &str| ds.column(n).unwrap();
    let cells = |n: &str| (0..4).map(|i| col(n).get(i).to_text()).collect::<Vec<_>>();
    let t = |v: &[Option<&str>]| v.iter().map(|x| x.map(String::from)).collect::<Vec<_>>();
    assert_eq!(ds.num_rows(), 4);
    assert_eq!(ds.column_names(), ["i8", "u64", "f32", "dec", "d64", "ts_ns", "ts_s", "big", "cat", "nothing", "i8_2"]);
    assert_eq!(cells("i8"), t(&[Some("-5"), None, Some("127"), Some("-1")]));
    // UInt64 past 2^53: kept exactly, as text, with a warning.
    assert_eq!(col("u64").dtype(), DataType::Text);
    assert_eq!(cells("u64"), t(&[Some("18446744073709551615"), None, Some("9007199254740992"), Some("2")]));
    assert!(col("u64").warnings[0].contains("2^53"));
    assert_eq!(cells("f32"), t(&[Some("1.5"), None, Some("-0.25"), Some("2")]));
    assert_eq!(cells("dec"), t(&[Some("123.45"), None, Some("-0.01"), Some("1")]));
    assert!(col("dec").warnings[0].contains("Decimal128"));
    assert_eq!(cells("d64"), t(&[Some("1970-01-04"), None, Some("1969-12-31"), Some("1970-01-01")]));
    assert!(col("ts_ns").utc);
    assert_eq!(col("ts_ns").get(0), Value::DatetimeUtc(1_700_000_000_123));
    assert_eq!(col("ts_ns").get(2), Value::DatetimeUtc(-1), "floored, not truncated toward zero");
    assert_eq!(col("ts_ns").get(3), Value::DatetimeUtc(1));
    assert!(col("ts_ns").warnings.iter().any(|w| w.contains("truncated")));
    assert!(col("ts_ns").warnings.iter().any(|w| w.contains("Asia/Shanghai")));
    assert_eq!((col("ts_s").get(0), col("ts_s").utc), (Value::Datetime(1_700_000_000_000), false));
    assert_eq!(cells("big"), t(&[Some("长文本"), None, Some("z"), Some("x")]));
    assert_eq!(col("cat").dtype(), DataType::Category);
    assert_eq!(cells("cat"), t(&[Some("b"), None, Some("a"), Some("c")]));
    let ColumnData::Category { dict, .. } = &col("cat").data else { unreachable!() };
    assert_eq!(dict, &["b", "a", "c"], "only used values, in first-seen order");
    assert_eq!((col("nothing").dtype(), col("nothing").null_count()), (DataType::Text, 4));
    assert_eq!(cells("i8_2"), t(&[Some("65535"), None, Some("2"), Some("7")]));

    // A dictionary index past the dictionary.
    bufs2[18] = le(&[3i8], i8::to_le_bytes);
    let mut bad = s[..s.len() - 8].to_vec();
    let cut = bad.len();
    bad.extend(batch(1, (0..11).map(|_| (1i64, 0i64)).collect(), &bufs2));
    let e = read_ipc_stream(&bad).unwrap_err();
    assert!(e.to_string().contains("`cat`") && e.to_string().contains("outside the dictionary"), "{e}");
    // Every truncation is an error or (at a message boundary) a shorter table, never a panic.
    for n in 0..cut {
        let _ = read_ipc_stream(&s[..n]);
    }
}

#[test]
fn unsupported_types_compression_and_bad_versions_are_named() {
    let list = schema(vec![field("tags", 12, vec![], None)]);
    let e = read_ipc_stream(&list).unwrap_err();
    assert_eq!(e.code(), "PARSE_ERROR");
    assert!(e.to_string().contains("column `tags` has Arrow type List"), "{e}");
    assert_eq!(e.location().field.as_deref(), Some("tags"));
    assert!(e.to_string().ends_with("(in the message at byte 0)"), "{e}");
    let half = schema(vec![field("h", 3, vec![Some(F::Int(0, 2))], None)]);
    assert!(read_ipc_stream(&half).unwrap_err().to_string().contains("Float16"));

    let mut s = schema(vec![field("x", 2, vec![Some(F::Int(64, 4)), Some(F::Int(1, 1))], None)]);
    let compressed = Obj::Table(vec![
        Some(F::Int(1, 8)),
        Some(F::Obj(Obj::Pairs(vec![(1, 0)]))),
        Some(F::Obj(Obj::Pairs(vec![(0, 0), (0, 8)]))),
        Some(F::Obj(Obj::Table(vec![Some(F::Int(1, 1))]))),
    ]);
    let at = s.len();
    s.extend(message(3, compressed, &[0; 8]));
    let e = read_ipc_stream(&s).unwrap_err().to_string();
    assert!(e.contains("ZSTD") && e.ends_with(&format!("(in the message at byte {at})")), "{e}");

    let e = read_ipc_stream(b"id,amount\n1,2\n").unwrap_err();
    assert_eq!(e.code(), "PARSE_ERROR");
}

#[test]
fn a_row_count_the_input_does_not_pay_for_is_too_large() {
    // A Null column has no buffers: its length is only the batch's word.
    let mut s = schema(vec![field("n", 1, vec![], None)]);
    s.extend(batch(1 << 40, vec![(1 << 40, 1 << 40)], &[]));
    assert_eq!(read_ipc_stream(&s).unwrap_err().code(), "TOO_LARGE");
    // A length past the value buffer.
    let mut s = schema(vec![field("x", 2, vec![Some(F::Int(64, 4)), Some(F::Int(1, 1))], None)]);
    s.extend(batch(1 << 40, vec![(1 << 40, 0)], &[vec![], vec![0; 64]]));
    assert!(read_ipc_stream(&s).is_err());
    let mut s = schema(vec![field("x", 2, vec![Some(F::Int(64, 4)), Some(F::Int(1, 1))], None)]);
    s.extend(batch(9, vec![(9, 0)], &[vec![], vec![0; 64]]));
    assert!(read_ipc_stream(&s).unwrap_err().to_string().contains("shorter than the column"));
}

#[test]
fn the_arrow_file_format_is_read_by_its_stream_part() {
    let ds = every_type();
    let mut file = b"ARROW1\0\0".to_vec();
    file.extend(write_ipc_stream(&ds));
    file.extend_from_slice(b"footer bytes are not read\x10\0\0\0ARROW1");
    assert_same(&ds, &read_ipc_stream(&file).unwrap());
}

#[test]
fn tampered_bytes_never_panic() {
    let small = write_ipc_stream(&every_type());
    for n in 0..small.len() {
        let _ = read_ipc_stream(&small[..n]);
    }
    for i in 0..small.len() {
        for v in [0u8, 1, 2, 7, 0x3f, 0x7f, 0x80, 0xfe, 0xff] {
            let mut b = small.clone();
            b[i] = v;
            if let Ok(ds) = read_ipc_stream(&b) {
                for c in ds.columns() {
                    (0..ds.num_rows()).for_each(|r| drop(c.get(r).to_text()));
                }
            }
        }
    }
    // Random multi-byte mutations of a real file's first rows.
    let telco = load("telco_customer_churn/Telco-Customer-Churn.DirtyDF-variant.csv", r#"{"maxRows":300}"#);
    let bytes = write_ipc_stream(&telco);
    let mut rng = Rng::new(21);
    let mut ok = 0;
    for _ in 0..3000 {
        let mut b = bytes.clone();
        for _ in 0..1 + rng.below(8) {
            let i = rng.below(b.len());
            b[i] = rng.next_u64() as u8;
        }
        if rng.below(4) == 0 {
            b.truncate(rng.below(b.len()));
        }
        if let Ok(ds) = read_ipc_stream(&b) {
            ok += 1;
            for c in ds.columns() {
                (0..ds.num_rows()).for_each(|r| drop(c.get(r).to_text()));
            }
        }
    }
    // Most single flips land in values and still decode; not all of them do.
    assert!(ok > 0 && ok < 3000, "{ok}");
}

/// Files apache-arrow JS 17 wrote (scripts/make_arrow_fixtures.mjs): a stream of 3 batches,
/// each with its own replacement dictionary, and a file whose schema is only in the footer.
#[test]
fn reads_what_apache_arrow_js_writes() {
    let fixture = |name: &str| {
        let path = format!("{}/tests/fixtures/arrow/{name}", env!("CARGO_MANIFEST_DIR"));
        read_ipc_stream(&std::fs::read(&path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let seg = ["gold", "silver", "", "bronze"];
    for (name, parts) in [("js_stream.arrows", &[0usize, 1, 2][..]), ("js_file.arrow", &[1][..])] {
        let ds = fixture(name);
        assert_eq!(ds.num_rows(), 10 * parts.len(), "{name}");
        let types: Vec<&str> = ds.columns().iter().map(|c| c.dtype().name()).collect();
        assert_eq!(types, ["int64", "category", "datetime", "date", "bool", "text"], "{name}");
        let col = |n: &str| ds.column(n).unwrap();
        let (at, day) = (col("at").to_millis().unwrap(), col("day").to_millis().unwrap());
        for (b, &k) in parts.iter().enumerate() {
            for i in 0..10 {
                let r = b * 10 + i;
                let id = if i == 3 { Value::Null } else { Value::Int((k * 10 + i) as i64) };
                assert_eq!(col("id").get(r), id, "{name} row {r}");
                let s = seg[(i + k) % 4];
                assert_eq!(col("seg").get(r), if s.is_empty() { Value::Null } else { Value::Str(s) }, "{name} row {r}");
                let month_start = [0, 31, 60][k] as f64;
                let want_at = 1_704_110_400_000.0 + (month_start + i as f64) * 86_400_000.0;
                assert!(if i == 5 { at[r].is_nan() } else { at[r] == want_at }, "{name} row {r}: {}", at[r]);
                assert_eq!(day[r], (19_358 + i + 10 * k) as f64 * 86_400_000.0, "{name} row {r}");
                let ok = if i == 7 { Value::Null } else { Value::Bool(i % 2 == 0) };
                assert_eq!(col("ok").get(r), ok, "{name} row {r}");
                let note = format!("note {k}-{i}, 评论");
                let want = if i == 9 { Value::Null } else { Value::Str(&note) };
                assert_eq!(col("note").get(r), want, "{name} row {r}");
            }
        }
    }
    // The file's footer cut or tampered: a typed error or a table, never a panic.
    let file = std::fs::read(format!("{}/tests/fixtures/arrow/js_file.arrow", env!("CARGO_MANIFEST_DIR"))).unwrap();
    for i in file.len().saturating_sub(400)..file.len() {
        for v in [0u8, 1, 0x7f, 0xff] {
            let mut b = file.clone();
            b[i] = v;
            let _ = read_ipc_stream(&b);
        }
        let _ = read_ipc_stream(&file[..i]);
    }
}
