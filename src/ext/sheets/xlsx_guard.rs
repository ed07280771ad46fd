//! An `.xlsx` whose shared-string table announces more strings than can be held, refused
//! before calamine reserves room for them.
//!
//! `.xlsx` sheets are read cell by cell (calamine's cell reader: no dense range, and the
//! `<dimension>` element is only stored, never reserved), but opening the workbook reads
//! `xl/sharedStrings.xml`, and calamine 0.35 reserves the `uniqueCount` of its `<sst>`
//! element unchecked (`strings.reserve(n)`, 24 B a string): `uniqueCount="1000000000000"`,
//! 30 bytes, asks for 24 TB and the allocation failure aborts (a trap in wasm).

use std::io::{BufReader, Cursor};

use crmlens::{CrmError, Result};
use quick_xml::events::Event;
use quick_xml::name::QName;

use crate::xls_guard::MAX_XLS_CELLS;

/// Refuses an `.xlsx` whose `<sst uniqueCount>` exceeds [`MAX_XLS_CELLS`]. Anything else
/// passes: calamine says what is wrong with it.
pub fn check(bytes: &[u8]) -> Result<()> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(()) };
    // calamine finds the part by its name lower-cased, `\` read as `/`.
    let parts: Vec<String> = zip
        .file_names()
        .filter(|n| n.replace('\\', "/").eq_ignore_ascii_case("xl/sharedStrings.xml"))
        .map(str::to_string)
        .collect();
    for part in parts {
        let Ok(file) = zip.by_name(&part) else { continue };
        let mut xml = quick_xml::Reader::from_reader(BufReader::new(file));
        xml.config_mut().expand_empty_elements = true;
        let mut buf = Vec::new();
        loop {
            match xml.read_event_into(&mut buf) {
                Ok(Event::Start(e)) if e.local_name().as_ref() == b"sst" => {
                    let count = e.attributes().flatten().find(|a| a.key == QName(b"uniqueCount"));
                    let n = count.and_then(|a| std::str::from_utf8(&a.value).ok()?.parse::<u64>().ok());
                    if let Some(n) = n.filter(|n| *n > MAX_XLS_CELLS) {
                        return Err(CrmError::too_large(
                            "sheet",
                            format!("the workbook's shared-string table announces {n} strings (uniqueCount); at most {MAX_XLS_CELLS} are read"),
                        ));
                    }
                    break;
                }
                Ok(Event::Eof) | Err(_) => break,
                Ok(_) => {}
            }
            buf.clear();
        }
    }
    Ok(())
}
