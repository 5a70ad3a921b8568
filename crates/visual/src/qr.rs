//! QR codes of page addresses, so that a printed project page leads back to its live version.
//!
//! The `qrcode` crate encodes the address and places the modules; the mask is chosen here,
//! by the standard's penalty rules scored over a plain grid (the crate's own scoring took a
//! quarter of the CPU of rendering a project page for the first time). The SVG is written
//! as a single path of horizontal runs of dark modules, several times smaller than one
//! square per module.

use std::fmt::{self, Write};

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel};

use crate::svg::{self, escape};

/// The quiet zone, in modules, that readers need around the code.
const QUIET_ZONE: usize = 4;

/// The address could not be encoded, almost always because it is longer than a QR code holds
/// (about 2,300 characters at the error correction used here).
#[derive(Debug)]
pub struct QrCodeError(qrcode::types::QrError);

impl fmt::Display for QrCodeError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "the address cannot be encoded as a QR code: {}",
            self.0
        )
    }
}

impl std::error::Error for QrCodeError {}

/// Draws a QR code of `url` with error correction level M, which survives a crease or a stain
/// on paper (15 % of the modules) while keeping the code small.
pub fn qr_code(url: &str, title: &str) -> Result<String, QrCodeError> {
    let (colors, width) = modules(url.as_bytes(), EcLevel::M).map_err(QrCodeError)?;
    let size = (width + 2 * QUIET_ZONE) as f64;

    let (mut out, _) = svg::open(&svg::Head {
        kind: "dv-qr",
        role: "img",
        width: size,
        height: size,
        title,
        description: url,
    });
    let _ = write!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" \
            shape-rendering=\"crispEdges\" d=\"{}\"/></svg>",
        escape(&dark_runs(&colors, width))
    );
    Ok(out)
}

/// The eight masks a QR code may carry; a reader learns which from the format bits.
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

/// The modules of the smallest QR code of `data` at `ec_level`, row by row, under the mask
/// with the lowest penalty, and the number of modules a side.
fn modules(data: &[u8], ec_level: EcLevel) -> qrcode::QrResult<(Vec<Color>, usize)> {
    let bits = qrcode::bits::encode_auto(data, ec_level)?;
    let version = bits.version();
    let (codewords, correction) =
        qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec_level)?;
    let mut unmasked = Canvas::new(version, ec_level);
    unmasked.draw_all_functional_patterns();
    unmasked.draw_data(&codewords, &correction);
    let width = usize::try_from(version.width()).expect("a QR code is at most 177 modules wide");
    let best = MASKS
        .iter()
        .map(|&mask| {
            let mut canvas = unmasked.clone();
            canvas.apply_mask(mask);
            let colors = canvas.into_colors();
            (penalty(&colors, width), colors)
        })
        .min_by_key(|(score, _)| *score)
        .map(|(_, colors)| colors)
        .expect("there are eight masks");
    Ok((best, width))
}

/// The penalty of a masked code by the four rules of ISO/IEC 18004 (section 7.8.3): long
/// runs of one colour, 2×2 blocks of one colour, stretches that look like a finder pattern,
/// and an imbalance of dark and light. The mask with the lowest is the easiest to read.
fn penalty(colors: &[Color], width: usize) -> u32 {
    let dark: Vec<bool> = colors.iter().map(|&c| c == Color::Dark).collect();
    let at = |row: usize, column: usize| dark[row * width + column];
    let mut score = 0;
    for line in 0..width {
        score += line_penalty((0..width).map(|i| at(line, i)));
        score += line_penalty((0..width).map(|i| at(i, line)));
    }
    for row in 0..width - 1 {
        for column in 0..width - 1 {
            let one = at(row, column);
            if at(row, column + 1) == one
                && at(row + 1, column) == one
                && at(row + 1, column + 1) == one
            {
                score += 3;
            }
        }
    }
    let dark_count = dark.iter().filter(|&&d| d).count();
    let percent = dark_count * 100 / dark.len();
    score += 10 * (percent.abs_diff(50) / 5) as u32;
    score
}

/// The run and finder-likeness penalties of one row or column.
fn line_penalty(line: impl Iterator<Item = bool>) -> u32 {
    let modules: Vec<bool> = line.collect();
    let mut score = 0;
    let mut run = 1;
    for i in 1..=modules.len() {
        if i < modules.len() && modules[i] == modules[i - 1] {
            run += 1;
            continue;
        }
        if run >= 5 {
            score += 3 + (run - 5);
        }
        run = 1;
    }
    // Dark, light, three dark, light, dark, with four light modules before or after: what a
    // reader takes for a finder pattern. Past the edge counts as light.
    const FINDER: [bool; 7] = [true, false, true, true, true, false, true];
    let light = |i: isize| {
        usize::try_from(i)
            .ok()
            .and_then(|i| modules.get(i))
            .is_none_or(|&d| !d)
    };
    for start in 0..modules.len().saturating_sub(FINDER.len() - 1) {
        if modules[start..start + FINDER.len()] != FINDER {
            continue;
        }
        let start = start as isize;
        let end = start + FINDER.len() as isize;
        let before = (start - 4..start).all(light);
        let after = (end..end + 4).all(light);
        if before || after {
            score += 40;
        }
    }
    score
}

/// Path data for the dark modules, one rectangle per run of dark modules in a row:
/// `M{x} {y}h{run}v1h-{run}z`.
fn dark_runs(colors: &[Color], width: usize) -> String {
    let mut path = String::new();
    for (row, modules) in colors.chunks(width).enumerate() {
        let mut column = 0;
        while column < width {
            if modules[column] == Color::Light {
                column += 1;
                continue;
            }
            let run = modules[column..]
                .iter()
                .take_while(|&&color| color == Color::Dark)
                .count();
            let _ = write!(
                path,
                "M{} {}h{run}v1h-{run}z",
                column + QUIET_ZONE,
                row + QUIET_ZONE
            );
            column += run;
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_cover_exactly_the_dark_modules() {
        let (d, l) = (Color::Dark, Color::Light);
        let colors = [d, d, l, l, d, d];
        assert_eq!(dark_runs(&colors, 3), "M4 4h2v1h-2zM5 5h2v1h-2z");
    }

    #[test]
    fn runs_of_five_or_more_and_finder_lookalikes_are_penalised() {
        let line = |text: &str| line_penalty(text.chars().map(|c| c == '#'));
        assert_eq!(line("#.#.#.#."), 0);
        assert_eq!(line("#####.#."), 3, "a run of five");
        assert_eq!(line("#######."), 5, "a run of seven");
        assert_eq!(line("#....#.###.#.#.."), 40, "a finder with light before");
        assert_eq!(line("#.###.#...."), 40, "a finder at the edge, light after");
        assert_eq!(line("..#.###.#....."), 40 + 3, "the quiet zone is light");
        assert_eq!(
            line("#.#.###.#.#"),
            0,
            "no four light modules on either side"
        );
    }

    #[test]
    fn blocks_and_imbalance_are_penalised() {
        let (d, l) = (Color::Dark, Color::Light);
        // A 2×2 all dark: one block, every line a run of two, 100 % dark (ten steps of 5 %).
        assert_eq!(penalty(&[d, d, d, d], 2), 3 + 10 * 10);
        assert_eq!(penalty(&[d, l, l, d], 2), 0);
    }

    #[test]
    fn an_address_too_long_for_any_qr_code_is_an_error() {
        let url = format!("https://example.org/{}", "a".repeat(4000));
        assert!(qr_code(&url, "QR").is_err());
    }
}
