//! Text in Ukrainian and English. Ukrainian is required, because every project is entered by
//! a Ukrainian body; English is added when the initiator or a translator provides it.

use serde::{Deserialize, Serialize};

use crate::validation::FieldErrors;

/// A text in both languages of DREAM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub uk: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl Text {
    pub fn new(uk: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            uk: uk.into(),
            en: Some(en.into()),
        }
    }

    /// The text in `lang` ("uk" or "en"), falling back to Ukrainian.
    pub fn in_lang(&self, lang: &str) -> &str {
        match (lang, &self.en) {
            ("en", Some(en)) if !en.trim().is_empty() => en,
            _ => &self.uk,
        }
    }

    /// Checks that the Ukrainian text is present and that neither language is too long.
    pub fn check(&self, field: &str, max_chars: usize, errors: &mut FieldErrors) {
        if self.uk.trim().is_empty() {
            errors.add(format!("{field}.uk"), "the Ukrainian text is required");
        }
        for (lang, text) in [("uk", Some(&self.uk)), ("en", self.en.as_ref())] {
            if let Some(text) = text {
                let chars = text.chars().count();
                if chars > max_chars {
                    errors.add(
                        format!("{field}.{lang}"),
                        format!("at most {max_chars} characters, got {chars}"),
                    );
                }
            }
        }
    }
}
