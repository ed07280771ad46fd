//! Host services: what the core needs from the machine it runs on, passed in through one
//! trait instead of being reached for with `cfg(target_arch)`.
//!
//! - a monotonic clock (timings in reports; the [`crate::task`] time slices),
//! - decoders for the non-Unicode text encodings (GBK, Big5, Shift_JIS, windows-125x, …).
//!
//! Randomness is not a host service: every randomised algorithm takes a seed option (with
//! a fixed default), so the same input gives the same output on every host.
//!
//! Natively the default host uses `std::time::Instant` and encoding_rs. The JS boundary
//! crate installs its own (`performance.now`, the platform's `TextDecoder`) once, when the
//! module starts; a wasm build with no host installed has no clock (NaN) and only the
//! Unicode encodings.

use std::sync::OnceLock;

/// A streaming decoder of one legacy encoding: undecodable bytes become U+FFFD.
pub trait LegacyDecoder {
    fn decode(&mut self, src: &[u8], out: &mut String, last: bool);
}

/// The services a host provides. Implementations hold no per-call state (`Sync`): they are
/// installed once for the process or module instance.
pub trait Host: Sync {
    /// Milliseconds on a monotonic clock; NaN when the host has none.
    fn now_ms(&self) -> f64;
    /// The canonical WHATWG name (any case) of the encoding `label` names, UTF-8/16 included,
    /// or `None` when the host does not know it.
    fn encoding_name(&self, label: &str) -> Option<String>;
    /// Whether `sample` decodes in encoding `name` without a malformed sequence
    /// (`complete`: nothing follows it).
    fn decodes_cleanly(&self, name: &str, sample: &[u8], complete: bool) -> bool;
    /// A streaming decoder for encoding `name` (a name this host returned).
    fn decoder(&self, name: &str) -> Box<dyn LegacyDecoder>;
}

static HOST: OnceLock<&'static dyn Host> = OnceLock::new();

/// Installs the host; the first call wins (returns `false` if one was already in use).
pub fn install(host: &'static dyn Host) -> bool {
    HOST.set(host).is_ok()
}

/// The installed host, or the default one.
pub fn get() -> &'static dyn Host {
    *HOST.get_or_init(|| &DEFAULT)
}

/// Milliseconds on the host's clock (NaN without one).
pub fn now_ms() -> f64 {
    get().now_ms()
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::{Host, LegacyDecoder};

    /// std's clock and encoding_rs.
    pub struct Native;

    fn encoding(name: &str) -> &'static encoding_rs::Encoding {
        encoding_rs::Encoding::for_label(name.as_bytes()).unwrap_or(encoding_rs::WINDOWS_1252)
    }

    struct Decoder(encoding_rs::Decoder);

    impl LegacyDecoder for Decoder {
        fn decode(&mut self, mut src: &[u8], out: &mut String, last: bool) {
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

    impl Host for Native {
        fn now_ms(&self) -> f64 {
            static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
            START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1000.0
        }
        fn encoding_name(&self, label: &str) -> Option<String> {
            encoding_rs::Encoding::for_label(label.as_bytes()).map(|e| e.name().to_string())
        }
        fn decodes_cleanly(&self, name: &str, sample: &[u8], complete: bool) -> bool {
            let mut decoder = encoding(name).new_decoder_without_bom_handling();
            let mut out = String::with_capacity(sample.len() * 3 + 16);
            let (res, _) = decoder.decode_to_string_without_replacement(sample, &mut out, complete);
            !matches!(res, encoding_rs::DecoderResult::Malformed(_, _))
        }
        fn decoder(&self, name: &str) -> Box<dyn LegacyDecoder> {
            Box::new(Decoder(encoding(name).new_decoder_without_bom_handling()))
        }
    }

    /// Encodes `text` in encoding `name` (tests build their non-UTF-8 inputs with it).
    pub fn encode(text: &str, name: &str) -> Vec<u8> {
        encoding(name).encode(text).0.into_owned()
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub use native::{encode, Native};
#[cfg(not(target_arch = "wasm32"))]
static DEFAULT: Native = Native;

#[cfg(target_arch = "wasm32")]
mod bare {
    use super::{Host, LegacyDecoder};

    /// No clock, Unicode only: what a wasm build has before the JS layer installs its host.
    pub struct Bare;

    struct Latin1;

    impl LegacyDecoder for Latin1 {
        fn decode(&mut self, src: &[u8], out: &mut String, _last: bool) {
            out.extend(src.iter().map(|&b| b as char));
        }
    }

    impl Host for Bare {
        fn now_ms(&self) -> f64 {
            f64::NAN
        }
        fn encoding_name(&self, label: &str) -> Option<String> {
            let l = label.trim().to_ascii_lowercase();
            match l.as_str() {
                "utf-8" | "utf8" | "unicode-1-1-utf-8" => Some("UTF-8".into()),
                "utf-16le" | "utf-16" => Some("UTF-16LE".into()),
                "utf-16be" => Some("UTF-16BE".into()),
                _ => None,
            }
        }
        fn decodes_cleanly(&self, _name: &str, _sample: &[u8], _complete: bool) -> bool {
            false
        }
        fn decoder(&self, _name: &str) -> Box<dyn LegacyDecoder> {
            Box::new(Latin1)
        }
    }
}

#[cfg(target_arch = "wasm32")]
static DEFAULT: bare::Bare = bare::Bare;
