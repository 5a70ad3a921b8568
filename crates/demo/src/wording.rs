//! A project's title and description in both languages: the works, the facility and the
//! place in the title; the damage or the need, the scope, the people served and the
//! initiator in the description.

use dream_domain::project::Metric;
use dream_domain::text::Text;

use crate::generator::Draft;
use crate::grammar::{capitalised, date_en, date_uk, number_en, number_uk};
use crate::rng::Rng;
use crate::texts::{Work, development_reasons, fill, scopes};

/// The title and the description of a project.
pub(crate) fn title_and_description(
    rng: &mut Rng,
    draft: &Draft,
    metrics: &[Metric],
) -> (Text, Text) {
    (title(draft), description(rng, draft, metrics))
}

/// "Капітальний ремонт ліцею №3 у с. Андріївка Андріївської територіальної громади".
fn title(draft: &Draft) -> Text {
    let subject = &draft.subject;
    let (template_uk, template_en) = draft.work.title();
    let (equipment_uk, equipment_en) = subject.facility.equipment;
    let uk = fill(template_uk, |key| match key {
        "object" => Some(subject.name_genitive.as_str()),
        "place" => Some(subject.place_uk.as_str()),
        "equipment" => Some(equipment_uk),
        _ => None,
    });
    let en = fill(template_en, |key| match key {
        "object" => Some(subject.name_en.as_str()),
        "place" => Some(subject.place_en.as_str()),
        "equipment" => Some(equipment_en),
        _ => None,
    });
    Text::new(capitalised(&uk), capitalised(&en))
}

/// Four sentences: why, what, for whom and by whom.
fn description(rng: &mut Rng, draft: &Draft, metrics: &[Metric]) -> Text {
    let initiator = draft.initiator();
    let sentences = [
        reason(rng, draft),
        scope(rng, draft),
        served(metrics),
        (
            format!("Ініціатор — {}.", initiator.name_uk),
            format!("Initiator: {}.", initiator.name_en),
        ),
    ];
    let (uk, en): (Vec<String>, Vec<String>) = sentences.into_iter().unzip();
    Text::new(uk.join(" "), en.join(" "))
}

/// What happened to the facility, or why it is needed when nothing did.
fn reason(rng: &mut Rng, draft: &Draft) -> (String, String) {
    if let Some(damage) = &draft.damage {
        let (cause_uk, cause_en) = damage.cause;
        return (
            format!(
                "Об’єкт пошкоджено внаслідок {cause_uk} {}.",
                date_uk(damage.date)
            ),
            format!(
                "The facility was damaged by {cause_en} on {}.",
                date_en(damage.date)
            ),
        );
    }
    let reasons = development_reasons(draft.work, draft.subject.facility.build);
    let (reason_uk, reason_en) = rng.pick(&reasons);
    ((*reason_uk).to_owned(), (*reason_en).to_owned())
}

/// What the works consist of.
fn scope(rng: &mut Rng, draft: &Draft) -> (String, String) {
    let (scope_uk, scope_en) = if draft.work == Work::Equipment {
        let (equipment_uk, equipment_en) = draft.subject.facility.equipment;
        (
            format!("постачання та монтаж {equipment_uk}"),
            format!("the supply and installation of {equipment_en}"),
        )
    } else {
        let (scope_uk, scope_en) = rng.pick(scopes(draft.work, draft.subject.facility.build));
        ((*scope_uk).to_owned(), (*scope_en).to_owned())
    };
    (
        format!("Проєкт передбачає {scope_uk}."),
        format!("The project covers {scope_en}."),
    )
}

/// How many people the finished facility serves, and how many of them are displaced.
fn served(metrics: &[Metric]) -> (String, String) {
    let target = |index: usize| metrics.get(index).map_or(0, |metric| metric.target as u64);
    let (served, displaced) = (target(0), target(1));
    (
        format!(
            "Кількість отримувачів послуг — {}, з них внутрішньо переміщених осіб — {}.",
            number_uk(served),
            number_uk(displaced)
        ),
        format!(
            "People served: {}, of whom {} are internally displaced.",
            number_en(served),
            number_en(displaced)
        ),
    )
}
