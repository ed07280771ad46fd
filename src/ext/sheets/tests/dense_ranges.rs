//! Workbooks whose cells calamine would hold as a dense range far larger than the file
//! (fuzz campaign 10, FUZZING.md): each is built here, a few hundred bytes, and must be
//! `TOO_LARGE` (or read, holding only its cells) before calamine allocates. Without the guards `.ods` asks for
//! gigabytes (a trap in wasm32's 4 GiB; natively under `ulimit -v 4194304`: "memory
//! allocation of … bytes failed", SIGABRT) and `.xlsb` for 2^34 cells.

use std::io::{Cursor, Write};

use crmlens::table::Value;
use crmlens_sheets::ods_guard;
use crmlens_sheets::options::SheetOptions;
use crmlens_sheets::read_workbook;
use zip::write::SimpleFileOptions;

fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        let how = if *name == "mimetype" { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
        w.start_file(*name, SimpleFileOptions::default().compression_method(how)).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// An `.ods` whose spreadsheet body is `tables` (`<table:table>` elements).
fn ods(tables: &str) -> Vec<u8> {
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\">\
         <office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest \
         xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"><manifest:file-entry \
         manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
         </manifest:manifest>";
    zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest.as_bytes()),
        ("content.xml", content.as_bytes()),
    ])
}

fn num(v: f64) -> String {
    format!("<table:table-cell office:value-type=\"float\" office:value=\"{v}\"/>")
}

fn empties(n: u64) -> String {
    format!("<table:table-cell table:number-columns-repeated=\"{n}\"/>")
}

fn row(cells: &str, repeats: u64) -> String {
    format!("<table:table-row table:number-rows-repeated=\"{repeats}\">{cells}</table:table-row>")
}

fn table(name: &str, rows: &str) -> String {
    format!("<table:table table:name=\"{name}\">{rows}</table:table>")
}

fn refusal(r: crmlens::Result<crmlens::Dataset>) -> (String, String) {
    let e = r.expect_err("refused");
    (e.code().to_string(), e.to_string())
}

/// A1 and C6002 … XFD: one cell at A1 and XFD1, an empty row repeated 6,000 times, one cell
/// below: calamine 0.35 stays under its own cap (100,000,000 cells) and builds a range of
/// 6,002 × 16,384 = 98,336,768 cells, 3.1 GB of values (its vector doubles to 4 GiB).
#[test]
fn ods_whose_cells_span_98_million_is_refused_before_calamine_allocates() {
    let rows =
        row(&format!("{}{}{}", num(1.0), empties(16_382), num(2.0)), 1) + &row(&empties(3), 6_000) + &row(&num(3.0), 1);
    let bytes = ods(&table("Far", &rows));
    assert!(bytes.len() < 2_000, "{} bytes", bytes.len());
    let (code, msg) = refusal(read_workbook(&bytes, &SheetOptions::default()));
    assert_eq!(code, "TOO_LARGE", "{msg}");
    assert!(msg.contains("\"Far\"") && msg.contains("98336768 cells"), "{msg}");
}

/// One number repeated 16,384 columns in a row repeated 5,000 times: 81,920,000 cells.
#[test]
fn ods_whose_repeats_expand_to_82_million_cells_is_too_large() {
    let cell =
        "<table:table-cell office:value-type=\"float\" office:value=\"7\" table:number-columns-repeated=\"16384\"/>";
    let bytes = ods(&table("Repeated", &row(cell, 5_000)));
    let (code, msg) = refusal(read_workbook(&bytes, &SheetOptions::default()));
    assert_eq!(code, "TOO_LARGE", "{msg}");
    assert!(msg.contains("\"Repeated\"") && msg.contains("81920000 cells"), "{msg}");
}

/// `<text:s text:c="2147483647"/>` makes calamine push 2^31 − 1 spaces into one string.
#[test]
fn ods_whose_text_repeats_a_space_two_billion_times_is_too_large() {
    let cell = "<table:table-cell office:value-type=\"string\"><text:p>a<text:s text:c=\"2147483647\"/>b</text:p></table:table-cell>";
    let bytes = ods(&table("Spaces", &row(cell, 1)));
    let (code, msg) = refusal(read_workbook(&bytes, &SheetOptions::default()));
    assert_eq!(code, "TOO_LARGE", "{msg}");
    assert!(msg.contains("\"Spaces\"") && msg.contains("bytes"), "{msg}");
}

/// The bound counts every sheet (calamine holds them all at once), and exactly 2^24 cells
/// pass: 4,096 rows × 4,096 columns, by the guard alone (calamine not run).
#[test]
fn ods_guard_bound_is_exact_and_counts_every_sheet() {
    let square =
        |name: &str, rows: u64| table(name, &row(&format!("{}{}{}", num(1.0), empties(4_094), num(2.0)), rows));
    assert!(ods_guard::check(&ods(&square("A", 4_096))).is_ok());
    let e = ods_guard::check(&ods(&square("A", 4_097))).unwrap_err();
    assert!(e.to_string().contains("16781312 cells"), "{e}");
    let e = ods_guard::check(&ods(&(square("A", 2_048) + &square("B", 2_049)))).unwrap_err();
    assert!(e.to_string().contains("\"B\"") && e.to_string().contains("16781312 cells"), "{e}");
    // Empty repeats after the last cell (every real .ods ends its rows and sheet so) cost nothing.
    let trailing = row(&(num(1.0) + &empties(16_383)), 1) + &row(&empties(16_384), 1_048_575);
    assert!(ods_guard::check(&ods(&table("T", &trailing))).is_ok());
}

/// A small sheet with repeats the guard lets through reads as calamine reads it.
#[test]
fn ods_with_repeats_within_the_bound_reads() {
    let header = "<table:table-cell office:value-type=\"string\"><text:p>n</text:p></table:table-cell>";
    let rows =
        row(header, 1) + &row(&num(5.0), 3) + &row(&empties(2), 2) + &row(&num(6.0), 1) + &row(&empties(1024), 100_000);
    let ds = read_workbook(&ods(&table("Small", &rows)), &SheetOptions::default()).unwrap();
    let got: Vec<Value> = (0..ds.num_rows()).map(|i| ds.row(i)[0]).collect();
    assert!(got.len() >= 4, "{got:?}");
    assert_eq!(&got[..3], [Value::Int(5), Value::Int(5), Value::Int(5)]);
    assert_eq!(got.last(), Some(&Value::Int(6)), "{got:?}");
}

/// A BIFF12 record: its type and length as 7-bit groups (MS-XLSB 2.1.4), then `body`.
fn rec(typ: u16, body: &[u8]) -> Vec<u8> {
    let mut out = if typ < 0x80 { vec![typ as u8] } else { vec![(typ & 0x7F) as u8 | 0x80, (typ >> 7) as u8] };
    let mut len = body.len();
    loop {
        let b = (len & 0x7F) as u8;
        len >>= 7;
        out.push(if len > 0 { b | 0x80 } else { b });
        if len == 0 {
            break;
        }
    }
    out.extend_from_slice(body);
    out
}

fn wide(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut out = (units.len() as u32).to_le_bytes().to_vec();
    units.iter().for_each(|u| out.extend_from_slice(&u.to_le_bytes()));
    out
}

/// An `.xlsb` with one sheet "Far" holding the numbers `cells` ((row, column, value)).
fn xlsb(cells: &[(u32, u32, f64)]) -> Vec<u8> {
    let mut bundle = [0u32.to_le_bytes(), 1u32.to_le_bytes()].concat();
    bundle.extend(wide("rId1"));
    bundle.extend(wide("Far"));
    let workbook = [rec(0x9C, &bundle), rec(0x90, &[]), rec(0x9D, &[])].concat();
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships \
         xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" \
         Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" \
         Target=\"worksheets/sheet1.bin\"/></Relationships>";
    let (last_row, last_col) = cells.iter().fold((0, 0), |m, c| (m.0.max(c.0), m.1.max(c.1)));
    let dim: Vec<u8> = [0, last_row, 0, last_col].iter().flat_map(|v: &u32| v.to_le_bytes()).collect();
    let mut sheet = [rec(0x94, &dim), rec(0x91, &[])].concat();
    for (r, c, v) in cells {
        sheet.extend(rec(0x00, &[r.to_le_bytes(), [0; 4]].concat()));
        sheet.extend(rec(0x05, &[c.to_le_bytes().as_slice(), &[0; 4], &v.to_le_bytes()].concat()));
    }
    sheet.extend(rec(0x92, &[]));
    zip(&[
        ("xl/workbook.bin", &workbook),
        ("xl/_rels/workbook.bin.rels", rels.as_bytes()),
        ("xl/worksheets/sheet1.bin", &sheet),
    ])
}

/// Two numbers at A1 and at row 1,000,001, column 16,001: calamine's `worksheet_range`
/// builds their bounding box densely (`Range::from_sparse`): 16,001,016,001 cells, 512 GB.
/// The sheet is now read cell by cell (as an `.xlsx`): two cells, a 2 × 2 table.
#[test]
fn xlsb_whose_cells_are_far_apart_is_read_cell_by_cell() {
    let near = xlsb(&[(0, 0, 1.0), (1, 0, 2.0), (2, 0, 3.0)]);
    let ds = read_workbook(&near, &SheetOptions::default()).unwrap();
    let got: Vec<Value> = (0..ds.num_rows()).map(|i| ds.row(i)[0]).collect();
    assert_eq!(got, [Value::Int(1), Value::Int(2), Value::Int(3)], "numbers only: no header row");
    let bytes = xlsb(&[(0, 0, 1.0), (1_000_000, 16_000, 2.0)]);
    let ds = read_workbook(&bytes, &SheetOptions::default()).unwrap();
    // As from an .xlsx: the empty rows and columns between the two cells are not kept.
    assert_eq!((ds.num_rows(), ds.column_info().len()), (2, 2));
    assert_eq!((ds.row(0)[0], ds.row(1)[1]), (Value::Int(1), Value::Int(2)));
}

/// `<sst uniqueCount="1000000000000">`: calamine 0.35 reserves 10^12 strings (24 TB) when it
/// opens the workbook. Refused first; a real count still opens.
#[test]
fn xlsx_whose_shared_strings_announce_a_trillion_is_too_large() {
    let types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
    let sst = |n: &str| {
        format!("<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"1\" uniqueCount=\"{n}\"><si><t>a</t></si></sst>")
    };
    let book = |n: &str| zip(&[("[Content_Types].xml", types.as_bytes()), ("xl/sharedStrings.xml", sst(n).as_bytes())]);
    let (code, msg) = refusal(read_workbook(&book("1000000000000"), &SheetOptions::default()));
    assert_eq!(code, "TOO_LARGE", "{msg}");
    assert!(msg.contains("1000000000000 strings"), "{msg}");
    // The same file with a true count gets past the guard (and is refused for lacking a workbook part).
    let (code, msg) = refusal(read_workbook(&book("1"), &SheetOptions::default()));
    assert_eq!(code, "NOT_A_TABLE", "{msg}");
}
