//! A point inside a polygon where its label or marker can go.
//!
//! The centroid of a crescent or of a ring with a hole (Kyiv oblast around Kyiv city) can fall
//! outside the shape, so this looks for the widest horizontal run through the polygon near its
//! middle, then centres the point vertically within the shape at that run's middle.

use super::projection::Point;

/// How many horizontal lines are tried across the middle part of the polygon's height.
const SCANLINES: usize = 24;

/// A point inside `polygon` (outer ring first, then holes), preferring wide, central places.
pub(crate) fn interior_point(polygon: &[Vec<Point>]) -> Point {
    let (top, bottom) = vertical_extent(&polygon[0]);
    let middle = (top + bottom) / 2.0;
    let half_height = (bottom - top) / 2.0;

    let mut best: Option<(f64, Point)> = None;
    for step in 0..=SCANLINES {
        let y = top + (bottom - top) * (0.15 + 0.7 * step as f64 / SCANLINES as f64);
        for (left, right) in runs(polygon, y, |p| p) {
            // A run far from the middle counts for less, so labels do not drift to a lobe.
            let off_centre = (y - middle).abs() / half_height;
            let score = (right - left) * (1.0 - 0.5 * off_centre);
            if best.is_none_or(|(best_score, _)| score > best_score) {
                best = Some((score, ((left + right) / 2.0, y)));
            }
        }
    }
    let Some((_, (x, y))) = best else {
        return polygon[0][0];
    };

    // Centre vertically within the run that crosses the chosen point, looking along x.
    let column = runs(polygon, x, |(px, py)| (py, px));
    column
        .into_iter()
        .find(|&(low, high)| low <= y && y <= high)
        .map_or((x, y), |(low, high)| (x, (low + high) / 2.0))
}

fn vertical_extent(ring: &[Point]) -> (f64, f64) {
    ring.iter().fold(
        (f64::INFINITY, f64::NEG_INFINITY),
        |(low, high), &(_, y)| (low.min(y), high.max(y)),
    )
}

/// The inside stretches of the line `second coordinate = at`, after `swap` picks which axis is
/// which; crossings of all rings are paired up, which is the even-odd rule.
fn runs(polygon: &[Vec<Point>], at: f64, swap: impl Fn(Point) -> Point) -> Vec<(f64, f64)> {
    let mut crossings: Vec<f64> = Vec::new();
    for ring in polygon {
        for index in 0..ring.len() {
            let (ax, ay) = swap(ring[index]);
            let (bx, by) = swap(ring[(index + 1) % ring.len()]);
            if (ay <= at) != (by <= at) {
                crossings.push(ax + (at - ay) * (bx - ax) / (by - ay));
            }
        }
    }
    crossings.sort_by(f64::total_cmp);
    crossings
        .chunks_exact(2)
        .map(|pair| (pair[0], pair[1]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64, y: f64, size: f64) -> Vec<Point> {
        vec![(x, y), (x + size, y), (x + size, y + size), (x, y + size)]
    }

    fn inside(polygon: &[Vec<Point>], point: Point) -> bool {
        runs(polygon, point.1, |p| p)
            .iter()
            .any(|&(left, right)| left < point.0 && point.0 < right)
    }

    #[test]
    fn the_point_of_a_square_is_its_centre() {
        assert_eq!(interior_point(&[square(0.0, 0.0, 10.0)]), (5.0, 5.0));
    }

    #[test]
    fn the_point_avoids_a_hole_in_the_middle() {
        let ring_with_hole = [square(0.0, 0.0, 30.0), square(10.0, 10.0, 10.0)];
        let point = interior_point(&ring_with_hole);
        assert!(inside(&ring_with_hole, point), "{point:?}");
    }

    #[test]
    fn the_point_of_a_u_shape_is_not_in_the_gap_where_its_centroid_falls() {
        // The centroid of this U is (15, 21.7), inside the gap between the arms.
        let u_shape = [vec![
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, 30.0),
            (20.0, 30.0),
            (20.0, 0.0),
            (30.0, 0.0),
            (30.0, 40.0),
            (0.0, 40.0),
        ]];
        let point = interior_point(&u_shape);
        assert!(inside(&u_shape, point), "{point:?}");
    }
}
