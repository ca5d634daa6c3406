//! Mask choice for the permit QR. qrcode 0.14 scores the 8 masks with a
//! boxed closure per module (~4 ms for a version-18 symbol: 40 s for a batch
//! of 10,000 permits); the same penalty rules computed on a flat bitmap, or on
//! 128-bit lines, take a few hundred µs. The chosen symbol is module-for-module
//! the one qrcode would pick (tested below).

use qrcode::bits::Bits;
use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::types::Color;
use qrcode::{EcLevel, Version};

/// qrcode's order: on equal scores the first mask wins, as in `apply_best_mask`.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// The symbol's modules, row-major, `true` = dark, with the lowest-penalty mask.
pub(super) fn best_modules(bits: Bits, version: i16, level: EcLevel) -> Option<Vec<bool>> {
    let data = bits.into_bytes();
    let (data, ec) =
        qrcode::ec::construct_codewords(&data, Version::Normal(version), level).ok()?;
    let mut canvas = Canvas::new(Version::Normal(version), level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    let width = (17 + 4 * version) as usize;
    let mut best: Option<(u32, Vec<u8>)> = None;
    for mask in MASKS {
        let mut c = canvas.clone();
        c.apply_mask(mask);
        let dark: Vec<u8> = c
            .into_colors()
            .into_iter()
            .map(|m| u8::from(m == Color::Dark))
            .collect();
        let score = if width <= 128 {
            penalty_bits(&dark, width)
        } else {
            penalty(&dark, width)
        };
        if best.as_ref().is_none_or(|(s, _)| score < *s) {
            best = Some((score, dark));
        }
    }
    best.map(|(_, dark)| dark.into_iter().map(|d| d == 1).collect())
}

/// qrcode 0.14's penalty (rules N1–N4 as it implements them), without the
/// constant offset it subtracts from N3. `dark` is row-major, 0 or 1.
fn penalty(dark: &[u8], w: usize) -> u32 {
    let mut columns = vec![0u8; w * w];
    for y in 0..w {
        for x in 0..w {
            columns[x * w + y] = dark[y * w + x];
        }
    }
    let mut score = 0u32;
    for line in dark.chunks_exact(w).chain(columns.chunks_exact(w)) {
        // N1: runs of 5+ same-colour modules score len - 2.
        let mut run = 1u32;
        for pair in line.windows(2) {
            if pair[0] == pair[1] {
                run += 1;
            } else {
                if run >= 5 {
                    score += run - 2;
                }
                run = 1;
            }
        }
        if run >= 5 {
            score += run - 2;
        }
        // N3: 1:1:3:1:1 finder-like patterns without 4 light modules on one
        // side. A 7-bit shift register finds candidates; the sides are only
        // read on a match (rare).
        const PATTERN: u8 = 0b101_1101;
        let mut reg = 0u8;
        for (k, &m) in line.iter().enumerate() {
            reg = ((reg << 1) | m) & 0x7F;
            if k < 6 || reg != PATTERN {
                continue;
            }
            let j = k - 6;
            let before = &line[j.saturating_sub(4)..j];
            let after = &line[(j + 7).min(w)..(j + 11).min(w)];
            if !before.contains(&1) || !after.contains(&1) {
                score += 40;
            }
        }
    }
    // N2: each 2×2 block of one colour scores 3.
    for pair in dark.chunks_exact(w).collect::<Vec<_>>().windows(2) {
        let (a, b) = (pair[0], pair[1]);
        for x in 0..w - 1 {
            let c = a[x];
            if a[x + 1] == c && b[x] == c && b[x + 1] == c {
                score += 3;
            }
        }
    }
    // N4: distance of the dark ratio from 50%.
    let dark_count = dark.iter().filter(|d| **d == 1).count();
    let ratio = dark_count * 200 / dark.len();
    score + ratio.abs_diff(100) as u32
}

/// [`penalty`] on 128-bit lines (symbols up to version 27, which covers every
/// permit): branch-free where the scalar loop mispredicts on random modules.
fn penalty_bits(dark: &[u8], w: usize) -> u32 {
    debug_assert!(w <= 128);
    let mut rows = [0u128; 128];
    let mut cols = [0u128; 128];
    for y in 0..w {
        for x in 0..w {
            let bit = u128::from(dark[y * w + x]);
            rows[y] |= bit << x;
            cols[x] |= bit << y;
        }
    }
    let full: u128 = if w == 128 { !0 } else { (1u128 << w) - 1 };
    let mut score = 0u32;
    for &line in rows[..w].iter().chain(cols[..w].iter()) {
        // N1: run lengths from the positions where the colour changes.
        let mut changes = (line ^ (line >> 1)) & (full >> 1);
        let mut start = 0u32;
        while changes != 0 {
            let end = changes.trailing_zeros() + 1;
            let run = end - start;
            if run >= 5 {
                score += run - 2;
            }
            start = end;
            changes &= changes - 1;
        }
        let run = w as u32 - start;
        if run >= 5 {
            score += run - 2;
        }
        // N3: modules j..j+7 = dark, light, dark, dark, dark, light, dark.
        let mut found = line
            & !(line >> 1)
            & (line >> 2)
            & (line >> 3)
            & (line >> 4)
            & !(line >> 5)
            & (line >> 6)
            & (full >> 6);
        while found != 0 {
            let j = found.trailing_zeros() as usize;
            let before = if j == 0 {
                0
            } else {
                (line >> j.saturating_sub(4)) & ((1u128 << (j - j.saturating_sub(4))) - 1)
            };
            let after = if j + 7 >= w {
                0
            } else {
                (line >> (j + 7)) & 0xF
            };
            if before == 0 || after == 0 {
                score += 40;
            }
            found &= found - 1;
        }
    }
    // N2: 2×2 blocks of one colour.
    let pairs = full >> 1;
    for y in 0..w - 1 {
        let (a, b) = (rows[y], rows[y + 1]);
        let same = !(a ^ (a >> 1)) & !(b ^ (b >> 1)) & !(a ^ b) & pairs;
        score += 3 * same.count_ones();
    }
    // N4
    let dark_count: u32 = rows[..w].iter().map(|r| r.count_ones()).sum();
    let ratio = dark_count as usize * 200 / (w * w);
    score + ratio.abs_diff(100) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitset_penalty_matches_scalar() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for w in [21usize, 57, 89, 101, 125, 128] {
            for density in [2u64, 3, 7] {
                let dark: Vec<u8> = (0..w * w)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        u8::from(seed.is_multiple_of(density))
                    })
                    .collect();
                assert_eq!(penalty_bits(&dark, w), penalty(&dark, w), "w={w}");
            }
        }
    }
}
