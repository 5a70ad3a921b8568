//! Territories of Ukraine as the KATOTTG codifier lists them: oblasts (and the two cities
//! with special status), raions, hromadas, settlements and city districts.

use serde::{Deserialize, Serialize};

use crate::codes::Katottg;

/// The KATOTTG codifier as of 2025-05-16, as shipped in `data/katottg/` (see
/// `data/SOURCES.md`): a header line, then one `;`-separated line per unit with its chain of
/// codes from the oblast down, its category letter and its name.
pub const KATOTTG_CODIFIER: &str = include_str!("../../../data/katottg/kodifikator-16-05-2025.csv");

/// The level of a unit, from the codifier's one-letter category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TerritoryLevel {
    /// `O`: an oblast or the Autonomous Republic of Crimea.
    Oblast,
    /// `K`: Kyiv or Sevastopol, a city with special status, on the oblast level.
    SpecialCity,
    /// `P`: a raion.
    Raion,
    /// `H`: a territorial hromada.
    Hromada,
    /// `M`: a city.
    City,
    /// `X`: an urban-type settlement (selyshche).
    Settlement,
    /// `C`: a village.
    Village,
    /// `B`: a district of a city.
    CityDistrict,
}

impl TerritoryLevel {
    /// Reads the codifier's category letter.
    pub fn from_category(letter: &str) -> Option<Self> {
        Some(match letter {
            "O" => Self::Oblast,
            "K" => Self::SpecialCity,
            "P" => Self::Raion,
            "H" => Self::Hromada,
            "M" => Self::City,
            "X" => Self::Settlement,
            "C" => Self::Village,
            "B" => Self::CityDistrict,
            _ => return None,
        })
    }

    pub fn category(self) -> &'static str {
        match self {
            Self::Oblast => "O",
            Self::SpecialCity => "K",
            Self::Raion => "P",
            Self::Hromada => "H",
            Self::City => "M",
            Self::Settlement => "X",
            Self::Village => "C",
            Self::CityDistrict => "B",
        }
    }
}

/// One unit of the codifier, with the chain of units above it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Territory {
    pub code: Katottg,
    pub name: String,
    pub level: TerritoryLevel,
    pub parent: Option<Katottg>,
    /// The oblast (or city with special status) the unit lies in; itself for an oblast.
    pub oblast: Katottg,
    pub raion: Option<Katottg>,
    pub hromada: Option<Katottg>,
}
