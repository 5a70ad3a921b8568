//! Revisions: every change to a project, object or organisation is kept as an RFC 6902 JSON
//! Patch from the previous state, with its author, time and reason. Replaying the patches
//! from the first gives back any past state exactly.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

/// One immutable change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Revision {
    /// 1 for the creation, then one more for each change.
    pub number: u32,
    pub author: String,
    pub reason: String,
    #[serde(with = "crate::timestamp")]
    pub date: OffsetDateTime,
    /// The RFC 6902 operations that turn the previous state into this one.
    pub patch: Value,
}

/// A stored patch that cannot be replayed: the history is damaged.
#[derive(Debug, thiserror::Error)]
#[error("revision {number} cannot be replayed: {reason}")]
pub struct ReplayError {
    pub number: u32,
    pub reason: String,
}

/// The operations that turn `before` into `after`; the first revision starts from `null`.
pub fn diff(before: &Value, after: &Value) -> Value {
    serde_json::to_value(json_patch::diff(before, after)).unwrap_or(Value::Array(Vec::new()))
}

/// Replays the revisions in order from `null` and returns the state after the last one.
pub fn replay<'a>(revisions: impl IntoIterator<Item = &'a Revision>) -> Result<Value, ReplayError> {
    let mut state = Value::Null;
    for revision in revisions {
        let error = |reason: String| ReplayError {
            number: revision.number,
            reason,
        };
        let patch: json_patch::Patch =
            serde_json::from_value(revision.patch.clone()).map_err(|e| error(e.to_string()))?;
        json_patch::patch(&mut state, &patch).map_err(|e| error(e.to_string()))?;
    }
    Ok(state)
}

/// Applies a client's JSON Patch to a document, returning the new document.
pub fn apply(document: &Value, patch: &Value) -> Result<Value, String> {
    let patch: json_patch::Patch = serde_json::from_value(patch.clone())
        .map_err(|e| format!("not an RFC 6902 JSON Patch: {e}"))?;
    let mut next = document.clone();
    json_patch::patch(&mut next, &patch).map_err(|e| e.to_string())?;
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn revision(number: u32, before: &Value, after: &Value) -> Revision {
        Revision {
            number,
            author: "test".into(),
            reason: "test".into(),
            date: OffsetDateTime::UNIX_EPOCH,
            patch: diff(before, after),
        }
    }

    #[test]
    fn replaying_every_revision_gives_back_each_past_state() {
        let states = [
            json!({"title": {"uk": "Школа"}, "budget": [1, 2]}),
            json!({"title": {"uk": "Школа №3"}, "budget": [1, 2, 3]}),
            json!({"title": {"uk": "Школа №3", "en": "School 3"}, "budget": [3]}),
        ];
        let mut history = Vec::new();
        let mut before = Value::Null;
        for (index, state) in states.iter().enumerate() {
            history.push(revision(index as u32 + 1, &before, state));
            before = state.clone();
        }
        for (index, state) in states.iter().enumerate() {
            assert_eq!(&replay(&history[..=index]).unwrap(), state);
        }
    }

    #[test]
    fn a_patch_that_does_not_apply_is_an_error_and_changes_nothing() {
        let document = json!({"a": 1});
        let patch = json!([{"op": "remove", "path": "/b"}]);
        assert!(apply(&document, &patch).is_err());
        assert_eq!(document, json!({"a": 1}));
    }
}
