//! The route and its permissions seen from outside the crate: every role against every
//! action, the refusals a person would read, the whole route from idea to implementation,
//! and a search over sequences of steps by any actors, random and exhaustive, for a way to
//! approval that skips the oblast review or the commission.

use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};

use dream_domain::codelist::{Status, StatusDetails};
use dream_domain::policy::{
    Action, Actor, ProjectFacts, RefusalKind, Role, Visibility, can, same_oblast, visible_filter,
};
use dream_domain::text::Text;
use dream_domain::workflow::{
    Justification, ROUTE, Reason, ScoreSheet, SheetEntry, Step, Transition, transition,
};
use dream_domain::{Edrpou, Katottg};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use StatusDetails as S;

fn community() -> Edrpou {
    Edrpou::from_prefix(4_057_111)
}

fn other_community() -> Edrpou {
    Edrpou::from_prefix(4_057_222)
}

fn ministry() -> Edrpou {
    Edrpou::from_prefix(3_757_333)
}

fn other_ministry() -> Edrpou {
    Edrpou::from_prefix(3_757_444)
}

fn donor() -> Edrpou {
    Edrpou::from_prefix(2_111_555)
}

fn other_donor() -> Edrpou {
    Edrpou::from_prefix(2_111_666)
}

/// A village of Lviv oblast, where the project lies.
fn lviv() -> Katottg {
    Katottg::parse("UA46060250010015970").unwrap()
}

fn kharkiv() -> Katottg {
    Katottg::parse("UA63120270010098232").unwrap()
}

fn reason(uk: &str) -> Reason {
    Reason::new(Text::new(uk, uk)).unwrap()
}

fn score_sheet() -> ScoreSheet {
    let entry = SheetEntry {
        criterion: Text::new("Нагальність", "Urgency"),
        points: 8,
        out_of: 10,
    };
    ScoreSheet::new(vec![entry], reason("Проєкт готовий до конкурсу")).unwrap()
}

/// The community's school shelter in Lviv oblast, funded in part by the donor, at `stage`;
/// from `applied` on it has applied to a call of the ministry.
fn project_at(stage: StatusDetails) -> ProjectFacts {
    let applied = [S::Applied, S::Approved, S::Refused, S::Implementation].contains(&stage);
    ProjectFacts {
        stage,
        initiator: Some(community()),
        oblast: Some(lviv()),
        funders: vec![donor()],
        withdrawn: false,
        call_ministry: applied.then(ministry),
    }
}

/// An actor of `role` whose reach includes the project.
fn in_reach(role: Role) -> Actor {
    match role {
        Role::Initiator => Actor::initiator(community(), "Ірина, громада"),
        Role::OblastReviewer => Actor::oblast_reviewer(lviv(), "Оксана, Львівська ОВА"),
        Role::CommissionMember => Actor::commission_member(ministry(), "Петро, комісія"),
        Role::Administrator => Actor::administrator("Марія, Агентство"),
        Role::Donor => Actor::donor(donor(), "Anna, donor"),
        Role::Public => Actor::public(),
    }
}

/// An actor of `role` whose reach does not include the project, for roles that have one.
fn out_of_reach(role: Role) -> Option<Actor> {
    match role {
        Role::Initiator => Some(Actor::initiator(other_community(), "Іван")),
        Role::OblastReviewer => Some(Actor::oblast_reviewer(kharkiv(), "Олег")),
        Role::CommissionMember => Some(Actor::commission_member(other_ministry(), "Ганна")),
        Role::Donor => Some(Actor::donor(other_donor(), "Bob")),
        Role::Administrator | Role::Public => None,
    }
}

use Role::{
    Administrator as Adm, CommissionMember as Com, Donor as Don, Initiator as Ini,
    OblastReviewer as Rev, Public as Pub,
};

/// Who may take each action at the stage where it is taken, when the project is in reach.
const EXPECTED: &[(Action, StatusDetails, &[Role])] = &[
    (Action::View, S::Defined, &[Ini, Rev, Com, Adm, Don, Pub]),
    (Action::Create, S::Initiated, &[Ini, Adm]),
    (Action::Edit, S::Definition, &[Ini, Adm]),
    (Action::SubmitForReview, S::Definition, &[Ini]),
    (Action::ReturnWithReasons, S::Defined, &[Rev]),
    (Action::StartAppraisal, S::Defined, &[Rev]),
    (Action::Appraise, S::Appraisal, &[Rev]),
    (Action::PrepareFinancing, S::Appraised, &[Ini, Adm]),
    (Action::CompleteFinancing, S::Structuring, &[Ini, Adm]),
    (Action::ApplyToCall, S::Appraised, &[Ini]),
    (Action::Approve, S::Applied, &[Com]),
    (Action::Refuse, S::Applied, &[Com]),
    (Action::DecideOnApplication, S::Applied, &[Com]),
    (Action::StartImplementation, S::Approved, &[Ini, Adm]),
    (Action::Withdraw, S::Defined, &[Ini, Adm]),
    (Action::Comment, S::Defined, &[Ini, Rev, Com, Adm, Don, Pub]),
    (Action::RecordFunding, S::Appraised, &[Don, Adm]),
    (Action::LinkProcurement, S::Implementation, &[Ini, Adm]),
    (Action::ReportProgress, S::Implementation, &[Ini, Adm]),
    (Action::ManageAccounts, S::Defined, &[Adm]),
];

#[test]
fn every_role_is_allowed_or_refused_every_action_as_the_table_says() {
    for action in Action::ALL {
        assert!(
            EXPECTED.iter().any(|(expected, _, _)| expected == action),
            "{action:?} is missing from the expectations"
        );
    }
    for (action, stage, allowed) in EXPECTED {
        for role in Role::ALL {
            let result = can(&in_reach(*role), *action, &project_at(*stage));
            assert_eq!(
                result.is_ok(),
                allowed.contains(role),
                "{role:?} {action:?} at {stage}: {result:?}"
            );
            if let Err(refusal) = result {
                let expected = if *role == Pub {
                    RefusalKind::NoAccount
                } else {
                    RefusalKind::WrongRole
                };
                assert_eq!(refusal.kind, expected, "{role:?} {action:?}");
            }
        }
    }
}

#[test]
fn permissions_that_move_nothing_are_not_steps_of_the_route() {
    let permissions_only = [
        Action::View,
        Action::Create,
        Action::DecideOnApplication,
        Action::Comment,
        Action::RecordFunding,
        Action::LinkProcurement,
        Action::ReportProgress,
        Action::ManageAccounts,
    ];
    for action in Action::ALL {
        assert_eq!(
            action.is_route_step(),
            !permissions_only.contains(action),
            "{action:?}"
        );
    }
}

#[test]
fn roles_are_refused_outside_their_reach_what_they_may_do_within_it() {
    let reach_free = [Action::View, Action::Comment];
    for (action, stage, allowed) in EXPECTED {
        for role in allowed.iter().filter(|_| !reach_free.contains(action)) {
            let Some(stranger) = out_of_reach(*role) else {
                continue;
            };
            let refusal = can(&stranger, *action, &project_at(*stage)).unwrap_err();
            let expected = match role {
                Ini => RefusalKind::OtherOrganisation,
                Rev => RefusalKind::OtherOblast,
                Com => RefusalKind::OtherMinistry,
                _ => RefusalKind::NotAFunder,
            };
            assert_eq!(refusal.kind, expected, "{role:?} {action:?}");
        }
    }
}

#[test]
fn drafts_are_invisible_to_the_public() {
    for stage in [S::Initiated, S::Definition] {
        let draft = project_at(stage);
        for stranger in [
            Actor::public(),
            in_reach(Don),
            in_reach(Com),
            out_of_reach(Ini).unwrap(),
            out_of_reach(Rev).unwrap(),
        ] {
            let refusal = can(&stranger, Action::View, &draft).unwrap_err();
            assert_eq!(refusal.kind, RefusalKind::Draft, "{:?}", stranger.role);
            assert!(!visible_filter(&stranger).admits(&draft));
        }
        for insider in [in_reach(Ini), in_reach(Rev), in_reach(Adm)] {
            assert_eq!(can(&insider, Action::View, &draft), Ok(()));
        }
    }
}

#[test]
fn projects_are_public_from_the_defined_stage_on() {
    let public = [
        S::Defined,
        S::Appraisal,
        S::Appraised,
        S::Structuring,
        S::Structured,
        S::Applied,
        S::Refused,
        S::Approved,
        S::Implementation,
    ];
    for stage in public {
        assert_eq!(
            can(&Actor::public(), Action::View, &project_at(stage)),
            Ok(())
        );
    }
}

#[test]
fn list_filters_admit_exactly_the_projects_a_page_would_show() {
    let mut actors: Vec<Actor> = Role::ALL.iter().map(|role| in_reach(*role)).collect();
    actors.extend(Role::ALL.iter().filter_map(|role| out_of_reach(*role)));
    for actor in &actors {
        for stage in StatusDetails::ALL {
            let facts = project_at(*stage);
            assert_eq!(
                visible_filter(actor).admits(&facts),
                can(actor, Action::View, &facts).is_ok(),
                "{:?} at {stage}",
                actor.role
            );
        }
    }
    assert_eq!(visible_filter(&Actor::public()), Visibility::PublicOnly);
    assert_eq!(visible_filter(&in_reach(Don)), Visibility::PublicOnly);
    assert_eq!(
        visible_filter(&in_reach(Ini)),
        Visibility::PublicAndOwn {
            organisation: community()
        }
    );
    assert_eq!(
        visible_filter(&in_reach(Rev)),
        Visibility::PublicAndOblast { oblast: lviv() }
    );
    assert_eq!(visible_filter(&in_reach(Adm)), Visibility::Everything);
}

#[test]
fn initiator_cannot_edit_after_submission() {
    let initiator = in_reach(Ini);
    for stage in [
        S::Defined,
        S::Appraisal,
        S::Appraised,
        S::Applied,
        S::Approved,
    ] {
        let refusal = can(&initiator, Action::Edit, &project_at(stage)).unwrap_err();
        assert_eq!(refusal.kind, RefusalKind::WrongStage, "{stage}");
    }
    let refusal = can(&initiator, Action::Edit, &project_at(S::Defined)).unwrap_err();
    assert_eq!(
        refusal.to_string(),
        "The project is at stage \"defined\"; you can edit the project only at: \
         \"initiated\", \"definition\"."
    );
    assert_eq!(
        refusal.message.uk,
        "Проєкт на етапі «визначено»; редагувати проєкт можна лише на етапах: «ініційовано», \
         «визначення»."
    );
}

#[test]
fn initiator_edits_again_after_the_oblast_returns_the_project() {
    let submitted = project_at(S::Defined);
    let step = Step::ReturnWithReasons {
        reason: reason("Додайте кошторис"),
    };
    let returned = transition(&in_reach(Rev), &step, &submitted).unwrap();
    assert_eq!(returned.to, S::Definition);

    let facts = submitted.after(&step, &returned);
    assert_eq!(can(&in_reach(Ini), Action::Edit, &facts), Ok(()));
    let resubmitted = transition(&in_reach(Ini), &Step::SubmitForReview, &facts).unwrap();
    assert_eq!(resubmitted.to, S::Defined);
}

#[test]
fn initiator_cannot_edit_another_organisations_project() {
    let stranger = out_of_reach(Ini).unwrap();
    let refusal = can(&stranger, Action::Edit, &project_at(S::Definition)).unwrap_err();
    assert_eq!(refusal.kind, RefusalKind::OtherOrganisation);
    assert!(refusal.message.uk.contains(community().as_str()));
}

#[test]
fn oblast_reviewer_cannot_appraise_another_oblasts_project() {
    let kharkiv_reviewer = out_of_reach(Rev).unwrap();
    let step = Step::Appraise {
        sheet: score_sheet(),
    };
    let refusal = transition(&kharkiv_reviewer, &step, &project_at(S::Appraisal)).unwrap_err();
    assert_eq!(refusal.kind, RefusalKind::OtherOblast);
    assert_eq!(
        refusal.to_string(),
        "This project is located in Lviv oblast; you review projects of Kharkiv oblast."
    );
}

#[test]
fn oblast_reviewer_cannot_appraise_before_starting_the_appraisal() {
    let refusal = can(&in_reach(Rev), Action::Appraise, &project_at(S::Defined)).unwrap_err();
    assert_eq!(refusal.kind, RefusalKind::WrongStage);
}

#[test]
fn commission_cannot_approve_without_appraisal() {
    let member = in_reach(Com);
    for stage in [
        S::Initiated,
        S::Definition,
        S::Defined,
        S::Appraisal,
        S::Appraised,
    ] {
        let mut facts = project_at(stage);
        facts.call_ministry = Some(ministry());
        let refusal = can(&member, Action::Approve, &facts).unwrap_err();
        assert_eq!(refusal.kind, RefusalKind::WrongStage, "{stage}");
    }
}

#[test]
fn commission_of_another_ministry_cannot_decide_on_the_application() {
    let stranger = out_of_reach(Com).unwrap();
    for action in [Action::Approve, Action::Refuse, Action::DecideOnApplication] {
        let refusal = can(&stranger, action, &project_at(S::Applied)).unwrap_err();
        assert_eq!(refusal.kind, RefusalKind::OtherMinistry, "{action:?}");
    }
}

#[test]
fn administrator_cannot_take_the_decisions_of_the_oblast_or_the_commission() {
    let administrator = in_reach(Adm);
    for (action, stage) in [
        (Action::StartAppraisal, S::Defined),
        (Action::Appraise, S::Appraisal),
        (Action::ReturnWithReasons, S::Defined),
        (Action::Approve, S::Applied),
        (Action::Refuse, S::Applied),
    ] {
        let refusal = can(&administrator, action, &project_at(stage)).unwrap_err();
        assert_eq!(refusal.kind, RefusalKind::WrongRole, "{action:?}");
    }
    assert!(Role::Administrator.is_audited());
    assert!(!Role::Initiator.is_audited());
}

#[test]
fn administrator_corrects_a_project_at_any_stage_without_moving_it() {
    for stage in StatusDetails::ALL {
        let edited = transition(&in_reach(Adm), &Step::Edit, &project_at(*stage)).unwrap();
        assert_eq!((edited.from, edited.to), (*stage, *stage));
    }
}

#[test]
fn donor_records_funding_only_on_projects_it_funds() {
    let funded = project_at(S::Appraised);
    assert_eq!(can(&in_reach(Don), Action::RecordFunding, &funded), Ok(()));

    let refusal = can(&out_of_reach(Don).unwrap(), Action::RecordFunding, &funded).unwrap_err();
    assert_eq!(refusal.kind, RefusalKind::NotAFunder);
    assert!(refusal.to_string().contains(other_donor().as_str()));

    let draft = project_at(S::Definition);
    let refusal = can(&in_reach(Don), Action::RecordFunding, &draft).unwrap_err();
    assert_eq!(refusal.kind, RefusalKind::WrongStage);
}

#[test]
fn donor_and_public_take_no_step_of_the_route() {
    for row in ROUTE {
        assert!(
            !row.roles.contains(&Don) && !row.roles.contains(&Pub),
            "{row:?}"
        );
    }
}

#[test]
fn the_public_needs_an_account_to_change_anything_but_may_comment() {
    let facts = project_at(S::Appraised);
    let refusal = can(&Actor::public(), Action::RecordFunding, &facts).unwrap_err();
    assert_eq!(refusal.kind, RefusalKind::NoAccount);
    assert_eq!(
        refusal.to_string(),
        "You need an account to record funding."
    );
    assert_eq!(can(&Actor::public(), Action::Comment, &facts), Ok(()));
}

#[test]
fn an_account_without_its_organisation_or_oblast_is_refused() {
    let mut initiator = in_reach(Ini);
    initiator.organisation = None;
    let refusal = can(&initiator, Action::Edit, &project_at(S::Definition)).unwrap_err();
    assert_eq!(refusal.kind, RefusalKind::IncompleteAccount);
    assert_eq!(visible_filter(&initiator), Visibility::PublicOnly);

    let mut reviewer = in_reach(Rev);
    reviewer.oblast = None;
    let refusal = can(&reviewer, Action::StartAppraisal, &project_at(S::Defined)).unwrap_err();
    assert_eq!(refusal.kind, RefusalKind::IncompleteAccount);
}

#[test]
fn nobody_changes_a_withdrawn_project_but_everyone_still_reads_it() {
    let mut facts = project_at(S::Appraised);
    facts.withdrawn = true;
    for role in Role::ALL {
        for action in Action::ALL {
            let result = can(&in_reach(*role), *action, &facts);
            match action {
                Action::View => assert_eq!(result, Ok(())),
                // Creating is about a new project, which nobody has withdrawn.
                Action::Create if [Ini, Adm].contains(role) => assert_eq!(result, Ok(())),
                Action::ManageAccounts if *role == Adm => assert_eq!(result, Ok(())),
                _ => assert!(result.is_err(), "{role:?} {action:?}"),
            }
        }
    }
}

#[test]
fn the_route_leads_from_an_idea_to_implementation() {
    let steps = [
        (Ini, Step::Edit, S::Definition, Status::Pending),
        (Ini, Step::SubmitForReview, S::Defined, Status::Pending),
        (Rev, Step::StartAppraisal, S::Appraisal, Status::Pending),
        (
            Rev,
            Step::Appraise {
                sheet: score_sheet(),
            },
            S::Appraised,
            Status::Pending,
        ),
        (Ini, Step::PrepareFinancing, S::Structuring, Status::Pending),
        (Adm, Step::CompleteFinancing, S::Structured, Status::Pending),
        (
            Ini,
            Step::ApplyToCall {
                ministry: ministry(),
            },
            S::Applied,
            Status::Pending,
        ),
        (
            Com,
            Step::Approve {
                justification: Justification::FollowsRanking,
            },
            S::Approved,
            Status::Active,
        ),
        (
            Ini,
            Step::StartImplementation,
            S::Implementation,
            Status::Active,
        ),
    ];
    let mut facts = ProjectFacts::new_draft(community(), Some(lviv()));
    assert_eq!(can(&in_reach(Ini), Action::Create, &facts), Ok(()));
    for (role, step, to, status) in steps {
        let done = transition(&in_reach(role), &step, &facts).unwrap();
        assert_eq!((done.from, done.to, done.status), (facts.stage, to, status));
        facts = facts.after(&step, &done);
    }
    assert_eq!(facts.call_ministry, Some(ministry()));
}

#[test]
fn a_refused_project_is_unsuccessful_and_may_apply_to_a_later_call() {
    let applied = project_at(S::Applied);
    let refuse = Step::Refuse {
        reason: reason("Бали нижчі за прохідний рівень"),
    };
    let refused = transition(&in_reach(Com), &refuse, &applied).unwrap();
    assert_eq!(
        (refused.to, refused.status),
        (S::Refused, Status::Unsuccessful)
    );

    let facts = applied.after(&refuse, &refused);
    let again = Step::ApplyToCall {
        ministry: other_ministry(),
    };
    let reapplied = transition(&in_reach(Ini), &again, &facts).unwrap();
    assert_eq!(reapplied.to, S::Applied);
    assert_eq!(
        facts.after(&again, &reapplied).call_ministry,
        Some(other_ministry())
    );
}

#[test]
fn withdrawal_cancels_the_project_where_it_stands() {
    let facts = project_at(S::Appraised);
    let step = Step::Withdraw {
        reason: reason("Об'єкт відновлено коштом благодійників"),
    };
    let done = transition(&in_reach(Ini), &step, &facts).unwrap();
    assert_eq!(
        done,
        Transition {
            from: S::Appraised,
            to: S::Appraised,
            withdrawn: true,
            status: Status::Cancelled,
        }
    );
    let after = facts.after(&step, &done);
    let refusal = transition(&in_reach(Ini), &step, &after).unwrap_err();
    assert_eq!(refusal.kind, RefusalKind::Withdrawn);
}

// The search below plays sequences of steps by actors of every role, with organisations
// and oblasts in and out of the project's reach, and watches for an approval that lacks an
// appraisal by a reviewer of the project's own oblast or a decision by the commission of
// the ministry whose call the project applied to.

fn organisations() -> [Option<Edrpou>; 6] {
    [
        Some(community()),
        Some(other_community()),
        Some(ministry()),
        Some(other_ministry()),
        Some(donor()),
        None,
    ]
}

fn oblasts() -> [Option<Katottg>; 3] {
    [Some(lviv()), Some(kharkiv()), None]
}

fn step_for(action: Action, ministry_index: usize) -> Step {
    let ministries = [ministry(), other_ministry()];
    match action {
        Action::Edit => Step::Edit,
        Action::SubmitForReview => Step::SubmitForReview,
        Action::ReturnWithReasons => Step::ReturnWithReasons {
            reason: reason("Доопрацюйте"),
        },
        Action::StartAppraisal => Step::StartAppraisal,
        Action::Appraise => Step::Appraise {
            sheet: score_sheet(),
        },
        Action::PrepareFinancing => Step::PrepareFinancing,
        Action::CompleteFinancing => Step::CompleteFinancing,
        Action::ApplyToCall => Step::ApplyToCall {
            ministry: ministries[ministry_index % 2].clone(),
        },
        Action::Approve => Step::Approve {
            justification: Justification::FollowsRanking,
        },
        Action::Refuse => Step::Refuse {
            reason: reason("Відмовлено"),
        },
        Action::StartImplementation => Step::StartImplementation,
        _ => Step::Withdraw {
            reason: reason("Відкликано"),
        },
    }
}

/// What the search remembers of a project's past besides its facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
struct Witnessed {
    appraised_by_its_oblast: bool,
}

/// Plays one step; returns the new facts, or `None` when the step was refused. Panics when a
/// step reaches approval without the review and the decision the route demands.
fn play(
    facts: &ProjectFacts,
    seen: &mut Witnessed,
    actor: &Actor,
    step: &Step,
) -> Option<ProjectFacts> {
    let done = transition(actor, step, facts).ok()?;
    assert!(!facts.withdrawn, "a withdrawn project moved: {step:?}");
    assert_eq!(
        done.status,
        dream_domain::project::Project::derive_status(done.withdrawn, done.to)
    );

    let own_oblast = match (&actor.oblast, &facts.oblast) {
        (Some(a), Some(b)) => same_oblast(a, b),
        _ => false,
    };
    if matches!(step, Step::Appraise { .. }) && actor.role == Role::OblastReviewer && own_oblast {
        seen.appraised_by_its_oblast = true;
    }
    if done.to == S::Approved && done.from != S::Approved {
        assert!(
            seen.appraised_by_its_oblast,
            "approved without the oblast's appraisal"
        );
        assert_eq!(
            actor.role,
            Role::CommissionMember,
            "approved by {:?}",
            actor.role
        );
        assert!(actor.organisation.is_some());
        assert_eq!(
            actor.organisation, facts.call_ministry,
            "approved by another ministry"
        );
    }
    Some(facts.after(step, &done))
}

fn starting_project() -> ProjectFacts {
    let mut facts = ProjectFacts::new_draft(community(), Some(lviv()));
    facts.funders = vec![donor()];
    facts
}

#[test]
fn no_path_of_any_length_reaches_approval_without_review_and_decision() {
    let mut actors = Vec::new();
    for role in Role::ALL {
        for organisation in organisations() {
            for oblast in oblasts() {
                actors.push(Actor {
                    role: *role,
                    organisation: organisation.clone(),
                    oblast,
                    name: String::new(),
                });
            }
        }
    }
    let mut steps: Vec<Step> = ROUTE.iter().map(|row| step_for(row.action, 0)).collect();
    steps.push(step_for(Action::ApplyToCall, 1));

    // Every state the route can reach, explored breadth first: the stage, the withdrawal,
    // the call's ministry, and whether the oblast has appraised.
    let start = (starting_project(), Witnessed::default());
    let mut seen: HashSet<String> = HashSet::new();
    let mut queue = VecDeque::from([start]);
    let mut stages_reached = HashSet::new();
    while let Some((facts, witnessed)) = queue.pop_front() {
        if !seen.insert(format!("{facts:?}{witnessed:?}")) {
            continue;
        }
        stages_reached.insert(facts.stage);
        for actor in &actors {
            for step in &steps {
                let mut next_witnessed = witnessed.clone();
                if let Some(next) = play(&facts, &mut next_witnessed, actor, step) {
                    queue.push_back((next, next_witnessed));
                }
            }
        }
    }
    assert_eq!(
        stages_reached.len(),
        StatusDetails::ALL.len(),
        "every stage is reachable"
    );
}

/// One random move: mostly a step of a random row of the route by one of that row's roles
/// (so that long routes are walked often), otherwise any step by any actor.
fn a_move() -> impl Strategy<Value = (Actor, Step)> {
    (
        prop::bool::weighted(0.8),
        0..ROUTE.len(),
        0..Role::ALL.len(),
        0..6usize,
        0..3usize,
        0..2usize,
    )
        .prop_map(|(guided, row, role, organisation, oblast, ministry)| {
            let row = &ROUTE[row];
            // A guided withdrawal would end most walks within a few dozen moves.
            let guided = guided && row.action != Action::Withdraw;
            let role = if guided {
                row.roles[role % row.roles.len()]
            } else {
                Role::ALL[role]
            };
            let organisation = match (guided, role) {
                (true, Role::Initiator) => Some(community()),
                (true, Role::CommissionMember) => organisations()[2 + ministry].clone(),
                _ => organisations()[organisation].clone(),
            };
            let oblast = match (guided, role) {
                (true, Role::OblastReviewer) => oblasts()[oblast % 2].clone(),
                _ => oblasts()[oblast].clone(),
            };
            let actor = Actor {
                role,
                organisation,
                oblast,
                name: String::new(),
            };
            (actor, step_for(row.action, ministry))
        })
}

#[test]
fn random_sequences_by_random_actors_never_approve_without_review_and_decision() {
    static APPROVALS: AtomicUsize = AtomicUsize::new(0);
    let mut runner = TestRunner::new(Config {
        cases: 512,
        failure_persistence: None,
        ..Config::default()
    });
    let sequences = prop::collection::vec(a_move(), 1..600);
    runner
        .run(&sequences, |moves| {
            let mut facts = starting_project();
            let mut witnessed = Witnessed::default();
            for (actor, step) in &moves {
                if let Some(next) = play(&facts, &mut witnessed, actor, step) {
                    if next.stage == S::Approved && facts.stage != S::Approved {
                        APPROVALS.fetch_add(1, Ordering::Relaxed);
                    }
                    facts = next;
                }
            }
            Ok(())
        })
        .unwrap();
    // The property means something only if random play does reach approval.
    let approvals = APPROVALS.load(Ordering::Relaxed);
    eprintln!("{approvals} approvals");
    assert!(approvals > 10, "random play rarely approves: {approvals}");
}

#[test]
fn progress_is_reported_only_on_approved_works_by_their_initiator() {
    let initiator = in_reach(Ini);
    for stage in StatusDetails::ALL {
        let allowed = can(&initiator, Action::ReportProgress, &project_at(*stage)).is_ok();
        let expected = matches!(stage, S::Approved | S::Implementation);
        assert_eq!(allowed, expected, "{stage}");
    }
    let stranger = out_of_reach(Ini).unwrap();
    let refusal = can(
        &stranger,
        Action::ReportProgress,
        &project_at(S::Implementation),
    );
    assert_eq!(refusal.unwrap_err().kind, RefusalKind::OtherOrganisation);
}
