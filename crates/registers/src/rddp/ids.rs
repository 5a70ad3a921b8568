//! The id a person types to link an object to its record in the Register of Damaged and
//! Destroyed Property, checked before it goes into an address or the store.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest id accepted; the register's ids are far shorter.
const MAX_LEN: usize = 64;

/// The register's id of a damage record, such as `RDDP-2023-004512`: letters, digits and
/// dashes, as the register shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DamageRecordId(String);

/// Why a text is not a damage record id; the message is shown to the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DamageIdError {
    #[error("nothing was entered; expected a damage record id such as RDDP-2023-004512")]
    Empty,
    #[error("{0:?} is too long for a damage record id (at most {MAX_LEN} characters)")]
    TooLong(String),
    #[error(
        "{0:?} is not a damage record id; it has letters, digits and dashes, such as \
         RDDP-2023-004512"
    )]
    Characters(String),
}

impl DamageRecordId {
    pub fn parse(text: &str) -> Result<Self, DamageIdError> {
        let input = text.trim();
        if input.is_empty() {
            return Err(DamageIdError::Empty);
        }
        if input.chars().count() > MAX_LEN {
            return Err(DamageIdError::TooLong(input.to_owned()));
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-';
        if !input.chars().all(allowed) || input.starts_with('-') {
            return Err(DamageIdError::Characters(input.to_owned()));
        }
        Ok(Self(input.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DamageRecordId {
    type Error = DamageIdError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<DamageRecordId> for String {
    fn from(id: DamageRecordId) -> Self {
        id.0
    }
}

impl fmt::Display for DamageRecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_ids_are_trimmed_and_checked() {
        assert_eq!(
            DamageRecordId::parse(" RDDP-2023-004512 ")
                .unwrap()
                .as_str(),
            "RDDP-2023-004512"
        );
        assert_eq!(DamageRecordId::parse("  "), Err(DamageIdError::Empty));
        assert!(matches!(
            DamageRecordId::parse("RDDP 2023/4512"),
            Err(DamageIdError::Characters(_))
        ));
        assert!(matches!(
            DamageRecordId::parse(&"A".repeat(65)),
            Err(DamageIdError::TooLong(_))
        ));
    }
}
