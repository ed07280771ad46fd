//! Non-Unicode encodings (GBK/GB18030, Big5, Shift_JIS, EUC-KR, windows-125x, ISO-8859-x, …),
//! decoded by the host ([`crate::host`]): encoding_rs natively, the platform's `TextDecoder`
//! in WebAssembly. Browsers and Node implement the same WHATWG Encoding Standard (Firefox's
//! implementation *is* encoding_rs), so results agree while the package stays free of
//! ~150 KB (gzipped) of CJK tables. Both replace undecodable bytes with U+FFFD.

use crate::host::{self, LegacyDecoder};

/// The canonical name of the encoding `label` names (UTF-8/16 included).
pub fn canonical_name(label: &str) -> Option<&'static str> {
    host::get().encoding_name(label).and_then(|n| super::Enc::canonical(&n))
}

/// Whether `sample` decodes with no malformed sequence (`complete`: nothing follows it).
pub fn decodes_cleanly(name: &str, sample: &[u8], complete: bool) -> bool {
    host::get().decodes_cleanly(name, sample, complete)
}

/// A streaming decoder of one legacy encoding. windows-1252 (the fallback of detection,
/// and what Excel writes in Western Europe) is decoded here, with the WHATWG table: some
/// hosts get it wrong (Node 20's `TextDecoder("windows-1252")` decodes it as ISO-8859-1,
/// so `€` (0x80) became U+0080), and it needs only 32 entries.
pub enum Decoder {
    Host(Box<dyn LegacyDecoder>),
    Windows1252,
}

/// WHATWG windows-1252 code points of bytes 0x80–0x9F (the rest is ISO-8859-1).
const CP1252_HIGH: [u16; 32] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D,
    0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
    0x0153, 0x009D, 0x017E, 0x0178,
];

impl Decoder {
    pub fn new(name: &str) -> Self {
        if name == "windows-1252" {
            return Decoder::Windows1252;
        }
        Decoder::Host(host::get().decoder(name))
    }

    pub fn decode(&mut self, src: &[u8], out: &mut String, last: bool) {
        match self {
            Decoder::Host(d) => d.decode(src, out, last),
            Decoder::Windows1252 => {
                out.reserve(src.len());
                for &b in src {
                    let c = match b {
                        0x80..=0x9F => char::from_u32(CP1252_HIGH[(b - 0x80) as usize] as u32).unwrap_or('\u{FFFD}'),
                        _ => b as char,
                    };
                    out.push(c);
                }
            }
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn windows_1252_agrees_with_encoding_rs() {
        let bytes: Vec<u8> = (0..=255u8).collect();
        let mut ours = String::new();
        super::Decoder::new("windows-1252").decode(&bytes, &mut ours, true);
        let (theirs, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
        assert_eq!(ours, theirs);
    }
}

/// Encodes `text` (used by tests to build their non-UTF-8 inputs).
#[cfg(not(target_arch = "wasm32"))]
pub fn encode(text: &str, name: &str) -> Vec<u8> {
    host::encode(text, name)
}
