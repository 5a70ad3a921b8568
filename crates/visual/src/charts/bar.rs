//! Horizontal bar chart: one labelled bar per item, such as projects per sector or per
//! oblast, with the labels on the left and the formatted values after each bar.

use std::fmt::Write;

use super::{BAR_FILL, CHART_WIDTH, FONT_SIZE, PADDING, describe};
use crate::svg::{self, escape, num};
use crate::text::{Language, estimate_width, wrap};

/// One bar.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    /// The length of the bar. Bars show amounts, so a negative value is drawn as no bar.
    pub value: f64,
    /// The value as the page writes it, such as `1 234` or `12,5 млн грн`.
    pub value_text: String,
}

const LINE_HEIGHT: f64 = 15.0;
const BAR_HEIGHT: f64 = 18.0;
const ROW_GAP: f64 = 10.0;
/// Labels get at most this share of the width and wrap onto a second line beyond it.
const LABEL_SHARE: f64 = 0.4;
const GAP: f64 = 6.0;

/// Draws the bars in the order given. Labels longer than two lines are cut with an ellipsis;
/// the full label stays in each bar's hover text and in the chart's description.
pub fn bar_chart(title: &str, bars: &[Bar], language: Language) -> String {
    let description = describe(bars.iter().map(|bar| (&*bar.label, &*bar.value_text)));
    if bars.is_empty() {
        return empty_chart(title, language);
    }

    let max_label_width = CHART_WIDTH * LABEL_SHARE;
    let labels: Vec<Vec<String>> = bars
        .iter()
        .map(|bar| wrap(&bar.label, FONT_SIZE, max_label_width, 2))
        .collect();
    let label_width = widest(labels.iter().flatten());
    let value_width = widest(bars.iter().map(|bar| &bar.value_text));
    let bar_start = PADDING + label_width + GAP;
    let bar_room = (CHART_WIDTH - PADDING - value_width - GAP - bar_start).max(1.0);
    let largest = bars
        .iter()
        .map(|bar| bar.value)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);

    let height = 2.0 * PADDING
        + labels
            .iter()
            .map(|lines| row_height(lines.len()))
            .sum::<f64>();
    let (mut out, _) = svg::open(&svg::Head {
        kind: "dv-bars",
        role: "img",
        width: CHART_WIDTH,
        height,
        title,
        description: &description,
    });
    let _ = write!(out, r#"<g font-size="{}">"#, num(FONT_SIZE));
    let mut top = PADDING;
    for (bar, lines) in bars.iter().zip(&labels) {
        let length = bar_length(bar.value, largest, bar_room);
        out.push_str(&row(bar, lines, top, bar_start, length));
        top += row_height(lines.len());
    }
    out.push_str("</g></svg>");
    out
}

fn widest<'a>(texts: impl Iterator<Item = &'a String>) -> f64 {
    texts
        .map(|text| estimate_width(text, FONT_SIZE))
        .fold(0.0, f64::max)
        .ceil()
}

fn row_height(lines: usize) -> f64 {
    (lines as f64 * LINE_HEIGHT).max(BAR_HEIGHT) + ROW_GAP
}

/// A bar's length in proportion to the largest; any value above zero gets at least a sliver,
/// so that "a little" never looks like "none".
fn bar_length(value: f64, largest: f64, room: f64) -> f64 {
    if value.is_nan() || value <= 0.0 || largest <= 0.0 {
        return 0.0;
    }
    (value / largest * room).max(1.0)
}

fn row(bar: &Bar, lines: &[String], top: f64, bar_start: f64, length: f64) -> String {
    let middle = top + row_height(lines.len()) / 2.0 - ROW_GAP / 2.0;
    let mut out = format!(
        "<g><title>{}: {}</title>",
        escape(&bar.label),
        escape(&bar.value_text)
    );

    // The lines of the label are centred as a block on the bar's middle.
    let first_baseline = middle - (lines.len() as f64 - 1.0) * LINE_HEIGHT / 2.0 + FONT_SIZE * 0.35;
    for (index, line) in lines.iter().enumerate() {
        let _ = write!(
            out,
            r#"<text x="{}" y="{}">{}</text>"#,
            num(PADDING),
            num(first_baseline + index as f64 * LINE_HEIGHT),
            escape(line)
        );
    }

    let _ = write!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{BAR_HEIGHT}\" fill=\"{BAR_FILL}\"/><text \
            x=\"{}\" y=\"{}\">{}</text></g>",
        num(bar_start),
        num(middle - BAR_HEIGHT / 2.0),
        num(length),
        num(bar_start + length + GAP),
        num(middle + FONT_SIZE * 0.35),
        escape(&bar.value_text)
    );
    out
}

/// The frame of a chart with nothing in it but the words "no data".
pub(crate) fn empty_chart(title: &str, language: Language) -> String {
    let height = 60.0;
    let (mut out, _) = svg::open(&svg::Head {
        kind: "dv-empty",
        role: "img",
        width: CHART_WIDTH,
        height,
        title,
        description: language.no_data(),
    });
    out.push_str(&svg::no_data_note(
        CHART_WIDTH / 2.0,
        height / 2.0 + FONT_SIZE * 0.35,
        FONT_SIZE,
        language.no_data(),
    ));
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_lengths_are_proportional_and_small_values_stay_visible() {
        assert_eq!(bar_length(50.0, 100.0, 200.0), 100.0);
        assert_eq!(bar_length(0.001, 100.0, 200.0), 1.0);
        assert_eq!(bar_length(0.0, 100.0, 200.0), 0.0);
        assert_eq!(bar_length(-5.0, 100.0, 200.0), 0.0);
        assert_eq!(bar_length(f64::NAN, 100.0, 200.0), 0.0);
        assert_eq!(bar_length(3.0, 0.0, 200.0), 0.0);
    }
}
