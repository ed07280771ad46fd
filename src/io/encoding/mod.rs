//! Encoding detection and streaming decoding to UTF-8.
//!
//! Detection looks at the first bytes only: a BOM decides; otherwise NUL patterns mean
//! UTF-16; valid UTF-8 means UTF-8; bytes that read cleanly as GB18030 and mostly fall in
//! the GB2312 double-byte area mean GBK/GB18030 (Chinese CRM exports); anything else is
//! read as windows-1252 (every byte decodes) and the choice is reported in `source.encoding`.
//!
//! - [`unicode`]: our own UTF-8 and UTF-16 decoders (the common case, no tables).
//! - [`legacy`]: every other WHATWG encoding (GBK, Big5, Shift_JIS, windows-125x, …):
//!   encoding_rs natively; in WebAssembly the host's `TextDecoder`, which implements the
//!   same WHATWG Encoding Standard, so the package does not carry a second copy of the
//!   CJK tables.

pub mod legacy;
pub mod unicode;

use unicode::{Utf16Decoder, Utf8Decoder};

/// A character encoding, named as in the WHATWG Encoding Standard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Enc {
    Utf8,
    Utf16Le,
    Utf16Be,
    /// Any other encoding of the standard, by its canonical name (an entry of [`NAMES`]).
    Legacy(&'static str),
}

/// GB18030, the detected encoding of Chinese exports (GBK reads the same way).
pub const GB18030: Enc = Enc::Legacy("gb18030");
/// windows-1252, the fallback: every byte decodes (`latin1` is its label in WHATWG).
pub const WINDOWS_1252: Enc = Enc::Legacy("windows-1252");

/// The canonical names of the WHATWG Encoding Standard (<https://encoding.spec.whatwg.org/>),
/// spelt as the standard (and encoding_rs) spell them.
#[rustfmt::skip]
pub const NAMES: &[&str] = &[
    "UTF-8", "IBM866", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4", "ISO-8859-5", "ISO-8859-6",
    "ISO-8859-7", "ISO-8859-8", "ISO-8859-8-I", "ISO-8859-10", "ISO-8859-13", "ISO-8859-14",
    "ISO-8859-15", "ISO-8859-16", "KOI8-R", "KOI8-U", "macintosh", "windows-874", "windows-1250",
    "windows-1251", "windows-1252", "windows-1253", "windows-1254", "windows-1255", "windows-1256",
    "windows-1257", "windows-1258", "x-mac-cyrillic", "GBK", "gb18030", "Big5", "EUC-JP",
    "ISO-2022-JP", "Shift_JIS", "EUC-KR", "replacement", "UTF-16BE", "UTF-16LE", "x-user-defined",
];

impl Enc {
    pub fn name(self) -> &'static str {
        match self {
            Enc::Utf8 => "UTF-8",
            Enc::Utf16Le => "UTF-16LE",
            Enc::Utf16Be => "UTF-16BE",
            Enc::Legacy(name) => name,
        }
    }

    /// The encoding a WHATWG label names (`"latin1"` → windows-1252, `"gbk"` → GBK, …).
    /// `Err` carries the reason: an unknown label, or one the standard maps to the
    /// `replacement` encoding (which decodes any input to a single U+FFFD).
    pub fn for_label(label: &str) -> Result<Enc, String> {
        let name = legacy::canonical_name(label.trim()).ok_or_else(|| format!("unknown encoding label {label:?}"))?;
        Ok(match name {
            "UTF-8" => Enc::Utf8,
            "UTF-16LE" => Enc::Utf16Le,
            "UTF-16BE" => Enc::Utf16Be,
            "replacement" => {
                return Err(format!(
                    "the label {label:?} names the WHATWG \"replacement\" encoding, which cannot be decoded"
                ))
            }
            other => Enc::Legacy(other),
        })
    }

    /// `name` (any case) as the standard spells it, if it is a canonical name.
    pub fn canonical(name: &str) -> Option<&'static str> {
        NAMES.iter().copied().find(|n| n.eq_ignore_ascii_case(name))
    }
}

/// The encoding a byte-order mark at the start of `sample` announces, and the BOM's length.
pub fn for_bom(sample: &[u8]) -> Option<(Enc, usize)> {
    match sample {
        [0xEF, 0xBB, 0xBF, ..] => Some((Enc::Utf8, 3)),
        [0xFF, 0xFE, ..] => Some((Enc::Utf16Le, 2)),
        [0xFE, 0xFF, ..] => Some((Enc::Utf16Be, 2)),
        _ => None,
    }
}

/// Picks the encoding of `sample` (the start of the input). `complete` says the sample is
/// the whole input (so a truncated multi-byte sequence at its end is an error, not a cut).
pub fn detect(sample: &[u8], complete: bool) -> Enc {
    if let Some((enc, _)) = for_bom(sample) {
        return enc;
    }
    if let Some(enc) = utf16_without_bom(sample) {
        return enc;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => return Enc::Utf8,
        Err(e) if e.error_len().is_none() && !complete => return Enc::Utf8,
        Err(_) => {}
    }
    if looks_like_gb(sample, complete) {
        return GB18030;
    }
    // Mostly UTF-8 with a few bad bytes is still UTF-8 (the bad rows get reported).
    let valid = String::from_utf8_lossy(sample);
    let bad = valid.chars().filter(|&c| c == '\u{FFFD}').count();
    let multibyte = valid.chars().filter(|c| !c.is_ascii() && *c != '\u{FFFD}').count();
    if multibyte >= 4 * bad {
        return Enc::Utf8;
    }
    WINDOWS_1252
}

fn utf16_without_bom(sample: &[u8]) -> Option<Enc> {
    let n = sample.len().min(4096) & !1;
    if n < 8 {
        return None;
    }
    let (mut even, mut odd) = (0, 0);
    for pair in sample[..n].chunks_exact(2) {
        even += (pair[0] == 0) as usize;
        odd += (pair[1] == 0) as usize;
    }
    let pairs = n / 2;
    if odd * 10 > pairs * 3 && even * 20 < pairs {
        Some(Enc::Utf16Le)
    } else if even * 10 > pairs * 3 && odd * 20 < pairs {
        Some(Enc::Utf16Be)
    } else {
        None
    }
}

fn looks_like_gb(sample: &[u8], complete: bool) -> bool {
    if !legacy::decodes_cleanly(GB18030.name(), sample, complete) {
        return false;
    }
    // Count double-byte sequences; in real GBK text most lie in the GB2312 area A1-FE/A1-FE,
    // while latin-1 text read as GBK pairs an accented byte with an ASCII letter.
    let (mut pairs, mut gb2312) = (0usize, 0usize);
    let mut i = 0;
    while i + 1 < sample.len() {
        let (a, b) = (sample[i], sample[i + 1]);
        if a >= 0x81 {
            pairs += 1;
            gb2312 += ((0xA1..=0xFE).contains(&a) && (0xA1..=0xFE).contains(&b)) as usize;
            i += 2;
        } else {
            i += 1;
        }
    }
    pairs > 0 && gb2312 * 10 >= pairs * 8
}

enum Inner {
    Utf8(Utf8Decoder),
    Utf16(Utf16Decoder),
    Legacy(legacy::Decoder),
}

impl Inner {
    fn new(enc: Enc, strip_bom: bool) -> Inner {
        match enc {
            Enc::Utf8 => Inner::Utf8(Utf8Decoder::new(strip_bom)),
            Enc::Utf16Le => Inner::Utf16(Utf16Decoder::new(true, strip_bom)),
            Enc::Utf16Be => Inner::Utf16(Utf16Decoder::new(false, strip_bom)),
            Enc::Legacy(name) => Inner::Legacy(legacy::Decoder::new(name)),
        }
    }
}

/// Decodes chunks of bytes into UTF-8 text, remembering where (in the decoded text)
/// undecodable bytes were replaced with U+FFFD so the rows holding them can be reported.
pub struct StreamDecoder {
    inner: Inner,
    encoding: Enc,
    /// UTF-8 chosen only because everything so far was ASCII: the first non-ASCII bytes
    /// decide again (ASCII reads the same in every candidate, so switching loses nothing).
    tentative: bool,
    /// Bytes held back while `tentative` and too few non-ASCII bytes were seen to decide.
    held: Vec<u8>,
    /// Offsets into the total decoded output where a replacement was inserted.
    pub malformed: std::collections::VecDeque<u64>,
    decoded_total: u64,
}

impl StreamDecoder {
    /// A decoder for `encoding`; a BOM of that encoding at the start is removed.
    pub fn new(encoding: Enc) -> Self {
        StreamDecoder {
            inner: Inner::new(encoding, true),
            encoding,
            tentative: false,
            held: Vec::new(),
            malformed: Default::default(),
            decoded_total: 0,
        }
    }

    /// A decoder for an auto-detected encoding: when `sample` (the start of the input)
    /// was plain ASCII, the first non-ASCII bytes may still switch UTF-8 to GBK or
    /// windows-1252.
    pub fn auto(encoding: Enc, sample: &[u8]) -> Self {
        let mut d = StreamDecoder::new(encoding);
        d.tentative = encoding == Enc::Utf8 && sample.is_ascii();
        d
    }

    pub fn encoding(&self) -> Enc {
        self.encoding
    }

    /// Appends the text of `src` to `out`.
    pub fn decode(&mut self, input: &[u8], out: &mut String, last: bool) {
        let held: Vec<u8>;
        let mut src = input;
        if self.tentative {
            if !self.held.is_empty() {
                let mut h = std::mem::take(&mut self.held);
                h.extend_from_slice(src);
                held = h;
                src = &held;
            }
            // (`is_ascii` checks a word at a time; most files are ASCII chunk after chunk.)
            if let Some(p) = if src.is_ascii() { None } else { src.iter().position(|b| !b.is_ascii()) } {
                // Decide on at least 64 bytes from the first non-ASCII byte (or the end of
                // input); until then the undecided tail waits for the next chunk.
                let rest = &src[p..];
                if rest.len() < 64 && !last {
                    self.held = rest.to_vec();
                    let ascii = &src[..p];
                    self.decode_plain(ascii, out, false);
                    return;
                }
                self.tentative = false;
                let enc = match std::str::from_utf8(rest) {
                    Ok(_) => Enc::Utf8,
                    // A cut multi-byte sequence at the very end of a long valid run is UTF-8.
                    Err(e) if e.error_len().is_none() && e.valid_up_to() > 0 => Enc::Utf8,
                    Err(_) => detect(rest, last),
                };
                if enc != Enc::Utf8 {
                    // Everything decoded so far was ASCII: same text in the new encoding.
                    self.decode_plain(&src[..p], out, false);
                    self.encoding = enc;
                    self.inner = Inner::new(enc, false);
                    src = &src[p..];
                }
            }
        }
        self.decode_plain(src, out, last);
    }

    fn decode_plain(&mut self, src: &[u8], out: &mut String, last: bool) {
        let before = out.len();
        let total = self.decoded_total;
        let marks = &mut self.malformed;
        // `at` is an index into `out`; the marks count from the start of all decoded output.
        let mut mark = |at: usize| marks.push_back(total + (at - before) as u64);
        match &mut self.inner {
            Inner::Utf8(d) => d.decode(src, out, last, &mut mark),
            Inner::Utf16(d) => d.decode(src, out, last, &mut mark),
            Inner::Legacy(d) => {
                d.decode(src, out, last);
                // The legacy decoders replace what they cannot decode with U+FFFD; find them.
                // (GB18030 can also encode a genuine U+FFFD; such a cell is reported too.)
                let new = &out[before..];
                if new.contains('\u{FFFD}') {
                    for (i, _) in new.match_indices('\u{FFFD}') {
                        mark(before + i);
                    }
                }
            }
        }
        self.decoded_total += (out.len() - before) as u64;
    }
}

/// Encodes UTF-8 text into `encoding` (tests build their non-UTF-8 inputs with it).
#[cfg(not(target_arch = "wasm32"))]
pub fn encode(text: &str, encoding: Enc) -> Vec<u8> {
    match encoding {
        Enc::Utf8 => text.as_bytes().to_vec(),
        Enc::Utf16Le => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        Enc::Utf16Be => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        Enc::Legacy(name) => legacy::encode(text, name),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
