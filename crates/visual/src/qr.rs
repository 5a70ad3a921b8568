//! QR codes of page addresses, so that a printed project page leads back to its live version.
//!
//! The `qrcode` crate computes the module matrix; the SVG is written here as a single path of
//! horizontal runs of dark modules, which is several times smaller than one square per module.

use std::fmt::{self, Write};

use qrcode::{Color, EcLevel, QrCode};

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
    let code = QrCode::with_error_correction_level(url, EcLevel::M).map_err(QrCodeError)?;
    let width = code.width();
    let colors = code.to_colors();
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
    fn an_address_too_long_for_any_qr_code_is_an_error() {
        let url = format!("https://example.org/{}", "a".repeat(4000));
        assert!(qr_code(&url, "QR").is_err());
    }
}
