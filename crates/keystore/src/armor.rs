//! ASCII armor: binary data as a text block that survives an email body, a
//! printout, or a paste.
//!
//! ```text
//! -----BEGIN GDD ACTIVATION REQUEST-----
//! Key: value                      (optional headers)
//!
//! base64, wrapped at 64 columns
//! -----END GDD ACTIVATION REQUEST-----
//! ```
//!
//! Reading is forgiving about what mail clients and people do to text —
//! CRLF or CR line ends, extra spaces, `> ` quote prefixes (any depth),
//! lines joined or re-wrapped, text before and after the block — and strict
//! about the data itself: base64 with canonical padding and trailing bits, so
//! a changed character is never silently ignored. Armor is not integrity
//! protection: every format carried in it has its own checksum or signature.

use data_encoding::BASE64;
use std::fmt;

/// Width of the base64 lines written.
pub const LINE_WIDTH: usize = 64;

/// What went wrong reading an armored block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArmorError {
    /// No `-----BEGIN <label>-----` line.
    NoBegin,
    /// A BEGIN line but no matching END line: the text was cut.
    NoEnd,
    /// A `Key: value` header after data lines, or an empty key.
    BadHeader { line: usize },
    /// A character that is not base64, or base64 that does not decode.
    BadBase64 { line: usize, detail: String },
    /// BEGIN and END with nothing between.
    Empty,
}

impl fmt::Display for ArmorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArmorError::NoBegin => write!(f, "không tìm thấy dòng -----BEGIN …-----"),
            ArmorError::NoEnd => write!(f, "thiếu dòng -----END …----- (văn bản bị cắt)"),
            ArmorError::BadHeader { line } => write!(f, "dòng {line}: tiêu đề không hợp lệ"),
            ArmorError::BadBase64 { line, detail } => {
                write!(f, "dòng {line}: dữ liệu base64 sai ({detail})")
            }
            ArmorError::Empty => write!(f, "khối không có dữ liệu"),
        }
    }
}

/// A decoded block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Armored {
    /// `Key: value` headers in order, trimmed.
    pub headers: Vec<(String, String)>,
    pub data: Vec<u8>,
}

/// Write `data` as an armored block labelled `label` (e.g. "GDD ACTIVATION REQUEST").
/// Ends with a newline.
pub fn encode(label: &str, headers: &[(&str, &str)], data: &[u8]) -> String {
    let b64 = BASE64.encode(data);
    let mut out = String::with_capacity(b64.len() + b64.len() / LINE_WIDTH + 128);
    out.push_str(&format!("-----BEGIN {label}-----\n"));
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\n"));
    }
    if !headers.is_empty() {
        out.push('\n');
    }
    // base64 is pure ASCII, so byte chunks are char boundaries.
    for chunk in b64.as_bytes().chunks(LINE_WIDTH) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Find and decode the first block labelled `label` in `text`.
pub fn decode(text: &str, label: &str) -> Result<Armored, ArmorError> {
    decode_all(text, label)
        .into_iter()
        .next()
        .unwrap_or(Err(ArmorError::NoBegin))
}

/// Every block labelled `label` in `text`, in order, each decoded or with its
/// error (a BEGIN with no END before the next BEGIN is `NoEnd`). Empty if
/// there is no BEGIN line at all.
pub fn decode_all(text: &str, label: &str) -> Vec<Result<Armored, ArmorError>> {
    let begin = marker("BEGIN", label);
    let end = marker("END", label);
    let mut out = Vec::new();
    let mut block: Option<Block> = None;
    for (i, raw) in text.split(['\n', '\r']).enumerate() {
        let no = i + 1;
        let line = clean_line(raw);
        if is_marker(&line, &begin) {
            if block.is_some() {
                out.push(Err(ArmorError::NoEnd));
            }
            block = Some(Block::default());
        } else if is_marker(&line, &end) {
            if let Some(b) = block.take() {
                out.push(b.finish(no));
            }
        } else if let Some(b) = block.as_mut() {
            b.push(no, &line);
        }
    }
    if block.is_some() {
        out.push(Err(ArmorError::NoEnd));
    }
    out
}

/// A block being read: its headers, its base64 so far, or its first error.
#[derive(Default)]
struct Block {
    headers: Vec<(String, String)>,
    b64: String,
    /// (offset in `b64`, line number) of each data line, to point at a bad one.
    origin: Vec<(usize, usize)>,
    error: Option<ArmorError>,
}

impl Block {
    fn push(&mut self, no: usize, line: &str) {
        if self.error.is_some() || line.is_empty() {
            return;
        }
        // ':' is not in the base64 alphabet, so a line with one is a header.
        if let Some((k, v)) = line.split_once(':') {
            let k = k.trim();
            if !self.b64.is_empty() || k.is_empty() {
                self.error = Some(ArmorError::BadHeader { line: no });
            } else {
                self.headers.push((k.to_string(), v.trim().to_string()));
            }
            return;
        }
        self.origin.push((self.b64.len(), no));
        for c in line.chars().filter(|c| !c.is_whitespace()) {
            if !(c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '=') {
                self.error = Some(ArmorError::BadBase64 {
                    line: no,
                    detail: format!("ký tự «{c}» không thuộc base64"),
                });
                return;
            }
            self.b64.push(c);
        }
    }

    fn finish(self, end_line: usize) -> Result<Armored, ArmorError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if self.b64.is_empty() {
            return Err(ArmorError::Empty);
        }
        let data = BASE64.decode(self.b64.as_bytes()).map_err(|e| {
            let line = self
                .origin
                .iter()
                .rev()
                .find(|(start, _)| *start <= e.position)
                .map_or(end_line, |(_, l)| *l);
            ArmorError::BadBase64 {
                line,
                detail: e.kind.to_string(),
            }
        })?;
        Ok(Armored {
            headers: self.headers,
            data,
        })
    }
}

fn marker(word: &str, label: &str) -> String {
    format!("{word} {label}")
}

/// Drop quote prefixes (`>`, `> >`), invisible characters that editors and
/// mail clients insert, and surrounding whitespace.
fn clean_line(line: &str) -> String {
    let line: String = line
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
            )
        })
        .collect();
    line.trim_start_matches(|c: char| c == '>' || c.is_whitespace())
        .trim_end()
        .to_string()
}

/// `-----BEGIN X-----`: exactly five dashes each side, runs of spaces inside
/// allowed. Mail never changes dashes or letter case, and an exact marker means
/// a cut or changed character is noticed.
fn is_marker(line: &str, want: &str) -> bool {
    let Some(inner) = line
        .strip_prefix("-----")
        .and_then(|l| l.strip_suffix("-----"))
    else {
        return false;
    };
    if inner.starts_with('-') || inner.ends_with('-') {
        return false;
    }
    inner.split_whitespace().collect::<Vec<_>>().join(" ") == want
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const L: &str = "GDD TEST BLOCK";

    #[test]
    fn round_trip_with_headers() {
        let data: Vec<u8> = (0..=255u8).collect();
        let text = encode(L, &[("Purpose", "city-root"), ("Note", "a: b")], &data);
        assert!(text.lines().all(|l| l.len() <= LINE_WIDTH.max(40)));
        let a = decode(&text, L).unwrap();
        assert_eq!(a.data, data);
        assert_eq!(
            a.headers,
            vec![
                ("Purpose".to_string(), "city-root".to_string()),
                ("Note".to_string(), "a: b".to_string())
            ]
        );
    }

    #[test]
    fn survives_what_mail_does() {
        let data: Vec<u8> = (0..200u8).map(|i| i.wrapping_mul(37)).collect();
        let text = encode(L, &[], &data);
        // Quoted reply, CRLF, extra spaces, text around it.
        let quoted: String = text.lines().map(|l| format!(">  > {l}  \r\n")).collect();
        let mangled = format!("Chào anh,\r\nđây là yêu cầu:\r\n\r\n{quoted}\r\nCảm ơn.");
        assert_eq!(decode(&mangled, L).unwrap().data, data);
        // Re-wrapped at another width, with a blank line inserted and spaces inside.
        let body: String = text.lines().filter(|l| !l.starts_with("---")).collect();
        let rewrapped: Vec<String> = body
            .as_bytes()
            .chunks(50)
            .map(|c| format!("{} ", String::from_utf8_lossy(c)))
            .collect();
        let text2 = format!(
            "----- BEGIN  GDD TEST  BLOCK -----\n{}\n\n{}\n-----END GDD TEST BLOCK-----",
            rewrapped[..2].join("\n"),
            rewrapped[2..].join("\n")
        );
        assert_eq!(decode(&text2, L).unwrap().data, data);
        // Lone CR line ends (old Mac mail) and a zero-width space.
        let cr = text.replace('\n', "\r").replacen('A', "A\u{200B}", 1);
        assert_eq!(decode(&cr, L).unwrap().data, data);
    }

    #[test]
    fn refuses_broken_blocks() {
        let text = encode(L, &[], b"hello world, this is a test");
        assert_eq!(decode("nothing here", L), Err(ArmorError::NoBegin));
        assert_eq!(decode(&text, "OTHER LABEL"), Err(ArmorError::NoBegin));
        let cut: String = text.lines().take(2).collect::<Vec<_>>().join("\n");
        assert_eq!(decode(&cut, L), Err(ArmorError::NoEnd));
        let empty = format!("-----BEGIN {L}-----\n-----END {L}-----\n");
        assert_eq!(decode(&empty, L), Err(ArmorError::Empty));
        let bad = text.replacen("aGVs", "aG*s", 1);
        assert!(matches!(
            decode(&bad, L),
            Err(ArmorError::BadBase64 { line: 2, .. })
        ));
        let late_header = text.replace("\n-----END", "\nX: y\n-----END");
        assert!(matches!(
            decode(&late_header, L),
            Err(ArmorError::BadHeader { .. })
        ));
    }

    #[test]
    fn finds_every_block_and_recovers_after_a_cut_one() {
        let a = encode(L, &[], b"first block");
        let b = encode(L, &[], b"second block");
        let cut: String = a.lines().take(2).map(|l| format!("{l}\n")).collect();
        let text = format!("{cut}xin chào\n{b}\n> {a}");
        let all = decode_all(&text, L);
        assert_eq!(all.len(), 3);
        assert_eq!(all[0], Err(ArmorError::NoEnd));
        assert_eq!(all[1].as_ref().unwrap().data, b"second block");
        assert_eq!(all[2].as_ref().unwrap().data, b"first block");
        assert!(decode_all("no block", L).is_empty());
        // A bad block does not hide the next one.
        let bad = a.replacen("Zmly", "Zm*y", 1);
        let all = decode_all(&format!("{bad}{b}"), L);
        assert!(
            matches!(all[0], Err(ArmorError::BadBase64 { .. })),
            "{all:?}"
        );
        assert_eq!(all[1].as_ref().unwrap().data, b"second block");
    }

    #[test]
    fn non_canonical_trailing_bits_are_refused() {
        // "aGk=" is "hi"; "aGl=" differs only in unused bits: must not decode to "hi".
        let ok = format!("-----BEGIN {L}-----\naGk=\n-----END {L}-----");
        assert_eq!(decode(&ok, L).unwrap().data, b"hi");
        let sneaky = ok.replace("aGk=", "aGl=");
        assert!(decode(&sneaky, L).is_err());
    }

    proptest! {
        #[test]
        fn encode_decode_round_trip(data in proptest::collection::vec(any::<u8>(), 1..600)) {
            let text = encode(L, &[], &data);
            prop_assert_eq!(decode(&text, L).unwrap().data, data);
        }

        #[test]
        fn decode_never_panics(s in "\\PC{0,300}") {
            let _ = decode(&s, L);
            let _ = decode(&format!("-----BEGIN {L}-----\n{s}\n-----END {L}-----"), L);
        }

        #[test]
        fn changing_one_base64_char_changes_or_breaks(data in proptest::collection::vec(any::<u8>(), 1..200), idx in any::<prop::sample::Index>(), repl in "[A-Za-z0-9+/]") {
            let text = encode(L, &[], &data);
            let body_start = text.find('\n').unwrap() + 1;
            let body_end = text.rfind("-----END").unwrap();
            let positions: Vec<usize> = (body_start..body_end)
                .filter(|&i| text.as_bytes()[i] != b'\n')
                .collect();
            let pos = positions[idx.index(positions.len())];
            let r = repl.as_bytes()[0];
            prop_assume!(text.as_bytes()[pos] != r);
            let mut bytes = text.clone().into_bytes();
            bytes[pos] = r;
            let changed = String::from_utf8(bytes).unwrap();
            if let Ok(a) = decode(&changed, L) {
                prop_assert_ne!(a.data, data);
            }
        }
    }
}
