//! A pre-check of .xls files before calamine opens them.
//!
//! calamine parses every sheet of an .xls at open time and allocates each
//! sheet's bounding box of cells densely; a damaged or crafted file with a
//! cell at row 65535, column 65535 asks for ~137 GB and aborts the process
//! (found by our fuzz test). So we read the compound file ourselves, walk the
//! BIFF records of the workbook stream and check every sheet's box first,
//! and the boxes of all sheets together (calamine keeps them all).
//!
//! calamine also copies a shared string (SST) into every cell that uses it:
//! one 32,767-character string in 50,000 cells would be 1.6 GB. The SST's
//! string lengths are read, and the text calamine will hold (the table plus
//! every cell's copy) is capped at [`MAX_XLS_TEXT`].

use crate::error::ImportError;
use crate::limits;

/// Most bytes of text calamine may hold for an .xls: its string table, each
/// string counted with its `String` header, and every cell's copy.
pub(crate) const MAX_XLS_TEXT: usize = 32 * 1024 * 1024;
/// Size of a `String` header in calamine's table.
const STRING_HEADER: usize = 24;

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FREE: u32 = 0xFFFF_FFFF;

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

struct Cfb<'a> {
    bytes: &'a [u8],
    shift: u32,
    fat: Vec<u32>,
}

impl<'a> Cfb<'a> {
    fn sector(&self, id: u32) -> Option<&'a [u8]> {
        let size = 1usize << self.shift;
        let start = (id as usize).checked_add(1)?.checked_mul(size)?;
        self.bytes.get(start..start.checked_add(size)?)
    }

    fn sector_count(&self) -> usize {
        (self.bytes.len() >> self.shift).saturating_sub(1)
    }

    /// Follows a FAT chain; `None` on a loop or a sector outside the file.
    fn chain(&self, start: u32, fat: &[u32], limit: usize) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let mut id = start;
        let mut steps = 0;
        while id != END_OF_CHAIN {
            steps += 1;
            if steps > fat.len().max(1) || out.len() > limit {
                return None;
            }
            out.extend_from_slice(self.sector(id)?);
            id = *fat.get(id as usize)?;
        }
        Some(out)
    }
}

/// The bytes of the "Workbook" (BIFF8) or "Book" (BIFF5) stream.
fn workbook_stream(bytes: &[u8]) -> Option<Vec<u8>> {
    let shift = u32::from(u16_at(bytes, 0x1E)?);
    let mini_shift = u32::from(u16_at(bytes, 0x20)?);
    if !(shift == 9 || shift == 12) || mini_shift != 6 {
        return None;
    }
    let mut cfb = Cfb {
        bytes,
        shift,
        fat: Vec::new(),
    };
    let per_sector = (1usize << shift) / 4;
    // FAT sector ids: 109 in the header, then the DIFAT chain.
    let mut fat_ids: Vec<u32> = (0..109)
        .filter_map(|i| u32_at(bytes, 0x4C + 4 * i))
        .collect();
    let mut difat = u32_at(bytes, 0x44)?;
    let mut guard = 0;
    while difat != END_OF_CHAIN && difat != FREE {
        guard += 1;
        if guard > cfb.sector_count() {
            return None;
        }
        let s = cfb.sector(difat)?;
        fat_ids.extend((0..per_sector - 1).filter_map(|i| u32_at(s, 4 * i)));
        difat = u32_at(s, 4 * (per_sector - 1))?;
    }
    let mut fat = Vec::new();
    for id in fat_ids.into_iter().filter(|&id| id != FREE) {
        let s = cfb.sector(id)?;
        fat.extend((0..per_sector).filter_map(|i| u32_at(s, 4 * i)));
        if fat.len() > cfb.sector_count() + per_sector {
            break;
        }
    }
    cfb.fat = fat;
    let limit = bytes.len();
    let dir = cfb.chain(u32_at(bytes, 0x30)?, &cfb.fat, limit)?;
    let entry = |i: usize| dir.get(i * 128..i * 128 + 128);
    let root = entry(0)?;
    let mut found = None;
    for i in 0..dir.len() / 128 {
        let e = entry(i)?;
        let name_len = usize::from(u16_at(e, 0x40)?).min(64);
        let name: String = char::decode_utf16(
            (0..name_len / 2)
                .filter_map(|k| u16_at(e, 2 * k))
                .take_while(|&u| u != 0),
        )
        .map(|c| c.unwrap_or('?'))
        .collect();
        if e[0x42] == 2
            && (name.eq_ignore_ascii_case("Workbook") || name.eq_ignore_ascii_case("Book"))
        {
            found = Some(e);
            break;
        }
    }
    let e = found?;
    let start = u32_at(e, 0x74)?;
    let size = u32_at(e, 0x78)? as usize;
    // calamine takes a stream under 4096 bytes from the mini stream
    // whatever the header's cutoff says, and panics when there is no mini
    // FAT to take it from (found by fuzzing): so does this reader, strictly.
    let mut data = if size < 4096 {
        if u32_at(bytes, 0x40)? == 0 {
            return None;
        }
        // Small stream: stored in 64-byte sectors of the mini stream.
        let mini_fat_bytes = cfb.chain(u32_at(bytes, 0x3C)?, &cfb.fat, limit)?;
        let mini_fat: Vec<u32> = (0..mini_fat_bytes.len() / 4)
            .filter_map(|i| u32_at(&mini_fat_bytes, 4 * i))
            .collect();
        let ministream = cfb.chain(u32_at(root, 0x74)?, &cfb.fat, limit)?;
        let mut out = Vec::new();
        let mut id = start;
        let mut steps = 0;
        while id != END_OF_CHAIN && out.len() < size {
            steps += 1;
            if steps > mini_fat.len().max(1) {
                return None;
            }
            let at = (id as usize).checked_mul(64)?;
            out.extend_from_slice(ministream.get(at..at + 64)?);
            id = *mini_fat.get(id as usize)?;
        }
        out
    } else {
        cfb.chain(start, &cfb.fat, limit)?
    };
    data.truncate(size);
    Some(data)
}

/// The BIFF records of a stream: `(type, data)`.
fn records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    records_at(stream).map(|(_, typ, data)| (typ, data))
}

/// The BIFF records of a stream with their offsets.
fn records_at(stream: &[u8]) -> impl Iterator<Item = (usize, u16, &[u8])> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        let at = pos;
        let (typ, len) = (u16_at(stream, pos)?, u16_at(stream, pos + 2)?);
        let start = pos + 4;
        let end = (start + usize::from(len)).min(stream.len());
        pos = start + usize::from(len);
        Some((at, typ, &stream[start.min(end)..end]))
    })
}

/// Whether calamine can read a record's fixed fields: it indexes them
/// without checking the length, and panics on a short record (found by
/// fuzzing). A sheet's offset must land on a record.
fn record_ok(typ: u16, data: &[u8], starts: &[usize]) -> bool {
    let u16_or = |i: usize| u16_at(data, i).map_or(usize::MAX, usize::from);
    match typ {
        // BOF; DateMode, ExternSheet, FilePass, CodePage
        0x0809 => data.len() >= 4,
        0x0022 | 0x0017 | 0x002F | 0x0042 => data.len() >= 2,
        // BoundSheet8: offset, state, type, name
        0x0085 => {
            data.len() >= 7
                && u32_at(data, 0).is_some_and(|p| starts.binary_search(&(p as usize)).is_ok())
        }
        // Lbl: fixed part, name, formula
        0x0018 => {
            let cch = data.get(3).map_or(usize::MAX, |&c| usize::from(c));
            data.len() >= 14usize.saturating_add(cch).saturating_add(u16_or(4))
        }
        // MulRk: row, first column, 6 bytes a cell, last column
        0x00BD => {
            data.len() >= 6
                && u16_at(data, 2) <= data.len().checked_sub(2).and_then(|i| u16_at(data, i))
        }
        // MergeCells: a count, then 8 bytes a range
        0x00E5 => data.len() >= 2usize.saturating_add(u16_or(0).saturating_mul(8)),
        _ => true,
    }
}

/// A cursor over a record and its CONTINUE records.
struct Segments<'a> {
    segs: Vec<&'a [u8]>,
    seg: usize,
    pos: usize,
}

impl Segments<'_> {
    fn byte(&mut self) -> Option<u8> {
        loop {
            let s = self.segs.get(self.seg)?;
            if let Some(&b) = s.get(self.pos) {
                self.pos += 1;
                return Some(b);
            }
            self.seg += 1;
            self.pos = 0;
        }
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes([self.byte()?, self.byte()?]))
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes([
            self.byte()?,
            self.byte()?,
            self.byte()?,
            self.byte()?,
        ]))
    }
    fn skip(&mut self, mut n: usize) -> Option<()> {
        while n > 0 {
            let s = self.segs.get(self.seg)?;
            let k = n.min(s.len() - self.pos.min(s.len()));
            if k == 0 {
                self.seg += 1;
                self.pos = 0;
                continue;
            }
            self.pos += k;
            n -= k;
        }
        Some(())
    }
    /// Skips `cch` characters; a CONTINUE record inside them starts with a
    /// new flags byte saying their width.
    fn skip_chars(&mut self, mut cch: usize, mut high: bool) -> Option<()> {
        while cch > 0 {
            let s = self.segs.get(self.seg)?;
            let left = s.len().saturating_sub(self.pos) / if high { 2 } else { 1 };
            if left == 0 {
                self.seg += 1;
                self.pos = 0;
                high = self.byte()? & 1 == 1;
                continue;
            }
            let k = left.min(cch);
            self.pos += k * if high { 2 } else { 1 };
            cch -= k;
        }
        Some(())
    }
}

/// Upper bounds of the UTF-8 length of each string of an SST record.
fn sst_lengths(segs: Vec<&[u8]>, max: usize) -> Option<Vec<u32>> {
    let mut c = Segments {
        segs,
        seg: 0,
        pos: 0,
    };
    let _total = c.u32()?;
    let unique = c.u32()? as usize;
    let mut out = Vec::with_capacity(unique.min(max));
    for _ in 0..unique.min(max + 1) {
        let Some(cch) = c.u16() else { break };
        let flags = c.byte()?;
        let runs = if flags & 0x08 != 0 { c.u16()? } else { 0 };
        let ext = if flags & 0x04 != 0 { c.u32()? } else { 0 };
        c.skip_chars(usize::from(cch), flags & 1 == 1)?;
        c.skip(4 * usize::from(runs))?;
        c.skip(ext as usize)?;
        // A UTF-16 unit becomes at most 3 bytes of UTF-8, a Latin-1 one 2.
        out.push(u32::from(cch) * 3);
    }
    Some(out)
}

/// Checks every sheet's cell bounding box in an .xls file.
pub(crate) fn check(name: &str, bytes: &[u8]) -> Result<(), ImportError> {
    let stream = workbook_stream(bytes).ok_or_else(|| ImportError::Corrupt {
        name: name.to_string(),
        detail: "không đọc được cấu trúc tệp .xls".to_string(),
    })?;
    check_stream(name, &stream)
}

/// Checks the workbook stream's records (see [`check`]).
fn check_stream(name: &str, stream: &[u8]) -> Result<(), ImportError> {
    let too_much = || ImportError::TooMuchText {
        name: name.to_string(),
        limit_mb: MAX_XLS_TEXT / (1024 * 1024),
    };
    let starts: Vec<usize> = records_at(stream).map(|(at, ..)| at).collect();
    if let Some((at, typ, _)) = records_at(stream).find(|(_, t, d)| !record_ok(*t, d, &starts)) {
        return Err(ImportError::Corrupt {
            name: name.to_string(),
            detail: format!("bản ghi 0x{typ:04X} ở vị trí {at} bị cắt cụt"),
        });
    }
    // The string table: its text, and each string's length for the cells.
    let mut sst: Vec<u32> = Vec::new();
    let mut text = 0usize;
    let mut it = records(stream).peekable();
    while let Some((typ, data)) = it.next() {
        if typ == 0x00FC {
            let mut segs = vec![data];
            while let Some((0x003C, more)) = it.peek().copied() {
                segs.push(more);
                it.next();
            }
            let max = MAX_XLS_TEXT / STRING_HEADER;
            sst = sst_lengths(segs, max).ok_or_else(|| ImportError::Corrupt {
                name: name.to_string(),
                detail: "bảng chuỗi của tệp .xls bị hỏng".to_string(),
            })?;
            if sst.len() > max {
                return Err(too_much());
            }
            text = sst.iter().map(|&l| l as usize + STRING_HEADER).sum();
            break;
        }
    }
    let mut cells: Vec<(u32, u32)> = Vec::new();
    let mut depth = 0i32;
    let mut sheet_no = 0usize;
    let mut total_area = 0usize;
    for (typ, data) in records(stream) {
        if typ == 0x00FD {
            // LabelSst: the cell gets its own copy of the string.
            let len = u32_at(data, 6).and_then(|i| sst.get(i as usize)).copied();
            text += len.unwrap_or(0) as usize;
            if text > MAX_XLS_TEXT {
                return Err(too_much());
            }
        }
        match typ {
            0x0809 => {
                // A top-level BOF starts a new sheet; nested ones (charts)
                // are counted with their sheet, which is only stricter.
                if depth == 0 {
                    total_area += area(name, sheet_no, &mut cells, total_area)?;
                    sheet_no += 1;
                }
                depth += 1;
            }
            0x000A => depth = (depth - 1).max(0),
            // Dimensions: calamine reserves rows × columns from it.
            0x0200 => {
                let (rf, rl, cf, cl) = match data.len() {
                    10 => (
                        u16_at(data, 0).map(u32::from),
                        u16_at(data, 2).map(u32::from),
                        u16_at(data, 4),
                        u16_at(data, 6),
                    ),
                    14 | 16 => (
                        u32_at(data, 0),
                        u32_at(data, 4),
                        u16_at(data, 8),
                        u16_at(data, 10),
                    ),
                    _ => (None, None, None, None),
                };
                if let (Some(rf), Some(rl), Some(cf), Some(cl)) = (rf, rl, cf, cl) {
                    let (cf, cl) = (u32::from(cf), u32::from(cl));
                    let cf = if 0xFF < cf || cl < cf { 0 } else { cf };
                    let (er, ec) = if rl >= 1 && cl >= 1 {
                        (rl - 1, cl - 1)
                    } else {
                        (rf, cf)
                    };
                    // A box that ends before it starts: the reader's
                    // subtraction overflows (a panic in a debug build, a
                    // wrapped size otherwise; found by fuzzing).
                    if er < rf || ec < cf {
                        return Err(ImportError::Corrupt {
                            name: name.to_string(),
                            detail: "kích thước trang tính không hợp lệ".to_string(),
                        });
                    }
                    // Same (wrapping) arithmetic as the reader.
                    let rows = er.wrapping_sub(rf).wrapping_add(1) as usize;
                    let cols = ec.wrapping_sub(cf).wrapping_add(1) as usize;
                    if rows.saturating_mul(cols) > limits::MAX_CELLS {
                        return Err(limits::sheet_too_large(
                            name,
                            &format!("#{sheet_no}"),
                            rows,
                            cols,
                        ));
                    }
                }
            }
            // Number, Label, RString, BoolErr, Rk, LabelSst, Formula
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(r), Some(c)) = (u16_at(data, 0), u16_at(data, 2)) {
                    cells.push((u32::from(r), u32::from(c)));
                }
            }
            // MulRk: first and last column of a run
            0x00BD => {
                if let (Some(r), Some(c0), Some(c1)) = (
                    u16_at(data, 0),
                    u16_at(data, 2),
                    data.len().checked_sub(2).and_then(|i| u16_at(data, i)),
                ) {
                    cells.push((u32::from(r), u32::from(c0)));
                    cells.push((u32::from(r), u32::from(c1)));
                }
            }
            _ => {}
        }
    }
    area(name, sheet_no, &mut cells, total_area)?;
    Ok(())
}

/// Checks a sheet's box, alone and with the sheets before it (whose boxes
/// cover `before` cells); returns its size.
fn area(
    name: &str,
    sheet_no: usize,
    cells: &mut Vec<(u32, u32)>,
    before: usize,
) -> Result<usize, ImportError> {
    let sheet = format!("#{sheet_no}");
    let (rows, cols) = limits::check_area(name, &sheet, cells.drain(..))?;
    if before + rows * cols > limits::MAX_CELLS {
        return Err(limits::sheet_too_large(name, &sheet, rows, cols));
    }
    Ok(rows * cols)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Vec<u8> {
        let p = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/lists/list.xls"
        );
        std::fs::read(p).unwrap_or_default()
    }

    #[test]
    fn reads_the_workbook_stream_of_a_real_xls() {
        let b = fixture();
        let s = workbook_stream(&b).expect("stream");
        // A BIFF8 stream starts with a BOF record.
        assert_eq!(u16_at(&s, 0), Some(0x0809));
        assert!(check("list.xls", &b).is_ok());
    }

    #[test]
    fn far_cell_in_xls_is_refused() {
        let mut b = fixture();
        // The RK record of the STT cell at row 3, column 0 (value 1).
        let pat = [0x7E, 0x02, 0x0A, 0x00, 0x03, 0x00, 0x00, 0x00];
        let at = b.windows(8).position(|w| w == pat).expect("RK record");
        b[at + 4..at + 8].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0x00]);
        let e = check("list.xls", &b).unwrap_err();
        assert_eq!(e.code(), "list.sheet_too_large");
    }

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend_from_slice(&(data.len() as u16).to_le_bytes());
        r.extend_from_slice(data);
        r
    }

    fn cell(typ: u16, row: u16, col: u16, tail: &[u8]) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend_from_slice(&col.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        d.extend_from_slice(tail);
        record(typ, &d)
    }

    #[test]
    fn boxes_of_all_sheets_count_together() {
        let sheet = |s: &mut Vec<u8>| {
            s.extend(record(0x0809, &[0; 16]));
            s.extend(cell(0x0203, 0, 0, &1f64.to_le_bytes()));
            s.extend(cell(0x0203, 29_999, 19, &1f64.to_le_bytes()));
            s.extend(record(0x000A, &[]));
        };
        let mut s = record(0x0809, &[0; 16]);
        s.extend(record(0x000A, &[]));
        sheet(&mut s);
        assert!(check_stream("x.xls", &s).is_ok(), "one 600,000-cell sheet");
        sheet(&mut s);
        let e = check_stream("x.xls", &s).unwrap_err();
        assert_eq!(e.code(), "list.sheet_too_large");
    }

    #[test]
    fn a_long_shared_string_in_many_cells_is_refused() {
        // An SST of one 30,000-character string, split over CONTINUE
        // records as Excel writes it (8,224 bytes a record at most).
        let mut sst = 1u32.to_le_bytes().to_vec();
        sst.extend_from_slice(&1u32.to_le_bytes());
        sst.extend_from_slice(&30_000u16.to_le_bytes());
        sst.push(0);
        let mut chars = vec![b'a'; 30_000];
        let first: Vec<u8> = chars.drain(..8_000).collect();
        sst.extend_from_slice(&first);
        let mut s = record(0x0809, &[0; 16]);
        s.extend(record(0x00FC, &sst));
        while !chars.is_empty() {
            let mut cont = vec![0u8];
            cont.extend(chars.drain(..chars.len().min(8_000)));
            s.extend(record(0x003C, &cont));
        }
        s.extend(record(0x000A, &[]));
        s.extend(record(0x0809, &[0; 16]));
        let label = |s: &mut Vec<u8>, row: u16| {
            s.extend(cell(0x00FD, row, 1, &0u32.to_le_bytes()));
        };
        for row in 0..100 {
            label(&mut s, row);
        }
        assert!(check_stream("x.xls", &s).is_ok(), "100 copies: 9 MB");
        for row in 100..2_000 {
            label(&mut s, row);
        }
        let e = check_stream("x.xls", &s).unwrap_err();
        assert_eq!(e.code(), "list.too_much_text", "2,000 copies: 180 MB");
    }

    #[test]
    fn sst_lengths_follow_continue_records() {
        // "ab" then a 3-character string whose last 2 characters are in a
        // CONTINUE record that switches to 16-bit characters.
        let mut a = 2u32.to_le_bytes().to_vec();
        a.extend_from_slice(&2u32.to_le_bytes());
        a.extend_from_slice(&[2, 0, 0, b'a', b'b', 3, 0, 0, b'c']);
        let b = [1u8, b'd', 0, b'e', 0];
        assert_eq!(sst_lengths(vec![&a, &b], 10), Some(vec![6, 9]));
    }

    #[test]
    fn garbage_is_corrupt_not_a_panic() {
        let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        b.extend(std::iter::repeat_n(0xFFu8, 1000));
        assert_eq!(check("x.xls", &b).unwrap_err().code(), "list.corrupt");
        assert_eq!(check("x.xls", &b[..10]).unwrap_err().code(), "list.corrupt");
    }
}
