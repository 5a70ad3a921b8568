//! Reading a register's JSON body into the private structs of a mapping module, for the EDR,
//! RDDP and treasury connectors: a body that is not what the register documents gives a
//! [`BodyError`] naming the JSON path at fault, never a panic, and a body cut short is
//! reported as broken JSON rather than as a missing field.

use reqwest::Url;
use serde::de::DeserializeOwned;

use crate::http::RegisterError;

/// Why a body could not be read as what it should be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    /// The body is not JSON at all (cut off, HTML from a proxy, …).
    #[error("the body is not valid JSON: {0}")]
    Syntax(String),
    /// The JSON lacks a field the register always gives, or a field has the wrong type or
    /// value.
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

impl BodyError {
    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            path: path.into(),
            message: message.into(),
        }
    }

    /// The same fault as the error of a request to `url`.
    pub fn at(self, url: &Url) -> RegisterError {
        let url = url.to_string();
        match self {
            BodyError::Syntax(reason) => RegisterError::MalformedJson { url, reason },
            BodyError::Invalid { path, message } => RegisterError::Invalid { url, path, message },
        }
    }
}

/// Reads a body, with the JSON path of the first field at fault.
pub fn read<T: DeserializeOwned>(body: &[u8]) -> Result<T, BodyError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let read = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(shape_error)
        .and_then(|value| {
            deserializer
                .end()
                .map_err(|error| BodyError::Syntax(error.to_string()))?;
            Ok(value)
        });
    // A body cut short can fail on a wrong type before the reader reaches the cut, so a
    // shape error is only reported as such when the whole body is valid JSON.
    if let Err(BodyError::Invalid { .. }) = &read
        && let Err(error) = serde_json::from_slice::<serde::de::IgnoredAny>(body)
    {
        return Err(BodyError::Syntax(error.to_string()));
    }
    read
}

fn shape_error(error: serde_path_to_error::Error<serde_json::Error>) -> BodyError {
    let path = error.path().to_string();
    let inner = error.into_inner();
    match inner.classify() {
        serde_json::error::Category::Data => BodyError::invalid(path, inner.to_string()),
        _ => BodyError::Syntax(inner.to_string()),
    }
}

/// A calendar day written as `2023-05-10`, as every register here writes days.
pub fn day(text: &str, path: &str) -> Result<time::Date, BodyError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text.trim(), &format)
        .map_err(|error| BodyError::invalid(path, format!("{text:?} is not a day: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct Shape {
        #[allow(dead_code)]
        code: String,
    }

    #[test]
    fn a_missing_field_names_its_path_and_a_cut_body_is_broken_json() {
        assert!(matches!(
            read::<Shape>(br#"{"name": "x"}"#),
            Err(BodyError::Invalid { .. })
        ));
        assert!(matches!(
            read::<Shape>(br#"{"code": 5, "na"#),
            Err(BodyError::Syntax(_))
        ));
        assert!(matches!(
            read::<Shape>(b"<html>Bad gateway</html>"),
            Err(BodyError::Syntax(_))
        ));
    }

    #[test]
    fn days_are_read_in_the_registers_form() {
        assert_eq!(
            day("2023-05-10", "doc_date").unwrap(),
            time::macros::date!(2023 - 05 - 10)
        );
        assert!(day("10.05.2023", "doc_date").is_err());
    }
}
