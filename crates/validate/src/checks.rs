//! The official validator's checks beyond the schema: empty values, amounts without a
//! currency, organisation references missing from the project's parties (its "additional
//! checks"), and project ids without a registered prefix (its "conformance checks").
//!
//! They all read the package as a flat list of leaf paths (`/projects/0/budget/amount/amount`)
//! the way libcoveocds flattens it: objects are opened, array items that are objects are
//! opened, and every other value, or an empty or false one, is a leaf. The list is built one
//! part of the package at a time (a package field, or one project), in document order.

use foldhash::HashSet;
use std::sync::OnceLock;

use regex::Regex;

use crate::json::Json;
use crate::python;

/// How many paths each check keeps; findings past this are counted, not kept.
pub const MAX_PATHS: usize = 100_000;

/// What the checks found so far.
#[derive(Debug, Default)]
pub struct CheckFindings {
    pub empty_values: Listed<String>,
    amounts_without_currency: Vec<AmountWithoutCurrency>,
    amounts_without_currency_count: u64,
    /// The leaf paths of package fields other than `projects`: an `amount` at the top level
    /// has its `currency` in another top-level field, so those are settled at the end.
    package_leaves: HashSet<String>,
    pub missing_parties: Listed<String>,
    pub unprefixed_project_ids: Listed<(String, Json)>,
}

/// A list kept up to [`MAX_PATHS`] items, with the full count.
#[derive(Debug, Clone)]
pub struct Listed<T> {
    pub items: Vec<T>,
    pub count: u64,
}

impl<T> Default for Listed<T> {
    fn default() -> Self {
        Listed {
            items: Vec::new(),
            count: 0,
        }
    }
}

impl<T> Listed<T> {
    fn push(&mut self, item: T) {
        self.count += 1;
        if self.items.len() < MAX_PATHS {
            self.items.push(item);
        }
    }

    /// Whether some items were counted but not kept.
    pub fn truncated(&self) -> bool {
        self.count > self.items.len() as u64
    }
}

#[derive(Debug)]
enum AmountWithoutCurrency {
    Known(String),
    /// A top-level `amount`, reported unless its `currency` turns up later in the package.
    Pending {
        reported: String,
        currency: String,
    },
}

impl CheckFindings {
    /// Checks one field of the package other than the `projects` array.
    pub fn package_field(&mut self, key: &str, value: &Json) {
        let mut leaves = Vec::new();
        flatten_member("", key, value, &mut leaves);
        self.empty_values_in(&leaves);
        for (path, _) in &leaves {
            if let Some(reported) = path.strip_suffix("amount") {
                let currency = format!("{reported}currency");
                let pending = AmountWithoutCurrency::Pending {
                    reported: reported.into(),
                    currency,
                };
                self.amounts_without_currency.push(pending);
            }
        }
        self.package_leaves
            .extend(leaves.into_iter().map(|(path, _)| path));
    }

    /// Checks project number `index` of the `projects` array.
    pub fn project(&mut self, index: usize, project: &Json) {
        let prefix = format!("/projects/{index}");
        let mut leaves = Vec::new();
        match project {
            Json::Object(members) => {
                for (key, value) in members {
                    flatten_member(&prefix, key, value, &mut leaves);
                }
            }
            other => leaves.push((prefix.clone(), other)),
        }
        self.empty_values_in(&leaves);
        self.amounts_in_project(&leaves);
        self.party_references_in(project, &leaves);
        self.project_id_prefix(index, project);
    }

    /// Records an empty `projects` array, which is itself an empty value.
    pub fn empty_projects(&mut self) {
        self.empty_values.push("/projects".into());
    }

    fn empty_values_in(&mut self, leaves: &[(String, &Json)]) {
        for (path, value) in leaves {
            let empty = match value {
                Json::String(text) => python::is_blank(text),
                Json::Array(items) => items.is_empty(),
                Json::Object(members) => members.is_empty(),
                _ => false,
            };
            if empty {
                self.empty_values.push(path.clone());
            }
        }
    }

    /// A leaf path ending in `amount` whose sibling ending in `currency` is not a leaf. As
    /// in the official check the test is on the text of the path, so an empty `amount`
    /// object counts too.
    fn amounts_in_project(&mut self, leaves: &[(String, &Json)]) {
        let paths: foldhash::HashSet<&str> = leaves.iter().map(|(path, _)| path.as_str()).collect();
        for (path, _) in leaves {
            if let Some(reported) = path.strip_suffix("amount")
                && !paths.contains(format!("{reported}currency").as_str())
            {
                self.amounts_without_currency_count += 1;
                if self.amounts_without_currency.len() < MAX_PATHS {
                    let known = AmountWithoutCurrency::Known(reported.into());
                    self.amounts_without_currency.push(known);
                }
            }
        }
    }

    fn party_references_in(&mut self, project: &Json, leaves: &[(String, &Json)]) {
        let mut party_ids: Option<Vec<&Json>> = None;
        for (path, value) in leaves {
            // Most leaves are not ids; the suffix test spares them the regular expression.
            let maybe_id = path.ends_with("/id") || path.ends_with("/id\n");
            if !maybe_id || !python_match(organisation_reference(), path) {
                continue;
            }
            let ids = party_ids.get_or_insert_with(|| parties_of(project));
            if !ids.iter().any(|id| python::loose_eq(id, value)) {
                self.missing_parties.push(path.clone());
            }
        }
    }

    fn project_id_prefix(&mut self, index: usize, project: &Json) {
        let Some(id) = project.as_object().and_then(|members| members.get("id")) else {
            return;
        };
        if let Json::String(text) = id
            && !project_id_pattern().is_match(text)
        {
            self.unprefixed_project_ids
                .push((format!("/projects/{index}/id"), id.clone()));
        }
    }

    /// The paths of amounts without a currency, in document order, and their count.
    pub fn amounts_without_currency(&self) -> (Vec<String>, u64) {
        let mut paths = Vec::new();
        let mut count = self.amounts_without_currency_count;
        for finding in &self.amounts_without_currency {
            match finding {
                AmountWithoutCurrency::Known(path) => paths.push(path.clone()),
                AmountWithoutCurrency::Pending { reported, currency } => {
                    if !self.package_leaves.contains(currency) {
                        paths.push(reported.clone());
                        count += 1;
                    }
                }
            }
        }
        (paths, count)
    }
}

/// The ids of the project's parties that have one; when `parties` is not an array there
/// are none.
fn parties_of(project: &Json) -> Vec<&Json> {
    let parties = project
        .as_object()
        .and_then(|members| members.get("parties"));
    let Some(Json::Array(parties)) = parties else {
        return Vec::new();
    };
    parties
        .iter()
        .filter_map(|party| party.as_object().and_then(|members| members.get("id")))
        .collect()
}

/// Adds the leaves of member `key` of an object at `prefix` to `leaves`.
fn flatten_member<'v>(
    prefix: &str,
    key: &str,
    value: &'v Json,
    leaves: &mut Vec<(String, &'v Json)>,
) {
    let path = format!("{prefix}/{key}");
    match value {
        _ if value.is_falsy() => leaves.push((path, value)),
        Json::Object(members) => {
            for (child_key, child) in members {
                flatten_member(&path, child_key, child, leaves);
            }
        }
        Json::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let item_path = format!("{path}/{index}");
                match item {
                    Json::Object(members) => {
                        for (child_key, child) in members {
                            flatten_member(&item_path, child_key, child, leaves);
                        }
                    }
                    other => leaves.push((item_path, other)),
                }
            }
        }
        _ => leaves.push((path, value)),
    }
}

/// Python's `re.search` with a pattern that ends in `$`, which also matches before one final
/// newline.
fn python_match(pattern: &Regex, text: &str) -> bool {
    pattern.is_match(text)
        || text
            .strip_suffix('\n')
            .is_some_and(|trimmed| pattern.is_match(trimmed))
}

/// The places where OC4IDS refers to an organisation by the `id` of one of the project's
/// parties.
fn organisation_reference() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(concat!(
            r"^/projects/(\d+)/(",
            r"publicAuthority",
            r"|budget/budgetBreakdowns/\d+/budgetBreakdown/\d+/sourceParty",
            r"|contractingProcesses/\d+/summary/(",
            r"tender/(tenderers/\d+|procuringEntity|administrativeEntity)",
            r"|suppliers/\d+",
            r"))/id$"
        ))
        .expect("the organisation reference pattern compiles")
    })
}

/// An OC4IDS project id starts with `oc4ids-`, a six-character registered prefix and at
/// least one more character.
fn project_id_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| Regex::new(r"^oc4ids-[a-z0-9]{6}.").expect("the id pattern compiles"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn leaves_open_objects_and_object_items_only() {
        let value = parse(r#"{"a":{"b":[{"c":1},"d",[]],"e":{}},"f":0}"#).unwrap();
        let mut leaves = Vec::new();
        for (key, member) in value.as_object().unwrap() {
            flatten_member("", key, member, &mut leaves);
        }
        let paths: Vec<&str> = leaves.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(paths, ["/a/b/0/c", "/a/b/1", "/a/b/2", "/a/e", "/f"]);
    }

    #[test]
    fn an_amount_needs_a_currency_beside_it() {
        let mut findings = CheckFindings::default();
        let project = parse(
            r#"{"id":"oc4ids-abcdef-1","budget":{"amount":{"amount":1}},
                "completion":{"finalValue":{"amount":2,"currency":"UAH"}},"x":{"amount":{}}}"#,
        )
        .unwrap();
        findings.project(0, &project);
        let (paths, count) = findings.amounts_without_currency();
        assert_eq!(paths, ["/projects/0/budget/amount/", "/projects/0/x/"]);
        assert_eq!(count, 2);
    }

    #[test]
    fn a_reference_must_match_a_party_id_as_python_compares() {
        let mut findings = CheckFindings::default();
        let project = parse(
            r#"{"parties":[{"id":"1"},{"id":2}],"publicAuthority":{"id":"1"},
                "contractingProcesses":[{"summary":{"suppliers":[{"id":2.0},{"id":"2"}]}}]}"#,
        )
        .unwrap();
        findings.project(3, &project);
        assert_eq!(
            findings.missing_parties.items,
            ["/projects/3/contractingProcesses/0/summary/suppliers/1/id"]
        );
    }

    #[test]
    fn project_ids_need_the_oc4ids_prefix() {
        let mut findings = CheckFindings::default();
        for (index, id) in [
            "oc4ids-ab12cd-1",
            "oc4ids-ab12cd",
            "UA-1",
            "oc4ids-AB12CD-1",
        ]
        .iter()
        .enumerate()
        {
            findings.project(index, &parse(&format!(r#"{{"id":"{id}"}}"#)).unwrap());
        }
        let paths: Vec<&str> = findings
            .unprefixed_project_ids
            .items
            .iter()
            .map(|(path, _)| path.as_str())
            .collect();
        assert_eq!(
            paths,
            ["/projects/1/id", "/projects/2/id", "/projects/3/id"]
        );
    }
}
