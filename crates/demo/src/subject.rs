//! What a project works on: the facility (a lyceum, a bridge) with its names, its place in
//! the hromada, its holder and its damage, and the object record that describes it. A few
//! projects return to an object an earlier project already named, as a second phase would.

use dream_domain::ObjectId;
use dream_domain::codelist::{ObjectStatus, StatusDetails};
use dream_domain::object::{Classification, Object, ObjectContent};
use dream_domain::project::Location;
use dream_domain::text::Text;
use time::macros::date;
use time::{Date, Duration, OffsetDateTime};

use crate::facilities::{Build, FACILITIES, Facility, Holder, PRESCHOOL_NAMES};
use crate::generator::Draft;
use crate::grammar::{capitalised, genitive, locative, tenths};
use crate::organisations::{BodyRef, Catalogue};
use crate::places::{CouncilKind, Place, STREETS, Settlement, inside_ukraine};
use crate::rng::Rng;
use crate::texts::{DAMAGE_CAUSES, LONG_RANGE_CAUSES, fill};
use dream_domain::translit::transliterate;

/// The day of the full-scale invasion, the earliest damage a project restores.
const INVASION: Date = date!(2022 - 02 - 24);

/// How many objects of each hromada are kept for later projects to return to.
const KNOWN_PER_PLACE: usize = 6;

/// A record of damage in the Register of Damaged and Destroyed Property.
#[derive(Debug, Clone)]
pub(crate) struct Damage {
    pub record_id: String,
    pub date: Date,
    /// What caused it, in the Ukrainian genitive and in English.
    pub cause: (&'static str, &'static str),
}

impl Damage {
    /// Damage done between the invasion and a week before the project was created, by a
    /// weapon that reaches the place.
    pub(crate) fn draw(rng: &mut Rng, place: &Place, created: Date) -> Self {
        let latest = (created - Duration::days(7)).max(INVASION);
        let days = rng.between_i64(0, (latest - INVASION).whole_days());
        let date = INVASION + Duration::days(days);
        let record_id = format!("RDDP-{}-{:06}", date.year(), rng.between(1, 999_999));
        let reach = if place.oblast.is_frontline() {
            DAMAGE_CAUSES.len()
        } else {
            LONG_RANGE_CAUSES
        };
        Self {
            record_id,
            date,
            cause: *rng.pick(&DAMAGE_CAUSES[..reach]),
        }
    }
}

/// The id of a facility's object record and when it was made.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ObjectRecord {
    pub id: ObjectId,
    pub date: OffsetDateTime,
}

/// The facility a project works on, as its texts and records name it.
#[derive(Debug, Clone)]
pub(crate) struct Subject {
    pub facility: &'static Facility,
    /// The facility's name in the nominative, in lower case: ліцей №3.
    pub name_uk: String,
    /// The name in the genitive: ліцею №3.
    pub name_genitive: String,
    pub name_en: String,
    /// Where it is, after the name in a title: у с. Андріївка Андріївської територіальної
    /// громади.
    pub place_uk: String,
    pub place_en: String,
    /// Where it is, in short: с. Андріївка.
    pub short_place_uk: String,
    pub short_place_en: String,
    pub location: Location,
    /// The holder, who is also the initiator of projects on the facility.
    pub holder: BodyRef,
    pub object: Option<ObjectRecord>,
    /// Whether the object record is made by this project rather than an earlier one.
    pub is_new: bool,
    pub damage: Option<Damage>,
}

impl Subject {
    /// A facility of a kind drawn by how common projects on it are, somewhere in `place`.
    pub(crate) fn draw(
        rng: &mut Rng,
        catalogue: &mut Catalogue,
        index: usize,
        place: &Place,
        at: OffsetDateTime,
    ) -> Self {
        let facility = &FACILITIES[rng.weighted_index(FACILITIES, |facility| facility.weight)];
        let whereabouts = Whereabouts::draw(rng, place);
        let street = *rng.pick(STREETS);
        let house = rng.between(1, 150).to_string();
        let (name_uk, name_genitive, name_en) = names(rng, facility, place, street, &house);

        let address = address(facility.build, street, &house, &whereabouts.short_uk, place);
        let jitter = |rng: &mut Rng| (rng.unit() - 0.5) * 0.06;
        let point = inside_ukraine(place.point.lat + jitter(rng), place.point.lon + jitter(rng));
        let location = Location {
            katottg: place.territory.code.clone(),
            address: Some(address),
            point: Some(point),
        };
        let holder = holder(rng, catalogue, index, place, facility.holder, at);

        Self {
            facility,
            name_uk,
            name_genitive,
            name_en,
            place_uk: whereabouts.uk,
            place_en: whereabouts.en,
            short_place_uk: whereabouts.short_uk,
            short_place_en: whereabouts.short_en,
            location,
            holder,
            object: None,
            is_new: false,
            damage: None,
        }
    }

    /// Gives the facility an object record of its own, made shortly before the project
    /// `created` at: its id is a UUIDv7 whose time is that moment and whose random bits come
    /// from the seed.
    pub(crate) fn add_object(&mut self, rng: &mut Rng, created: OffsetDateTime) {
        let date = created - Duration::seconds(rng.between_i64(60, 3_600));
        let millis = u64::try_from(date.unix_timestamp_nanos() / 1_000_000).unwrap_or(0);
        let mut random = [0u8; 10];
        random[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
        random[8..].copy_from_slice(&rng.next_u32().to_le_bytes()[..2]);
        let id = ObjectId(uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid());
        self.object = Some(ObjectRecord { id, date });
        self.is_new = true;
    }

    /// The object record, when this project is the first to name the facility.
    pub(crate) fn new_object(&self, rng: &mut Rng, draft: &Draft) -> Option<Object> {
        let record = self.object.filter(|_| self.is_new)?;
        let title = Text::new(
            format!("{}, {}", capitalised(&self.name_uk), self.short_place_uk),
            format!(
                "{}, {}",
                capitalised(without_article(&self.name_en)),
                self.short_place_en
            ),
        );
        let content = ObjectContent {
            title,
            description: Some(object_description(rng, self.facility.build)),
            status: object_status(draft.stage),
            classification: Classification {
                scheme: "COFOG".to_owned(),
                id: self.facility.cofog.to_owned(),
            },
            holder: self.holder.id.clone(),
            locations: vec![self.location.clone()],
            damage_record_id: self.damage.as_ref().map(|damage| damage.record_id.clone()),
        };
        Some(Object {
            id: record.id,
            date: record.date,
            updated: draft.updated,
            content,
        })
    }
}

/// The objects of each hromada that later projects may return to.
#[derive(Debug)]
pub(crate) struct KnownObjects(Vec<Vec<Subject>>);

impl KnownObjects {
    pub(crate) fn new(places: usize) -> Self {
        Self(vec![Vec::new(); places])
    }

    /// Now and then, an object of the hromada that an earlier project named, if it was
    /// recorded before `created`.
    pub(crate) fn reuse(
        &self,
        rng: &mut Rng,
        index: usize,
        created: OffsetDateTime,
    ) -> Option<Subject> {
        let older: Vec<&Subject> = self.0[index]
            .iter()
            .filter(|known| known.object.is_some_and(|object| object.date <= created))
            .collect();
        if older.is_empty() || !rng.percent(8) {
            return None;
        }
        let mut subject = (*rng.pick(&older)).clone();
        subject.is_new = false;
        Some(subject)
    }

    /// Keeps the subject's object for later projects, forgetting the oldest when full.
    pub(crate) fn remember(&mut self, index: usize, subject: &Subject) {
        let known = &mut self.0[index];
        if known.len() == KNOWN_PER_PLACE {
            known.remove(0);
        }
        known.push(subject.clone());
    }
}

/// Where in the hromada a facility is, in the words of titles and addresses.
struct Whereabouts {
    uk: String,
    en: String,
    short_uk: String,
    short_en: String,
}

impl Whereabouts {
    /// Mostly the hromada's centre, otherwise another of its settlements; the hromada
    /// alone when the codifier lists none.
    fn draw(rng: &mut Rng, place: &Place) -> Self {
        let hromada_uk = format!("{} територіальна громада", place.name_uk);
        let hromada_en = format!("{} territorial hromada", place.name_en);
        let Some(settlement) = pick_settlement(rng, place) else {
            return Self {
                uk: format!("в {} територіальній громаді", locative(&place.name_uk)),
                en: format!("in {hromada_en}"),
                short_uk: hromada_uk,
                short_en: hromada_en,
            };
        };

        let (short_uk, short_en) = (settlement.uk(), transliterate(settlement.name));
        let is_city_centre = settlement.kind == CouncilKind::City
            && place.council == CouncilKind::City
            && std::ptr::eq(settlement, &place.settlements[place.centre]);
        if is_city_centre {
            return Self {
                uk: format!("у {short_uk}"),
                en: format!("in {short_en}"),
                short_uk,
                short_en,
            };
        }
        Self {
            uk: format!(
                "у {short_uk} {} територіальної громади",
                genitive(&place.name_uk)
            ),
            en: format!("in {short_en}, {hromada_en}"),
            short_uk,
            short_en,
        }
    }
}

fn pick_settlement<'a>(rng: &mut Rng, place: &'a Place) -> Option<&'a Settlement> {
    if place.settlements.is_empty() {
        return None;
    }
    if rng.percent(55) {
        return place.settlements.get(place.centre);
    }
    Some(rng.pick(place.settlements))
}

/// School and station numbers: low ones are the most common.
const NUMBERS: &[u32] = &[
    0, 20, 18, 15, 12, 10, 8, 6, 5, 4, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1,
];

/// The facility's names in the nominative, the genitive and English.
fn names(
    rng: &mut Rng,
    facility: &Facility,
    place: &Place,
    street: &str,
    house: &str,
) -> (String, String, String) {
    let name = rng.pick(facility.names);
    let number = rng.weighted(NUMBERS).to_string();
    let river = *rng.pick(place.oblast.rivers);
    let preschool = *rng.pick(PRESCHOOL_NAMES);

    let uk = |key: &str| match key {
        "n" => Some(number.as_str()),
        "street" => Some(street),
        "house" => Some(house),
        "river" => Some(river),
        "kname" => Some(preschool),
        "council" => Some(place.council_genitive.as_str()),
        _ => None,
    };
    // Only the words the English name holds are transliterated: most names hold none.
    let latin = |key: &str, word: &str| {
        if name.en.contains(key) {
            transliterate(word)
        } else {
            String::new()
        }
    };
    let (street_en, river_en) = (latin("{street}", street), latin("{river}", river));
    let preschool_en = latin("{kname}", preschool);
    let en = |key: &str| match key {
        "n" => Some(number.as_str()),
        "street" => Some(street_en.as_str()),
        "house" => Some(house),
        "river" => Some(river_en.as_str()),
        "kname" => Some(preschool_en.as_str()),
        "council" => Some(place.council_en.as_str()),
        _ => None,
    };
    (
        fill(name.uk, uk),
        fill(name.uk_genitive, uk),
        fill(name.en, en),
    )
}

/// A postal address: the street and house where a building stands, the street of a road or
/// a network, the settlement alone for a bridge; then the oblast.
fn address(build: Build, street: &str, house: &str, settlement: &str, place: &Place) -> String {
    let oblast = format!("{} обл.", place.oblast.name_uk);
    match build {
        Build::Building | Build::Shelter | Build::Plant => {
            format!("вул. {street}, {house}, {settlement}, {oblast}")
        }
        Build::Network | Build::Road => format!("вул. {street}, {settlement}, {oblast}"),
        Build::Bridge => format!("{settlement}, {oblast}"),
    }
}

/// The holder of a facility: the council's enterprise for utilities, hospitals and housing
/// more often than not, otherwise the council itself.
fn holder(
    rng: &mut Rng,
    catalogue: &mut Catalogue,
    index: usize,
    place: &Place,
    kind: Holder,
    at: OffsetDateTime,
) -> BodyRef {
    if kind != Holder::Council
        && rng.percent(60)
        && let Some(enterprise) = catalogue.enterprise(index, place, kind, at)
    {
        return enterprise;
    }
    catalogue.council(index, place, at)
}

/// The object's status follows the project that first names it.
fn object_status(stage: StatusDetails) -> ObjectStatus {
    match stage {
        StatusDetails::Initiated | StatusDetails::Definition => ObjectStatus::Identification,
        StatusDetails::Implementation => ObjectStatus::Active,
        _ => ObjectStatus::Preparation,
    }
}

/// A line of facts about the object: age, size and capacity as its kind has them.
fn object_description(rng: &mut Rng, build: Build) -> Text {
    let (uk, en) = match build {
        Build::Building | Build::Shelter | Build::Plant => structure_facts(rng, build),
        Build::Network | Build::Bridge | Build::Road => line_facts(rng, build),
    };
    Text::new(uk, en)
}

/// The facts of a building, a shelter or a boiler house.
fn structure_facts(rng: &mut Rng, build: Build) -> (String, String) {
    if build == Build::Plant {
        let power = rng.between_u32(5, 500);
        return (
            format!(
                "Встановлена теплова потужність — {} МВт.",
                tenths(power, ',')
            ),
            format!("Installed heat capacity {} MW.", tenths(power, '.')),
        );
    }
    if build == Build::Shelter {
        let area = rng.between(80, 600);
        // About 0.65 m² a person, rounded down to tens of places.
        let capacity = area * 15 / 100 * 10;
        return (
            format!("Площа укриття — {area} м², розрахункова місткість — {capacity} осіб."),
            format!("Shelter area {area} m², designed for {capacity} people."),
        );
    }
    let (year, floors, area) = (
        rng.between(1955, 2015),
        rng.between(1, 5),
        rng.between(150, 6_000),
    );
    (
        format!("Рік побудови — {year}, поверхів — {floors}, загальна площа — {area} м²."),
        format!("Built in {year}; {floors} storeys; total floor area {area} m²."),
    )
}

/// The facts of a network, a bridge or a road: its length and, for the latter two, the
/// width of the carriageway.
fn line_facts(rng: &mut Rng, build: Build) -> (String, String) {
    let decimals = |tenths_of: u32| (tenths(tenths_of, ','), tenths(tenths_of, '.'));
    match build {
        Build::Bridge => {
            let (length, (width_uk, width_en)) =
                (rng.between(12, 240), decimals(rng.between_u32(45, 120)));
            (
                format!("Довжина мосту — {length} м, ширина проїзної частини — {width_uk} м."),
                format!("Bridge length {length} m, carriageway width {width_en} m."),
            )
        }
        Build::Road => {
            let (length_uk, length_en) = decimals(rng.between_u32(3, 80));
            let (width_uk, width_en) = decimals(rng.between_u32(50, 90));
            (
                format!(
                    "Протяжність ділянки — {length_uk} км, ширина проїзної частини — {width_uk} м."
                ),
                format!("Section length {length_en} km, carriageway width {width_en} m."),
            )
        }
        _ => {
            let ((length_uk, length_en), year) =
                (decimals(rng.between_u32(5, 600)), rng.between(1960, 2010));
            (
                format!("Протяжність мереж — {length_uk} км, в експлуатації з {year} року."),
                format!("Network length {length_en} km, in service since {year}."),
            )
        }
    }
}

/// An English name without its leading article, to stand as a title: "Water mains".
fn without_article(name: &str) -> &str {
    name.strip_prefix("the ").unwrap_or(name)
}
