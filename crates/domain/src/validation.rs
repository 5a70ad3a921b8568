//! Field errors: the list of everything wrong with one input, each entry naming its field
//! by a JSON path such as `approaches[0].budget[2].amount`, so a form or a client can point
//! at the exact value to correct.

use serde::Serialize;

/// One wrong value in an input document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The path of the value, in the document's own field names.
    pub field: String,
    /// What is wrong, in words a person can act on.
    pub message: String,
}

/// Every wrong value found in one input; empty means the input is acceptable.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that `field` holds a wrong value.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    /// Turns the collected errors into a result: `Ok` when there are none.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl From<FieldError> for FieldErrors {
    fn from(error: FieldError) -> Self {
        Self(vec![error])
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for FieldErrors {}

/// Reads a typed document from JSON, naming the path of the first value that does not fit
/// (an unknown field, a code outside its list, a malformed EDRPOU) as a field error.
pub fn from_json<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, FieldErrors> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let field = if path == "." { String::new() } else { path };
        let message = error.into_inner().to_string();
        FieldError { field, message }.into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Sample {
        items: Vec<Inner>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        code: crate::Edrpou,
    }

    #[test]
    fn a_wrong_nested_value_is_named_by_its_path() {
        let value = serde_json::json!({"items": [{"code": "00013480"}, {"code": "123"}]});
        let errors = from_json::<Sample>(value).unwrap_err();
        let error = errors.iter().next().unwrap();
        assert_eq!(error.field, "items[1].code");
        assert!(
            error.message.contains("exactly 8 digits"),
            "{}",
            error.message
        );
    }
}
