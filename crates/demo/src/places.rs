//! Where demo projects happen: the oblasts with how often war damage brings projects there,
//! a rough centre and extent of each, their rivers and street names, and for every hromada
//! its settlements and the kind of council it has, read from the shipped KATOTTG codifier.
//!
//! The caller passes only the codifier's hromadas, but a hromada's name alone does not say
//! whether its council is a city, settlement or village council; that follows from the
//! settlement that is its centre, so the settlements are read here from the same file the
//! store loads.

use std::collections::HashMap;
use std::sync::OnceLock;

use dream_domain::Katottg;
use dream_domain::project::Point;
use dream_domain::territory::{Territory, TerritoryLevel};

use crate::grammar::genitive;
use crate::rng::splitmix64;
use dream_domain::translit::transliterate;

/// The codifier the store loads, read again here for its settlements.
use dream_domain::territory::KATOTTG_CODIFIER as CODIFIER;

/// The KATOTTG code of Kyiv, where ministries, agencies and national donors are registered.
pub(crate) const KYIV: &str = "UA80000000000093317";

/// An oblast as the demo data sees it.
#[derive(Debug)]
pub(crate) struct Oblast {
    /// The two digits after `UA` that every code in the oblast starts with.
    pub prefix: &'static str,
    /// The oblast's name as the codifier gives it, a feminine adjective: Харківська.
    pub name_uk: &'static str,
    /// The oblast's name as English writes it: Kharkiv.
    pub name_en: &'static str,
    /// How many projects a hromada here gets relative to one in a quiet western oblast (10).
    pub weight: u32,
    /// A rough centre, in degrees north and east.
    pub centre: (f64, f64),
    /// How far from the centre a hromada may lie, in degrees of latitude and longitude.
    pub spread: (f64, f64),
    /// Rivers that bridges in the oblast cross.
    pub rivers: &'static [&'static str],
}

/// The oblasts that demo projects are placed in. Crimea (UA01) and Sevastopol (UA85) are
/// left out: no project can be carried out under occupation. Frontline and border oblasts
/// and Kyiv oblast, where most of the damage is, weigh four to six times a western one.
#[rustfmt::skip]
const OBLASTS: &[Oblast] = &[
    oblast("05", "Вінницька", "Vinnytsia", 10, (49.05, 28.75), (0.8, 1.2),
           &["Південний Буг", "Собь", "Рів"]),
    oblast("07", "Волинська", "Volyn", 10, (51.1, 24.8), (0.7, 1.0),
           &["Стир", "Турія", "Прип'ять"]),
    oblast("12", "Дніпропетровська", "Dnipropetrovsk", 45, (48.4, 34.9), (0.7, 1.6),
           &["Самара", "Інгулець", "Вовча", "Орель"]),
    oblast("14", "Донецька", "Donetsk", 50, (48.1, 37.8), (0.9, 0.9),
           &["Сіверський Донець", "Казенний Торець", "Бахмутка", "Вовча"]),
    oblast("18", "Житомирська", "Zhytomyr", 15, (50.65, 28.4), (0.8, 1.0),
           &["Тетерів", "Случ", "Уж", "Ірша"]),
    oblast("21", "Закарпатська", "Zakarpattia", 10, (48.45, 23.3), (0.4, 0.9),
           &["Тиса", "Уж", "Латориця", "Боржава"]),
    oblast("23", "Запорізька", "Zaporizhzhia", 50, (47.3, 35.6), (0.7, 1.2),
           &["Конка", "Гайчур", "Берда"]),
    oblast("26", "Івано-Франківська", "Ivano-Frankivsk", 10, (48.75, 24.6), (0.6, 0.7),
           &["Бистриця", "Прут", "Лімниця"]),
    oblast("32", "Київська", "Kyiv", 45, (50.3, 30.6), (0.8, 1.0),
           &["Ірпінь", "Десна", "Рось", "Стугна"]),
    oblast("35", "Кіровоградська", "Kirovohrad", 10, (48.45, 31.9), (0.6, 1.4),
           &["Інгул", "Інгулець", "Синюха"]),
    oblast("44", "Луганська", "Luhansk", 5, (48.9, 39.0), (0.8, 0.8),
           &["Сіверський Донець", "Айдар", "Красна"]),
    oblast("46", "Львівська", "Lviv", 10, (49.7, 23.9), (0.7, 0.9),
           &["Західний Буг", "Стрий", "Полтва"]),
    oblast("48", "Миколаївська", "Mykolaiv", 40, (47.3, 31.8), (0.7, 1.0),
           &["Південний Буг", "Інгул", "Інгулець"]),
    oblast("51", "Одеська", "Odesa", 20, (46.7, 30.0), (1.1, 0.9),
           &["Дністер", "Кучурган", "Тилігул", "Когильник"]),
    oblast("53", "Полтавська", "Poltava", 15, (49.6, 33.9), (0.7, 1.2),
           &["Ворскла", "Псел", "Сула", "Хорол"]),
    oblast("56", "Рівненська", "Rivne", 10, (50.9, 26.3), (0.7, 0.8),
           &["Горинь", "Случ", "Стир", "Устя"]),
    oblast("59", "Сумська", "Sumy", 40, (51.0, 34.1), (0.8, 0.9),
           &["Псел", "Сейм", "Сула", "Ворскла"]),
    oblast("61", "Тернопільська", "Ternopil", 10, (49.4, 25.6), (0.7, 0.6),
           &["Серет", "Стрипа", "Збруч"]),
    oblast("63", "Харківська", "Kharkiv", 60, (49.5, 36.4), (0.7, 1.2),
           &["Сіверський Донець", "Уди", "Лопань", "Оскіл", "Мжа"]),
    oblast("65", "Херсонська", "Kherson", 50, (46.7, 33.5), (0.6, 1.1),
           &["Інгулець", "Вірьовчина"]),
    oblast("68", "Хмельницька", "Khmelnytskyi", 10, (49.45, 27.0), (0.8, 0.6),
           &["Південний Буг", "Случ", "Смотрич"]),
    oblast("71", "Черкаська", "Cherkasy", 10, (49.3, 31.4), (0.6, 1.1),
           &["Рось", "Тясмин", "Гнилий Тікич"]),
    oblast("73", "Чернівецька", "Chernivtsi", 10, (48.3, 26.1), (0.35, 0.9),
           &["Прут", "Черемош", "Сірет"]),
    oblast("74", "Чернігівська", "Chernihiv", 40, (51.4, 32.0), (0.7, 1.1),
           &["Десна", "Снов", "Остер", "Сейм"]),
];

const fn oblast(
    prefix: &'static str,
    name_uk: &'static str,
    name_en: &'static str,
    weight: u32,
    centre: (f64, f64),
    spread: (f64, f64),
    rivers: &'static [&'static str],
) -> Oblast {
    Oblast {
        prefix,
        name_uk,
        name_en,
        weight,
        centre,
        spread,
        rivers,
    }
}

impl Oblast {
    /// The oblast's two digits as a number: 63 for Kharkiv oblast.
    pub(crate) fn number(&self) -> u64 {
        self.prefix.parse().unwrap_or(0)
    }

    /// Whether the oblast lies near the front or the border, within reach of artillery and
    /// glide bombs and not only of missiles and drones.
    pub(crate) fn is_frontline(&self) -> bool {
        FRONTLINE.contains(&self.prefix)
    }
}

/// Dnipropetrovsk, Donetsk, Zaporizhzhia, Kyiv, Luhansk, Mykolaiv, Sumy, Kharkiv, Kherson
/// and Chernihiv oblasts.
const FRONTLINE: &[&str] = &["12", "14", "23", "32", "44", "48", "59", "63", "65", "74"];

/// The oblast a code lies in, unless it is one the demo data leaves out.
pub(crate) fn oblast_of(code: &Katottg) -> Option<&'static Oblast> {
    let prefix = code.as_str().get(2..4)?;
    OBLASTS.iter().find(|oblast| oblast.prefix == prefix)
}

/// Street names common all over Ukraine, for addresses and roads.
pub(crate) const STREETS: &[&str] = &[
    "Шевченка",
    "Центральна",
    "Шкільна",
    "Незалежності",
    "Соборна",
    "Садова",
    "Лесі Українки",
    "Івана Франка",
    "Грушевського",
    "Героїв України",
    "Молодіжна",
    "Польова",
    "Зарічна",
    "Набережна",
    "Українська",
    "Степова",
    "Лісова",
    "Нова",
    "Вишнева",
    "Паркова",
    "Козацька",
    "Миру",
    "Гетьмана Мазепи",
    "Князя Володимира",
    "Василя Стуса",
    "Затишна",
    "Квітнева",
];

/// The kind of council a hromada has, which follows from the kind of its centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CouncilKind {
    City,
    Settlement,
    Village,
}

impl CouncilKind {
    /// The adjective in a council's Ukrainian name: міська, селищна, сільська.
    pub(crate) fn uk(self) -> &'static str {
        match self {
            Self::City => "міська",
            Self::Settlement => "селищна",
            Self::Village => "сільська",
        }
    }

    /// The word in a council's English name: City, Settlement, Village.
    pub(crate) fn en(self) -> &'static str {
        match self {
            Self::City => "City",
            Self::Settlement => "Settlement",
            Self::Village => "Village",
        }
    }
}

/// A city, settlement or village of a hromada.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settlement {
    pub name: &'static str,
    pub kind: CouncilKind,
}

impl Settlement {
    /// The settlement with the abbreviation Ukrainian addresses put before it: с. Андріївка.
    pub(crate) fn uk(&self) -> String {
        let abbreviation = match self.kind {
            CouncilKind::City => "м.",
            CouncilKind::Settlement => "с-ще",
            CouncilKind::Village => "с.",
        };
        format!("{abbreviation} {}", self.name)
    }
}

/// What the codifier says about one hromada below its own line.
#[derive(Debug, Default)]
struct HromadaSettlements {
    settlements: Vec<Settlement>,
    /// The index of the settlement the hromada is named after and governed from.
    centre: usize,
}

/// A hromada ready to receive projects: its territory, names, council and settlements.
#[derive(Debug)]
pub(crate) struct Place {
    pub territory: Territory,
    pub oblast: &'static Oblast,
    /// The name as the codifier gives it, an adjective: Андріївська.
    pub name_uk: String,
    /// The name in Latin letters: Andriivska.
    pub name_en: String,
    pub council: CouncilKind,
    /// The council's name: Андріївська сільська рада.
    pub council_uk: String,
    /// The council's name in the genitive: Андріївської сільської ради.
    pub council_genitive: String,
    /// The council's English name: Andriivska Village Council.
    pub council_en: String,
    pub settlements: &'static [Settlement],
    pub centre: usize,
    /// Where the hromada's projects cluster.
    pub point: Point,
}

impl Place {
    /// How many projects this hromada draws relative to others.
    pub(crate) fn weight(&self) -> u32 {
        self.oblast.weight
    }
}

/// The hromadas of `territories` that projects can be placed in, sorted by code so that the
/// caller's order does not change the output.
pub(crate) fn places(territories: &[Territory]) -> Vec<Place> {
    let mut places: Vec<Place> = territories
        .iter()
        .filter(|territory| territory.level == TerritoryLevel::Hromada)
        .filter_map(|territory| place(territory.clone()))
        .collect();
    places.sort_by(|a, b| a.territory.code.cmp(&b.territory.code));
    places.dedup_by(|a, b| a.territory.code == b.territory.code);
    places
}

fn place(territory: Territory) -> Option<Place> {
    let oblast = oblast_of(&territory.oblast)?;
    let name_uk = territory.name.trim().to_owned();
    let known = codifier_settlements().get(territory.code.as_str());
    let (settlements, centre) = known.map_or((&[][..], 0), |h| (&h.settlements[..], h.centre));
    let council = settlements
        .get(centre)
        .map_or(CouncilKind::Village, |centre| centre.kind);
    let point = hromada_point(&territory.code, oblast);
    let name_en = transliterate(&name_uk);
    Some(Place {
        council_uk: format!("{name_uk} {} рада", council.uk()),
        council_genitive: format!("{} {} ради", genitive(&name_uk), genitive(council.uk())),
        council_en: format!("{name_en} {} Council", council.en()),
        name_en,
        name_uk,
        oblast,
        council,
        settlements,
        centre,
        point,
        territory,
    })
}

/// A point for a hromada: fixed by its code alone, so a hromada sits in the same spot
/// whatever the seed, somewhere within its oblast's rough extent.
fn hromada_point(code: &Katottg, oblast: &Oblast) -> Point {
    let mut state = code.as_str()[2..].parse::<u64>().unwrap_or(0);
    let mut offset = || (splitmix64(&mut state) >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0;
    let lat = oblast.centre.0 + offset() * oblast.spread.0 * 0.85;
    let lon = oblast.centre.1 + offset() * oblast.spread.1 * 0.85;
    inside_ukraine(lat, lon)
}

/// A point rounded to six decimals (about 10 cm) and held inside the box that the domain's
/// check accepts as Ukraine.
pub(crate) fn inside_ukraine(lat: f64, lon: f64) -> Point {
    let round = |value: f64| (value * 1e6).round() / 1e6;
    Point {
        lat: round(lat.clamp(44.4, 52.3)),
        lon: round(lon.clamp(22.2, 40.2)),
    }
}

/// The settlements of every hromada in the codifier, read once per process.
fn codifier_settlements() -> &'static HashMap<&'static str, HromadaSettlements> {
    static SETTLEMENTS: OnceLock<HashMap<&'static str, HromadaSettlements>> = OnceLock::new();
    SETTLEMENTS.get_or_init(read_codifier)
}

/// Groups the cities, settlements and villages of the codifier by hromada, then finds each
/// hromada's centre.
fn read_codifier() -> HashMap<&'static str, HromadaSettlements> {
    let mut hromadas: HashMap<&'static str, (&'static str, HromadaSettlements)> = HashMap::new();
    for line in CODIFIER.lines().skip(1) {
        let fields: Vec<&'static str> = line.trim_end_matches('\r').split(';').collect();
        let [_, _, hromada, _, _, category, name] = fields[..] else {
            continue;
        };
        let name = name.trim();
        let kind = match category {
            "H" => {
                hromadas.entry(hromada).or_default().0 = name;
                continue;
            }
            "M" => CouncilKind::City,
            "X" => CouncilKind::Settlement,
            "C" => CouncilKind::Village,
            _ => continue,
        };
        if !hromada.is_empty() {
            hromadas
                .entry(hromada)
                .or_default()
                .1
                .settlements
                .push(Settlement { name, kind });
        }
    }

    hromadas
        .into_iter()
        .map(|(code, (name, mut settlements))| {
            settlements.centre = centre_of(name, &settlements.settlements);
            (code, settlements)
        })
        .collect()
}

/// The settlement a hromada is named after: the one whose name shares the longest start with
/// the hromada's (Андріївка for Андріївська). When none shares three letters, as after a
/// renaming, the largest kind of settlement is taken, since a hromada with a city is
/// governed from it.
fn centre_of(hromada: &str, settlements: &[Settlement]) -> usize {
    let rank = |kind: CouncilKind| match kind {
        CouncilKind::City => 2,
        CouncilKind::Settlement => 1,
        CouncilKind::Village => 0,
    };
    let shared = |name: &str| {
        hromada
            .chars()
            .zip(name.chars())
            .take_while(|(a, b)| a.to_lowercase().eq(b.to_lowercase()))
            .count()
    };
    let best = (0..settlements.len()).max_by_key(|&i| {
        let s = settlements[i];
        let shared = shared(s.name);
        (
            shared.min(3) == 3,
            shared,
            rank(s.kind),
            std::cmp::Reverse(i),
        )
    });
    let Some(best) = best else { return 0 };
    if shared(settlements[best].name) >= 3 {
        return best;
    }
    (0..settlements.len())
        .max_by_key(|&i| (rank(settlements[i].kind), std::cmp::Reverse(i)))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hromada(code: &str, oblast: &str, name: &str) -> Territory {
        Territory {
            code: Katottg::parse(code).unwrap(),
            name: name.to_owned(),
            level: TerritoryLevel::Hromada,
            parent: None,
            oblast: Katottg::parse(oblast).unwrap(),
            raion: None,
            hromada: None,
        }
    }

    #[test]
    fn a_hromada_governed_from_a_city_has_a_city_council() {
        let kharkiv = hromada("UA63120270000028556", "UA63000000000041885", "Харківська");
        let places = places(&[kharkiv]);
        assert_eq!(places[0].council_uk, "Харківська міська рада");
        assert_eq!(places[0].council_genitive, "Харківської міської ради");
        assert_eq!(places[0].council_en, "Kharkivska City Council");
        assert_eq!(places[0].settlements[places[0].centre].name, "Харків");
    }

    #[test]
    fn crimea_is_left_out() {
        let andriivska = hromada("UA01020010000048857", "UA01000000000013043", "Андріївська ");
        assert!(places(&[andriivska]).is_empty());
    }

    #[test]
    fn every_hromada_point_lies_inside_ukraine() {
        for oblast in OBLASTS {
            for n in 0..200u64 {
                let code = Katottg::parse(&format!("UA{}{n:015}", oblast.prefix)).unwrap();
                let point = hromada_point(&code, oblast);
                assert!((44.0..=52.5).contains(&point.lat) && (22.0..=40.5).contains(&point.lon));
            }
        }
    }
}
