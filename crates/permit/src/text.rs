//! Compact text code for Vietnamese (spec: docs/permit-format.md, "Compact text").
//!
//! UTF-8 spends 2–3 bytes on most Vietnamese vowels; this code spends 5 bits per
//! base letter plus 10 bits per diacritic combination, gets the usual title case
//! for free, and escapes anything else to its code point, so it is lossless for
//! every string.

use crate::bits::{BitReader, BitWriter};
use unicode_normalization::char::decompose_canonical;
use unicode_normalization::UnicodeNormalization;

const SPACE: u32 = 26;
const FLIP: u32 = 27;
const LOCK: u32 = 28;
const MARK: u32 = 29;
const SYMBOL: u32 = 30;
const ESCAPE: u32 = 31;

/// Characters reachable by SYMBOL + 5 bits.
pub const SYMBOLS: [char; 32] = [
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.', ',', '-', '/', '(', ')', '\'', '&', '+',
    ':', ';', '"', '!', '?', '#', '%', '@', '_', '*', '[', ']', '=',
];

/// Vowel modifiers (index 1..=3), in mark = modifier * 6 + tone.
const MODIFIERS: [char; 3] = ['\u{302}', '\u{306}', '\u{31B}'];
/// Tones (index 1..=5): grave, acute, hook above, tilde, dot below.
const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{309}', '\u{303}', '\u{323}'];
/// Mark index of the stroke of đ/Đ.
const STROKE: u32 = 24;

/// Why a compact text could not be decoded (the caller names the field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextDecodeError;

enum Piece {
    Letter { upper: bool, index: u32, mark: u32 },
    Space,
    Symbol(u32),
    Escape(u32),
}

fn classify(c: char) -> Piece {
    if c == ' ' {
        return Piece::Space;
    }
    if c.is_ascii_alphabetic() {
        return Piece::Letter {
            upper: c.is_ascii_uppercase(),
            index: u32::from(c.to_ascii_lowercase() as u8 - b'a'),
            mark: 0,
        };
    }
    if c == 'đ' || c == 'Đ' {
        return Piece::Letter {
            upper: c == 'Đ',
            index: 3,
            mark: STROKE,
        };
    }
    if let Some(piece) = marked_letter(c) {
        return piece;
    }
    if let Some(i) = SYMBOLS.iter().position(|&s| s == c) {
        return Piece::Symbol(i as u32);
    }
    Piece::Escape(u32::from(c))
}

fn marked_letter(c: char) -> Option<Piece> {
    let mut parts = [None; 4];
    let mut n = 0usize;
    let mut overflow = false;
    decompose_canonical(c, |d| {
        if n < parts.len() {
            parts[n] = Some(d);
            n += 1;
        } else {
            overflow = true;
        }
    });
    if overflow || n < 2 {
        return None;
    }
    let base = parts[0]?;
    if !base.is_ascii_alphabetic() {
        return None;
    }
    let (mut modifier, mut tone) = (0u32, 0u32);
    for d in parts[1..n].iter().flatten() {
        if let Some(i) = MODIFIERS.iter().position(|m| m == d) {
            if modifier != 0 {
                return None;
            }
            modifier = i as u32 + 1;
        } else if let Some(i) = TONES.iter().position(|t| t == d) {
            if tone != 0 {
                return None;
            }
            tone = i as u32 + 1;
        } else {
            return None;
        }
    }
    let mark = modifier * 6 + tone;
    // Only claim the compact form when decoding gives back exactly this char.
    if apply_mark(base, mark) != Some(c) {
        return None;
    }
    Some(Piece::Letter {
        upper: base.is_ascii_uppercase(),
        index: u32::from(base.to_ascii_lowercase() as u8 - b'a'),
        mark,
    })
}

/// The single character for base letter + mark, if there is one.
fn apply_mark(base: char, mark: u32) -> Option<char> {
    if mark == STROKE {
        return match base {
            'd' => Some('đ'),
            'D' => Some('Đ'),
            _ => None,
        };
    }
    if mark == 0 || mark > 23 {
        return None;
    }
    let (modifier, tone) = (mark / 6, mark % 6);
    let m = (modifier > 0).then(|| MODIFIERS[(modifier - 1) as usize]);
    let t = (tone > 0).then(|| TONES[(tone - 1) as usize]);
    let mut composed = [Some(base), m, t].into_iter().flatten().nfc();
    let first = composed.next()?;
    if composed.next().is_some() {
        return None;
    }
    Some(first)
}

/// Encodes any string; the result decodes back to exactly the same string.
pub fn encode(s: &str) -> Vec<u8> {
    let pieces: Vec<Piece> = s.chars().map(classify).collect();
    let mut w = BitWriter::new();
    let mut title = true;
    let mut lock = false;
    let mut prev_letter = false;
    for (i, piece) in pieces.iter().enumerate() {
        match *piece {
            Piece::Letter { upper, index, mark } => {
                if !prev_letter {
                    let want = choose_lock(&pieces[i..], title, lock);
                    if want != lock {
                        w.push(LOCK, 5);
                        lock = want;
                    }
                }
                let default_upper = lock || title;
                if upper != default_upper {
                    w.push(FLIP, 5);
                }
                w.push(index, 5);
                if mark != 0 {
                    w.push(MARK, 5);
                    w.push(mark, 5);
                }
                title = false;
                prev_letter = true;
            }
            Piece::Space => {
                w.push(SPACE, 5);
                title = true;
                prev_letter = false;
            }
            Piece::Symbol(i) => {
                w.push(SYMBOL, 5);
                w.push(i, 5);
                title = false;
                prev_letter = false;
            }
            Piece::Escape(cp) => {
                w.push(ESCAPE, 5);
                w.push(cp, 21);
                title = false;
                prev_letter = false;
            }
        }
    }
    w.finish()
}

/// Caps lock on or off for the run of letters at the start of `rest`: whichever
/// costs fewer bits (flips inside the word, plus a toggle if it changes).
fn choose_lock(rest: &[Piece], title: bool, lock: bool) -> bool {
    let mut cost = [0u32; 2]; // [lock off, lock on]
    for (k, piece) in rest.iter().enumerate() {
        let Piece::Letter { upper, .. } = *piece else {
            break;
        };
        let off_default = title && k == 0;
        cost[0] += u32::from(upper != off_default);
        cost[1] += u32::from(!upper);
    }
    cost[usize::from(!lock)] += 1;
    cost[1] < cost[0]
}

/// Decodes a compact text.
pub fn decode(bytes: &[u8]) -> Result<String, TextDecodeError> {
    let mut r = BitReader::new(bytes);
    let mut out = String::new();
    let mut title = true;
    let mut lock = false;
    let mut flip = false;
    // The last letter, if a MARK may still apply to it.
    let mut markable: Option<char> = None;
    while !r.at_padding() {
        let code = r.read(5).ok_or(TextDecodeError)?;
        if flip && code > 25 {
            return Err(TextDecodeError);
        }
        match code {
            0..=25 => {
                let upper = (lock || title) ^ flip;
                let base = char::from(b'a' + code as u8);
                let c = if upper {
                    base.to_ascii_uppercase()
                } else {
                    base
                };
                out.push(c);
                markable = Some(c);
                flip = false;
                title = false;
            }
            SPACE => {
                out.push(' ');
                markable = None;
                title = true;
            }
            FLIP => flip = true,
            LOCK => {
                lock = !lock;
                markable = None;
            }
            MARK => {
                let mark = r.read(5).ok_or(TextDecodeError)?;
                let base = markable.take().ok_or(TextDecodeError)?;
                let c = apply_mark(base, mark).ok_or(TextDecodeError)?;
                out.pop();
                out.push(c);
            }
            SYMBOL => {
                let i = r.read(5).ok_or(TextDecodeError)?;
                out.push(SYMBOLS[i as usize]);
                markable = None;
                title = false;
            }
            _ => {
                let cp = r.read(21).ok_or(TextDecodeError)?;
                out.push(char::from_u32(cp).ok_or(TextDecodeError)?);
                markable = None;
                title = false;
            }
        }
    }
    if flip {
        return Err(TextDecodeError);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn vietnamese_names_are_compact() {
        let name = "Nguyễn Thị Minh Khai";
        let bytes = encode(name);
        assert_eq!(decode(&bytes).as_deref(), Ok(name));
        // 20 chars: UTF-8 needs 24 bytes.
        assert!(bytes.len() <= 16, "{} bytes", bytes.len());
    }

    #[test]
    fn every_vietnamese_letter_round_trips_compactly() {
        let all = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ";
        for c in all.chars().chain(all.to_uppercase().chars()) {
            let s = c.to_string();
            let bytes = encode(&s);
            assert_eq!(decode(&bytes), Ok(s.clone()));
            assert!(bytes.len() <= 3, "{c} took {} bytes", bytes.len());
        }
    }

    #[test]
    fn caps_words_and_symbols() {
        for s in [
            "Công ty TNHH Thương mại và Dịch vụ ABC",
            "UBND phường Láng Hạ",
            "Số 12, ngõ 34/5 (tầng 2)",
            "",
            " ",
            "a",
            "ÜBER straße 日本 😀",
            "x\u{301}", // a combining mark alone is escaped, not merged
        ] {
            assert_eq!(decode(&encode(s)).as_deref(), Ok(s), "{s:?}");
        }
    }

    #[test]
    fn malformed_inputs_are_refused() {
        // MARK with nothing to mark.
        let mut w = BitWriter::new();
        w.push(MARK, 5);
        w.push(1, 5);
        assert_eq!(decode(&w.finish()), Err(TextDecodeError));
        // Stroke on a letter other than d.
        let mut w = BitWriter::new();
        w.push(0, 5);
        w.push(MARK, 5);
        w.push(STROKE, 5);
        assert_eq!(decode(&w.finish()), Err(TextDecodeError));
        // Truncated escape.
        assert_eq!(decode(&[0b1111_1000, 0]), Err(TextDecodeError));
        // A lone surrogate code point.
        let mut w = BitWriter::new();
        w.push(ESCAPE, 5);
        w.push(0xD800, 21);
        assert_eq!(decode(&w.finish()), Err(TextDecodeError));
    }

    fn syllable() -> impl Strategy<Value = String> {
        let initials = prop::sample::select(vec![
            "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng",
            "ngh", "nh", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
        ]);
        let vowels = prop::sample::select(vec![
            "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "uy", "ươ", "iê",
            "uô", "ai", "ao", "oi", "ưu",
        ]);
        let finals = prop::sample::select(vec!["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]);
        let tone = prop::sample::select(vec![
            "", "\u{300}", "\u{301}", "\u{309}", "\u{303}", "\u{323}",
        ]);
        (initials, vowels, finals, tone, any::<bool>()).prop_map(|(i, v, f, t, cap)| {
            let mut v: Vec<char> = v.chars().collect();
            let last = v.len() - 1;
            let mut s = String::new();
            s.push_str(i);
            for (k, c) in v.drain(..).enumerate() {
                s.push(c);
                if k == last {
                    s.push_str(t);
                }
            }
            s.push_str(f);
            let s: String = s.nfc().collect();
            if cap {
                let mut cs = s.chars();
                match cs.next() {
                    Some(first) => first.to_uppercase().chain(cs).collect(),
                    None => s,
                }
            } else {
                s
            }
        })
    }

    proptest! {
        #[test]
        fn round_trip_any_string(s in any::<String>()) {
            prop_assert_eq!(decode(&encode(&s)), Ok(s));
        }

        #[test]
        fn round_trip_vietnamese(words in prop::collection::vec(syllable(), 1..8)) {
            let s = words.join(" ");
            let bytes = encode(&s);
            prop_assert_eq!(decode(&bytes), Ok(s.clone()));
            // Never worse than UTF-8 for Vietnamese text (plus one byte of padding).
            prop_assert!(bytes.len() <= s.len() + 1);
        }

        #[test]
        fn decode_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode(&bytes);
        }
    }
}
