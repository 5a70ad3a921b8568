//! The oblast map and the location map.

use std::collections::HashSet;
use std::io::Write;

use dream_visual::{Language, MapOptions, MapRegion, location_map, oblast_map, oblasts};
use flate2::{Compression, write::GzEncoder};

use crate::support::{HOSTILE, assert_accessible, elements, inside, parse, rings_of_path, texts};

const KYIV_OBLAST: &str = "UA32000000000030281";
const KYIV_CITY: &str = "UA80000000000093317";
const LVIV_OBLAST: &str = "UA46000000000026241";

fn plain(value: f64) -> String {
    format!("{value}")
}

fn options(language: Language) -> MapOptions<'static> {
    MapOptions {
        title: "Проєкти за областями",
        description: "Скільки проєктів у кожній області",
        legend_title: "Проєкти",
        language,
        format_value: &plain,
    }
}

fn region(code: &str, value: f64) -> MapRegion<'_> {
    MapRegion {
        code,
        value,
        label: format!("{code}: {value}"),
        href: Some(format!("/oblasts/{code}")),
    }
}

/// The fill of each oblast, by its code.
fn fills(svg: &str) -> Vec<(String, String)> {
    let document = parse(svg);
    elements(&document, "path")
        .filter_map(|path| {
            let code = path.attribute("data-katottg")?;
            Some((code.to_owned(), path.attribute("fill")?.to_owned()))
        })
        .collect()
}

fn fill_of<'a>(fills: &'a [(String, String)], code: &str) -> &'a str {
    &fills
        .iter()
        .find(|(c, _)| c == code)
        .expect("the oblast is drawn")
        .1
}

#[test]
fn oblasts_lists_the_27_units_with_their_codes_and_names() {
    let shapes = oblasts();
    assert_eq!(shapes.len(), 27);
    let codes: HashSet<&str> = shapes.iter().map(|shape| shape.code.as_str()).collect();
    assert_eq!(codes.len(), 27);
    for shape in shapes {
        assert_eq!(shape.code.len(), 19, "{}", shape.code);
        assert_eq!(&shape.code[2..4], shape.region);
        assert!(!shape.name_uk.is_empty() && !shape.name_en.is_empty());
    }
    let lviv = shapes
        .iter()
        .find(|shape| shape.code == LVIV_OBLAST)
        .unwrap();
    assert_eq!(lviv.name_uk, "Львівська область");
    assert_eq!(lviv.name_en, "Lviv Oblast");
}

#[test]
fn every_label_point_lies_inside_its_own_oblast() {
    for shape in oblasts() {
        let rings = rings_of_path(&shape.path);
        assert!(
            inside(&rings, shape.label_point),
            "{} {:?}",
            shape.name_en,
            shape.label_point
        );
    }
}

#[test]
fn the_map_draws_all_27_oblasts_each_with_its_code_and_a_path() {
    let regions: Vec<MapRegion> = oblasts()
        .iter()
        .map(|shape| region(&shape.code, 1.0))
        .collect();
    let svg = oblast_map(&regions, &options(Language::Uk));
    let document = parse(&svg);
    assert_accessible(&document, "Проєкти за областями");

    let drawn: Vec<(&str, &str)> = elements(&document, "path")
        .filter_map(|path| Some((path.attribute("data-katottg")?, path.attribute("d")?)))
        .collect();
    assert_eq!(drawn.len(), 27);
    let codes: HashSet<&str> = drawn.iter().map(|(code, _)| *code).collect();
    let expected: HashSet<&str> = oblasts().iter().map(|shape| shape.code.as_str()).collect();
    assert_eq!(codes, expected);
    assert!(
        drawn
            .iter()
            .all(|(_, data)| data.starts_with('M') && data.ends_with('z'))
    );

    // Every oblast is a link with its label as its accessible name.
    let links: Vec<_> = elements(&document, "a").collect();
    assert_eq!(links.len(), 27);
    for link in links {
        assert_eq!(link.attribute("class"), Some("dv-link"));
        let title = link.first_element_child().expect("a title");
        assert_eq!(title.tag_name().name(), "title");
        let path = link.last_element_child().unwrap();
        let code = path.attribute("data-katottg").unwrap();
        assert_eq!(title.text(), Some(format!("{code}: 1").as_str()));
        assert_eq!(
            link.attribute("href"),
            Some(format!("/oblasts/{code}").as_str())
        );
    }
}

#[test]
fn kyiv_city_is_drawn_after_kyiv_oblast_and_fills_its_hole() {
    let svg = oblast_map(&[], &options(Language::Uk));
    let oblast_position = svg.find(KYIV_OBLAST).unwrap();
    let city_position = svg.find(KYIV_CITY).unwrap();
    assert!(oblast_position < city_position);

    let shape = |code| oblasts().iter().find(|shape| shape.code == code).unwrap();
    let city_label = shape(KYIV_CITY).label_point;
    let oblast_rings = rings_of_path(&shape(KYIV_OBLAST).path);
    assert_eq!(
        oblast_rings.len(),
        2,
        "Kyiv oblast is an outline with one hole"
    );
    assert!(
        !inside(&oblast_rings, city_label),
        "the city is in the oblast's hole"
    );
}

#[test]
fn oblasts_are_coloured_by_quantile_class_and_missing_ones_are_hatched() {
    let shapes = oblasts();
    let regions: Vec<MapRegion> = shapes[..10]
        .iter()
        .zip(1..)
        .map(|(shape, value)| region(&shape.code, f64::from(value)))
        .collect();
    let svg = oblast_map(&regions, &options(Language::Uk));
    let fills = fills(&svg);

    // Ten values make five classes of two, from the lightest blue to the darkest.
    let expected = [
        "#e3eef8", "#e3eef8", "#b3d1ea", "#b3d1ea", "#7cb0da", "#7cb0da", "#4a8dc6", "#4a8dc6",
        "#2a6fb0", "#2a6fb0",
    ];
    for (shape, colour) in shapes[..10].iter().zip(expected) {
        assert_eq!(fill_of(&fills, &shape.code), colour, "{}", shape.name_en);
    }
    for shape in &shapes[10..] {
        let fill = fill_of(&fills, &shape.code);
        assert!(
            fill.starts_with("url(#") && fill.ends_with("-nd)"),
            "{fill}"
        );
    }

    // The legend names each class by the values in it, written by the caller's formatter.
    let legend = texts(&parse(&svg));
    for range in ["1 – 2", "3 – 4", "5 – 6", "7 – 8", "9 – 10", "Немає даних"] {
        assert!(
            legend.iter().any(|text| text == range),
            "{range} in {legend:?}"
        );
    }
}

#[test]
fn values_that_are_not_numbers_and_unknown_codes_count_as_missing() {
    let regions = [
        region(LVIV_OBLAST, f64::NAN),
        region("UA99000000000000000", 5.0),
    ];
    let svg = oblast_map(&regions, &options(Language::En));
    assert!(fill_of(&fills(&svg), LVIV_OBLAST).starts_with("url(#"));
    assert!(texts(&parse(&svg)).iter().any(|text| text == "No data"));
}

#[test]
fn an_empty_map_is_valid_and_says_there_is_no_data() {
    let svg = oblast_map(&[], &options(Language::En));
    let document = parse(&svg);
    assert_accessible(&document, "Проєкти за областями");
    let note = elements(&document, "text")
        .find(|text| text.attribute("class") == Some("dv-no-data"))
        .expect("a no-data note");
    assert_eq!(note.text(), Some("No data"));
    assert_eq!(elements(&document, "a").count(), 0);
    let unlinked = elements(&document, "path").filter(|p| p.has_attribute("data-katottg"));
    assert_eq!(unlinked.count(), 27);
    assert!(
        texts(&document)
            .iter()
            .any(|text| text == "Lviv Oblast: no data")
    );
}

#[test]
fn hostile_labels_and_links_are_escaped_or_dropped() {
    let hostile_options = MapOptions {
        title: HOSTILE,
        description: HOSTILE,
        legend_title: HOSTILE,
        language: Language::Uk,
        format_value: &|_| HOSTILE.to_owned(),
    };
    let regions = [
        MapRegion {
            code: LVIV_OBLAST,
            value: 1.0,
            label: HOSTILE.to_owned(),
            href: Some("/search?q=a&b=\"c\"".to_owned()),
        },
        MapRegion {
            code: KYIV_OBLAST,
            value: 2.0,
            label: "Київська область".to_owned(),
            href: Some(" JavaScript:alert(1)".to_owned()),
        },
    ];
    let svg = oblast_map(&regions, &hostile_options);
    assert!(!svg.contains("<script"));
    assert!(!svg.to_lowercase().contains("javascript:"));

    let document = parse(&svg);
    assert_accessible(&document, HOSTILE);
    let links: Vec<_> = elements(&document, "a").collect();
    assert_eq!(links.len(), 1, "the javascript: link is not drawn");
    assert_eq!(links[0].attribute("href"), Some("/search?q=a&b=\"c\""));
    assert!(
        texts(&document)
            .iter()
            .filter(|text| *text == HOSTILE)
            .count()
            >= 3
    );
}

#[test]
fn the_map_stays_small_enough_for_the_home_page() {
    let regions: Vec<MapRegion> = oblasts()
        .iter()
        .zip(1..)
        .map(|(shape, value)| region(&shape.code, f64::from(value)))
        .collect();
    let svg = oblast_map(&regions, &options(Language::Uk));
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(svg.as_bytes()).unwrap();
    let compressed = encoder.finish().unwrap().len();
    println!(
        "oblast map: {} bytes, {compressed} bytes gzip-compressed",
        svg.len()
    );
    assert!(svg.len() < 60_000, "{} bytes", svg.len());
    assert!(compressed < 20_000, "{compressed} bytes compressed");
}

#[test]
fn the_location_map_highlights_the_oblast_of_any_code_inside_it() {
    // A hromada in Lviv oblast.
    let svg = location_map("UA46060250000025047", None, "Львів");
    let document = parse(&svg);
    assert_accessible(&document, "Львів");
    let highlighted: Vec<_> = elements(&document, "path")
        .filter_map(|path| path.attribute("data-katottg"))
        .collect();
    assert_eq!(highlighted, [LVIV_OBLAST]);
    assert_eq!(elements(&document, "path").count(), 27);
    assert_eq!(elements(&document, "circle").count(), 0);
}

#[test]
fn the_location_marker_for_kyiv_lands_in_kyiv_city() {
    let svg = location_map(KYIV_CITY, Some((30.5234, 50.4501)), "Київ");
    let document = parse(&svg);
    let marker = elements(&document, "circle").next().expect("a marker");
    let coordinate = |name| marker.attribute(name).unwrap().parse::<f64>().unwrap();
    let point = (coordinate("cx"), coordinate("cy"));

    let city = oblasts()
        .iter()
        .find(|shape| shape.code == KYIV_CITY)
        .unwrap();
    assert!(inside(&rings_of_path(&city.path), point), "{point:?}");
}

#[test]
fn the_location_map_leaves_out_what_it_cannot_place() {
    let far_away = location_map("UA46000000000026241", Some((-74.0, 40.7)), "New York");
    assert_eq!(elements(&parse(&far_away), "circle").count(), 0);
    let not_a_number = location_map("UA46000000000026241", Some((f64::NAN, 50.0)), "?");
    assert_eq!(elements(&parse(&not_a_number), "circle").count(), 0);

    let unknown = location_map("not a code", None, HOSTILE);
    let document = parse(&unknown);
    assert_accessible(&document, HOSTILE);
    assert!(elements(&document, "path").all(|path| !path.has_attribute("data-katottg")));
}
