//! Streaming UTF-8 and UTF-16 decoders: chunks may cut a character anywhere; what cannot
//! be decoded becomes U+FFFD (one per maximal invalid subpart, as the WHATWG standard and
//! `String::from_utf8_lossy` do) and its position in the output is reported to `mark`.

/// UTF-8 with an optional leading BOM removed.
pub struct Utf8Decoder {
    /// The start of a character cut by the end of the previous chunk (at most 3 bytes),
    /// or, before the first character, a possible BOM prefix.
    pending: Vec<u8>,
    at_start: bool,
}

const BOM8: &[u8] = b"\xEF\xBB\xBF";

impl Utf8Decoder {
    pub fn new(strip_bom: bool) -> Self {
        Utf8Decoder { pending: Vec::new(), at_start: strip_bom }
    }

    pub fn decode(&mut self, src: &[u8], out: &mut String, last: bool, mark: &mut impl FnMut(usize)) {
        let joined: Vec<u8>;
        let mut input = src;
        if !self.pending.is_empty() {
            let mut j = std::mem::take(&mut self.pending);
            j.extend_from_slice(src);
            joined = j;
            input = &joined;
        }
        if self.at_start {
            if input.len() < BOM8.len() && BOM8.starts_with(input) && !last {
                self.pending = input.to_vec();
                return;
            }
            self.at_start = false;
            if input.starts_with(BOM8) {
                input = &input[BOM8.len()..];
            }
        }
        loop {
            match std::str::from_utf8(input) {
                Ok(s) => {
                    out.push_str(s);
                    return;
                }
                Err(e) => {
                    let good = e.valid_up_to();
                    // The prefix up to `good` was just validated, so this never falls back.
                    out.push_str(std::str::from_utf8(&input[..good]).unwrap_or_default());
                    match e.error_len() {
                        Some(n) => {
                            mark(out.len());
                            out.push('\u{FFFD}');
                            input = &input[good + n..];
                        }
                        None if !last => {
                            self.pending = input[good..].to_vec();
                            return;
                        }
                        None => {
                            mark(out.len());
                            out.push('\u{FFFD}');
                            return;
                        }
                    }
                }
            }
        }
    }
}

/// UTF-16 in either byte order, with an optional leading BOM of that order removed.
pub struct Utf16Decoder {
    little_endian: bool,
    at_start: bool,
    /// An odd byte left at the end of the previous chunk.
    odd: Option<u8>,
    /// A high surrogate waiting for its low half.
    high: Option<u16>,
}

impl Utf16Decoder {
    pub fn new(little_endian: bool, strip_bom: bool) -> Self {
        Utf16Decoder { little_endian, at_start: strip_bom, odd: None, high: None }
    }

    fn unit(&self, a: u8, b: u8) -> u16 {
        if self.little_endian {
            u16::from_le_bytes([a, b])
        } else {
            u16::from_be_bytes([a, b])
        }
    }

    pub fn decode(&mut self, mut src: &[u8], out: &mut String, last: bool, mark: &mut impl FnMut(usize)) {
        out.reserve(src.len() + src.len() / 2);
        if let Some(a) = self.odd.take() {
            match src.split_first() {
                Some((&b, rest)) => {
                    let u = self.unit(a, b);
                    self.push_unit(u, out, mark);
                    src = rest;
                }
                None => self.odd = Some(a),
            }
        }
        let mut pairs = src.chunks_exact(2);
        for p in &mut pairs {
            let u = self.unit(p[0], p[1]);
            self.push_unit(u, out, mark);
        }
        if let [b] = pairs.remainder() {
            self.odd = Some(*b);
        }
        if last {
            if self.high.take().is_some() {
                mark(out.len());
                out.push('\u{FFFD}');
            }
            if self.odd.take().is_some() {
                mark(out.len());
                out.push('\u{FFFD}');
            }
        }
    }

    fn push_unit(&mut self, u: u16, out: &mut String, mark: &mut impl FnMut(usize)) {
        if std::mem::take(&mut self.at_start) && u == 0xFEFF {
            return;
        }
        match (self.high.take(), u) {
            (Some(h), 0xDC00..=0xDFFF) => {
                let c = 0x10000 + (((h as u32) - 0xD800) << 10) + (u as u32 - 0xDC00);
                out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
            }
            (h, _) => {
                if h.is_some() {
                    mark(out.len());
                    out.push('\u{FFFD}');
                }
                match u {
                    0xD800..=0xDBFF => self.high = Some(u),
                    0xDC00..=0xDFFF => {
                        mark(out.len());
                        out.push('\u{FFFD}');
                    }
                    _ => out.push(char::from_u32(u as u32).unwrap_or('\u{FFFD}')),
                }
            }
        }
    }
}
