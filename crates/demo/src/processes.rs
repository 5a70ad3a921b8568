//! The processes a project takes part in: its Prozorro tenders for design and works, with
//! the contracts signed, and the records it relates to in other registers (the damage
//! record of its object, its tenders, now and then another DREAM project).
//!
//! A tender never asks for more than the budget line it buys, and a contract never costs
//! more than its tender.

use dream_domain::codelist::{
    ContractingStatus, CostItem, Purpose, RelatedProcessScheme, Relationship, StatusDetails,
};
use dream_domain::project::{Approach, ContractingProcess, Organisation, RelatedProcess};
use dream_domain::text::Text;
use dream_domain::{Money, ProjectId};
use time::{Date, Duration};

use crate::funding::latest_lines;
use crate::generator::Draft;
use crate::money::scale;
use crate::organisations::{BodyRef, Catalogue};
use crate::rng::Rng;
use crate::texts::{DESIGN_CODE, Work, procurement_code};

/// How many bids a tender draws, from one to seven, and how often.
const TENDERERS: &[(u32, u32)] = &[(1, 10), (2, 25), (3, 25), (4, 18), (5, 10), (6, 7), (7, 5)];

/// A project's tenders and the companies that won them.
#[derive(Debug, Default)]
pub(crate) struct Tenders {
    pub processes: Vec<ContractingProcess>,
    /// Contractors with a signed works contract.
    pub suppliers: Vec<BodyRef>,
    /// The designer with a signed design contract.
    pub designer: Option<BodyRef>,
}

/// The tenders of a project: an approved one may have announced its works tender; one
/// being implemented has signed it, often after a design tender.
pub(crate) fn contracting(
    rng: &mut Rng,
    catalogue: &mut Catalogue,
    draft: &Draft,
    title: &Text,
    approaches: &[Approach],
) -> Tenders {
    let mut tenders = Tenders::default();
    let Some(approach) = approaches.first() else {
        return tenders;
    };
    let line = |item: CostItem| {
        latest_lines(&approach.budget)
            .find(|line| line.cost_item == item)
            .map(|line| line.amount)
    };
    let main_item = if draft.work == Work::Equipment {
        CostItem::Equipment
    } else {
        CostItem::Construction
    };

    match draft.stage {
        StatusDetails::Implementation => {
            if let Some(design) = line(CostItem::Design).filter(|_| rng.percent(40)) {
                design_tender(rng, catalogue, draft, title, design, &mut tenders);
            }
            if let Some(works) = line(main_item) {
                works_tender(rng, catalogue, draft, title, works, &mut tenders);
            }
        }
        StatusDetails::Approved if rng.percent(50) => {
            if let Some(works) = line(main_item) {
                works_tender(rng, catalogue, draft, title, works, &mut tenders);
            }
        }
        _ => {}
    }
    tenders
}

/// The tender for design, announced soon after the project began and signed when time
/// allows.
fn design_tender(
    rng: &mut Rng,
    catalogue: &mut Catalogue,
    draft: &Draft,
    title: &Text,
    budget: Money,
    tenders: &mut Tenders,
) {
    let start = draft.created.date();
    let announced = draft.day_between(rng, start + Duration::days(5), start + Duration::days(60));
    let (code, name_uk, name_en) = DESIGN_CODE;
    let title = Text::new(
        format!(
            "Розроблення проєктно-кошторисної документації за об’єктом «{}» (ДК 021:2015: {code} — \
             {name_uk})",
            title.uk
        ),
        format!(
            "Design and cost documentation for “{}” (CPV {code} — {name_en})",
            title.in_lang("en")
        ),
    );
    let mut process = announce(rng, announced, title, budget);
    if let Some(signed) = signing_day(rng, draft, announced) {
        let designer = catalogue.designer(rng, draft.place, draft.created);
        sign(
            rng,
            &mut process,
            &designer,
            signed,
            ContractingStatus::Complete,
        );
        tenders.designer = Some(designer);
    }
    tenders.processes.push(process);
}

/// The tender for the works or the equipment: announced after design, signed by a project
/// being implemented, still open for an approved one.
fn works_tender(
    rng: &mut Rng,
    catalogue: &mut Catalogue,
    draft: &Draft,
    title: &Text,
    budget: Money,
    tenders: &mut Tenders,
) {
    let start = draft.created.date();
    let announced = if draft.stage == StatusDetails::Implementation {
        draft.day_between(rng, start + Duration::days(60), start + Duration::days(200))
    } else {
        let updated = draft.updated.date();
        draft.day_between(rng, (updated - Duration::days(30)).max(start), updated)
    };
    let title = match procurement_code(draft.work, draft.subject.facility.build) {
        Some((code, name_uk, name_en)) => Text::new(
            format!("{} (ДК 021:2015: {code} — {name_uk})", title.uk),
            format!("{} (CPV {code} — {name_en})", title.in_lang("en")),
        ),
        None => title.clone(),
    };
    let tender_value = Money::uah(scale(
        budget.amount_minor,
        rng.between_i64(9_000, 10_000),
        10_000,
    ));
    let mut process = announce(rng, announced, title, tender_value);

    let signed =
        signing_day(rng, draft, announced).filter(|_| draft.stage == StatusDetails::Implementation);
    if let Some(signed) = signed {
        let contractor = catalogue.contractor(rng, draft.place, draft.created);
        let status = if rng.percent(20) {
            ContractingStatus::Complete
        } else {
            ContractingStatus::Implementation
        };
        sign(rng, &mut process, &contractor, signed, status);
        tenders.suppliers.push(contractor);
    }
    tenders.processes.push(process);
}

/// A tender announced on `day` for at most `value`, not yet contracted.
fn announce(rng: &mut Rng, day: Date, title: Text, value: Money) -> ContractingProcess {
    ContractingProcess {
        tender_id: tender_id(rng, day),
        status: ContractingStatus::Preparation,
        title,
        tender_value: Some(value),
        contract_value: None,
        number_of_tenderers: None,
        suppliers: Vec::new(),
        date_signed: None,
    }
}

/// The day the contract was signed, three to six weeks after the announcement, unless that
/// day has not come yet.
fn signing_day(rng: &mut Rng, draft: &Draft, announced: Date) -> Option<Date> {
    let signed = announced + Duration::days(rng.between_i64(20, 45));
    (signed <= draft.last_day).then_some(signed)
}

/// Records the contract: the winner, a price a little under the tender's, the bids.
fn sign(
    rng: &mut Rng,
    process: &mut ContractingProcess,
    winner: &BodyRef,
    day: Date,
    status: ContractingStatus,
) {
    let tender = process.tender_value.map_or(0, |value| value.amount_minor);
    process.status = status;
    process.contract_value = Some(Money::uah(scale(
        tender,
        rng.between_i64(8_500, 9_900),
        10_000,
    )));
    process.number_of_tenderers = Some(rng.weighted_pick(TENDERERS));
    process.suppliers = vec![Organisation {
        id: winner.id.clone(),
        name: winner.name_uk.clone(),
    }];
    process.date_signed = Some(day);
}

/// A Prozorro tender id of a tender announced on `day`: `UA-2024-05-23-001234-a`.
fn tender_id(rng: &mut Rng, day: Date) -> String {
    let suffix = rng.weighted_pick(&[('a', 85), ('b', 10), ('c', 5)]);
    format!(
        "UA-{}-{:02}-{:02}-{:06}-{suffix}",
        day.year(),
        u8::from(day.month()),
        day.day(),
        rng.between(1, 999_999)
    )
}

/// The records a project relates to: its object's damage record, its tenders and, for a
/// few, an earlier project in the same hromada.
pub(crate) fn related(
    rng: &mut Rng,
    draft: &Draft,
    tenders: &Tenders,
    earlier: Option<&ProjectId>,
) -> Vec<RelatedProcess> {
    let mut related = Vec::new();
    if let (Purpose::Restoration, Some(damage)) = (draft.purpose, &draft.damage) {
        related.push(RelatedProcess {
            scheme: RelatedProcessScheme::UaRddp,
            identifier: damage.record_id.clone(),
            relationship: Relationship::Object,
        });
    }
    for process in &tenders.processes {
        related.push(RelatedProcess {
            scheme: RelatedProcessScheme::UaProzorro,
            identifier: process.tender_id.clone(),
            relationship: Relationship::Procurement,
        });
    }
    if let Some(earlier) = earlier.filter(|_| rng.percent(4)) {
        let relationships = [
            Relationship::Dependency,
            Relationship::Supplemented,
            Relationship::Parent,
        ];
        related.push(RelatedProcess {
            scheme: RelatedProcessScheme::UaDream,
            identifier: earlier.to_string(),
            relationship: *rng.pick(&relationships),
        });
    }
    related
}
