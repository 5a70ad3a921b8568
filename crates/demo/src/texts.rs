//! The words of the demo data, in Ukrainian and English side by side: the works done to a
//! facility with the titles they give a project, what caused its damage or why it is
//! needed, what the works consist of, what an approach delivers and what a tender buys.

use dream_domain::codelist::ProjectType;

use crate::facilities::Build;

/// The works a project does to a facility, each giving a project type and a title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Work {
    MajorRepair,
    Restoration,
    Reconstruction,
    NewConstruction,
    ThermalModernisation,
    Equipment,
    FitOut,
}

impl Work {
    /// The title's template in Ukrainian and English, around `{object}`, `{place}` and
    /// `{equipment}`.
    pub(crate) fn title(self) -> (&'static str, &'static str) {
        match self {
            Self::MajorRepair => (
                "Капітальний ремонт {object} {place}",
                "Major repair of {object} {place}",
            ),
            Self::Restoration => (
                "Відновлення {object} {place} після руйнувань, спричинених збройною агресією \
                 російської федерації",
                "Restoration of {object} {place}, destroyed by the armed aggression of the \
                 Russian Federation",
            ),
            Self::Reconstruction => (
                "Реконструкція {object} {place}",
                "Reconstruction of {object} {place}",
            ),
            Self::NewConstruction => (
                "Нове будівництво {object} {place}",
                "New construction of {object} {place}",
            ),
            Self::ThermalModernisation => (
                "Термомодернізація {object} {place}",
                "Thermal modernisation of {object} {place}",
            ),
            Self::Equipment => (
                "Придбання {equipment} для {object} {place}",
                "Purchase of {equipment} for {object} {place}",
            ),
            Self::FitOut => (
                "Облаштування {object} {place}",
                "Fitting out {object} {place}",
            ),
        }
    }

    /// The project type of these works.
    pub(crate) fn project_type(self) -> ProjectType {
        match self {
            Self::Reconstruction | Self::NewConstruction => ProjectType::Construction,
            Self::Equipment => ProjectType::Equipment,
            _ => ProjectType::Rehabilitation,
        }
    }

    /// How often, in percent, these works restore something damaged rather than develop.
    pub(crate) fn restoration_percent(self) -> u32 {
        match self {
            Self::MajorRepair => 90,
            Self::Restoration => 100,
            Self::Reconstruction => 65,
            Self::NewConstruction => 35,
            Self::ThermalModernisation => 20,
            Self::Equipment => 55,
            Self::FitOut => 30,
        }
    }

    /// The title of the approach that carries out these works.
    pub(crate) fn approach_title(self) -> (&'static str, &'static str) {
        match self {
            Self::MajorRepair | Self::Restoration => (
                "Капітальний ремонт із відновленням існуючих конструкцій",
                "Major repair restoring the existing structures",
            ),
            Self::Reconstruction => (
                "Реконструкція з підвищенням енергоефективності",
                "Reconstruction with improved energy efficiency",
            ),
            Self::NewConstruction => ("Нове будівництво", "New construction"),
            Self::ThermalModernisation => (
                "Комплексна термомодернізація",
                "Comprehensive thermal modernisation",
            ),
            Self::Equipment => (
                "Закупівля та встановлення обладнання",
                "Purchase and installation of equipment",
            ),
            Self::FitOut => (
                "Облаштування захисної споруди",
                "Fitting out a protective structure",
            ),
        }
    }
}

/// The title of the alternative that replaces rather than repairs.
pub(crate) const ALTERNATIVE_APPROACH: (&str, &str) = (
    "Альтернатива: нове будівництво на місці пошкодженого об’єкта",
    "Alternative: new construction in place of the damaged facility",
);

/// What caused the damage, in the genitive after "внаслідок" and in English: first what
/// reaches every oblast, then what reaches only oblasts near the front.
pub(crate) const DAMAGE_CAUSES: &[(&str, &str)] = &[
    ("ракетного удару", "a missile strike"),
    ("атаки ударних БпЛА", "a drone attack"),
    ("артилерійського обстрілу", "artillery shelling"),
    (
        "удару керованою авіаційною бомбою",
        "a guided aerial bomb strike",
    ),
    (
        "обстрілу з реактивних систем залпового вогню",
        "a multiple rocket launcher attack",
    ),
];

/// How many of [`DAMAGE_CAUSES`] reach oblasts far from the front.
pub(crate) const LONG_RANGE_CAUSES: usize = 2;

/// Why a development project is needed, when nothing was damaged: reasons that fit any
/// works, then reasons that fit only new construction, only equipment or only shelters.
pub(crate) fn development_reasons(work: Work, build: Build) -> Vec<(&'static str, &'static str)> {
    let mut reasons = vec![(
        "Громада прийняла значну кількість внутрішньо переміщених осіб, і наявних потужностей \
         не вистачає.",
        "The hromada has taken in many internally displaced persons and the existing capacity \
         is not enough.",
    )];
    match (work, build) {
        (Work::NewConstruction, _) => reasons.push((
            "Відсутність об’єкта змушує мешканців їздити по послуги до сусідніх громад.",
            "Without the facility residents have to travel to neighbouring hromadas for the \
             service.",
        )),
        (Work::Equipment, _) => reasons.push((
            "Наявне обладнання зношене або його бракує, що обмежує надання послуг.",
            "The existing equipment is worn out or missing, which limits the service.",
        )),
        (_, Build::Shelter) => reasons.push((
            "Заклад не має укриття належної місткості, тому навчання переривається під час \
             повітряних тривог.",
            "The school has no shelter of adequate capacity, so lessons stop during air raid \
             alerts.",
        )),
        _ => reasons.push((
            "Об’єкт зношений і не відповідає сучасним вимогам енергоефективності та безпеки.",
            "The facility is worn out and falls short of current energy efficiency and safety \
             standards.",
        )),
    }
    reasons
}

/// What the works consist of, after "Проєкт передбачає": new construction and thermal
/// modernisation have their own scope; repairs and reconstruction depend on what is built.
pub(crate) fn scopes(work: Work, build: Build) -> &'static [(&'static str, &'static str)] {
    match work {
        Work::NewConstruction => return new_construction_scope(build),
        Work::ThermalModernisation => {
            return &[(
                "утеплення фасаду й покрівлі, заміну вікон та встановлення індивідуального \
                 теплового пункту",
                "insulating the facade and the roof, replacing the windows and installing an \
                 individual heating substation",
            )];
        }
        _ => {}
    }
    match build {
        Build::Building => &[
            (
                "заміну покрівлі, вікон і дверей, ремонт фасаду та внутрішніх інженерних мереж",
                "replacing the roof, windows and doors and repairing the facade and the internal \
                 utilities",
            ),
            (
                "відновлення несучих конструкцій, утеплення фасаду та заміну систем опалення і \
                 вентиляції",
                "restoring the load-bearing structures, insulating the facade and replacing the \
                 heating and ventilation systems",
            ),
            (
                "ремонт пошкоджених приміщень, заміну вікон, облаштування укриття та встановлення \
                 сонячної електростанції",
                "repairing the damaged rooms, replacing the windows, fitting out a shelter and \
                 installing a solar power plant",
            ),
        ],
        Build::Shelter => &[
            (
                "облаштування укриття з вентиляцією, санвузлами, резервним живленням та окремим \
                 виходом",
                "fitting out the shelter with ventilation, toilets, backup power and a separate \
                 exit",
            ),
            (
                "посилення перекриттів підвального приміщення та облаштування двох евакуаційних \
                 виходів",
                "strengthening the basement ceilings and building two emergency exits",
            ),
        ],
        Build::Network => &[
            (
                "заміну зношених трубопроводів, відновлення насосних станцій та встановлення \
                 резервного живлення",
                "replacing worn pipelines, restoring the pumping stations and installing backup \
                 power",
            ),
            (
                "перекладання пошкоджених ділянок мереж із застосуванням поліетиленових труб",
                "relaying the damaged sections of the network with polyethylene pipes",
            ),
        ],
        Build::Plant => &[
            (
                "заміну котлів, відновлення будівлі котельні та встановлення когенераційної \
                 установки",
                "replacing the boilers, restoring the boiler house building and installing a \
                 cogeneration unit",
            ),
            (
                "переведення котельні на альтернативні види палива та заміну насосного обладнання",
                "converting the boiler house to alternative fuels and replacing the pumps",
            ),
        ],
        Build::Bridge => &[
            (
                "відновлення прогонової будови та опор, влаштування нового покриття і огородження",
                "restoring the span and the piers and laying new decking and guardrails",
            ),
            (
                "будівництво нового мосту на місці зруйнованого з тимчасовим об’їздом на час робіт",
                "building a new bridge in place of the destroyed one, with a temporary detour \
                 during the works",
            ),
        ],
        Build::Road => &[
            (
                "влаштування нового асфальтобетонного покриття, тротуарів і вуличного освітлення",
                "laying new asphalt, sidewalks and street lighting",
            ),
            (
                "відновлення основи дороги, водовідведення та дорожньої розмітки",
                "restoring the road base, the drainage and the road markings",
            ),
        ],
    }
}

/// The scope of building something new, by kind of construction.
fn new_construction_scope(build: Build) -> &'static [(&'static str, &'static str)] {
    match build {
        Build::Building => &[(
            "будівництво нової будівлі за типовим проєктом з укриттям, енергоефективними \
             інженерними системами та доступністю для маломобільних груп населення",
            "building a new building to a standard design with a shelter, energy-efficient \
             utilities and step-free access",
        )],
        Build::Shelter => &[(
            "будівництво окремо розташованої захисної споруди з вентиляцією, санвузлами та \
             резервним живленням",
            "building a free-standing protective structure with ventilation, toilets and backup \
             power",
        )],
        Build::Network => &[(
            "прокладання нових мереж із поліетиленових труб та будівництво насосної станції",
            "laying new polyethylene networks and building a pumping station",
        )],
        Build::Plant => &[(
            "будівництво блочно-модульної котельні на місцевих видах палива",
            "building a modular boiler house burning local fuels",
        )],
        Build::Bridge => &[(
            "будівництво нового мосту з тимчасовим об’їздом на час робіт",
            "building a new bridge with a temporary detour during the works",
        )],
        Build::Road => &[(
            "будівництво нової ділянки дороги з тротуарами та вуличним освітленням",
            "building a new road section with sidewalks and street lighting",
        )],
    }
}

/// A thing an approach delivers: its name in both languages, its unit and usual quantities.
#[derive(Debug)]
pub(crate) struct Item {
    pub uk: &'static str,
    pub en: &'static str,
    pub unit: &'static str,
    pub low: u32,
    pub high: u32,
}

const fn item(uk: &'static str, en: &'static str, unit: &'static str, low: u32, high: u32) -> Item {
    Item {
        uk,
        en,
        unit,
        low,
        high,
    }
}

/// The items an approach delivers: a new building as a whole, otherwise the parts that
/// this kind of construction has repaired or replaced.
pub(crate) fn items(work: Work, build: Build) -> &'static [Item] {
    let new_building = matches!(build, Build::Building | Build::Shelter | Build::Plant);
    if work == Work::NewConstruction && new_building {
        return NEW_BUILDING_ITEMS;
    }
    match build {
        Build::Building => {
            const {
                &[
                    item("Заміна покрівлі", "Roof replacement", "m2", 300, 3000),
                    item("Заміна вікон", "Window replacement", "pcs", 20, 250),
                    item("Утеплення фасаду", "Facade insulation", "m2", 500, 5000),
                    item(
                        "Заміна системи опалення",
                        "Heating system replacement",
                        "set",
                        1,
                        1,
                    ),
                    item("Сонячна електростанція", "Solar power plant", "kW", 20, 150),
                ]
            }
        }
        Build::Shelter => {
            const {
                &[
                    item(
                        "Облаштування приміщень укриття",
                        "Fitting out the shelter rooms",
                        "m2",
                        80,
                        600,
                    ),
                    item("Система вентиляції", "Ventilation system", "set", 1, 2),
                    item(
                        "Резервне електроживлення",
                        "Backup power supply",
                        "set",
                        1,
                        1,
                    ),
                    item("Евакуаційний вихід", "Emergency exit", "pcs", 1, 2),
                ]
            }
        }
        Build::Network => {
            const {
                &[
                    item("Заміна трубопроводів", "Pipe replacement", "m", 300, 12000),
                    item("Заміна насосних агрегатів", "Pump replacement", "pcs", 1, 6),
                    item(
                        "Резервне джерело живлення",
                        "Backup power unit",
                        "pcs",
                        1,
                        3,
                    ),
                ]
            }
        }
        Build::Plant => {
            const {
                &[
                    item("Заміна котлів", "Boiler replacement", "pcs", 1, 6),
                    item("Когенераційна установка", "Cogeneration unit", "pcs", 1, 2),
                    item(
                        "Ремонт будівлі котельні",
                        "Boiler house building repair",
                        "m2",
                        100,
                        800,
                    ),
                ]
            }
        }
        Build::Bridge => {
            const {
                &[
                    item("Прогонова будова", "Span structure", "m", 12, 180),
                    item(
                        "Покриття проїзної частини",
                        "Deck surfacing",
                        "m2",
                        200,
                        3000,
                    ),
                    item("Огородження", "Guardrails", "m", 24, 360),
                ]
            }
        }
        Build::Road => {
            const {
                &[
                    item(
                        "Асфальтобетонне покриття",
                        "Asphalt surfacing",
                        "m2",
                        2000,
                        40000,
                    ),
                    item("Тротуари", "Sidewalks", "m2", 300, 6000),
                    item(
                        "Опори вуличного освітлення",
                        "Street lighting poles",
                        "pcs",
                        10,
                        120,
                    ),
                ]
            }
        }
    }
}

/// The items of a new building.
const NEW_BUILDING_ITEMS: &[Item] = &[
    item("Будівля", "Building", "m2", 150, 6000),
    item(
        "Зовнішні інженерні мережі",
        "External utilities",
        "m",
        50,
        1500,
    ),
    item("Благоустрій території", "Landscaping", "m2", 300, 5000),
];

/// The item of an equipment project.
pub(crate) const EQUIPMENT_ITEM: Item = item(
    "Постачання та монтаж обладнання",
    "Supply and installation of equipment",
    "set",
    1,
    30,
);

/// The code and name in the common procurement vocabulary (ДК 021:2015) of a works tender,
/// in Ukrainian and English; equipment is bought under codes too varied to list here.
pub(crate) fn procurement_code(
    work: Work,
    build: Build,
) -> Option<(&'static str, &'static str, &'static str)> {
    Some(match (work, build) {
        (Work::Equipment, _) => return None,
        (Work::NewConstruction | Work::Reconstruction, _) => (
            "45000000-7",
            "Будівельні роботи та поточний ремонт",
            "Construction work",
        ),
        (_, Build::Network | Build::Bridge | Build::Road) => (
            "45230000-8",
            "Будівництво трубопроводів, ліній зв’язку та електропередач, шосе, доріг, \
             аеродромів і залізничних доріг; вирівнювання поверхонь",
            "Construction work for pipelines, communication and power lines, for highways, \
             roads, airfields and railways; flatwork",
        ),
        _ => (
            "45453000-7",
            "Капітальний ремонт і реставрація",
            "Overhaul and refurbishment work",
        ),
    })
}

/// The procurement code of design services.
pub(crate) const DESIGN_CODE: (&str, &str, &str) = (
    "71320000-7",
    "Послуги з інженерного проектування",
    "Engineering design services",
);

/// Completes a template: each `{key}` is replaced by what `value` gives for it; a key that
/// `value` does not know is left as it is.
pub(crate) fn fill<'a>(template: &str, value: impl Fn(&str) -> Option<&'a str>) -> String {
    let mut filled = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        filled.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (close, value(&after[..close]))) {
            Some((close, Some(text))) => {
                filled.push_str(text);
                rest = &after[close + 1..];
            }
            _ => {
                filled.push('{');
                rest = after;
            }
        }
    }
    filled.push_str(rest);
    filled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_filled_by_key() {
        let value = |key: &str| match key {
            "n" => Some("3"),
            "object" => Some("ліцею №3"),
            _ => None,
        };
        assert_eq!(
            fill("Капітальний ремонт {object}", value),
            "Капітальний ремонт ліцею №3"
        );
        assert_eq!(fill("ліцей №{n} {unknown}", value), "ліцей №3 {unknown}");
    }
}
