//! Vietnamese text handling shared by every crate.
//!
//! Everything we store is NFC (officials type NFD on Windows' built-in keyboard,
//! mail and old spreadsheets bring other forms). Search uses a *folded key*:
//! lowercase, no diacritics, đ→d, whitespace collapsed — SQLite's own
//! `remove_diacritics` does not fold đ, so we compute the key ourselves.

mod legacy;
mod syllable;

pub use legacy::{
    decode_legacy_bytes, decode_tcvn3, decode_vni, decode_windows_1258, detect_legacy, fix_legacy,
    fix_legacy_with, Legacy,
};
pub use syllable::is_syllable;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// NFC-normalize and trim; inner runs of whitespace collapse to one space.
pub fn clean(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    collapse_ws(&nfc)
}

/// NFC-normalize without changing spacing.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// The folded search key: lowercase ASCII-ish words, diacritics removed, đ/Đ → d.
///
/// "Đặng Thị Thủy" and "Đặng  Thị Thuỷ" and "dang thi thuy" all give "dang thi thuy".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
            c => out.extend(c.to_lowercase()),
        }
    }
    collapse_ws(&out)
}

fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_d_and_tone_placement_variants() {
        assert_eq!(fold("Đặng Thị Thủy"), "dang thi thuy");
        assert_eq!(fold("Đặng  Thị Thuỷ "), "dang thi thuy");
        assert_eq!(fold("ĐINH"), "dinh");
    }

    #[test]
    fn nfd_input_becomes_nfc() {
        let nfd: String = "Nguyễn Văn Đức".nfd().collect();
        assert_ne!(nfd, "Nguyễn Văn Đức");
        assert_eq!(clean(&format!("  {nfd} ")), "Nguyễn Văn Đức");
    }

    proptest! {
        #[test]
        fn fold_is_idempotent_and_has_no_marks(s in "\\PC{0,40}") {
            let f = fold(&s);
            prop_assert_eq!(fold(&f), f.clone());
            prop_assert!(!f.chars().any(is_combining_mark));
            prop_assert!(!f.contains('đ'));
        }

        #[test]
        fn clean_is_idempotent(s in "\\PC{0,40}") {
            let c = clean(&s);
            prop_assert_eq!(clean(&c), c);
        }
    }
}
