//! Encoding detection and streaming decoding to UTF-8.
//!
//! Detection looks at the first bytes only: a BOM decides; otherwise NUL patterns mean
//! UTF-16; valid UTF-8 means UTF-8; bytes that read cleanly as GB18030 and mostly fall in
//! the GB2312 double-byte area mean GBK/GB18030 (Chinese CRM exports); anything else is
//! read as windows-1252 (every byte decodes) and the choice is reported in `source.encoding`.

use encoding_rs::{CoderResult, DecoderResult, Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// Picks the encoding of `sample` (the start of the input). `complete` says the sample is
/// the whole input (so a truncated multi-byte sequence at its end is an error, not a cut).
pub fn detect(sample: &[u8], complete: bool) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(sample) {
        return enc;
    }
    if let Some(enc) = utf16_without_bom(sample) {
        return enc;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => return UTF_8,
        Err(e) if e.error_len().is_none() && !complete => return UTF_8,
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
        return UTF_8;
    }
    WINDOWS_1252
}

fn utf16_without_bom(sample: &[u8]) -> Option<&'static Encoding> {
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
        Some(UTF_16LE)
    } else if even * 10 > pairs * 3 && odd * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

fn looks_like_gb(sample: &[u8], complete: bool) -> bool {
    let mut decoder = GB18030.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(sample.len() * 2);
    let (res, _) = decoder.decode_to_string_without_replacement(sample, &mut out, complete);
    if let DecoderResult::Malformed(_, _) = res {
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

/// Decodes chunks of bytes into UTF-8 text, remembering where (in the decoded text)
/// undecodable bytes were replaced with U+FFFD so the rows holding them can be reported.
pub struct StreamDecoder {
    decoder: encoding_rs::Decoder,
    encoding: &'static Encoding,
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
    pub fn new(encoding: &'static Encoding) -> Self {
        StreamDecoder {
            decoder: encoding.new_decoder_with_bom_removal(),
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
    pub fn auto(encoding: &'static Encoding, sample: &[u8]) -> Self {
        let mut d = StreamDecoder::new(encoding);
        d.tentative = encoding == UTF_8 && sample.is_ascii();
        d
    }

    pub fn encoding(&self) -> &'static Encoding {
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
            if let Some(p) = src.iter().position(|b| !b.is_ascii()) {
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
                    Ok(_) => UTF_8,
                    // A cut multi-byte sequence at the very end of a long valid run is UTF-8.
                    Err(e) if e.error_len().is_none() && e.valid_up_to() > 0 => UTF_8,
                    Err(_) => detect(rest, last),
                };
                if enc != UTF_8 {
                    // Everything decoded so far was ASCII: same text in the new encoding.
                    self.decode_plain(&src[..p], out, false);
                    self.encoding = enc;
                    self.decoder = enc.new_decoder_without_bom_handling();
                    src = &src[p..];
                }
            }
        }
        self.decode_plain(src, out, last);
    }

    fn decode_plain(&mut self, mut src: &[u8], out: &mut String, last: bool) {
        loop {
            let need = self.decoder.max_utf8_buffer_length_without_replacement(src.len()).unwrap_or(src.len() * 3 + 16);
            out.reserve(need.max(16));
            let before = out.len();
            let (res, read) = self.decoder.decode_to_string_without_replacement(src, out, last);
            self.decoded_total += (out.len() - before) as u64;
            src = &src[read..];
            match res {
                DecoderResult::InputEmpty => return,
                DecoderResult::OutputFull => continue,
                DecoderResult::Malformed(_, _) => {
                    self.malformed.push_back(self.decoded_total);
                    out.push('\u{FFFD}');
                    self.decoded_total += '\u{FFFD}'.len_utf8() as u64;
                }
            }
        }
    }
}

/// Encodes UTF-8 text into `encoding` (used by tests and exports).
pub fn encode(text: &str, encoding: &'static Encoding) -> Vec<u8> {
    if encoding == UTF_16LE || encoding == UTF_16BE {
        let le = encoding == UTF_16LE;
        return text.encode_utf16().flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() }).collect();
    }
    let mut encoder = encoding.new_encoder();
    let mut out = Vec::with_capacity(text.len());
    let mut src = text;
    loop {
        out.reserve(
            encoder.max_buffer_length_from_utf8_if_no_unmappables(src.len()).unwrap_or(src.len() * 4 + 16) + 16,
        );
        let (res, read, _) = encoder.encode_from_utf8_to_vec(src, &mut out, true);
        src = &src[read..];
        if res == CoderResult::InputEmpty {
            return out;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_boms_utf16_utf8_gbk_and_latin1() {
        assert_eq!(detect(b"\xEF\xBB\xBFa,b\n", true), UTF_8);
        assert_eq!(detect(&encode("name,city\n张三,北京\n", UTF_16LE), true), UTF_16LE);
        assert_eq!(detect(&encode("name,city\nzhang,beijing\n", UTF_16BE), true), UTF_16BE);
        assert_eq!(detect("名字,城市\n".as_bytes(), true), UTF_8);
        let gbk = encode("评论,标签\n很快，好吃，味道足，量大,1\n没有送水,0\n", GB18030);
        assert_eq!(detect(&gbk, true), GB18030);
        let latin1 = encode(
            "title\nCity of Lost Children, The (Cité des enfants perdus, La) (1995)\nBelle époque\n",
            WINDOWS_1252,
        );
        assert_eq!(detect(&latin1, true), WINDOWS_1252);
    }

    #[test]
    fn undecided_ascii_start_switches_at_the_first_non_ascii_bytes_whatever_the_chunking() {
        let mut text = "id,title\n".to_string();
        for i in 0..40 {
            text.push_str(&format!("{i},plain ascii title {i}\n"));
        }
        let tail = "41,Misérables, Les (1995)\n42,Cité des enfants perdus\n";
        let zh = "41,很快，好吃，味道足，量大\n42,没有送水没有送水\n";
        for (extra, enc) in [(tail, WINDOWS_1252), (zh, GB18030)] {
            let full = format!("{text}{extra}");
            let bytes = encode(&full, enc);
            let first = bytes.iter().position(|b| !b.is_ascii()).unwrap();
            for cut in [first, first + 1, first + 2, 7, 1000] {
                let mut d = StreamDecoder::auto(UTF_8, &bytes[..first]);
                let mut out = String::new();
                let cut = cut.min(bytes.len());
                d.decode(&bytes[..cut], &mut out, false);
                d.decode(&bytes[cut..], &mut out, true);
                assert_eq!(out, full, "cut at {cut}");
                assert_eq!(d.encoding(), enc);
            }
        }
    }

    #[test]
    fn stream_decoding_across_chunk_boundaries_marks_bad_bytes() {
        let text = "张三,北京\n李四,上海\n";
        let bytes = encode(text, GB18030);
        let mut d = StreamDecoder::new(GB18030);
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            d.decode(chunk, &mut out, false);
        }
        d.decode(&[], &mut out, true);
        assert_eq!(out, text);
        assert!(d.malformed.is_empty());

        let mut d = StreamDecoder::new(UTF_8);
        let mut out = String::new();
        d.decode(b"ab\xFFc", &mut out, true);
        assert_eq!(out, "ab\u{FFFD}c");
        assert_eq!(d.malformed.iter().copied().collect::<Vec<_>>(), vec![2]);
    }
}
