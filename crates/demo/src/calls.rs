//! The calls for proposals of the demo registry and the applications to them. Each of the
//! three ministries that fund reconstruction runs two calls: an earlier one, closed a month
//! ago, and a current one, open for two more months. Every project that got as far as
//! applying has its application in one of them, scored by the call's formula; approved,
//! refused and implemented projects have the commission's verdict with its reason.
//!
//! Nothing here draws from the generator's random numbers, so adding calls left every
//! project exactly as it was; a refusal's wording follows from the project's id.

use std::collections::BTreeMap;

use dream_domain::Katottg;
use dream_domain::calls::{
    Application, Call, CallId, Criterion, OblastRisk, RiskTable, ScoringFormula, Verdict,
    WeightedCriterion,
};
use dream_domain::codelist::{Sector, StatusDetails};
use dream_domain::money::Money;
use dream_domain::project::Project;
use dream_domain::text::Text;
use dream_domain::workflow::Reason;
use time::{Date, Duration, OffsetDateTime};

use crate::generator::rank;
use crate::organisations::{BodyRef, CentralBodies};
use crate::places::Place;

/// An application of a demo project, with the commission's verdict once it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoApplication {
    pub call: CallId,
    pub application: Application,
    pub decision: Option<(Verdict, Reason)>,
    /// When the commission decided: the moment the project last changed stage.
    pub decided: OffsetDateTime,
}

/// The six calls, fixed for a given day.
#[derive(Debug, Clone)]
pub(crate) struct DemoCalls {
    calls: Vec<Call>,
}

/// The ministry, the id stem, the titles and the sectors of each pair of calls.
struct Programme<'a> {
    ministry: &'a BodyRef,
    stem: &'static str,
    title: (&'static str, &'static str),
    sectors: Vec<Sector>,
}

impl DemoCalls {
    /// The calls as they stand on `today`: the first of each pair ran from 2023 until 30
    /// days ago, the second opened then and closes in 60 days.
    pub(crate) fn new(central: &CentralBodies, places: &[Place], today: Date) -> Self {
        let turn = today.midnight().assume_utc() - Duration::days(30);
        let first_open = crate::generator::FIRST_DAY.midnight().assume_utc();
        let risks = risk_table(places);
        let programmes = [
            Programme {
                ministry: &central.education_ministry,
                stem: "education",
                title: (
                    "Відновлення закладів освіти",
                    "Restoring schools and kindergartens",
                ),
                sectors: vec![Sector::Education],
            },
            Programme {
                ministry: &central.health_ministry,
                stem: "health",
                title: (
                    "Відновлення закладів охорони здоров’я",
                    "Restoring health care",
                ),
                sectors: vec![Sector::Health],
            },
            Programme {
                ministry: &central.development_ministry,
                stem: "communities",
                title: ("Відновлення громад", "Restoring communities"),
                sectors: Vec::new(),
            },
        ];
        let mut calls = Vec::new();
        for programme in &programmes {
            for (round, opens, closes) in [
                (1, first_open, turn),
                (2, turn, today.midnight().assume_utc() + Duration::days(60)),
            ] {
                calls.push(Call {
                    id: CallId(format!("{}-{round}", programme.stem)),
                    ministry: programme.ministry.id.clone(),
                    title: Text::new(
                        format!("{}: хвиля {round}", programme.title.0),
                        format!("{}: round {round}", programme.title.1),
                    ),
                    opens,
                    closes,
                    eligible_oblasts: Vec::new(),
                    eligible_sectors: programme.sectors.clone(),
                    required_documents: Vec::new(),
                    formula: formula(),
                    oblast_risks: risks.clone(),
                });
            }
        }
        Self { calls }
    }

    pub(crate) fn calls(&self) -> &[Call] {
        &self.calls
    }

    /// The application of `project`, when it got as far as applying.
    pub(crate) fn application_of(&self, project: &Project) -> Option<DemoApplication> {
        let stage = project.content.status_details;
        if rank(stage) < rank(StatusDetails::Applied) {
            return None;
        }
        let decided = stage != StatusDetails::Applied;
        // A decided project applied two weeks before its last change of stage, or when it
        // was created if that came later; a waiting one applied at that last change.
        let submitted = if decided {
            (project.updated - Duration::days(14)).max(project.date)
        } else {
            project.updated
        };
        let call = self.call_for(project.content.sector, submitted)?;
        let decision = decided.then(|| verdict(project));
        Some(DemoApplication {
            call: call.id.clone(),
            application: Application {
                project: project.id.clone(),
                submitted,
                score: call.score(&project.content),
            },
            decision,
            decided: project.updated,
        })
    }

    /// The call of the ministry that funds `sector` whose window holds `submitted`.
    fn call_for(&self, sector: Sector, submitted: OffsetDateTime) -> Option<&Call> {
        let stem = match sector {
            Sector::Education => "education-",
            Sector::Health => "health-",
            _ => "communities-",
        };
        self.calls.iter().find(|call| {
            call.id.0.starts_with(stem) && call.opens <= submitted && submitted < call.closes
        })
    }
}

/// One formula for every demo call: need first (the oblast's risk and the people served),
/// then co-financing, readiness and value for money.
fn formula() -> ScoringFormula {
    let uah = |hryvnias: i64| Money::uah(hryvnias * 100);
    let weighted = |weight, criterion| WeightedCriterion { weight, criterion };
    let criteria = vec![
        weighted(25, Criterion::OblastRisk),
        weighted(
            20,
            Criterion::PeopleServed {
                full_score_at: 2_000,
            },
        ),
        weighted(10, Criterion::DisplacedPeopleServed { full_score_at: 300 }),
        weighted(
            15,
            Criterion::CoFinancing {
                full_score_at_percent: 30,
            },
        ),
        weighted(15, Criterion::DesignReadiness),
        weighted(
            15,
            Criterion::CostPerBeneficiary {
                full_score_at: uah(10_000),
                zero_score_at: uah(200_000),
            },
        ),
    ];
    ScoringFormula::new(criteria).unwrap_or_else(|_| unreachable!("the weights add up to 100"))
}

/// Risk levels from how hard the war hits each oblast: 5 where the front runs (the heaviest
/// weights of the demo), 4 for the rest of the frontline and border oblasts, then by weight
/// down to 1 in the west.
fn risk_table(places: &[Place]) -> RiskTable {
    let mut levels: BTreeMap<&str, (Katottg, u8)> = BTreeMap::new();
    for place in places {
        let oblast = place.oblast;
        let level = match (oblast.is_frontline(), oblast.weight) {
            (true, 50..) => 5,
            (true, _) => 4,
            (false, 25..) => 3,
            (false, 15..) => 2,
            (false, _) => 1,
        };
        levels
            .entry(place.oblast.prefix)
            .or_insert_with(|| (place.territory.oblast.clone(), level));
    }
    let risks = levels
        .into_values()
        .map(|(oblast, level)| OblastRisk { oblast, level })
        .collect();
    RiskTable::new(risks).unwrap_or_else(|_| unreachable!("one level from 1 to 5 per oblast"))
}

/// The commission's verdict on a decided project, with a reason in both languages.
fn verdict(project: &Project) -> (Verdict, Reason) {
    const REFUSALS: [(&str, &str); 3] = [
        (
            "Вартість на одного отримувача перевищує граничну для конкурсу",
            "The cost per beneficiary exceeds the call's limit",
        ),
        (
            "Проєкти з вищою оцінкою вичерпали кошти конкурсу",
            "Higher-scoring projects used up the call's funds",
        ),
        (
            "Бракує погодженої проєктної документації",
            "Approved design documents are missing",
        ),
    ];
    let (verdict, (uk, en)) = match project.content.status_details {
        StatusDetails::Refused => {
            let pick = project.id.as_str().bytes().map(usize::from).sum::<usize>() % 3;
            (Verdict::Refuse, REFUSALS[pick])
        }
        _ => (
            Verdict::Approve,
            (
                "Відповідає пріоритетам конкурсу; кошти передбачено",
                "Meets the call's priorities; the funds are set aside",
            ),
        ),
    };
    let reason = Reason::new(Text::new(uk, en))
        .unwrap_or_else(|_| unreachable!("the reasons are not blank"));
    (verdict, reason)
}
