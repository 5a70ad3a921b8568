//! A project's approaches with their budgets and finance: the proposed approach with its
//! original budget (revised after appraisal, agreed after approval) and the money secured
//! for it from several sources, and now and then a costlier alternative.
//!
//! What is secured never exceeds the latest budget, and each finance line carries the
//! finance type that its category belongs to.

use dream_domain::Money;
use dream_domain::codelist::{
    BudgetType, CostItem, FinanceCategory, FinanceType, Purpose, StatusDetails,
};
use dream_domain::project::{Approach, ApproachItem, BudgetLine, FinanceLine, FinancingParty};
use dream_domain::text::Text;

use crate::facilities::Build;
use crate::generator::Draft;
use crate::money::{budget_lines, cost_shares, draw_total, scale, split};
use crate::organisations::{BodyRef, Catalogue, FOREIGN_DONORS};
use crate::rng::Rng;
use crate::texts::{ALTERNATIVE_APPROACH, EQUIPMENT_ITEM, Item, Work, items};

/// Where secured money comes from, and how often.
const SOURCES: &[(FinanceCategory, u32)] = &[
    (FinanceCategory::LocalBudget, 30),
    (FinanceCategory::StateCentralBudget, 15),
    (FinanceCategory::LiquidationFund, 8),
    (FinanceCategory::StateSpecialBudget, 8),
    (FinanceCategory::InternationalOrganization, 14),
    (FinanceCategory::AbroadState, 8),
    (FinanceCategory::United24, 5),
    (FinanceCategory::LegalEntity, 6),
];

/// The approaches of a project and the Ukrainian bodies that finance it.
pub(crate) fn approaches(
    rng: &mut Rng,
    catalogue: &mut Catalogue,
    draft: &Draft,
) -> (Vec<Approach>, Vec<BodyRef>) {
    let total = draw_total(rng, draft.subject.facility.cost_percent, draft.work);
    let shares = cost_shares(rng, draft.work);
    let budget = budget_versions(rng, draft, total, &shares);
    let need = latest_total(&budget);
    let (finance, funders) = finance(rng, catalogue, draft, need);

    let (title_uk, title_en) = draft.work.approach_title();
    let proposed = Approach {
        id: "1".to_owned(),
        title: Text::new(title_uk, title_en),
        description: None,
        items: approach_items(rng, draft.work, draft.subject.facility.build),
        budget,
        finance,
    };
    let mut approaches = vec![proposed];
    let repairs = matches!(draft.work, Work::MajorRepair | Work::Restoration);
    if repairs && draft.purpose == Purpose::Restoration && rng.percent(12) {
        approaches.push(alternative(rng, draft, total, &shares));
    }
    (approaches, funders)
}

/// The original budget, then a revision after appraisal and an agreed version after
/// approval, each split by the same shares.
fn budget_versions(
    rng: &mut Rng,
    draft: &Draft,
    total: i64,
    shares: &[(CostItem, u64)],
) -> Vec<BudgetLine> {
    let mut lines = budget_lines(total, shares, BudgetType::Original, 1);
    let mut latest = total;
    if draft.reached(StatusDetails::Appraised) && rng.percent(40) {
        latest = scale(latest, rng.between_i64(9_000, 11_500), 10_000);
        lines.extend(budget_lines(
            latest,
            shares,
            BudgetType::Revised,
            lines.len() + 1,
        ));
    }
    if draft.reached(StatusDetails::Approved) && rng.percent(60) {
        latest = scale(latest, rng.between_i64(9_500, 10_000), 10_000);
        lines.extend(budget_lines(
            latest,
            shares,
            BudgetType::Agreed,
            lines.len() + 1,
        ));
    }
    lines
}

/// The sum of the latest version of a budget, which is what the project needs.
pub(crate) fn latest_total(budget: &[BudgetLine]) -> i64 {
    let latest = budget.last().map(|line| line.budget_type);
    budget
        .iter()
        .filter(|line| Some(line.budget_type) == latest)
        .map(|line| line.amount.amount_minor)
        .sum()
}

/// The lines of the latest budget version.
pub(crate) fn latest_lines(budget: &[BudgetLine]) -> impl Iterator<Item = &BudgetLine> {
    let latest = budget.last().map(|line| line.budget_type);
    budget
        .iter()
        .filter(move |line| Some(line.budget_type) == latest)
}

/// The secured money: none or a co-financing share early on, most or all of the need once
/// approved, split over one to three sources.
fn finance(
    rng: &mut Rng,
    catalogue: &mut Catalogue,
    draft: &Draft,
    need: i64,
) -> (Vec<FinanceLine>, Vec<BodyRef>) {
    let share = secured_share(rng, draft.stage);
    let secured = scale(need, share as i64, 10_000);
    if secured == 0 {
        return (Vec::new(), Vec::new());
    }

    let categories = categories(rng, share);
    let weights: Vec<u64> = categories
        .iter()
        .map(|category| match category {
            FinanceCategory::LocalBudget => rng.between(1, 3),
            _ => rng.between(3, 10),
        })
        .collect();
    let amounts = split(secured, &weights);
    let mut lines = Vec::new();
    let mut funders = Vec::new();
    for (index, (category, amount)) in categories.into_iter().zip(amounts).enumerate() {
        let (party, body) = financing_party(rng, catalogue, draft, category);
        funders.extend(body);
        lines.push(FinanceLine {
            id: (index + 1).to_string(),
            amount: Money::uah(amount),
            finance_type: finance_type(category),
            finance_category: category,
            financing_party: party,
            period: None,
        });
    }
    (lines, funders)
}

/// The secured share of the need, in basis points, by how far the project has come.
fn secured_share(rng: &mut Rng, stage: StatusDetails) -> u64 {
    match stage {
        StatusDetails::Refused if rng.percent(80) => 0,
        StatusDetails::Refused => rng.between(500, 2_000),
        StatusDetails::Applied if rng.percent(40) => 0,
        StatusDetails::Applied => rng.between(1_000, 6_000),
        StatusDetails::Approved if rng.percent(25) => 10_000,
        StatusDetails::Approved => rng.between(3_000, 10_000),
        StatusDetails::Implementation if rng.percent(45) => 10_000,
        StatusDetails::Implementation => rng.between(6_000, 10_000),
        _ if rng.percent(55) => 0,
        _ => rng.between(500, 4_000),
    }
}

/// The finance categories of the secured money: the local budget alone for a small
/// co-financing share, otherwise one to three different sources.
fn categories(rng: &mut Rng, share: u64) -> Vec<FinanceCategory> {
    if share <= 3_000 && rng.percent(70) {
        return vec![FinanceCategory::LocalBudget];
    }
    let count = rng.between(1, 3) as usize;
    let mut categories: Vec<FinanceCategory> = Vec::with_capacity(count);
    while categories.len() < count {
        let category = rng.weighted_pick(SOURCES);
        if !categories.contains(&category) {
            categories.push(category);
        }
    }
    categories
}

/// The finance type a category belongs to.
fn finance_type(category: FinanceCategory) -> FinanceType {
    match category {
        FinanceCategory::InternationalOrganization
        | FinanceCategory::AbroadState
        | FinanceCategory::AbroadEntity => FinanceType::InternationalPartners,
        FinanceCategory::LegalEntity | FinanceCategory::NaturalPerson => {
            FinanceType::PrivateInvestments
        }
        _ => FinanceType::StateFunds,
    }
}

/// Who gives money of a category: the council for its budget, a ministry or the agency for
/// the state's, the oblast administration for the special fund, a foreign donor by name,
/// UNITED24, or a national foundation. Ukrainian bodies are returned to be listed as funders.
fn financing_party(
    rng: &mut Rng,
    catalogue: &mut Catalogue,
    draft: &Draft,
    category: FinanceCategory,
) -> (FinancingParty, Option<BodyRef>) {
    let body = match category {
        FinanceCategory::LocalBudget => {
            catalogue.council(draft.place_index, draft.place, draft.created)
        }
        FinanceCategory::StateCentralBudget => catalogue
            .central
            .state_funder(draft.subject.facility.sector)
            .clone(),
        FinanceCategory::LiquidationFund => catalogue.central.restoration_agency.clone(),
        FinanceCategory::StateSpecialBudget => {
            catalogue.oblast_administration(draft.place, draft.created)
        }
        FinanceCategory::LegalEntity => rng.pick(&catalogue.central.foundations).clone(),
        FinanceCategory::United24 => return (by_name("UNITED24"), None),
        _ => return (by_name(foreign_donor(rng, category)), None),
    };
    let party = FinancingParty {
        id: Some(body.id.clone()),
        name: body.name_uk.clone(),
    };
    (party, Some(body))
}

/// A foreign donor that gives under `category`.
fn foreign_donor(rng: &mut Rng, category: FinanceCategory) -> &'static str {
    let donors: Vec<&'static str> = FOREIGN_DONORS
        .iter()
        .filter(|(_, gives_as)| *gives_as == category)
        .map(|(name, _)| *name)
        .collect();
    if donors.is_empty() {
        "World Bank"
    } else {
        donors[rng.below(donors.len() as u64) as usize]
    }
}

/// A financing party without an EDRPOU code.
fn by_name(name: &str) -> FinancingParty {
    FinancingParty {
        id: None,
        name: name.to_owned(),
    }
}

/// Two to four of the things the approach delivers, or the equipment it buys.
fn approach_items(rng: &mut Rng, work: Work, build: Build) -> Vec<ApproachItem> {
    let chosen: Vec<&Item> = if work == Work::Equipment {
        vec![&EQUIPMENT_ITEM]
    } else {
        let all = items(work, build);
        let count = rng.between(2, all.len().min(4) as u64) as usize;
        let start = rng.below(all.len() as u64) as usize;
        (0..count)
            .map(|offset| &all[(start + offset) % all.len()])
            .collect()
    };
    chosen
        .into_iter()
        .enumerate()
        .map(|(index, item)| ApproachItem {
            id: (index + 1).to_string(),
            description: Text::new(item.uk, item.en),
            quantity: Some(rng.between_u32(item.low, item.high)),
            unit: Some(item.unit.to_owned()),
        })
        .collect()
}

/// Replacing the facility instead of repairing it: dearer, unfinanced, kept for comparison.
fn alternative(rng: &mut Rng, draft: &Draft, total: i64, shares: &[(CostItem, u64)]) -> Approach {
    let cost = scale(total, rng.between_i64(130, 180), 100);
    let (title_uk, title_en) = ALTERNATIVE_APPROACH;
    Approach {
        id: "2".to_owned(),
        title: Text::new(title_uk, title_en),
        description: None,
        items: approach_items(rng, Work::NewConstruction, draft.subject.facility.build),
        budget: budget_lines(cost, shares, BudgetType::Original, 1),
        finance: Vec::new(),
    }
}
