//! A JSON Schema draft 4 evaluator for the keywords the OC4IDS schema uses, with the
//! changes the official validator (libcove) makes to draft 4:
//!
//! - a boolean is neither a `number` nor an `integer`, and `1.0` is not an `integer`;
//! - `uniqueItems` on an array of objects with ids reports each repeated `id`
//!   ("Non-unique id values") instead of comparing whole items; only when some item has no
//!   usable id are whole items compared ("Array has non-unique elements");
//! - `enum` is never reported: every enum in OC4IDS belongs to a codelist, and codelist
//!   values are reported separately, as findings rather than errors;
//! - `patternProperties` is ignored (OC4IDS has none).
//!
//! The evaluator recurses only where the schema has `properties` or `items`, so its depth is
//! bounded by the depth of the values, which `serde_json` limits to 128 levels.

use foldhash::{HashSet, HashSetExt};
use std::hash::{BuildHasher, Hash, Hasher};

use indexmap::IndexMap;

use crate::formats;
use crate::json::{Json, Number};
use crate::python;
use crate::schema::{Node, NodeId, Schema};

/// One step of a path into the package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// A keyword that a value fails, where, and the value.
#[derive(Debug)]
pub struct Failure<'a> {
    pub kind: FailureKind,
    /// The subschema holding the keyword.
    pub node: &'a Node,
    pub path: &'a [Segment<'a>],
    /// The value that failed: for `uniqueItems`, the array.
    pub instance: &'a Json,
}

/// Which keyword failed.
#[derive(Debug, Clone, PartialEq)]
pub enum FailureKind {
    Type,
    Format(String),
    Pattern,
    MinLength,
    MinItems,
    MinProperties,
    Minimum,
    /// A required property is missing; the name of the property.
    Required(String),
    /// Two or more items of an array share this `id`, written as Python's `str` writes it.
    RepeatedId(String),
    /// Two items of an array are equal, and some item has no usable `id`.
    RepeatedItem,
}

/// Validates `instance` against subschema `node`, calling `report` for each failure. `path`
/// is where `instance` sits in the package; it is restored on return.
pub fn validate<'v>(
    schema: &Schema,
    node: NodeId,
    instance: &'v Json,
    path: &mut Vec<Segment<'v>>,
    report: &mut dyn FnMut(Failure),
) {
    let rules = schema.node(node);
    for kind in own_failures(rules, instance) {
        report(Failure {
            kind,
            node: rules,
            path,
            instance,
        });
    }

    match instance {
        Json::Object(members) => {
            for (name, child) in &rules.properties {
                if let Some((key, value)) = members.get_key_value(name.as_str()) {
                    path.push(Segment::Key(key));
                    validate(schema, *child, value, path, report);
                    path.pop();
                }
            }
        }
        Json::Array(items) => {
            if let Some(child) = rules.items {
                for (index, item) in items.iter().enumerate() {
                    path.push(Segment::Index(index));
                    validate(schema, child, item, path, report);
                    path.pop();
                }
            }
            if rules.unique_items {
                let mut tracker = UniqueIds::default();
                items.iter().for_each(|item| tracker.add(item));
                for kind in tracker.finish(Some(items)) {
                    report(Failure {
                        kind,
                        node: rules,
                        path,
                        instance,
                    });
                }
            }
        }
        _ => {}
    }
}

/// The failures of the keywords that look at the value itself, not into it.
pub fn own_failures(rules: &Node, instance: &Json) -> Vec<FailureKind> {
    let mut failures = Vec::new();
    if let Some(types) = &rules.types
        && !types.names.iter().any(|name| is_type(instance, name))
    {
        failures.push(FailureKind::Type);
    }
    match instance {
        Json::String(text) => {
            if let Some(format) = &rules.format
                && !formats::is_valid(format, text)
            {
                failures.push(FailureKind::Format(format.clone()));
            }
            if rules
                .pattern
                .as_ref()
                .is_some_and(|pattern| !pattern.is_match(text))
            {
                failures.push(FailureKind::Pattern);
            }
            if rules
                .min_length
                .is_some_and(|min| (text.chars().count() as u64) < min)
            {
                failures.push(FailureKind::MinLength);
            }
        }
        Json::Array(items) => {
            if rules
                .min_items
                .is_some_and(|min| (items.len() as u64) < min)
            {
                failures.push(FailureKind::MinItems);
            }
        }
        Json::Object(members) => {
            if rules
                .min_properties
                .is_some_and(|min| (members.len() as u64) < min)
            {
                failures.push(FailureKind::MinProperties);
            }
            for name in &rules.required {
                if !members.contains_key(name.as_str()) {
                    failures.push(FailureKind::Required(name.clone()));
                }
            }
        }
        Json::Number(number) => {
            if rules
                .minimum
                .is_some_and(|minimum| is_less(*number, minimum))
            {
                failures.push(FailureKind::Minimum);
            }
        }
        Json::Null | Json::Bool(_) => {}
    }
    failures
}

/// libcove's type check: booleans are not numbers, and only numbers written without a
/// fraction or exponent are integers.
pub fn is_type(instance: &Json, name: &str) -> bool {
    match name {
        "string" => matches!(instance, Json::String(_)),
        "array" => matches!(instance, Json::Array(_)),
        "object" => matches!(instance, Json::Object(_)),
        "integer" => matches!(instance, Json::Number(Number::Int(_))),
        "number" => matches!(instance, Json::Number(_)),
        "boolean" => matches!(instance, Json::Bool(_)),
        "null" => matches!(instance, Json::Null),
        _ => true,
    }
}

fn is_less(value: Number, limit: Number) -> bool {
    match (value.as_exact_int(), limit.as_exact_int()) {
        (Some(value), Some(limit)) => value < limit,
        _ => value.as_f64() < limit.as_f64(),
    }
}

/// libcove's `uniqueItems`, fed one item at a time so that a package's projects can be
/// checked as they stream past: it remembers each item's `id` and a 128-bit digest of the
/// whole item, never the item.
#[derive(Debug, Default)]
pub struct UniqueIds {
    seen: HashSet<IdKey>,
    repeated: IndexMap<IdKey, String, foldhash::fast::RandomState>,
    without_id: bool,
    digests: Option<HashSet<u128>>,
    repeated_item: bool,
}

impl UniqueIds {
    /// A tracker that digests every item, for arrays that are not kept in memory.
    pub fn streaming() -> UniqueIds {
        UniqueIds {
            digests: Some(HashSet::new()),
            ..UniqueIds::default()
        }
    }

    /// Takes the next item of the array.
    pub fn add(&mut self, item: &Json) {
        if let Some(digests) = &mut self.digests
            && !digests.insert(digest(item))
        {
            self.repeated_item = true;
        }
        let id = item.as_object().and_then(|members| members.get("id"));
        match id.and_then(IdKey::of) {
            Some(key) => {
                if self.seen.contains(&key) {
                    let text = python::str(id.unwrap_or(&Json::Null));
                    self.repeated.entry(key.clone()).or_insert(text);
                }
                self.seen.insert(key);
            }
            None => self.without_id = true,
        }
    }

    /// The failures for the whole array. `items` is the array when it is in memory; a
    /// streaming tracker has digested the items already.
    pub fn finish(self, items: Option<&[Json]>) -> Vec<FailureKind> {
        if self.without_id {
            let repeated_item = match (items, self.digests.is_some()) {
                (Some(items), false) => has_equal_items(items),
                _ => self.repeated_item,
            };
            if repeated_item {
                return vec![FailureKind::RepeatedItem];
            }
        }
        let mut repeated: Vec<(IdKey, String)> = self.repeated.into_iter().collect();
        repeated.sort_by(|(a, _), (b, _)| a.order(b));
        repeated
            .into_iter()
            .map(|(_, text)| FailureKind::RepeatedId(text))
            .collect()
    }
}

fn has_equal_items(items: &[Json]) -> bool {
    let mut digests = HashSet::with_capacity(items.len());
    items.iter().any(|item| !digests.insert(digest(item)))
}

/// An `id` as a key of a Python set: `1`, `1.0` and `True` are the same key, `"1"` another.
/// Missing, `null`, array and object ids are not usable ids.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum IdKey {
    Int(i128),
    Float(u64),
    Text(String),
}

impl IdKey {
    fn of(id: &Json) -> Option<IdKey> {
        match id {
            Json::String(text) => Some(IdKey::Text(text.clone())),
            Json::Bool(flag) => Some(IdKey::Int(i128::from(*flag))),
            Json::Number(number) => Some(match number.as_exact_int() {
                Some(int) => IdKey::Int(int),
                None => IdKey::Float(number.as_f64().to_bits()),
            }),
            Json::Null | Json::Array(_) | Json::Object(_) => None,
        }
    }

    /// Python sorts numbers by value and strings by code point; it cannot sort a mix
    /// (libcove then fails), so here numbers simply come first.
    fn order(&self, other: &IdKey) -> std::cmp::Ordering {
        match (self.as_number(), other.as_number()) {
            (Some(a), Some(b)) => a.total_cmp(&b),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => match (self, other) {
                (IdKey::Text(a), IdKey::Text(b)) => a.cmp(b),
                _ => std::cmp::Ordering::Equal,
            },
        }
    }

    fn as_number(&self) -> Option<f64> {
        match self {
            IdKey::Int(int) => Some(*int as f64),
            IdKey::Float(bits) => Some(f64::from_bits(*bits)),
            IdKey::Text(_) => None,
        }
    }
}

/// A 128-bit digest under which two values are equal exactly when jsonschema's `equal`
/// says so: `1` equals `1.0`, `true` does not equal `1`, object member order does not count.
pub fn digest(value: &Json) -> u128 {
    // Two hashers with fixed, different seeds: the same value gives the same digest in
    // every run, and two different values the same 128 bits only by a vanishing chance.
    let mut first = foldhash::quality::FixedState::with_seed(0x5eed_0001).build_hasher();
    let mut second = foldhash::quality::FixedState::with_seed(0x5eed_0002).build_hasher();
    hash_value(value, &mut first);
    hash_value(value, &mut second);
    (u128::from(first.finish()) << 64) | u128::from(second.finish())
}

fn hash_value(value: &Json, hasher: &mut impl Hasher) {
    match value {
        Json::Null => hasher.write_u8(0),
        Json::Bool(flag) => {
            hasher.write_u8(1);
            flag.hash(hasher);
        }
        Json::Number(number) => match number.as_exact_int() {
            Some(int) => {
                hasher.write_u8(2);
                int.hash(hasher);
            }
            None => {
                hasher.write_u8(3);
                number.as_f64().to_bits().hash(hasher);
            }
        },
        Json::String(text) => {
            hasher.write_u8(4);
            text.hash(hasher);
        }
        Json::Array(items) => {
            hasher.write_u8(5);
            hasher.write_usize(items.len());
            items.iter().for_each(|item| hash_value(item, hasher));
        }
        Json::Object(members) => {
            hasher.write_u8(6);
            hasher.write_usize(members.len());
            let mut sorted: Vec<_> = members.iter().collect();
            sorted.sort_by_key(|(key, _)| *key);
            for (key, member) in sorted {
                key.hash(hasher);
                hash_value(member, hasher);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn unique_failures(text: &str) -> Vec<FailureKind> {
        let Json::Array(items) = parse(text).unwrap() else {
            panic!("not an array")
        };
        let mut tracker = UniqueIds::default();
        items.iter().for_each(|item| tracker.add(item));
        tracker.finish(Some(&items))
    }

    #[test]
    fn repeated_ids_are_reported_once_each_in_sorted_order() {
        let failures =
            unique_failures(r#"[{"id":"b"},{"id":"a"},{"id":"b"},{"id":"a"},{"id":"b"}]"#);
        assert_eq!(
            failures,
            [
                FailureKind::RepeatedId("a".into()),
                FailureKind::RepeatedId("b".into())
            ]
        );
    }

    #[test]
    fn numeric_ids_equal_as_in_python() {
        let failures = unique_failures(r#"[{"id":1},{"id":1.0},{"id":true},{"id":"1"}]"#);
        assert_eq!(failures, [FailureKind::RepeatedId("1.0".into())]);
    }

    #[test]
    fn items_without_ids_are_compared_whole() {
        assert_eq!(
            unique_failures(r#"["a","b","a"]"#),
            [FailureKind::RepeatedItem]
        );
        assert_eq!(
            unique_failures(r#"[{"x":1,"y":2},{"y":2,"x":1.0}]"#),
            [FailureKind::RepeatedItem]
        );
        assert!(unique_failures(r#"[1, true, "1"]"#).is_empty());
        assert!(unique_failures(r#"[{"x":1},{"id":"a"},{"id":"b"}]"#).is_empty());
    }

    #[test]
    fn a_repeated_item_hides_the_repeated_ids() {
        let failures = unique_failures(r#"[{"id":"a"},{"id":"a"},{},{}]"#);
        assert_eq!(failures, [FailureKind::RepeatedItem]);
    }

    #[test]
    fn a_streaming_tracker_finds_what_the_in_memory_one_finds() {
        let Json::Array(items) =
            parse(r#"[{"a":[1,{"b":null}]},{"id":"x"},{"a":[1.0,{"b":null}]}]"#).unwrap()
        else {
            panic!("not an array")
        };
        let mut tracker = UniqueIds::streaming();
        items.iter().for_each(|item| tracker.add(item));
        assert_eq!(tracker.finish(None), [FailureKind::RepeatedItem]);
    }

    #[test]
    fn booleans_are_not_numbers_and_floats_are_not_integers() {
        assert!(!is_type(&parse("true").unwrap(), "number"));
        assert!(!is_type(&parse("1.0").unwrap(), "integer"));
        assert!(is_type(&parse("-3").unwrap(), "integer"));
        assert!(is_type(&parse("1e3").unwrap(), "number"));
    }
}
