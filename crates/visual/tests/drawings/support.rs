//! Helpers shared by the drawing tests: parsing SVG, and reading back the path data that the
//! maps write.

use roxmltree::{Document, Node};

pub const HOSTILE: &str = r#"<script>alert("x")</script> & 'quoted' "#;

/// Parses a drawing, failing the test with the parser's message when it is not well-formed.
pub fn parse(svg: &str) -> Document<'_> {
    let document = Document::parse(svg).unwrap_or_else(|error| panic!("not XML: {error}\n{svg}"));
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    document
}

pub fn elements<'a, 'input>(
    document: &'a Document<'input>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    document
        .descendants()
        .filter(move |node| node.is_element() && node.tag_name().name() == name)
}

/// The text of every `<title>`, `<desc>` and `<text>` element, in document order.
pub fn texts(document: &Document) -> Vec<String> {
    document
        .descendants()
        .filter(|node| matches!(node.tag_name().name(), "title" | "desc" | "text"))
        .map(|node| node.text().unwrap_or_default().to_owned())
        .collect()
}

/// Checks what every drawing must have: a role, a title that `aria-labelledby` points to, and
/// no element that could run script.
pub fn assert_accessible(document: &Document, expected_title: &str) {
    let root = document.root_element();
    assert!(matches!(root.attribute("role"), Some("img" | "group")));
    let title_id = root.attribute("aria-labelledby").expect("aria-labelledby");
    let title = document
        .descendants()
        .find(|node| node.attribute("id") == Some(title_id))
        .expect("the element aria-labelledby names");
    assert_eq!(title.tag_name().name(), "title");
    assert_eq!(title.text(), Some(expected_title));
    assert_eq!(elements(document, "script").count(), 0);
    assert_eq!(elements(document, "foreignObject").count(), 0);
}

/// The rings of a map path as written by the maps: `M x y l dx dy … z`, repeated.
pub fn rings_of_path(data: &str) -> Vec<Vec<(f64, f64)>> {
    data.split('z')
        .filter(|ring| !ring.is_empty())
        .map(|ring| {
            let ring = ring.strip_prefix('M').expect("each ring starts with M");
            let (start, steps) = ring.split_once('l').expect("each ring has steps");
            let start = numbers(start);
            let mut point = (start[0], start[1]);
            let mut points = vec![point];
            for step in numbers(steps).chunks(2) {
                point = (point.0 + step[0], point.1 + step[1]);
                points.push(point);
            }
            points
        })
        .collect()
}

/// Splits `1.5-2 3` into 1.5, -2, 3: a minus sign starts a new number, as in SVG.
fn numbers(text: &str) -> Vec<f64> {
    text.replace('-', " -")
        .split_whitespace()
        .map(|number| {
            number
                .parse()
                .unwrap_or_else(|_| panic!("bad number {number:?}"))
        })
        .collect()
}

/// Whether a point lies inside rings filled with the even-odd rule.
pub fn inside(rings: &[Vec<(f64, f64)>], (x, y): (f64, f64)) -> bool {
    let mut crossings = 0;
    for ring in rings {
        for index in 0..ring.len() {
            let (a, b) = (ring[index], ring[(index + 1) % ring.len()]);
            if (a.1 > y) != (b.1 > y) && x < a.0 + (y - a.1) * (b.0 - a.0) / (b.1 - a.1) {
                crossings += 1;
            }
        }
    }
    crossings % 2 == 1
}
