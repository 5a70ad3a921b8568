//! Identifiers: projects carry DREAM's own form (`DREAM-UA-<ddmmyy>-<8 hex>`), objects a
//! UUIDv7 so that ids made on several machines never collide and sort by creation time.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::Date;

/// A project's id, such as `DREAM-UA-240523-1F0C9A7B`: the day it was created and eight
/// hexadecimal digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProjectId(String);

/// Why a string is not a project id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "a project id looks like DREAM-UA-240523-1F0C9A7B (a ddmmyy date and 8 hex digits), got {0:?}"
)]
pub struct ProjectIdError(pub String);

impl ProjectId {
    /// Makes the id of a project created on `day`, with 32 bits of the caller's randomness.
    pub fn new(day: Date, random: u32) -> Self {
        let (y, m, d) = (day.year().rem_euclid(100), u8::from(day.month()), day.day());
        Self(format!("DREAM-UA-{d:02}{m:02}{y:02}-{random:08X}"))
    }

    /// Makes the id of a project created at `at`, with fresh randomness.
    pub fn generate(at: time::OffsetDateTime) -> Self {
        let random = uuid::Uuid::new_v4().as_u128() as u32;
        Self::new(at.date(), random)
    }

    /// Parses an id, accepting lower-case hex digits and returning the canonical upper case.
    pub fn parse(text: &str) -> Result<Self, ProjectIdError> {
        let error = || ProjectIdError(text.to_owned());
        let rest = text.strip_prefix("DREAM-UA-").ok_or_else(error)?;
        let (date, hex) = rest.split_once('-').ok_or_else(error)?;
        let date_ok = date.len() == 6 && date.bytes().all(|b| b.is_ascii_digit()) && {
            let day: u8 = date[0..2].parse().unwrap_or(0);
            let month: u8 = date[2..4].parse().unwrap_or(0);
            (1..=31).contains(&day) && (1..=12).contains(&month)
        };
        let hex_ok = hex.len() == 8 && hex.bytes().all(|b| b.is_ascii_hexdigit());
        if !(date_ok && hex_ok) {
            return Err(error());
        }
        Ok(Self(format!(
            "DREAM-UA-{date}-{}",
            hex.to_ascii_uppercase()
        )))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ProjectId {
    type Error = ProjectIdError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<ProjectId> for String {
    fn from(id: ProjectId) -> Self {
        id.0
    }
}

impl fmt::Display for ProjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The id of a functional object (asset).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ObjectId(pub uuid::Uuid);

impl ObjectId {
    /// A new id, ordered by creation time.
    pub fn new() -> Self {
        Self(uuid::Uuid::now_v7())
    }
}

impl Default for ObjectId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn project_ids_carry_the_creation_day() {
        let id = ProjectId::new(date!(2024 - 05 - 23), 0x1f0c9a7b);
        assert_eq!(id.as_str(), "DREAM-UA-230524-1F0C9A7B");
        assert_eq!(ProjectId::parse("DREAM-UA-230524-1f0c9a7b"), Ok(id));
    }

    #[test]
    fn malformed_project_ids_are_refused() {
        for text in [
            "DREAM-UA-320524-1F0C9A7B",
            "DREAM-UA-230524-1F0C9A7",
            "UA-230524-1F0C9A7B",
        ] {
            assert!(ProjectId::parse(text).is_err(), "{text}");
        }
    }
}
