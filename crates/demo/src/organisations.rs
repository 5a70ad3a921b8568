//! The organisations of the demo registry: central bodies and national donors made up
//! front, and councils, their enterprises, oblast administrations, the regional services of
//! the restoration agency, contractors and designers made on first use, so that a small
//! demo holds only the organisations its projects name.
//!
//! Every organisation gets a well-formed EDRPOU code from a range of its own kind. The code
//! follows from who the organisation is (the council of this hromada, this contractor), not
//! from the seed, so no two organisations share a code and the data of several seeds can be
//! loaded into one registry: a council or a contractor named by both is the same
//! organisation (though a contractor is registered in the oblast where a seed first hires
//! it). Foreign donors have no EDRPOU code and appear only by name, as financing parties.

use std::collections::{BTreeMap, HashSet};

use std::sync::Arc;

use dream_domain::Edrpou;
use dream_domain::Katottg;
use dream_domain::codelist::{FinanceCategory, OrganisationKind, Sector};
use dream_domain::organisation::{Organisation, OrganisationContent};
use dream_domain::text::Text;
use time::OffsetDateTime;

use crate::facilities::Holder;
use crate::grammar::locative;
use crate::places::{KYIV, Place};
use crate::rng::Rng;
use dream_domain::translit::transliterate;

/// An organisation as projects name it: its code and its names in both languages.
#[derive(Debug)]
pub(crate) struct Body {
    pub id: Edrpou,
    pub name_uk: String,
    pub name_en: String,
}

/// Shared handle to a body; a council is named by thousands of projects.
pub(crate) type BodyRef = Arc<Body>;

/// Foreign donors, who finance by name alone, and the finance category each gives under.
pub(crate) const FOREIGN_DONORS: &[(&str, FinanceCategory)] = &[
    (
        "European Investment Bank",
        FinanceCategory::InternationalOrganization,
    ),
    ("World Bank", FinanceCategory::InternationalOrganization),
    ("EBRD", FinanceCategory::InternationalOrganization),
    (
        "Council of Europe Development Bank",
        FinanceCategory::InternationalOrganization,
    ),
    ("UNDP", FinanceCategory::InternationalOrganization),
    ("KfW", FinanceCategory::AbroadState),
    ("USAID", FinanceCategory::AbroadState),
    ("Government of Japan (JICA)", FinanceCategory::AbroadState),
    ("Government of Denmark", FinanceCategory::AbroadState),
];

/// Ukrainian charitable foundations that give as legal entities. The names are made up.
const FOUNDATIONS: &[(&str, &str)] = &[
    (
        "Благодійний фонд «Відновимо разом»",
        "Vidnovymo Razom Charitable Foundation",
    ),
    (
        "Благодійний фонд «Рідна громада»",
        "Ridna Hromada Charitable Foundation",
    ),
    (
        "Благодійна організація «Фонд відбудови громад»",
        "Community Rebuilding Fund Charity",
    ),
    (
        "Благодійний фонд «Світло в кожен дім»",
        "Svitlo v Kozhen Dim Charitable Foundation",
    ),
    (
        "Благодійний фонд «Добробут громад»",
        "Dobrobut Hromad Charitable Foundation",
    ),
];

/// Beginnings and endings of contractors' and designers' names: Слобожан + будінвест.
const COMPANY_STEMS: &[&str] = &[
    "Укр",
    "Дніпро",
    "Слобожан",
    "Поділ",
    "Сівер",
    "Поліс",
    "Азов",
    "Галич",
    "Карпат",
    "Київ",
    "Харків",
    "Одес",
    "Запоріж",
    "Черкас",
    "Степ",
    "Буг",
    "Рось",
];
const COMPANY_ENDINGS: &[&str] = &[
    "буд",
    "будсервіс",
    "будінвест",
    "будмонтаж",
    "шляхбуд",
    "мостобуд",
    "енергомонтаж",
    "інжбуд",
    "рембуд",
    "будкомплект",
];
const DESIGNER_ENDINGS: &[&str] = &[
    "проєкт",
    "інжпроєкт",
    "проєктбуд",
    "архпроєкт",
    "дорпроєкт",
    "проєкт-сервіс",
];
const LEGAL_FORMS: &[(&str, &str)] = &[("ТОВ", "LLC"), ("ПП", "PE"), ("ПрАТ", "PrJSC")];

/// How many contractors and designers an oblast's market has at most.
const CONTRACTORS_PER_OBLAST: usize = 25;
const DESIGNERS_PER_OBLAST: usize = 6;

/// Ranges of the first seven EDRPOU digits, one per kind, so kinds never share a code.
const CENTRAL_CODES: (u32, u32) = (3_747_000, 3_799_999);
const OBLAST_CODES: (u32, u32) = (2_000, 2_999);
const COUNCIL_CODES: (u32, u32) = (405_000, 442_999);
const ENTERPRISE_CODES: (u32, u32) = (3_100_000, 3_399_999);
const COMPANY_CODES: (u32, u32) = (3_900_000, 4_299_999);
const FOUNDATION_CODES: (u32, u32) = (4_300_000, 4_399_999);
const SERVICE_CODES: (u32, u32) = (4_500_000, 4_500_999);

/// A prime larger than every range above, so that multiplying by it permutes a range.
const SPREAD: u64 = 1_000_003;

/// The code of the `index`-th organisation of a kind: a fixed shuffle of the kind's range,
/// so that codes look random, never repeat and do not depend on the seed.
fn code_in((low, high): (u32, u32), index: u64) -> u32 {
    let size = u64::from(high - low + 1);
    debug_assert!(
        index < size,
        "more organisations than codes in {low}..={high}"
    );
    low + ((index % size) * SPREAD % size) as u32
}

/// The central bodies that finance and oversee reconstruction.
#[derive(Debug)]
pub(crate) struct CentralBodies {
    pub development_ministry: BodyRef,
    pub restoration_agency: BodyRef,
    pub education_ministry: BodyRef,
    pub health_ministry: BodyRef,
    pub foundations: Vec<BodyRef>,
}

impl CentralBodies {
    /// The body that gives state budget money for a sector.
    pub(crate) fn state_funder(&self, sector: Sector) -> &BodyRef {
        match sector {
            Sector::Education => &self.education_ministry,
            Sector::Health => &self.health_ministry,
            Sector::Transport => &self.restoration_agency,
            _ => &self.development_ministry,
        }
    }
}

/// Every organisation made so far, and those not yet handed to the caller.
#[derive(Debug)]
pub(crate) struct Catalogue {
    pub central: CentralBodies,
    registrar: Registrar,
    councils: BTreeMap<usize, BodyRef>,
    enterprises: BTreeMap<(usize, Holder), BodyRef>,
    administrations: BTreeMap<&'static str, BodyRef>,
    services: BTreeMap<&'static str, BodyRef>,
    contractors: BTreeMap<&'static str, Vec<BodyRef>>,
    designers: BTreeMap<&'static str, Vec<BodyRef>>,
    /// The companies made so far, by stem, ending and number, so that none is made twice.
    companies: HashSet<(usize, usize, u64)>,
}

impl Catalogue {
    /// A catalogue holding the central bodies and national foundations, registered at
    /// `since`.
    pub(crate) fn new(since: OffsetDateTime) -> Self {
        let mut registrar = Registrar::default();
        let central = central_bodies(&mut registrar, since);
        Self {
            central,
            registrar,
            councils: BTreeMap::new(),
            enterprises: BTreeMap::new(),
            administrations: BTreeMap::new(),
            services: BTreeMap::new(),
            contractors: BTreeMap::new(),
            designers: BTreeMap::new(),
            companies: HashSet::new(),
        }
    }

    /// The organisations made since the last call, in the order they were made.
    pub(crate) fn take_new(&mut self) -> Vec<Organisation> {
        std::mem::take(&mut self.registrar.new)
    }

    /// The council of the hromada at `index` in the generator's list of places.
    pub(crate) fn council(&mut self, index: usize, place: &Place, at: OffsetDateTime) -> BodyRef {
        if let Some(council) = self.councils.get(&index) {
            return council.clone();
        }
        let code = code_in(COUNCIL_CODES, index as u64);
        let territory = &place.territory.code;
        let kind = OrganisationKind::Hromada;
        let council = self.registrar.register(
            code,
            &place.council_uk,
            &place.council_en,
            kind,
            territory,
            at,
        );
        self.councils.insert(index, council.clone());
        council
    }

    /// The council's enterprise that holds facilities of `holder`'s kind.
    pub(crate) fn enterprise(
        &mut self,
        index: usize,
        place: &Place,
        holder: Holder,
        at: OffsetDateTime,
    ) -> Option<BodyRef> {
        let (name_uk, name_en) = holder.enterprise_name()?;
        if let Some(enterprise) = self.enterprises.get(&(index, holder)) {
            return Some(enterprise.clone());
        }
        let code = code_in(
            ENTERPRISE_CODES,
            index as u64 * Holder::COUNT + holder as u64,
        );
        let uk = format!("{name_uk} {}", place.council_genitive);
        let en = format!("{name_en} of {}", place.council_en);
        let kind = OrganisationKind::Enterprise;
        let enterprise = self
            .registrar
            .register(code, &uk, &en, kind, &place.territory.code, at);
        self.enterprises.insert((index, holder), enterprise.clone());
        Some(enterprise)
    }

    /// The oblast's military administration, formed on the basis of its state
    /// administration.
    pub(crate) fn oblast_administration(&mut self, place: &Place, at: OffsetDateTime) -> BodyRef {
        let oblast = place.oblast;
        if let Some(administration) = self.administrations.get(oblast.prefix) {
            return administration.clone();
        }
        let code = code_in(OBLAST_CODES, oblast.number());
        let uk = format!("{} обласна військова адміністрація", oblast.name_uk);
        let en = format!("{} Oblast Military Administration", oblast.name_en);
        let kind = OrganisationKind::OblastAdministration;
        let administration =
            self.registrar
                .register(code, &uk, &en, kind, &place.territory.oblast, at);
        self.administrations
            .insert(oblast.prefix, administration.clone());
        administration
    }

    /// The restoration agency's service in the oblast, which carries out projects for
    /// hromadas that lack their own engineers.
    pub(crate) fn regional_service(&mut self, place: &Place, at: OffsetDateTime) -> BodyRef {
        let oblast = place.oblast;
        if let Some(service) = self.services.get(oblast.prefix) {
            return service.clone();
        }
        let code = code_in(SERVICE_CODES, oblast.number());
        let uk = format!(
            "Служба відновлення та розвитку інфраструктури у {} області",
            locative(oblast.name_uk)
        );
        let en = format!(
            "Service for Restoration and Infrastructure Development in {} Oblast",
            oblast.name_en
        );
        let kind = OrganisationKind::Agency;
        let service = self
            .registrar
            .register(code, &uk, &en, kind, &place.territory.oblast, at);
        self.services.insert(oblast.prefix, service.clone());
        service
    }

    /// A construction company working in the oblast: an existing one mostly, a new one
    /// while the oblast's market is small.
    pub(crate) fn contractor(
        &mut self,
        rng: &mut Rng,
        place: &Place,
        at: OffsetDateTime,
    ) -> BodyRef {
        self.company(rng, place, at, false)
    }

    /// A design company working in the oblast.
    pub(crate) fn designer(&mut self, rng: &mut Rng, place: &Place, at: OffsetDateTime) -> BodyRef {
        self.company(rng, place, at, true)
    }

    fn company(
        &mut self,
        rng: &mut Rng,
        place: &Place,
        at: OffsetDateTime,
        design: bool,
    ) -> BodyRef {
        let prefix = place.oblast.prefix;
        let (pools, cap) = if design {
            (&mut self.designers, DESIGNERS_PER_OBLAST)
        } else {
            (&mut self.contractors, CONTRACTORS_PER_OBLAST)
        };
        let pool = pools.entry(prefix).or_default();
        let grow = pool.len() < 2 || (pool.len() < cap && rng.percent(25));
        if !grow {
            return rng.pick(pool).clone();
        }

        let company = self.new_company(rng, place, at, design);
        let pools = if design {
            &mut self.designers
        } else {
            &mut self.contractors
        };
        pools.entry(prefix).or_default().push(company.clone());
        company
    }

    /// A company not made before, such as ТОВ «Слобожанбудінвест» (Slobozhanbudinvest LLC).
    /// Its stem, ending and number decide its legal form and its code, so the same name
    /// always belongs to the same company.
    fn new_company(
        &mut self,
        rng: &mut Rng,
        place: &Place,
        at: OffsetDateTime,
        design: bool,
    ) -> BodyRef {
        let stem = rng.below(COMPANY_STEMS.len() as u64) as usize;
        let offset = if design { COMPANY_ENDINGS.len() } else { 0 };
        let endings = if design {
            DESIGNER_ENDINGS
        } else {
            COMPANY_ENDINGS
        };
        let ending = offset + rng.below(endings.len() as u64) as usize;
        let number = (1..)
            .find(|n| self.companies.insert((stem, ending, *n)))
            .unwrap_or(1);

        let all_endings = COMPANY_ENDINGS.len() + DESIGNER_ENDINGS.len();
        let identity = ((number - 1) * COMPANY_STEMS.len() as u64 + stem as u64)
            * all_endings as u64
            + ending as u64;
        let ending_text = endings[ending - offset];
        let name = match number {
            1 => format!("{}{ending_text}", COMPANY_STEMS[stem]),
            _ => format!("{}{ending_text}-{number}", COMPANY_STEMS[stem]),
        };
        let (form_uk, form_en) = LEGAL_FORMS[(identity % LEGAL_FORMS.len() as u64) as usize];
        let uk = format!("{form_uk} «{name}»");
        let en = format!("{} {form_en}", transliterate(&name));
        let code = code_in(COMPANY_CODES, identity);
        let kind = OrganisationKind::Supplier;
        self.registrar
            .register(code, &uk, &en, kind, &place.territory.oblast, at)
    }
}

/// Keeps the organisations the caller has not yet been given.
#[derive(Debug, Default)]
struct Registrar {
    /// Every code given, to catch two organisations sharing one while testing.
    codes: HashSet<u32>,
    new: Vec<Organisation>,
}

impl Registrar {
    /// Records a new organisation for the caller and returns the projects' handle to it.
    fn register(
        &mut self,
        code: u32,
        uk: &str,
        en: &str,
        kind: OrganisationKind,
        territory: &Katottg,
        updated: OffsetDateTime,
    ) -> BodyRef {
        let fresh = self.codes.insert(code);
        debug_assert!(fresh, "EDRPOU prefix {code} given twice");
        let id = Edrpou::from_prefix(code);
        self.new.push(Organisation {
            id: id.clone(),
            updated,
            content: OrganisationContent {
                name: Text::new(uk, en),
                kind,
                territory: territory.clone(),
            },
        });
        Arc::new(Body {
            id,
            name_uk: uk.to_owned(),
            name_en: en.to_owned(),
        })
    }
}

/// Registers the ministries, the restoration agency and the national foundations in Kyiv.
fn central_bodies(registrar: &mut Registrar, at: OffsetDateTime) -> CentralBodies {
    let kyiv = Katottg::parse(KYIV).unwrap_or_else(|_| unreachable!("Kyiv's code is well-formed"));
    let mut index = 0;
    let mut body = |uk: &str, en: &str, kind| {
        index += 1;
        registrar.register(code_in(CENTRAL_CODES, index), uk, en, kind, &kyiv, at)
    };
    let development_ministry = body(
        "Міністерство розвитку громад та територій України",
        "Ministry for Development of Communities and Territories of Ukraine",
        OrganisationKind::Ministry,
    );
    let restoration_agency = body(
        "Державне агентство відновлення та розвитку інфраструктури України",
        "State Agency for Restoration and Infrastructure Development of Ukraine",
        OrganisationKind::Agency,
    );
    let education_ministry = body(
        "Міністерство освіти і науки України",
        "Ministry of Education and Science of Ukraine",
        OrganisationKind::Ministry,
    );
    let health_ministry = body(
        "Міністерство охорони здоров’я України",
        "Ministry of Health of Ukraine",
        OrganisationKind::Ministry,
    );
    let foundations = FOUNDATIONS
        .iter()
        .enumerate()
        .map(|(index, (uk, en))| {
            let code = code_in(FOUNDATION_CODES, index as u64);
            registrar.register(code, uk, en, OrganisationKind::Donor, &kyiv, at)
        })
        .collect();
    CentralBodies {
        development_ministry,
        restoration_agency,
        education_ministry,
        health_ministry,
        foundations,
    }
}
