//! Where a register's value meets a value in DREAM, one rule for every register: a value a
//! person entered is never overwritten by a register. The register writes a field only when
//! the record holds nothing there or holds what the register itself wrote last; otherwise a
//! disagreement becomes a conflict in the store, which a person resolves by keeping their
//! value or taking the register's ([`resolve`]).
//!
//! Who wrote a value last is read from the record's revisions, so the rule needs no state of
//! its own and holds for values written before the connector existed.

use dream_domain::project::ContractingProcess;
use dream_domain::revision::Revision;
use dream_domain::{Edrpou, ObjectId, ProjectId};
use dream_store::register_data::{RegisterConflict, Resolution};
use dream_store::revisions::Change;
use dream_store::{Store, StoreError};
use serde_json::json;

/// What to do with one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The values agree; nothing is written, and an open conflict on the field is closed.
    Agree,
    /// The register's value is written, as a revision authored by the register.
    Write,
    /// A person entered the value and the register says otherwise.
    Conflict,
}

/// Decides one field. `register_forms` are the forms of the register's value that count as
/// agreeing (a full and a short legal name, say); the first is the one written.
pub fn verdict(
    ours: Option<&str>,
    register_forms: &[&str],
    last_author: Option<&str>,
    register_author: &str,
) -> Verdict {
    let Some(ours) = ours.filter(|text| !text.trim().is_empty()) else {
        return Verdict::Write;
    };
    if register_forms.iter().any(|form| same_text(ours, form)) {
        return Verdict::Agree;
    }
    if last_author == Some(register_author) {
        Verdict::Write
    } else {
        Verdict::Conflict
    }
}

/// The author of the latest revision that wrote the value at the JSON pointer `pointer`
/// (or a value around it, such as the whole record at its creation).
pub fn last_author<'a>(history: &'a [Revision], pointer: &str) -> Option<&'a str> {
    history.iter().rev().find_map(|revision| {
        let operations = revision.patch.as_array()?;
        operations
            .iter()
            .filter_map(|operation| operation.get("path")?.as_str())
            .any(|path| touches(path, pointer))
            .then_some(revision.author.as_str())
    })
}

fn touches(path: &str, pointer: &str) -> bool {
    path == pointer
        || path.is_empty()
        || pointer
            .strip_prefix(path)
            .is_some_and(|rest| rest.starts_with('/'))
        || path
            .strip_prefix(pointer)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Whether two texts say the same once case, spacing, quotation marks and apostrophes are
/// set aside: registers write legal names in capitals and with their own quotation marks.
pub fn same_text(a: &str, b: &str) -> bool {
    normalise(a) == normalise(b)
}

fn normalise(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| match c {
            '«' | '»' | '“' | '”' | '„' | '″' => '"',
            '’' | 'ʼ' | '`' | '‘' => '\'',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The kind of record a register's conflicts are about.
fn entity_of(register: &str) -> Option<&'static str> {
    match register {
        "edr" => Some("organisation"),
        "rddp" => Some("object"),
        "prozorro" => Some("project"),
        _ => None,
    }
}

/// Writes `value` at `field` of the record a register's conflict or sync is about.
pub async fn write_field(
    store: &Store,
    register: &str,
    record_key: &str,
    field: &str,
    value: &str,
    change: &Change,
) -> Result<(), StoreError> {
    let patch = json!([{"op": "add", "path": field, "value": value}]);
    let unknown = || StoreError::NotFound {
        entity: entity_of(register).unwrap_or("record"),
        id: record_key.to_owned(),
    };
    match entity_of(register) {
        Some("organisation") => {
            let code = Edrpou::parse(record_key).map_err(|_| unknown())?;
            store
                .patch_organisation(&code, &patch, None, change)
                .await?;
        }
        Some("object") => {
            let id: ObjectId = serde_json::from_value(json!(record_key)).map_err(|_| unknown())?;
            store.patch_object(&id, &patch, None, change).await?;
        }
        Some("project") => {
            let id = ProjectId::parse(record_key).map_err(|_| unknown())?;
            write_process(store, &id, value, change).await?;
        }
        _ => return Err(unknown()),
    }
    Ok(())
}

/// Puts a register's contracting process (`value`, as JSON) into a project in place of the
/// process of the same tender, or beside the others when it has none.
async fn write_process(
    store: &Store,
    id: &ProjectId,
    value: &str,
    change: &Change,
) -> Result<(), StoreError> {
    let process: ContractingProcess = serde_json::from_str(value)
        .map_err(|e| StoreError::Corrupt(format!("a conflict's process: {e}")))?;
    let (project, revision) = store.project(id).await?;
    let mut processes = project.content.contracting_processes;
    match processes
        .iter_mut()
        .find(|p| p.tender_id == process.tender_id)
    {
        Some(existing) => *existing = process,
        None => processes.push(process),
    }
    let patch = json!([{"op": "replace", "path": "/contractingProcesses", "value": processes}]);
    store
        .patch_project(id, &patch, Some(revision), change)
        .await?;
    Ok(())
}

/// What a person chose for a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Keep the value in DREAM; the register is not asked about this value again.
    Keep,
    /// Take the register's value, as a revision by the person who chose it.
    Take,
}

/// Resolves an open conflict as `who` chose, and returns it.
pub async fn resolve(
    store: &Store,
    id: &str,
    choice: Choice,
    who: &str,
) -> Result<RegisterConflict, StoreError> {
    let conflict = store.open_conflict(id).await?;
    let resolution = match choice {
        Choice::Keep => Resolution::Kept,
        Choice::Take => {
            let change = Change {
                author: who.to_owned(),
                reason: format!(
                    "took {} from the {} register (conflict {id})",
                    conflict.field,
                    conflict.register.to_uppercase()
                ),
            };
            write_field(
                store,
                &conflict.register,
                &conflict.record_key,
                &conflict.field,
                &conflict.register_value,
                &change,
            )
            .await?;
            Resolution::Taken
        }
    };
    store
        .close_conflict(
            &conflict.register,
            &conflict.record_key,
            &conflict.field,
            resolution,
            who,
        )
        .await?;
    Ok(conflict)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use time::OffsetDateTime;

    fn revision(number: u32, author: &str, patch: Value) -> Revision {
        Revision {
            number,
            author: author.into(),
            reason: "test".into(),
            date: OffsetDateTime::UNIX_EPOCH,
            patch,
        }
    }

    #[test]
    fn the_last_writer_of_a_field_is_found_through_parents_and_creation() {
        let history = vec![
            revision(
                1,
                "Олена",
                json!([{"op": "replace", "path": "", "value": {}}]),
            ),
            revision(
                2,
                "EDR (sync)",
                json!([{"op": "add", "path": "/name/en", "value": "x"}]),
            ),
            revision(
                3,
                "Петро",
                json!([{"op": "replace", "path": "/kind", "value": "x"}]),
            ),
        ];
        assert_eq!(last_author(&history, "/name/en"), Some("EDR (sync)"));
        assert_eq!(last_author(&history, "/name/uk"), Some("Олена"));
        assert_eq!(last_author(&history[..0], "/name/uk"), None);
    }

    #[test]
    fn a_person_s_value_is_never_overwritten() {
        let register = "EDR (sync)";
        let forms = ["ХАРКІВСЬКА МІСЬКА РАДА"];
        assert_eq!(
            verdict(
                Some("Харківська  міська рада"),
                &forms,
                Some("Олена"),
                register
            ),
            Verdict::Agree
        );
        assert_eq!(
            verdict(Some("Харківська рада"), &forms, Some("Олена"), register),
            Verdict::Conflict
        );
        assert_eq!(
            verdict(Some("Харківська рада"), &forms, Some(register), register),
            Verdict::Write
        );
        assert_eq!(verdict(None, &forms, None, register), Verdict::Write);
    }

    #[test]
    fn quotation_marks_and_apostrophes_do_not_make_a_difference() {
        assert!(same_text("КП «Харківводоканал»", "кп \"ХАРКІВВОДОКАНАЛ\""));
        assert!(same_text("Кам’янське", "Кам'янське"));
        assert!(!same_text("Кам’янське", "Каменське"));
    }
}
