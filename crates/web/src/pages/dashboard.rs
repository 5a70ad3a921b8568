//! What the home, place and organisation pages share: the totals of a set of projects and
//! their charts, each chart with a table of the same numbers beside it, and the oblast map.
//! Every bar, row and oblast links to the catalogue narrowed to it.

use dream_store::totals::Dimension;
use dream_visual::{Bar, Language, MapOptions, MapRegion, TimePoint};

use super::filters::ListQuery;
use super::i18n::Lang;
use super::labels;
use super::totals::{Breakdown, KeyTotals, MAIN_CURRENCY};

/// One figure on a page: a title, its value and what it means.
pub struct Total {
    pub label: String,
    pub value: String,
    pub note: String,
}

/// A chart and the table of its numbers.
pub struct Chart {
    pub title: String,
    pub svg: String,
    pub key_heading: String,
    pub value_heading: String,
    pub rows: Vec<ChartRow>,
}

pub struct ChartRow {
    pub label: String,
    /// The catalogue narrowed to this row; empty when there is no such filter.
    pub href: String,
    pub value: String,
}

/// What the map colours the oblasts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Projects,
    Need,
    Secured,
}

impl Measure {
    pub const ALL: [Measure; 3] = [Measure::Projects, Measure::Need, Measure::Secured];

    pub fn parse(code: &str) -> Measure {
        match code {
            "need" => Measure::Need,
            "secured" => Measure::Secured,
            _ => Measure::Projects,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Measure::Projects => "projects",
            Measure::Need => "need",
            Measure::Secured => "secured",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Measure::Projects => lang.pick("Кількість проєктів", "Number of projects"),
            Measure::Need => lang.pick("Потреба, грн", "Money needed, UAH"),
            Measure::Secured => lang.pick("Забезпечено, грн", "Money secured, UAH"),
        }
    }

    fn value(self, totals: &KeyTotals) -> i64 {
        match self {
            Measure::Projects => totals.projects,
            Measure::Need => totals.need_minor,
            Measure::Secured => totals.secured_minor,
        }
    }

    fn text(self, lang: Lang, value: i64) -> String {
        match self {
            Measure::Projects => projects(lang, value),
            Measure::Need | Measure::Secured => lang.money_short(value, MAIN_CURRENCY),
        }
    }
}

fn visual(lang: Lang) -> Language {
    match lang {
        Lang::Uk => Language::Uk,
        Lang::En => Language::En,
    }
}

/// `1 234 проєкти`, `1,234 projects`.
pub fn projects(lang: Lang, n: i64) -> String {
    lang.count(
        n,
        ["проєкт", "проєкти", "проєктів"],
        ["project", "projects"],
    )
}

/// The headline figures: projects, and the money needed, secured and contracted.
pub fn totals(lang: Lang, breakdown: &Breakdown) -> Vec<Total> {
    let overall = breakdown.overall();
    let main = overall.iter().find(|g| g.currency == MAIN_CURRENCY);
    let (need, secured, contracted) = main.map_or((0, 0, 0), |g| {
        (g.need_minor, g.secured_minor, g.contracted_minor)
    });
    let others: Vec<String> = overall
        .iter()
        .filter(|g| g.currency != MAIN_CURRENCY)
        .map(|g| {
            format!(
                "{}: {}",
                projects(lang, g.projects),
                lang.money_short(g.need_minor, &g.currency)
            )
        })
        .collect();
    let in_main = lang.pick("у гривнях", "in hryvnias");
    let money_note = if others.is_empty() {
        in_main.to_owned()
    } else {
        format!(
            "{in_main}; {} {}",
            lang.pick("окремо", "besides"),
            others.join(", ")
        )
    };
    vec![
        Total {
            label: lang.pick("Проєктів", "Projects").to_owned(),
            value: lang.integer(breakdown.projects()),
            note: lang.pick("у реєстрі", "in the registry").to_owned(),
        },
        Total {
            label: lang.pick("Потреба", "Money needed").to_owned(),
            value: lang.money_short(need, MAIN_CURRENCY),
            note: money_note,
        },
        Total {
            label: lang.pick("Забезпечено", "Secured").to_owned(),
            value: lang.money_short(secured, MAIN_CURRENCY),
            note: format!(
                "{} {}",
                lang.percent(secured, need),
                lang.pick("потреби", "of the need")
            ),
        },
        Total {
            label: lang.pick("Законтрактовано", "Under contract").to_owned(),
            value: lang.money_short(contracted, MAIN_CURRENCY),
            note: lang
                .pick("за договорами Prozorro", "in Prozorro contracts")
                .to_owned(),
        },
    ]
}

/// What one bar chart shows: the projects grouped by `dimension`, measured by `measure`;
/// `name` turns a key into its label and `param` is the catalogue parameter a bar narrows to.
pub struct BarSpec<'a> {
    pub dimension: Dimension,
    pub title: &'a str,
    pub measure: Measure,
    pub param: &'a str,
    pub name: &'a dyn Fn(&str) -> String,
}

/// A bar chart with its table; each bar links to the catalogue narrowed from `base`.
pub fn bars(lang: Lang, breakdown: &Breakdown, base: &ListQuery, spec: BarSpec) -> Chart {
    let BarSpec {
        dimension,
        title,
        measure,
        param,
        name,
    } = spec;
    let mut keyed: Vec<KeyTotals> = breakdown
        .keyed(dimension)
        .into_iter()
        .filter(|k| k.key.is_some())
        .collect();
    keyed.sort_by_key(|k| std::cmp::Reverse(measure.value(k)));
    let rows: Vec<ChartRow> = keyed
        .iter()
        .map(|k| {
            let key = k.key.as_deref().unwrap_or_default();
            ChartRow {
                label: name(key),
                href: format!(
                    "{}{}",
                    lang.path("/projects"),
                    base.link(&[(param, key), ("page", "")])
                ),
                value: measure.text(lang, measure.value(k)),
            }
        })
        .collect();
    let bars: Vec<Bar> = keyed
        .iter()
        .zip(&rows)
        .map(|(k, row)| Bar {
            label: row.label.clone(),
            value: measure.value(k) as f64,
            value_text: row.value.clone(),
        })
        .collect();
    Chart {
        title: title.to_owned(),
        svg: dream_visual::bar_chart(title, &bars, visual(lang)),
        key_heading: String::new(),
        value_heading: measure.name(lang).to_owned(),
        rows,
    }
}

/// Projects by the month they were created in.
pub fn over_time(lang: Lang, breakdown: &Breakdown) -> Chart {
    let mut keyed: Vec<KeyTotals> = breakdown
        .keyed(Dimension::CreatedMonth)
        .into_iter()
        .filter(|k| k.key.is_some())
        .collect();
    keyed.sort_by(|a, b| a.key.cmp(&b.key));
    let title = lang.pick("Нові проєкти за місяцями", "New projects by month");
    let rows: Vec<ChartRow> = keyed
        .iter()
        .map(|k| ChartRow {
            label: lang.month(k.key.as_deref().unwrap_or_default()),
            // The catalogue has no filter by month, so a month links nowhere.
            href: String::new(),
            value: projects(lang, k.projects),
        })
        .collect();
    let points: Vec<TimePoint> = keyed
        .iter()
        .zip(&rows)
        .map(|(k, row)| TimePoint {
            label: row.label.clone(),
            value: k.projects as f64,
            value_text: row.value.clone(),
        })
        .collect();
    let tick = move |value: f64| lang.integer(value.round() as i64);
    Chart {
        title: title.to_owned(),
        svg: dream_visual::time_chart(title, &points, &tick, visual(lang)),
        key_heading: lang.pick("Місяць", "Month").to_owned(),
        value_heading: Measure::Projects.name(lang).to_owned(),
        rows,
    }
}

/// The oblast map coloured by `measure`, each oblast linking to the catalogue.
pub fn oblast_map(lang: Lang, breakdown: &Breakdown, measure: Measure, base: &ListQuery) -> Chart {
    let keyed = breakdown.keyed(Dimension::Oblast);
    let mut rows = Vec::new();
    let mut regions = Vec::new();
    for shape in dream_visual::oblasts() {
        let totals = keyed
            .iter()
            .find(|k| k.key.as_deref() == Some(shape.code.as_str()));
        let name = lang.pick(&shape.name_uk, &shape.name_en).to_owned();
        let href = format!(
            "{}{}",
            lang.path("/projects"),
            base.link(&[("oblast", &shape.code), ("page", "")])
        );
        let value = totals.map_or(0, |t| measure.value(t));
        let text = measure.text(lang, value);
        rows.push((
            value,
            ChartRow {
                label: name.clone(),
                href: href.clone(),
                value: text.clone(),
            },
        ));
        regions.push((
            shape.code.as_str(),
            totals.map(|_| value as f64),
            format!("{name}: {text}"),
            href,
        ));
    }
    rows.sort_by_key(|(value, _)| std::cmp::Reverse(*value));
    let leader = rows
        .first()
        .map(|(_, row)| format!("{} ({})", row.label, row.value));
    let regions: Vec<MapRegion> = regions
        .into_iter()
        .map(|(code, value, label, href)| MapRegion {
            code,
            value: value.unwrap_or(f64::NAN),
            label,
            href: Some(href),
        })
        .collect();
    let title = format!(
        "{}: {}",
        lang.pick("Області", "Oblasts"),
        measure.name(lang).to_lowercase()
    );
    let description = match leader {
        Some(leader) => format!("{} {leader}.", lang.pick("Найбільше —", "The most:")),
        None => String::new(),
    };
    // The legend's title names the measure, so its classes need only the numbers.
    let format_value = move |value: f64| match measure {
        Measure::Projects => lang.integer(value.round() as i64),
        _ => lang.money_short(value.round() as i64, MAIN_CURRENCY),
    };
    let options = MapOptions {
        title: &title,
        description: &description,
        legend_title: measure.name(lang),
        language: visual(lang),
        format_value: &format_value,
    };
    Chart {
        svg: dream_visual::oblast_map(&regions, &options),
        title,
        key_heading: lang.pick("Область", "Oblast").to_owned(),
        value_heading: measure.name(lang).to_owned(),
        rows: rows.into_iter().map(|(_, row)| row).collect(),
    }
}

/// The name of a code of `list` in `lang`, for a chart label.
pub fn code_name(lang: Lang, list: &'static str) -> impl Fn(&str) -> String {
    move |code| labels::code(lang, list, code)
}
