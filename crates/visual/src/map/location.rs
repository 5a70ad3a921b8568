//! The small map on a project's page: all oblasts in grey, the project's oblast highlighted,
//! and a marker where the project is, when its coordinates are known.

use std::fmt::Write;

use super::atlas::{ATLAS, MAP_WIDTH, oblasts};
use crate::scale::BORDER;
use crate::svg::{self, num};

const OTHER_FILL: &str = "#e6e6e6";
/// 3.7:1 against the grey fill, enough to tell the oblasts apart without drawing the eye.
const OTHER_BORDER: &str = "#737373";
const HIGHLIGHT_FILL: &str = "#2a6fb0";

/// Draws the location map. `oblast_code` may be any KATOTTG code inside the oblast (a hromada's
/// or a settlement's works too), since its first four characters name the oblast. `point` is
/// longitude and latitude in degrees (WGS 84); a point outside the map is left out.
pub fn location_map(oblast_code: &str, point: Option<(f64, f64)>, title: &str) -> String {
    let region = oblast_code.get(2..4);
    let highlighted = oblasts()
        .iter()
        .find(|shape| oblast_code.starts_with("UA") && Some(shape.region.as_str()) == region);
    let description = highlighted.map_or(String::new(), |shape| {
        format!("{} / {}", shape.name_uk, shape.name_en)
    });

    let (mut out, _) = svg::open(&svg::Head {
        kind: "dv-location",
        role: "img",
        width: MAP_WIDTH,
        height: ATLAS.height(),
        title,
        description: &description,
    });

    let _ = write!(
        out,
        r#"<g fill="{OTHER_FILL}" stroke="{OTHER_BORDER}" stroke-width="1" fill-rule="evenodd">"#
    );
    for shape in oblasts() {
        if highlighted.is_none_or(|chosen| chosen.code != shape.code) {
            let _ = write!(out, r#"<path d="{}"/>"#, shape.path);
        }
    }
    out.push_str("</g>");

    // Drawn last so that its whole border shows above the grey neighbours'.
    if let Some(shape) = highlighted {
        let _ = write!(
            out,
            "<path fill=\"{HIGHLIGHT_FILL}\" stroke=\"{BORDER}\" stroke-width=\"2\" \
                fill-rule=\"evenodd\" data-katottg=\"{}\" d=\"{}\"/>",
            shape.code, shape.path
        );
    }

    if let Some(marker) = point.and_then(marker) {
        out.push_str(&marker);
    }
    out.push_str("</svg>");
    out
}

/// A dark dot with a white ring, which stands out on both the grey and the blue fill.
fn marker((longitude, latitude): (f64, f64)) -> Option<String> {
    let plausible = longitude.is_finite()
        && latitude.is_finite()
        && longitude.abs() <= 180.0
        && latitude.abs() <= 90.0;
    if !plausible {
        return None;
    }
    let (x, y) = ATLAS.place(longitude, latitude);
    let inside = (0.0..=MAP_WIDTH).contains(&x) && (0.0..=ATLAS.height()).contains(&y);
    inside.then(|| {
        format!(
            "<circle class=\"dv-marker\" cx=\"{}\" cy=\"{}\" r=\"13\" fill=\"{BORDER}\" \
                stroke=\"#fff\" stroke-width=\"5\"/>",
            num(x),
            num(y)
        )
    })
}
