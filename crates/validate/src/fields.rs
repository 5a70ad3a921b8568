//! Fields the schema does not describe ("additional fields"), and items of id-bearing arrays
//! that have no `id` (the official validator's "structure warnings").
//!
//! Fields are named by their path without array indexes (`/projects/budget/amount`). The
//! official validator counts every occurrence, keeps up to three examples that are not
//! arrays or objects, and nests a field under the first earlier additional field whose path
//! its own path starts with (as text, so `/projects/ab` nests under `/projects/a`).

use foldhash::HashSet;

use indexmap::IndexMap;

use crate::json::Json;

/// How many field paths are kept; a package with more distinct fields than this is not one
/// anybody would publish.
pub const MAX_FIELDS: usize = 100_000;

/// How many paths of items without an `id` are kept.
pub const MAX_MISSING_IDS: usize = 100_000;

/// Every field met so far, in the order first met.
#[derive(Debug, Default)]
pub struct FieldsPresent {
    fields: IndexMap<String, FieldUse, foldhash::fast::RandomState>,
}

/// How often one field occurs, and up to three of its values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldUse {
    pub count: u64,
    pub examples: Vec<Json>,
}

/// A field the schema does not describe.
#[derive(Debug, Clone, PartialEq)]
pub struct AdditionalField {
    pub path: String,
    pub usage: FieldUse,
    /// The index, in the same list, of the additional field this one is inside; none for a
    /// field that is inside no other ("root" in the official report).
    pub inside: Option<usize>,
}

impl FieldsPresent {
    /// Records a field of the package other than `projects`, and all fields inside it.
    pub fn package_field(&mut self, key: &str, value: &Json) {
        let mut path = format!("/{key}");
        self.record(&path, value);
        self.inside(&mut path, value);
    }

    /// Records the `projects` field itself, before its items stream past.
    pub fn projects_field(&mut self) {
        self.record("/projects", &Json::Array(Vec::new()));
    }

    /// Records the fields of one project.
    pub fn project(&mut self, project: &Json) {
        if let Json::Object(_) = project {
            self.inside(&mut String::from("/projects"), project);
        }
    }

    fn record(&mut self, path: &str, value: &Json) {
        if !self.fields.contains_key(path) {
            if self.fields.len() >= MAX_FIELDS {
                return;
            }
            self.fields.insert(path.to_owned(), FieldUse::default());
        }
        let Some(usage) = self.fields.get_mut(path) else {
            return;
        };
        usage.count += 1;
        if usage.examples.len() < 3 && !value.is_container() {
            usage.examples.push(value.clone());
        }
    }

    fn inside(&mut self, path: &mut String, value: &Json) {
        match value {
            Json::Object(members) => {
                for (key, member) in members {
                    let length = path.len();
                    path.push('/');
                    path.push_str(key);
                    self.record(path, member);
                    if member.is_container() {
                        self.inside(path, member);
                    }
                    path.truncate(length);
                }
            }
            Json::Array(items) => {
                for item in items.iter().filter(|item| item.as_object().is_some()) {
                    self.inside(path, item);
                }
            }
            _ => {}
        }
    }

    /// The fields not in `known`, in the order first met, each pointing to the earlier root
    /// additional field its path starts with, if any.
    pub fn additional(self, known: &HashSet<String>) -> Vec<AdditionalField> {
        let mut additional: Vec<AdditionalField> = Vec::new();
        for (path, usage) in self.fields {
            if known.contains(&path) {
                continue;
            }
            let inside = additional
                .iter()
                .position(|field| field.inside.is_none() && path.starts_with(&field.path));
            additional.push(AdditionalField {
                path,
                usage,
                inside,
            });
        }
        additional
    }
}

/// Paths (`projects/0/parties/1/id`) where an item of an array whose items may carry an
/// `id` has none; sorted at the end as the official report sorts them.
#[derive(Debug, Default)]
pub struct MissingIds {
    pub paths: Vec<String>,
    pub count: u64,
}

impl MissingIds {
    /// Looks into one field of the package other than `projects`.
    pub fn package_field(&mut self, arrays: &HashSet<String>, key: &str, value: &Json) {
        let mut generic = key.to_owned();
        let mut exact = key.to_owned();
        self.inside(arrays, &mut generic, &mut exact, value);
    }

    /// Looks into project number `index`.
    pub fn project(&mut self, arrays: &HashSet<String>, index: usize, project: &Json) {
        let mut generic = String::from("projects");
        let mut exact = format!("projects/{index}");
        self.item(arrays, &generic, &exact, project);
        self.inside(arrays, &mut generic, &mut exact, project);
    }

    fn item(&mut self, arrays: &HashSet<String>, generic: &str, exact: &str, item: &Json) {
        let Json::Object(members) = item else {
            return;
        };
        if arrays.contains(generic) && !members.contains_key("id") {
            self.count += 1;
            if self.paths.len() < MAX_MISSING_IDS {
                self.paths.push(format!("{exact}/id"));
            }
        }
    }

    fn inside(
        &mut self,
        arrays: &HashSet<String>,
        generic: &mut String,
        exact: &mut String,
        value: &Json,
    ) {
        match value {
            Json::Object(members) => {
                for (key, member) in members {
                    let (generic_length, exact_length) = (generic.len(), exact.len());
                    for path in [&mut *generic, &mut *exact] {
                        path.push('/');
                        path.push_str(key);
                    }
                    self.inside(arrays, generic, exact, member);
                    generic.truncate(generic_length);
                    exact.truncate(exact_length);
                }
            }
            Json::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    let exact_length = exact.len();
                    exact.push('/');
                    exact.push_str(&index.to_string());
                    self.item(arrays, generic, exact, item);
                    self.inside(arrays, generic, exact, item);
                    exact.truncate(exact_length);
                }
            }
            _ => {}
        }
    }

    /// The paths in the official order.
    pub fn into_sorted(mut self) -> Vec<String> {
        self.paths.sort();
        self.paths
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn additional_fields_nest_under_the_first_additional_field_they_start_with() {
        let mut present = FieldsPresent::default();
        let package = parse(r#"{"a":{"x":1,"known":2},"ab":[{"y":"v"}],"known":[1]}"#).unwrap();
        for (key, value) in package.as_object().unwrap() {
            present.package_field(key, value);
        }
        let known: HashSet<String> = ["/known".to_owned(), "/a/known".to_owned()]
            .into_iter()
            .collect();
        let additional = present.additional(&known);

        let found: Vec<(&str, Option<usize>)> = additional
            .iter()
            .map(|field| (field.path.as_str(), field.inside))
            .collect();
        assert_eq!(
            found,
            [
                ("/a", None),
                ("/a/x", Some(0)),
                ("/ab", Some(0)),
                ("/ab/y", Some(0))
            ]
        );
    }

    #[test]
    fn examples_are_the_first_three_plain_values() {
        let mut present = FieldsPresent::default();
        let value = parse(r#"[{"v":1},{"v":[2]},{"v":null},{"v":"x"},{"v":5}]"#).unwrap();
        present.package_field("list", &value);
        let additional = present.additional(&HashSet::default());
        let v = &additional[1];
        assert_eq!(v.inside, Some(0));
        assert_eq!(v.usage.count, 5);
        assert_eq!(
            v.usage.examples,
            [parse("1").unwrap(), Json::Null, parse("\"x\"").unwrap()]
        );
    }

    #[test]
    fn items_without_an_id_are_found_where_the_id_is_optional() {
        let arrays: HashSet<String> = ["projects/parties".to_owned()].into_iter().collect();
        let mut missing = MissingIds::default();
        let project = parse(r#"{"parties":[{"id":"a"},{"name":"b"},"c"],"other":[{}]}"#).unwrap();
        missing.project(&arrays, 4, &project);
        assert_eq!(missing.into_sorted(), ["projects/4/parties/1/id"]);
    }
}
