//! Hostile list shapes (issue 8, the attacker's findings), generated on the
//! fly so that no big file is committed: benches and memory tests of this
//! crate and of others run them through the readers.
//!
//! Each generator streams its output (the .xlsx ones write through the zip
//! compressor), so making a 190 MB-unpacked workbook costs its packed size.

use std::io::{self, Cursor, Write};
use zip::write::SimpleFileOptions;

/// A generated hostile (or, for comparison, realistic) list.
pub struct Shape {
    /// Short name for tables.
    pub name: &'static str,
    /// File name to check it under (the extension picks nothing, the bytes do).
    pub file_name: &'static str,
    pub bytes: Vec<u8>,
}

/// Makes one shape (they are big: made one at a time).
pub type MakeShape = fn() -> Shape;

/// The shapes of the issue, in the order of its findings, plus a realistic
/// 50,000-row list of each kind for comparison.
pub fn shapes() -> Vec<(&'static str, MakeShape)> {
    vec![
        ("csv_wide_row_0.3mb", || Shape {
            name: "CSV: header, one 100,000-comma row, 100,000 lines of `,`",
            file_name: "wide.csv",
            bytes: csv_wide_row_then_blank_lines(100_000, 100_000),
        }),
        ("csv_wide_row_19mb", || Shape {
            name: "CSV: header, one 1,000,000-comma row, 9,000,000 lines of `,`",
            file_name: "wide19.csv",
            bytes: csv_wide_row_then_blank_lines(1_000_000, 9_000_000),
        }),
        ("csv_valid_plus_wide_row", || Shape {
            name: "CSV: 50,000 valid rows + one 300,000-comma row",
            file_name: "valid_wide.csv",
            bytes: csv_valid_then_wide_row(50_000, 300_000),
        }),
        ("csv_commas_19mb", || Shape {
            name: "CSV: header + 19 MB of commas",
            file_name: "commas.csv",
            bytes: csv_commas(19 << 20),
        }),
        ("xlsx_huge_inline_cell", || Shape {
            name: ".xlsx: one inline-string cell of 190 MB",
            file_name: "huge_cell.xlsx",
            bytes: xlsx_huge_cell(190 << 20, HugeCell::Inline),
        }),
        ("xlsx_huge_shared_string", || Shape {
            name: ".xlsx: one shared string of 190 MB",
            file_name: "huge_sst.xlsx",
            bytes: xlsx_huge_cell(190 << 20, HugeCell::Shared),
        }),
        ("xlsx_huge_v", || Shape {
            name: ".xlsx: one `<v>` of 190 MB",
            file_name: "huge_v.xlsx",
            bytes: xlsx_huge_cell(190 << 20, HugeCell::Value),
        }),
        ("xlsx_shared_strings_190mb", || Shape {
            name: ".xlsx: 190 MB of shared strings (30,000-char strings)",
            file_name: "sst.xlsx",
            bytes: xlsx_many_shared_strings(190 << 20, 30_000),
        }),
        ("xlsx_many_tiny_strings", || Shape {
            name: ".xlsx: 190 MB of one-letter shared strings",
            file_name: "tiny_sst.xlsx",
            bytes: xlsx_many_shared_strings(190 << 20, 1),
        }),
        ("xlsx_long_string_everywhere", || Shape {
            name: ".xlsx: 50,000 rows × 6 cells all pointing at one 30,000-char string",
            file_name: "amplify.xlsx",
            bytes: xlsx_shared_string_amplifier(50_000, 6, 30_000),
        }),
        ("csv_valid_50k", || Shape {
            name: "CSV: realistic 50,000 valid rows (for comparison)",
            file_name: "valid.csv",
            bytes: csv_valid(50_000),
        }),
        ("xlsx_valid_50k", || Shape {
            name: ".xlsx: realistic 50,000 valid rows (for comparison)",
            file_name: "valid.xlsx",
            bytes: super::generate_xlsx(50_000, 42).unwrap_or_default(),
        }),
    ]
}

const CSV_HEADER: &str = "Họ và tên,Số CCCD,Ngày sinh,Số điện thoại\n";

/// A realistic comma-separated list of `n` valid people.
pub fn csv_valid(n: usize) -> Vec<u8> {
    let mut s = String::from(CSV_HEADER);
    for p in super::people(n, 42) {
        s.push_str(&format!(
            "{},{},{:02}/{:02}/{},{}\n",
            p.full_name, p.cccd, p.dob.2, p.dob.1, p.dob.0, p.phone
        ));
    }
    s.into_bytes()
}

/// A header, one row of `commas` commas, then `lines` lines of a lone `,`.
pub fn csv_wide_row_then_blank_lines(commas: usize, lines: usize) -> Vec<u8> {
    let mut b = Vec::with_capacity(CSV_HEADER.len() + commas + 1 + 2 * lines);
    b.extend_from_slice(CSV_HEADER.as_bytes());
    b.resize(b.len() + commas, b',');
    b.push(b'\n');
    for _ in 0..lines {
        b.extend_from_slice(b",\n");
    }
    b
}

/// `valid` valid rows, then one row of `commas` commas.
pub fn csv_valid_then_wide_row(valid: usize, commas: usize) -> Vec<u8> {
    let mut b = csv_valid(valid);
    b.resize(b.len() + commas, b',');
    b.push(b'\n');
    b
}

/// A header line, then commas up to `total` bytes on one line.
pub fn csv_commas(total: usize) -> Vec<u8> {
    let mut b = Vec::with_capacity(total);
    b.extend_from_slice(CSV_HEADER.as_bytes());
    b.resize(total.saturating_sub(1).max(b.len()), b',');
    b.push(b'\n');
    b
}

/// Where the one huge cell of [`xlsx_huge_cell`] keeps its text.
#[derive(Clone, Copy)]
pub enum HugeCell {
    /// `t="inlineStr"`: `<is><t>…</t></is>`.
    Inline,
    /// One entry of `xl/sharedStrings.xml`.
    Shared,
    /// A `t="str"` cell whose `<v>` holds the text.
    Value,
}

const SHEET_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";
const SHEET_TAIL: &str = "</sheetData></worksheet>";
const SST_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">";

/// The header row of the generated sheets, as inline strings.
fn header_row(w: &mut dyn Write) -> io::Result<()> {
    write!(
        w,
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Họ và tên</t></is></c>\
         <c r=\"B1\" t=\"inlineStr\"><is><t>Số CCCD</t></is></c>\
         <c r=\"C1\" t=\"inlineStr\"><is><t>Ngày sinh</t></is></c></row>"
    )
}

fn repeat(w: &mut dyn Write, byte: u8, n: usize) -> io::Result<()> {
    let chunk = [byte; 64 * 1024];
    let mut left = n;
    while left > 0 {
        let k = left.min(chunk.len());
        w.write_all(&chunk[..k])?;
        left -= k;
    }
    Ok(())
}

/// A list whose row 2 has one cell of `len` bytes of text.
pub fn xlsx_huge_cell(len: usize, kind: HugeCell) -> Vec<u8> {
    let sheet = move |w: &mut dyn Write| -> io::Result<()> {
        w.write_all(SHEET_HEAD.as_bytes())?;
        header_row(w)?;
        w.write_all(b"<row r=\"2\">")?;
        match kind {
            HugeCell::Inline => {
                w.write_all(b"<c r=\"A2\" t=\"inlineStr\"><is><t>")?;
                repeat(w, b'a', len)?;
                w.write_all(b"</t></is></c>")?;
            }
            HugeCell::Shared => w.write_all(b"<c r=\"A2\" t=\"s\"><v>0</v></c>")?,
            HugeCell::Value => {
                w.write_all(b"<c r=\"A2\" t=\"str\"><v>")?;
                repeat(w, b'a', len)?;
                w.write_all(b"</v></c>")?;
            }
        }
        w.write_all(b"<c r=\"B2\" t=\"inlineStr\"><is><t>001090012345</t></is></c></row>")?;
        w.write_all(SHEET_TAIL.as_bytes())
    };
    let sst = move |w: &mut dyn Write| -> io::Result<()> {
        w.write_all(SST_HEAD.as_bytes())?;
        w.write_all(b"<si><t>")?;
        repeat(w, b'a', len)?;
        w.write_all(b"</t></si></sst>")
    };
    let shared: Option<PartWriter<'_>> = match kind {
        HugeCell::Shared => Some(&sst),
        _ => None,
    };
    mini_xlsx(&[("Sheet1", &sheet)], shared).unwrap_or_default()
}

/// A shared-string table of about `total` bytes of strings of `each` letters,
/// and a small sheet that uses the first few.
pub fn xlsx_many_shared_strings(total: usize, each: usize) -> Vec<u8> {
    let each = each.max(1);
    // `total` counts the XML: each string is wrapped in `<si><t></t></si>`.
    let count = total / (each + 16);
    let sheet = |w: &mut dyn Write| -> io::Result<()> {
        w.write_all(SHEET_HEAD.as_bytes())?;
        header_row(w)?;
        w.write_all(
            b"<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c><c r=\"B2\" t=\"s\"><v>1</v></c></row>",
        )?;
        w.write_all(SHEET_TAIL.as_bytes())
    };
    let sst = |w: &mut dyn Write| -> io::Result<()> {
        w.write_all(SST_HEAD.as_bytes())?;
        for _ in 0..count {
            w.write_all(b"<si><t>")?;
            repeat(w, b'a', each)?;
            w.write_all(b"</t></si>")?;
        }
        w.write_all(b"</sst>")
    };
    mini_xlsx(&[("Sheet1", &sheet)], Some(&sst)).unwrap_or_default()
}

/// `rows` rows whose `cols` text cells all point at one shared string of
/// `len` letters: small on disk, huge if every cell copies the string.
pub fn xlsx_shared_string_amplifier(rows: usize, cols: usize, len: usize) -> Vec<u8> {
    let sheet = |w: &mut dyn Write| -> io::Result<()> {
        w.write_all(SHEET_HEAD.as_bytes())?;
        write!(
            w,
            "<row r=\"1\"><c t=\"inlineStr\"><is><t>Họ và tên</t></is></c>\
             <c t=\"inlineStr\"><is><t>Số CCCD</t></is></c>\
             <c t=\"inlineStr\"><is><t>Ngày sinh</t></is></c>"
        )?;
        for j in 0..cols {
            write!(w, "<c t=\"inlineStr\"><is><t>Ghi chú {j}</t></is></c>")?;
        }
        w.write_all(b"</row>")?;
        for (i, p) in super::people(rows, 7).iter().enumerate() {
            write!(
                w,
                "<row r=\"{}\"><c t=\"inlineStr\"><is><t>{}</t></is></c>\
                 <c t=\"inlineStr\"><is><t>{}</t></is></c>\
                 <c t=\"inlineStr\"><is><t>{:02}/{:02}/{}</t></is></c>",
                i + 2,
                p.full_name,
                p.cccd,
                p.dob.2,
                p.dob.1,
                p.dob.0
            )?;
            for _ in 0..cols {
                w.write_all(b"<c t=\"s\"><v>0</v></c>")?;
            }
            w.write_all(b"</row>")?;
        }
        w.write_all(SHEET_TAIL.as_bytes())
    };
    let sst = |w: &mut dyn Write| -> io::Result<()> {
        w.write_all(SST_HEAD.as_bytes())?;
        w.write_all(b"<si><t>")?;
        repeat(w, b'a', len)?;
        w.write_all(b"</t></si></sst>")
    };
    mini_xlsx(&[("Sheet1", &sheet)], Some(&sst)).unwrap_or_default()
}

/// A writer of one package part.
pub type PartWriter<'a> = &'a dyn Fn(&mut dyn Write) -> io::Result<()>;

/// The smallest .xlsx package Excel and our readers open: the given sheets
/// (name, XML writer), in order, and an optional shared-string table.
pub fn mini_xlsx(
    sheets: &[(&str, PartWriter<'_>)],
    shared: Option<PartWriter<'_>>,
) -> io::Result<Vec<u8>> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let part = |z: &mut zip::ZipWriter<Cursor<Vec<u8>>>, name: &str| {
        z.start_file(name, o).map_err(io::Error::other)
    };
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('"', "&quot;")
    };
    part(&mut z, "[Content_Types].xml")?;
    let mut ct = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>",
    );
    for i in 1..=sheets.len() {
        ct.push_str(&format!(
            "<Override PartName=\"/xl/worksheets/sheet{i}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        ));
    }
    if shared.is_some() {
        ct.push_str("<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>");
    }
    ct.push_str("</Types>");
    z.write_all(ct.as_bytes())?;
    part(&mut z, "_rels/.rels")?;
    z.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
          <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
          <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>\
          </Relationships>",
    )?;
    part(&mut z, "xl/workbook.xml")?;
    let mut wb = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>",
    );
    for (i, (name, _)) in sheets.iter().enumerate() {
        wb.push_str(&format!(
            "<sheet name=\"{}\" sheetId=\"{}\" r:id=\"rId{}\"/>",
            esc(name),
            i + 1,
            i + 1
        ));
    }
    wb.push_str("</sheets></workbook>");
    z.write_all(wb.as_bytes())?;
    part(&mut z, "xl/_rels/workbook.xml.rels")?;
    let mut rels = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    for i in 1..=sheets.len() {
        rels.push_str(&format!(
            "<Relationship Id=\"rId{i}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{i}.xml\"/>"
        ));
    }
    if shared.is_some() {
        rels.push_str(&format!(
            "<Relationship Id=\"rId{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>",
            sheets.len() + 1
        ));
    }
    rels.push_str("</Relationships>");
    z.write_all(rels.as_bytes())?;
    for (i, (_, write)) in sheets.iter().enumerate() {
        part(&mut z, &format!("xl/worksheets/sheet{}.xml", i + 1))?;
        write(&mut z)?;
    }
    if let Some(write) = shared {
        part(&mut z, "xl/sharedStrings.xml")?;
        write(&mut z)?;
    }
    Ok(z.finish().map_err(io::Error::other)?.into_inner())
}
