//! Text in Ukrainian and English. Ukrainian is required, because every project is entered by
//! a Ukrainian body; English is added when the initiator or a translator provides it.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

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

/// Reads a text written either as a plain string, taken as the Ukrainian text, or as
/// `{"uk": …, "en": …}`: for fields that had one language before they had two, so that
/// what was stored then still reads.
pub fn plain_or_both<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
    struct PlainOrBoth;

    impl<'de> Visitor<'de> for PlainOrBoth {
        type Value = Text;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string, or an object with \"uk\" and optionally \"en\"")
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<Text, E> {
            Ok(Text {
                uk: value.to_owned(),
                en: None,
            })
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Text, A::Error> {
            Text::deserialize(de::value::MapAccessDeserializer::new(map))
        }
    }

    deserializer.deserialize_any(PlainOrBoth)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Titled {
        #[serde(deserialize_with = "plain_or_both")]
        title: Text,
    }

    fn title(json: &str) -> Result<Text, String> {
        serde_json::from_str::<Titled>(json)
            .map(|titled| titled.title)
            .map_err(|error| error.to_string())
    }

    #[test]
    fn a_plain_string_reads_as_the_ukrainian_text() {
        let read = title(r#"{"title": "Дефектний акт"}"#).unwrap();
        assert_eq!(read.uk, "Дефектний акт");
        assert_eq!(read.en, None);
    }

    #[test]
    fn both_languages_read_as_a_text() {
        let read = title(r#"{"title": {"uk": "Фото", "en": "Photo"}}"#).unwrap();
        assert_eq!(read, Text::new("Фото", "Photo"));
        let wrong = title(r#"{"title": {"uk": "Фото", "de": "Foto"}}"#).unwrap_err();
        assert!(wrong.contains("unknown field `de`"), "{wrong}");
        assert!(title(r#"{"title": 5}"#).is_err());
    }
}
