//! A pre-check of .xls files before calamine opens them.
//!
//! calamine parses every sheet of an .xls at open time and allocates each
//! sheet's bounding box of cells densely; a damaged or crafted file with a
//! cell at row 65535, column 65535 asks for ~137 GB and aborts the process
//! (found by our fuzz test). So we read the compound file ourselves, walk the
//! BIFF records of the workbook stream and check every sheet's box first.

use crate::error::ImportError;
use crate::limits;

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
    let cutoff = u32_at(bytes, 0x38)? as usize;
    let mut data = if size < cutoff {
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

/// Checks every sheet's cell bounding box in an .xls file.
pub(crate) fn check(name: &str, bytes: &[u8]) -> Result<(), ImportError> {
    let stream = workbook_stream(bytes).ok_or_else(|| ImportError::Corrupt {
        name: name.to_string(),
        detail: "không đọc được cấu trúc tệp .xls".to_string(),
    })?;
    let mut cells: Vec<(u32, u32)> = Vec::new();
    let mut depth = 0i32;
    let mut sheet_no = 0usize;
    let mut pos = 0;
    while let (Some(typ), Some(len)) = (u16_at(&stream, pos), u16_at(&stream, pos + 2)) {
        let start = pos + 4;
        let end = (start + usize::from(len)).min(stream.len());
        let data = &stream[start.min(end)..end];
        pos = start + usize::from(len);
        match typ {
            0x0809 => {
                // A top-level BOF starts a new sheet; nested ones (charts)
                // are counted with their sheet, which is only stricter.
                if depth == 0 {
                    limits::check_area(name, &format!("#{sheet_no}"), cells.drain(..))?;
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
    limits::check_area(name, &format!("#{sheet_no}"), cells.into_iter())
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

    #[test]
    fn garbage_is_corrupt_not_a_panic() {
        let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        b.extend(std::iter::repeat_n(0xFFu8, 1000));
        assert_eq!(check("x.xls", &b).unwrap_err().code(), "list.corrupt");
        assert_eq!(check("x.xls", &b[..10]).unwrap_err().code(), "list.corrupt");
    }
}
