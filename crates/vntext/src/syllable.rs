//! Is a word a well-formed Vietnamese syllable? Used to decide, conservatively,
//! whether text is legacy-encoded mojibake (its words are not syllables) and
//! whether converting it gives real Vietnamese (they all are).

use unicode_normalization::UnicodeNormalization;

const ONSETS: [&str; 27] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
];

const CODAS: [&str; 8] = ["ch", "ng", "nh", "c", "m", "n", "p", "t"];

/// Vowel nuclei (with their glides), written with shape marks but no tone.
const NUCLEI: [&str; 54] = [
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây",
    "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui",
    "uô", "uơ", "uy", "ưa", "ưi", "ưu", "ươ", "yê", "iêu", "oai", "oao", "oay", "oeo", "uây",
    "uôi", "ươi", "ươu", "uyê", "uya", "yêu",
];

/// Lowercase letters with shape marks kept and the (at most one) tone
/// removed; `None` if the word has anything else (digits, symbols, two tones).
fn shape(word: &str) -> Option<String> {
    let mut out = String::with_capacity(word.len());
    let mut tones = 0;
    for c in word.nfd().flat_map(char::to_lowercase) {
        match c {
            'a'..='z' | 'đ' => out.push(c),
            '\u{0300}' | '\u{0301}' | '\u{0303}' | '\u{0309}' | '\u{0323}' => tones += 1,
            '\u{0302}' | '\u{0306}' | '\u{031B}' => {
                let base = out.pop()?;
                out.push(match (base, c) {
                    ('a', '\u{0302}') => 'â',
                    ('a', '\u{0306}') => 'ă',
                    ('e', '\u{0302}') => 'ê',
                    ('o', '\u{0302}') => 'ô',
                    ('o', '\u{031B}') => 'ơ',
                    ('u', '\u{031B}') => 'ư',
                    _ => return None,
                });
            }
            _ => return None,
        }
    }
    (tones <= 1 && !out.is_empty()).then_some(out)
}

/// True when `word` (one syllable, any case) is spelled like Vietnamese.
pub fn is_syllable(word: &str) -> bool {
    let Some(s) = shape(word) else {
        return false;
    };
    let mut onsets: Vec<&str> = ONSETS
        .iter()
        .copied()
        .filter(|o| s.starts_with(o))
        .collect();
    onsets.push("");
    for onset in onsets {
        let rest = &s[onset.len()..];
        // "gi" and "qu" may lend their vowel to an empty nucleus: "gì", "gìn".
        if (onset == "gi") && (rest.is_empty() || CODAS.contains(&rest)) {
            return true;
        }
        for coda in CODAS.iter().copied().chain(std::iter::once("")) {
            if let Some(nucleus) = rest.strip_suffix(coda) {
                if NUCLEI.contains(&nucleus) {
                    return true;
                }
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_syllables() {
        for w in [
            "Nguyễn",
            "Văn",
            "Đặng",
            "Thị",
            "Thủy",
            "Thuỷ",
            "Mường",
            "Khương",
            "gì",
            "quý",
            "Phường",
            "Huế",
            "ngoằn",
            "xoong",
            "khuya",
            "TRẦN",
            "a",
            "yêu",
            "giữ",
            "nghiêng",
            "thuở",
            "người",
        ] {
            assert!(is_syllable(w), "{w}");
        }
    }

    #[test]
    fn mojibake_and_foreign_words_are_not() {
        for w in [
            "NguyÔn", "V¨n", "Nguyeãn", "Vaên", "Thñy", "§Æng", "Café", "Smith", "123", "", "bb",
            "Hàà",
        ] {
            assert!(!is_syllable(w), "{w}");
        }
    }
}
