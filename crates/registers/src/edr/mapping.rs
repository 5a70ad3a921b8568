//! Every EDR field this connector reads, and what it becomes: pure functions from the bodies
//! of the register's API (NAIS, API 1.0) to [`EdrRecord`], with no input or output.
//!
//! The API answers in two steps: `GET /subjects?code={EDRPOU}` lists the subjects with that
//! code (`id`, `state`, `state_text`, `code`, `name`, `url`), and `GET /subjects/{id}` gives
//! one subject in full. Of the full subject this reads `code`, `state`, `state_text`,
//! `names.name` (the full legal name), `names.short`, `names.name_en`, `address.address`
//! and `registration.date`; nothing else is built.

use serde::{Deserialize, Serialize};

use dream_domain::Edrpou;

use crate::json::{self, BodyError};

/// What the EDR says about one legal entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EdrRecord {
    pub code: Edrpou,
    /// The register's own id of the subject, which the address of its full record takes.
    pub subject_id: u64,
    pub full_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    pub status: EdrStatus,
    /// The status in the register's words, such as "в стані припинення".
    pub status_text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_date: Option<time::Date>,
}

/// Where a legal entity stands in the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EdrStatus {
    Registered,
    BeingTerminated,
    Terminated,
}

impl EdrStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EdrStatus::Registered => "registered",
            EdrStatus::BeingTerminated => "beingTerminated",
            EdrStatus::Terminated => "terminated",
        }
    }
}

/// One line of the list `GET /subjects?code=` gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectRef {
    pub subject_id: u64,
    pub code: String,
    pub status: EdrStatus,
}

// ---- The fields read from the API, and nothing more. ----

#[derive(Deserialize)]
struct RawSubjectRef {
    id: u64,
    state: i64,
    state_text: String,
    code: String,
}

#[derive(Deserialize)]
struct RawSubject {
    id: u64,
    code: String,
    state: i64,
    state_text: String,
    names: RawNames,
    address: Option<RawAddress>,
    registration: Option<RawRegistration>,
}

#[derive(Deserialize)]
struct RawNames {
    name: String,
    short: Option<String>,
    name_en: Option<String>,
}

#[derive(Deserialize)]
struct RawAddress {
    address: Option<String>,
}

#[derive(Deserialize)]
struct RawRegistration {
    date: Option<String>,
}

/// Maps the body of `GET /subjects?code=`: every subject the register lists for the code.
pub fn subjects_from_json(body: &[u8]) -> Result<Vec<SubjectRef>, BodyError> {
    let raw: Vec<RawSubjectRef> = json::read(body)?;
    raw.into_iter()
        .enumerate()
        .map(|(index, subject)| {
            let path = format!("[{index}].state");
            Ok(SubjectRef {
                subject_id: subject.id,
                code: subject.code,
                status: status(subject.state, &subject.state_text, &path)?,
            })
        })
        .collect()
}

/// The subject to read in full among those listed for `code`: the one still registered
/// when the register lists an old terminated entry beside it.
pub fn pick_subject<'a>(subjects: &'a [SubjectRef], code: &Edrpou) -> Option<&'a SubjectRef> {
    let matching: Vec<&SubjectRef> = subjects
        .iter()
        .filter(|s| s.code == code.as_str())
        .collect();
    matching
        .iter()
        .find(|s| s.status != EdrStatus::Terminated)
        .or(matching.first())
        .copied()
}

/// Maps the body of `GET /subjects/{id}`.
pub fn subject_from_json(body: &[u8]) -> Result<EdrRecord, BodyError> {
    let raw: RawSubject = json::read(body)?;
    let code = Edrpou::parse(raw.code.trim())
        .map_err(|error| BodyError::invalid("code", error.to_string()))?;
    let full_name = raw.names.name.trim().to_owned();
    if full_name.is_empty() {
        return Err(BodyError::invalid("names.name", "the legal name is empty"));
    }
    let registration_date = match raw.registration.and_then(|r| r.date) {
        Some(date) => Some(json::day(&date, "registration.date")?),
        None => None,
    };
    Ok(EdrRecord {
        code,
        subject_id: raw.id,
        full_name,
        short_name: present(raw.names.short),
        name_en: present(raw.names.name_en),
        address: present(raw.address.and_then(|a| a.address)),
        status: status(raw.state, &raw.state_text, "state")?,
        status_text: raw.state_text,
        registration_date,
    })
}

/// A text the register may leave empty, null or out.
fn present(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// The register's state codes 1, 2 and 3 as documented; a code this connector does not
/// know is read by its wording, so that a new code with a familiar meaning still maps.
fn status(state: i64, text: &str, path: &str) -> Result<EdrStatus, BodyError> {
    let lower = text.to_lowercase();
    match state {
        1 => Ok(EdrStatus::Registered),
        2 => Ok(EdrStatus::BeingTerminated),
        3 => Ok(EdrStatus::Terminated),
        _ if lower.contains("в стані припинення") || lower.contains("банкрут") => {
            Ok(EdrStatus::BeingTerminated)
        }
        _ if lower.contains("припинено") || lower.contains("скасовано") => {
            Ok(EdrStatus::Terminated)
        }
        _ if lower.contains("зареєстровано") => Ok(EdrStatus::Registered),
        _ => Err(BodyError::invalid(
            path,
            format!("unknown state {state} ({text:?})"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_map_by_code_and_unknown_codes_by_their_wording() {
        assert_eq!(
            status(1, "зареєстровано", "state"),
            Ok(EdrStatus::Registered)
        );
        assert_eq!(
            status(2, "в стані припинення", "state"),
            Ok(EdrStatus::BeingTerminated)
        );
        assert_eq!(status(3, "припинено", "state"), Ok(EdrStatus::Terminated));
        assert_eq!(
            status(4, "порушено справу про банкрутство", "state"),
            Ok(EdrStatus::BeingTerminated)
        );
        assert_eq!(status(-1, "скасовано", "state"), Ok(EdrStatus::Terminated));
        assert!(status(9, "щось нове", "state").is_err());
    }
}
