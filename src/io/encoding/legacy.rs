//! Non-Unicode encodings (GBK/GB18030, Big5, Shift_JIS, EUC-KR, windows-125x, ISO-8859-x, …).
//!
//! Natively they are decoded by encoding_rs. In WebAssembly the host's `TextDecoder` does
//! it: browsers and Node implement the same WHATWG Encoding Standard (Firefox's
//! implementation *is* encoding_rs), so results agree while the package stays free of
//! ~150 KB (gzipped) of CJK tables. Both backends replace undecodable bytes with U+FFFD.

#[cfg(not(target_arch = "wasm32"))]
mod backend {
    /// The canonical name of the encoding `label` names (UTF-8/16 included).
    pub fn canonical_name(label: &str) -> Option<&'static str> {
        encoding_rs::Encoding::for_label(label.as_bytes()).map(|e| e.name())
    }

    fn encoding(name: &str) -> &'static encoding_rs::Encoding {
        encoding_rs::Encoding::for_label(name.as_bytes()).unwrap_or(encoding_rs::WINDOWS_1252)
    }

    /// Whether `sample` decodes with no malformed sequence (`complete`: nothing follows it).
    pub fn decodes_cleanly(name: &str, sample: &[u8], complete: bool) -> bool {
        let mut decoder = encoding(name).new_decoder_without_bom_handling();
        let mut out = String::with_capacity(sample.len() * 3 + 16);
        let (res, _) = decoder.decode_to_string_without_replacement(sample, &mut out, complete);
        !matches!(res, encoding_rs::DecoderResult::Malformed(_, _))
    }

    pub struct Decoder(encoding_rs::Decoder);

    impl Decoder {
        pub fn new(name: &str) -> Self {
            Decoder(encoding(name).new_decoder_without_bom_handling())
        }

        pub fn decode(&mut self, mut src: &[u8], out: &mut String, last: bool) {
            loop {
                let need = self.0.max_utf8_buffer_length(src.len()).unwrap_or(src.len() * 3 + 16);
                out.reserve(need.max(16));
                let (res, read, _) = self.0.decode_to_string(src, out, last);
                src = &src[read..];
                if res == encoding_rs::CoderResult::InputEmpty {
                    return;
                }
            }
        }
    }

    /// Encodes `text` (used by tests to build their non-UTF-8 inputs).
    pub fn encode(text: &str, name: &str) -> Vec<u8> {
        encoding(name).encode(text).0.into_owned()
    }
}

#[cfg(target_arch = "wasm32")]
mod backend {
    use crate::wasm::text_decoder as host;

    pub fn canonical_name(label: &str) -> Option<&'static str> {
        host::canonical_name(label).and_then(|n| super::super::Enc::canonical(&n))
    }

    pub fn decodes_cleanly(name: &str, sample: &[u8], complete: bool) -> bool {
        host::decodes_cleanly(name, sample, complete)
    }

    pub struct Decoder(host::HostDecoder);

    impl Decoder {
        pub fn new(name: &str) -> Self {
            Decoder(host::HostDecoder::new(name))
        }

        pub fn decode(&mut self, src: &[u8], out: &mut String, last: bool) {
            self.0.decode(src, out, last)
        }
    }
}

pub use backend::*;
