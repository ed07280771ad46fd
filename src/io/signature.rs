//! "Not a table": files that are not text at all (trust issue 19, files issue 21 item 3).
//!
//! A zip, an image or random bytes renamed `.csv` used to "load" as thousands of rows of
//! garbage. Before any parsing, the first bytes are checked against the signatures of
//! common binary formats, and the decoded sample against a share of control characters;
//! either gives [`CrmError::NotATable`] with the detected kind.

use crate::error::CrmError;

/// Magic numbers: (prefix, kind, what it is).
const SIGNATURES: &[(&[u8], &str, &str)] = &[
    (b"PK\x03\x04", "zip", "a ZIP archive"),
    (b"PK\x05\x06", "zip", "an empty ZIP archive"),
    (b"PK\x07\x08", "zip", "a ZIP archive"),
    (b"\x1f\x8b", "gzip", "a gzip-compressed file"),
    (b"BZh", "bzip2", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "xz", "an xz-compressed file"),
    (b"\x28\xb5\x2f\xfd", "zstd", "a zstd-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "7z", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "rar", "a RAR archive"),
    (b"%PDF-", "pdf", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "png", "a PNG image"),
    (b"\xff\xd8\xff", "jpeg", "a JPEG image"),
    (b"GIF87a", "gif", "a GIF image"),
    (b"GIF89a", "gif", "a GIF image"),
    (b"BM", "bmp", "a BMP image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls", "an old-style Office document (.xls/.doc)"),
    (b"\x7fELF", "executable", "an ELF executable"),
    (b"MZ", "executable", "a Windows executable"),
    (b"\xcf\xfa\xed\xfe", "executable", "a Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "executable", "a Mach-O executable"),
    (b"\xfe\xed\xfa\xce", "executable", "a Mach-O executable"),
    (b"\xfe\xed\xfa\xcf", "executable", "a Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "executable", "a Mach-O universal binary or Java class"),
    (b"\x00asm", "executable", "a WebAssembly module"),
    (b"SQLite format 3\x00", "sqlite", "an SQLite database"),
    (b"PAR1", "parquet", "a Parquet file"),
    (b"ARROW1", "arrow", "an Arrow IPC file"),
    (b"OggS", "audio", "an Ogg media file"),
    (b"ID3", "audio", "an MP3 file"),
    (b"fLaC", "audio", "a FLAC file"),
];

/// The kind of binary file `head` (the first bytes) starts like, with a description.
#[inline(never)]
pub fn binary_kind(head: &[u8]) -> Option<(&'static str, String)> {
    // Only the raw start counts (a BOM means text).
    for &(magic, kind, what) in SIGNATURES {
        if head.starts_with(magic) {
            // Two letters are a weak signature: "BM"/"MZ" must be followed by binary bytes.
            if magic.len() == 2
                && magic[0].is_ascii_alphabetic()
                && control_share_bytes(&head[..head.len().min(512)]) < 0.05
            {
                continue;
            }
            if kind == "zip" {
                return Some(zip_kind(head));
            }
            return Some((kind, what.to_string()));
        }
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" {
        let what = match &head[8..12] {
            b"WEBP" => ("webp", "a WebP image"),
            b"WAVE" => ("audio", "a WAV file"),
            b"AVI " => ("video", "an AVI video"),
            _ => ("riff", "a RIFF media file"),
        };
        return Some((what.0, what.1.to_string()));
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        return Some(("video", "an MP4/MOV/HEIC media file".to_string()));
    }
    None
}

/// Office Open XML and OpenDocument files are zips: say which, from the first entry names.
fn zip_kind(head: &[u8]) -> (&'static str, String) {
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if has(b"opendocument.spreadsheet") {
        ("ods", "an OpenDocument spreadsheet (.ods); export the sheet as CSV to load it".into())
    } else if has(b"xl/") {
        ("xlsx", "an Excel workbook (.xlsx); export the sheet as CSV to load it".into())
    } else if has(b"word/") {
        ("docx", "a Word document (.docx)".into())
    } else {
        ("zip", "a ZIP archive; unpack it and load the file inside".into())
    }
}

/// Share of bytes that are control bytes other than tab, LF, CR and form feed.
fn control_share_bytes(b: &[u8]) -> f64 {
    let n = b.iter().filter(|&&c| (c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r' | 0x0c)) || c == 0x7f).count();
    n as f64 / b.len().max(1) as f64
}

/// Share of control characters above which decoded text is not a table: real CSV has
/// essentially none; random bytes have about 11% (C0 controls) to 13% (read as
/// windows-1252, C1 too). U+FFFD replacements do not count: text in the wrong encoding
/// is text (its rows are reported as encoding issues), not a binary file.
pub const MAX_CONTROL_SHARE: f64 = 0.05;

/// Whether the decoded sample is mostly control characters: at least
/// 16 such characters and more than [`MAX_CONTROL_SHARE`] of all characters.
#[inline(never)]
pub fn mostly_control(text: &str) -> bool {
    let (mut bad, mut all) = (0usize, 0usize);
    for c in text.chars() {
        all += 1;
        let u = c as u32;
        if (u < 0x20 && !matches!(c, '\t' | '\n' | '\r' | '\x0c')) || (0x7f..0xa0).contains(&u) {
            bad += 1;
        }
    }
    bad >= 16 && bad as f64 > MAX_CONTROL_SHARE * all as f64
}

/// The check run on the first bytes before any parsing.
#[inline(never)]
pub fn check(head: &[u8], decoded: &str) -> Result<(), CrmError> {
    if let Some((kind, what)) = binary_kind(head) {
        return Err(CrmError::not_a_table(kind, format!("the input is {what}, not a table of text")));
    }
    if mostly_control(decoded) {
        return Err(CrmError::not_a_table(
            "binary",
            format!(
                "the input is mostly control characters (over {}% of the first characters): a binary file, not a table of text (if it is text in another encoding, pass `encoding`)",
                (MAX_CONTROL_SHARE * 100.0) as u32
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_and_control_bytes() {
        assert_eq!(binary_kind(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap().0, "png");
        assert_eq!(binary_kind(b"PK\x03\x04\x14\0\0\0[Content_Types].xml...xl/workbook.xml").unwrap().0, "xlsx");
        assert_eq!(binary_kind(b"%PDF-1.7\n").unwrap().0, "pdf");
        assert_eq!(binary_kind(b"\x1f\x8b\x08\0").unwrap().0, "gzip");
        // Text that merely starts with the letters of a weak signature is text.
        assert!(binary_kind(b"MZ_code,amount\nA1,3\n").is_none());
        assert!(binary_kind(b"BMI,weight\n22.5,70\n").is_none());
        assert!(binary_kind(b"id,name\n1,Ann\n").is_none());
        assert!(!mostly_control("id,name\r\n1,Ann\t\n"));
        let mut rng = crate::rng::Rng::new(3);
        let bytes: Vec<u8> = (0..4096).map(|_| rng.below(256) as u8).collect();
        let text: String = bytes.iter().map(|&b| char::from(b)).collect();
        assert!(mostly_control(&text));
    }
}
