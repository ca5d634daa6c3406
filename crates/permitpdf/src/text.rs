//! Line breaking and shrink-to-fit. printpdf-style PDFs do no shaping, so
//! text is NFC (precomposed Vietnamese letters, one glyph each) and a line's
//! width is the sum of its glyphs' advances.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// NFC, with control characters and runs of whitespace turned into single spaces.
pub fn clean(text: &str) -> String {
    let nfc: String = text.nfc().collect();
    let mut out = String::with_capacity(nfc.len());
    for word in nfc.split(|c: char| c.is_whitespace() || c.is_control()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Greedy word wrap: every line measures at most `max_width`, except a line
/// holding a single character cluster wider than the box (callers shrink the
/// font until that cannot happen). Words longer than a line are broken
/// between character clusters (a base letter with its combining marks).
pub fn wrap(text: &str, max_width: f32, width: impl Fn(&str) -> f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate) <= max_width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if width(word) <= max_width {
            line = word.to_string();
            continue;
        }
        // Break the word itself, cluster by cluster.
        for cluster in clusters(word) {
            let candidate = format!("{line}{cluster}");
            if line.is_empty() || width(&candidate) <= max_width {
                line = candidate;
            } else {
                lines.push(std::mem::replace(&mut line, cluster.to_string()));
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A base character with the combining marks that follow it.
fn clusters(word: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in word.char_indices() {
        if i > start && !is_combining_mark(c) {
            out.push(&word[start..i]);
            start = i;
        }
    }
    if start < word.len() {
        out.push(&word[start..]);
    }
    out
}

/// A text fitted into a box: its font size and lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub size: f32,
    pub lines: Vec<String>,
}

/// The largest size in `[min, max]` (steps of 0.25 pt) at which `text`
/// wraps into at most `max_lines` lines of at most `max_width`. None when
/// even `min` does not fit: the caller reports it, never overflows.
pub fn fit(
    text: &str,
    max_width: f32,
    max_lines: usize,
    max: f32,
    min: f32,
    width: impl Fn(&str, f32) -> f32,
) -> Option<Fitted> {
    let mut size = max;
    while size >= min - 1e-3 {
        let lines = wrap(text, max_width, |s| width(s, size));
        if lines.len() <= max_lines && lines.iter().all(|l| width(l, size) <= max_width) {
            return Some(Fitted { size, lines });
        }
        size -= 0.25;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::font::{Fonts, Style};
    use proptest::prelude::*;

    fn regular(s: &str, size: f32) -> f32 {
        Fonts::get()
            .map(|f| f.face(Style::Regular).width(s, size))
            .unwrap_or(0.0)
    }

    #[test]
    fn clean_is_nfc_and_single_spaced() {
        let nfd = "Nguye\u{302}\u{303}n  \tThi\u{323}\n";
        assert_eq!(clean(nfd), "Nguyễn Thị");
    }

    #[test]
    fn wraps_at_spaces_and_breaks_long_words() {
        let lines = wrap("Tôn Nữ Hoàng Thị Ngọc Diễm", 60.0, |s| {
            regular(s, 10.0)
        });
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), "Tôn Nữ Hoàng Thị Ngọc Diễm");
        let long = "Đ".repeat(40);
        let lines = wrap(&long, 50.0, |s| regular(s, 10.0));
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), long);
    }

    #[test]
    fn fit_shrinks_then_gives_up() {
        let f = fit("Công ty TNHH Thực phẩm Sạch", 80.0, 1, 12.0, 5.0, regular).unwrap();
        assert!(f.size < 12.0 && f.lines.len() == 1);
        assert!(fit(&"x".repeat(500), 80.0, 1, 12.0, 5.0, regular).is_none());
    }

    proptest! {
        #[test]
        fn wrapped_lines_never_exceed_the_box(
            text in "[a-zA-Z ạảãàáâậầấẩẫăắằặẳẵđĐưứừựửữơớờợởỡêếềệểễôốồộổỗ\u{0300}\u{0301}\u{0303}–,.]{0,120}",
            max_width in 20.0f32..300.0,
            size in 5.0f32..16.0,
        ) {
            let text = clean(&text);
            let widest = text.chars().map(|c| regular(&c.to_string(), size)).fold(0.0, f32::max);
            prop_assume!(widest <= max_width);
            let lines = wrap(&text, max_width, |s| regular(s, size));
            for l in &lines {
                prop_assert!(regular(l, size) <= max_width, "{l:?} wider than {max_width}");
            }
            let joined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
            let original: String = text.chars().filter(|c| *c != ' ').collect();
            prop_assert_eq!(joined, original);
        }
    }
}
