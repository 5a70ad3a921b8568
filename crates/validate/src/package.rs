//! Reading a project package as a stream and running every check on it.
//!
//! The package's fields other than `projects` are small and kept. The `projects` array is
//! read one project at a time through a serde visitor and handed in small batches to a
//! thread that validates, checks and drops each, so a package of any size needs memory for
//! a few batches of projects, plus what checks across projects need (each project's `id`
//! and a 128-bit digest, for `uniqueItems`) and the findings, whose lists are capped.
//!
//! FIXME: a package that repeats a top-level key is checked with both values; Python keeps
//! only the last, so the official report would differ. Nobody writes such packages on
//! purpose, and streaming cannot take back what the first value reported.

use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::sync::mpsc;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::InputError;
use crate::checks::CheckFindings;
use crate::codelists::CodelistFindings;
use crate::descriptor::ErrorGroups;
use crate::evaluate::{self, Failure, FailureKind, Segment, UniqueIds};
use crate::fields::{FieldsPresent, MissingIds};
use crate::json::{Json, JsonVisitor, Members};
use crate::report::{AdditionalCheck, ConformanceCheck, PathValue, Report, StructureWarnings};
use crate::schema::{self, Node, Schema};

/// Reads a package from `reader` and reports on it.
pub fn analyse(reader: impl Read) -> Result<Report, InputError> {
    let mut reader = BufReader::with_capacity(1 << 20, reader);
    check_starts_like_an_object(&mut reader)?;
    analyse_json(serde_json::Deserializer::from_reader(reader))
}

/// [`analyse`] for a package already in memory, which parses about twice as fast as one read
/// through a reader.
pub fn analyse_bytes(mut bytes: &[u8]) -> Result<Report, InputError> {
    check_starts_like_an_object(&mut bytes)?;
    analyse_json(serde_json::Deserializer::from_slice(bytes))
}

fn analyse_json<'de, R: serde_json::de::Read<'de>>(
    mut deserializer: serde_json::Deserializer<R>,
) -> Result<Report, InputError> {
    let mut analysis = Analysis::new(schema::oc4ids());
    PackageSeed(&mut analysis)
        .deserialize(&mut deserializer)
        .and_then(|()| deserializer.end())
        .map_err(InputError::from_json)?;
    Ok(analysis.finish())
}

/// Skips a UTF-8 byte order mark (Python's `json.loads` accepts one in bytes) and refuses
/// input that is plainly not a JSON object, naming what it is instead.
fn check_starts_like_an_object(reader: &mut impl BufRead) -> Result<(), InputError> {
    let buffer = reader.fill_buf().map_err(InputError::Read)?;
    if buffer.starts_with(b"\xef\xbb\xbf") {
        reader.consume(3);
    }
    let buffer = reader.fill_buf().map_err(InputError::Read)?;
    let first = buffer
        .iter()
        .find(|byte| !matches!(byte, b' ' | b'\t' | b'\n' | b'\r'));
    let found = match first {
        None if buffer.is_empty() => return Err(InputError::Empty),
        None | Some(b'{') => return Ok(()),
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        Some(b'-' | b'0'..=b'9') => "a number",
        Some(_) => return Ok(()),
    };
    Err(InputError::NotAPackage { found })
}

/// The checks in progress over one package.
struct Analysis {
    schema: &'static Schema,
    errors: ErrorGroups,
    /// Package fields other than a streamed `projects` array, for the final validation.
    package_fields: Members,
    projects: Option<ProjectsSeen>,
    checks: CheckFindings,
    codelists: CodelistFindings,
    fields: FieldsPresent,
    missing_ids: MissingIds,
}

/// What is kept of a streamed `projects` array.
struct ProjectsSeen {
    count: usize,
    unique: UniqueIds,
    /// libcove looks for codelist values in the projects only when the first is an object.
    codelists_apply: Option<bool>,
}

impl Analysis {
    fn new(schema: &'static Schema) -> Analysis {
        Analysis {
            schema,
            errors: ErrorGroups::default(),
            package_fields: Members::default(),
            projects: None,
            checks: CheckFindings::default(),
            codelists: CodelistFindings::default(),
            fields: FieldsPresent::default(),
            missing_ids: MissingIds::default(),
        }
    }

    /// A package field other than a `projects` array, checked now and validated at the end.
    fn package_field(&mut self, key: String, value: Json) {
        self.checks.package_field(&key, &value);
        self.codelists.package_field(self.schema, &key, &value);
        self.fields.package_field(&key, &value);
        self.missing_ids
            .package_field(&self.schema.optional_id_arrays, &key, &value);
        self.package_fields.insert(key, value);
    }

    fn projects_start(&mut self) {
        self.fields.projects_field();
        self.projects = Some(ProjectsSeen {
            count: 0,
            unique: UniqueIds::streaming(),
            codelists_apply: None,
        });
    }

    /// Validates and checks one project, which is then dropped.
    fn project(&mut self, project: Json) {
        let schema = self.schema;
        let Some(seen) = self.projects.as_mut() else {
            return;
        };
        let index = seen.count;
        seen.count += 1;
        seen.unique.add(&project);
        let codelists_apply = *seen
            .codelists_apply
            .get_or_insert(project.as_object().is_some());

        if let Some(project_schema) = schema.node(schema.projects()).items {
            let mut path = vec![Segment::Key("projects"), Segment::Index(index)];
            let errors = &mut self.errors;
            evaluate::validate(
                schema,
                project_schema,
                &project,
                &mut path,
                &mut |failure| errors.add(&failure),
            );
        }
        self.checks.project(index, &project);
        if codelists_apply {
            self.codelists.project(schema, &project);
        }
        self.fields.project(&project);
        self.missing_ids
            .project(&schema.optional_id_arrays, index, &project);
    }

    fn projects_end(&mut self) {
        if self.projects.as_ref().is_some_and(|seen| seen.count == 0) {
            self.checks.empty_projects();
        }
    }

    fn finish(mut self) -> Report {
        self.validate_package_fields();
        let truncated = self.truncated_lists();
        let schema = self.schema;

        let additional_fields = self.fields.additional(&schema.fields);
        let additional_fields_count = additional_fields
            .iter()
            .filter(|f| f.inside.is_none())
            .map(|f| f.usage.count)
            .sum();
        let validation_errors_count = self.errors.count();
        let missing_ids = self.missing_ids.into_sorted();
        let (closed, open) = self.codelists.into_closed_and_open();
        Report {
            file_type: "json",
            version_used: schema::VERSION,
            version_display_choices: vec![[schema::VERSION, schema::VERSION]],
            version_used_display: schema::VERSION,
            additional_fields,
            additional_fields_count,
            schema_url: schema::PACKAGE_SCHEMA_URL,
            extensions: None,
            validation_errors: self.errors.into_sorted(),
            validation_errors_count,
            common_error_types: Vec::new(),
            deprecated_fields: Default::default(),
            structure_warnings: (!missing_ids.is_empty())
                .then_some(StructureWarnings { missing_ids }),
            conformance_checks: conformance_checks(&self.checks),
            additional_checks: additional_checks(&self.checks),
            additional_closed_codelist_values: closed,
            additional_open_codelist_values: open,
            truncated,
        }
    }

    /// Validates the package object itself. A streamed `projects` array stands in as an
    /// empty array, so that `required` sees it; its own keywords are settled from what was
    /// kept while it streamed.
    fn validate_package_fields(&mut self) {
        let schema = self.schema;
        let mut package = std::mem::take(&mut self.package_fields);
        if self.projects.is_some() {
            package.insert("projects".into(), Json::Array(Vec::new()));
        }
        let package = Json::Object(package);
        let errors = &mut self.errors;
        let root = schema.node(schema.package);
        for kind in evaluate::own_failures(root, &package) {
            errors.add(&Failure {
                kind,
                node: root,
                path: &[],
                instance: &package,
            });
        }

        let Json::Object(members) = &package else {
            return;
        };
        let mut streamed = self.projects.take();
        for (name, child) in &root.properties {
            let Some((key, value)) = members.get_key_value(name.as_str()) else {
                continue;
            };
            let mut path = vec![Segment::Key(key)];
            if name == "projects"
                && let Some(seen) = streamed.take()
            {
                let node = schema.node(*child);
                for kind in streamed_array_failures(node, seen) {
                    errors.add(&Failure {
                        kind,
                        node,
                        path: &path,
                        instance: value,
                    });
                }
                continue;
            }
            evaluate::validate(schema, *child, value, &mut path, &mut |failure| {
                errors.add(&failure)
            });
        }
    }

    fn truncated_lists(&self) -> Vec<&'static str> {
        let mut truncated = Vec::new();
        if self.errors.truncated() {
            truncated.push("validation_errors");
        }
        if self.checks.empty_values.truncated() || self.checks.missing_parties.truncated() {
            truncated.push("additional_checks");
        }
        if self.checks.unprefixed_project_ids.truncated() {
            truncated.push("conformance_checks");
        }
        if self.missing_ids.count > self.missing_ids.paths.len() as u64 {
            truncated.push("structure_warnings");
        }
        truncated
    }
}

/// The array keywords of a streamed `projects` array (its items were validated one by one).
/// The array's `type` holds since it streamed as an array; `minItems` can only fail when it
/// is empty, as the OC4IDS minimum is 1.
fn streamed_array_failures(rules: &Node, seen: ProjectsSeen) -> Vec<FailureKind> {
    let mut failures = Vec::new();
    if rules.min_items.is_some_and(|min| (seen.count as u64) < min) {
        failures.push(FailureKind::MinItems);
    }
    if rules.unique_items {
        failures.extend(seen.unique.finish(None));
    }
    failures
}

fn conformance_checks(checks: &CheckFindings) -> Vec<ConformanceCheck> {
    let ids = &checks.unprefixed_project_ids;
    if ids.count == 0 {
        return Vec::new();
    }
    let path_values = ids
        .items
        .iter()
        .map(|(path, value)| PathValue {
            path: path.clone(),
            value: value.clone(),
        })
        .collect();
    vec![ConformanceCheck {
        check_id: "invalid-project-ids",
        message: format!(
            "{} of your project id fields has a problem: There is no prefix or the prefix \
             format is not recognised.",
            ids.count
        ),
        path_values,
    }]
}

/// The official wording of each additional check, so that reports read the same.
fn additional_checks(checks: &CheckFindings) -> Vec<AdditionalCheck> {
    let mut found = Vec::new();
    if checks.empty_values.count > 0 {
        found.push(AdditionalCheck {
            check_id: "missing-values",
            message: "The data includes fields that are empty or contain only whitespaces. \
                      Fields that are not being used, or that have no value, should be \
                      excluded in their entirety (key and value) from the data"
                .into(),
            paths: checks.empty_values.items.clone(),
        });
    }
    let (paths, count) = checks.amounts_without_currency();
    if count > 0 {
        found.push(AdditionalCheck {
            check_id: "missing-currency",
            message: format!(
                "There are {count} values without a currency. Currencies should be published \
                 for all values."
            ),
            paths,
        });
    }
    let parties = &checks.missing_parties;
    if parties.count > 0 {
        found.push(AdditionalCheck {
            check_id: "missing-org-refs",
            message: format!(
                "There are {} organization references with an id that does not match the id \
                 of any parties. All organization references should have an associated entry \
                 in the parties array with a matching id.",
                parties.count
            ),
            paths: parties.items.clone(),
        });
    }
    found
}

/// Reads the package object: every field but `projects` whole, `projects` item by item.
struct PackageSeed<'a>(&'a mut Analysis);

impl<'de> DeserializeSeed<'de> for PackageSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PackageSeed<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an OC4IDS project package (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "projects" {
                map.next_value_seed(ProjectsSeed(&mut *self.0))?;
            } else {
                let value: Json = map.next_value()?;
                self.0.package_field(key, value);
            }
        }
        Ok(())
    }
}

/// How many projects are read before they are handed to the checking thread together.
const PROJECTS_PER_BATCH: usize = 8;

/// How many batches may wait for the checking thread before reading pauses.
const BATCHES_WAITING: usize = 2;

/// Reads the projects of `seq` and sends them on in batches, until the array ends or
/// the checking thread stops listening.
fn read_in_batches<'de, A: SeqAccess<'de>>(
    seq: &mut A,
    batches: &mpsc::SyncSender<Vec<Json>>,
) -> Result<(), A::Error> {
    let mut batch = Vec::with_capacity(PROJECTS_PER_BATCH);
    while let Some(project) = seq.next_element::<Json>()? {
        batch.push(project);
        if batch.len() == PROJECTS_PER_BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(PROJECTS_PER_BATCH));
            if batches.send(full).is_err() {
                return Ok(());
            }
        }
    }
    if !batch.is_empty() {
        let _ = batches.send(batch);
    }
    Ok(())
}

/// Reads `projects`: an array one project at a time, anything else whole.
struct ProjectsSeed<'a>(&'a mut Analysis);

impl ProjectsSeed<'_> {
    fn whole<E>(self, value: Result<Json, E>) -> Result<(), E> {
        self.0.package_field("projects".into(), value?);
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for ProjectsSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ProjectsSeed<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    /// Reading a project and checking it take about the same time, so the projects are
    /// checked on a thread of their own, in the order they were read, while the next ones
    /// are read. A few batches wait at most, so memory stays bounded.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let analysis = &mut *self.0;
        analysis.projects_start();
        let analysis = std::thread::scope(|scope| {
            let (batches, received) = mpsc::sync_channel::<Vec<Json>>(BATCHES_WAITING);
            let checker = scope.spawn(move || {
                for batch in received {
                    for project in batch {
                        analysis.project(project);
                    }
                }
                analysis
            });
            let read = read_in_batches(&mut seq, &batches);
            drop(batches);
            let analysis = checker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            read.map(|()| analysis)
        })?;
        analysis.projects_end();
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let value = JsonVisitor.visit_map(map);
        self.whole(value)
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<(), E> {
        self.whole(JsonVisitor.visit_bool(value))
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<(), E> {
        self.whole(JsonVisitor.visit_i64(value))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<(), E> {
        self.whole(JsonVisitor.visit_u64(value))
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<(), E> {
        self.whole(JsonVisitor.visit_f64(value))
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<(), E> {
        self.whole(JsonVisitor.visit_str(value))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.whole(JsonVisitor.visit_unit())
    }
}
