//! The names of codes as readers of each language say them: sectors, stages of the route,
//! sources of money, kinds of document. A code the tables do not know shows as itself, so a
//! new code never breaks a page.

use super::i18n::Lang;

/// The name of `code` from the codelist `list` in `lang`.
pub fn code(lang: Lang, list: &str, code: &str) -> String {
    match names(list, code) {
        Some((uk, en)) => lang.pick(uk, en).to_owned(),
        None => code.to_owned(),
    }
}

fn names(list: &str, code: &str) -> Option<(&'static str, &'static str)> {
    let table: &[(&str, &str, &str)] = match list {
        "status" => STATUS,
        "statusDetails" => STATUS_DETAILS,
        "sector" => SECTOR,
        "purpose" => PURPOSE,
        "projectType" => PROJECT_TYPE,
        "partyRole" => PARTY_ROLE,
        "costItem" => COST_ITEM,
        "financeSource" => FINANCE_SOURCE,
        // A finance line's type and category are both sources, named in one table.
        "financeType" | "financeCategory" => FINANCE_SOURCE,
        "documentType" => DOCUMENT_TYPE,
        "phase" => PHASE,
        "metric" => METRIC,
        "contractingStatus" => CONTRACTING_STATUS,
        "budgetType" => BUDGET_TYPE,
        "organisationKind" => ORGANISATION_KIND,
        _ => return None,
    };
    table
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, uk, en)| (*uk, *en))
}

/// Every code of a list with its name, in the list's order: the options of a filter.
pub fn options(lang: Lang, list: &str) -> Vec<(&'static str, &'static str)> {
    let table: &[(&str, &str, &str)] = match list {
        "status" => STATUS,
        "statusDetails" => STATUS_DETAILS,
        "sector" => SECTOR,
        "purpose" => PURPOSE,
        "projectType" => PROJECT_TYPE,
        "financeSource" => FINANCE_SOURCE,
        _ => &[],
    };
    table
        .iter()
        .map(|(code, uk, en)| (*code, lang.pick(uk, en)))
        .collect()
}

const STATUS: &[(&str, &str, &str)] = &[
    ("pending", "Готується", "Pending"),
    ("active", "Виконується", "Active"),
    ("complete", "Завершено", "Complete"),
    ("cancelled", "Скасовано", "Cancelled"),
    ("unsuccessful", "Не відбувся", "Unsuccessful"),
];

const STATUS_DETAILS: &[(&str, &str, &str)] = &[
    ("initiated", "Ідея", "Idea"),
    ("definition", "Визначення", "Definition"),
    ("defined", "Визначено", "Defined"),
    ("appraisal", "Оцінювання", "Appraisal"),
    ("appraised", "Оцінено", "Appraised"),
    ("structuring", "Структурування", "Structuring"),
    ("structured", "Структуровано", "Structured"),
    ("applied", "Подано на конкурс", "Applied to a call"),
    ("approved", "Схвалено", "Approved"),
    ("refused", "Відхилено", "Refused"),
    ("implementation", "Реалізація", "Implementation"),
];

const SECTOR: &[(&str, &str, &str)] = &[
    ("education", "Освіта", "Education"),
    ("health", "Охорона здоров'я", "Health"),
    ("energy", "Енергетика", "Energy"),
    ("energy.solar", "Сонячна енергетика", "Solar energy"),
    ("energy.wind", "Вітрова енергетика", "Wind energy"),
    ("energy.hydropower", "Гідроенергетика", "Hydropower"),
    ("energy.biomass", "Біоенергетика", "Biomass energy"),
    (
        "energy.geothermal",
        "Геотермальна енергетика",
        "Geothermal energy",
    ),
    ("communications", "Зв'язок", "Communications"),
    ("waterAndWaste", "Вода та відходи", "Water and waste"),
    ("governance", "Державне управління", "Governance"),
    ("economy", "Економіка", "Economy"),
    (
        "cultureSportsAndRecreation",
        "Культура, спорт і дозвілля",
        "Culture, sports and recreation",
    ),
    ("transport", "Транспорт", "Transport"),
    ("transport.air", "Авіатранспорт", "Air transport"),
    ("transport.water", "Водний транспорт", "Water transport"),
    ("transport.rail", "Залізниця", "Rail"),
    ("transport.road", "Дороги", "Roads"),
    ("transport.urban", "Міський транспорт", "Urban transport"),
    (
        "transport.lowCarbon",
        "Низьковуглецевий транспорт",
        "Low-carbon transport",
    ),
    ("socialHousing", "Соціальне житло", "Social housing"),
    ("naturalResources", "Природні ресурси", "Natural resources"),
    (
        "naturalResources.floodProtection",
        "Захист від повеней",
        "Flood protection",
    ),
];

const PURPOSE: &[(&str, &str, &str)] = &[
    ("restoration", "Відновлення", "Restoration"),
    ("development", "Розвиток", "Development"),
];

const PROJECT_TYPE: &[(&str, &str, &str)] = &[
    ("rehabilitation", "Капітальний ремонт", "Rehabilitation"),
    ("construction", "Нове будівництво", "Construction"),
    ("equipment", "Обладнання", "Equipment"),
];

const PARTY_ROLE: &[(&str, &str, &str)] = &[
    ("balancer", "Балансоутримувач", "Asset holder"),
    ("author", "Автор", "Author"),
    ("initiator", "Ініціатор", "Initiator"),
    ("implementer", "Виконавець проєкту", "Implementer"),
    ("procuringEntity", "Замовник закупівлі", "Procuring entity"),
    ("tenderer", "Учасник торгів", "Tenderer"),
    ("supplier", "Постачальник", "Supplier"),
    ("contractingAuthority", "Замовник", "Contracting authority"),
    ("supervisor", "Технічний нагляд", "Supervisor"),
    ("expert", "Експерт", "Expert"),
    ("designer", "Проєктувальник", "Designer"),
    ("funder", "Фінансує", "Funder"),
];

const COST_ITEM: &[(&str, &str, &str)] = &[
    ("design", "Проєктування", "Design"),
    ("equipment", "Обладнання", "Equipment"),
    ("construction", "Будівельні роботи", "Construction"),
    ("resettlement", "Переселення", "Resettlement"),
    ("sitePreparation", "Підготовка ділянки", "Site preparation"),
    ("measures", "Супутні заходи", "Measures"),
    ("contingencies", "Непередбачені витрати", "Contingencies"),
    ("overheads", "Накладні витрати", "Overheads"),
    ("taxes", "Податки", "Taxes"),
    ("financing", "Фінансові витрати", "Financing"),
    ("operating", "Експлуатація", "Operating"),
    ("maintenance", "Утримання", "Maintenance"),
];

const FINANCE_SOURCE: &[(&str, &str, &str)] = &[
    (
        "internationalPartners",
        "Міжнародні партнери",
        "International partners",
    ),
    ("stateFunds", "Державні кошти", "State funds"),
    (
        "privateInvestments",
        "Приватні інвестиції",
        "Private investments",
    ),
    (
        "internationalOrganization",
        "Міжнародна організація",
        "International organisation",
    ),
    ("localBudget", "Місцевий бюджет", "Local budget"),
    ("stateCentralBudget", "Державний бюджет", "State budget"),
    ("united24", "United24", "United24"),
    (
        "liquidationFund",
        "Фонд ліквідації наслідків агресії",
        "Fund for the liquidation of war damage",
    ),
    ("stateReserve", "Резервний фонд", "State reserve fund"),
    ("stateSubsidies", "Державні субвенції", "State subsidies"),
    (
        "stateSpecialBudget",
        "Спеціальний фонд",
        "State special fund",
    ),
    ("naturalPerson", "Фізичні особи", "Private persons"),
    ("legalEntity", "Юридичні особи", "Companies"),
    ("abroadState", "Іноземна держава", "Foreign state"),
    (
        "abroadEntity",
        "Іноземна організація",
        "Foreign organisation",
    ),
];

const DOCUMENT_TYPE: &[(&str, &str, &str)] = &[
    (
        "illustrationBefore",
        "Фото до руйнування",
        "Photo before damage",
    ),
    (
        "illustrationDamaged",
        "Фото пошкоджень",
        "Photo of the damage",
    ),
    (
        "illustrationInProgress",
        "Фото робіт",
        "Photo of works in progress",
    ),
    ("illustrationVision", "Візуалізація", "Vision"),
    (
        "illustrationComplete",
        "Фото завершеного об'єкта",
        "Photo on completion",
    ),
    ("illustrationCover", "Обкладинка", "Cover"),
    ("illustration", "Ілюстрація", "Illustration"),
    ("document", "Документ", "Document"),
    (
        "designDocument",
        "Проєктна документація",
        "Design documents",
    ),
    (
        "technicalDocument",
        "Технічна документація",
        "Technical documents",
    ),
    ("permissionDocument", "Дозвільний документ", "Permit"),
    (
        "feasibilityStudy",
        "Техніко-економічне обґрунтування",
        "Feasibility study",
    ),
];

const PHASE: &[(&str, &str, &str)] = &[
    ("identification", "Визначення потреби", "Identification"),
    ("scoping", "Окреслення", "Scoping"),
    ("hearings", "Громадські слухання", "Hearings"),
    ("budgeting", "Бюджетування", "Budgeting"),
    (
        "procurementDecision",
        "Рішення про закупівлю",
        "Procurement decision",
    ),
    ("procurement", "Закупівля", "Procurement"),
    ("implementation", "Реалізація", "Implementation"),
    ("commissioning", "Введення в експлуатацію", "Commissioning"),
    ("launch", "Запуск", "Launch"),
    ("operations", "Експлуатація", "Operations"),
    ("closure", "Закриття", "Closure"),
    (
        "disposalDecision",
        "Рішення про списання",
        "Disposal decision",
    ),
];

const METRIC: &[(&str, &str, &str)] = &[
    (
        "numberOfConsumers",
        "Кількість отримувачів послуг",
        "People served",
    ),
    (
        "numberOfIDP",
        "З них внутрішньо переміщених осіб",
        "Of them internally displaced",
    ),
    ("other", "Інший показник", "Other measure"),
];

const CONTRACTING_STATUS: &[(&str, &str, &str)] = &[
    ("preparation", "Підготовка", "Preparation"),
    ("implementation", "Виконання", "Implementation"),
    ("complete", "Завершено", "Complete"),
    ("cancelled", "Скасовано", "Cancelled"),
    ("unsuccessful", "Не відбулася", "Unsuccessful"),
];

const BUDGET_TYPE: &[(&str, &str, &str)] = &[
    ("original", "Початковий", "Original"),
    ("revised", "Уточнений", "Revised"),
    ("agreed", "Погоджений", "Agreed"),
];

const ORGANISATION_KIND: &[(&str, &str, &str)] = &[
    ("hromada", "Територіальна громада", "Hromada"),
    ("enterprise", "Підприємство", "Enterprise"),
    (
        "oblastAdministration",
        "Обласна адміністрація",
        "Oblast administration",
    ),
    ("ministry", "Міністерство", "Ministry"),
    ("agency", "Агентство", "Agency"),
    ("donor", "Донор", "Donor"),
    ("supplier", "Постачальник", "Supplier"),
];
