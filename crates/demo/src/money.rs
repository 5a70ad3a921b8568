//! What demo projects cost and how the cost is split: a total drawn from a skewed spread
//! like that of real reconstruction budgets, budget lines by cost item that add up to the
//! total to the kopiyka, and shares of finance that add up to what is secured.
//!
//! Every amount is a whole number of kopiykas, split with integer arithmetic only.

use dream_domain::Money;
use dream_domain::codelist::{BudgetType, CostItem, CostType};
use dream_domain::project::BudgetLine;

use crate::rng::Rng;
use crate::texts::Work;

/// Kopiykas in a thousand hryvnias.
const THOUSAND_UAH: i64 = 100_000;

/// Bands of a project's base cost in thousands of hryvnias, with how many projects in ten
/// thousand fall in each: a histogram of a log-normal curve. Most projects cost 1 to 50
/// million, some 50 to 500 million and a very few over a billion.
const COST_BANDS: &[(i64, i64, u32)] = &[
    (500, 1_000, 300),
    (1_000, 2_000, 700),
    (2_000, 3_000, 800),
    (3_000, 5_000, 1_200),
    (5_000, 7_500, 1_100),
    (7_500, 10_000, 1_000),
    (10_000, 15_000, 1_100),
    (15_000, 20_000, 800),
    (20_000, 30_000, 800),
    (30_000, 50_000, 700),
    (50_000, 75_000, 400),
    (75_000, 100_000, 300),
    (100_000, 150_000, 250),
    (150_000, 200_000, 150),
    (200_000, 300_000, 120),
    (300_000, 500_000, 80),
    (500_000, 750_000, 40),
    (750_000, 1_000_000, 25),
    (1_000_000, 1_500_000, 15),
    (1_500_000, 2_500_000, 7),
];

/// A project's total cost in kopiykas: a base cost scaled by how costly its kind of facility
/// is (in percent of an average one), and cut for a purchase of equipment.
pub(crate) fn draw_total(rng: &mut Rng, cost_percent: u32, work: Work) -> i64 {
    let (low, high, _) = COST_BANDS[rng.weighted_index(COST_BANDS, |(_, _, weight)| *weight)];
    let base = rng.between_i64(low * THOUSAND_UAH, high * THOUSAND_UAH - 1);
    let percent = if work == Work::Equipment {
        cost_percent * 35 / 100
    } else {
        cost_percent
    };
    scale(base, i64::from(percent.max(1)), 100).max(THOUSAND_UAH)
}

/// `amount * numerator / denominator`, rounded down, without overflow on large budgets.
pub(crate) fn scale(amount: i64, numerator: i64, denominator: i64) -> i64 {
    (i128::from(amount) * i128::from(numerator) / i128::from(denominator)) as i64
}

/// Splits `total` in proportion to `weights`, the last part taking what rounding leaves,
/// so the parts always add up to `total` exactly.
pub(crate) fn split(total: i64, weights: &[u64]) -> Vec<i64> {
    let sum: u64 = weights.iter().sum::<u64>().max(1);
    let mut parts: Vec<i64> = weights
        .iter()
        .map(|weight| scale(total, *weight as i64, sum as i64))
        .collect();
    let given: i64 = parts.iter().sum();
    if let Some(last) = parts.last_mut() {
        *last += total - given;
    }
    parts
}

/// The shares of a budget, in basis points, by cost item; the main item (construction, or
/// equipment for a purchase) comes last and takes the remainder.
pub(crate) fn cost_shares(rng: &mut Rng, work: Work) -> Vec<(CostItem, u64)> {
    let mut shares = Vec::new();
    let mut maybe = |rng: &mut Rng, item, percent, low, high| {
        if rng.percent(percent) {
            shares.push((item, rng.between(low, high)));
        }
    };
    if work == Work::Equipment {
        maybe(rng, CostItem::Design, 30, 100, 300);
        maybe(rng, CostItem::Construction, 70, 500, 1_500);
        maybe(rng, CostItem::Contingencies, 80, 200, 400);
        maybe(rng, CostItem::Maintenance, 20, 50, 200);
    } else {
        maybe(rng, CostItem::Design, 100, 500, 1_000);
        maybe(rng, CostItem::SitePreparation, 45, 100, 300);
        maybe(rng, CostItem::Equipment, 40, 200, 1_200);
        maybe(rng, CostItem::Overheads, 60, 100, 250);
        maybe(rng, CostItem::Contingencies, 100, 300, 500);
        maybe(rng, CostItem::Maintenance, 8, 50, 150);
    }
    let given: u64 = shares.iter().map(|(_, share)| share).sum();
    let main = if work == Work::Equipment {
        CostItem::Equipment
    } else {
        CostItem::Construction
    };
    shares.push((main, 10_000 - given));
    shares
}

/// The lines of one version of a budget: `total` split by `shares`, numbered from
/// `first_id`. Maintenance is operating expenditure; everything else is capital.
pub(crate) fn budget_lines(
    total: i64,
    shares: &[(CostItem, u64)],
    budget_type: BudgetType,
    first_id: usize,
) -> Vec<BudgetLine> {
    let weights: Vec<u64> = shares.iter().map(|(_, share)| *share).collect();
    let amounts = split(total, &weights);
    shares
        .iter()
        .zip(amounts)
        .enumerate()
        .map(|(index, ((cost_item, _), amount))| BudgetLine {
            id: (first_id + index).to_string(),
            amount: Money::uah(amount),
            cost_item: *cost_item,
            cost_type: if *cost_item == CostItem::Maintenance {
                CostType::Opex
            } else {
                CostType::Capex
            },
            budget_type,
            period: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_add_up_to_the_whole_to_the_kopiyka() {
        assert_eq!(split(1_000_001, &[1, 1, 1]), [333_333, 333_333, 333_335]);
        let mut rng = Rng::new(5);
        for _ in 0..1000 {
            let total = draw_total(&mut rng, 220, Work::MajorRepair);
            let shares = cost_shares(&mut rng, Work::MajorRepair);
            let lines = budget_lines(total, &shares, BudgetType::Original, 1);
            let sum: i64 = lines.iter().map(|line| line.amount.amount_minor).sum();
            assert_eq!(sum, total);
            assert!(lines.iter().all(|line| line.amount.amount_minor >= 0));
        }
    }

    #[test]
    fn most_projects_cost_one_to_fifty_million_and_few_a_billion() {
        let mut rng = Rng::new(11);
        let totals: Vec<i64> = (0..20_000)
            .map(|_| draw_total(&mut rng, 100, Work::MajorRepair))
            .collect();
        let share = |low: i64, high: i64| {
            let count = totals
                .iter()
                .filter(|t| (low..high).contains(&(*t / 100)))
                .count();
            count as f64 / totals.len() as f64
        };
        assert!(share(1_000_000, 50_000_000) > 0.75);
        assert!((0.08..0.2).contains(&share(50_000_000, 500_000_000)));
        assert!(share(1_000_000_000, i64::MAX) < 0.01);
    }
}
