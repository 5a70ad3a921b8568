//! Who may do what to a project: the roles of DREAM, the actor behind a request, the actions a
//! person can take, and the one function, [`can`], that answers every permission question.
//!
//! A permission depends on two things: the actor's reach (its own organisation's projects,
//! its oblast's projects, its ministry's calls, the projects it funds) and the project's
//! place on the route. The route itself lives in [`crate::workflow::ROUTE`]; `can` reads
//! that table for every step of the route, so a stage is never allowed in one place and
//! forbidden in another. List queries use [`visible_filter`], which `can` also uses to
//! answer [`Action::View`], so a project a list shows is a project its page opens.

use serde::Serialize;

use crate::codelist::{PartyRole, Status, StatusDetails};
use crate::codes::{Edrpou, Katottg};
use crate::project::Project;
use crate::text::Text;
use crate::workflow::{self, ROUTE};

/// What a person does in DREAM, which decides what they may see and change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    /// Enters and prepares the projects of its own organisation (a hromada, an enterprise).
    Initiator,
    /// Reviews and appraises the projects located in its oblast.
    OblastReviewer,
    /// Sits on a ministry's commission and decides on the applications to its calls.
    CommissionMember,
    /// Works for the Agency for Restoration; may do everything except the decisions that the
    /// law gives to an oblast review and a commission, and every act is audited.
    Administrator,
    /// Reads everything public and records pledges and funding on the projects it funds.
    Donor,
    /// Anyone without an account: citizens, journalists, monitors.
    Public,
}

impl Role {
    /// Every role, for screens and tests that go through them all.
    pub const ALL: &'static [Role] = &[
        Role::Initiator,
        Role::OblastReviewer,
        Role::CommissionMember,
        Role::Administrator,
        Role::Donor,
        Role::Public,
    ];

    /// The role's name in both languages, as a refusal shows it.
    pub fn name(self) -> Text {
        match self {
            Role::Initiator => Text::new("ініціатор", "initiator"),
            Role::OblastReviewer => {
                Text::new("рецензент обласної адміністрації", "oblast reviewer")
            }
            Role::CommissionMember => Text::new("член комісії міністерства", "commission member"),
            Role::Administrator => Text::new("адміністратор Агентства", "agency administrator"),
            Role::Donor => Text::new("донор", "donor"),
            Role::Public => Text::new("відвідувач без облікового запису", "visitor"),
        }
    }

    /// Whether every act of this role goes to the audit log as well as to the revisions.
    /// An administrator can reach every project, so its acts are looked at separately.
    pub fn is_audited(self) -> bool {
        self == Role::Administrator
    }
}

/// The person behind a request, with the reach of its account. A visitor without an
/// account is an actor too, with the [`Role::Public`] role and no organisation or oblast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Actor {
    pub role: Role,
    /// The organisation the person acts for: the initiator, the ministry, the donor.
    pub organisation: Option<Edrpou>,
    /// The oblast an oblast reviewer reviews, by its KATOTTG code.
    pub oblast: Option<Katottg>,
    /// The person's name, for the audit log and the revision history.
    pub name: String,
}

impl Actor {
    /// A visitor without an account.
    pub fn public() -> Self {
        Self::with(Role::Public, None, None, "")
    }

    /// A person entering the projects of `organisation`.
    pub fn initiator(organisation: Edrpou, name: &str) -> Self {
        Self::with(Role::Initiator, Some(organisation), None, name)
    }

    /// A person of an oblast administration who reviews the projects of `oblast`.
    pub fn oblast_reviewer(oblast: Katottg, name: &str) -> Self {
        Self::with(Role::OblastReviewer, None, Some(oblast), name)
    }

    /// A member of the commission of `ministry`.
    pub fn commission_member(ministry: Edrpou, name: &str) -> Self {
        Self::with(Role::CommissionMember, Some(ministry), None, name)
    }

    /// A person of the Agency for Restoration.
    pub fn administrator(name: &str) -> Self {
        Self::with(Role::Administrator, None, None, name)
    }

    /// A person acting for the donor `organisation`.
    pub fn donor(organisation: Edrpou, name: &str) -> Self {
        Self::with(Role::Donor, Some(organisation), None, name)
    }

    fn with(role: Role, organisation: Option<Edrpou>, oblast: Option<Katottg>, name: &str) -> Self {
        Self {
            role,
            organisation,
            oblast,
            name: name.to_owned(),
        }
    }
}

/// Everything a person can ask to do. The steps of the route are also in
/// [`crate::workflow::ROUTE`]; the others (view, create, comment, decide on a call's
/// applications, record funding, manage accounts) are permissions only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Action {
    View,
    Create,
    Edit,
    SubmitForReview,
    ReturnWithReasons,
    StartAppraisal,
    Appraise,
    PrepareFinancing,
    CompleteFinancing,
    ApplyToCall,
    Approve,
    Refuse,
    DecideOnApplication,
    StartImplementation,
    Withdraw,
    Comment,
    RecordFunding,
    /// Link the project to its procurement in Prozorro (tenders and contracts).
    LinkProcurement,
    /// Report how the works go once the project is approved: photos of the works in
    /// progress and completed, acts and other documents, without editing the project.
    ReportProgress,
    ManageAccounts,
}

impl Action {
    /// Every action, for tests and screens that go through them all.
    pub const ALL: &'static [Action] = &[
        Action::View,
        Action::Create,
        Action::Edit,
        Action::SubmitForReview,
        Action::ReturnWithReasons,
        Action::StartAppraisal,
        Action::Appraise,
        Action::PrepareFinancing,
        Action::CompleteFinancing,
        Action::ApplyToCall,
        Action::Approve,
        Action::Refuse,
        Action::DecideOnApplication,
        Action::StartImplementation,
        Action::Withdraw,
        Action::Comment,
        Action::RecordFunding,
        Action::LinkProcurement,
        Action::ReportProgress,
        Action::ManageAccounts,
    ];

    /// What the action does, as an infinitive that fits into a refusal.
    pub fn name(self) -> Text {
        let (uk, en) = match self {
            Action::View => ("переглядати проєкт", "view the project"),
            Action::Create => ("створювати проєкт", "create a project"),
            Action::Edit => ("редагувати проєкт", "edit the project"),
            Action::SubmitForReview => ("подавати проєкт на розгляд", "submit the project"),
            Action::ReturnWithReasons => {
                ("повертати проєкт на доопрацювання", "return the project")
            }
            Action::StartAppraisal => ("починати оцінювання", "start the appraisal"),
            Action::Appraise => ("оцінювати проєкт", "appraise the project"),
            Action::PrepareFinancing => ("готувати фінансування", "prepare the financing"),
            Action::CompleteFinancing => ("завершувати фінансування", "complete the financing"),
            Action::ApplyToCall => ("подавати заявку на конкурс", "apply to a call"),
            Action::Approve => ("схвалювати проєкт", "approve the project"),
            Action::Refuse => ("відмовляти проєкту", "refuse the project"),
            Action::DecideOnApplication => ("вирішувати щодо заявки", "decide on the application"),
            Action::StartImplementation => ("починати реалізацію", "start implementation"),
            Action::Withdraw => ("відкликати проєкт", "withdraw the project"),
            Action::Comment => ("коментувати проєкт", "comment on the project"),
            Action::RecordFunding => ("вносити обіцянки й фінансування", "record funding"),
            Action::LinkProcurement => (
                "пов'язувати проєкт із закупівлями Prozorro",
                "link the project to Prozorro procurement",
            ),
            Action::ReportProgress => (
                "звітувати про хід робіт",
                "report on the progress of the works",
            ),
            Action::ManageAccounts => ("керувати обліковими записами", "manage accounts"),
        };
        Text::new(uk, en)
    }

    /// Whether the action is a step of the route, found in [`crate::workflow::ROUTE`].
    pub fn is_route_step(self) -> bool {
        ROUTE.iter().any(|row| row.action == self)
    }
}

/// What the rules need to know about a project. For [`Action::Create`] these are the facts
/// of the draft about to be made; [`Action::ManageAccounts`] ignores them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFacts {
    pub stage: StatusDetails,
    /// The EDRPOU of the party with the initiator role.
    pub initiator: Option<Edrpou>,
    /// The KATOTTG code of the project's first location; its oblast decides who reviews it.
    pub oblast: Option<Katottg>,
    /// The organisations that fund the project: funder parties and financing parties.
    pub funders: Vec<Edrpou>,
    pub withdrawn: bool,
    /// The ministry that runs the call the project applied to, once it has applied.
    pub call_ministry: Option<Edrpou>,
}

impl ProjectFacts {
    /// The facts of a stored project. The call it applied to is kept by the store, which
    /// passes its ministry in.
    ///
    /// FIXME: a project with locations in several oblasts is reviewed by the oblast of its
    /// first location only; the others cannot see its draft.
    pub fn of(project: &Project, call_ministry: Option<Edrpou>) -> Self {
        let content = &project.content;
        let funder_parties = content
            .parties
            .iter()
            .filter(|party| party.roles.contains(&PartyRole::Funder))
            .map(|party| party.id.clone());
        let financing_parties = content
            .approaches
            .iter()
            .flat_map(|approach| &approach.finance)
            .filter_map(|line| line.financing_party.id.clone());
        let mut funders: Vec<Edrpou> = funder_parties.chain(financing_parties).collect();
        funders.sort();
        funders.dedup();

        Self {
            stage: content.status_details,
            initiator: content.initiator().map(|party| party.id.clone()),
            oblast: content.locations.first().map(|l| l.katottg.clone()),
            funders,
            withdrawn: project.status == Status::Cancelled,
            call_ministry,
        }
    }

    /// The facts of a project about to be created by `initiator` at `location`.
    pub fn new_draft(initiator: Edrpou, location: Option<Katottg>) -> Self {
        Self {
            stage: StatusDetails::Initiated,
            initiator: Some(initiator),
            oblast: location,
            funders: Vec::new(),
            withdrawn: false,
            call_ministry: None,
        }
    }
}

/// Why an action was refused, in both languages, for a 403 page or an API error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{}", .message.in_lang("en"))]
pub struct Refusal {
    pub kind: RefusalKind,
    pub message: Text,
}

/// The kind of a refusal, for code that reacts to it (a sign-in link for `NoAccount`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum RefusalKind {
    /// The visitor has no account and the action needs one.
    NoAccount,
    /// The account lacks the organisation or oblast its role needs.
    IncompleteAccount,
    /// The role never takes this action.
    WrongRole,
    /// The project belongs to another organisation.
    OtherOrganisation,
    /// The project lies in another oblast.
    OtherOblast,
    /// The project applied to another ministry's call.
    OtherMinistry,
    /// The donor does not fund the project.
    NotAFunder,
    /// The project is not at a stage where this action is taken.
    WrongStage,
    /// The project was withdrawn and no longer changes.
    Withdrawn,
    /// The project is a draft the actor may not see.
    Draft,
}

impl Refusal {
    fn new(kind: RefusalKind, uk: String, en: String) -> Self {
        Self {
            kind,
            message: Text::new(uk, en),
        }
    }
}

/// What a list of projects must be restricted to for an actor: the same rule as
/// [`Action::View`], in a form a query can apply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Visibility {
    /// Projects from the `defined` stage on: what anyone without an account sees.
    #[default]
    PublicOnly,
    /// Public projects and the drafts whose initiator is `organisation`.
    PublicAndOwn { organisation: Edrpou },
    /// Public projects and the drafts located in the oblast of `oblast`.
    PublicAndOblast { oblast: Katottg },
    /// Every project, drafts included.
    Everything,
}

impl Visibility {
    /// Whether a project with these facts passes the restriction.
    pub fn admits(&self, project: &ProjectFacts) -> bool {
        if !workflow::is_draft(project.stage) {
            return true;
        }
        match self {
            Visibility::PublicOnly => false,
            Visibility::PublicAndOwn { organisation } => {
                project.initiator.as_ref() == Some(organisation)
            }
            Visibility::PublicAndOblast { oblast } => project
                .oblast
                .as_ref()
                .is_some_and(|location| same_oblast(location, oblast)),
            Visibility::Everything => true,
        }
    }
}

/// The projects an actor's lists may show. An account that lacks the organisation or oblast
/// its role needs sees what the public sees.
pub fn visible_filter(actor: &Actor) -> Visibility {
    match (actor.role, &actor.organisation, &actor.oblast) {
        (Role::Administrator, _, _) => Visibility::Everything,
        (Role::Initiator, Some(organisation), _) => Visibility::PublicAndOwn {
            organisation: organisation.clone(),
        },
        (Role::OblastReviewer, _, Some(oblast)) => Visibility::PublicAndOblast {
            oblast: oblast.clone(),
        },
        _ => Visibility::PublicOnly,
    }
}

/// Decides whether `actor` may take `action` on `project`; the refusal says why not.
pub fn can(actor: &Actor, action: Action, project: &ProjectFacts) -> Result<(), Refusal> {
    match action {
        Action::View => check_view(actor, project),
        Action::Comment => {
            check_view(actor, project)?;
            check_not_withdrawn(project)
        }
        Action::ManageAccounts => check_role(actor, action, &[Role::Administrator]),
        Action::Create => check_create(actor, project),
        Action::RecordFunding => check_funding(actor, project),
        Action::LinkProcurement => check_procurement_link(actor, project),
        Action::ReportProgress => check_progress_report(actor, project),
        // Deciding on an application is the approval or refusal of it, by the same people.
        Action::DecideOnApplication => check_route(actor, Action::Approve, project),
        _ => check_route(actor, action, project),
    }
}

fn check_view(actor: &Actor, project: &ProjectFacts) -> Result<(), Refusal> {
    if visible_filter(actor).admits(project) {
        return Ok(());
    }
    Err(Refusal::new(
        RefusalKind::Draft,
        "Цей проєкт — чернетка: його бачать лише ініціатор, рецензенти його області та \
         адміністратори."
            .into(),
        "This project is a draft: only its initiator, its oblast's reviewers and \
         administrators can see it."
            .into(),
    ))
}

fn check_create(actor: &Actor, project: &ProjectFacts) -> Result<(), Refusal> {
    check_role(
        actor,
        Action::Create,
        &[Role::Initiator, Role::Administrator],
    )?;
    check_account(actor)?;
    if actor.role == Role::Initiator {
        check_own_organisation(actor, project)?;
    }
    Ok(())
}

/// The initiator reports on the works of its own approved project, and the agency may for
/// it; before approval there are no works to report on, and a withdrawn project has none.
fn check_progress_report(actor: &Actor, project: &ProjectFacts) -> Result<(), Refusal> {
    check_role(
        actor,
        Action::ReportProgress,
        &[Role::Initiator, Role::Administrator],
    )?;
    check_account(actor)?;
    check_not_withdrawn(project)?;
    if !matches!(
        project.stage,
        StatusDetails::Approved | StatusDetails::Implementation
    ) {
        return Err(wrong_stage(
            actor.role,
            Action::ReportProgress,
            project.stage,
        ));
    }
    if actor.role == Role::Initiator {
        check_own_organisation(actor, project)?;
    }
    Ok(())
}

/// The initiator procures for its own project, at whatever stage the tender comes; the
/// agency may link for it. The link only names a tender: what the tender says arrives from
/// Prozorro itself.
fn check_procurement_link(actor: &Actor, project: &ProjectFacts) -> Result<(), Refusal> {
    check_role(
        actor,
        Action::LinkProcurement,
        &[Role::Initiator, Role::Administrator],
    )?;
    check_account(actor)?;
    check_not_withdrawn(project)?;
    if actor.role == Role::Initiator {
        check_own_organisation(actor, project)?;
    }
    Ok(())
}

fn check_funding(actor: &Actor, project: &ProjectFacts) -> Result<(), Refusal> {
    check_role(
        actor,
        Action::RecordFunding,
        &[Role::Donor, Role::Administrator],
    )?;
    check_account(actor)?;
    check_not_withdrawn(project)?;
    if workflow::is_draft(project.stage) {
        return Err(wrong_stage(
            actor.role,
            Action::RecordFunding,
            project.stage,
        ));
    }
    check_reach(actor, Action::RecordFunding, project)
}

fn check_funder(actor: &Actor, project: &ProjectFacts) -> Result<(), Refusal> {
    let donor = actor.organisation.as_ref();
    if donor.is_some_and(|donor| project.funders.contains(donor)) {
        return Ok(());
    }
    let code = donor.map_or("—", |code| code.as_str());
    Err(Refusal::new(
        RefusalKind::NotAFunder,
        format!(
            "Ваша організація ({code}) не фінансує цей проєкт; фінансування вносить лише \
             донор, зазначений у проєкті."
        ),
        format!(
            "Your organisation ({code}) does not fund this project; only a funder named on \
             the project records its funding."
        ),
    ))
}

/// A step of the route: the role must appear in the route table for the action, the
/// project must be at a stage the table starts that step from, and within the actor's reach.
fn check_route(actor: &Actor, action: Action, project: &ProjectFacts) -> Result<(), Refusal> {
    check_not_withdrawn(project)?;
    let rows = || ROUTE.iter().filter(move |row| row.action == action);
    let roles: Vec<Role> = rows().flat_map(|row| row.roles.iter().copied()).collect();
    check_role(actor, action, &roles)?;
    check_account(actor)?;

    let from_here =
        rows().any(|row| row.roles.contains(&actor.role) && row.from.contains(&project.stage));
    if !from_here {
        return Err(wrong_stage(actor.role, action, project.stage));
    }

    check_reach(actor, action, project)
}

/// Whether the project lies within the reach of the actor's role.
fn check_reach(actor: &Actor, action: Action, project: &ProjectFacts) -> Result<(), Refusal> {
    match actor.role {
        Role::Initiator => check_own_organisation(actor, project),
        Role::OblastReviewer => check_own_oblast(actor, project),
        Role::CommissionMember => check_own_ministry(actor, project),
        Role::Donor => check_funder(actor, project),
        Role::Administrator => Ok(()),
        // A visitor reaches nothing it could change; this holds even if a row of the route
        // ever named the public by mistake.
        Role::Public => check_role(actor, action, &[]),
    }
}

fn check_role(actor: &Actor, action: Action, allowed: &[Role]) -> Result<(), Refusal> {
    if allowed.contains(&actor.role) {
        return Ok(());
    }
    let name = action.name();
    if actor.role == Role::Public {
        return Err(Refusal::new(
            RefusalKind::NoAccount,
            format!("Щоб {}, потрібен обліковий запис.", name.uk),
            format!("You need an account to {}.", name.in_lang("en")),
        ));
    }
    let mut unique: Vec<Role> = Vec::new();
    for role in allowed {
        if !unique.contains(role) {
            unique.push(*role);
        }
    }
    let who = |lang: &str| {
        let names: Vec<String> = unique
            .iter()
            .map(|role| role.name().in_lang(lang).to_owned())
            .collect();
        names.join(", ")
    };
    let role = actor.role.name();
    Err(Refusal::new(
        RefusalKind::WrongRole,
        format!(
            "Роль «{}» не дозволяє {}. Це можуть: {}.",
            role.uk,
            name.uk,
            who("uk")
        ),
        format!(
            "The role \"{}\" may not {}. Who may: {}.",
            role.in_lang("en"),
            name.in_lang("en"),
            who("en")
        ),
    ))
}

/// Refuses an account that lacks what its role is defined by.
fn check_account(actor: &Actor) -> Result<(), Refusal> {
    let missing = match actor.role {
        Role::Initiator | Role::CommissionMember | Role::Donor if actor.organisation.is_none() => {
            Some(("організації", "organisation"))
        }
        Role::OblastReviewer if actor.oblast.is_none() => Some(("області", "oblast")),
        _ => None,
    };
    let Some((uk, en)) = missing else {
        return Ok(());
    };
    let role = actor.role.name();
    Err(Refusal::new(
        RefusalKind::IncompleteAccount,
        format!(
            "Ваш обліковий запис ({}) не прив'язано до {uk}; зверніться до адміністратора.",
            role.uk
        ),
        format!(
            "Your {} account has no {en}; ask an administrator to complete it.",
            role.in_lang("en")
        ),
    ))
}

fn check_not_withdrawn(project: &ProjectFacts) -> Result<(), Refusal> {
    if !project.withdrawn {
        return Ok(());
    }
    Err(Refusal::new(
        RefusalKind::Withdrawn,
        "Проєкт відкликано; він більше не змінюється.".into(),
        "The project was withdrawn; it no longer changes.".into(),
    ))
}

fn check_own_organisation(actor: &Actor, project: &ProjectFacts) -> Result<(), Refusal> {
    if actor.organisation.is_some() && actor.organisation == project.initiator {
        return Ok(());
    }
    let theirs = project.initiator.as_ref().map_or("—", |code| code.as_str());
    let yours = actor
        .organisation
        .as_ref()
        .map_or("—", |code| code.as_str());
    Err(Refusal::new(
        RefusalKind::OtherOrganisation,
        format!(
            "Ініціатор проєкту — організація з кодом ЄДРПОУ {theirs}; ви дієте від імені \
             {yours}."
        ),
        format!(
            "This project is initiated by the organisation with EDRPOU {theirs}; you act for \
             {yours}."
        ),
    ))
}

fn check_own_oblast(actor: &Actor, project: &ProjectFacts) -> Result<(), Refusal> {
    let (Some(location), Some(yours)) = (&project.oblast, &actor.oblast) else {
        return Err(Refusal::new(
            RefusalKind::OtherOblast,
            "Проєкт не має місця розташування, тож жодна область його не розглядає.".into(),
            "The project has no location, so no oblast reviews it.".into(),
        ));
    };
    if same_oblast(location, yours) {
        return Ok(());
    }
    let (project_uk, project_en) = oblast_name(location);
    let (yours_uk, yours_en) = oblast_name(yours);
    Err(Refusal::new(
        RefusalKind::OtherOblast,
        format!("Проєкт розташований у {project_uk}; ви розглядаєте проєкти у {yours_uk}."),
        format!("This project is located in {project_en}; you review projects of {yours_en}."),
    ))
}

fn check_own_ministry(actor: &Actor, project: &ProjectFacts) -> Result<(), Refusal> {
    if actor.organisation.is_some() && actor.organisation == project.call_ministry {
        return Ok(());
    }
    let theirs = project
        .call_ministry
        .as_ref()
        .map_or("—", |code| code.as_str());
    let yours = actor
        .organisation
        .as_ref()
        .map_or("—", |code| code.as_str());
    Err(Refusal::new(
        RefusalKind::OtherMinistry,
        format!(
            "Проєкт подано на конкурс міністерства з кодом ЄДРПОУ {theirs}; ваша комісія діє \
             від імені {yours}."
        ),
        format!(
            "The project applied to a call of the ministry with EDRPOU {theirs}; your \
             commission acts for {yours}."
        ),
    ))
}

/// The refusal for an action that `role` does not take from the project's stage; it lists
/// the stages from which that role does.
pub(crate) fn wrong_stage(role: Role, action: Action, stage: StatusDetails) -> Refusal {
    let mut stages: Vec<StatusDetails> = if action == Action::RecordFunding {
        let public = StatusDetails::ALL
            .iter()
            .filter(|s| !workflow::is_draft(**s));
        public.copied().collect()
    } else {
        ROUTE
            .iter()
            .filter(|row| row.action == action && row.roles.contains(&role))
            .flat_map(|row| row.from.iter().copied())
            .collect()
    };
    stages.sort();
    stages.dedup();
    let list = |lang: &str, open: &str, close: &str| {
        let names: Vec<String> = stages
            .iter()
            .map(|s| format!("{open}{}{close}", workflow::stage_name(*s).in_lang(lang)))
            .collect();
        names.join(", ")
    };
    let name = action.name();
    let here = workflow::stage_name(stage);
    Refusal::new(
        RefusalKind::WrongStage,
        format!(
            "Проєкт на етапі «{}»; {} можна лише на етапах: {}.",
            here.uk,
            name.uk,
            list("uk", "«", "»")
        ),
        format!(
            "The project is at stage \"{}\"; you can {} only at: {}.",
            here.in_lang("en"),
            name.in_lang("en"),
            list("en", "\"", "\"")
        ),
    )
}

/// The two digits after `UA` that name the oblast (or city with special status) of a code.
pub fn oblast_prefix(code: &Katottg) -> &str {
    &code.as_str()[2..4]
}

/// Whether two KATOTTG codes lie in the same oblast.
pub fn same_oblast(a: &Katottg, b: &Katottg) -> bool {
    oblast_prefix(a) == oblast_prefix(b)
}

/// The oblasts and cities with special status of the codifier: their two-digit prefix, the
/// Ukrainian name in the locative case (to follow "у") and the English name.
const OBLASTS: &[(&str, &str, &str)] = &[
    (
        "01",
        "Автономній Республіці Крим",
        "the Autonomous Republic of Crimea",
    ),
    ("05", "Вінницькій області", "Vinnytsia oblast"),
    ("07", "Волинській області", "Volyn oblast"),
    ("12", "Дніпропетровській області", "Dnipropetrovsk oblast"),
    ("14", "Донецькій області", "Donetsk oblast"),
    ("18", "Житомирській області", "Zhytomyr oblast"),
    ("21", "Закарпатській області", "Zakarpattia oblast"),
    ("23", "Запорізькій області", "Zaporizhzhia oblast"),
    ("26", "Івано-Франківській області", "Ivano-Frankivsk oblast"),
    ("32", "Київській області", "Kyiv oblast"),
    ("35", "Кіровоградській області", "Kirovohrad oblast"),
    ("44", "Луганській області", "Luhansk oblast"),
    ("46", "Львівській області", "Lviv oblast"),
    ("48", "Миколаївській області", "Mykolaiv oblast"),
    ("51", "Одеській області", "Odesa oblast"),
    ("53", "Полтавській області", "Poltava oblast"),
    ("56", "Рівненській області", "Rivne oblast"),
    ("59", "Сумській області", "Sumy oblast"),
    ("61", "Тернопільській області", "Ternopil oblast"),
    ("63", "Харківській області", "Kharkiv oblast"),
    ("65", "Херсонській області", "Kherson oblast"),
    ("68", "Хмельницькій області", "Khmelnytskyi oblast"),
    ("71", "Черкаській області", "Cherkasy oblast"),
    ("73", "Чернівецькій області", "Chernivtsi oblast"),
    ("74", "Чернігівській області", "Chernihiv oblast"),
    ("80", "місті Києві", "the city of Kyiv"),
    ("85", "місті Севастополі", "the city of Sevastopol"),
];

/// The oblast of a code, in Ukrainian (locative) and English; the code's prefix when the
/// codifier has no such oblast.
fn oblast_name(code: &Katottg) -> (String, String) {
    let prefix = oblast_prefix(code);
    match OBLASTS.iter().find(|(known, _, _)| *known == prefix) {
        Some((_, uk, en)) => ((*uk).to_owned(), (*en).to_owned()),
        None => (
            format!("області з кодом UA{prefix}"),
            format!("the oblast with code UA{prefix}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lviv() -> Katottg {
        Katottg::parse("UA46060250010015970").unwrap()
    }

    fn kharkiv() -> Katottg {
        Katottg::parse("UA63120270010098232").unwrap()
    }

    #[test]
    fn every_oblast_of_the_codifier_has_a_name() {
        let codifier = crate::territory::codifier();
        let top = codifier.iter().filter(|unit| unit.parent.is_none());
        for unit in top {
            let prefix = oblast_prefix(&unit.code);
            assert!(
                OBLASTS.iter().any(|(known, _, _)| *known == prefix),
                "{} has no name",
                unit.code
            );
        }
    }

    #[test]
    fn a_refusal_for_another_oblast_names_both_oblasts() {
        let reviewer = Actor::oblast_reviewer(lviv(), "Оксана");
        let mut project = ProjectFacts::new_draft(Edrpou::from_prefix(1), Some(kharkiv()));
        project.stage = StatusDetails::Appraisal;

        let refusal = can(&reviewer, Action::Appraise, &project).unwrap_err();

        assert_eq!(refusal.kind, RefusalKind::OtherOblast);
        assert_eq!(
            refusal.to_string(),
            "This project is located in Kharkiv oblast; you review projects of Lviv oblast."
        );
        assert_eq!(
            refusal.message.uk,
            "Проєкт розташований у Харківській області; ви розглядаєте проєкти у Львівській \
             області."
        );
    }

    #[test]
    fn codes_in_the_same_oblast_share_their_prefix() {
        let lviv_oblast = Katottg::parse("UA46000000000026241").unwrap();
        assert!(same_oblast(&lviv(), &lviv_oblast));
        assert!(!same_oblast(&lviv(), &kharkiv()));
    }
}
