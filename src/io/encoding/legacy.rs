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

/// A streaming decoder of one legacy encoding.
pub struct Decoder(Box<dyn LegacyDecoder>);

impl Decoder {
    pub fn new(name: &str) -> Self {
        Decoder(host::get().decoder(name))
    }

    pub fn decode(&mut self, src: &[u8], out: &mut String, last: bool) {
        self.0.decode(src, out, last)
    }
}

/// Encodes `text` (used by tests to build their non-UTF-8 inputs).
#[cfg(not(target_arch = "wasm32"))]
pub fn encode(text: &str, name: &str) -> Vec<u8> {
    host::encode(text, name)
}
