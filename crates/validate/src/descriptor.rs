//! Schema errors as the official validator reports them: each failure becomes a descriptor
//! (message, keyword, generic path and the rest, written as Python's `json.dumps` writes a
//! dict) and a place (the exact path and the value). Failures with the same descriptor are
//! grouped, and the groups are sorted by descriptor text, which is the order of the
//! official report. Messages are built with libcove's rules, so that they read the same.

use foldhash::HashMap;

use crate::evaluate::{Failure, FailureKind, Segment};
use crate::json::{Json, Members, Number};
use crate::python;

/// How many places all groups keep together; failures past this are counted, not kept, so
/// that a huge invalid package cannot exhaust memory.
pub const MAX_PLACES: usize = 100_000;

/// Schema errors grouped by descriptor.
#[derive(Debug, Default)]
pub struct ErrorGroups {
    groups: HashMap<String, ErrorGroup>,
    kept_places: usize,
    count: u64,
}

/// The failures that share one descriptor.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorGroup {
    /// The descriptor as the official report writes it: a JSON object in a string.
    pub descriptor: String,
    pub message: String,
    /// The path without array indexes, such as `projects/budget/amount`.
    pub generic_path: String,
    pub places: Vec<Place>,
    /// How many failures the group has, kept or not.
    pub count: u64,
}

/// Where one failure is: the path with indexes, and the value unless it is an array or an
/// object.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub path: String,
    pub value: Option<Json>,
}

impl ErrorGroups {
    /// Adds one failure to its group.
    pub fn add(&mut self, failure: &Failure) {
        let (descriptor, message, generic_path, place) = describe(failure);
        self.count += 1;
        let group = self
            .groups
            .entry(descriptor.clone())
            .or_insert_with(|| ErrorGroup {
                descriptor,
                message,
                generic_path,
                places: Vec::new(),
                count: 0,
            });
        group.count += 1;
        if self.kept_places < MAX_PLACES {
            group.places.push(place);
            self.kept_places += 1;
        }
    }

    /// How many failures were added.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Whether some places were counted but not kept.
    pub fn truncated(&self) -> bool {
        self.count > self.kept_places as u64
    }

    /// The groups in the official report's order.
    pub fn into_sorted(self) -> Vec<ErrorGroup> {
        let mut groups: Vec<ErrorGroup> = self.groups.into_values().collect();
        groups.sort_by(|a, b| a.descriptor.cmp(&b.descriptor));
        groups
    }
}

/// The descriptor text, message, generic path and place of one failure.
fn describe(failure: &Failure) -> (String, String, String, Place) {
    let location = Location::of(failure.path);
    let wording = Wording::of(failure, &location);
    let descriptor = descriptor_text(failure, &location, &wording);
    let value = match &failure.kind {
        FailureKind::RepeatedId(id) => Some(Json::String(id.clone())),
        _ if failure.instance.is_container() => None,
        _ => Some(failure.instance.clone()),
    };
    let place = Place {
        path: location.exact,
        value,
    };
    (descriptor, wording.message, location.generic, place)
}

/// Where a failure is, in the forms libcove reports.
struct Location {
    /// `projects/0/budget/amount`.
    exact: String,
    /// `projects/budget/amount`.
    generic: String,
    /// The last step: a name, or an index for an array item.
    header: Json,
    /// For an array item, `name/[number]` with the array's name.
    array_item_of: Option<Json>,
}

impl Location {
    fn of(path: &[Segment]) -> Location {
        let exact = path.iter().map(segment_text).collect::<Vec<_>>().join("/");
        let generic = path
            .iter()
            .filter(|segment| matches!(segment, Segment::Key(_)))
            .map(segment_text)
            .collect::<Vec<_>>()
            .join("/");
        let header = path.last().map_or(Json::Null, segment_json);
        let array_item_of = match path {
            [.., array, Segment::Index(_)] => {
                Some(Json::String(format!("{}/[number]", segment_text(array))))
            }
            _ => None,
        };
        Location {
            exact,
            generic,
            header,
            array_item_of,
        }
    }
}

/// How libcove words a failure.
struct Wording {
    message: String,
    message_type: Json,
    null_clause: &'static str,
    header: Json,
}

impl Wording {
    fn of(failure: &Failure, location: &Location) -> Wording {
        let mut wording = Wording {
            message: original_message(failure),
            message_type: Json::String(keyword_name(&failure.kind).into()),
            null_clause: "",
            header: location.header.clone(),
        };
        match &failure.kind {
            FailureKind::Type | FailureKind::Format(_) => wording.rewrite(failure, location),
            FailureKind::Required(name) => {
                wording.message = required_message(name, failure.path);
                wording.header = Json::String(name.clone());
            }
            _ => {}
        }
        wording
    }

    /// libcove's own text for type and format errors, named by the first type (or the
    /// format), with "is not null, and" unless the type allows `null`.
    fn rewrite(&mut self, failure: &Failure, location: &Location) {
        let first = match keyword_value(failure) {
            Json::Array(names) => {
                if !names.contains(&Json::String("null".into())) {
                    self.null_clause = "is not null, and";
                }
                names.first().cloned().unwrap_or(Json::Null)
            }
            other => {
                self.null_clause = "is not null, and";
                other
            }
        };
        let template = match &first {
            Json::String(name) => template_for(name),
            _ => None,
        };
        let template = template.map_or_else(|| self.message.clone(), str::to_owned);
        let pre_header = if location.array_item_of.is_some() {
            "Array element "
        } else {
            ""
        };
        let header = python::str(&location.header);
        self.message =
            python::format_positional(&template, &[pre_header, &header, self.null_clause]);
        self.message_type = first;
    }
}

/// The descriptor as libcove writes it with `json.dumps`, its members in libcove's order.
fn descriptor_text(failure: &Failure, location: &Location, wording: &Wording) -> String {
    let text = |value: &str| Json::String(value.to_owned());
    let header_extra = location
        .array_item_of
        .clone()
        .unwrap_or_else(|| wording.header.clone());
    let mut key = Members::default();
    key.insert("message".to_owned(), text(&wording.message));
    key.insert("validator".into(), text(keyword_name(&failure.kind)));
    key.insert("assumption".into(), Json::Null);
    key.insert("validator_value".into(), keyword_value(failure));
    key.insert("message_type".into(), wording.message_type.clone());
    key.insert("path_no_number".into(), text(&location.generic));
    key.insert("header".into(), wording.header.clone());
    key.insert("header_extra".into(), header_extra);
    key.insert("null_clause".into(), text(wording.null_clause));
    key.insert("error_id".into(), error_id(&failure.kind));
    for unused in [
        "exclusiveMinimum",
        "exclusiveMaximum",
        "extras",
        "each",
        "property",
        "reprs",
    ] {
        key.insert(unused.into(), Json::Null);
    }
    if let Some(instance) = reported_instance(failure, &wording.message_type) {
        key.insert("instance".into(), instance);
    }
    python::json_dumps(&Json::Object(key))
}

fn segment_text(segment: &Segment) -> String {
    match segment {
        Segment::Key(key) => (*key).to_owned(),
        Segment::Index(index) => index.to_string(),
    }
}

fn segment_json(segment: &Segment) -> Json {
    match segment {
        Segment::Key(key) => Json::String((*key).to_owned()),
        Segment::Index(index) => Json::Number(Number::Int(*index as i128)),
    }
}

fn keyword_name(kind: &FailureKind) -> &'static str {
    match kind {
        FailureKind::Type => "type",
        FailureKind::Format(_) => "format",
        FailureKind::Pattern => "pattern",
        FailureKind::MinLength => "minLength",
        FailureKind::MinItems => "minItems",
        FailureKind::MinProperties => "minProperties",
        FailureKind::Minimum => "minimum",
        FailureKind::Required(_) => "required",
        FailureKind::RepeatedId(_) | FailureKind::RepeatedItem => "uniqueItems",
    }
}

/// The keyword's value as the schema writes it; libcove leaves it out for `required`.
fn keyword_value(failure: &Failure) -> Json {
    let node = failure.node;
    let limit = |limit: Option<u64>| Json::Number(Number::Int(limit.unwrap_or(0).into()));
    match &failure.kind {
        FailureKind::Type => node
            .types
            .as_ref()
            .map_or(Json::Null, |t| t.written.clone()),
        FailureKind::Format(format) => Json::String(format.clone()),
        FailureKind::Pattern => node
            .pattern
            .as_ref()
            .map_or(Json::Null, |p| Json::String(p.source.clone())),
        FailureKind::MinLength => limit(node.min_length),
        FailureKind::MinItems => limit(node.min_items),
        FailureKind::MinProperties => limit(node.min_properties),
        FailureKind::Minimum => node.minimum.map_or(Json::Null, Json::Number),
        FailureKind::Required(_) => Json::Null,
        FailureKind::RepeatedId(_) | FailureKind::RepeatedItem => Json::Bool(true),
    }
}

/// The message jsonschema gives before libcove rewrites it.
fn original_message(failure: &Failure) -> String {
    let node = failure.node;
    let shown = python::repr(failure.instance);
    let too_few = |limit: Option<u64>, otherwise: &str| {
        let verdict = if limit == Some(1) {
            "should be non-empty"
        } else {
            otherwise
        };
        format!("{shown} {verdict}")
    };
    match &failure.kind {
        FailureKind::Type => {
            let names = node
                .types
                .as_ref()
                .map(|types| types.names.clone())
                .unwrap_or_default();
            let names: Vec<String> = names.iter().map(|name| python::repr_str(name)).collect();
            format!("{shown} is not of type {}", names.join(", "))
        }
        FailureKind::Format(format) => format!("{shown} is not a {}", python::repr_str(format)),
        FailureKind::Pattern => {
            let source = node
                .pattern
                .as_ref()
                .map_or("", |pattern| pattern.source.as_str());
            format!("{shown} does not match {}", python::repr_str(source))
        }
        FailureKind::MinLength => too_few(node.min_length, "is too short"),
        FailureKind::MinItems => too_few(node.min_items, "is too short"),
        FailureKind::MinProperties => {
            too_few(node.min_properties, "does not have enough properties")
        }
        FailureKind::Minimum => {
            let minimum = node.minimum.map_or_else(String::new, python::number_text);
            format!("{shown} is less than the minimum of {minimum}")
        }
        FailureKind::Required(name) => name.clone(),
        FailureKind::RepeatedId(_) => "Non-unique id values".into(),
        FailureKind::RepeatedItem => "Array has non-unique elements".into(),
    }
}

/// libcove's own wording for type and format errors, keyed by type or format name. The
/// three fields are filled with "Array element " (for array items), the last path step,
/// and "is not null, and".
fn template_for(name: &str) -> Option<&'static str> {
    Some(match name {
        "date-time" => "Date is not in the correct format",
        "uri" => "Invalid 'uri' found",
        "string" => {
            "{}'{}' is not a string. Check that the value {} has quotes at the start and end. \
             Escape any quotes in the value with '\\'"
        }
        "integer" => {
            "{}'{}' is not a integer. Check that the value {} doesn\u{2019}t contain decimal \
             points or any characters other than 0-9. Integer values should not be in quotes. "
        }
        "number" => {
            "{}'{}' is not a number. Check that the value {} doesn\u{2019}t contain any \
             characters other than 0-9 and dot ('.'). Number values should not be in quotes. "
        }
        "object" => "{}'{}' is not a JSON object",
        "array" => "{}'{}' is not a JSON array",
        _ => return None,
    })
}

/// "'id' is missing but required within 'locations'": the parent is named only when the
/// object is more than two steps deep.
fn required_message(name: &str, path: &[Segment]) -> String {
    let parent = match path {
        [.., parent, Segment::Index(_)] if path.len() > 2 => Some(parent),
        [.., last] if path.len() > 2 => Some(last),
        _ => None,
    };
    match parent {
        Some(Segment::Key(parent)) => format!("'{name}' is missing but required within '{parent}'"),
        Some(Segment::Index(parent)) => {
            format!("'{name}' is missing but required within '{parent}'")
        }
        None => format!("'{name}' is missing but required"),
    }
}

/// The failing value, which libcove repeats in the descriptor for length and limit keywords
/// and for formats other than `date-time` and `uri`.
fn reported_instance(failure: &Failure, message_type: &Json) -> Option<Json> {
    let repeated = match &failure.kind {
        FailureKind::MinLength
        | FailureKind::MinItems
        | FailureKind::MinProperties
        | FailureKind::Minimum => true,
        FailureKind::Format(_) => {
            !matches!(message_type, Json::String(name) if name == "date-time" || name == "uri")
        }
        _ => false,
    };
    repeated.then(|| failure.instance.clone())
}

fn error_id(kind: &FailureKind) -> Json {
    match kind {
        FailureKind::RepeatedId(_) => Json::String("uniqueItems_with_id".into()),
        FailureKind::RepeatedItem => Json::String("uniqueItems_no_ids".into()),
        _ => Json::Null,
    }
}
