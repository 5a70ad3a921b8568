//! The oblast outlines, read once from the shipped GeoJSON, projected, simplified and turned
//! into SVG path data that every map drawing reuses.
//!
//! The source is Natural Earth's first-level divisions (public domain) with KATOTTG codes and
//! names added; `data/SOURCES.md` says where it comes from and how it was prepared.

use std::sync::LazyLock;

use serde_json::Value;

use super::label::interior_point;
use super::path::ring_path;
use super::projection::{Fit, LambertConic, Point};
use super::simplify::{Key, Ring, simplify_rings};

const OBLASTS_GEOJSON: &str = include_str!("../../../../data/geo/ukraine-oblasts.geojson");

/// The width of every map's viewBox; the height follows from the country's shape.
pub(crate) const MAP_WIDTH: f64 = 1000.0;
const MAP_MARGIN: f64 = 6.0;

/// Points closer than this (in viewBox units, about 0.6 km on the ground) to the simplified
/// outline are dropped. At the widths a page shows the map, that is well under a pixel.
const SIMPLIFY_TOLERANCE: f64 = 0.5;

/// The source coordinates have four decimals; keys are the coordinates in those units.
const SOURCE_PRECISION: f64 = 1e4;

/// The KATOTTG code of Kyiv city, which lies inside Kyiv oblast and is drawn after it.
pub(crate) const KYIV_CITY: &str = "UA80000000000093317";

/// One of the 27 first-level units: 24 oblasts, the Autonomous Republic of Crimea, and the
/// cities of Kyiv and Sevastopol.
#[derive(Debug)]
pub struct OblastShape {
    /// The unit's 19-character KATOTTG code, such as `UA32000000000030281`.
    pub code: String,
    /// The two digits after `UA` that every code inside the unit starts with.
    pub region: String,
    pub name_uk: String,
    pub name_en: String,
    /// SVG path data in the map's viewBox, to be filled with `fill-rule="evenodd"`.
    pub path: String,
    /// A point inside the unit, away from its edges, where a label or marker can go.
    pub label_point: (f64, f64),
}

/// Every map's outlines and the placement that produced them.
pub(crate) struct Atlas {
    pub shapes: Vec<OblastShape>,
    pub fit: Fit,
    pub projection: LambertConic,
}

impl Atlas {
    /// Where a longitude and latitude fall in the map's viewBox.
    pub(crate) fn place(&self, longitude: f64, latitude: f64) -> Point {
        self.fit.place(self.projection.project(longitude, latitude))
    }

    pub(crate) fn height(&self) -> f64 {
        self.fit.height
    }
}

pub(crate) static ATLAS: LazyLock<Atlas> = LazyLock::new(|| build_atlas(OBLASTS_GEOJSON));

/// The 27 units in drawing order, Kyiv city last so that it sits above Kyiv oblast.
pub fn oblasts() -> &'static [OblastShape] {
    &ATLAS.shapes
}

/// A unit as read from the file: its properties and polygons of rings in longitude/latitude.
struct SourceUnit {
    code: String,
    region: String,
    name_uk: String,
    name_en: String,
    polygons: Vec<Vec<Vec<(f64, f64)>>>,
}

fn build_atlas(geojson: &str) -> Atlas {
    // The file is part of the binary and checked by the tests, so a failure here is a
    // build defect, not something a running server could recover from.
    let document: Value = serde_json::from_str(geojson).expect("the shipped GeoJSON parses");
    let mut units: Vec<SourceUnit> = document["features"]
        .as_array()
        .expect("the shipped GeoJSON is a FeatureCollection")
        .iter()
        .map(read_unit)
        .collect();
    units.sort_by_key(|unit| unit.code == KYIV_CITY);

    let projection = LambertConic::for_ukraine();
    let all_points = units
        .iter()
        .flat_map(|unit| unit.polygons.iter().flatten().flatten())
        .map(|&(lon, lat)| projection.project(lon, lat));
    let fit = Fit::new(all_points, MAP_WIDTH, MAP_MARGIN);

    let shapes = shape_units(&units, &projection, &fit);
    Atlas {
        shapes,
        fit,
        projection,
    }
}

fn read_unit(feature: &Value) -> SourceUnit {
    let text = |name: &str| {
        feature["properties"][name]
            .as_str()
            .unwrap_or_else(|| panic!("every shipped feature has `{name}`"))
            .to_owned()
    };
    let geometry = &feature["geometry"];
    let polygons = match geometry["type"].as_str() {
        Some("Polygon") => vec![read_polygon(&geometry["coordinates"])],
        Some("MultiPolygon") => geometry["coordinates"]
            .as_array()
            .into_iter()
            .flatten()
            .map(read_polygon)
            .collect(),
        other => panic!("unexpected geometry type {other:?} in the shipped GeoJSON"),
    };
    SourceUnit {
        code: text("katottg"),
        region: text("katottg_region"),
        name_uk: text("name_uk"),
        name_en: text("name_en"),
        polygons,
    }
}

fn read_polygon(polygon: &Value) -> Vec<Vec<(f64, f64)>> {
    let rings = polygon.as_array().into_iter().flatten();
    rings
        .map(|ring| {
            let mut points: Vec<(f64, f64)> = ring
                .as_array()
                .into_iter()
                .flatten()
                .map(|position| {
                    let number = |i: usize| position[i].as_f64().unwrap_or(f64::NAN);
                    (number(0), number(1))
                })
                .collect();
            // GeoJSON repeats the first point at the end; the path's `z` closes it instead.
            if points.len() > 1 && points.first() == points.last() {
                points.pop();
            }
            points
        })
        .collect()
}

/// Projects and simplifies all rings together (so that shared borders stay shared), then writes
/// each unit's path and finds its label point.
fn shape_units(units: &[SourceUnit], projection: &LambertConic, fit: &Fit) -> Vec<OblastShape> {
    let rings: Vec<Ring> = units
        .iter()
        .flat_map(|unit| unit.polygons.iter().flatten())
        .map(|ring| Ring {
            keys: ring.iter().map(|&point| source_key(point)).collect(),
            points: ring
                .iter()
                .map(|&(lon, lat)| fit.place(projection.project(lon, lat)))
                .collect(),
        })
        .collect();
    let mut simplified = simplify_rings(&rings, SIMPLIFY_TOLERANCE).into_iter();

    units
        .iter()
        .map(|unit| {
            let polygons: Vec<Vec<Vec<Point>>> = unit
                .polygons
                .iter()
                .map(|polygon| simplified.by_ref().take(polygon.len()).collect())
                .collect();
            OblastShape {
                code: unit.code.clone(),
                region: unit.region.clone(),
                name_uk: unit.name_uk.clone(),
                name_en: unit.name_en.clone(),
                path: polygons
                    .iter()
                    .flatten()
                    .map(|ring| ring_path(ring))
                    .collect(),
                label_point: label_point(&polygons),
            }
        })
        .collect()
}

fn source_key((lon, lat): (f64, f64)) -> Key {
    (
        (lon * SOURCE_PRECISION).round() as i32,
        (lat * SOURCE_PRECISION).round() as i32,
    )
}

/// The label point of the unit's largest polygon, so that Odesa oblast's label does not land
/// on an island.
fn label_point(polygons: &[Vec<Vec<Point>>]) -> Point {
    let largest = polygons
        .iter()
        .max_by(|a, b| outer_area(a).total_cmp(&outer_area(b)))
        .expect("every unit has a polygon");
    let (x, y) = interior_point(largest);
    ((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0)
}

fn outer_area(polygon: &[Vec<Point>]) -> f64 {
    let ring = &polygon[0];
    let twice_area: f64 = (0..ring.len())
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % ring.len()]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum();
    twice_area.abs() / 2.0
}
