//! Organisations: hromadas, enterprises, administrations, ministries, donors and suppliers,
//! each identified by its EDRPOU code.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::codelist::OrganisationKind;
use crate::codes::{Edrpou, Katottg};
use crate::text::Text;
use crate::validation::FieldErrors;

/// A stored organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organisation {
    pub id: Edrpou,
    #[serde(with = "crate::timestamp")]
    pub updated: OffsetDateTime,
    #[serde(flatten)]
    pub content: OrganisationContent,
}

/// What is written about an organisation; its EDRPOU code is its id and never changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrganisationContent {
    pub name: Text,
    pub kind: OrganisationKind,
    /// Where the organisation is registered, or the territory a public body serves.
    pub territory: Katottg,
}

impl OrganisationContent {
    pub fn check(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        self.name.check("name", 500, &mut errors);
        errors
    }
}
