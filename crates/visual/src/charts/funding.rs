//! A project's funding at a glance: one bar standing for the need, filled as far as funding is
//! secured, and within that as far as it is contracted and paid.

use std::fmt::Write;

use super::{CHART_WIDTH, FONT_SIZE, PADDING, describe};
use crate::scale::BORDER;
use crate::svg::{self, escape, num};

/// One amount, with its name and its written form, such as "Забезпечено" and "1,2 млн грн".
#[derive(Debug, Clone)]
pub struct FundingAmount {
    pub label: String,
    pub value: f64,
    pub value_text: String,
}

/// The amounts of one project, all in the same currency.
#[derive(Debug, Clone)]
pub struct Funding {
    pub need: FundingAmount,
    pub secured: FundingAmount,
    pub contracted: Option<FundingAmount>,
    pub paid: Option<FundingAmount>,
}

const TRACK_HEIGHT: f64 = 24.0;
const LEGEND_ROW: f64 = 20.0;
const SWATCH: f64 = 12.0;
/// The empty part of the bar, the need not yet covered; 1.2:1 against white, so the bar's
/// outline carries its edge.
const TRACK_FILL: &str = "#ececec";
/// Secured, contracted and paid from light to dark in one hue, so that the order reads
/// without telling hues apart. Each step has at least 1.8:1 contrast to the next.
const SECURED_FILL: &str = "#9ec5e8";
const CONTRACTED_FILL: &str = "#4a8dc6";
const PAID_FILL: &str = "#1d4f82";

/// Draws the funding bar and a legend of the amounts under it.
///
/// The bar's full length is the need, or the largest amount when more than the need is
/// secured; a dashed line then marks where the need ends. The amounts are drawn largest first,
/// so that each stays visible even if, unusually, more was paid than contracted.
pub fn funding_bar(title: &str, funding: &Funding) -> String {
    let layers: Vec<(&FundingAmount, &str)> = [
        Some((&funding.secured, SECURED_FILL)),
        funding
            .contracted
            .as_ref()
            .map(|amount| (amount, CONTRACTED_FILL)),
        funding.paid.as_ref().map(|amount| (amount, PAID_FILL)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let legend: Vec<(&FundingAmount, &str)> = [(&funding.need, TRACK_FILL)]
        .into_iter()
        .chain(layers.iter().copied())
        .collect();

    let description = describe(
        legend
            .iter()
            .map(|(amount, _)| (&*amount.label, &*amount.value_text)),
    );
    let height = 2.0 * PADDING + TRACK_HEIGHT + 8.0 + LEGEND_ROW * legend.len() as f64;
    let (mut out, _) = svg::open(&svg::Head {
        kind: "dv-funding",
        role: "img",
        width: CHART_WIDTH,
        height,
        title,
        description: &description,
    });
    out.push_str(&bar(&funding.need, &layers));
    out.push_str(&amounts(&legend));
    out.push_str("</svg>");
    out
}

/// A non-negative, finite amount; anything else counts as nothing.
fn amount_of(amount: &FundingAmount) -> f64 {
    if amount.value.is_finite() {
        amount.value.max(0.0)
    } else {
        0.0
    }
}

fn bar(need: &FundingAmount, layers: &[(&FundingAmount, &str)]) -> String {
    let full_scale = layers
        .iter()
        .map(|(amount, _)| amount_of(amount))
        .fold(amount_of(need), f64::max);
    let room = CHART_WIDTH - 2.0 * PADDING;
    let length = |value: f64| {
        if full_scale > 0.0 {
            value / full_scale * room
        } else {
            0.0
        }
    };

    let mut out = format!(
        "<rect x=\"{PADDING}\" y=\"{PADDING}\" width=\"{}\" height=\"{TRACK_HEIGHT}\" \
            fill=\"{TRACK_FILL}\"/>",
        num(room)
    );
    let mut largest_first = layers.to_vec();
    largest_first.sort_by(|a, b| amount_of(b.0).total_cmp(&amount_of(a.0)));
    for (amount, fill) in largest_first {
        let _ = write!(
            out,
            "<rect x=\"{PADDING}\" y=\"{PADDING}\" width=\"{}\" height=\"{TRACK_HEIGHT}\" \
                fill=\"{fill}\"/>",
            num(length(amount_of(amount)))
        );
    }
    let _ = write!(
        out,
        "<rect x=\"{PADDING}\" y=\"{PADDING}\" width=\"{}\" height=\"{TRACK_HEIGHT}\" \
            fill=\"none\" stroke=\"{BORDER}\"/>",
        num(room)
    );
    if amount_of(need) < full_scale {
        let x = num(PADDING + length(amount_of(need)));
        let _ = write!(
            out,
            r#"<path d="M{x} {}V{}" stroke="{BORDER}" stroke-width="2" stroke-dasharray="4 3"/>"#,
            num(PADDING - 3.0),
            num(PADDING + TRACK_HEIGHT + 3.0)
        );
    }
    out
}

fn amounts(legend: &[(&FundingAmount, &str)]) -> String {
    let mut out = format!(r#"<g font-size="{}">"#, num(FONT_SIZE));
    for (index, (amount, fill)) in legend.iter().enumerate() {
        let top = PADDING + TRACK_HEIGHT + 8.0 + LEGEND_ROW * index as f64;
        let _ = write!(
            out,
            "<rect x=\"{PADDING}\" y=\"{}\" width=\"{SWATCH}\" height=\"{SWATCH}\" \
                fill=\"{fill}\" stroke=\"{BORDER}\"/><text x=\"{}\" y=\"{}\">{}: {}</text>",
            num(top + 3.0),
            num(PADDING + SWATCH + 6.0),
            num(top + 3.0 + SWATCH - 1.5),
            escape(&amount.label),
            escape(&amount.value_text)
        );
    }
    out.push_str("</g>");
    out
}
