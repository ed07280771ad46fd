//! An `.ods` measured before calamine opens it, so that no repeat count or cell position in
//! `content.xml` can make calamine allocate more than [`MAX_XLS_CELLS`] cells (an allocation
//! that fails aborts: a trap in the wasm module).
//!
//! calamine 0.35 parses every sheet of an `.ods` when it opens the file (`Ods::new`) and
//! holds each as two dense ranges (values, 32 B a cell, and formulas, 24 B) over the
//! bounding box of its non-empty cells, expanding `table:number-rows-repeated` and
//! `table:number-columns-repeated`; it caps a sheet at 1,048,576 rows, 16,384 columns and
//! 100,000,000 cells — 3.2 GB of values alone, past wasm's 4 GiB once the vector doubles.
//! A `content.xml` of under 1 KB (A1, XFD1 and one cell 6,001 rows below, or
//! one number repeated 16,384 columns × 5,000 rows) asks for 3–4 GiB. A string is cloned into
//! every cell it is repeated to, and `<text:s text:c="2147483647"/>` pushes that many spaces.
//!
//! So `content.xml` is walked here first, event by event as calamine walks it (the same
//! quick-xml configuration; rows, cells and repeats capped as calamine caps them), and the
//! sheets' bounding boxes (all sheets together, as calamine holds them), the cells pushed
//! while reading rows, and the bytes of repeated text are bounded before calamine runs.
//! Where calamine would fail on the XML this walk stops: what it counted so far bounds what
//! calamine allocates before failing.

use std::io::{BufReader, Cursor};

use crmlens::{CrmError, Result};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;

use crate::xls_guard::MAX_XLS_CELLS;

/// calamine's caps on an `.ods` sheet (`ods.rs`: `MAX_ROWS`, `MAX_COLUMNS`).
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;
/// The most bytes of text calamine may copy into repeated cells (as the `.xls` guard's
/// shared-string copies).
const MAX_TEXT_BYTES: u64 = 512 << 20;

type Xml<'a> = quick_xml::Reader<BufReader<zip::read::ZipFile<'a, Cursor<&'a [u8]>>>>;

/// One sheet as calamine's `read_table` sees it: the rows so far, the bounding box of the
/// non-empty cells (values or formulas) in calamine's row numbers, the cells pushed.
#[derive(Default)]
struct Sheet {
    name: String,
    rows: u64,
    first_row: Option<u64>,
    end_row: u64,
    col_min: u64,
    col_max: u64,
}

impl Sheet {
    fn cells(&self) -> u64 {
        match self.first_row {
            Some(f) => (self.end_row - f).saturating_mul(self.col_max + 1 - self.col_min),
            None => 0,
        }
    }
}

/// Running totals over the workbook (calamine holds every sheet at once).
#[derive(Default)]
struct Totals {
    boxes: u64,
    pushed: u64,
    text: u64,
}

/// Refuses an `.ods` whose sheets calamine would hold in more than [`MAX_XLS_CELLS`] cells
/// or [`MAX_TEXT_BYTES`] of repeated text. Anything that is not an `.ods` passes: calamine
/// says what is wrong with it.
pub fn check(bytes: &[u8]) -> Result<()> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(()) };
    let Ok(file) = zip.by_name("content.xml") else { return Ok(()) };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(file));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut totals = Totals::default();
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name() == QName(b"table:table") => {
                let name = attr(&e, b"table:name").unwrap_or_default();
                let mut sheet = Sheet { name, col_min: u64::MAX, ..Sheet::default() };
                let done = table(&mut xml, &mut sheet, &mut totals);
                totals.boxes = totals.boxes.saturating_add(sheet.cells());
                done?;
            }
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => {}
        }
        buf.clear();
    }
}

fn attr(e: &BytesStart<'_>, key: &[u8]) -> Option<String> {
    e.attributes().flatten().find(|a| a.key == QName(key)).map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

fn too_large(sheet: &Sheet, what: String) -> CrmError {
    CrmError::too_large("sheet", format!("sheet {:?} of the .ods {what}; read a smaller workbook", sheet.name))
}

/// One `table:table` as calamine's `read_table`, the totals checked after each row with
/// `sheet`'s box counted in; returns where calamine would stop.
fn table(xml: &mut Xml<'_>, sheet: &mut Sheet, totals: &mut Totals) -> Result<()> {
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name() == QName(b"table:table-row") => {
                let Some(repeats) = count(&e, b"table:number-rows-repeated") else { return Ok(()) };
                let repeats = repeats.min(MAX_ROWS - sheet.rows);
                let Some(row) = row(xml)? else { return Ok(()) };
                if let Some((first, last)) = row.span {
                    sheet.first_row.get_or_insert(sheet.rows);
                    sheet.end_row = sheet.rows + repeats;
                    sheet.col_min = sheet.col_min.min(first);
                    sheet.col_max = sheet.col_max.max(last);
                }
                sheet.rows += repeats;
                totals.pushed = totals.pushed.saturating_add(row.pushed);
                // Read once, then cloned into each repeated row of the range, values and formulas.
                totals.text = totals.text.saturating_add(row.text.saturating_mul(repeats.saturating_add(1)));
                let cells = totals.boxes.saturating_add(sheet.cells());
                if cells > MAX_XLS_CELLS || totals.pushed > MAX_XLS_CELLS {
                    let held = cells.max(totals.pushed);
                    return Err(too_large(
                        sheet,
                        format!("spans {held} cells (repeats and the distance between cells included); at most {MAX_XLS_CELLS} are read"),
                    ));
                }
                if totals.text > MAX_TEXT_BYTES {
                    return Err(too_large(
                        sheet,
                        format!("repeats its text into {} bytes; at most {MAX_TEXT_BYTES} are read", totals.text),
                    ));
                }
            }
            Ok(Event::End(e)) if e.name() == QName(b"table:table") => return Ok(()),
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => {}
        }
        buf.clear();
    }
}

/// A `table:number-*-repeated`-like count as calamine parses it (the first such attribute;
/// 1 when absent); `None` when calamine would fail on it.
fn count(e: &BytesStart<'_>, key: &[u8]) -> Option<u64> {
    attr(e, key).map_or(Some(1), |v| v.parse::<usize>().ok().map(|n| n as u64))
}

struct Row {
    /// The first and last non-empty column.
    span: Option<(u64, u64)>,
    /// Cells calamine pushes while reading the row (empty ones before a non-empty one).
    pushed: u64,
    /// Bytes of text and formulas copied into the row's cells.
    text: u64,
}

/// One `table:table-row` as calamine's `read_row`; `None` where calamine fails.
fn row(xml: &mut Xml<'_>) -> Result<Option<Row>> {
    let mut buf = Vec::new();
    let mut out = Row { span: None, pushed: 0, text: 0 };
    let mut empty = 0u64;
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e))
                if e.name() == QName(b"table:table-cell") || e.name() == QName(b"table:covered-table-cell") =>
            {
                let Some(repeats) = count(&e, b"table:number-columns-repeated") else { return Ok(None) };
                let Some((filled, bytes)) = cell(xml, &e) else { return Ok(None) };
                out.pushed += empty.min(MAX_COLUMNS - out.pushed);
                let repeats = repeats.min(MAX_COLUMNS - out.pushed);
                if filled {
                    empty = 0;
                    if repeats > 0 {
                        let first = out.span.map_or(out.pushed, |s| s.0);
                        out.span = Some((first, out.pushed + repeats - 1));
                    }
                    out.pushed += repeats;
                    out.text = out.text.saturating_add(bytes.saturating_mul(repeats + 1));
                } else {
                    empty = repeats;
                }
            }
            Ok(Event::End(e)) if e.name() == QName(b"table:table-row") => return Ok(Some(out)),
            _ => return Ok(None),
        }
        buf.clear();
    }
}

/// A cell's attributes and content as calamine's `get_datatype`: whether it is non-empty
/// (a value or a formula) and the bytes of its text; `None` where calamine fails.
fn cell(xml: &mut Xml<'_>, e: &BytesStart<'_>) -> Option<(bool, u64)> {
    let (mut set, mut string, mut bytes, mut formula) = (false, false, 0u64, false);
    for a in e.attributes() {
        let a = a.ok()?;
        match a.key.as_ref() {
            b"office:value" | b"office:boolean-value" if !set => set = true,
            b"office:string-value" | b"office:date-value" | b"office:time-value" if !set => {
                set = true;
                bytes += a.value.len() as u64;
            }
            b"office:value-type" if !set => string = &*a.value == b"string",
            b"table:formula" => {
                formula = !a.value.is_empty();
                bytes += a.value.len() as u64;
            }
            _ => {}
        }
    }
    let mut buf = Vec::new();
    if set || !string {
        // calamine skips the content to the matching end.
        xml.read_to_end_into(e.name(), &mut buf).ok()?;
        return Some((set || formula, bytes));
    }
    loop {
        match xml.read_event_into(&mut buf).ok()? {
            Event::Text(t) => bytes += t.len() as u64,
            Event::GeneralRef(_) => bytes += 4,
            Event::Start(s) if s.name() == QName(b"text:p") => bytes += 1,
            Event::Start(s) if s.name() == QName(b"text:s") => {
                let n = attr(&s, b"text:c").map_or(Some(1), |v| v.parse::<i32>().ok())?;
                bytes = bytes.saturating_add(n.max(0) as u64);
            }
            Event::End(s)
                if s.name() == QName(b"table:table-cell") || s.name() == QName(b"table:covered-table-cell") =>
            {
                return Some((true, bytes));
            }
            Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
}
