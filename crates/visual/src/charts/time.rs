//! Values over time, such as projects started or money paid per month, as columns on a
//! y axis with a few round ticks.

use std::fmt::Write;

use super::bar::empty_chart;
use super::{BAR_FILL, CHART_WIDTH, PADDING, describe};
use crate::svg::{self, INK, MUTED_INK, escape, num};
use crate::text::{Language, estimate_width};

/// One period and its value.
#[derive(Debug, Clone)]
pub struct TimePoint {
    /// The period as the page writes it, such as `2025-03` or `бер 2025`.
    pub label: String,
    /// The height of the column. Columns show amounts, so a negative value is drawn as none.
    pub value: f64,
    /// The value as the page writes it, for the column's hover text and the description.
    pub value_text: String,
}

const HEIGHT: f64 = 220.0;
const AXIS_FONT_SIZE: f64 = 11.0;
/// Room under the plot for the period labels.
const X_LABELS_HEIGHT: f64 = 20.0;
/// About this many intervals between y ticks; the rounding decides the exact number.
const TARGET_INTERVALS: f64 = 4.0;
const GRID: &str = "#d9d9d9";

/// Draws one column per point, in the order given. Period labels are thinned to every second,
/// third… one when they would otherwise overlap; `format_tick` writes the y axis labels.
pub fn time_chart(
    title: &str,
    points: &[TimePoint],
    format_tick: &dyn Fn(f64) -> String,
    language: Language,
) -> String {
    if points.is_empty() {
        return empty_chart(title, language);
    }
    let description = describe(
        points
            .iter()
            .map(|point| (&*point.label, &*point.value_text)),
    );

    let largest = points
        .iter()
        .map(|point| point.value)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let ticks = y_ticks(largest);
    let tick_labels: Vec<String> = ticks.iter().map(|&tick| format_tick(tick)).collect();
    let axis_width = tick_labels
        .iter()
        .map(|label| estimate_width(label, AXIS_FONT_SIZE))
        .fold(0.0, f64::max)
        .ceil();

    let plot = Plot {
        left: PADDING + axis_width + 6.0,
        right: CHART_WIDTH - PADDING,
        top: PADDING + AXIS_FONT_SIZE / 2.0,
        bottom: HEIGHT - PADDING - X_LABELS_HEIGHT,
        top_value: ticks.last().copied().unwrap_or(1.0),
    };

    let (mut out, _) = svg::open(&svg::Head {
        kind: "dv-time",
        role: "img",
        width: CHART_WIDTH,
        height: HEIGHT,
        title,
        description: &description,
    });
    out.push_str(&y_axis(&plot, &ticks, &tick_labels));
    out.push_str(&columns(&plot, points));
    out.push_str(&x_labels(&plot, points));
    out.push_str("</svg>");
    out
}

/// Where the columns go, in viewBox units, and the value at the top of the y axis.
struct Plot {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    top_value: f64,
}

impl Plot {
    fn y_of(&self, value: f64) -> f64 {
        self.bottom - value / self.top_value * (self.bottom - self.top)
    }

    fn slot_width(&self, count: usize) -> f64 {
        (self.right - self.left) / count as f64
    }
}

/// Ticks from zero to at least `largest`, a round step apart (1, 2 or 5 times a power of ten),
/// with the step whose number of intervals comes closest to the target.
fn y_ticks(largest: f64) -> Vec<f64> {
    if largest <= 0.0 {
        return vec![0.0, 1.0];
    }
    let exponent = (largest / TARGET_INTERVALS).log10().floor() as i32;
    // A negative power of ten is applied by dividing, because 0.1 is not exact in binary and
    // 3.0 * 0.2 would come out as 0.6 where 6.0 / 10.0 is 0.6.
    let scaled = |units: f64| {
        if exponent < 0 {
            units / 10f64.powi(-exponent)
        } else {
            units * 10f64.powi(exponent)
        }
    };
    let intervals_for = |factor: f64| (largest / scaled(factor)).ceil();
    let factor = [1.0, 2.0, 5.0, 10.0, 20.0]
        .into_iter()
        .min_by(|&a, &b| {
            let distance = |factor| (intervals_for(factor) - TARGET_INTERVALS).abs();
            // On a tie, fewer intervals read more calmly.
            distance(a).total_cmp(&distance(b)).then(b.total_cmp(&a))
        })
        .unwrap_or(1.0);
    (0..=intervals_for(factor) as usize)
        .map(|i| scaled(i as f64 * factor))
        .collect()
}

fn y_axis(plot: &Plot, ticks: &[f64], labels: &[String]) -> String {
    let mut out = format!(
        r#"<g font-size="{}" fill="{MUTED_INK}" text-anchor="end">"#,
        num(AXIS_FONT_SIZE)
    );
    for (&tick, label) in ticks.iter().zip(labels) {
        let y = plot.y_of(tick);
        let _ = write!(
            out,
            r#"<path d="M{} {}H{}" stroke="{GRID}"/><text x="{}" y="{}">{}</text>"#,
            num(plot.left),
            num(y),
            num(plot.right),
            num(plot.left - 6.0),
            num(y + AXIS_FONT_SIZE * 0.35),
            escape(label)
        );
    }
    let _ = write!(
        out,
        r#"<path d="M{} {}H{}" stroke="{INK}"/></g>"#,
        num(plot.left),
        num(plot.bottom),
        num(plot.right)
    );
    out
}

fn columns(plot: &Plot, points: &[TimePoint]) -> String {
    let slot = plot.slot_width(points.len());
    // A gap of a fifth of the slot separates the columns; very wide slots cap the column.
    let width = (slot * 0.8).min(48.0);
    let mut out = format!(r#"<g fill="{BAR_FILL}">"#);
    for (index, point) in points.iter().enumerate() {
        let value = if point.value.is_finite() {
            point.value.max(0.0)
        } else {
            0.0
        };
        let top = plot.y_of(value);
        let x = plot.left + slot * index as f64 + (slot - width) / 2.0;
        let _ = write!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>"#,
            num(x),
            num(top),
            num(width),
            num(plot.bottom - top),
            escape(&point.label),
            escape(&point.value_text)
        );
    }
    out.push_str("</g>");
    out
}

fn x_labels(plot: &Plot, points: &[TimePoint]) -> String {
    let slot = plot.slot_width(points.len());
    let step = label_step(points, slot);
    let mut out = format!(
        r#"<g font-size="{}" fill="{MUTED_INK}" text-anchor="middle">"#,
        num(AXIS_FONT_SIZE)
    );
    for (index, point) in points.iter().enumerate().step_by(step) {
        let _ = write!(
            out,
            r#"<text x="{}" y="{}">{}</text>"#,
            num(plot.left + slot * (index as f64 + 0.5)),
            num(plot.bottom + X_LABELS_HEIGHT - 4.0),
            escape(&point.label)
        );
    }
    out.push_str("</g>");
    out
}

/// Every how many points a period label is written, so that the widest label and a little
/// space fit between two written labels.
fn label_step(points: &[TimePoint], slot: f64) -> usize {
    let widest = points
        .iter()
        .map(|point| estimate_width(&point.label, AXIS_FONT_SIZE))
        .fold(0.0, f64::max);
    let needed = widest + 8.0;
    ((needed / slot).ceil() as usize).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_largest_value() {
        assert_eq!(y_ticks(87.0), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(y_ticks(100.0), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(y_ticks(1.0), [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(y_ticks(3.0), [0.0, 1.0, 2.0, 3.0]);
        assert_eq!(
            y_ticks(1_250_000.0),
            [0.0, 500_000.0, 1_000_000.0, 1_500_000.0]
        );
        assert_eq!(y_ticks(0.0), [0.0, 1.0]);
    }

    #[test]
    fn labels_are_thinned_only_when_they_would_overlap() {
        let points: Vec<TimePoint> = (1..=36)
            .map(|month| TimePoint {
                label: format!("2025-{month:02}"),
                value: 1.0,
                value_text: "1".into(),
            })
            .collect();
        // Sixty units per slot leave room for every "2025-01".
        assert_eq!(label_step(&points, 60.0), 1);
        // Ten units per slot need every fifth label for the ~41 units a label takes.
        assert_eq!(label_step(&points, 10.0), 5);
    }
}
