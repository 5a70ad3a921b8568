//! The kinds of facility a reconstruction project works on, from lyceums to bridges: the
//! sector and COFOG function of each, how common and how costly projects on it are, who
//! holds it, its names in Ukrainian and English, the works done to it and what it serves.
//!
//! Names are templates with placeholders (`{n}`, `{street}`, `{river}`, `{kname}`,
//! `{house}`, `{council}`) that [`crate::texts::fill`] completes. Each Ukrainian name comes
//! in the nominative, for an object's title, and the genitive, for a project's title
//! ("Капітальний ремонт ліцею №3"), so no Ukrainian word has to be declined at run time.

use dream_domain::codelist::Sector;

use crate::texts::Work;

/// How a facility is built, which decides how it is described, what its approach delivers
/// and what its tenders buy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Build {
    Building,
    Shelter,
    Network,
    Plant,
    Bridge,
    Road,
}

/// Who holds a facility on its balance: the council itself or one of its enterprises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Holder {
    Council,
    Vodokanal,
    Teploenerho,
    Hospital,
    PrimaryCare,
    Housing,
    Roads,
}

impl Holder {
    /// How many kinds of holder there are.
    pub(crate) const COUNT: u64 = 7;

    /// The enterprise's name before the council it belongs to, in Ukrainian and English.
    pub(crate) fn enterprise_name(self) -> Option<(&'static str, &'static str)> {
        Some(match self {
            Self::Council => return None,
            Self::Vodokanal => ("КП «Водоканал»", "Vodokanal Municipal Enterprise"),
            Self::Teploenerho => ("КП «Теплоенерго»", "Teploenerho Municipal Enterprise"),
            Self::Hospital => (
                "КНП «Багатопрофільна лікарня»",
                "Multi-profile Hospital Municipal Non-profit Enterprise",
            ),
            Self::PrimaryCare => (
                "КНП «Центр первинної медико-санітарної допомоги»",
                "Primary Health Care Centre Municipal Non-profit Enterprise",
            ),
            Self::Housing => ("КП «Житлосервіс»", "Zhytloservis Municipal Enterprise"),
            Self::Roads => ("КП «Благоустрій»", "Blahoustrii Municipal Enterprise"),
        })
    }
}

/// A name of a facility: the Ukrainian nominative and genitive and the English, in lower
/// case and with the article a sentence gives it ("the water mains", but "lyceum No. 3").
#[derive(Debug)]
pub(crate) struct Name {
    pub uk: &'static str,
    pub uk_genitive: &'static str,
    pub en: &'static str,
}

const fn name(uk: &'static str, uk_genitive: &'static str, en: &'static str) -> Name {
    Name {
        uk,
        uk_genitive,
        en,
    }
}

/// What a facility's main metric counts, in both languages, and its usual range.
#[derive(Debug)]
pub(crate) struct Served {
    pub uk: &'static str,
    pub en: &'static str,
    pub low: u32,
    pub high: u32,
}

const fn served(uk: &'static str, en: &'static str, low: u32, high: u32) -> Served {
    Served { uk, en, low, high }
}

/// A kind of facility with everything needed to write about it.
#[derive(Debug)]
pub(crate) struct Facility {
    pub sector: Sector,
    pub subsector: Option<Sector>,
    /// The COFOG function of its objects.
    pub cofog: &'static str,
    /// How common projects on it are, relative to the other kinds.
    pub weight: u32,
    /// Its usual cost relative to an average project, in percent.
    pub cost_percent: u32,
    pub build: Build,
    pub holder: Holder,
    pub names: &'static [Name],
    pub works: &'static [(Work, u32)],
    pub served: Served,
    /// What an equipment project buys for it, in the genitive and in English.
    pub equipment: (&'static str, &'static str),
}

const BUILDING_WORKS: &[(Work, u32)] = &[
    (Work::MajorRepair, 40),
    (Work::Restoration, 15),
    (Work::Reconstruction, 15),
    (Work::NewConstruction, 5),
    (Work::ThermalModernisation, 10),
    (Work::Equipment, 15),
];

const SHELTER_WORKS: &[(Work, u32)] = &[
    (Work::MajorRepair, 35),
    (Work::FitOut, 40),
    (Work::NewConstruction, 25),
];

const NETWORK_WORKS: &[(Work, u32)] = &[
    (Work::MajorRepair, 35),
    (Work::Restoration, 20),
    (Work::Reconstruction, 25),
    (Work::NewConstruction, 5),
    (Work::Equipment, 15),
];

const BRIDGE_WORKS: &[(Work, u32)] = &[
    (Work::MajorRepair, 30),
    (Work::Restoration, 30),
    (Work::Reconstruction, 15),
    (Work::NewConstruction, 20),
    (Work::Equipment, 5),
];

const ROAD_WORKS: &[(Work, u32)] = &[
    (Work::MajorRepair, 55),
    (Work::Restoration, 25),
    (Work::Reconstruction, 20),
];

const SCHOOL_EQUIPMENT: (&str, &str) = (
    "навчального обладнання та меблів",
    "teaching equipment and furniture",
);

/// The kinds of facility, from schools to bridges.
pub(crate) const FACILITIES: &[Facility] = &[
    Facility {
        sector: Sector::Education,
        subsector: None,
        cofog: "09.2",
        weight: 10,
        cost_percent: 100,
        build: Build::Building,
        holder: Holder::Council,
        names: &[
            name("ліцей №{n}", "ліцею №{n}", "lyceum No. {n}"),
            name("опорний ліцей", "опорного ліцею", "the hub lyceum"),
            name(
                "будівля ліцею №{n}",
                "будівлі ліцею №{n}",
                "the building of lyceum No. {n}",
            ),
        ],
        works: BUILDING_WORKS,
        served: served("Кількість учнів", "Number of pupils", 150, 1200),
        equipment: SCHOOL_EQUIPMENT,
    },
    Facility {
        sector: Sector::Education,
        subsector: None,
        cofog: "09.2",
        weight: 6,
        cost_percent: 70,
        build: Build::Building,
        holder: Holder::Council,
        names: &[
            name("гімназія №{n}", "гімназії №{n}", "gymnasium No. {n}"),
            name(
                "будівля гімназії №{n}",
                "будівлі гімназії №{n}",
                "the building of gymnasium No. {n}",
            ),
        ],
        works: BUILDING_WORKS,
        served: served("Кількість учнів", "Number of pupils", 60, 500),
        equipment: SCHOOL_EQUIPMENT,
    },
    Facility {
        sector: Sector::Education,
        subsector: None,
        cofog: "09.1",
        weight: 8,
        cost_percent: 50,
        build: Build::Building,
        holder: Holder::Council,
        names: &[
            name(
                "заклад дошкільної освіти «{kname}»",
                "закладу дошкільної освіти «{kname}»",
                "{kname} preschool",
            ),
            name(
                "заклад дошкільної освіти №{n}",
                "закладу дошкільної освіти №{n}",
                "preschool No. {n}",
            ),
        ],
        works: BUILDING_WORKS,
        served: served("Кількість вихованців", "Number of children", 40, 280),
        equipment: (
            "обладнання для харчоблоку та ігрових кімнат",
            "kitchen and playroom equipment",
        ),
    },
    Facility {
        sector: Sector::Education,
        subsector: None,
        cofog: "02.2",
        weight: 6,
        cost_percent: 25,
        build: Build::Shelter,
        holder: Holder::Council,
        names: &[
            name(
                "найпростіше укриття ліцею №{n}",
                "найпростішого укриття ліцею №{n}",
                "the shelter of lyceum No. {n}",
            ),
            name(
                "протирадіаційне укриття гімназії №{n}",
                "протирадіаційного укриття гімназії №{n}",
                "the radiation shelter of gymnasium No. {n}",
            ),
        ],
        works: SHELTER_WORKS,
        served: served("Місткість укриття", "Shelter capacity", 50, 600),
        equipment: ("обладнання для укриття", "shelter equipment"),
    },
    Facility {
        sector: Sector::Education,
        subsector: None,
        cofog: "02.2",
        weight: 3,
        cost_percent: 20,
        build: Build::Shelter,
        holder: Holder::Council,
        names: &[name(
            "укриття закладу дошкільної освіти «{kname}»",
            "укриття закладу дошкільної освіти «{kname}»",
            "the shelter of {kname} preschool",
        )],
        works: SHELTER_WORKS,
        served: served("Місткість укриття", "Shelter capacity", 40, 250),
        equipment: ("обладнання для укриття", "shelter equipment"),
    },
    Facility {
        sector: Sector::Health,
        subsector: None,
        cofog: "07.3",
        weight: 7,
        cost_percent: 160,
        build: Build::Building,
        holder: Holder::Hospital,
        names: &[
            name(
                "хірургічний корпус багатопрофільної лікарні",
                "хірургічного корпусу багатопрофільної лікарні",
                "the surgical block of the multi-profile hospital",
            ),
            name(
                "приймальне відділення лікарні",
                "приймального відділення лікарні",
                "the emergency department of the hospital",
            ),
            name(
                "головний корпус лікарні",
                "головного корпусу лікарні",
                "the main block of the hospital",
            ),
            name(
                "пологовий будинок",
                "пологового будинку",
                "the maternity hospital",
            ),
        ],
        works: BUILDING_WORKS,
        served: served(
            "Кількість пацієнтів на рік",
            "Patients per year",
            5000,
            60000,
        ),
        equipment: ("медичного обладнання", "medical equipment"),
    },
    Facility {
        sector: Sector::Health,
        subsector: None,
        cofog: "07.2",
        weight: 6,
        cost_percent: 25,
        build: Build::Building,
        holder: Holder::PrimaryCare,
        names: &[
            name(
                "амбулаторія загальної практики — сімейної медицини",
                "амбулаторії загальної практики — сімейної медицини",
                "the family medicine outpatient clinic",
            ),
            name(
                "фельдшерський пункт",
                "фельдшерського пункту",
                "the rural health post",
            ),
        ],
        works: BUILDING_WORKS,
        served: served(
            "Кількість прикріплених пацієнтів",
            "Registered patients",
            1500,
            9000,
        ),
        equipment: ("медичного обладнання", "medical equipment"),
    },
    Facility {
        sector: Sector::WaterAndWaste,
        subsector: None,
        cofog: "06.3",
        weight: 9,
        cost_percent: 90,
        build: Build::Network,
        holder: Holder::Vodokanal,
        names: &[
            name(
                "водопровідні мережі",
                "водопровідних мереж",
                "the water mains",
            ),
            name(
                "водопровідна насосна станція №{n}",
                "водопровідної насосної станції №{n}",
                "water pumping station No. {n}",
            ),
            name(
                "водозабірна свердловина №{n}",
                "водозабірної свердловини №{n}",
                "water well No. {n}",
            ),
            name(
                "водопровід по вул. {street}",
                "водопроводу по вул. {street}",
                "the water main on {street} Street",
            ),
        ],
        works: NETWORK_WORKS,
        served: served("Кількість абонентів", "Number of subscribers", 800, 40000),
        equipment: (
            "насосного обладнання та генератора",
            "pumping equipment and a generator",
        ),
    },
    Facility {
        sector: Sector::WaterAndWaste,
        subsector: None,
        cofog: "05.2",
        weight: 5,
        cost_percent: 110,
        build: Build::Network,
        holder: Holder::Vodokanal,
        names: &[
            name(
                "каналізаційні очисні споруди",
                "каналізаційних очисних споруд",
                "the wastewater treatment plant",
            ),
            name(
                "каналізаційна насосна станція №{n}",
                "каналізаційної насосної станції №{n}",
                "sewage pumping station No. {n}",
            ),
            name(
                "каналізаційний колектор по вул. {street}",
                "каналізаційного колектора по вул. {street}",
                "the sewer main on {street} Street",
            ),
        ],
        works: NETWORK_WORKS,
        served: served("Кількість абонентів", "Number of subscribers", 500, 30000),
        equipment: ("насосного обладнання", "pumping equipment"),
    },
    Facility {
        sector: Sector::Energy,
        subsector: None,
        cofog: "04.3",
        weight: 7,
        cost_percent: 60,
        build: Build::Plant,
        holder: Holder::Teploenerho,
        names: &[
            name("котельня №{n}", "котельні №{n}", "boiler house No. {n}"),
            name(
                "котельня по вул. {street}, {house}",
                "котельні по вул. {street}, {house}",
                "the boiler house at {house} {street} Street",
            ),
        ],
        works: BUILDING_WORKS,
        served: served("Кількість споживачів тепла", "Heat consumers", 300, 15000),
        equipment: ("когенераційної установки", "a cogeneration unit"),
    },
    Facility {
        sector: Sector::Energy,
        subsector: None,
        cofog: "04.3",
        weight: 4,
        cost_percent: 80,
        build: Build::Network,
        holder: Holder::Teploenerho,
        names: &[name(
            "теплові мережі від котельні №{n}",
            "теплових мереж від котельні №{n}",
            "the heating networks from boiler house No. {n}",
        )],
        works: NETWORK_WORKS,
        served: served("Кількість споживачів тепла", "Heat consumers", 300, 15000),
        equipment: ("модульної котельні", "a modular boiler unit"),
    },
    Facility {
        sector: Sector::Transport,
        subsector: Some(Sector::TransportRoad),
        cofog: "04.5",
        weight: 5,
        cost_percent: 220,
        build: Build::Bridge,
        holder: Holder::Roads,
        names: &[
            name(
                "міст через річку {river}",
                "мосту через річку {river}",
                "the bridge over the {river} river",
            ),
            name(
                "пішохідний міст через річку {river}",
                "пішохідного мосту через річку {river}",
                "the footbridge over the {river} river",
            ),
        ],
        works: BRIDGE_WORKS,
        served: served(
            "Кількість мешканців, які користуються мостом",
            "Residents using the bridge",
            500,
            20000,
        ),
        equipment: (
            "тимчасової мостової конструкції",
            "a temporary bridge structure",
        ),
    },
    Facility {
        sector: Sector::Transport,
        subsector: Some(Sector::TransportRoad),
        cofog: "04.5",
        weight: 8,
        cost_percent: 70,
        build: Build::Road,
        holder: Holder::Roads,
        names: &[
            name(
                "автомобільна дорога по вул. {street}",
                "автомобільної дороги по вул. {street}",
                "the road on {street} Street",
            ),
            name(
                "дорожнє покриття вул. {street}",
                "дорожнього покриття вул. {street}",
                "the road surface of {street} Street",
            ),
        ],
        works: ROAD_WORKS,
        served: served(
            "Кількість мешканців, які користуються дорогою",
            "Residents using the road",
            200,
            8000,
        ),
        equipment: ("дорожньої техніки", "road maintenance machinery"),
    },
    Facility {
        sector: Sector::SocialHousing,
        subsector: None,
        cofog: "06.1",
        weight: 8,
        cost_percent: 150,
        build: Build::Building,
        holder: Holder::Housing,
        names: &[
            name(
                "багатоквартирний житловий будинок по вул. {street}, {house}",
                "багатоквартирного житлового будинку по вул. {street}, {house}",
                "the apartment building at {house} {street} Street",
            ),
            name(
                "гуртожиток по вул. {street}, {house}",
                "гуртожитку по вул. {street}, {house}",
                "the dormitory at {house} {street} Street",
            ),
            name(
                "будинок для тимчасового проживання внутрішньо переміщених осіб",
                "будинку для тимчасового проживання внутрішньо переміщених осіб",
                "the temporary housing for internally displaced persons",
            ),
        ],
        works: BUILDING_WORKS,
        served: served("Кількість мешканців", "Number of residents", 40, 600),
        equipment: (
            "обладнання індивідуального теплового пункту",
            "individual heating substation equipment",
        ),
    },
    Facility {
        sector: Sector::Governance,
        subsector: None,
        cofog: "01.3",
        weight: 3,
        cost_percent: 45,
        build: Build::Building,
        holder: Holder::Council,
        names: &[
            name(
                "адміністративна будівля {council}",
                "адміністративної будівлі {council}",
                "the administrative building of {council}",
            ),
            name(
                "центр надання адміністративних послуг",
                "центру надання адміністративних послуг",
                "the administrative services centre",
            ),
            name(
                "будівля старостинського округу",
                "будівлі старостинського округу",
                "the village headman's office",
            ),
        ],
        works: BUILDING_WORKS,
        served: served(
            "Кількість отримувачів послуг на рік",
            "Service users per year",
            2000,
            30000,
        ),
        equipment: (
            "обладнання для резервного живлення",
            "backup power equipment",
        ),
    },
    Facility {
        sector: Sector::CultureSportsAndRecreation,
        subsector: None,
        cofog: "08.2",
        weight: 3,
        cost_percent: 40,
        build: Build::Building,
        holder: Holder::Council,
        names: &[
            name(
                "будинок культури",
                "будинку культури",
                "the house of culture",
            ),
            name("сільський клуб", "сільського клубу", "the village club"),
        ],
        works: BUILDING_WORKS,
        served: served(
            "Кількість відвідувачів на рік",
            "Visitors per year",
            1000,
            20000,
        ),
        equipment: (
            "звукового та світлового обладнання",
            "sound and lighting equipment",
        ),
    },
];

/// Names of preschools, as their signs give them.
pub(crate) const PRESCHOOL_NAMES: &[&str] = &[
    "Сонечко",
    "Барвінок",
    "Калинка",
    "Веселка",
    "Дзвіночок",
    "Ромашка",
    "Казка",
    "Джерельце",
    "Віночок",
    "Ялинка",
    "Малятко",
    "Пролісок",
    "Лелека",
    "Світлячок",
    "Золотий ключик",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_facility_has_names_and_works_and_a_subsector_of_its_sector() {
        for facility in FACILITIES {
            assert!(!facility.names.is_empty() && !facility.works.is_empty());
            assert!(facility.served.low <= facility.served.high);
            if let Some(subsector) = facility.subsector {
                assert_eq!(subsector.top_level(), facility.sector);
            }
        }
    }
}
