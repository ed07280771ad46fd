//! Encoding detection and streaming decoding (native: legacy encodings through encoding_rs).

use super::*;

#[test]
fn detects_boms_utf16_utf8_gbk_and_latin1() {
    assert_eq!(detect(b"\xEF\xBB\xBFa,b\n", true), Enc::Utf8);
    assert_eq!(detect(&encode("name,city\n张三,北京\n", Enc::Utf16Le), true), Enc::Utf16Le);
    assert_eq!(detect(&encode("name,city\nzhang,beijing\n", Enc::Utf16Be), true), Enc::Utf16Be);
    assert_eq!(detect("名字,城市\n".as_bytes(), true), Enc::Utf8);
    let gbk = encode("评论,标签\n很快，好吃，味道足，量大,1\n没有送水,0\n", GB18030);
    assert_eq!(detect(&gbk, true), GB18030);
    let latin1 =
        encode("title\nCity of Lost Children, The (Cité des enfants perdus, La) (1995)\nBelle époque\n", WINDOWS_1252);
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
            let mut d = StreamDecoder::auto(Enc::Utf8, &bytes[..first]);
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

    let mut d = StreamDecoder::new(Enc::Utf8);
    let mut out = String::new();
    d.decode(b"ab\xFFc", &mut out, true);
    assert_eq!(out, "ab\u{FFFD}c");
    assert_eq!(d.malformed.iter().copied().collect::<Vec<_>>(), vec![2]);
}

#[test]
fn every_canonical_name_is_its_own_label_and_common_labels_resolve() {
    for &name in NAMES {
        match Enc::for_label(name) {
            Ok(enc) => assert_eq!(enc.name(), name),
            Err(why) => assert_eq!(name, "replacement", "{why}"),
        }
    }
    assert_eq!(Enc::for_label("latin1"), Ok(WINDOWS_1252));
    assert_eq!(Enc::for_label("gbk"), Ok(Enc::Legacy("GBK")));
    assert_eq!(Enc::for_label(" utf8 "), Ok(Enc::Utf8));
    assert_eq!(Enc::for_label("utf-16le"), Ok(Enc::Utf16Le));
    assert!(Enc::for_label("iso-2022-kr").unwrap_err().contains("replacement"));
    assert!(Enc::for_label("no-such").unwrap_err().contains("unknown encoding label"));
}

/// Our UTF-8/UTF-16 decoders against encoding_rs (the WHATWG reference), byte by byte
/// and whole, on valid text and on every kind of malformed input.
#[test]
fn unicode_decoders_agree_with_encoding_rs_whatever_the_chunking() {
    let text = "id,名字\u{1F600}\n1,Zoë 张三\n";
    let mut cases: Vec<(Enc, Vec<u8>)> = vec![];
    for enc in [Enc::Utf8, Enc::Utf16Le, Enc::Utf16Be] {
        let good = encode(text, enc);
        cases.push((enc, good.clone()));
        let mut bom = match enc {
            Enc::Utf8 => b"\xEF\xBB\xBF".to_vec(),
            Enc::Utf16Le => vec![0xFF, 0xFE],
            _ => vec![0xFE, 0xFF],
        };
        bom.extend_from_slice(&good);
        cases.push((enc, bom));
        let mut cut = good.clone();
        cut.pop();
        cases.push((enc, cut));
    }
    for bad in [&b"a\xFFb"[..], b"\xE4\xB8", b"\xE4\xB8x\xF0\x9F\x98", b"\xC0\x80\xED\xA0\x80z", b"\xEF\xBB"] {
        cases.push((Enc::Utf8, bad.to_vec()));
    }
    // Lone surrogates and a swapped pair in UTF-16LE.
    cases.push((Enc::Utf16Le, vec![0x3D, 0xD8, 0x41, 0x00, 0x00, 0xDC, 0x00, 0xDC, 0x3D, 0xD8]));
    for (enc, bytes) in cases {
        let reference = match enc {
            Enc::Utf8 => encoding_rs::UTF_8,
            Enc::Utf16Le => encoding_rs::UTF_16LE,
            _ => encoding_rs::UTF_16BE,
        };
        let want = reference.decode_with_bom_removal(&bytes).0.into_owned();
        for step in [1, 2, 3, 5, bytes.len().max(1)] {
            let mut d = StreamDecoder::new(enc);
            let mut out = String::new();
            for chunk in bytes.chunks(step) {
                d.decode(chunk, &mut out, false);
            }
            d.decode(&[], &mut out, true);
            assert_eq!(out, want, "{enc:?} {bytes:?} in chunks of {step}");
            let marks: Vec<u64> = out.match_indices('\u{FFFD}').map(|(i, _)| i as u64).collect();
            assert_eq!(d.malformed.iter().copied().collect::<Vec<_>>(), marks, "{enc:?} {bytes:?} step {step}");
        }
    }
}
