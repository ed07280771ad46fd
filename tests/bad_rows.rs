//! Bad input never panics and is never dropped silently: an error with line/column, or
//! a listed issue with an exact count.

use crmlens::io::{read_bytes, read_csv_str, read_json_bytes, LoadOptions, Loader};
use crmlens::table::Value;

fn opts(json: &str) -> LoadOptions {
    LoadOptions::from_json(json).unwrap()
}

const RAGGED: &str = "id,name,spend\n1,Ann,3.5\n2,Bob\n3,Cy,4,extra,more\n4,Di,1\n";

#[test]
fn ragged_rows_under_each_policy() {
    let e = read_csv_str(RAGGED, opts(r#"{"onBadRows":"error"}"#)).unwrap_err();
    assert_eq!(e.code(), "RAGGED_ROW");
    let loc = e.location();
    assert_eq!((loc.line, loc.column, loc.field.as_deref()), (Some(3), Some(3), Some("spend")));

    let ds = read_csv_str(RAGGED, opts(r#"{"onBadRows":"skip"}"#)).unwrap();
    assert_eq!(ds.num_rows(), 2);
    assert_eq!(ds.source.skipped_rows, 2);
    assert_eq!(
        ds.issues.iter().map(|i| (i.line, i.action.as_str())).collect::<Vec<_>>(),
        vec![(3, "skipped"), (4, "skipped")]
    );

    let ds = read_csv_str(RAGGED, LoadOptions::default()).unwrap();
    assert_eq!(ds.num_rows(), 4);
    assert_eq!(ds.source.repaired_rows, 2);
    assert_eq!(ds.column("spend").unwrap().get(1), Value::Null);
    assert!(ds.issues[1].message.contains("\"extra\", \"more\""), "{}", ds.issues[1].message);
    assert_eq!(ds.issue_counts[0].count, 2);
}

const OPEN_QUOTE: &str = "id,comment\n1,fine\n2,\"never closed\n3,after\n4,more\n";

#[test]
fn unbalanced_quote_is_found_and_the_rest_is_kept() {
    let e = read_csv_str(OPEN_QUOTE, opts(r#"{"onBadRows":"error"}"#)).unwrap_err();
    assert_eq!((e.code(), e.location().line), ("UNBALANCED_QUOTE", Some(3)));
    let ds = read_csv_str(OPEN_QUOTE, opts(r#"{"onBadRows":"skip"}"#)).unwrap();
    assert_eq!(ds.num_rows(), 3);
    assert_eq!(ds.column("comment").unwrap().get(1), Value::Str("after"));
    assert_eq!((ds.issues[0].line, ds.issues[0].kind.as_str()), (3, "unbalancedQuote"));
    let ds = read_csv_str(OPEN_QUOTE, LoadOptions::default()).unwrap();
    assert_eq!(ds.num_rows(), 4);
    assert_eq!(ds.column("comment").unwrap().get(1), Value::Str("\"never closed"));
    assert_eq!(ds.column("id").unwrap().get(3), Value::Int(4));
}

#[test]
fn invalid_utf8_rows_are_reported() {
    let bytes = b"id,name\n1,Ann\n2,B\xFFb\n3,Cy\n";
    let e = read_bytes(bytes, opts(r#"{"encoding":"utf-8","onBadRows":"error"}"#)).unwrap_err();
    assert_eq!((e.code(), e.location().line), ("ENCODING_ERROR", Some(3)));
    let ds = read_bytes(bytes, opts(r#"{"encoding":"utf-8"}"#)).unwrap();
    assert_eq!(ds.column("name").unwrap().get(1), Value::Str("B\u{FFFD}b"));
    assert_eq!((ds.issues[0].line, ds.issues[0].action.as_str()), (3, "repaired"));
    let ds = read_bytes(bytes, opts(r#"{"encoding":"utf-8","onBadRows":"skip"}"#)).unwrap();
    assert_eq!(ds.num_rows(), 2);
}

#[test]
fn json_and_ndjson() {
    let ds = read_json_bytes(
        br#"[{"id":1,"name":"Ann","tags":["a"]},{"id":2,"spend":3.5,"name":null}]"#,
        LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(ds.column_names(), vec!["id", "name", "tags", "spend"]);
    assert_eq!(ds.column("name").unwrap().get(1), Value::Null);
    assert_eq!(ds.column("tags").unwrap().get(0), Value::Str("[\"a\"]"));
    assert_eq!(ds.column("spend").unwrap().get(1), Value::Float(3.5));
    let nd = b"{\"id\":1}\n\n{\"id\":2,\"x\":true}\nnot json\n[1]\n{\"id\":3}\n";
    let ds = read_json_bytes(nd, LoadOptions::default()).unwrap();
    assert_eq!(ds.num_rows(), 3);
    assert_eq!(ds.issues.iter().map(|i| i.line).collect::<Vec<_>>(), vec![4, 5]);
    let e = read_json_bytes(nd, opts(r#"{"onBadRows":"error"}"#)).unwrap_err();
    assert_eq!((e.code(), e.location().line), ("PARSE_ERROR", Some(4)));
    let e = read_json_bytes(b"[{\"a\":1},\n{\"a\":", LoadOptions::default()).unwrap_err();
    assert_eq!((e.code(), e.location().line), ("PARSE_ERROR", Some(2)));
    let bad = b"{\"id\":1,\"n\":\"ok\"}\n{\"id\":2,\"n\":\"b\xFFd\"}\n";
    let ds = read_json_bytes(bad, opts(r#"{"encoding":"utf-8"}"#)).unwrap();
    assert_eq!((ds.num_rows(), ds.issues[0].line, ds.issues[0].kind.as_str()), (2, 2, "encoding"));
    let ds = read_json_bytes(bad, opts(r#"{"encoding":"utf-8","onBadRows":"skip"}"#)).unwrap();
    assert_eq!((ds.num_rows(), ds.source.skipped_rows), (1, 1));
    let e = read_json_bytes(bad, opts(r#"{"encoding":"utf-8","onBadRows":"error"}"#)).unwrap_err();
    assert_eq!((e.code(), e.location().line), ("ENCODING_ERROR", Some(2)));
    let one = read_json_bytes(b"{\n  \"id\": 7,\n  \"city\": \"Lyon\"\n}\n", LoadOptions::default()).unwrap();
    assert_eq!(one.num_rows(), 1);
}

/// Long numbers are read exactly by rewriting them before serde reads the text
/// (io::json_exact); the columns in errors still point into the text as given.
#[test]
fn json_error_columns_after_long_numbers() {
    let long = "0.30000000000000004";
    // A syntax error in the array form, and in an NDJSON line.
    let syntax = format!("[{{\"a\":{long},\"b\":{long}}},\n{{\"a\":{long},\"b\":{long} \"c\":1}}]");
    let e = read_json_bytes(syntax.as_bytes(), LoadOptions::default()).unwrap_err();
    let want = syntax.lines().nth(1).unwrap().find("\"c\"").unwrap() as u64 + 1;
    assert_eq!((e.location().line, e.location().column), (Some(2), Some(want)), "{e}");
    let bad = format!("{{\"a\":{long},\"b\":{long},\"c\":}}");
    let nd = format!("{{\"a\":1}}\n{bad}\n{{\"a\":2}}\n");
    let ds = read_json_bytes(nd.as_bytes(), LoadOptions::default()).unwrap();
    let want = bad.find('}').unwrap() as u64 + 1;
    assert_eq!((ds.num_rows(), ds.issues[0].line, ds.issues[0].column), (2, 2, Some(want)), "{:?}", ds.issues);
}

/// A tiny deterministic generator (xorshift) for garbage input.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn garbage_never_panics() {
    let mut s = 0x9E37_79B9_7F4A_7C15u64;
    let alphabet = b",;\t|\"\r\n ab1.-\xFF\xE4\xB8\x00{}[]:";
    for round in 0..1500 {
        let len = (xorshift(&mut s) % 300) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                if round % 2 == 0 {
                    alphabet[(xorshift(&mut s) % alphabet.len() as u64) as usize]
                } else {
                    xorshift(&mut s) as u8
                }
            })
            .collect();
        for policy in ["error", "skip", "repair"] {
            let o = opts(&format!(r#"{{"onBadRows":"{policy}"}}"#));
            let _ = read_bytes(&bytes, o.clone());
            let _ = read_json_bytes(&bytes, o.clone());
            let mut l = Loader::new(o).unwrap();
            for c in bytes.chunks(3) {
                if l.push(c).is_err() {
                    break;
                }
            }
            if let Ok(ds) = l.finish() {
                let _ = crmlens::io::to_csv(&ds, &Default::default());
                let _ = crmlens::io::to_json(&ds);
            }
        }
    }
    // A huge field and a very wide record.
    let huge = format!("a,b\n1,\"{}\"\n", "x".repeat(5_000_000));
    assert_eq!(
        read_csv_str(&huge, LoadOptions::default()).unwrap().column("b").unwrap().get(0),
        Value::Str(&"x".repeat(5_000_000))
    );
    let wide = (0..100_000).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",") + "\n";
    assert_eq!(read_csv_str(&wide, LoadOptions::default()).unwrap().num_columns(), 100_000);
    assert_eq!(read_csv_str("", LoadOptions::default()).unwrap_err().code(), "EMPTY_INPUT");
    assert_eq!(read_csv_str("  \n\n", LoadOptions::default()).unwrap_err().code(), "EMPTY_INPUT");
}

#[test]
fn csv_round_trip() {
    let src = "id,name,joined,spend,active\n1,\"Smith, Ann\",2024-01-03,9.5,true\n2,\"say \"\"hi\"\"\",,,false\n";
    let ds = read_csv_str(src, LoadOptions::default()).unwrap();
    let out = crmlens::io::to_csv(&ds, &Default::default()).unwrap();
    assert_eq!(
        out,
        "id,name,joined,spend,active\n1,\"Smith, Ann\",2024-01-03,9.5,true\n2,\"say \"\"hi\"\"\",,,false\n"
    );
    assert_eq!(read_csv_str(&out, LoadOptions::default()).unwrap(), {
        let mut d = ds.clone();
        d.source.bytes = out.len() as u64;
        d
    });
    let json = crmlens::io::to_json(&ds).unwrap();
    assert!(
        json.starts_with(r#"[{"id":1,"name":"Smith, Ann","joined":"2024-01-03","spend":9.5,"active":true}"#),
        "{json}"
    );
}
