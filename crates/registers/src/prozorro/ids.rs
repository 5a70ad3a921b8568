//! The identifiers a person types to link a Prozorro procurement to a project: the public
//! tender id (`UA-2024-05-23-000123-a`), the register's internal id (32 hexadecimal
//! characters) and the contract id (`UA-2024-05-23-000123-a-a1`). Each parses into its own
//! type, so the rest of the connector never handles an unchecked string, and a wrong entry
//! gets a message that says what is wrong with it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The prefix Prozorro registered for its OCDS publications; an OCID is this plus the tender id.
pub const OCID_PREFIX: &str = "ocds-be6bcu-";

/// A public tender id: `UA-`, the day the tender was created, a six-digit number of the day
/// and a letter, with `.2` for the second stage of a competitive dialogue.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TenderId(String);

/// The register's internal id of a tender, a contract or a plan: 32 lower-case hex digits.
/// The API's paths (`/tenders/{id}`, `/contracts/{id}`) take this id, not the public one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProzorroId(String);

/// A public contract id: the tender id, `-a` and the number of the contract in the tender.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ContractId {
    text: String,
    tender: TenderId,
}

/// What a person may type to link a procurement: any of the three ids.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ProzorroReference {
    Tender(TenderId),
    Internal(ProzorroId),
    Contract(ContractId),
}

/// Why a text is not a Prozorro id. Every message quotes the text and names the part that
/// is wrong, because it is shown to the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error(
        "nothing was entered; expected a Prozorro tender id such as UA-2024-05-23-000123-a, \
         an internal id of 32 hexadecimal characters, or a contract id such as \
         UA-2024-05-23-000123-a-a1"
    )]
    Empty,
    #[error(
        "{0:?} is not a Prozorro id; expected a tender id such as UA-2024-05-23-000123-a, \
         an internal id of 32 hexadecimal characters, or a contract id such as \
         UA-2024-05-23-000123-a-a1"
    )]
    Unrecognised(String),
    #[error("{input:?} has no such day as {date}; a tender id carries the day it was created")]
    ImpossibleDate { input: String, date: String },
    #[error("{input:?}: after the date a tender id has a six-digit number, got {number:?}")]
    Number { input: String, number: String },
    #[error("{input:?}: a tender id ends in one lower-case letter such as -a, got {suffix:?}")]
    Suffix { input: String, suffix: String },
    #[error(
        "{input:?} has {length} characters; an internal id has exactly 32 hexadecimal characters"
    )]
    InternalLength { input: String, length: usize },
    #[error("{input:?}: a contract id ends in -a and the contract's number, such as -a1")]
    ContractNumber { input: String },
    #[error("{0:?} is a plan id; link the tender that the plan led to instead")]
    PlanId(String),
}

impl TenderId {
    /// Checks the shape of a tender id, the day in it and its suffix.
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let input = text.trim();
        if input.starts_with("UA-P-") {
            return Err(IdError::PlanId(input.to_owned()));
        }
        let rest = input
            .strip_prefix("UA-")
            .ok_or_else(|| IdError::Unrecognised(input.to_owned()))?;
        let parts: Vec<&str> = rest.split('-').collect();
        let [year, month, day, number, suffix] = parts[..] else {
            return Err(IdError::Unrecognised(input.to_owned()));
        };

        check_day(input, year, month, day)?;
        if number.len() != 6 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::Number {
                input: input.to_owned(),
                number: number.to_owned(),
            });
        }
        // The second stage of a competitive dialogue is the first stage's id with ".2".
        let letter = suffix.strip_suffix(".2").unwrap_or(suffix);
        if letter.len() != 1 || !letter.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(IdError::Suffix {
                input: input.to_owned(),
                suffix: suffix.to_owned(),
            });
        }
        Ok(Self(input.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The OCDS id under which Prozorro publishes this tender: `ocds-be6bcu-UA-…`.
    pub fn ocid(&self) -> String {
        format!("{OCID_PREFIX}{}", self.0)
    }

    /// Whether this is the second stage of a competitive dialogue.
    pub fn is_second_stage(&self) -> bool {
        self.0.ends_with(".2")
    }
}

fn check_day(input: &str, year: &str, month: &str, day: &str) -> Result<(), IdError> {
    let impossible = || IdError::ImpossibleDate {
        input: input.to_owned(),
        date: format!("{year}-{month}-{day}"),
    };
    let all_digits = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(year, 4) && all_digits(month, 2) && all_digits(day, 2)) {
        return Err(IdError::Unrecognised(input.to_owned()));
    }
    let year: i32 = year.parse().map_err(|_| impossible())?;
    let month: u8 = month.parse().map_err(|_| impossible())?;
    let day: u8 = day.parse().map_err(|_| impossible())?;
    let month = time::Month::try_from(month).map_err(|_| impossible())?;
    time::Date::from_calendar_date(year, month, day).map_err(|_| impossible())?;
    Ok(())
}

impl ProzorroId {
    /// Accepts 32 hex digits in either case and keeps them in lower case, as the API writes them.
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let input = text.trim();
        if !input.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(IdError::Unrecognised(input.to_owned()));
        }
        if input.len() != 32 {
            return Err(IdError::InternalLength {
                input: input.to_owned(),
                length: input.len(),
            });
        }
        Ok(Self(input.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl ContractId {
    /// Checks a contract id and the tender id it starts with.
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let input = text.trim();
        let (tender, number) = input
            .rsplit_once("-a")
            .filter(|(tender, _)| tender.matches('-').count() >= 4)
            .ok_or_else(|| IdError::Unrecognised(input.to_owned()))?;
        let number_ok = !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit())
            && !number.starts_with('0');
        if !number_ok {
            return Err(IdError::ContractNumber {
                input: input.to_owned(),
            });
        }
        Ok(Self {
            text: input.to_owned(),
            tender: TenderId::parse(tender)?,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The tender this contract was awarded in.
    pub fn tender_id(&self) -> &TenderId {
        &self.tender
    }
}

impl ProzorroReference {
    /// Reads what a person typed or pasted, including a link to a tender on prozorro.gov.ua,
    /// whose last path segment is the id.
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let trimmed = text.trim().trim_end_matches('/');
        if trimmed.is_empty() {
            return Err(IdError::Empty);
        }
        let input = match trimmed.rsplit_once('/') {
            Some((_, last)) if trimmed.contains("://") => last,
            _ => trimmed,
        };

        if input.bytes().all(|b| b.is_ascii_hexdigit()) {
            return ProzorroId::parse(input).map(Self::Internal);
        }
        if input.starts_with("UA-P-") {
            return Err(IdError::PlanId(input.to_owned()));
        }
        if !input.starts_with("UA-") {
            return Err(IdError::Unrecognised(input.to_owned()));
        }
        // A contract id has six hyphen-separated parts after "UA"; a tender id has five.
        if input.split('-').count() >= 7 {
            ContractId::parse(input).map(Self::Contract)
        } else {
            TenderId::parse(input).map(Self::Tender)
        }
    }

    /// The public tender id this reference names, when it names one without asking the register.
    pub fn tender_id(&self) -> Option<&TenderId> {
        match self {
            Self::Tender(id) => Some(id),
            Self::Contract(id) => Some(id.tender_id()),
            Self::Internal(_) => None,
        }
    }
}

impl FromStr for ProzorroReference {
    type Err = IdError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

macro_rules! string_forms {
    ($name:ident, $field:tt) => {
        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(text: String) -> Result<Self, Self::Error> {
                Self::parse(&text)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.$field
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.$field)
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::parse(text)
            }
        }
    };
}

string_forms!(TenderId, 0);
string_forms!(ProzorroId, 0);
string_forms!(ContractId, text);

impl fmt::Display for ProzorroReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Tender(id) => id.fmt(f),
            Self::Internal(id) => id.fmt(f),
            Self::Contract(id) => id.fmt(f),
        }
    }
}
