//! Not a table (files issue 21 item 3, trust issue 19): binary files and control-byte
//! noise renamed `.csv` give `NOT_A_TABLE` with the detected kind, through every entry
//! point; real text files, even with some damaged bytes, still load.

use crmlens::io::{read_bytes, read_csv_bytes, read_json_bytes, LoadOptions, Loader};
use crmlens::rng::Rng;

fn noise(rng: &mut Rng, n: usize) -> Vec<u8> {
    (0..n).map(|_| rng.below(256) as u8).collect()
}

/// A stored (uncompressed) zip local file header for `name`, as a zip writer emits it.
fn zip_with(name: &str, rng: &mut Rng) -> Vec<u8> {
    let mut b = b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec();
    b.extend_from_slice(&[0; 16]);
    b.extend_from_slice(&(name.len() as u16).to_le_bytes());
    b.extend_from_slice(&[0, 0]);
    b.extend_from_slice(name.as_bytes());
    b.extend(noise(rng, 3000));
    b
}

#[test]
fn binary_signatures_are_not_tables() {
    let mut rng = Rng::new(21);
    let mut with = |magic: &[u8]| {
        let mut b = magic.to_vec();
        b.extend(noise(&mut rng, 5000));
        b
    };
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (with(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "png"),
        (with(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"), "jpeg"),
        (with(b"GIF89a"), "gif"),
        (with(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), "pdf"),
        (with(b"\x1f\x8b\x08\x00"), "gzip"),
        (with(b"\x7fELF\x02\x01\x01"), "executable"),
        (with(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"), "executable"),
        (with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), "xls"),
        (zip_with("[Content_Types].xml", &mut Rng::new(1)), "zip"),
        (
            {
                let mut z = zip_with("xl/workbook.xml", &mut Rng::new(2));
                z.splice(30..30, b"[Content_Types].xml".iter().copied());
                z
            },
            "xlsx",
        ),
        (zip_with("mimetypeapplication/vnd.oasis.opendocument.spreadsheet", &mut Rng::new(3)), "ods"),
    ];
    for (bytes, kind) in &cases {
        for (how, r) in [
            ("read_bytes", read_bytes(bytes, LoadOptions::default())),
            ("read_csv_bytes", read_csv_bytes(bytes, LoadOptions::default())),
            ("read_json_bytes", read_json_bytes(bytes, LoadOptions::default())),
            ("named .csv", read_bytes(bytes, LoadOptions { file_name: Some("x.csv".into()), ..Default::default() })),
        ] {
            let e = r.expect_err(&format!("{kind} via {how} must not load"));
            assert_eq!((e.code(), e.kind()), ("NOT_A_TABLE", Some(*kind)), "{how}: {e}");
        }
        // Streamed in small pieces: the same error.
        let mut l = Loader::new(LoadOptions::default()).unwrap();
        let r = bytes.chunks(100).try_for_each(|p| l.push(p)).and_then(|_| l.finish());
        assert_eq!(r.unwrap_err().kind(), Some(*kind));
    }
}

#[test]
fn random_bytes_are_not_a_table() {
    let mut rng = Rng::new(5);
    for n in [200, 5000, 200_000] {
        for _ in 0..10 {
            let b = noise(&mut rng, n);
            let e = read_bytes(&b, LoadOptions::default()).unwrap_err();
            assert_eq!((e.code(), e.kind()), ("NOT_A_TABLE", Some("binary")), "{n} bytes: {e}");
        }
    }
}

#[test]
fn real_text_still_loads_also_with_damaged_bytes_and_in_utf16() {
    let telco = std::fs::read("../shared/data/telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv").unwrap();
    let whole = read_bytes(&telco, LoadOptions::default()).unwrap();
    assert_eq!(whole.num_rows(), 7043);
    // 30 random bytes at random places (a damaged download): still a table, with issues.
    let mut rng = Rng::new(9);
    let mut damaged = telco.clone();
    for _ in 0..30 {
        let at = rng.below(damaged.len());
        damaged[at] = rng.below(32) as u8;
    }
    let d = read_bytes(&damaged, LoadOptions { on_bad_rows: Some(crmlens::io::BadRows::Repair), ..Default::default() })
        .unwrap();
    assert!(d.num_rows() > 7000);
    // UTF-16 (NUL bytes everywhere in the raw bytes) is text.
    let text = String::from_utf8(telco[..20_000].to_vec()).unwrap();
    let cut = text.rfind('\n').unwrap() + 1;
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text[..cut].encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    assert!(read_bytes(&utf16, LoadOptions::default()).unwrap().num_rows() > 10);
}
