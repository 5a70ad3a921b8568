//! The bar chart, the time chart and the funding bar.

use dream_visual::{
    Bar, Funding, FundingAmount, Language, TimePoint, bar_chart, funding_bar, time_chart,
};

use crate::support::{HOSTILE, assert_accessible, elements, parse, texts};

fn bar(label: &str, value: f64) -> Bar {
    Bar {
        label: label.to_owned(),
        value,
        value_text: format!("{value} шт."),
    }
}

fn month(label: &str, value: f64) -> TimePoint {
    TimePoint {
        label: label.to_owned(),
        value,
        value_text: format!("{value}"),
    }
}

fn amount(label: &str, value: f64) -> FundingAmount {
    FundingAmount {
        label: label.to_owned(),
        value,
        value_text: format!("{value} грн"),
    }
}

fn tick(value: f64) -> String {
    format!("{value}")
}

fn attribute(node: roxmltree::Node, name: &str) -> f64 {
    node.attribute(name).unwrap().parse().unwrap()
}

#[test]
fn a_small_bar_chart_matches_its_snapshot() {
    let svg = bar_chart(
        "Проєкти за секторами",
        &[bar("Освіта", 12.0), bar("Житло", 30.0)],
        Language::Uk,
    );
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/bar_chart.svg");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(path, &svg).unwrap();
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    assert_eq!(
        svg,
        expected.trim_end(),
        "the bar chart changed; if that was meant, run the test with UPDATE_SNAPSHOTS=1 and \
         look at the new tests/snapshots/bar_chart.svg"
    );
}

#[test]
fn bars_are_as_long_as_their_values_and_labelled_for_screen_readers() {
    let svg = bar_chart(
        "Проєкти",
        &[
            bar("Освіта", 10.0),
            bar("Житло", 40.0),
            bar("Енергетика", 0.0),
        ],
        Language::Uk,
    );
    let document = parse(&svg);
    assert_accessible(&document, "Проєкти");

    let widths: Vec<f64> = elements(&document, "rect")
        .map(|rect| attribute(rect, "width"))
        .collect();
    assert_eq!(widths.len(), 3);
    assert!((widths[1] / widths[0] - 4.0).abs() < 0.05, "{widths:?}");
    assert_eq!(widths[2], 0.0);

    let description = elements(&document, "desc").next().unwrap().text().unwrap();
    assert_eq!(
        description,
        "Освіта: 10 шт.; Житло: 40 шт.; Енергетика: 0 шт."
    );
    let visible = texts(&document);
    for text in ["Освіта", "40 шт.", "Енергетика"] {
        assert!(visible.iter().any(|t| t == text), "{text} in {visible:?}");
    }
}

#[test]
fn long_bar_labels_fit_the_left_column_of_a_narrow_chart() {
    let label = "Водопостачання, водовідведення та очищення стічних вод у громадах";
    let svg = bar_chart("Проєкти", &[bar(label, 5.0)], Language::Uk);
    let document = parse(&svg);
    let lines: Vec<_> = elements(&document, "text")
        .filter(|text| attribute(*text, "x") < 10.0)
        .map(|text| text.text().unwrap().to_owned())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[1].ends_with('…'));
    let bar = elements(&document, "rect").next().unwrap();
    assert!(
        attribute(bar, "x") <= 400.0 * 0.4 + 12.0,
        "the bar starts after the labels"
    );

    // Nothing is lost: the hover text keeps the whole label.
    assert!(
        texts(&document)
            .iter()
            .any(|text| text == &format!("{label}: 5 шт."))
    );
}

#[test]
fn time_chart_columns_rise_with_their_values_and_ticks_are_round() {
    let points = [
        month("2025-01", 10.0),
        month("2025-02", 87.0),
        month("2025-03", 0.0),
    ];
    let svg = time_chart("Нові проєкти", &points, &tick, Language::Uk);
    let document = parse(&svg);
    assert_accessible(&document, "Нові проєкти");

    let heights: Vec<f64> = elements(&document, "rect")
        .map(|rect| attribute(rect, "height"))
        .collect();
    assert_eq!(heights.len(), 3);
    assert!((heights[1] / heights[0] - 8.7).abs() < 0.2, "{heights:?}");
    assert_eq!(heights[2], 0.0);

    let visible = texts(&document);
    for tick in [
        "0", "20", "40", "60", "80", "100", "2025-01", "2025-02", "2025-03",
    ] {
        assert!(
            visible.iter().any(|text| text == tick),
            "{tick} in {visible:?}"
        );
    }
}

#[test]
fn time_chart_labels_are_thinned_so_they_do_not_overlap() {
    let points: Vec<TimePoint> = (0..48)
        .map(|index| month(&format!("{}-{:02}", 2022 + index / 12, index % 12 + 1), 1.0))
        .collect();
    let svg = time_chart("Проєкти", &points, &tick, Language::Uk);
    let document = parse(&svg);
    let label_positions: Vec<f64> = elements(&document, "text")
        .filter(|text| text.text().is_some_and(|t| t.starts_with("20")))
        .map(|text| attribute(text, "x"))
        .collect();
    assert!(
        label_positions.len() < 48 && label_positions.len() >= 4,
        "{label_positions:?}"
    );
    let label_width = 7.0 * 11.0 * 0.56;
    assert!(
        label_positions
            .windows(2)
            .all(|pair| pair[1] - pair[0] > label_width)
    );
}

#[test]
fn empty_charts_are_valid_and_say_there_is_no_data() {
    for (svg, note) in [
        (bar_chart("Порожньо", &[], Language::Uk), "Немає даних"),
        (time_chart("Empty", &[], &tick, Language::En), "No data"),
    ] {
        let document = parse(&svg);
        let shown =
            elements(&document, "text").find(|text| text.attribute("class") == Some("dv-no-data"));
        assert_eq!(shown.and_then(|text| text.text()), Some(note));
        assert_eq!(elements(&document, "rect").count(), 0);
    }
}

#[test]
fn chart_texts_from_callers_are_escaped() {
    let svgs = [
        bar_chart(
            HOSTILE,
            &[Bar {
                label: HOSTILE.into(),
                value: 1.0,
                value_text: HOSTILE.into(),
            }],
            Language::Uk,
        ),
        time_chart(
            HOSTILE,
            &[TimePoint {
                label: HOSTILE.into(),
                value: 1.0,
                value_text: HOSTILE.into(),
            }],
            &|_| HOSTILE.to_owned(),
            Language::Uk,
        ),
        funding_bar(
            HOSTILE,
            &Funding {
                need: amount(HOSTILE, 1.0),
                secured: amount(HOSTILE, 1.0),
                contracted: None,
                paid: None,
            },
        ),
    ];
    for svg in svgs {
        assert!(!svg.contains("<script"));
        let document = parse(&svg);
        assert_accessible(&document, HOSTILE);
        assert!(texts(&document).iter().any(|text| text.contains(HOSTILE)));
    }
}

#[test]
fn the_funding_bar_fills_in_proportion_to_the_need() {
    let funding = Funding {
        need: amount("Потреба", 1000.0),
        secured: amount("Забезпечено", 800.0),
        contracted: Some(amount("Законтрактовано", 500.0)),
        paid: Some(amount("Сплачено", 200.0)),
    };
    let svg = funding_bar("Фінансування", &funding);
    let document = parse(&svg);
    assert_accessible(&document, "Фінансування");

    // The track, the three amounts largest first, then the outline.
    let widths: Vec<f64> = elements(&document, "rect")
        .take(5)
        .map(|rect| attribute(rect, "width"))
        .collect();
    let track = widths[0];
    assert_eq!(widths[4], track);
    for (width, share) in widths[1..4].iter().zip([0.8, 0.5, 0.2]) {
        assert!((width / track - share).abs() < 0.001, "{widths:?}");
    }
    assert_eq!(
        elements(&document, "path").count(),
        0,
        "no need marker when the need is the full scale"
    );

    let description = elements(&document, "desc").next().unwrap().text().unwrap();
    assert_eq!(
        description,
        "Потреба: 1000 грн; Забезпечено: 800 грн; Законтрактовано: 500 грн; Сплачено: 200 грн"
    );
}

#[test]
fn an_overfunded_project_shows_where_the_need_ends() {
    let funding = Funding {
        need: amount("Потреба", 600.0),
        secured: amount("Забезпечено", 1200.0),
        contracted: None,
        paid: None,
    };
    let svg = funding_bar("Фінансування", &funding);
    let document = parse(&svg);
    let widths: Vec<f64> = elements(&document, "rect")
        .take(2)
        .map(|rect| attribute(rect, "width"))
        .collect();
    assert_eq!(
        widths[0], widths[1],
        "the secured amount fills the whole bar"
    );
    let marker = elements(&document, "path")
        .next()
        .expect("a line where the need ends");
    let x: f64 = marker.attribute("d").unwrap()[1..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((x - (6.0 + widths[0] / 2.0)).abs() < 0.1, "{x}");
}
