#![no_main]
//! The XML parts of an .xlsx from the fuzzer, packed uncompressed (mutating
//! a deflated file mostly breaks its checksums, so the XML reader would be
//! reached rarely): the input is split at the byte 0xFF (never in UTF-8)
//! into the sheet, the shared strings and the styles.

use libfuzzer_sys::fuzz_target;
use std::io::Write;

mod common;

const WORKBOOK: &[u8] =
    b"<workbook xmlns:r=\"r\"><sheets><sheet name=\"S\" r:id=\"rId1\"/></sheets></workbook>";
const RELS: &[u8] = b"<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";

fn pack(data: &[u8]) -> Option<Vec<u8>> {
    let mut parts = data.split(|&b| b == 0xFF);
    let sheet = parts.next().unwrap_or_default();
    let sst = parts.next().unwrap_or_default();
    let styles = parts.next().unwrap_or_default();
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, body) in [
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", RELS),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/sharedStrings.xml", sst),
        ("xl/styles.xml", styles),
    ] {
        z.start_file(name, o).ok()?;
        z.write_all(body).ok()?;
    }
    Some(z.finish().ok()?.into_inner())
}

fuzz_target!(|data: &[u8]| {
    if let Some(bytes) = pack(data) {
        common::check("f.xlsx", &bytes);
    }
});
