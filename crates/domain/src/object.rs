//! The functional object (asset) a project works on: a school, a bridge, a water plant. It
//! outlives any one project, so it has its own id, status, holder and history.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::codelist::ObjectStatus;
use crate::codes::Edrpou;
use crate::ids::ObjectId;
use crate::project::Location;
use crate::text::Text;
use crate::validation::FieldErrors;

/// A stored object with the fields the service keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Object {
    pub id: ObjectId,
    #[serde(with = "crate::timestamp")]
    pub date: OffsetDateTime,
    #[serde(with = "crate::timestamp")]
    pub updated: OffsetDateTime,
    #[serde(flatten)]
    pub content: ObjectContent,
}

/// What the holder of an object writes about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ObjectContent {
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    pub status: ObjectStatus,
    /// The COFOG function of the object, such as `09.1` for pre-primary and primary
    /// education.
    pub classification: Classification,
    /// The balance holder: the organisation that owns and maintains the object.
    pub holder: Edrpou,
    pub locations: Vec<Location>,
    /// The id of the object's record in the Register of Damaged and Destroyed Property.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub damage_record_id: Option<String>,
}

/// A code in a classification scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Classification {
    pub scheme: String,
    pub id: String,
}

impl ObjectContent {
    /// Lists every value that breaks a rule.
    pub fn check(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        self.title.check("title", 300, &mut errors);
        if let Some(description) = &self.description {
            description.check("description", 20_000, &mut errors);
        }
        if self.classification.scheme != "COFOG" {
            errors.add("classification.scheme", "objects are classified by COFOG");
        }
        let cofog = &self.classification.id;
        let cofog_ok = cofog.len() >= 2
            && cofog
                .split('.')
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
        if !cofog_ok {
            errors.add(
                "classification.id",
                format!("{cofog:?} is not a COFOG code such as 09.1"),
            );
        }
        if self.locations.is_empty() {
            errors.add("locations", "an object needs at least one location");
        }
        if let Some(record) = &self.damage_record_id
            && record.trim().is_empty()
        {
            errors.add("damageRecordId", "leave it out rather than empty");
        }
        errors
    }
}
