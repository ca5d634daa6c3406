//! Limits checked before a file is parsed, so that a huge or malicious file
//! is refused in bounded memory.

use crate::error::ImportError;
use std::io::{Cursor, Read};

/// Largest file accepted.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// Most data rows (non-blank rows under the header) accepted.
pub const MAX_ROWS: usize = 50_000;
/// Most bytes an .xlsx may unpack to.
pub const MAX_UNPACKED_BYTES: u64 = 200 * 1024 * 1024;
/// Most cells the bounding boxes of an .xls file's sheets may cover
/// together (calamine allocates each box densely, about 90 bytes a cell with
/// its formulas and the copy it hands over): 50,000 rows × 20 columns.
pub const MAX_CELLS: usize = 1_000_000;
/// Most columns a row may use: A to IV, the old Excel's 256 (a list has a
/// few dozen). A value past them makes its row invalid.
pub const MAX_COLUMNS: usize = 256;
/// Most characters of one cell: Excel's own limit. A longer cell makes its
/// row invalid, and is never held whole while reading.
pub const MAX_CELL_CHARS: usize = 32_767;
/// Most strings of an .xlsx shared-string table (a 50,000-row list with
/// every cell distinct in 40 text columns).
pub const MAX_SHARED_STRINGS: usize = 2_000_000;
/// Most bytes of text of an .xlsx shared-string table.
pub const MAX_SHARED_TEXT: usize = 48 * 1024 * 1024;
/// Most bytes of text a report may hold (names, notes, reasons…): a cell
/// referenced from many rows would otherwise be copied into each of them.
/// A real 50,000-row list needs about 30 MB.
pub const MAX_REPORT_TEXT: usize = 48 * 1024 * 1024;
/// Most bytes of text of the rows searched for a header (20 rows of a
/// real list hold a few KB).
pub const MAX_HEADER_SEARCH_TEXT: usize = 8 * 1024 * 1024;
/// A sheet whose cells span more rows than this has data far away from the
/// list (a cell typed at row 1,048,576): refused, to be cleaned up.
pub const MAX_SHEET_SPAN: usize = 4 * MAX_ROWS;
/// Most entries in an .xlsx archive (a real list has a few dozen).
const MAX_ZIP_ENTRIES: usize = 10_000;

pub(crate) fn sheet_too_large(name: &str, sheet: &str, rows: usize, cols: usize) -> ImportError {
    ImportError::SheetTooLarge {
        name: name.to_string(),
        sheet: sheet.to_string(),
        rows,
        cols,
    }
}

/// Checks the bounding box of a sheet's cells before it is allocated;
/// returns its rows and columns.
pub(crate) fn check_area(
    name: &str,
    sheet: &str,
    positions: impl Iterator<Item = (u32, u32)>,
) -> Result<(usize, usize), ImportError> {
    let (mut r0, mut r1, mut c0, mut c1) = (u32::MAX, 0, u32::MAX, 0);
    for (r, c) in positions {
        r0 = r0.min(r);
        r1 = r1.max(r);
        c0 = c0.min(c);
        c1 = c1.max(c);
    }
    if r0 == u32::MAX {
        return Ok((0, 0));
    }
    let rows = (r1 - r0) as usize + 1;
    let cols = (c1 - c0) as usize + 1;
    if rows.saturating_mul(cols) > MAX_CELLS {
        return Err(sheet_too_large(name, sheet, rows, cols));
    }
    Ok((rows, cols))
}

pub(crate) fn check_size(name: &str, len: u64) -> Result<(), ImportError> {
    if len > MAX_FILE_BYTES {
        return Err(ImportError::FileTooLarge {
            name: name.to_string(),
            size_mb: len as f64 / (1024.0 * 1024.0),
            limit_mb: MAX_FILE_BYTES / (1024 * 1024),
        });
    }
    Ok(())
}

/// Checks what an .xlsx unpacks to. The declared sizes are summed first (cheap
/// refusal of honest big files), then every entry is actually inflated into a
/// sink with a cap on the running total, because declared sizes can lie.
pub(crate) fn check_xlsx_unpacked(name: &str, bytes: &[u8], cap: u64) -> Result<(), ImportError> {
    let too_big = || ImportError::UnpackedTooLarge {
        name: name.to_string(),
        limit_mb: cap / (1024 * 1024),
    };
    let corrupt = |e: &dyn std::fmt::Display| ImportError::Corrupt {
        name: name.to_string(),
        detail: e.to_string(),
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(corrupt(&format!("{} tệp con", zip.len())));
    }
    let mut declared: u64 = 0;
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|e| corrupt(&e))?;
        declared = declared.saturating_add(f.size());
    }
    if declared > cap {
        return Err(too_big());
    }
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|e| corrupt(&e))?;
        loop {
            let n = match f.read(&mut buf) {
                Ok(n) => n,
                Err(e) => return Err(corrupt(&e)),
            };
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > cap {
                return Err(too_big());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    fn zip_of(entries: &[(&str, usize)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let chunk = vec![0u8; 1 << 20];
        for (name, size) in entries {
            w.start_file(*name, opts).unwrap();
            let mut left = *size;
            while left > 0 {
                let n = left.min(chunk.len());
                w.write_all(&chunk[..n]).unwrap();
                left -= n;
            }
        }
        w.finish().unwrap().into_inner()
    }

    /// Rewrites every declared uncompressed size (local headers and central
    /// directory) to 1 byte, like a crafted zip bomb would.
    fn lie_about_sizes(mut z: Vec<u8>) -> Vec<u8> {
        let mut i = 0;
        while i + 30 <= z.len() {
            if z[i..i + 4] == [0x50, 0x4b, 0x03, 0x04] {
                z[i + 22..i + 26].copy_from_slice(&1u32.to_le_bytes());
            } else if z[i..i + 4] == [0x50, 0x4b, 0x01, 0x02] && i + 46 <= z.len() {
                z[i + 24..i + 28].copy_from_slice(&1u32.to_le_bytes());
            }
            i += 1;
        }
        z
    }

    #[test]
    fn area_limit() {
        assert!(check_area("f", "s", [(0, 0), (49_999, 19)].into_iter()).is_ok());
        let e = check_area("f", "s", [(0, 0), (1_048_575, 16_383)].into_iter()).unwrap_err();
        assert_eq!(e.code(), "list.sheet_too_large");
        assert!(e.to_string().contains("1048576 dòng × 16384 cột"), "{e}");
        assert!(check_area("f", "s", std::iter::empty()).is_ok());
    }

    #[test]
    fn size_limit() {
        assert!(check_size("a", MAX_FILE_BYTES).is_ok());
        let e = check_size("a", MAX_FILE_BYTES + 1).unwrap_err();
        assert_eq!(e.code(), "list.file_too_large");
        assert!(e.to_string().contains("20 MB"));
    }

    #[test]
    fn unpacked_limit_counts_while_inflating() {
        let cap = 4 << 20;
        let small = zip_of(&[("a.xml", 1 << 20), ("b.xml", 1 << 20)]);
        assert!(check_xlsx_unpacked("x", &small, cap).is_ok());
        let big = zip_of(&[("a.xml", 3 << 20), ("b.xml", 2 << 20)]);
        assert_eq!(
            check_xlsx_unpacked("x", &big, cap).unwrap_err().code(),
            "list.unpacked_too_large"
        );
        // Declared sizes say 1 byte each: refused all the same, by counting.
        let liar = lie_about_sizes(big);
        let e = check_xlsx_unpacked("x", &liar, cap).unwrap_err();
        assert!(
            matches!(e.code(), "list.unpacked_too_large" | "list.corrupt"),
            "{e}"
        );
    }

    #[test]
    fn not_a_zip_is_corrupt() {
        assert_eq!(
            check_xlsx_unpacked("x", b"PK\x03\x04garbage", 1 << 20)
                .unwrap_err()
                .code(),
            "list.corrupt"
        );
    }
}
