//! The oblast map of the portal: each oblast coloured by a value (projects, money), linked to
//! its page, with a legend of the classes below the map.

use std::collections::HashMap;
use std::fmt::Write;

use super::atlas::{ATLAS, MAP_WIDTH, OblastShape, oblasts};
use crate::scale::{BORDER, Classes};
use crate::svg::{self, INK, escape, num};
use crate::text::{Language, estimate_width};

/// One oblast's value on the map.
#[derive(Debug, Clone)]
pub struct MapRegion<'a> {
    /// The oblast's 19-character KATOTTG code, as in [`OblastShape::code`]. Values for codes
    /// that are not one of the 27 units are ignored.
    pub code: &'a str,
    /// The number that picks the oblast's colour. A value that is not finite counts as missing.
    pub value: f64,
    /// What the oblast's hover text and accessible name say, such as
    /// "Київська область: 1 234 проєкти".
    pub label: String,
    /// Where the oblast links to: a path on the site (`/…`), `#…`, `?…` or an `http(s)://`
    /// address. Without one, or with any other kind, the oblast is drawn but not a link.
    pub href: Option<String>,
}

/// What the map says around its oblasts.
pub struct MapOptions<'a> {
    pub title: &'a str,
    /// A sentence or two for people who cannot see the map, such as where most projects are.
    pub description: &'a str,
    pub legend_title: &'a str,
    /// The language of the oblast names and of the "no data" wording.
    pub language: Language,
    /// Writes a value for the legend, such as `1 234` or `12,5 млн грн`.
    pub format_value: &'a dyn Fn(f64) -> String,
}

const LEGEND_FONT_SIZE: f64 = 24.0;
const LEGEND_ROW: f64 = 36.0;
const SWATCH_WIDTH: f64 = 36.0;
const SWATCH_HEIGHT: f64 = 24.0;

/// Styles for keyboard focus and hover. They are scoped to `.dv-map` because a `<style>` inside
/// inline SVG applies to the whole page.
const MAP_STYLE: &str = "<style>.dv-map a{cursor:pointer}.dv-map a:focus{outline:none}\
.dv-map .dv-link:focus-visible path,.dv-map .dv-link:hover path\
{stroke:#000;stroke-width:5}</style>";

/// Draws the choropleth of all 27 units. Units without a value are grey and hatched, so that
/// "no data" is not mistaken for the lowest class.
///
/// The `<svg>` has `role="group"` rather than `role="img"`: an image's children are hidden from
/// assistive technology, and the oblast links must stay reachable.
pub fn oblast_map(regions: &[MapRegion], options: &MapOptions) -> String {
    // Reversed so that, should a code appear twice, its first value wins.
    let by_code: HashMap<&str, &MapRegion> = regions
        .iter()
        .rev()
        .map(|region| (region.code, region))
        .collect();
    let classes = Classes::of(
        oblasts()
            .iter()
            .filter_map(|shape| by_code.get(shape.code.as_str()))
            .map(|region| region.value),
    );

    let map_height = ATLAS.height();
    let legend = Legend::new(&classes, &by_code, options);
    let (mut out, id) = svg::open(&svg::Head {
        kind: "dv-map",
        role: "group",
        width: MAP_WIDTH,
        height: map_height + legend.height(),
        title: options.title,
        description: options.description,
    });
    out.push_str(MAP_STYLE);
    out.push_str(&no_data_pattern(&id));

    let _ = write!(
        out,
        r#"<g stroke="{BORDER}" stroke-width="0.8" stroke-linejoin="round" fill-rule="evenodd">"#
    );
    for shape in oblasts() {
        let region = by_code.get(shape.code.as_str()).copied();
        out.push_str(&oblast(shape, region, &classes, &id, options.language));
    }
    out.push_str("</g>");

    out.push_str(&legend.render(map_height, &id));
    out.push_str("</svg>");
    out
}

/// A diagonal hatch on light grey: readable as "nothing here" without relying on colour.
fn no_data_pattern(id: &str) -> String {
    format!(
        "<defs><pattern id=\"{id}-nd\" width=\"10\" height=\"10\" \
        patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect \
        width=\"10\" height=\"10\" fill=\"#f0f0f0\"/><path d=\"M0 0v10\" stroke=\"#a6a6a6\" \
        stroke-width=\"3\"/></pattern></defs>"
    )
}

fn oblast(
    shape: &OblastShape,
    region: Option<&MapRegion>,
    classes: &Classes,
    id: &str,
    language: Language,
) -> String {
    let class = region.and_then(|region| classes.class_of(region.value));
    let fill = match class {
        Some(class) => classes.fill(class).to_owned(),
        None => format!("url(#{id}-nd)"),
    };
    let name = match region {
        Some(region) => region.label.clone(),
        None => format!(
            "{}: {}",
            shape_name(shape, language),
            no_data_lowercase(language)
        ),
    };
    let title = format!("<title>{}</title>", escape(&name));
    let path_start = format!(
        r#"<path data-katottg="{}" fill="{fill}" d="{}""#,
        shape.code, shape.path
    );
    match region
        .and_then(|region| region.href.as_deref())
        .filter(|href| is_safe_href(href))
    {
        Some(href) => format!(
            r#"<a href="{}" class="dv-link">{title}{path_start}/></a>"#,
            escape(href)
        ),
        None => format!("{path_start}>{title}</path>"),
    }
}

/// Whether a link may be drawn: a path on this site, a fragment, a query, or a web address.
/// Anything else, `javascript:` above all, is left out, since a map link is never meant to run
/// code and a mistake in a caller's data should not turn into one.
fn is_safe_href(href: &str) -> bool {
    let lowercase = href.trim_start().to_ascii_lowercase();
    ["/", "#", "?", "https://", "http://"]
        .iter()
        .any(|start| lowercase.starts_with(start))
        && !lowercase.starts_with("//")
}

fn shape_name(shape: &OblastShape, language: Language) -> &str {
    match language {
        Language::Uk => &shape.name_uk,
        Language::En => &shape.name_en,
    }
}

fn no_data_lowercase(language: Language) -> String {
    let words = language.no_data();
    let mut characters = words.chars();
    characters
        .next()
        .map(|first| first.to_lowercase().chain(characters).collect())
        .unwrap_or_default()
}

/// The legend under the map: a title, then one swatch per class and one for "no data", in two
/// columns when the texts are short enough and in one otherwise.
struct Legend<'a> {
    title: &'a str,
    items: Vec<(Option<&'static str>, String)>,
    columns: usize,
    empty_note: Option<&'static str>,
}

impl<'a> Legend<'a> {
    fn new(
        classes: &Classes,
        by_code: &HashMap<&str, &MapRegion>,
        options: &MapOptions<'a>,
    ) -> Self {
        let format = options.format_value;
        let mut items: Vec<(Option<&'static str>, String)> = classes
            .ranges()
            .iter()
            .enumerate()
            .map(|(class, &(low, high))| {
                let text = if low == high {
                    format(low)
                } else {
                    format!("{} – {}", format(low), format(high))
                };
                (Some(classes.fill(class)), text)
            })
            .collect();

        let any_missing = oblasts().iter().any(|shape| {
            by_code
                .get(shape.code.as_str())
                .is_none_or(|region| !region.value.is_finite())
        });
        let empty_note = classes
            .ranges()
            .is_empty()
            .then(|| options.language.no_data());
        if any_missing && empty_note.is_none() {
            items.push((None, options.language.no_data().to_owned()));
        }

        let column_width = MAP_WIDTH / 2.0 - SWATCH_WIDTH - 40.0;
        let fits_two_columns = items
            .iter()
            .all(|(_, text)| estimate_width(text, LEGEND_FONT_SIZE) <= column_width);
        Legend {
            title: options.legend_title,
            items,
            columns: if fits_two_columns { 2 } else { 1 },
            empty_note,
        }
    }

    fn rows(&self) -> usize {
        self.items.len().div_ceil(self.columns)
    }

    fn height(&self) -> f64 {
        let rows = if self.empty_note.is_some() {
            1
        } else {
            self.rows()
        };
        LEGEND_ROW * (rows as f64 + 1.0) + 16.0
    }

    fn render(&self, top: f64, id: &str) -> String {
        let mut out = String::from(r#"<g class="dv-legend">"#);
        let _ = write!(
            out,
            r#"<text x="12" y="{}" font-size="{}" font-weight="bold">{}</text>"#,
            num(top + LEGEND_ROW * 0.7),
            num(LEGEND_FONT_SIZE),
            escape(self.title)
        );
        if let Some(note) = self.empty_note {
            out.push_str(&svg::no_data_note(
                MAP_WIDTH / 2.0,
                top + LEGEND_ROW * 1.7,
                LEGEND_FONT_SIZE,
                note,
            ));
        }

        // Column by column, so that the classes read from low to high downwards.
        let rows = self.rows().max(1);
        for (index, (fill, text)) in self.items.iter().enumerate() {
            let x = 12.0 + (index / rows) as f64 * MAP_WIDTH / 2.0;
            let y = top + LEGEND_ROW * (1.0 + (index % rows) as f64) + 8.0;
            let fill = fill.map_or_else(|| format!("url(#{id}-nd)"), str::to_owned);
            out.push_str(&legend_item(x, y, &fill, text));
        }
        out.push_str("</g>");
        out
    }
}

/// One swatch of the legend with its text to the right.
fn legend_item(x: f64, y: f64, fill: &str, text: &str) -> String {
    format!(
        "<rect x=\"{}\" y=\"{}\" width=\"{SWATCH_WIDTH}\" height=\"{SWATCH_HEIGHT}\" \
        fill=\"{fill}\" stroke=\"{BORDER}\" stroke-width=\"1\"/><text x=\"{}\" y=\"{}\" \
        font-size=\"{}\" fill=\"{INK}\">{}</text>",
        num(x),
        num(y),
        num(x + SWATCH_WIDTH + 14.0),
        num(y + SWATCH_HEIGHT * 0.85),
        num(LEGEND_FONT_SIZE),
        escape(text)
    )
}
