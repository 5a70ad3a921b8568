//! The map projection: a Lambert conformal conic with standard parallels through the north and
//! south of Ukraine, which keeps shapes true and areas within a few percent across the country.

use std::f64::consts::FRAC_PI_4;

/// A point in the plane, in whatever units the context says (projected or viewBox).
pub(crate) type Point = (f64, f64);

/// Standard parallels at about one sixth of the country's latitude span from each edge
/// (44.4° N to 52.4° N), the usual choice that spreads the scale error evenly.
const SOUTH_PARALLEL: f64 = 45.7;
const NORTH_PARALLEL: f64 = 51.0;
const ORIGIN_LATITUDE: f64 = 48.5;
const CENTRAL_MERIDIAN: f64 = 31.5;

/// The constants of the projection, derived once from the parallels above.
pub(crate) struct LambertConic {
    cone: f64,
    scale: f64,
    origin_radius: f64,
}

impl LambertConic {
    pub(crate) fn for_ukraine() -> Self {
        let (south, north) = (SOUTH_PARALLEL.to_radians(), NORTH_PARALLEL.to_radians());
        let cone =
            (south.cos() / north.cos()).ln() / (isometric(north).ln() - isometric(south).ln());
        let scale = south.cos() * isometric(south).powf(cone) / cone;
        let origin_radius = scale / isometric(ORIGIN_LATITUDE.to_radians()).powf(cone);
        LambertConic {
            cone,
            scale,
            origin_radius,
        }
    }

    /// Projects longitude and latitude in degrees to a plane with north up (y grows northward),
    /// in units of the Earth's radius.
    pub(crate) fn project(&self, longitude: f64, latitude: f64) -> Point {
        let radius = self.scale / isometric(latitude.to_radians()).powf(self.cone);
        let angle = self.cone * (longitude - CENTRAL_MERIDIAN).to_radians();
        (
            radius * angle.sin(),
            self.origin_radius - radius * angle.cos(),
        )
    }
}

fn isometric(latitude: f64) -> f64 {
    (FRAC_PI_4 + latitude / 2.0).tan()
}

/// Places projected points in a viewBox: scaled to the wanted width, y flipped to grow
/// downward as SVG expects, with a margin so that outlines are not clipped at the edges.
#[derive(Clone, Copy)]
pub(crate) struct Fit {
    scale: f64,
    west: f64,
    north: f64,
    margin: f64,
    pub height: f64,
}

impl Fit {
    pub(crate) fn new(points: impl Iterator<Item = Point>, width: f64, margin: f64) -> Self {
        let (mut west, mut east) = (f64::INFINITY, f64::NEG_INFINITY);
        let (mut south, mut north) = (f64::INFINITY, f64::NEG_INFINITY);
        for (x, y) in points {
            west = west.min(x);
            east = east.max(x);
            south = south.min(y);
            north = north.max(y);
        }
        let scale = (width - 2.0 * margin) / (east - west);
        let height = ((north - south) * scale + 2.0 * margin).ceil();
        Fit {
            scale,
            west,
            north,
            margin,
            height,
        }
    }

    pub(crate) fn place(&self, (x, y): Point) -> Point {
        (
            (x - self.west) * self.scale + self.margin,
            (self.north - y) * self.scale + self.margin,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_origin_projects_to_zero_and_north_is_up() {
        let projection = LambertConic::for_ukraine();
        let (x, y) = projection.project(CENTRAL_MERIDIAN, ORIGIN_LATITUDE);
        assert!(x.abs() < 1e-12 && y.abs() < 1e-12);
        let (_, north) = projection.project(CENTRAL_MERIDIAN, 50.0);
        assert!(north > 0.0);
    }

    #[test]
    fn the_projection_is_conformal_at_a_standard_parallel() {
        // Along a standard parallel the scale is one in every direction; a small step east and
        // a small step north must come out the same length when scaled by the cosine.
        let projection = LambertConic::for_ukraine();
        let step = 1e-4;
        let origin = projection.project(30.0, SOUTH_PARALLEL);
        let east = projection.project(30.0 + step, SOUTH_PARALLEL);
        let north = projection.project(30.0, SOUTH_PARALLEL + step);
        let east_length = (east.0 - origin.0).hypot(east.1 - origin.1);
        let north_length = (north.0 - origin.0).hypot(north.1 - origin.1);
        let expected_east = north_length * SOUTH_PARALLEL.to_radians().cos();
        assert!((east_length / expected_east - 1.0).abs() < 1e-3);
    }
}
