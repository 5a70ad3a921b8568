//! A project's plan and evidence: how many people it serves before and after, the phases
//! from identification to commissioning with their durations, and the photos and documents
//! that a project at its stage would have published.

use dream_domain::codelist::{
    AccessDetails, DocumentType, MetricCharacteristic, PhaseCode, Purpose, StatusDetails,
};
use dream_domain::project::{Approach, Document, Metric, Phase};
use dream_domain::text::Text;
use time::Duration;

use crate::funding::latest_total;
use crate::generator::Draft;
use crate::places::CouncilKind;
use crate::rng::Rng;
use crate::texts::Work;

/// Kopiykas in a million hryvnias.
const MILLION_UAH: i64 = 100_000_000;

const PDF: &str = "application/pdf";
const JPEG: &str = "image/jpeg";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The people the facility serves and the internally displaced among them, now and once
/// the project is done. A damaged facility serves few now; a city's serves more.
pub(crate) fn metrics(rng: &mut Rng, draft: &Draft) -> Vec<Metric> {
    let served = &draft.subject.facility.served;
    let mut target = u64::from(rng.between_u32(served.low, served.high));
    if draft.place.council == CouncilKind::City {
        target *= 2;
    }
    let baseline_percent = match (draft.purpose, draft.work) {
        (Purpose::Restoration, _) => rng.between(0, 60),
        (Purpose::Development, Work::Equipment) => rng.between(50, 95),
        (Purpose::Development, _) => rng.between(30, 90),
    };
    let baseline = target * baseline_percent / 100;
    let displaced_target = target * rng.between(5, 35) / 100;
    let displaced_baseline = displaced_target * rng.between(0, 80) / 100;

    vec![
        metric(
            "1",
            MetricCharacteristic::NumberOfConsumers,
            (served.uk, served.en),
            baseline,
            target,
        ),
        metric(
            "2",
            MetricCharacteristic::NumberOfIdp,
            (
                "Кількість внутрішньо переміщених осіб серед користувачів",
                "Internally displaced persons among users",
            ),
            displaced_baseline,
            displaced_target,
        ),
    ]
}

fn metric(
    id: &str,
    characteristic: MetricCharacteristic,
    (uk, en): (&str, &str),
    baseline: u64,
    target: u64,
) -> Metric {
    Metric {
        id: id.to_owned(),
        characteristic,
        title: Some(Text::new(uk, en)),
        baseline: baseline as f64,
        target: target as f64,
        unit: Some("persons".to_owned()),
    }
}

/// The phases one after another from the day the project was created; the works take
/// longer the larger the budget.
pub(crate) fn phases(rng: &mut Rng, draft: &Draft, approaches: &[Approach]) -> Vec<Phase> {
    let need = approaches
        .first()
        .map_or(0, |approach| latest_total(&approach.budget));
    let millions = u64::try_from(need / MILLION_UAH).unwrap_or(0).min(2_000);
    let equipment = draft.work == Work::Equipment;

    let mut plan = vec![(PhaseCode::Identification, rng.between(14, 45))];
    if !equipment {
        plan.push((PhaseCode::Scoping, rng.between(30, 150)));
        if rng.percent(30) {
            plan.push((PhaseCode::Hearings, rng.between(14, 30)));
        }
    }
    plan.push((PhaseCode::Budgeting, rng.between(30, 90)));
    plan.push((PhaseCode::Procurement, rng.between(30, 90)));
    let works = if equipment {
        rng.between(30, 120)
    } else {
        rng.between(90, 360) + millions / 4
    };
    plan.push((PhaseCode::Implementation, works));
    plan.push((PhaseCode::Commissioning, rng.between(14, 60)));

    let mut start = draft.created.date();
    plan.into_iter()
        .map(|(code, days)| {
            let phase = Phase {
                code,
                duration_days: days as u32,
                start_date: Some(start),
            };
            start += Duration::days(days as i64);
            phase
        })
        .collect()
}

/// The documents published by the project's stage: photos of the damage, the defect
/// statement, the design and its estimate, the expert report, a feasibility study for a
/// large project and photos of the works in progress.
pub(crate) fn documents(rng: &mut Rng, draft: &Draft, approaches: &[Approach]) -> Vec<Document> {
    let mut documents = Documents { list: Vec::new() };
    let need = approaches
        .first()
        .map_or(0, |approach| latest_total(&approach.budget));
    photos(rng, draft, &mut documents);

    let building = draft.work != Work::Equipment;
    let papers = [
        (
            draft.damage.is_some() && building && draft.reached(StatusDetails::Definition),
            60,
            DocumentType::TechnicalDocument,
            "Дефектний акт",
            PDF,
        ),
        (
            need >= 100 * MILLION_UAH && draft.reached(StatusDetails::Definition),
            70,
            DocumentType::FeasibilityStudy,
            "Техніко-економічне обґрунтування",
            PDF,
        ),
        (
            building && draft.reached(StatusDetails::Defined),
            70,
            DocumentType::DesignDocument,
            "Проєктна документація, стадія «Робочий проєкт»",
            PDF,
        ),
        (
            draft.reached(StatusDetails::Defined),
            50,
            DocumentType::Document,
            "Зведений кошторисний розрахунок вартості об’єкта будівництва",
            XLSX,
        ),
        (
            building && draft.reached(StatusDetails::Appraised),
            60,
            DocumentType::PermissionDocument,
            "Експертний звіт щодо розгляду проєктної документації",
            PDF,
        ),
    ];
    for (due, percent, kind, title, format) in papers {
        if due && rng.percent(percent) {
            documents.add(rng, draft, kind, title.to_owned(), format);
        }
    }
    documents.list
}

/// Photos of the damage, and of the works once they are under way.
fn photos(rng: &mut Rng, draft: &Draft, documents: &mut Documents) {
    if draft.damage.is_some() {
        for number in 1..=rng.between(1, 4) {
            let title = format!("Фото пошкоджень №{number}");
            documents.add(rng, draft, DocumentType::IllustrationDamaged, title, JPEG);
        }
    }
    if draft.stage == StatusDetails::Implementation && rng.percent(50) {
        for number in 1..=rng.between(1, 3) {
            let title = format!("Хід робіт №{number}");
            documents.add(
                rng,
                draft,
                DocumentType::IllustrationInProgress,
                title,
                JPEG,
            );
        }
    }
}

/// The documents of one project, numbered as they are added.
struct Documents {
    list: Vec<Document>,
}

impl Documents {
    /// Adds a document published some day while the project was being worked on. Design
    /// papers are sometimes limited to registered users; photos are always open.
    fn add(
        &mut self,
        rng: &mut Rng,
        draft: &Draft,
        kind: DocumentType,
        title: String,
        format: &str,
    ) {
        let photo = format == JPEG;
        let access = if !photo && rng.percent(15) {
            AccessDetails::Limited
        } else {
            AccessDetails::Open
        };
        let published = draft.day_between(rng, draft.created.date(), draft.updated.date());
        self.list.push(Document {
            id: (self.list.len() + 1).to_string(),
            document_type: kind,
            title: Text {
                uk: title,
                en: None,
            },
            url: None,
            format: format.to_owned(),
            date_published: published,
            access_details: access,
            size_bytes: None,
            sha256: None,
        });
    }
}
