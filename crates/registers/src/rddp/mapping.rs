//! Every field of the Register of Damaged and Destroyed Property this connector reads, and
//! what it becomes: a pure function from the body of `GET /records/{id}` to a
//! [`DamageRecord`], with no input or output.
//!
//! The body is `{"data": {…}}` with `id`, `category` (`damaged` or `destroyed`),
//! `damage_date`, `address`, `katottg` and `inspection_act` (`number`, `date`).
//!
//! FIXME: the register (kept in the Unified State Electronic System in Construction) has no
//! published open API, so these names are this connector's assumption, modelled on the
//! register's forms; they must be checked against the interface the register's holder grants.

use serde::{Deserialize, Serialize};

use dream_domain::Katottg;

use crate::json::{self, BodyError};

use super::ids::DamageRecordId;

/// What the register says about the damage to one property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DamageRecord {
    pub id: DamageRecordId,
    pub category: DamageCategory,
    pub damage_date: time::Date,
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub katottg: Option<Katottg>,
    /// The act of the commission that inspected the property; absent until it is drawn up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inspection_act: Option<InspectionAct>,
}

/// Whether the property can be restored or is lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DamageCategory {
    Damaged,
    Destroyed,
}

/// The inspection act's number and date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InspectionAct {
    pub number: String,
    pub date: time::Date,
}

// ---- The fields read from the API, and nothing more. ----

#[derive(Deserialize)]
struct Envelope {
    data: RawRecord,
}

#[derive(Deserialize)]
struct RawRecord {
    id: String,
    category: String,
    damage_date: String,
    address: String,
    katottg: Option<String>,
    inspection_act: Option<RawAct>,
}

#[derive(Deserialize)]
struct RawAct {
    number: String,
    date: String,
}

/// Maps the body of `GET /records/{id}`.
pub fn record_from_json(body: &[u8]) -> Result<DamageRecord, BodyError> {
    let raw: Envelope = json::read(body)?;
    let raw = raw.data;
    let id = DamageRecordId::parse(&raw.id)
        .map_err(|error| BodyError::invalid("data.id", error.to_string()))?;
    let address = raw.address.trim().to_owned();
    if address.is_empty() {
        return Err(BodyError::invalid("data.address", "the address is empty"));
    }
    let katottg = match raw.katottg.filter(|code| !code.trim().is_empty()) {
        Some(code) => Some(
            Katottg::parse(code.trim())
                .map_err(|error| BodyError::invalid("data.katottg", error.to_string()))?,
        ),
        None => None,
    };
    let inspection_act = match raw.inspection_act {
        Some(act) => Some(InspectionAct {
            number: act.number.trim().to_owned(),
            date: json::day(&act.date, "data.inspection_act.date")?,
        }),
        None => None,
    };
    Ok(DamageRecord {
        id,
        category: category(&raw.category)?,
        damage_date: json::day(&raw.damage_date, "data.damage_date")?,
        address,
        katottg,
        inspection_act,
    })
}

/// The register's categories, in English or in the Ukrainian of its forms.
fn category(text: &str) -> Result<DamageCategory, BodyError> {
    match text.trim().to_lowercase().as_str() {
        "damaged" | "пошкоджено" | "пошкоджене" => Ok(DamageCategory::Damaged),
        "destroyed" | "знищено" | "знищене" => Ok(DamageCategory::Destroyed),
        other => Err(BodyError::invalid(
            "data.category",
            format!("unknown category {other:?}; expected damaged or destroyed"),
        )),
    }
}
