//! Simplification of the oblast outlines that keeps neighbours edge-matched.
//!
//! Simplifying each ring on its own would let two neighbours drop different points of their
//! shared border, leaving slivers and gaps. Instead, every point where borders meet (a
//! junction) is kept, and the stretch between two junctions is simplified the same way in
//! every ring that contains it: walked in one fixed direction, with Douglas–Peucker.

use std::collections::HashMap;

use super::projection::Point;

/// A point's identity in the source data: its coordinates in units of the file's precision,
/// so that the same vertex in two rings compares equal exactly.
pub(crate) type Key = (i32, i32);

/// One closed ring, without the repeated closing point: source keys and placed points.
pub(crate) struct Ring {
    pub keys: Vec<Key>,
    pub points: Vec<Point>,
}

/// Simplifies every ring, dropping points that lie within `tolerance` of the simplified line.
pub(crate) fn simplify_rings(rings: &[Ring], tolerance: f64) -> Vec<Vec<Point>> {
    let neighbours = neighbours_of_every_point(rings);
    rings
        .iter()
        .map(|ring| simplify_ring(ring, &neighbours, tolerance))
        .collect()
}

/// For every point, the distinct points next to it in any ring. A point with more than two is
/// where a border starts, ends, or forks.
fn neighbours_of_every_point(rings: &[Ring]) -> HashMap<Key, Vec<Key>> {
    let mut neighbours: HashMap<Key, Vec<Key>> = HashMap::new();
    for ring in rings {
        let count = ring.keys.len();
        for (index, key) in ring.keys.iter().enumerate() {
            let before = ring.keys[(index + count - 1) % count];
            let after = ring.keys[(index + 1) % count];
            let known = neighbours.entry(*key).or_default();
            for neighbour in [before, after] {
                if !known.contains(&neighbour) {
                    known.push(neighbour);
                }
            }
        }
    }
    neighbours
}

fn simplify_ring(ring: &Ring, neighbours: &HashMap<Key, Vec<Key>>, tolerance: f64) -> Vec<Point> {
    let count = ring.keys.len();
    let anchors = anchors(ring, neighbours);

    let mut kept = vec![false; count];
    for (position, &start) in anchors.iter().enumerate() {
        let end = anchors[(position + 1) % anchors.len()];
        let stretch_length = (end + count - start) % count;
        let stretch: Vec<usize> = (0..=stretch_length)
            .map(|step| (start + step) % count)
            .collect();
        for index in simplify_stretch(ring, &stretch, tolerance) {
            kept[index] = true;
        }
    }

    let simplified: Vec<Point> = (0..count)
        .filter(|&i| kept[i])
        .map(|i| ring.points[i])
        .collect();
    // A small island can collapse to a line; keep it whole rather than lose it.
    if simplified.len() < 3 {
        return ring.points.clone();
    }
    simplified
}

/// The points of a ring that are always kept, in ring order: its junctions, or, for a ring that
/// touches nothing (an island, or Kyiv city inside the hole of Kyiv oblast), two points chosen
/// from the points alone so that a ring and the identical hole around it choose the same two.
fn anchors(ring: &Ring, neighbours: &HashMap<Key, Vec<Key>>) -> Vec<usize> {
    let mut anchors: Vec<usize> = (0..ring.keys.len())
        .filter(|&i| neighbours[&ring.keys[i]].len() > 2)
        .collect();
    if anchors.is_empty() {
        let lowest = (0..ring.keys.len())
            .min_by_key(|&i| ring.keys[i])
            .unwrap_or(0);
        anchors.push(lowest);
    }
    if anchors.len() == 1 {
        anchors.push(farthest_from(ring, anchors[0]));
        anchors.sort_unstable();
    }
    anchors
}

fn farthest_from(ring: &Ring, origin: usize) -> usize {
    let (ox, oy) = ring.points[origin];
    let distance = |i: usize| (ring.points[i].0 - ox).hypot(ring.points[i].1 - oy);
    (0..ring.points.len())
        .max_by(|&a, &b| {
            distance(a)
                .total_cmp(&distance(b))
                // Ties go to the lower key, whichever ring is asking.
                .then_with(|| ring.keys[b].cmp(&ring.keys[a]))
        })
        .unwrap_or(origin)
}

/// Simplifies one stretch between two anchors (given as ring indices, both ends included) and
/// returns the ring indices to keep. The stretch is walked from its lower key to its higher
/// one, so that both rings sharing it make the same choices.
fn simplify_stretch(ring: &Ring, stretch: &[usize], tolerance: f64) -> Vec<usize> {
    let mut ordered = stretch.to_vec();
    if ring.keys[ordered[0]] > ring.keys[ordered[ordered.len() - 1]] {
        ordered.reverse();
    }
    let points: Vec<Point> = ordered.iter().map(|&i| ring.points[i]).collect();
    douglas_peucker(&points, tolerance)
        .into_iter()
        .map(|position| ordered[position])
        .collect()
}

/// The positions of the points of a polyline that Douglas–Peucker keeps, ends included.
fn douglas_peucker(points: &[Point], tolerance: f64) -> Vec<usize> {
    let last = points.len() - 1;
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[last] = true;

    let mut pending = vec![(0, last)];
    while let Some((first, last)) = pending.pop() {
        let mut farthest = (0.0, first);
        for index in first + 1..last {
            let distance = distance_to_segment(points[index], points[first], points[last]);
            if distance > farthest.0 {
                farthest = (distance, index);
            }
        }
        if farthest.0 > tolerance {
            keep[farthest.1] = true;
            pending.push((first, farthest.1));
            pending.push((farthest.1, last));
        }
    }
    (0..points.len()).filter(|&i| keep[i]).collect()
}

fn distance_to_segment(point: Point, start: Point, end: Point) -> f64 {
    let (dx, dy) = (end.0 - start.0, end.1 - start.1);
    let length_squared = dx * dx + dy * dy;
    let along = if length_squared == 0.0 {
        0.0
    } else {
        (((point.0 - start.0) * dx + (point.1 - start.1) * dy) / length_squared).clamp(0.0, 1.0)
    };
    let nearest = (start.0 + along * dx, start.1 + along * dy);
    (point.0 - nearest.0).hypot(point.1 - nearest.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(points: &[(i32, i32)]) -> Ring {
        Ring {
            keys: points.to_vec(),
            points: points
                .iter()
                .map(|&(x, y)| (f64::from(x), f64::from(y)))
                .collect(),
        }
    }

    #[test]
    fn points_close_to_a_straight_line_are_dropped() {
        let line = [(0.0, 0.0), (1.0, 0.1), (2.0, -0.1), (3.0, 0.0), (4.0, 3.0)];
        assert_eq!(douglas_peucker(&line, 0.5), [0, 3, 4]);
    }

    #[test]
    fn two_neighbours_keep_the_same_points_of_their_shared_border() {
        // Two squares sharing a wobbly vertical border from (10, 0) to (10, 10), listed in
        // opposite directions as neighbouring rings are.
        let border = [(10, 0), (11, 2), (10, 4), (12, 6), (10, 8), (10, 10)];
        let mut west: Vec<(i32, i32)> = vec![(0, 0)];
        west.extend(border);
        west.push((0, 10));
        let mut east: Vec<(i32, i32)> = vec![(20, 10)];
        east.extend(border.iter().rev());
        east.push((20, 0));

        let simplified = simplify_rings(&[ring(&west), ring(&east)], 1.5);
        let on_border = |points: &Vec<Point>| {
            let mut shared: Vec<(i64, i64)> = points
                .iter()
                .filter(|p| p.0 >= 10.0 && p.0 <= 12.0)
                .map(|p| (p.0 as i64, p.1 as i64))
                .collect();
            shared.sort_unstable();
            shared
        };
        assert_eq!(on_border(&simplified[0]), on_border(&simplified[1]));
        assert!(on_border(&simplified[0]).contains(&(12, 6)));
        assert!(!on_border(&simplified[0]).contains(&(11, 2)));
    }

    #[test]
    fn an_island_smaller_than_the_tolerance_is_kept_whole() {
        let island = ring(&[(0, 0), (1, 0), (1, 1), (0, 1)]);
        assert_eq!(simplify_rings(&[island], 5.0)[0].len(), 4);
    }
}
