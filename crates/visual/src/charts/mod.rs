//! Charts of values: horizontal bars (`bar`), values over time (`time`), and a project's
//! funding against its need (`funding`).
//!
//! They share one width. At 400 units with 13-unit text, a chart shown 320 pixels wide (a small
//! phone) still has text of about 10 pixels, and pages can cap the width on large screens.

pub(crate) mod bar;
pub(crate) mod funding;
pub(crate) mod time;

/// The viewBox width of every chart.
pub(crate) const CHART_WIDTH: f64 = 400.0;
/// Space left free around each chart's content.
pub(crate) const PADDING: f64 = 6.0;
pub(crate) const FONT_SIZE: f64 = 13.0;

/// The colour of bars and columns: 5.3:1 against white, so that thin bars stay visible.
pub(crate) const BAR_FILL: &str = "#2a6fb0";

/// Writes "label: value" pairs as one sentence for a chart's `<desc>`, which is what a screen
/// reader offers in place of the picture.
pub(crate) fn describe<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .map(|(label, value)| format!("{label}: {value}"))
        .collect::<Vec<_>>()
        .join("; ")
}
