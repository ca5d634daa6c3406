//! Legacy Vietnamese encodings that old spreadsheets and mail still carry.
//!
//! - **windows-1258**: some mail clients send it; it writes tones as
//!   combining marks, so the decoded text must be NFC-normalized.
//! - **TCVN3 (ABC)** and **VNI-Windows**: font-based encodings of the 1990s.
//!   Text typed with a `.VnTime` or `VNI-Times` font is stored as if it were
//!   Western (windows-1252) text, so it shows up as mojibake: `NguyÔn V¨n`
//!   (TCVN3) or `Nguyeãn Vaên` (VNI) for "Nguyễn Văn".
//!
//! Conversion is conservative: text is only converted when its changed words
//! are not Vietnamese syllables before and all are after. Real Unicode
//! Vietnamese is never touched (it has letters outside windows-1252, or its
//! words are already syllables).

use crate::syllable::is_syllable;
use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// Which legacy encoding a text was found to be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    Tcvn3,
    Vni,
    Windows1258,
}

/// TCVN 5712 bytes 0x80..=0xFF (the TCVN3/ABC lowercase letters sit at
/// 0xA8..; the uppercase rows are VN1's, as converters commonly accept).
const TCVN3_HIGH: [char; 128] = [
    '\u{00C0}', '\u{1EA2}', '\u{00C3}', '\u{00C1}', '\u{1EA0}', '\u{1EB6}', '\u{1EAC}',
    '\u{00C8}', // 0x80
    '\u{1EBA}', '\u{1EBC}', '\u{00C9}', '\u{1EB8}', '\u{1EC6}', '\u{00CC}', '\u{1EC8}',
    '\u{0128}', // 0x88
    '\u{00CD}', '\u{1ECA}', '\u{00D2}', '\u{1ECE}', '\u{00D5}', '\u{00D3}', '\u{1ECC}',
    '\u{1ED8}', // 0x90
    '\u{1EDC}', '\u{1EDE}', '\u{1EE0}', '\u{1EDA}', '\u{1EE2}', '\u{00D9}', '\u{1EE6}',
    '\u{0168}', // 0x98
    '\u{00A0}', '\u{0102}', '\u{00C2}', '\u{00CA}', '\u{00D4}', '\u{01A0}', '\u{01AF}',
    '\u{0110}', // 0xA0
    '\u{0103}', '\u{00E2}', '\u{00EA}', '\u{00F4}', '\u{01A1}', '\u{01B0}', '\u{0111}',
    '\u{1EB0}', // 0xA8
    '\u{0300}', '\u{0309}', '\u{0303}', '\u{0301}', '\u{0323}', '\u{00E0}', '\u{1EA3}',
    '\u{00E3}', // 0xB0
    '\u{00E1}', '\u{1EA1}', '\u{1EB2}', '\u{1EB1}', '\u{1EB3}', '\u{1EB5}', '\u{1EAF}',
    '\u{1EB4}', // 0xB8
    '\u{1EAE}', '\u{1EA6}', '\u{1EA8}', '\u{1EAA}', '\u{1EA4}', '\u{1EC0}', '\u{1EB7}',
    '\u{1EA7}', // 0xC0
    '\u{1EA9}', '\u{1EAB}', '\u{1EA5}', '\u{1EAD}', '\u{00E8}', '\u{1EC2}', '\u{1EBB}',
    '\u{1EBD}', // 0xC8
    '\u{00E9}', '\u{1EB9}', '\u{1EC1}', '\u{1EC3}', '\u{1EC5}', '\u{1EBF}', '\u{1EC7}',
    '\u{00EC}', // 0xD0
    '\u{1EC9}', '\u{1EC4}', '\u{1EBE}', '\u{1ED2}', '\u{0129}', '\u{00ED}', '\u{1ECB}',
    '\u{00F2}', // 0xD8
    '\u{1ED4}', '\u{1ECF}', '\u{00F5}', '\u{00F3}', '\u{1ECD}', '\u{1ED3}', '\u{1ED5}',
    '\u{1ED7}', // 0xE0
    '\u{1ED1}', '\u{1ED9}', '\u{1EDD}', '\u{1EDF}', '\u{1EE1}', '\u{1EDB}', '\u{1EE3}',
    '\u{00F9}', // 0xE8
    '\u{1ED6}', '\u{1EE7}', '\u{0169}', '\u{00FA}', '\u{1EE5}', '\u{1EEB}', '\u{1EED}',
    '\u{1EEF}', // 0xF0
    '\u{1EE9}', '\u{1EF1}', '\u{1EF3}', '\u{1EF7}', '\u{1EF9}', '\u{00FD}', '\u{1EF5}',
    '\u{1ED0}', // 0xF8
];

/// windows-1252 bytes 0x80..=0x9F (undefined ones decode to the C1 control
/// of the same value, as Windows does).
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// The windows-1252 byte a character was decoded from, if any.
fn cp1252_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if u < 0x80 || (0xA0..=0xFF).contains(&u) {
        return Some(u as u8);
    }
    CP1252_HIGH
        .iter()
        .position(|&x| x == c)
        .map(|i| 0x80 + i as u8)
}

/// Re-encodes text as the windows-1252 bytes it was decoded from; `None` if a
/// character is outside windows-1252 (then it is real Unicode).
fn to_cp1252(s: &str) -> Option<Vec<u8>> {
    s.chars().map(cp1252_byte).collect()
}

/// Decodes TCVN3 (ABC) bytes.
pub fn decode_tcvn3(bytes: &[u8]) -> String {
    let s: String = bytes
        .iter()
        .map(|&b| {
            if b < 0x80 {
                b as char
            } else {
                TCVN3_HIGH[usize::from(b - 0x80)]
            }
        })
        .collect();
    s.nfc().collect()
}

/// What a VNI-Windows byte stands for: a letter, or marks that modify the
/// letter before it (VNI writes "ễ" as `e` + `ã`).
fn vni_piece(b: u8) -> Option<&'static str> {
    Some(match b {
        // circumflex, alone or with a tone
        0xE2 | 0xC2 => "\u{0302}",
        0xE1 | 0xC1 => "\u{0302}\u{0301}",
        0xE0 | 0xC0 => "\u{0302}\u{0300}",
        0xE5 | 0xC5 => "\u{0302}\u{0309}",
        0xE3 | 0xC3 => "\u{0302}\u{0303}",
        0xE4 | 0xC4 => "\u{0302}\u{0323}",
        // breve (ă), alone or with a tone
        0xEA | 0xCA => "\u{0306}",
        0xE9 | 0xC9 => "\u{0306}\u{0301}",
        0xE8 | 0xC8 => "\u{0306}\u{0300}",
        0xFA | 0xDA => "\u{0306}\u{0309}",
        0xFC | 0xDC => "\u{0306}\u{0303}",
        0xEB | 0xCB => "\u{0306}\u{0323}",
        // tones on a plain (or horned) vowel
        0xF9 | 0xD9 => "\u{0301}",
        0xF8 | 0xD8 => "\u{0300}",
        0xFB | 0xDB => "\u{0309}",
        0xF5 | 0xD5 => "\u{0303}",
        0xEF | 0xCF => "\u{0323}",
        // letters of their own
        0xF4 => "ơ",
        0xD4 => "Ơ",
        0xF6 => "ư",
        0xD6 => "Ư",
        0xF1 => "đ",
        0xD1 => "Đ",
        0xED => "í",
        0xCD => "Í",
        0xEC => "ì",
        0xCC => "Ì",
        0xE6 => "ỉ",
        0xC6 => "Ỉ",
        0xF3 => "ĩ",
        0xD3 => "Ĩ",
        0xF2 => "ị",
        0xD2 => "Ị",
        0xEE => "ỵ",
        0xCE => "Ỵ",
        _ => return None,
    })
}

/// Decodes VNI-Windows bytes.
pub fn decode_vni(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    for &b in bytes {
        if b < 0x80 {
            s.push(b as char);
        } else if let Some(p) = vni_piece(b) {
            s.push_str(p);
        } else {
            s.push(cp1252_char(b));
        }
    }
    s.nfc().collect()
}

fn cp1252_char(b: u8) -> char {
    match b {
        0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
        _ => b as char,
    }
}

/// Decodes windows-1258 bytes to NFC text.
pub fn decode_windows_1258(bytes: &[u8]) -> String {
    let (text, _, _) = encoding_rs::WINDOWS_1258.decode(bytes);
    text.nfc().collect()
}

/// Words made only of letters and marks, trimmed of surrounding punctuation
/// and digits (for "Nguyễn," or "(Văn)").
fn core(word: &str) -> &str {
    word.trim_matches(|c: char| c.is_ascii_punctuation() || c.is_ascii_digit())
}

/// Judges a candidate conversion: (accepted, number of words fixed).
fn judge(orig: &str, conv: &str) -> (bool, usize) {
    let mut changed = 0;
    let mut fixed = 0;
    let mut orig_words = orig.split_whitespace();
    for cw in conv.split_whitespace() {
        let ow = orig_words.next().unwrap_or("");
        if ow == cw {
            continue;
        }
        changed += 1;
        for part in cw.split('-') {
            let p = core(part);
            if !p.is_empty() && !is_syllable(p) {
                return (false, 0);
            }
        }
        if !ow
            .split('-')
            .all(|p| core(p).is_empty() || is_syllable(core(p)))
        {
            fixed += 1;
        }
    }
    if orig_words.next().is_some() {
        return (false, 0);
    }
    (changed > 0 && fixed > 0, fixed)
}

/// Which legacy encoding a (mis-decoded) string is in, if it clearly is one.
pub fn detect_legacy(s: &str) -> Option<Legacy> {
    fix_legacy_with(s).1
}

/// Converts TCVN3 or VNI mojibake to Unicode when the text clearly is legacy
/// text; returns everything else unchanged. Input that is already Unicode
/// Vietnamese is never modified.
pub fn fix_legacy(s: &str) -> Cow<'_, str> {
    fix_legacy_with(s).0
}

/// [`fix_legacy`], also telling which encoding was found.
pub fn fix_legacy_with(s: &str) -> (Cow<'_, str>, Option<Legacy>) {
    if s.is_ascii() {
        return (Cow::Borrowed(s), None);
    }
    let Some(bytes) = to_cp1252(s) else {
        return (Cow::Borrowed(s), None);
    };
    let tcvn = decode_tcvn3(&bytes);
    let vni = decode_vni(&bytes);
    match (judge(s, &tcvn), judge(s, &vni)) {
        ((true, a), (true, b)) if a == b => (Cow::Borrowed(s), None),
        ((true, a), (true, b)) if a > b => (Cow::Owned(tcvn), Some(Legacy::Tcvn3)),
        ((true, _), (false, _)) => (Cow::Owned(tcvn), Some(Legacy::Tcvn3)),
        ((_, _), (true, _)) => (Cow::Owned(vni), Some(Legacy::Vni)),
        _ => (Cow::Borrowed(s), None),
    }
}

/// Decodes bytes that are not UTF-8: tries windows-1258, TCVN3 and VNI and
/// keeps the reading whose words are most often Vietnamese syllables
/// (windows-1258 on a tie, the encoding Windows itself uses).
pub fn decode_legacy_bytes(bytes: &[u8]) -> (String, Legacy) {
    let score = |t: &str| {
        t.split_whitespace()
            .filter(|w| !w.is_ascii())
            .flat_map(|w| w.split('-'))
            .filter(|p| is_syllable(core(p)))
            .count()
    };
    let cp = decode_windows_1258(bytes);
    let tc = decode_tcvn3(bytes);
    let vn = decode_vni(bytes);
    let (s_cp, s_tc, s_vn) = (score(&cp), score(&tc), score(&vn));
    if s_tc > s_cp && s_tc >= s_vn {
        (tc, Legacy::Tcvn3)
    } else if s_vn > s_cp && s_vn > s_tc {
        (vn, Legacy::Vni)
    } else {
        (cp, Legacy::Windows1258)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Encodes Unicode text to TCVN3 bytes (reverse table), for tests.
    fn enc_tcvn3(s: &str) -> Vec<u8> {
        s.nfc()
            .map(|c| {
                if (c as u32) < 0x80 {
                    c as u8
                } else {
                    let i = TCVN3_HIGH[0x28..]
                        .iter()
                        .position(|&x| x == c)
                        .map(|i| i + 0x28)
                        .or_else(|| TCVN3_HIGH.iter().position(|&x| x == c))
                        .unwrap_or_else(|| panic!("{c} not in TCVN3"));
                    0x80 + i as u8
                }
            })
            .collect()
    }

    fn as_cp1252(bytes: &[u8]) -> String {
        bytes.iter().map(|&b| cp1252_char(b)).collect()
    }

    #[test]
    fn tcvn3_mojibake_as_seen_in_excel() {
        assert_eq!(fix_legacy("NguyÔn V¨n An"), "Nguyễn Văn An");
        assert_eq!(fix_legacy("B¶o Th¾ng"), "Bảo Thắng");
        assert_eq!(fix_legacy("M\u{AD}êng Kh\u{AD}¬ng"), "Mường Khương");
        assert_eq!(detect_legacy("§Æng ThÞ Thñy"), Some(Legacy::Tcvn3));
        assert_eq!(fix_legacy("§Æng ThÞ Thñy"), "Đặng Thị Thủy");
    }

    #[test]
    fn vni_mojibake_as_seen_in_excel() {
        assert_eq!(fix_legacy("Nguyeãn Vaên An"), "Nguyễn Văn An");
        assert_eq!(fix_legacy("Ñaëng Thò Thuûy"), "Đặng Thị Thủy");
        assert_eq!(detect_legacy("Tröông Quoác Huøng"), Some(Legacy::Vni));
        assert_eq!(fix_legacy("Tröông Quoác Huøng"), "Trương Quốc Hùng");
    }

    #[test]
    fn leaves_unicode_and_latin_text_alone() {
        for s in [
            "Nguyễn Văn An",
            "Lê Hà",
            "Bùi Lê Hà",
            "Đặng Thị Thuỷ",
            "Café Ô Mai",
            "José Müller",
            "Phòng 12, số 5",
            "ASCII only",
            "",
        ] {
            assert_eq!(fix_legacy(s), s, "{s}");
            assert!(matches!(fix_legacy(s), Cow::Borrowed(_)));
        }
    }

    #[test]
    fn windows_1258_uses_combining_tones_and_becomes_nfc() {
        // "Nguyễn" in 1258: N g u y ê + combining tilde (0xDE) + n
        let bytes = b"Nguy\xEA\xDEn V\xE3n";
        let s = decode_windows_1258(bytes);
        assert_eq!(s, "Nguyễn Văn");
        assert_eq!(s.chars().count(), 10);
        assert_eq!(decode_legacy_bytes(bytes), (s, Legacy::Windows1258));
    }

    #[test]
    fn legacy_bytes_pick_the_right_table() {
        let t = enc_tcvn3("Đặng Thị Thủy, Phường Ba Đình");
        assert_eq!(
            decode_legacy_bytes(&t),
            ("Đặng Thị Thủy, Phường Ba Đình".to_string(), Legacy::Tcvn3)
        );
        let v = b"Nguy\x65\xE3n V\x61\xEAn";
        assert_eq!(decode_legacy_bytes(v).1, Legacy::Vni);
        assert_eq!(decode_legacy_bytes(v).0, "Nguyễn Văn");
    }

    proptest! {
        #[test]
        fn never_panics_and_keeps_real_vietnamese(s in "\\PC{0,40}") {
            let _ = fix_legacy(&s);
            let _ = decode_legacy_bytes(s.as_bytes());
        }

        #[test]
        fn tcvn3_round_trip(words in proptest::collection::vec(proptest::sample::select(vec![
            "Nguyễn", "Văn", "Đặng", "Thị", "Thủy", "Trần", "Hùng", "Phường", "Lê", "Hồ", "Khương", "Mường", "Quốc", "Ánh",
        ]), 1..6)) {
            let text = words.join(" ");
            let moj = as_cp1252(&enc_tcvn3(&text));
            let fixed = fix_legacy(&moj);
            // Either it was recognized and restored, or (when every mojibake
            // word happened to be a syllable) left alone: never garbled.
            prop_assert!(fixed == text || fixed == moj, "{} -> {}", moj, fixed);
        }

        #[test]
        fn unicode_vietnamese_is_never_changed(words in proptest::collection::vec(proptest::sample::select(vec![
            "Nguyễn", "Văn", "Đặng", "Thị", "Thủy", "Trần", "Hùng", "Phường", "Lê", "Hà", "Bùi", "Ánh", "Tô", "Lò", "Vũ",
        ]), 1..6)) {
            let text = words.join(" ");
            prop_assert_eq!(fix_legacy(&text), text.clone());
        }
    }
}
