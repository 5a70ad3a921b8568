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

/// Every unit of the shipped codifier, in its order. A unit's code is the last code on its
/// line; its parent is the nearest code before it that differs (Kyiv's districts repeat
/// Kyiv's code in the raion and hromada columns); names are trimmed. Lines that do not
/// parse are skipped: the shipped file has none, which a test checks.
pub fn codifier() -> Vec<Territory> {
    KATOTTG_CODIFIER
        .lines()
        .skip(1)
        .filter_map(codifier_line)
        .collect()
}

fn codifier_line(line: &str) -> Option<Territory> {
    let fields: Vec<&str> = line.trim_end_matches('\r').split(';').collect();
    let [l1, l2, l3, l4, extra, category, name] = fields[..] else {
        return None;
    };
    let chain: Vec<&str> = [l1, l2, l3, l4, extra]
        .into_iter()
        .filter(|c| !c.is_empty())
        .collect();
    let code = *chain.last()?;
    let parent = chain.iter().rev().find(|c| **c != code);
    let below_oblast = |c: &str| {
        (!c.is_empty() && c != l1)
            .then(|| Katottg::parse(c).ok())
            .flatten()
    };
    Some(Territory {
        code: Katottg::parse(code).ok()?,
        name: name.trim().to_owned(),
        level: TerritoryLevel::from_category(category)?,
        parent: parent.and_then(|c| Katottg::parse(c).ok()),
        oblast: Katottg::parse(l1).ok()?,
        raion: below_oblast(l2),
        hromada: below_oblast(l3),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_codifier_has_every_unit_with_its_chain() {
        let units = codifier();
        assert_eq!(units.len(), 31_748, "every line of the shipped file parses");
        let find = |code: &str| units.iter().find(|u| u.code.as_str() == code).unwrap();
        let kyiv_district = find("UA80000000000126643");
        assert_eq!(
            kyiv_district.parent.as_ref().unwrap().as_str(),
            "UA80000000000093317"
        );
        assert_eq!(kyiv_district.raion, None);
        let hromada = find("UA01020010000048857");
        assert_eq!(hromada.name, "Андріївська");
        assert_eq!(hromada.level, TerritoryLevel::Hromada);
        assert_eq!(
            hromada.parent.as_ref().unwrap().as_str(),
            "UA01020000000022387"
        );
    }
}
