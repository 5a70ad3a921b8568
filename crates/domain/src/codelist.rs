//! The closed lists of codes that DREAM's public API and OC4IDS 0.9.5 define: purpose, type,
//! status, sector, party roles, cost items, finance sources, document types and the rest.
//!
//! Each list is an enum whose wire form is the exact code of the standard, so a value read
//! from the database, a query string or a JSON body is either a known code or an error that
//! lists the codes that would have been accepted.

/// Declares a codelist: an enum with its exact codes, parsing, and serde in the code form.
macro_rules! codelist {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal,)+ }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            /// Every code of the list, in the order the standard gives them.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The code as it appears in JSON, in SQL columns and in query strings.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// The codes joined for an error message.
            pub fn expected() -> String {
                let codes: Vec<&str> = Self::ALL.iter().map(|c| c.as_str()).collect();
                codes.join(", ")
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::codelist::UnknownCode;
            fn from_str(code: &str) -> Result<Self, Self::Err> {
                match code {
                    $($code => Ok($name::$variant),)+
                    _ => Err(crate::codelist::UnknownCode {
                        list: stringify!($name),
                        code: code.to_owned(),
                        expected: Self::expected(),
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                code.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

/// A code that is not on its list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {list} code {code:?}; expected one of: {expected}")]
pub struct UnknownCode {
    pub list: &'static str,
    pub code: String,
    pub expected: String,
}

codelist! {
    /// Whether a project restores what was damaged or builds something new.
    pub enum Purpose { Restoration = "restoration", Development = "development", }
}

codelist! {
    /// The nature of the works (DREAM's project type).
    pub enum ProjectType {
        Rehabilitation = "rehabilitation",
        Construction = "construction",
        Equipment = "equipment",
    }
}

codelist! {
    /// The coarse state of a project, derived from its statusDetails or set by withdrawal.
    pub enum Status {
        Pending = "pending",
        Active = "active",
        Complete = "complete",
        Cancelled = "cancelled",
        Unsuccessful = "unsuccessful",
    }
}

codelist! {
    /// The gate a project has reached on its route from idea to implementation.
    pub enum StatusDetails {
        Initiated = "initiated",
        Definition = "definition",
        Defined = "defined",
        Appraisal = "appraisal",
        Appraised = "appraised",
        Structuring = "structuring",
        Structured = "structured",
        Applied = "applied",
        Refused = "refused",
        Approved = "approved",
        Implementation = "implementation",
    }
}

impl StatusDetails {
    /// The status a project at this gate has, unless it was withdrawn.
    pub fn status(self) -> Status {
        match self {
            StatusDetails::Refused => Status::Unsuccessful,
            StatusDetails::Approved | StatusDetails::Implementation => Status::Active,
            _ => Status::Pending,
        }
    }
}

codelist! {
    /// The sectors of OC4IDS 0.9.5 (`projectSector`), top level and subsectors alike.
    pub enum Sector {
        Education = "education",
        Health = "health",
        Energy = "energy",
        EnergySolar = "energy.solar",
        EnergyWind = "energy.wind",
        EnergyHydropower = "energy.hydropower",
        EnergyBiomass = "energy.biomass",
        EnergyGeothermal = "energy.geothermal",
        Communications = "communications",
        WaterAndWaste = "waterAndWaste",
        Governance = "governance",
        Economy = "economy",
        CultureSportsAndRecreation = "cultureSportsAndRecreation",
        Transport = "transport",
        TransportAir = "transport.air",
        TransportWater = "transport.water",
        TransportRail = "transport.rail",
        TransportRoad = "transport.road",
        TransportUrban = "transport.urban",
        TransportLowCarbon = "transport.lowCarbon",
        SocialHousing = "socialHousing",
        NaturalResources = "naturalResources",
        NaturalResourcesFloodProtection = "naturalResources.floodProtection",
    }
}

impl Sector {
    /// Whether this code is a subsector (`transport.road`) rather than a sector.
    pub fn is_subsector(self) -> bool {
        self.as_str().contains('.')
    }

    /// The top-level sector a subsector belongs to; a sector is its own top level.
    pub fn top_level(self) -> Sector {
        match self.as_str().split_once('.') {
            Some((top, _)) => top.parse().unwrap_or(self),
            None => self,
        }
    }
}

codelist! {
    /// The roles an organisation plays in a project, as DREAM names them.
    pub enum PartyRole {
        Balancer = "balancer",
        Author = "author",
        Initiator = "initiator",
        Implementer = "implementer",
        ProcuringEntity = "procuringEntity",
        Tenderer = "tenderer",
        Supplier = "supplier",
        ContractingAuthority = "contractingAuthority",
        Supervisor = "supervisor",
        Expert = "expert",
        Designer = "designer",
        Funder = "funder",
    }
}

codelist! {
    /// What a budget line pays for.
    pub enum CostItem {
        Design = "design",
        Equipment = "equipment",
        Construction = "construction",
        Resettlement = "resettlement",
        SitePreparation = "sitePreparation",
        Measures = "measures",
        Contingencies = "contingencies",
        Overheads = "overheads",
        Taxes = "taxes",
        Financing = "financing",
        Operating = "operating",
        Maintenance = "maintenance",
    }
}

codelist! {
    /// Capital or operating expenditure.
    pub enum CostType { Capex = "capex", Opex = "opex", }
}

codelist! {
    /// Which version of the budget a line belongs to.
    pub enum BudgetType { Original = "original", Revised = "revised", Agreed = "agreed", }
}

codelist! {
    /// The broad kind of money behind a finance line.
    pub enum FinanceType {
        InternationalPartners = "internationalPartners",
        StateFunds = "stateFunds",
        PrivateInvestments = "privateInvestments",
    }
}

codelist! {
    /// The exact source of a finance line.
    pub enum FinanceCategory {
        InternationalOrganization = "internationalOrganization",
        LocalBudget = "localBudget",
        StateCentralBudget = "stateCentralBudget",
        United24 = "united24",
        LiquidationFund = "liquidationFund",
        StateReserve = "stateReserve",
        StateSubsidies = "stateSubsidies",
        StateSpecialBudget = "stateSpecialBudget",
        NaturalPerson = "naturalPerson",
        LegalEntity = "legalEntity",
        AbroadState = "abroadState",
        AbroadEntity = "abroadEntity",
    }
}

codelist! {
    /// The kinds of document and photo DREAM knows.
    pub enum DocumentType {
        IllustrationBefore = "illustrationBefore",
        IllustrationDamaged = "illustrationDamaged",
        IllustrationInProgress = "illustrationInProgress",
        IllustrationVision = "illustrationVision",
        IllustrationComplete = "illustrationComplete",
        IllustrationCover = "illustrationCover",
        Illustration = "illustration",
        Document = "document",
        DesignDocument = "designDocument",
        TechnicalDocument = "technicalDocument",
        LegalDocument = "legalDocument",
        PermissionDocument = "permissionDocument",
        FeasibilityStudy = "feasibilityStudy",
    }
}

codelist! {
    /// Who may read a document.
    pub enum AccessDetails { Open = "open", Limited = "limited", Restricted = "restricted", }
}

codelist! {
    /// The phases of a project's plan, identification to disposal.
    pub enum PhaseCode {
        Identification = "identification",
        Scoping = "scoping",
        Hearings = "hearings",
        Budgeting = "budgeting",
        ProcurementDecision = "procurementDecision",
        Procurement = "procurement",
        Implementation = "implementation",
        Commissioning = "commissioning",
        Launch = "launch",
        Operations = "operations",
        Closure = "closure",
        DisposalDecision = "disposalDecision",
    }
}

codelist! {
    /// What a project metric counts.
    pub enum MetricCharacteristic {
        NumberOfConsumers = "numberOfConsumers",
        NumberOfIdp = "numberOfIDP",
        Other = "other",
    }
}

codelist! {
    /// The register a related process lives in.
    pub enum RelatedProcessScheme {
        UaDream = "UA-DREAM",
        UaRddp = "UA-RDDP",
        UaProzorro = "UA-PROZORRO",
    }
}

codelist! {
    /// How a related process relates to the project.
    pub enum Relationship {
        Parent = "parent",
        Alternative = "alternative",
        Supplemented = "supplimented",
        Dependency = "dependency",
        Procurement = "procurement",
        Object = "object",
        Idea = "idea",
    }
}

codelist! {
    /// The state of a contracting process, as DREAM's public API names it.
    pub enum ContractingStatus {
        Preparation = "preparation",
        Implementation = "implementation",
        Complete = "complete",
        Cancelled = "cancelled",
        Unsuccessful = "unsuccessful",
    }
}

codelist! {
    /// The state of a functional object (asset).
    pub enum ObjectStatus {
        Identification = "identification",
        Preparation = "preparation",
        Active = "active",
        Complete = "complete",
    }
}

codelist! {
    /// The kinds of organisation that take part in reconstruction.
    pub enum OrganisationKind {
        Hromada = "hromada",
        Enterprise = "enterprise",
        OblastAdministration = "oblastAdministration",
        Ministry = "ministry",
        Agency = "agency",
        Donor = "donor",
        Supplier = "supplier",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_code_names_the_list_and_the_accepted_codes() {
        let error = "demolition".parse::<ProjectType>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown ProjectType code \"demolition\"; expected one of: \
             rehabilitation, construction, equipment"
        );
    }

    #[test]
    fn codes_round_trip_through_json() {
        for sector in Sector::ALL {
            let json = serde_json::to_string(sector).unwrap();
            assert_eq!(serde_json::from_str::<Sector>(&json).unwrap(), *sector);
        }
    }

    #[test]
    fn a_subsector_knows_its_sector() {
        assert_eq!(Sector::TransportRoad.top_level(), Sector::Transport);
        assert_eq!(Sector::Health.top_level(), Sector::Health);
    }

    #[test]
    fn refused_projects_are_unsuccessful_and_approved_ones_active() {
        assert_eq!(StatusDetails::Refused.status(), Status::Unsuccessful);
        assert_eq!(StatusDetails::Approved.status(), Status::Active);
        assert_eq!(StatusDetails::Initiated.status(), Status::Pending);
    }
}
