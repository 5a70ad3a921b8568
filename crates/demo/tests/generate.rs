//! The demo data as the registry would receive it: every record passes the domain's checks,
//! the numbers add up, the same seed gives the same registry, and batches of any size give
//! the same records as one large batch.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use dream_demo::{DemoData, Generator, generate};
use dream_domain::codelist::{
    ContractingStatus, CostItem, FinanceCategory, FinanceType, RelatedProcessScheme, Status,
    StatusDetails,
};
use dream_domain::project::{Project, is_prozorro_tender_id};
use dream_domain::territory::{Territory, TerritoryLevel};
use dream_domain::{Edrpou, Katottg};
use time::macros::date;
use time::{Date, OffsetDateTime};

const TODAY: Date = date!(2025 - 06 - 01);

/// The codifier's hromadas, read from the file the store ships.
fn hromadas() -> Vec<Territory> {
    let units = dream_domain::territory::codifier().into_iter();
    units
        .filter(|unit| unit.level == TerritoryLevel::Hromada)
        .collect()
}

fn whole_microseconds(at: OffsetDateTime) -> bool {
    at.nanosecond().is_multiple_of(1_000)
}

#[test]
fn every_record_passes_the_domain_checks() {
    let data = generate(3_000, 1, &hromadas(), TODAY);
    assert_eq!(data.projects.len(), 3_000);

    for organisation in &data.organisations {
        let errors = organisation.content.check();
        assert!(
            errors.is_empty(),
            "organisation {}: {errors}",
            organisation.id
        );
    }
    for (object, _) in &data.objects {
        let errors = object.content.check();
        assert!(errors.is_empty(), "object {}: {errors}", object.id);
    }
    for (project, _) in &data.projects {
        let errors = project.content.check();
        assert!(errors.is_empty(), "project {}: {errors}", project.id);
    }
}

#[test]
fn records_refer_only_to_records_that_exist() {
    let data = generate(3_000, 2, &hromadas(), TODAY);
    let organisations: HashSet<&Edrpou> = data.organisations.iter().map(|o| &o.id).collect();
    assert_eq!(
        organisations.len(),
        data.organisations.len(),
        "EDRPOU codes are unique"
    );
    let objects: HashMap<_, _> = data.objects.iter().map(|(o, _)| (o.id, o)).collect();
    assert_eq!(objects.len(), data.objects.len(), "object ids are unique");

    for (project, territory) in &data.projects {
        assert_eq!(territory.level, TerritoryLevel::Hromada);
        assert_eq!(project.content.locations[0].katottg, territory.code);
        for party in &project.content.parties {
            assert!(
                organisations.contains(&party.id),
                "{} names {}",
                project.id,
                party.id
            );
        }
        let initiator = project.content.initiator().unwrap();
        for id in &project.content.objects {
            let object = objects.get(id).expect("the object is generated");
            assert_eq!(object.content.locations[0].katottg, territory.code);
            assert!(object.date <= project.updated);
            assert_eq!(
                object.content.holder, initiator.id,
                "the initiator holds the object"
            );
        }
    }
    for (object, territory) in &data.objects {
        assert_eq!(object.content.locations[0].katottg, territory.code);
        assert!(organisations.contains(&object.content.holder));
    }
}

#[test]
fn every_organisation_lies_in_a_known_oblast() {
    let hromadas = hromadas();
    let generator = Generator::new(8, &hromadas, TODAY);
    let mut oblasts: HashSet<Katottg> = hromadas.iter().map(|h| h.oblast.clone()).collect();
    oblasts.insert(Katottg::parse("UA80000000000093317").unwrap());
    let data = generate(1_000, 8, &hromadas, TODAY);
    for organisation in &data.organisations {
        let oblast = generator.oblast_of(&organisation.content.territory);
        assert!(oblasts.contains(&oblast), "{}: {oblast}", organisation.id);
    }
}

#[test]
fn status_dates_and_money_are_consistent() {
    let data = generate(3_000, 3, &hromadas(), TODAY);
    for (project, _) in &data.projects {
        let content = &project.content;
        let withdrawn = project.status == Status::Cancelled;
        assert_eq!(
            project.status,
            Project::derive_status(withdrawn, content.status_details)
        );

        assert!(project.updated >= project.date, "{}", project.id);
        assert!(whole_microseconds(project.date) && whole_microseconds(project.updated));
        assert!(project.date.date() >= date!(2023 - 01 - 01) && project.updated.date() < TODAY);

        let funding = content.funding();
        assert!(funding.need.amount_minor > 0, "{}", project.id);
        assert!(
            funding.secured.amount_minor <= funding.need.amount_minor,
            "{}",
            project.id
        );
        for line in &content.proposed_approach().unwrap().finance {
            let expected = match line.finance_category {
                FinanceCategory::InternationalOrganization | FinanceCategory::AbroadState => {
                    FinanceType::InternationalPartners
                }
                FinanceCategory::LegalEntity => FinanceType::PrivateInvestments,
                _ => FinanceType::StateFunds,
            };
            assert_eq!(line.finance_type, expected);
        }

        for process in &content.contracting_processes {
            assert!(
                is_prozorro_tender_id(&process.tender_id),
                "{}",
                process.tender_id
            );
            let tender = process.tender_value.unwrap().amount_minor;
            assert!(tender <= funding.need.amount_minor);
            if let Some(contract) = process.contract_value {
                assert!(contract.amount_minor <= tender);
                assert!((1..=7).contains(&process.number_of_tenderers.unwrap()));
                assert!(process.date_signed.unwrap() < TODAY);
                assert!(!process.suppliers.is_empty());
            }
            let mirrored = content.related_processes.iter().any(|related| {
                related.scheme == RelatedProcessScheme::UaProzorro
                    && related.identifier == process.tender_id
            });
            assert!(
                mirrored,
                "{} is among the related processes",
                process.tender_id
            );
        }
        for metric in &content.metrics {
            assert!(metric.target >= metric.baseline);
        }
    }
}

#[test]
fn construction_or_equipment_takes_most_of_every_budget_version() {
    let data = generate(2_000, 4, &hromadas(), TODAY);
    for (project, _) in &data.projects {
        for approach in &project.content.approaches {
            let mut versions: HashMap<_, (i64, i64)> = HashMap::new();
            for line in &approach.budget {
                let (main, total) = versions.entry(line.budget_type).or_default();
                assert!(line.amount.amount_minor >= 0);
                *total += line.amount.amount_minor;
                if matches!(line.cost_item, CostItem::Construction | CostItem::Equipment) {
                    *main += line.amount.amount_minor;
                }
            }
            for (main, total) in versions.values() {
                assert!(
                    *main * 10 >= *total * 6,
                    "{}: {main} of {total}",
                    project.id
                );
            }
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_registry_and_another_seed_another() {
    let hromadas = hromadas();
    let first = generate(300, 42, &hromadas, TODAY);
    let again = generate(300, 42, &hromadas, TODAY);
    let other = generate(300, 43, &hromadas, TODAY);
    assert_eq!(first, again);
    assert_ne!(first.projects, other.projects);

    let json = |data: &DemoData| serde_json::to_string(&data.projects[0].0).unwrap();
    assert_eq!(json(&first), json(&again));
}

#[test]
fn an_edrpou_code_names_the_same_organisation_whatever_the_seed() {
    let hromadas = hromadas();
    let first = generate(2_000, 11, &hromadas, TODAY);
    let second = generate(2_000, 12, &hromadas, TODAY);
    let known: HashMap<_, _> = first
        .organisations
        .iter()
        .map(|o| (&o.id, &o.content))
        .collect();
    let mut shared = 0;
    for organisation in &second.organisations {
        // A contractor is registered where it was first hired, which may differ; its name
        // and kind, which projects show, may not.
        if let Some(content) = known.get(&organisation.id) {
            assert_eq!(
                content.name, organisation.content.name,
                "{}",
                organisation.id
            );
            assert_eq!(
                content.kind, organisation.content.kind,
                "{}",
                organisation.id
            );
            shared += 1;
        }
    }
    assert!(shared > 500, "only {shared} organisations in common");
}

#[test]
fn the_order_of_the_hromadas_does_not_matter() {
    let mut hromadas = hromadas();
    let forwards = generate(100, 9, &hromadas, TODAY);
    hromadas.reverse();
    assert_eq!(generate(100, 9, &hromadas, TODAY), forwards);
}

#[test]
fn batches_continue_one_another() {
    let hromadas = hromadas();
    let whole = generate(600, 7, &hromadas, TODAY);
    let mut generator = Generator::new(7, &hromadas, TODAY);
    let mut batched = generator.next_batch(250);
    batched.append(generator.next_batch(350));
    assert_eq!(batched, whole);
}

#[test]
fn twenty_thousand_projects_have_unique_ids() {
    let started = Instant::now();
    let mut generator = Generator::new(2024, &hromadas(), TODAY);
    let mut projects = HashSet::new();
    let mut objects = HashSet::new();
    for _ in 0..20 {
        let batch = generator.next_batch(1_000);
        for (project, _) in batch.projects {
            assert!(projects.insert(project.id.clone()), "{} twice", project.id);
        }
        for (object, _) in batch.objects {
            assert!(objects.insert(object.id), "{} twice", object.id);
        }
    }
    assert_eq!(projects.len(), 20_000);
    assert!(
        started.elapsed().as_secs() < 60,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn frontline_oblasts_get_more_projects_and_occupied_crimea_none() {
    let hromadas = hromadas();
    let data = generate(20_000, 5, &hromadas, TODAY);
    let oblast = |territory: &Territory| territory.oblast.as_str()[2..4].to_owned();
    let mut projects: HashMap<String, usize> = HashMap::new();
    for (_, territory) in &data.projects {
        *projects.entry(oblast(territory)).or_default() += 1;
    }
    let mut hromadas_in: HashMap<String, usize> = HashMap::new();
    for territory in &hromadas {
        *hromadas_in.entry(oblast(territory)).or_default() += 1;
    }
    let per_hromada = |code: &str| projects[code] as f64 / hromadas_in[code] as f64;

    assert!(!projects.contains_key("01") && !projects.contains_key("85"));
    assert!(
        per_hromada("63") > 4.0 * per_hromada("46"),
        "Kharkiv against Lviv"
    );
    assert!(
        per_hromada("14") > 3.0 * per_hromada("21"),
        "Donetsk against Zakarpattia"
    );
}

#[test]
fn projects_spread_along_the_route_with_a_few_refused_and_withdrawn() {
    let data = generate(5_000, 6, &hromadas(), TODAY);
    let count = |wanted: StatusDetails| {
        data.projects
            .iter()
            .filter(|(p, _)| p.content.status_details == wanted)
            .count()
    };
    assert!(count(StatusDetails::Initiated) > count(StatusDetails::Structured));
    assert!((100..400).contains(&count(StatusDetails::Refused)));
    let cancelled = data
        .projects
        .iter()
        .filter(|(p, _)| p.status == Status::Cancelled)
        .count();
    assert!((20..300).contains(&cancelled), "{cancelled} withdrawn");
    let signed = data
        .projects
        .iter()
        .flat_map(|(p, _)| &p.content.contracting_processes)
        .filter(|c| c.status == ContractingStatus::Implementation)
        .count();
    assert!(signed > 100);
}

#[test]
fn every_project_past_appraisal_applied_to_an_eligible_call_and_decided_ones_have_reasons() {
    let hromadas = hromadas();
    let mut generator = Generator::new(5, &hromadas, TODAY);
    let calls = generator.calls().to_vec();
    let data = generator.next_batch(3_000);
    let ministries: HashSet<&Edrpou> = data
        .organisations
        .iter()
        .filter(|o| o.content.kind == dream_domain::codelist::OrganisationKind::Ministry)
        .map(|o| &o.id)
        .collect();
    assert_eq!(calls.len(), 6);
    assert!(calls.iter().all(|call| ministries.contains(&call.ministry)));

    let projects: HashMap<_, _> = data.projects.iter().map(|(p, _)| (&p.id, p)).collect();
    let applied = |stage| {
        matches!(
            stage,
            StatusDetails::Applied
                | StatusDetails::Refused
                | StatusDetails::Approved
                | StatusDetails::Implementation
        )
    };
    let expected = projects
        .values()
        .filter(|p| applied(p.content.status_details))
        .count();
    assert_eq!(data.applications.len(), expected);
    assert!(
        expected > 600,
        "about a third of the projects applied: {expected}"
    );

    for demo in &data.applications {
        let project = projects[&demo.application.project];
        let call = calls.iter().find(|c| c.id == demo.call).unwrap();
        let submitted = demo.application.submitted;
        assert!(
            call.opens <= submitted && submitted < call.closes,
            "{}",
            project.id
        );
        assert!(project.date <= submitted && submitted <= project.updated);
        // The stage is applied or later, so apart from it every condition must hold.
        let mut at_appraisal = (*project).clone();
        at_appraisal.content.status_details = StatusDetails::Appraised;
        assert_eq!(
            dream_domain::calls::eligibility(call, &at_appraisal, submitted),
            Ok(()),
            "{}",
            project.id
        );
        assert_eq!(demo.application.score, call.score(&project.content));
        let verdict = demo.decision.as_ref().map(|(verdict, _)| *verdict);
        let expected = match project.content.status_details {
            StatusDetails::Applied => None,
            StatusDetails::Refused => Some(dream_domain::calls::Verdict::Refuse),
            _ => Some(dream_domain::calls::Verdict::Approve),
        };
        assert_eq!(verdict, expected, "{}", project.id);
    }
}
