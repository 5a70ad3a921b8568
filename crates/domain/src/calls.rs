//! Calls for proposals: a ministry's published offer of money for projects of some oblasts
//! and sectors, open for a window of time, with a scoring formula that anyone can rerun.
//!
//! A project that passes [`eligibility`] applies; [`ScoringFormula::score`] scores it and
//! shows every part of the sum; [`rank`] orders the applications; [`decide`] takes the
//! commission's decisions and refuses any that departs from the ranking without a reason.
//!
//! Each criterion of a formula turns one measured value (its input) into a normalised value
//! from 0 to 100; its points are normalised × weight ÷ 100, the weights of a formula adding up
//! to 100, and the total is the sum of the points. Every number shown is rounded to two
//! decimals and the next one is computed from the rounded value, so the published parts give
//! the published total exactly:
//!
//! - **oblast risk**: the input is the risk level, 1 to 5, of the project's oblast in the
//!   call's risk table; normalised (level − 1) × 25. An oblast missing from the table
//!   scores 0.
//! - **people served**: the sum of the targets of the `numberOfConsumers` metrics;
//!   normalised input ÷ `fullScoreAt` × 100, at most 100.
//! - **displaced people served**: the same over the `numberOfIDP` metrics.
//! - **co-financing**: the percentage of the need covered by the proposed approach's finance
//!   lines that do not come from the call's ministry; normalised input ÷
//!   `fullScoreAtPercent` × 100, at most 100. A project without a budget scores 0.
//! - **design readiness**: how many of `designDocument` and `permissionDocument` the project
//!   has; normalised 50 for each.
//! - **cost per beneficiary**: the need in major units ÷ the people served; normalised 100 at
//!   or below `fullScoreAt`, 0 at or above `zeroScoreAt`, on a straight line between. A
//!   project without a budget or without people served, or budgeted in another currency
//!   than the thresholds, scores 0.

use std::mem::discriminant;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::codelist::{DocumentType, MetricCharacteristic, Sector, StatusDetails};
use crate::codes::{Edrpou, Katottg};
use crate::ids::ProjectId;
use crate::money::Money;
use crate::policy::{Action, Actor, Refusal, RefusalKind, Role, oblast_prefix, same_oblast};
use crate::project::{Project, ProjectContent};
use crate::text::Text;
use crate::validation::FieldErrors;
use crate::workflow::{Justification, ROUTE, Reason, Step, stage_name};

/// The id a call is published under, such as `shelters-in-schools-2025`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CallId(pub String);

/// A call for proposals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Call {
    pub id: CallId,
    /// The ministry that runs the call; its commission decides.
    pub ministry: Edrpou,
    pub title: Text,
    #[serde(with = "crate::timestamp")]
    pub opens: OffsetDateTime,
    /// The first moment at which applications are no longer accepted.
    #[serde(with = "crate::timestamp")]
    pub closes: OffsetDateTime,
    /// The oblasts (by any KATOTTG code inside them) whose projects may apply; empty for all.
    #[serde(default)]
    pub eligible_oblasts: Vec<Katottg>,
    /// The sectors or subsectors that may apply; a sector admits its subsectors; empty for all.
    #[serde(default)]
    pub eligible_sectors: Vec<Sector>,
    /// The kinds of document every application must carry.
    #[serde(default)]
    pub required_documents: Vec<DocumentType>,
    pub formula: ScoringFormula,
    /// The risk level of each oblast that the oblast-risk criterion reads, published with
    /// the call so that every score can be recomputed from the call alone.
    #[serde(default)]
    pub oblast_risks: RiskTable,
}

/// A measure a formula scores; the module documentation says how each is normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Criterion {
    OblastRisk,
    PeopleServed {
        full_score_at: u64,
    },
    DisplacedPeopleServed {
        full_score_at: u64,
    },
    CoFinancing {
        full_score_at_percent: u32,
    },
    DesignReadiness,
    CostPerBeneficiary {
        full_score_at: Money,
        zero_score_at: Money,
    },
}

/// A criterion and its share of the total, out of 100.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WeightedCriterion {
    pub weight: u32,
    pub criterion: Criterion,
}

/// A published scoring formula: criteria whose weights add up to 100.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawFormula", rename_all = "camelCase")]
pub struct ScoringFormula {
    criteria: Vec<WeightedCriterion>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawFormula {
    criteria: Vec<WeightedCriterion>,
}

impl TryFrom<RawFormula> for ScoringFormula {
    type Error = FieldErrors;
    fn try_from(raw: RawFormula) -> Result<Self, Self::Error> {
        Self::new(raw.criteria)
    }
}

impl ScoringFormula {
    /// A formula whose weights are each 1 or more and add up to 100, with each criterion at
    /// most once and parameters that make sense.
    pub fn new(criteria: Vec<WeightedCriterion>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let sum: u32 = criteria.iter().map(|c| c.weight).sum();
        if sum != 100 {
            errors.add("criteria", format!("the weights add up to {sum}, not 100"));
        }
        for (index, weighted) in criteria.iter().enumerate() {
            let field = format!("criteria[{index}]");
            if weighted.weight == 0 {
                errors.add(format!("{field}.weight"), "a weight is 1 or more");
            }
            let kind = discriminant(&weighted.criterion);
            if criteria[..index]
                .iter()
                .any(|c| discriminant(&c.criterion) == kind)
            {
                errors.add(format!("{field}.criterion"), "each criterion appears once");
            }
            weighted
                .criterion
                .check(&format!("{field}.criterion"), &mut errors);
        }
        errors.into_result()?;
        Ok(Self { criteria })
    }

    pub fn criteria(&self) -> &[WeightedCriterion] {
        &self.criteria
    }

    /// Scores a project, showing the input, normalised value and points of every criterion.
    pub fn score(&self, project: &ProjectContent, inputs: &ScoringInputs) -> Score {
        let parts: Vec<ScorePart> = self
            .criteria
            .iter()
            .map(|weighted| {
                let input = weighted.criterion.measure(project, inputs).map(round2);
                let normalised = weighted.criterion.normalise(input);
                ScorePart {
                    criterion: weighted.criterion.clone(),
                    input,
                    normalised,
                    weight: weighted.weight,
                    points: points(normalised, weighted.weight),
                }
            })
            .collect();
        Score {
            total: total(&parts),
            parts,
        }
    }
}

impl Criterion {
    fn check(&self, field: &str, errors: &mut FieldErrors) {
        match self {
            Criterion::PeopleServed { full_score_at }
            | Criterion::DisplacedPeopleServed { full_score_at } => {
                if *full_score_at == 0 {
                    errors.add(format!("{field}.fullScoreAt"), "must be 1 or more");
                }
            }
            Criterion::CoFinancing {
                full_score_at_percent,
            } => {
                if !(1..=100).contains(full_score_at_percent) {
                    errors.add(format!("{field}.fullScoreAtPercent"), "from 1 to 100");
                }
            }
            Criterion::CostPerBeneficiary {
                full_score_at,
                zero_score_at,
            } => {
                if full_score_at.currency != zero_score_at.currency {
                    errors.add(format!("{field}.zeroScoreAt"), "use one currency for both");
                } else if full_score_at.amount_minor >= zero_score_at.amount_minor {
                    errors.add(
                        format!("{field}.zeroScoreAt"),
                        "the cost that scores nothing must be above the cost that scores full",
                    );
                }
            }
            Criterion::OblastRisk | Criterion::DesignReadiness => {}
        }
    }

    /// The value the criterion reads from the project, before rounding; `None` when the
    /// project lacks what it needs.
    fn measure(&self, project: &ProjectContent, inputs: &ScoringInputs) -> Option<f64> {
        match self {
            Criterion::OblastRisk => {
                let location = &project.locations.first()?.katottg;
                inputs.risks.level_of(location).map(f64::from)
            }
            Criterion::PeopleServed { .. } => {
                metric_target(project, MetricCharacteristic::NumberOfConsumers)
            }
            Criterion::DisplacedPeopleServed { .. } => {
                metric_target(project, MetricCharacteristic::NumberOfIdp)
            }
            Criterion::CoFinancing { .. } => co_financing_percent(project, inputs.call_ministry),
            Criterion::DesignReadiness => {
                let kinds = [
                    DocumentType::DesignDocument,
                    DocumentType::PermissionDocument,
                ];
                let present = kinds.iter().filter(|kind| has_document(project, **kind));
                Some(present.count() as f64)
            }
            Criterion::CostPerBeneficiary { full_score_at, .. } => {
                // FIXME: without exchange rates a budget in euros cannot be compared with
                // thresholds in hryvnias, so such a project scores nothing here.
                let need = project.funding().need;
                let people = metric_target(project, MetricCharacteristic::NumberOfConsumers)?;
                if need.currency != full_score_at.currency || need.amount_minor == 0 || people < 1.0
                {
                    return None;
                }
                Some(major_units(need) / people)
            }
        }
    }

    /// Turns a shown input into 0 to 100, rounded to two decimals, by the rule of the module
    /// documentation. Public so that anyone can check a published score part.
    pub fn normalise(&self, input: Option<f64>) -> f64 {
        let Some(input) = input else {
            return 0.0;
        };
        let value = match self {
            Criterion::OblastRisk => (input - 1.0) * 25.0,
            Criterion::PeopleServed { full_score_at }
            | Criterion::DisplacedPeopleServed { full_score_at } => {
                input / *full_score_at as f64 * 100.0
            }
            Criterion::CoFinancing {
                full_score_at_percent,
            } => input / f64::from(*full_score_at_percent) * 100.0,
            Criterion::DesignReadiness => input * 50.0,
            Criterion::CostPerBeneficiary {
                full_score_at,
                zero_score_at,
            } => {
                let (best, worst) = (major_units(*full_score_at), major_units(*zero_score_at));
                (worst - input) / (worst - best) * 100.0
            }
        };
        round2(value.clamp(0.0, 100.0))
    }

    /// The criterion's name in both languages, for the published formula and score sheets.
    pub fn name(&self) -> Text {
        let (uk, en) = match self {
            Criterion::OblastRisk => ("Рівень ризику області", "Oblast risk level"),
            Criterion::PeopleServed { .. } => ("Кількість споживачів", "People served"),
            Criterion::DisplacedPeopleServed { .. } => {
                ("Кількість ВПО серед споживачів", "Displaced people served")
            }
            Criterion::CoFinancing { .. } => ("Частка співфінансування", "Co-financing share"),
            Criterion::DesignReadiness => ("Готовність проєктної документації", "Design readiness"),
            Criterion::CostPerBeneficiary { .. } => {
                ("Вартість на одного отримувача", "Cost per beneficiary")
            }
        };
        Text::new(uk, en)
    }
}

/// The sum of the targets of a project's metrics of one kind; `None` when it has none.
fn metric_target(project: &ProjectContent, kind: MetricCharacteristic) -> Option<f64> {
    let targets: Vec<f64> = project
        .metrics
        .iter()
        .filter(|metric| metric.characteristic == kind)
        .map(|metric| metric.target)
        .collect();
    (!targets.is_empty()).then(|| targets.iter().sum())
}

/// The share of the need, in percent, that the proposed approach's finance lines from
/// anyone other than the call's ministry cover.
fn co_financing_percent(project: &ProjectContent, ministry: &Edrpou) -> Option<f64> {
    let need = project.funding().need.amount_minor;
    if need == 0 {
        return None;
    }
    let others: i64 = project
        .proposed_approach()?
        .finance
        .iter()
        .filter(|line| line.financing_party.id.as_ref() != Some(ministry))
        .map(|line| line.amount.amount_minor)
        .sum();
    Some(others as f64 / need as f64 * 100.0)
}

fn has_document(project: &ProjectContent, kind: DocumentType) -> bool {
    project.documents.iter().any(|d| d.document_type == kind)
}

fn major_units(money: Money) -> f64 {
    money.amount_minor as f64 / 10f64.powi(i32::from(money.currency.minor_digits()))
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// The points a part gives: its normalised value scaled by its weight out of 100.
pub fn points(normalised: f64, weight: u32) -> f64 {
    round2(normalised * f64::from(weight) / 100.0)
}

/// The total of a score: the sum of its parts' points.
pub fn total(parts: &[ScorePart]) -> f64 {
    round2(parts.iter().map(|part| part.points).sum())
}

/// The risk level of each oblast, 1 (far from the fighting) to 5 (on the front line), as
/// the ministry sets it for a call. Higher risk means greater need and more points.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<OblastRisk>", into = "Vec<OblastRisk>")]
pub struct RiskTable(Vec<OblastRisk>);

/// One oblast's risk level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OblastRisk {
    pub oblast: Katottg,
    pub level: u8,
}

impl RiskTable {
    /// A table with each oblast once and every level from 1 to 5.
    pub fn new(levels: Vec<OblastRisk>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        for (index, risk) in levels.iter().enumerate() {
            if !(1..=5).contains(&risk.level) {
                errors.add(format!("[{index}].level"), "a risk level is from 1 to 5");
            }
            if levels[..index]
                .iter()
                .any(|o| same_oblast(&o.oblast, &risk.oblast))
            {
                errors.add(format!("[{index}].oblast"), "this oblast is listed twice");
            }
        }
        errors.into_result()?;
        Ok(Self(levels))
    }

    /// The level of the oblast that `location` lies in.
    pub fn level_of(&self, location: &Katottg) -> Option<u8> {
        let prefix = oblast_prefix(location);
        let found = self
            .0
            .iter()
            .find(|risk| oblast_prefix(&risk.oblast) == prefix);
        found.map(|risk| risk.level)
    }
}

impl TryFrom<Vec<OblastRisk>> for RiskTable {
    type Error = FieldErrors;
    fn try_from(levels: Vec<OblastRisk>) -> Result<Self, Self::Error> {
        Self::new(levels)
    }
}

impl From<RiskTable> for Vec<OblastRisk> {
    fn from(table: RiskTable) -> Self {
        table.0
    }
}

/// What a score needs beyond the project itself.
#[derive(Debug, Clone, Copy)]
pub struct ScoringInputs<'a> {
    /// Money from this ministry is the call's own, not co-financing.
    pub call_ministry: &'a Edrpou,
    pub risks: &'a RiskTable,
}

/// A project's score and how it was reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Score {
    pub total: f64,
    pub parts: Vec<ScorePart>,
}

/// One criterion's share of a score, with everything needed to recompute it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScorePart {
    pub criterion: Criterion,
    /// The measured value; `None` when the project lacks what the criterion reads.
    pub input: Option<f64>,
    pub normalised: f64,
    pub weight: u32,
    pub points: f64,
}

impl Call {
    /// Lists what is wrong with a call before it is published; the formula checks itself.
    pub fn check(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        self.title.check("title", 300, &mut errors);
        if self.id.0.trim().is_empty() {
            errors.add("id", "the id is required");
        }
        if self.closes <= self.opens {
            errors.add("closes", "a call closes after it opens");
        }
        errors
    }

    /// Scores a project by this call's formula.
    pub fn score(&self, project: &ProjectContent) -> Score {
        let inputs = ScoringInputs {
            call_ministry: &self.ministry,
            risks: &self.oblast_risks,
        };
        self.formula.score(project, &inputs)
    }
}

/// Whether `actor` may publish `call`: a member of the commission of the ministry that runs
/// it, or an administrator of the agency on the ministry's behalf.
pub fn may_open(actor: &Actor, call: &Call) -> Result<(), Refusal> {
    match actor.role {
        Role::Administrator => Ok(()),
        Role::CommissionMember if actor.organisation.as_ref() == Some(&call.ministry) => Ok(()),
        Role::CommissionMember => Err(Refusal {
            kind: RefusalKind::OtherMinistry,
            message: Text::new(
                format!(
                    "Конкурс оголошує міністерство з ЄДРПОУ {}, а не ваше",
                    call.ministry
                ),
                format!(
                    "The call is run by the ministry with EDRPOU {}, not yours",
                    call.ministry
                ),
            ),
        }),
        _ => Err(Refusal {
            kind: RefusalKind::WrongRole,
            message: Text::new(
                format!("Роль «{}» не оголошує конкурсів", actor.role.name().uk),
                format!(
                    "The role \"{}\" does not open calls",
                    actor.role.name().in_lang("en")
                ),
            ),
        }),
    }
}

/// Why a project may not apply to a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Ineligibility {
    NotOpenYet {
        #[serde(with = "crate::timestamp")]
        opens: OffsetDateTime,
    },
    Closed {
        #[serde(with = "crate::timestamp")]
        closes: OffsetDateTime,
    },
    NoLocation,
    OblastNotEligible {
        location: Katottg,
    },
    SectorNotEligible {
        sector: Sector,
    },
    MissingDocument {
        document_type: DocumentType,
    },
    WrongStage {
        stage: StatusDetails,
    },
    Withdrawn,
}

impl Ineligibility {
    /// What to tell the initiator, in both languages.
    pub fn message(&self) -> Text {
        match self {
            Ineligibility::NotOpenYet { opens } => Text::new(
                format!("Конкурс відкривається {}", crate::timestamp::format(*opens)),
                format!("The call opens at {}", crate::timestamp::format(*opens)),
            ),
            Ineligibility::Closed { closes } => Text::new(
                format!("Конкурс закрився {}", crate::timestamp::format(*closes)),
                format!("The call closed at {}", crate::timestamp::format(*closes)),
            ),
            Ineligibility::NoLocation => Text::new(
                "Проєкт не має місця розташування",
                "The project has no location",
            ),
            Ineligibility::OblastNotEligible { location } => Text::new(
                format!("Місце {location} лежить в області, що не бере участі в конкурсі"),
                format!("Location {location} lies in an oblast the call does not cover"),
            ),
            Ineligibility::SectorNotEligible { sector } => Text::new(
                format!("Сектор {sector} не бере участі в конкурсі"),
                format!("The call does not cover the sector {sector}"),
            ),
            Ineligibility::MissingDocument { document_type } => Text::new(
                format!("Бракує документа типу {document_type}"),
                format!("A document of type {document_type} is required"),
            ),
            Ineligibility::WrongStage { stage } => Text::new(
                format!("Проєкт на етапі «{}», а не оцінений", stage_name(*stage).uk),
                format!(
                    "The project is at stage \"{}\", not appraised",
                    stage_name(*stage).in_lang("en")
                ),
            ),
            Ineligibility::Withdrawn => Text::new("Проєкт відкликано", "The project was withdrawn"),
        }
    }
}

/// Whether `project` may apply to `call` at the moment `at`; every reason why not at once.
pub fn eligibility(
    call: &Call,
    project: &Project,
    at: OffsetDateTime,
) -> Result<(), Vec<Ineligibility>> {
    let content = &project.content;
    let mut reasons = Vec::new();

    if at < call.opens {
        reasons.push(Ineligibility::NotOpenYet { opens: call.opens });
    } else if at >= call.closes {
        reasons.push(Ineligibility::Closed {
            closes: call.closes,
        });
    }

    reasons.extend(oblast_reasons(call, content));
    if !sector_is_eligible(call, content) {
        reasons.push(Ineligibility::SectorNotEligible {
            sector: content.subsector.unwrap_or(content.sector),
        });
    }
    for kind in &call.required_documents {
        if !has_document(content, *kind) {
            reasons.push(Ineligibility::MissingDocument {
                document_type: *kind,
            });
        }
    }

    if project.status == crate::codelist::Status::Cancelled {
        reasons.push(Ineligibility::Withdrawn);
    } else if !may_apply_from(content.status_details) {
        reasons.push(Ineligibility::WrongStage {
            stage: content.status_details,
        });
    }

    if reasons.is_empty() {
        Ok(())
    } else {
        Err(reasons)
    }
}

/// Every location must lie in an eligible oblast: a project cannot bring a second oblast's
/// works into a call by listing one eligible place first.
fn oblast_reasons(call: &Call, content: &ProjectContent) -> Vec<Ineligibility> {
    if call.eligible_oblasts.is_empty() {
        return Vec::new();
    }
    if content.locations.is_empty() {
        return vec![Ineligibility::NoLocation];
    }
    content
        .locations
        .iter()
        .filter(|l| {
            !call
                .eligible_oblasts
                .iter()
                .any(|o| same_oblast(o, &l.katottg))
        })
        .map(|l| Ineligibility::OblastNotEligible {
            location: l.katottg.clone(),
        })
        .collect()
}

fn sector_is_eligible(call: &Call, content: &ProjectContent) -> bool {
    call.eligible_sectors.is_empty()
        || call.eligible_sectors.contains(&content.sector)
        || content
            .subsector
            .is_some_and(|subsector| call.eligible_sectors.contains(&subsector))
}

/// The route decides from which stages a project applies to a call.
fn may_apply_from(stage: StatusDetails) -> bool {
    ROUTE
        .iter()
        .any(|row| row.action == Action::ApplyToCall && row.from.contains(&stage))
}

/// A project's application to a call, scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Application {
    pub project: ProjectId,
    #[serde(with = "crate::timestamp")]
    pub submitted: OffsetDateTime,
    pub score: Score,
}

/// An application with its place in the ranking, 1 for the best.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Ranked {
    pub position: usize,
    pub application: Application,
}

/// Orders applications by total score, highest first; an equal score goes to the one
/// submitted earlier, and an equal moment to the lower project id, so a ranking never
/// depends on the order applications were read in.
pub fn rank(mut applications: Vec<Application>) -> Vec<Ranked> {
    applications.sort_by(|a, b| {
        b.score
            .total
            .total_cmp(&a.score.total)
            .then(a.submitted.cmp(&b.submitted))
            .then(a.project.cmp(&b.project))
    });
    applications
        .into_iter()
        .enumerate()
        .map(|(index, application)| Ranked {
            position: index + 1,
            application,
        })
        .collect()
}

/// What a commission decides on one application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    Approve,
    Refuse,
}

/// One decision as the commission records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CallDecision {
    pub project: ProjectId,
    pub verdict: Verdict,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
}

/// An accepted decision and the step of the route it makes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decided {
    pub project: ProjectId,
    pub position: usize,
    /// The higher-ranked project this approval passed over (refused or left undecided).
    pub passed_over: Option<ProjectId>,
    pub step: Step,
}

/// Why a commission's decisions were not accepted, naming the project concerned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum DecisionProblem {
    #[error("{project} did not apply to this call")]
    NotInRanking { project: ProjectId },
    #[error("{project} is decided twice")]
    DecidedTwice { project: ProjectId },
    #[error("approving {project} passes over the higher-ranked {passed_over}; record a reason")]
    DepartsWithoutReason {
        project: ProjectId,
        passed_over: ProjectId,
    },
    #[error("refusing {project} needs a reason")]
    RefusedWithoutReason { project: ProjectId },
}

/// Accepts a commission's decisions on a ranking, or lists every problem with them. An
/// approval departs from the ranking when a higher-ranked application was refused or left
/// undecided; such an approval, and every refusal, needs a recorded reason.
///
/// FIXME: a call has no budget yet, so an approval that passes over a higher-ranked project
/// because the money ran out still needs a reason written by hand.
pub fn decide(
    ranking: &[Ranked],
    decisions: &[CallDecision],
) -> Result<Vec<Decided>, Vec<DecisionProblem>> {
    let mut problems = Vec::new();
    for (index, decision) in decisions.iter().enumerate() {
        let project = decision.project.clone();
        if !ranking.iter().any(|r| r.application.project == project) {
            problems.push(DecisionProblem::NotInRanking { project });
        } else if decisions[..index].iter().any(|d| d.project == project) {
            problems.push(DecisionProblem::DecidedTwice { project });
        }
    }

    let mut decided = Vec::new();
    for ranked in ranking {
        let id = &ranked.application.project;
        let Some(decision) = decisions.iter().find(|d| &d.project == id) else {
            continue;
        };
        match decided_step(ranking, decisions, ranked, decision) {
            Ok(step) => decided.push(step),
            Err(problem) => problems.push(problem),
        }
    }

    if problems.is_empty() {
        Ok(decided)
    } else {
        Err(problems)
    }
}

fn decided_step(
    ranking: &[Ranked],
    decisions: &[CallDecision],
    ranked: &Ranked,
    decision: &CallDecision,
) -> Result<Decided, DecisionProblem> {
    let project = decision.project.clone();
    let reason = decision.reason.clone();
    let passed_over = match decision.verdict {
        Verdict::Approve => first_passed_over(ranking, decisions, ranked.position),
        Verdict::Refuse => None,
    };

    let step = match (decision.verdict, reason, &passed_over) {
        (Verdict::Refuse, Some(reason), _) => Step::Refuse { reason },
        (Verdict::Refuse, None, _) => {
            return Err(DecisionProblem::RefusedWithoutReason { project });
        }
        (Verdict::Approve, _, None) => Step::Approve {
            justification: Justification::FollowsRanking,
        },
        (Verdict::Approve, Some(reason), Some(_)) => Step::Approve {
            justification: Justification::DepartsFromRanking { reason },
        },
        (Verdict::Approve, None, Some(higher)) => {
            return Err(DecisionProblem::DepartsWithoutReason {
                project,
                passed_over: higher.clone(),
            });
        }
    };

    Ok(Decided {
        project,
        position: ranked.position,
        passed_over,
        step,
    })
}

/// The best-ranked application above `position` that was not approved.
fn first_passed_over(
    ranking: &[Ranked],
    decisions: &[CallDecision],
    position: usize,
) -> Option<ProjectId> {
    ranking
        .iter()
        .filter(|higher| higher.position < position)
        .find(|higher| {
            let id = &higher.application.project;
            let verdict = decisions
                .iter()
                .find(|d| &d.project == id)
                .map(|d| d.verdict);
            verdict != Some(Verdict::Approve)
        })
        .map(|higher| higher.application.project.clone())
}
