//! Calls for proposals seen from outside the crate: a published formula scores a real-looking
//! project, the score recomputes from its shown parts, eligibility names every reason, and a
//! commission cannot depart from the ranking without saying why.

use dream_domain::calls::{
    Application, Call, CallDecision, CallId, Criterion, DecisionProblem, Ineligibility, OblastRisk,
    RiskTable, Score, ScoringFormula, Verdict, WeightedCriterion, decide, eligibility, points,
    rank, total,
};
use dream_domain::codelist::{DocumentType, Sector, Status, StatusDetails};
use dream_domain::ids::ProjectId;
use dream_domain::policy::{Actor, ProjectFacts};
use dream_domain::project::{Project, ProjectContent};
use dream_domain::text::Text;
use dream_domain::workflow::{Justification, Reason, Step, transition};
use dream_domain::{Edrpou, Katottg, Money};
use proptest::prelude::*;
use serde_json::json;
use time::OffsetDateTime;
use time::macros::datetime;

fn community() -> Edrpou {
    Edrpou::from_prefix(4_057_111)
}

fn ministry() -> Edrpou {
    Edrpou::from_prefix(3_757_333)
}

fn kharkiv() -> Katottg {
    Katottg::parse("UA63120270010098232").unwrap()
}

fn lviv() -> Katottg {
    Katottg::parse("UA46060250010015970").unwrap()
}

/// A shelter in a Kharkiv oblast school: a need of 10 000 000.00 UAH, 2 000 000.00 from the
/// community's budget and 3 000 000.00 already promised by the call's ministry, 800 people
/// served of whom 120 displaced, and a design but no permit.
fn shelter() -> ProjectContent {
    serde_json::from_value(json!({
        "title": {"uk": "Укриття в ліцеї № 3", "en": "Shelter at lyceum 3"},
        "description": {"uk": "Протирадіаційне укриття на 400 місць"},
        "purpose": "development",
        "type": "construction",
        "statusDetails": "appraised",
        "sector": "education",
        "parties": [{"id": community(), "name": "Громада", "roles": ["initiator"]}],
        "locations": [{"katottg": kharkiv()}],
        "approaches": [{
            "id": "a1",
            "title": {"uk": "Нове укриття"},
            "budget": [{
                "id": "b1",
                "amount": {"amountMinor": 1_000_000_000i64, "currency": "UAH"},
                "costItem": "construction",
                "costType": "capex",
                "budgetType": "original"
            }],
            "finance": [
                {
                    "id": "f1",
                    "amount": {"amountMinor": 200_000_000i64, "currency": "UAH"},
                    "financeType": "stateFunds",
                    "financeCategory": "localBudget",
                    "financingParty": {"id": community(), "name": "Громада"}
                },
                {
                    "id": "f2",
                    "amount": {"amountMinor": 300_000_000i64, "currency": "UAH"},
                    "financeType": "stateFunds",
                    "financeCategory": "stateCentralBudget",
                    "financingParty": {"id": ministry(), "name": "Міністерство"}
                }
            ]
        }],
        "metrics": [
            {"id": "m1", "characteristic": "numberOfConsumers", "baseline": 0, "target": 800},
            {"id": "m2", "characteristic": "numberOfIDP", "baseline": 0, "target": 120}
        ],
        "documents": [{
            "id": "d1",
            "documentType": "designDocument",
            "title": "Робочий проєкт",
            "format": "application/pdf",
            "datePublished": "2025-01-10",
            "accessDetails": "open"
        }]
    }))
    .unwrap()
}

fn stored(content: ProjectContent) -> Project {
    let at = datetime!(2025-02-01 10:00 UTC);
    Project {
        id: ProjectId::new(at.date(), 0x1F0C_9A7B),
        date: at,
        updated: at,
        status: content.status_details.status(),
        content,
    }
}

fn uah(major: i64) -> Money {
    Money::uah(major * 100)
}

fn formula() -> ScoringFormula {
    let weighted = |weight, criterion| WeightedCriterion { weight, criterion };
    ScoringFormula::new(vec![
        weighted(20, Criterion::OblastRisk),
        weighted(
            20,
            Criterion::PeopleServed {
                full_score_at: 1000,
            },
        ),
        weighted(15, Criterion::DisplacedPeopleServed { full_score_at: 400 }),
        weighted(
            15,
            Criterion::CoFinancing {
                full_score_at_percent: 40,
            },
        ),
        weighted(15, Criterion::DesignReadiness),
        weighted(
            15,
            Criterion::CostPerBeneficiary {
                full_score_at: uah(5_000),
                zero_score_at: uah(25_000),
            },
        ),
    ])
    .unwrap()
}

fn risks() -> RiskTable {
    RiskTable::new(vec![
        OblastRisk {
            oblast: Katottg::parse("UA63000000000041885").unwrap(),
            level: 5,
        },
        OblastRisk {
            oblast: Katottg::parse("UA46000000000026241").unwrap(),
            level: 1,
        },
    ])
    .unwrap()
}

fn shelters_call() -> Call {
    Call {
        id: CallId("shelters-in-schools-2025".into()),
        ministry: ministry(),
        title: Text::new("Укриття в школах 2025", "Shelters in schools 2025"),
        opens: datetime!(2025-03-01 00:00 UTC),
        closes: datetime!(2025-04-01 00:00 UTC),
        eligible_oblasts: vec![Katottg::parse("UA63000000000041885").unwrap()],
        eligible_sectors: vec![Sector::Education],
        required_documents: vec![DocumentType::DesignDocument],
        formula: formula(),
        oblast_risks: risks(),
    }
}

/// Checks a score the way an outside reader would, from its parts alone.
fn assert_recomputes(score: &Score) {
    for part in &score.parts {
        assert_eq!(
            part.criterion.normalise(part.input),
            part.normalised,
            "{part:?}"
        );
        assert_eq!(
            points(part.normalised, part.weight),
            part.points,
            "{part:?}"
        );
        assert!((0.0..=100.0).contains(&part.normalised), "{part:?}");
    }
    assert_eq!(total(&score.parts), score.total);
    let weights: u32 = score.parts.iter().map(|part| part.weight).sum();
    assert_eq!(weights, 100);
}

#[test]
fn a_score_shows_every_part_and_adds_up() {
    let score = shelters_call().score(&shelter());

    let shown: Vec<(Option<f64>, f64, u32, f64)> = score
        .parts
        .iter()
        .map(|p| (p.input, p.normalised, p.weight, p.points))
        .collect();
    assert_eq!(
        shown,
        vec![
            (Some(5.0), 100.0, 20, 20.0),
            (Some(800.0), 80.0, 20, 16.0),
            (Some(120.0), 30.0, 15, 4.5),
            // Only the community's 2 000 000 counts: the ministry's money is the call's own.
            (Some(20.0), 50.0, 15, 7.5),
            (Some(1.0), 50.0, 15, 7.5),
            // 10 000 000 for 800 people is 12 500 a head, 62.5 % of the way to 5 000.
            (Some(12_500.0), 62.5, 15, 9.38),
        ]
    );
    assert_eq!(score.total, 64.88);
    assert_recomputes(&score);
}

#[test]
fn a_project_missing_what_a_criterion_reads_scores_nothing_for_it() {
    let mut bare = shelter();
    bare.metrics.clear();
    bare.approaches.clear();
    bare.documents.clear();
    bare.locations[0].katottg = Katottg::parse("UA05000000000010236").unwrap();

    let score = shelters_call().score(&bare);

    assert!(
        score
            .parts
            .iter()
            .all(|part| part.input.is_none() || part.input == Some(0.0))
    );
    assert_eq!(score.total, 0.0);
    assert_recomputes(&score);
}

#[test]
fn a_formula_is_published_as_camel_case_json_and_read_back() {
    let json = serde_json::to_value(formula()).unwrap();
    assert_eq!(
        json["criteria"][1],
        json!({"weight": 20, "criterion": {"kind": "peopleServed", "fullScoreAt": 1000}})
    );
    assert_eq!(
        json["criteria"][5]["criterion"]["zeroScoreAt"],
        json!({"amountMinor": 2_500_000, "currency": "UAH"})
    );
    let read: ScoringFormula = serde_json::from_value(json).unwrap();
    assert_eq!(read, formula());

    let call = shelters_call();
    let read: Call = serde_json::from_value(serde_json::to_value(&call).unwrap()).unwrap();
    assert_eq!(read, call);
}

#[test]
fn a_formula_whose_weights_do_not_add_up_to_100_is_refused() {
    let json = json!({"criteria": [
        {"weight": 60, "criterion": {"kind": "designReadiness"}},
        {"weight": 30, "criterion": {"kind": "oblastRisk"}}
    ]});
    let error = serde_json::from_value::<ScoringFormula>(json).unwrap_err();
    assert!(
        error.to_string().contains("add up to 90, not 100"),
        "{error}"
    );

    let twice = ScoringFormula::new(vec![
        WeightedCriterion {
            weight: 50,
            criterion: Criterion::DesignReadiness,
        },
        WeightedCriterion {
            weight: 50,
            criterion: Criterion::DesignReadiness,
        },
    ]);
    assert_eq!(
        twice.unwrap_err().iter().next().unwrap().field,
        "criteria[1].criterion"
    );
}

#[test]
fn the_facts_of_a_stored_project_name_its_initiator_oblast_and_funders() {
    let mut project = stored(shelter());
    let facts = ProjectFacts::of(&project, Some(ministry()));
    assert_eq!(facts.stage, StatusDetails::Appraised);
    assert_eq!(facts.initiator, Some(community()));
    assert_eq!(facts.oblast, Some(kharkiv()));
    let mut funders = vec![community(), ministry()];
    funders.sort();
    assert_eq!(facts.funders, funders);
    assert!(!facts.withdrawn);

    project.status = Status::Cancelled;
    assert!(ProjectFacts::of(&project, None).withdrawn);
}

#[test]
fn a_call_that_closes_before_it_opens_is_refused() {
    assert!(shelters_call().check().is_empty());
    let mut call = shelters_call();
    call.closes = call.opens;
    assert_eq!(call.check().iter().next().unwrap().field, "closes");
}

#[test]
fn a_risk_table_refuses_levels_outside_1_to_5() {
    let error = RiskTable::new(vec![OblastRisk {
        oblast: kharkiv(),
        level: 6,
    }])
    .unwrap_err();
    assert_eq!(error.iter().next().unwrap().field, "[0].level");
}

#[test]
fn an_appraised_project_of_an_eligible_oblast_and_sector_may_apply() {
    let at = datetime!(2025-03-15 12:00 UTC);
    assert_eq!(
        eligibility(&shelters_call(), &stored(shelter()), at),
        Ok(())
    );
}

#[test]
fn eligibility_names_every_reason_at_once() {
    let mut content = shelter();
    content.status_details = StatusDetails::Defined;
    content.sector = Sector::Health;
    content.documents.clear();
    content
        .locations
        .push(serde_json::from_value(json!({"katottg": lviv()})).unwrap());

    let reasons = eligibility(
        &shelters_call(),
        &stored(content),
        datetime!(2025-04-01 00:00 UTC),
    )
    .unwrap_err();

    assert_eq!(
        reasons,
        vec![
            Ineligibility::Closed {
                closes: datetime!(2025-04-01 00:00 UTC)
            },
            Ineligibility::OblastNotEligible { location: lviv() },
            Ineligibility::SectorNotEligible {
                sector: Sector::Health
            },
            Ineligibility::MissingDocument {
                document_type: DocumentType::DesignDocument
            },
            Ineligibility::WrongStage {
                stage: StatusDetails::Defined
            },
        ]
    );
    assert_eq!(
        reasons[4].message().in_lang("en"),
        "The project is at stage \"defined\", not appraised"
    );
}

#[test]
fn a_call_not_yet_open_and_a_withdrawn_project_are_ineligible() {
    let mut project = stored(shelter());
    project.status = Status::Cancelled;
    let reasons =
        eligibility(&shelters_call(), &project, datetime!(2025-02-28 23:59 UTC)).unwrap_err();
    assert_eq!(
        reasons,
        vec![
            Ineligibility::NotOpenYet {
                opens: datetime!(2025-03-01 00:00 UTC)
            },
            Ineligibility::Withdrawn,
        ]
    );
}

#[test]
fn a_call_for_a_sector_admits_its_subsectors_but_not_the_reverse() {
    let at = datetime!(2025-03-15 12:00 UTC);
    let mut call = shelters_call();
    call.required_documents.clear();
    let mut road = shelter();
    road.sector = Sector::Transport;
    road.subsector = Some(Sector::TransportRoad);

    call.eligible_sectors = vec![Sector::Transport];
    assert_eq!(eligibility(&call, &stored(road.clone()), at), Ok(()));

    call.eligible_sectors = vec![Sector::TransportRail];
    assert!(eligibility(&call, &stored(road.clone()), at).is_err());

    road.subsector = None;
    call.eligible_sectors = vec![Sector::TransportRoad];
    assert!(eligibility(&call, &stored(road), at).is_err());
}

fn project(n: u32) -> ProjectId {
    ProjectId::new(time::macros::date!(2025 - 03 - 01), n)
}

fn application(n: u32, total: f64, submitted: OffsetDateTime) -> Application {
    Application {
        project: project(n),
        submitted,
        score: Score {
            total,
            parts: Vec::new(),
        },
    }
}

fn reason(uk: &str) -> Reason {
    Reason::new(Text::new(uk, uk)).unwrap()
}

/// Four applications; 2 and 3 tie on score and 3 was submitted first.
fn ranking() -> Vec<dream_domain::calls::Ranked> {
    rank(vec![
        application(1, 55.0, datetime!(2025-03-02 09:00 UTC)),
        application(2, 70.5, datetime!(2025-03-05 09:00 UTC)),
        application(3, 70.5, datetime!(2025-03-03 09:00 UTC)),
        application(4, 81.25, datetime!(2025-03-20 09:00 UTC)),
    ])
}

#[test]
fn applications_rank_by_score_then_by_earlier_submission() {
    let order: Vec<(usize, ProjectId)> = ranking()
        .into_iter()
        .map(|r| (r.position, r.application.project))
        .collect();
    assert_eq!(
        order,
        vec![
            (1, project(4)),
            (2, project(3)),
            (3, project(2)),
            (4, project(1))
        ]
    );
}

fn decision(n: u32, verdict: Verdict, why: Option<&str>) -> CallDecision {
    CallDecision {
        project: project(n),
        verdict,
        reason: why.map(reason),
    }
}

#[test]
fn decisions_that_follow_the_ranking_need_reasons_only_for_refusals() {
    let decisions = [
        decision(4, Verdict::Approve, None),
        decision(3, Verdict::Approve, None),
        decision(2, Verdict::Refuse, Some("Кошти конкурсу вичерпано")),
    ];
    let decided = decide(&ranking(), &decisions).unwrap();
    assert_eq!(decided.len(), 3);
    assert!(decided.iter().all(|d| d.passed_over.is_none()));
    assert_eq!(
        decided[0].step,
        Step::Approve {
            justification: Justification::FollowsRanking
        }
    );
    assert!(matches!(decided[2].step, Step::Refuse { .. }));
}

#[test]
fn a_decision_against_the_ranking_without_a_reason_is_refused() {
    // Project 1, fourth, is approved while project 2, third, is left undecided.
    let decisions = [
        decision(4, Verdict::Approve, None),
        decision(3, Verdict::Approve, None),
        decision(1, Verdict::Approve, None),
    ];
    let problems = decide(&ranking(), &decisions).unwrap_err();
    assert_eq!(
        problems,
        vec![DecisionProblem::DepartsWithoutReason {
            project: project(1),
            passed_over: project(2),
        }]
    );
    assert_eq!(
        problems[0].to_string(),
        format!(
            "approving {} passes over the higher-ranked {}; record a reason",
            project(1),
            project(2)
        )
    );
}

#[test]
fn a_decision_against_the_ranking_with_a_reason_is_recorded_as_such() {
    let why = "Єдине укриття в громаді, де школа працює наживо";
    let decisions = [
        decision(
            4,
            Verdict::Refuse,
            Some("Дублює проєкт, профінансований донором"),
        ),
        decision(2, Verdict::Approve, Some(why)),
    ];
    let decided = decide(&ranking(), &decisions).unwrap();
    let approved = decided.iter().find(|d| d.project == project(2)).unwrap();
    assert_eq!(approved.passed_over, Some(project(4)));
    assert_eq!(
        approved.step,
        Step::Approve {
            justification: Justification::DepartsFromRanking {
                reason: reason(why)
            }
        }
    );

    // The recorded step is what the commission member then takes on the route.
    let mut facts = ProjectFacts::new_draft(community(), Some(kharkiv()));
    facts.stage = StatusDetails::Applied;
    facts.call_ministry = Some(ministry());
    let member = Actor::commission_member(ministry(), "Петро");
    let done = transition(&member, &approved.step, &facts).unwrap();
    assert_eq!(done.to, StatusDetails::Approved);
}

#[test]
fn refusals_without_reasons_and_strange_decisions_are_all_named() {
    let decisions = [
        decision(4, Verdict::Refuse, None),
        decision(9, Verdict::Approve, None),
        decision(3, Verdict::Approve, None),
        decision(3, Verdict::Refuse, Some("Передумали")),
    ];
    let problems = decide(&ranking(), &decisions).unwrap_err();
    assert!(problems.contains(&DecisionProblem::NotInRanking {
        project: project(9)
    }));
    assert!(problems.contains(&DecisionProblem::DecidedTwice {
        project: project(3)
    }));
    assert!(problems.contains(&DecisionProblem::RefusedWithoutReason {
        project: project(4)
    }));
}

proptest! {
    #[test]
    fn any_score_recomputes_from_its_parts(
        need in 0i64..5_000_000_000,
        community_share in 0i64..5_000_000_000,
        consumers in 0u32..50_000,
        displaced in 0u32..10_000,
        permit in any::<bool>(),
        level in 1u8..=5,
    ) {
        let mut content = shelter();
        let approach = &mut content.approaches[0];
        approach.budget[0].amount = Money::uah(need);
        approach.finance[0].amount = Money::uah(community_share);
        content.metrics[0].target = f64::from(consumers);
        content.metrics[1].target = f64::from(displaced);
        if permit {
            let mut document = content.documents[0].clone();
            document.document_type = DocumentType::PermissionDocument;
            content.documents.push(document);
        }
        let call = Call {
            oblast_risks: RiskTable::new(vec![OblastRisk { oblast: kharkiv(), level }]).unwrap(),
            ..shelters_call()
        };

        let score = call.score(&content);

        assert_recomputes(&score);
        prop_assert!((0.0..=100.0).contains(&score.total));
    }
}
