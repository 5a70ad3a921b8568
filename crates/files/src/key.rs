//! Keys name stored files: strings of `/`-separated segments such as
//! `open-data/2026-12-03T10-00-00.000000Z/dream-projects.csv`. They are never filesystem
//! paths, so a key cannot climb out of the store or point at an absolute path on the server.

use std::fmt;

use crate::FileError;

/// The name of a stored file, checked once when it is made.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key(String);

impl Key {
    /// Checks `key`: one or more non-empty segments separated by `/`, none of them `.` or
    /// `..`, without a leading `/`, a backslash or a control character.
    pub fn new(key: impl Into<String>) -> Result<Self, FileError> {
        let key = key.into();
        match problem(&key) {
            Some(reason) => Err(FileError::InvalidKey { key, reason }),
            None => Ok(Key(key)),
        }
    }

    /// The key followed by `/` and `segment`, checked as a whole.
    pub fn join(&self, segment: &str) -> Result<Self, FileError> {
        Key::new(format!("{}/{segment}", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What is wrong with `key`, if anything.
fn problem(key: &str) -> Option<&'static str> {
    if key.is_empty() {
        return Some("a key cannot be empty");
    }
    if key.starts_with('/') {
        return Some("a key cannot start with `/`");
    }
    if key.contains('\\') {
        return Some("a key cannot contain `\\`");
    }
    if key.chars().any(char::is_control) {
        return Some("a key cannot contain control characters");
    }
    key.split('/').find_map(|segment| match segment {
        "" => Some("a key cannot have an empty segment (`//` or a trailing `/`)"),
        "." | ".." => Some("a key cannot have a `.` or `..` segment"),
        _ => None,
    })
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<&str> for Key {
    type Error = FileError;

    fn try_from(key: &str) -> Result<Self, FileError> {
        Key::new(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejected(key: &str) -> String {
        match Key::new(key) {
            Err(FileError::InvalidKey { reason, .. }) => reason.to_owned(),
            other => panic!("{key:?} was not rejected: {other:?}"),
        }
    }

    #[test]
    fn keys_of_plain_segments_are_accepted() {
        for key in [
            "manifest.json",
            "open-data/manifest.json",
            "open-data/2026-12-03T10-00-00.000000Z/dream-projects.csv",
            "open-data/.hidden",
            "документи/проєкт.pdf",
        ] {
            assert_eq!(Key::new(key).unwrap().as_str(), key);
        }
    }

    #[test]
    fn a_key_cannot_climb_out_of_the_store() {
        assert!(rejected("..").contains(".."));
        assert!(rejected("open-data/../secrets").contains(".."));
        assert!(rejected("open-data/./manifest.json").contains(".."));
        assert!(rejected("open-data\\..\\secrets").contains('\\'));
    }

    #[test]
    fn a_key_is_not_an_absolute_path() {
        assert!(rejected("/etc/passwd").contains("start with `/`"));
    }

    #[test]
    fn a_key_has_no_empty_segments() {
        assert!(rejected("").contains("empty"));
        assert!(rejected("open-data//manifest.json").contains("empty segment"));
        assert!(rejected("open-data/").contains("empty segment"));
    }

    #[test]
    fn a_key_has_no_control_characters() {
        assert!(rejected("open-data/a\nb").contains("control"));
    }

    #[test]
    fn the_error_names_the_key() {
        let error = Key::new("open-data/../x").unwrap_err().to_string();
        assert!(error.contains("open-data/../x"), "{error}");
    }

    #[test]
    fn joining_checks_the_new_segment() {
        let prefix = Key::new("open-data").unwrap();
        assert_eq!(prefix.join("a.csv").unwrap().as_str(), "open-data/a.csv");
        assert!(prefix.join("..").is_err());
        assert!(prefix.join("").is_err());
    }
}
