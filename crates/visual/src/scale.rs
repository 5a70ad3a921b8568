//! Sorting values into the five classes of a choropleth, and the colours of those classes.
//!
//! The classes are quantiles: each holds about the same number of oblasts, so a single oblast
//! with a very large value (Kyiv city, usually) does not push all others into the lowest class.

/// Five blues from light to dark. One hue with evenly rising darkness reads the same for
/// people with any common colour-vision deficiency, and each has at least 3.3:1 contrast
/// against the near-black borders, so that every outline stays visible.
pub(crate) const CLASS_FILLS: [&str; 5] = ["#e3eef8", "#b3d1ea", "#7cb0da", "#4a8dc6", "#2a6fb0"];

/// The border between oblasts.
pub(crate) const BORDER: &str = "#1a1a1a";

/// How many classes a map has at most.
pub(crate) const CLASS_COUNT: usize = CLASS_FILLS.len();

/// The classes found for a set of values: for each, the lowest and highest value that fell in
/// it, in ascending order. Classes never overlap and never are empty.
#[derive(Debug, PartialEq)]
pub(crate) struct Classes {
    ranges: Vec<(f64, f64)>,
}

impl Classes {
    /// Quantile classes of the finite values; other values are treated as missing.
    pub(crate) fn of(values: impl Iterator<Item = f64>) -> Self {
        let mut sorted: Vec<f64> = values.filter(|value| value.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);

        let count = sorted.len();
        let mut uppers: Vec<f64> = (1..=CLASS_COUNT)
            .filter(|_| count > 0)
            .map(|class| sorted[(class * count).div_ceil(CLASS_COUNT) - 1])
            .collect();
        uppers.dedup();

        let mut ranges = Vec::with_capacity(uppers.len());
        let mut remaining = sorted.as_slice();
        for upper in uppers {
            let in_class = remaining.partition_point(|&value| value <= upper);
            ranges.push((remaining[0], upper));
            remaining = &remaining[in_class..];
        }
        Classes { ranges }
    }

    /// The lowest and highest value of each class.
    pub(crate) fn ranges(&self) -> &[(f64, f64)] {
        &self.ranges
    }

    /// The class a value belongs to, or `None` for a value that is not a number.
    pub(crate) fn class_of(&self, value: f64) -> Option<usize> {
        if !value.is_finite() || self.ranges.is_empty() {
            return None;
        }
        let above = self.ranges.partition_point(|&(_, upper)| upper < value);
        Some(above.min(self.ranges.len() - 1))
    }

    /// The fill of a class. With fewer than five classes the colours are spread over the whole
    /// ramp, so that two classes are light and dark rather than two nearly equal light blues.
    pub(crate) fn fill(&self, class: usize) -> &'static str {
        let count = self.ranges.len();
        let index = if count <= 1 {
            CLASS_COUNT / 2
        } else {
            (class * (CLASS_COUNT - 1) + (count - 1) / 2) / (count - 1)
        };
        CLASS_FILLS[index.min(CLASS_COUNT - 1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_values_make_five_classes_of_two() {
        let classes = Classes::of((1..=10).map(f64::from));
        assert_eq!(
            classes.ranges(),
            [(1.0, 2.0), (3.0, 4.0), (5.0, 6.0), (7.0, 8.0), (9.0, 10.0)]
        );
        assert_eq!(classes.class_of(1.0), Some(0));
        assert_eq!(classes.class_of(2.0), Some(0));
        assert_eq!(classes.class_of(3.0), Some(1));
        assert_eq!(classes.class_of(10.0), Some(4));
        assert_eq!(classes.class_of(f64::NAN), None);
    }

    #[test]
    fn repeated_values_never_split_across_classes() {
        let classes = Classes::of([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 5.0, 9.0].into_iter());
        assert_eq!(classes.ranges(), [(0.0, 0.0), (5.0, 5.0), (9.0, 9.0)]);
        assert_eq!(classes.class_of(0.0), Some(0));
        assert_eq!(classes.class_of(9.0), Some(2));
    }

    #[test]
    fn fewer_classes_spread_over_the_whole_ramp() {
        let two = Classes::of([1.0, 2.0].into_iter());
        assert_eq!(two.ranges().len(), 2);
        assert_eq!(two.fill(0), CLASS_FILLS[0]);
        assert_eq!(two.fill(1), CLASS_FILLS[4]);

        let one = Classes::of([7.0, 7.0].into_iter());
        assert_eq!(one.fill(0), CLASS_FILLS[2]);
    }

    #[test]
    fn no_values_give_no_classes() {
        let classes = Classes::of([f64::NAN, f64::INFINITY].into_iter());
        assert!(classes.ranges().is_empty());
        assert_eq!(classes.class_of(1.0), None);
    }
}
