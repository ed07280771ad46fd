//! An `.xls` checked and rebuilt before calamine reads it, so that no size written in the
//! file can make calamine allocate more than the file's own size allows (an allocation
//! that fails aborts: a trap in the wasm module), nor slice out of bounds.
//!
//! calamine 0.35 sizes memory from the file in several places (fuzz campaign 10, see
//! FUZZING.md): its compound-file (CFB) reader reserves the header's FAT length
//! (`Vec::with_capacity(fat_len)`, up to 16 GiB) and follows sector chains without a cycle
//! check (a cyclic chain grows a stream to the length its directory entry claims, up to
//! 4 GiB); the BIFF reader reserves a sheet's `Dimensions` (rows × columns) and makes every
//! sheet a dense range of its cells' bounding box (`Range::from_sparse`: one cell at A1 and
//! one at row 65,536, column 65,536 ask for 2^32 cells, 137,438,953,472 bytes), and a
//! `Label` reserves the characters it announces, not those it holds.
//!
//! So the reader here, not calamine, reads the compound file (every chain bounded and
//! cycle-checked) and takes out the `Workbook` stream; walks its BIFF records as calamine's
//! record iterator does and refuses what would size an allocation or slice past an end;
//! blanks what crmlens does not read (formula token lists, defined names, `Dimensions`);
//! and writes the stream into a new, minimal compound file: calamine only ever sees a
//! container this module wrote.

use crmlens::{CrmError, Result};

/// Most cells (the bounding boxes of all sheets together) an `.xls` may span: a full BIFF8
/// sheet, 65,536 rows × 256 columns. calamine holds that box densely.
pub const MAX_XLS_CELLS: u64 = 1 << 24;

/// The longest workbook stream the rebuilt compound file holds: its FAT's sectors all listed
/// in the header (109 × 1,023 sectors of 4,096 bytes, less the directory's).
const MAX_STREAM: usize = (109 * 1023 - 1) * 4096;

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const FREESECT: u32 = 0xFFFF_FFFF;
const FATSECT: u32 = 0xFFFF_FFFD;
/// Sector ids at or above this are markers, not sectors.
const MAXREGSECT: u32 = 0xFFFF_FFFA;

fn bad(why: impl std::fmt::Display) -> CrmError {
    CrmError::not_a_table("xls", format!("the input is not a readable workbook (xls): {why}"))
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

/// `bytes` (an OLE2 compound file) as a new compound file that holds only its checked
/// `Workbook` stream.
pub fn rebuild(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut stream = workbook_stream(bytes)?;
    check_biff(&mut stream)?;
    if stream.len() > MAX_STREAM {
        return Err(CrmError::too_large(
            "bytes",
            format!("the .xls workbook stream has {} bytes; at most {MAX_STREAM} are read", stream.len()),
        ));
    }
    Ok(write_cfb(&stream))
}

// ---- reading the compound file -------------------------------------------------------

struct Cfb<'a> {
    bytes: &'a [u8],
    size: usize,
}

impl Cfb<'_> {
    /// Sector `id`, a partial last sector padded with zeros (as calamine reads it).
    fn sector(&self, id: u32) -> Result<Vec<u8>> {
        let start = (id as usize).checked_add(1).and_then(|n| n.checked_mul(self.size));
        let start = start
            .filter(|s| *s < self.bytes.len())
            .ok_or_else(|| bad(format!("sector {id} is past the end of the file")))?;
        let mut s = self.bytes[start..self.bytes.len().min(start + self.size)].to_vec();
        s.resize(self.size, 0);
        Ok(s)
    }

    /// The chain from `start` through `fat`, each link read by `get`, up to `len`
    /// bytes; a link out of the table, or more links than the `most` sectors there are (a
    /// cycle), is an error.
    fn chain(
        &self,
        start: u32,
        fat: &[u32],
        len: usize,
        most: usize,
        what: &str,
        get: &dyn Fn(u32) -> Result<Vec<u8>>,
    ) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut id = start;
        let mut links = 0usize;
        while id != ENDOFCHAIN && out.len() < len {
            links += 1;
            if links > most {
                return Err(bad(format!("the {what} chain loops")));
            }
            let s = get(id)?;
            out.extend_from_slice(&s[..s.len().min(len - out.len())]);
            id = *fat
                .get(id as usize)
                .ok_or_else(|| bad(format!("the {what} chain names sector {id}, past its table")))?;
        }
        Ok(out)
    }
}

/// The `Workbook` stream (or `Book`, as calamine looks for it) of a compound file.
fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>> {
    let h = bytes.get(..512).ok_or_else(|| bad("the compound-file header is cut short"))?;
    let size = match u16_at(h, 30) {
        Some(9) => 512,
        Some(12) => 4096,
        s => return Err(bad(format!("sector shift {s:?} is neither 9 nor 12"))),
    };
    if u16_at(h, 32) != Some(6) {
        return Err(bad("the mini sector shift is not 6"));
    }
    let count = (bytes.len().saturating_sub(size)).div_ceil(size);
    let cfb = Cfb { bytes, size };
    let word = |b: &[u8], i: usize| u32_at(b, i * 4).unwrap_or(FREESECT);

    // The FAT's sectors: 109 in the header, then the DIFAT chain.
    let mut fat_ids: Vec<u32> = (0..109).map(|i| word(&h[76..], i)).collect();
    let mut next = u32_at(h, 68).unwrap_or(ENDOFCHAIN);
    let mut hops = 0;
    while next < MAXREGSECT {
        hops += 1;
        if hops > count {
            return Err(bad("the DIFAT chain loops"));
        }
        let s = cfb.sector(next)?;
        let n = size / 4 - 1;
        fat_ids.extend((0..n).map(|i| word(&s, i)));
        next = word(&s, n);
    }
    fat_ids.retain(|id| *id < MAXREGSECT);
    if fat_ids.len() > count {
        return Err(bad(format!("the FAT claims {} sectors, the file has {count}", fat_ids.len())));
    }
    let mut fat = Vec::with_capacity(fat_ids.len() * size / 4);
    for id in fat_ids {
        let s = cfb.sector(id)?;
        fat.extend((0..size / 4).map(|i| word(&s, i)));
    }

    let dir_start = u32_at(h, 48).unwrap_or(ENDOFCHAIN);
    let dirs = cfb.chain(dir_start, &fat, usize::MAX, count, "directory", &|id| cfb.sector(id))?;
    let entries: Vec<&[u8]> = dirs.chunks_exact(128).collect();
    let root = entries.first().ok_or_else(|| bad("the compound file has no directory"))?;
    let name = |e: &[u8]| -> String {
        let units: Vec<u16> =
            e[..64].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).take_while(|u| *u != 0).collect();
        String::from_utf16_lossy(&units)
    };
    let entry = ["Workbook", "Book", "WORKBOOK", "BOOK"]
        .iter()
        .find_map(|want| entries.iter().find(|e| name(e) == *want))
        .ok_or_else(|| bad("the compound file has no Workbook stream"))?;
    let start = u32_at(entry, 116).unwrap_or(ENDOFCHAIN);
    let claimed = u32_at(entry, 120).unwrap_or(0) as usize;
    let high = if size == 4096 { u32_at(entry, 124).unwrap_or(0) } else { 0 };
    // No stream is longer than the file (a longer claim is only read up to its chain's end).
    let len = if high != 0 { usize::MAX } else { claimed }.min(bytes.len());
    if claimed >= 4096 || high != 0 {
        return cfb.chain(start, &fat, len, count, "Workbook", &|id| cfb.sector(id));
    }
    // A short stream lives in the mini stream: 64-byte sectors of the root entry's stream.
    let root_start = u32_at(root, 116).unwrap_or(ENDOFCHAIN);
    let root_len = (u32_at(root, 120).unwrap_or(0) as usize).min(bytes.len());
    let mini = cfb.chain(root_start, &fat, root_len, count, "mini stream", &|id| cfb.sector(id))?;
    let minifat_len = (u32_at(h, 64).unwrap_or(0) as usize).saturating_mul(size).min(bytes.len());
    let minifat_bytes =
        cfb.chain(u32_at(h, 60).unwrap_or(ENDOFCHAIN), &fat, minifat_len, count, "mini FAT", &|id| cfb.sector(id))?;
    let minifat: Vec<u32> = (0..minifat_bytes.len() / 4).map(|i| word(&minifat_bytes, i)).collect();
    let mini_sector = |id: u32| -> Result<Vec<u8>> {
        let at = (id as usize).saturating_mul(64);
        let mut s = mini.get(at..).unwrap_or(&[]).iter().take(64).copied().collect::<Vec<u8>>();
        if s.is_empty() {
            return Err(bad(format!("mini sector {id} is past the end of the mini stream")));
        }
        s.resize(64, 0);
        Ok(s)
    };
    cfb.chain(start, &minifat, len, mini.len().div_ceil(64), "Workbook", &mini_sector)
}

// ---- the BIFF records ------------------------------------------------------------------

/// One record as calamine's iterator cuts it: type, where its data starts, its length, and
/// the `Continue` records after it (calamine attaches them to it), as (start, length).
struct Rec {
    typ: u16,
    data: usize,
    len: usize,
    cont: Vec<(usize, usize)>,
}

/// The records from `at` up to an `EOF` record, the end of the stream, or a record cut short
/// (where calamine stops with an error).
fn records(s: &[u8], mut at: usize) -> Vec<Rec> {
    let mut out = Vec::new();
    while let (Some(typ), Some(len)) = (u16_at(s, at), u16_at(s, at + 2)) {
        let (data, len) = (at + 4, len as usize);
        if data + len > s.len() {
            break;
        }
        at = data + len;
        let mut cont = Vec::new();
        while u16_at(s, at) == Some(0x003C) && at + 4 < s.len() {
            let l = u16_at(s, at + 2).unwrap_or(0) as usize;
            if at + 4 + l > s.len() {
                return out;
            }
            cont.push((at + 4, l));
            at += 4 + l;
        }
        out.push(Rec { typ, data, len, cont });
        if typ == 0x000A {
            break;
        }
    }
    out
}

/// Upper bounds of the shared strings' lengths as calamine decodes them (SST, MS-XLS
/// 2.4.265), walked as its `read_rich_extended_string` walks them: a string of `cch`
/// characters decodes to at most 6 × `cch` bytes (two code units a character at most, three
/// UTF-8 bytes each). What calamine would refuse or panic on is refused.
fn sst_bounds(s: &[u8], r: &Rec) -> Result<Vec<u64>> {
    let short = || bad("the shared strings are cut short");
    let mut segs = r.cont.iter().map(|&(a, l)| &s[a..a + l]);
    let mut data = s.get(r.data + 8..r.data + r.len).ok_or_else(short)?;
    let mut out = Vec::new();
    loop {
        if data.is_empty() {
            match segs.next() {
                Some(x) => data = x,
                None => break,
            }
            if data.is_empty() {
                out.push(0);
                continue;
            }
        }
        let cch = u16_at(data, 0).filter(|_| data.len() >= 3).ok_or_else(short)? as usize;
        let flags = data[2];
        data = &data[3..];
        let mut runs = 0usize;
        if flags & 8 != 0 {
            runs = u16_at(data, 0).ok_or_else(short)? as usize * 4;
            data = &data[2..];
        }
        let mut ext = 0usize;
        if flags & 4 != 0 {
            ext = u32_at(data, 0).ok_or_else(short)? as i32 as usize;
            data = &data[4..];
        }
        let (mut left, mut high) = (cch, flags & 1 != 0);
        while left > 0 {
            let l = if high { (data.len() / 2).min(left) } else { data.len().min(left) };
            data = &data[if high { 2 * l } else { l }..];
            left -= l;
            if left > 0 {
                let x = segs.next().filter(|x| !x.is_empty()).ok_or_else(short)?;
                high = x[0] & 1 != 0;
                data = &x[1..];
            }
        }
        out.push(6 * cch as u64);
        for mut n in [runs, ext] {
            while n > 0 {
                if data.is_empty() {
                    data = segs.next().ok_or_else(short)?;
                }
                let l = n.min(data.len());
                data = &data[l..];
                n -= l;
            }
        }
    }
    Ok(out)
}

/// Most bytes of shared-string text the `.xls` cells may copy (calamine copies a shared
/// string for every cell that shows it).
pub const MAX_XLS_TEXT: u64 = 512 << 20;

/// Record types blanked to type 0 (which calamine skips): what crmlens does not read and
/// calamine would parse with unchecked slices or size a reservation by.
const DEFINED_NAME: u16 = 0x0018;
const EXTERN_SHEET: u16 = 0x0017;
const DIMENSIONS: u16 = 0x0200;

fn blank(s: &mut [u8], r: &Rec) {
    s[r.data - 4] = 0;
    s[r.data - 3] = 0;
}

/// Checks the workbook stream in place (see the module doc); blanks formulas, names and
/// `Dimensions`.
fn check_biff(s: &mut [u8]) -> Result<()> {
    let mut sheets = Vec::new();
    let mut shared: Vec<u64> = Vec::new();
    for r in records(s, 0) {
        let d = &s[r.data..r.data + r.len];
        match r.typ {
            0x0085 => {
                // BoundSheet8: the sheet's offset, state, type, then its name.
                let pos = u32_at(d, 0).filter(|_| d.len() >= 7).ok_or_else(|| bad("a sheet record is cut short"))?;
                if pos as usize > s.len() {
                    return Err(bad(format!(
                        "a sheet starts at byte {pos}, past the end of the workbook stream ({} bytes)",
                        s.len()
                    )));
                }
                sheets.push(pos as usize);
            }
            0x00FC => shared = sst_bounds(s, &r)?,
            DEFINED_NAME | EXTERN_SHEET => blank(s, &r),
            _ => {}
        }
    }
    let (mut walked, mut cells, mut text) = (0usize, 0u64, 0u64);
    for pos in sheets {
        let (mut values, mut formulas) = (Bounds::default(), Bounds::default());
        let mut formula_at = (0, 0);
        for r in records(s, pos) {
            walked += r.len + 4;
            let d = &s[r.data..r.data + r.len];
            let at = || (u16_at(d, 0).unwrap_or(0) as u32, u16_at(d, 2).unwrap_or(0) as u32);
            match r.typ {
                DIMENSIONS => blank(s, &r),
                // Number, BoolErr, Rk
                0x0203 | 0x0205 | 0x027E if d.len() >= 4 => values.add(at()),
                // LabelSst: a copy of shared string `i`.
                0x00FD if d.len() >= 10 => {
                    values.add(at());
                    text += u32_at(d, 6).and_then(|i| shared.get(i as usize).copied()).unwrap_or(0);
                }
                0x0204 if d.len() >= 6 => {
                    values.add(at());
                    text_fits(&d[6..], "label")?;
                }
                0x0207 => {
                    values.add(formula_at);
                    text_fits(d, "formula string")?;
                }
                0x00BD if d.len() >= 6 => {
                    // MulRk: row, first column, the values, last column.
                    let (row, first) = at();
                    let last = u16_at(d, d.len() - 2).unwrap_or(0) as u32;
                    if last < first {
                        return Err(bad(format!("a MulRk record's last column {last} is before its first {first}")));
                    }
                    values.add((row, first));
                    values.add((row, last));
                }
                0x00E5 => {
                    let n = u16_at(d, 0).unwrap_or(0) as usize;
                    if d.len() < 2 + 8 * n {
                        return Err(bad(format!("a MergeCells record lists {n} regions in {} bytes", d.len())));
                    }
                }
                0x0006 if d.len() >= 20 => {
                    // Formula: the cached value is read; the token list (from byte 20, its
                    // length first) is not: made empty.
                    if d.len() < 22 {
                        return Err(bad("a formula record is cut short"));
                    }
                    formula_at = at();
                    values.add(formula_at);
                    formulas.add(formula_at);
                    s[r.data + 20] = 0;
                    s[r.data + 21] = 0;
                }
                _ => {}
            }
        }
        // Sheets are disjoint parts of the stream; sheet records that overlap make calamine
        // read it again for each.
        if walked > s.len().saturating_mul(2) {
            return Err(bad("its sheet records point into the same data again and again"));
        }
        cells = cells.saturating_add(values.area()).saturating_add(formulas.area());
        if cells > MAX_XLS_CELLS {
            return Err(CrmError::too_large(
                "sheet",
                format!(
                    "the .xls sheets span {cells} cells (the rows × columns between their first and last cells: {}); at most {MAX_XLS_CELLS} (65,536 rows × 256 columns) are read from an .xls",
                    values.describe()
                ),
            ));
        }
        if text > MAX_XLS_TEXT {
            return Err(CrmError::too_large(
                "sheet",
                format!("the .xls cells show more than {MAX_XLS_TEXT} bytes of shared text (counted at 6 bytes a character, the most a character can take)"),
            ));
        }
    }
    Ok(())
}

/// A string (`cch` as a u16 first, then an optional flags byte) holds the characters it
/// announces: calamine reserves `cch` before reading them.
fn text_fits(d: &[u8], what: &str) -> Result<()> {
    let cch = u16_at(d, 0).unwrap_or(0) as usize;
    if cch > d.len().saturating_sub(2) {
        return Err(bad(format!("a {what} announces {cch} characters in {} bytes", d.len())));
    }
    Ok(())
}

/// The bounding box of a sheet's cells, as calamine sizes its dense range.
#[derive(Default)]
struct Bounds(Option<((u32, u32), (u32, u32))>);

impl Bounds {
    fn add(&mut self, (r, c): (u32, u32)) {
        self.0 = Some(match self.0 {
            None => ((r, c), (r, c)),
            Some((lo, hi)) => ((lo.0.min(r), lo.1.min(c)), (hi.0.max(r), hi.1.max(c))),
        });
    }

    fn area(&self) -> u64 {
        self.0.map_or(0, |(lo, hi)| (hi.0 - lo.0 + 1) as u64 * (hi.1 - lo.1 + 1) as u64)
    }

    fn describe(&self) -> String {
        self.0.map_or_else(String::new, |(lo, hi)| {
            format!("row {} column {} to row {} column {}", lo.0 + 1, lo.1 + 1, hi.0 + 1, hi.1 + 1)
        })
    }
}

// ---- writing the new compound file -----------------------------------------------------

/// A version-4 compound file (4,096-byte sectors) holding `stream` as `Workbook`, padded
/// with zeros (records calamine skips) to at least 4,096 bytes so that it is not a mini
/// stream. The FAT fits the header's 109 entries: up to 109 × 1,024 sectors (≈ 456 MB).
fn write_cfb(stream: &[u8]) -> Vec<u8> {
    const S: usize = 4096;
    let data = stream.len().max(S).div_ceil(S); // stream sectors 0..data
    let dir = data as u32; // then one directory sector
    let fats = (data + 1).div_ceil(S / 4 - 1); // then the FAT sectors
    let total = data + 1 + fats;
    let mut out = vec![0u8; S * (1 + total)];
    let put = |out: &mut [u8], at: usize, v: u32| out[at..at + 4].copy_from_slice(&v.to_le_bytes());
    out[..8].copy_from_slice(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1");
    out[24..34].copy_from_slice(&[0x3E, 0, 4, 0, 0xFE, 0xFF, 12, 0, 6, 0]);
    put(&mut out, 44, fats as u32);
    put(&mut out, 48, dir);
    put(&mut out, 56, 4096);
    put(&mut out, 60, ENDOFCHAIN);
    put(&mut out, 68, ENDOFCHAIN);
    for i in 0..109 {
        put(&mut out, 76 + 4 * i, if i < fats { (data + 1 + i) as u32 } else { FREESECT });
    }
    out[S..S + stream.len()].copy_from_slice(stream);
    // The directory: the root entry, then `Workbook`.
    let d = S * (1 + data);
    let mut entry = |at: usize, name: &str, kind: u8, start: u32, len: u64| {
        for (i, u) in name.encode_utf16().enumerate() {
            out[at + 2 * i..at + 2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        out[at + 64..at + 66].copy_from_slice(&((name.len() as u16 + 1) * 2).to_le_bytes());
        out[at + 66] = kind;
        out[at + 68..at + 80].fill(0xFF);
        put(&mut out, at + 116, start);
        out[at + 120..at + 128].copy_from_slice(&len.to_le_bytes());
    };
    entry(d, "Root Entry", 5, 0, 0);
    entry(d + 128, "Workbook", 2, 0, (data * S) as u64);
    put(&mut out, d + 76, 1); // the root's child: `Workbook`
    for e in 2..S / 128 {
        out[d + e * 128 + 68..d + e * 128 + 80].fill(0xFF);
    }
    // The FAT.
    let f0 = S * (2 + data);
    for id in 0..fats * S / 4 {
        let v = match id {
            i if i + 1 < data => i as u32 + 1,
            i if i + 1 == data || i == data => ENDOFCHAIN,
            i if i < total => FATSECT,
            _ => FREESECT,
        };
        put(&mut out, f0 + 4 * id, v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workbook stream: records (type, data), then EOF.
    fn biff(recs: &[(u16, Vec<u8>)]) -> Vec<u8> {
        let mut s = Vec::new();
        for (t, d) in recs.iter().chain([(0x000A, vec![])].iter()) {
            s.extend_from_slice(&t.to_le_bytes());
            s.extend_from_slice(&(d.len() as u16).to_le_bytes());
            s.extend_from_slice(d);
        }
        s
    }

    #[test]
    fn the_rebuilt_file_holds_the_stream_and_calamine_reads_it() {
        let s = biff(&[(0x0042, vec![0xB0, 0x04])]);
        let file = write_cfb(&s);
        let back = workbook_stream(&file).unwrap();
        assert_eq!(&back[..s.len()], &s[..]);
        assert!(back[s.len()..].iter().all(|b| *b == 0));
        use calamine::Reader;
        let book = calamine::Xls::new(std::io::Cursor::new(file)).unwrap();
        assert!(book.sheet_names().is_empty());
    }

    /// A directory chain that points at itself: calamine follows it with no length bound and
    /// grows the directory until memory runs out; here it is refused.
    #[test]
    fn a_chain_that_loops_is_refused() {
        let mut file = write_cfb(&biff(&[]));
        let dir = u32_at(&file, 48).unwrap() as usize;
        let fat = 4096 * (2 + dir);
        file[fat + 4 * dir..fat + 4 * dir + 4].copy_from_slice(&(dir as u32).to_le_bytes());
        let e = rebuild(&file).unwrap_err();
        assert_eq!(e.code(), "NOT_A_TABLE");
        assert!(e.to_string().contains("directory chain loops"), "{e}");
    }

    /// Cells at A1 and at row 65,536 / column 4,096: a bounding box of 2^28 cells, which
    /// calamine would hold densely (8 GiB): refused before, naming the limit.
    #[test]
    fn a_sheet_whose_cells_span_too_much_is_too_large() {
        let number = |r: u16, c: u16| {
            let mut d = [r.to_le_bytes(), c.to_le_bytes(), [0, 0]].concat();
            d.extend_from_slice(&1.0f64.to_le_bytes());
            (0x0203, d)
        };
        let sheet = biff(&[number(0, 0), number(0xFFFF, 0x0FFF)]);
        let head = |pos: u32| biff(&[(0x0085, [&pos.to_le_bytes()[..], &[0, 0, 1, 0, b'S']].concat())]);
        let pos = head(0).len() as u32;
        let mut s = head(pos);
        s.extend_from_slice(&sheet);
        let e = check_biff(&mut s.clone()).unwrap_err();
        assert_eq!(e.code(), "TOO_LARGE", "{e}");
        // Within 256 columns the same sheet is read.
        let mut ok = head(pos);
        ok.extend_from_slice(&biff(&[number(0, 0), number(0xFFFF, 0xFF)]));
        check_biff(&mut ok).unwrap();
    }

    /// A label that announces 65,535 characters in a few bytes: calamine reserves them for
    /// every such cell (64 KiB per 13 bytes of file).
    #[test]
    fn a_label_longer_than_its_record_is_refused() {
        let label = (0x0204, [&[0u8, 0, 0, 0, 0, 0][..], &0xFFFFu16.to_le_bytes(), &[0, b'a']].concat());
        let head = |pos: u32| biff(&[(0x0085, [&pos.to_le_bytes()[..], &[0, 0, 1, 0, b'S']].concat())]);
        let mut s = head(head(0).len() as u32);
        s.extend_from_slice(&biff(&[label]));
        let e = check_biff(&mut s).unwrap_err();
        assert!(e.to_string().contains("announces 65535 characters"), "{e}");
    }
}
