//! SVG path data for outlines, written as compactly as the format allows: one absolute move,
//! then relative steps in tenths of a unit. The steps are differences of already-rounded
//! positions, so rounding never accumulates along a ring.

use super::projection::Point;
use crate::svg::tenths_to_string;

/// The path data of one closed ring: `M x y l dx dy dx dy … z`. Points that fall on the same
/// tenth as the previous one are skipped; a ring left with fewer than three gives nothing.
pub(crate) fn ring_path(ring: &[Point]) -> String {
    let mut tenths: Vec<(i64, i64)> = Vec::with_capacity(ring.len());
    for &(x, y) in ring {
        let point = ((x * 10.0).round() as i64, (y * 10.0).round() as i64);
        if tenths.last() != Some(&point) {
            tenths.push(point);
        }
    }
    while tenths.len() > 1 && tenths.first() == tenths.last() {
        tenths.pop();
    }
    if tenths.len() < 3 {
        return String::new();
    }

    let (start_x, start_y) = tenths[0];
    let mut path = format!(
        "M{} {}l",
        tenths_to_string(start_x),
        tenths_to_string(start_y)
    );
    let mut first_number = true;
    for pair in tenths.windows(2) {
        for delta in [pair[1].0 - pair[0].0, pair[1].1 - pair[0].1] {
            // A minus sign separates numbers on its own; anything else needs a space.
            if !first_number && delta >= 0 {
                path.push(' ');
            }
            path.push_str(&tenths_to_string(delta));
            first_number = false;
        }
    }
    path.push('z');
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ring_becomes_one_move_and_relative_steps() {
        let square = [(10.0, 20.0), (15.5, 20.0), (15.5, 24.04), (10.0, 24.0)];
        assert_eq!(ring_path(&square), "M10 20l5.5 0 0 4-5.5 0z");
    }

    #[test]
    fn points_on_the_same_tenth_are_merged_and_slivers_dropped() {
        let sliver = [(0.0, 0.0), (0.01, 0.0), (5.0, 0.0), (0.0, 0.02)];
        assert_eq!(ring_path(&sliver), "");
    }
}
