//! The route every project takes from a community's idea to implementation: one table of
//! steps, the input each step needs, and [`transition`], which checks a step against the
//! actor's permissions ([`crate::policy::can`]) and the table, and says where it leads.
//!
//! | from | step | who | to |
//! |---|---|---|---|
//! | initiated | edit | initiator | definition |
//! | definition | edit | initiator | (stays) |
//! | any stage | edit | administrator | (stays) |
//! | initiated, definition | submit for review | initiator | defined |
//! | defined, appraisal | return with reasons | oblast reviewer | definition |
//! | defined | start appraisal | oblast reviewer | appraisal |
//! | appraisal | appraise (score sheet) | oblast reviewer | appraised |
//! | appraised | prepare financing | initiator, administrator | structuring |
//! | structuring | complete financing | initiator, administrator | structured |
//! | appraised, structured, refused | apply to a call | initiator | applied |
//! | applied | approve | commission member | approved |
//! | applied | refuse | commission member | refused |
//! | approved | start implementation | initiator, administrator | implementation |
//! | any stage | withdraw | initiator, administrator | (stays, withdrawn) |
//!
//! The initiator holds a project only while it is a draft (initiated or definition), before
//! submission or after a return; from `defined` on it is public and only the oblast's
//! reviewers move it until it is appraised. Financing can be prepared (structuring) before
//! a call or skipped; a refused project may apply to a later call. Nobody skips the oblast
//! review: only an oblast reviewer of the project's own oblast appraises, and only a member
//! of the commission of the ministry whose call the project applied to approves or refuses.
//! Who may act on which project (its organisation, oblast, ministry) is
//! [`crate::policy::can`]'s business; this table says only which role takes which step.
//!
//! Where a person decides, the step carries the reason: a return, a refusal, a withdrawal,
//! an approval that departs from a call's ranking, and the conclusion of an appraisal. A
//! [`Reason`] cannot be empty, so a step without one cannot even be built.

use serde::{Deserialize, Serialize};

use crate::codelist::{Status, StatusDetails};
use crate::codes::Edrpou;
use crate::policy::{Action, Actor, ProjectFacts, Refusal, Role, can};
use crate::project::Project;
use crate::text::Text;
use crate::validation::FieldErrors;

/// Where a step of the route leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// To this stage.
    To(StatusDetails),
    /// Nowhere: the project stays at its stage (an edit, a withdrawal).
    Stays,
}

/// One row of the route: from these stages, this action by one of these roles leads here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteRow {
    pub from: &'static [StatusDetails],
    pub action: Action,
    pub roles: &'static [Role],
    pub to: Next,
}

use StatusDetails as S;

/// The stages in which the initiator holds the project and only its circle sees it.
pub const DRAFT_STAGES: &[StatusDetails] = &[S::Initiated, S::Definition];

/// The route of every project; the module documentation shows it as a table.
pub const ROUTE: &[RouteRow] = &[
    row(
        &[S::Initiated],
        Action::Edit,
        &[Role::Initiator],
        Next::To(S::Definition),
    ),
    row(
        &[S::Definition],
        Action::Edit,
        &[Role::Initiator],
        Next::Stays,
    ),
    row(
        StatusDetails::ALL,
        Action::Edit,
        &[Role::Administrator],
        Next::Stays,
    ),
    row(
        DRAFT_STAGES,
        Action::SubmitForReview,
        &[Role::Initiator],
        Next::To(S::Defined),
    ),
    row(
        &[S::Defined, S::Appraisal],
        Action::ReturnWithReasons,
        &[Role::OblastReviewer],
        Next::To(S::Definition),
    ),
    row(
        &[S::Defined],
        Action::StartAppraisal,
        &[Role::OblastReviewer],
        Next::To(S::Appraisal),
    ),
    row(
        &[S::Appraisal],
        Action::Appraise,
        &[Role::OblastReviewer],
        Next::To(S::Appraised),
    ),
    row(
        &[S::Appraised],
        Action::PrepareFinancing,
        PREPARERS,
        Next::To(S::Structuring),
    ),
    row(
        &[S::Structuring],
        Action::CompleteFinancing,
        PREPARERS,
        Next::To(S::Structured),
    ),
    row(
        &[S::Appraised, S::Structured, S::Refused],
        Action::ApplyToCall,
        &[Role::Initiator],
        Next::To(S::Applied),
    ),
    row(
        &[S::Applied],
        Action::Approve,
        &[Role::CommissionMember],
        Next::To(S::Approved),
    ),
    row(
        &[S::Applied],
        Action::Refuse,
        &[Role::CommissionMember],
        Next::To(S::Refused),
    ),
    row(
        &[S::Approved],
        Action::StartImplementation,
        PREPARERS,
        Next::To(S::Implementation),
    ),
    row(StatusDetails::ALL, Action::Withdraw, PREPARERS, Next::Stays),
];

/// Those who prepare financing, start implementation and withdraw: the initiator, and the
/// Agency, which steps in when a community cannot.
const PREPARERS: &[Role] = &[Role::Initiator, Role::Administrator];

const fn row(
    from: &'static [StatusDetails],
    action: Action,
    roles: &'static [Role],
    to: Next,
) -> RouteRow {
    RouteRow {
        from,
        action,
        roles,
        to,
    }
}

/// Whether a project at this stage is a draft, seen only by its initiator's circle.
pub fn is_draft(stage: StatusDetails) -> bool {
    DRAFT_STAGES.contains(&stage)
}

/// Where the route lets `role` go with `action` from `stage`, if anywhere.
pub fn route_target(role: Role, action: Action, stage: StatusDetails) -> Option<Next> {
    ROUTE
        .iter()
        .find(|row| row.action == action && row.roles.contains(&role) && row.from.contains(&stage))
        .map(|row| row.to)
}

/// The name of a stage as DREAM shows it, in both languages.
pub fn stage_name(stage: StatusDetails) -> Text {
    let (uk, en) = match stage {
        S::Initiated => ("ініційовано", "initiated"),
        S::Definition => ("визначення", "definition"),
        S::Defined => ("визначено", "defined"),
        S::Appraisal => ("оцінювання", "appraisal"),
        S::Appraised => ("оцінено", "appraised"),
        S::Structuring => ("структурування", "structuring"),
        S::Structured => ("структуровано", "structured"),
        S::Applied => ("подано заявку", "applied"),
        S::Refused => ("відмовлено", "refused"),
        S::Approved => ("схвалено", "approved"),
        S::Implementation => ("реалізація", "implementation"),
    };
    Text::new(uk, en)
}

/// Why a person decided as they did. The Ukrainian text cannot be blank: a decision that
/// the public cannot read the reason for is not accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Text", into = "Text")]
pub struct Reason(Text);

/// A reason with no Ukrainian text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a reason is required and its Ukrainian text cannot be blank")]
pub struct EmptyReason;

impl Reason {
    /// A reason, if its Ukrainian text is not blank.
    pub fn new(text: Text) -> Result<Self, EmptyReason> {
        if text.uk.trim().is_empty() {
            return Err(EmptyReason);
        }
        Ok(Self(text))
    }

    /// The reason as the person wrote it.
    pub fn text(&self) -> &Text {
        &self.0
    }
}

impl TryFrom<Text> for Reason {
    type Error = EmptyReason;
    fn try_from(text: Text) -> Result<Self, Self::Error> {
        Self::new(text)
    }
}

impl From<Reason> for Text {
    fn from(reason: Reason) -> Self {
        reason.0
    }
}

/// One line of an oblast's score sheet: a criterion of its own methodology and its points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SheetEntry {
    pub criterion: Text,
    pub points: u32,
    pub out_of: u32,
}

/// The oblast reviewer's appraisal: points per criterion and a written conclusion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawScoreSheet", rename_all = "camelCase")]
pub struct ScoreSheet {
    entries: Vec<SheetEntry>,
    conclusion: Reason,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawScoreSheet {
    entries: Vec<SheetEntry>,
    conclusion: Reason,
}

impl TryFrom<RawScoreSheet> for ScoreSheet {
    type Error = FieldErrors;
    fn try_from(raw: RawScoreSheet) -> Result<Self, Self::Error> {
        Self::new(raw.entries, raw.conclusion)
    }
}

impl ScoreSheet {
    /// A sheet with at least one criterion, each scored within its maximum.
    pub fn new(entries: Vec<SheetEntry>, conclusion: Reason) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        if entries.is_empty() {
            errors.add("entries", "a score sheet scores at least one criterion");
        }
        for (index, entry) in entries.iter().enumerate() {
            entry
                .criterion
                .check(&format!("entries[{index}].criterion"), 500, &mut errors);
            if entry.out_of == 0 {
                errors.add(format!("entries[{index}].outOf"), "must be 1 or more");
            } else if entry.points > entry.out_of {
                errors.add(
                    format!("entries[{index}].points"),
                    format!("at most {} points", entry.out_of),
                );
            }
        }
        errors.into_result()?;
        Ok(Self {
            entries,
            conclusion,
        })
    }

    pub fn entries(&self) -> &[SheetEntry] {
        &self.entries
    }

    pub fn conclusion(&self) -> &Reason {
        &self.conclusion
    }

    /// The points given and the points possible.
    pub fn total(&self) -> (u32, u32) {
        let points = self.entries.iter().map(|e| e.points).sum();
        let out_of = self.entries.iter().map(|e| e.out_of).sum();
        (points, out_of)
    }
}

/// Whether an approval follows a call's ranking or departs from it, and then why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Justification {
    FollowsRanking,
    DepartsFromRanking { reason: Reason },
}

/// A step of the route with the input it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "action",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Step {
    Edit,
    SubmitForReview,
    ReturnWithReasons {
        reason: Reason,
    },
    StartAppraisal,
    Appraise {
        sheet: ScoreSheet,
    },
    PrepareFinancing,
    CompleteFinancing,
    /// Applies to a call of `ministry`, whose commission then decides.
    ApplyToCall {
        ministry: Edrpou,
    },
    Approve {
        justification: Justification,
    },
    Refuse {
        reason: Reason,
    },
    StartImplementation,
    Withdraw {
        reason: Reason,
    },
}

impl Step {
    /// The action this step is, for [`can`].
    pub fn action(&self) -> Action {
        match self {
            Step::Edit => Action::Edit,
            Step::SubmitForReview => Action::SubmitForReview,
            Step::ReturnWithReasons { .. } => Action::ReturnWithReasons,
            Step::StartAppraisal => Action::StartAppraisal,
            Step::Appraise { .. } => Action::Appraise,
            Step::PrepareFinancing => Action::PrepareFinancing,
            Step::CompleteFinancing => Action::CompleteFinancing,
            Step::ApplyToCall { .. } => Action::ApplyToCall,
            Step::Approve { .. } => Action::Approve,
            Step::Refuse { .. } => Action::Refuse,
            Step::StartImplementation => Action::StartImplementation,
            Step::Withdraw { .. } => Action::Withdraw,
        }
    }

    /// The reason the person gave, for the revision history and the public page.
    pub fn reason(&self) -> Option<&Reason> {
        match self {
            Step::ReturnWithReasons { reason }
            | Step::Refuse { reason }
            | Step::Withdraw { reason } => Some(reason),
            Step::Appraise { sheet } => Some(sheet.conclusion()),
            Step::Approve {
                justification: Justification::DepartsFromRanking { reason },
            } => Some(reason),
            _ => None,
        }
    }
}

/// What a step does to a project: the stage it leaves and reaches, and the status it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Transition {
    pub from: StatusDetails,
    pub to: StatusDetails,
    pub withdrawn: bool,
    pub status: Status,
}

/// Checks that `actor` may take `step` on `project` and says where it leads.
pub fn transition(
    actor: &Actor,
    step: &Step,
    project: &ProjectFacts,
) -> Result<Transition, Refusal> {
    let action = step.action();
    can(actor, action, project)?;

    // `can` has found a row of the route for this role and stage; asking again keeps this
    // function correct even if `can` one day lets a role act outside the table.
    let next = route_target(actor.role, action, project.stage)
        .ok_or_else(|| crate::policy::wrong_stage(actor.role, action, project.stage))?;
    let to = match next {
        Next::To(stage) => stage,
        Next::Stays => project.stage,
    };

    let withdrawn = project.withdrawn || action == Action::Withdraw;
    Ok(Transition {
        from: project.stage,
        to,
        withdrawn,
        status: Project::derive_status(withdrawn, to),
    })
}

impl ProjectFacts {
    /// The facts after `step` made `transition`: the new stage, the withdrawal, and the
    /// ministry of the call the project applied to.
    pub fn after(&self, step: &Step, transition: &Transition) -> ProjectFacts {
        let mut next = self.clone();
        next.stage = transition.to;
        next.withdrawn = transition.withdrawn;
        if let Step::ApplyToCall { ministry } = step {
            next.call_ministry = Some(ministry.clone());
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_reason_cannot_be_built_or_read() {
        assert_eq!(Reason::new(Text::new("  ", "because")), Err(EmptyReason));
        let json = serde_json::json!({"action": "refuse", "reason": {"uk": "", "en": "no"}});
        assert!(serde_json::from_value::<Step>(json).is_err());
    }

    #[test]
    fn a_refusal_reads_from_json_with_its_reason() {
        let json = serde_json::json!({"action": "refuse", "reason": {"uk": "Немає коштів"}});
        let step: Step = serde_json::from_value(json).unwrap();
        assert_eq!(step.action(), Action::Refuse);
        assert_eq!(step.reason().unwrap().text().uk, "Немає коштів");
    }

    #[test]
    fn a_score_sheet_refuses_points_above_the_maximum() {
        let conclusion = Reason::new(Text::new("Готовий", "Ready")).unwrap();
        let entry = SheetEntry {
            criterion: Text::new("Готовність документації", "Design readiness"),
            points: 11,
            out_of: 10,
        };
        let errors = ScoreSheet::new(vec![entry], conclusion.clone()).unwrap_err();
        assert_eq!(errors.iter().next().unwrap().field, "entries[0].points");
        assert!(ScoreSheet::new(Vec::new(), conclusion).is_err());
    }

    #[test]
    fn every_stage_has_a_way_in_except_the_first() {
        for stage in StatusDetails::ALL {
            let reached = ROUTE.iter().any(|row| row.to == Next::To(*stage));
            assert_eq!(reached, *stage != S::Initiated, "{stage}");
        }
    }
}
