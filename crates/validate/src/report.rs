//! The validation report: the same keys and shapes as libcoveoc4ids' result, so that tools
//! written for the official validator's JSON can read ours, and a plain-text summary.
//!
//! The JSON (`dream validate --json`) has these keys, in this order:
//!
//! - `file_type`, `version_used`, `version_display_choices`, `version_used_display`: always
//!   `json` and `0.9.5`.
//! - `additional_fields`: each field not in the schema, by path, with its `count`, up to three
//!   `examples`, `root_additional_field`, for a root field the fields inside it
//!   (`additional_field_descendance`), `path` and `field_name`.
//! - `additional_fields_count`: how often root additional fields occur.
//! - `schema_url`; `extensions`, always `null`.
//! - `validation_errors`: pairs of a descriptor (a JSON object written as a string, with
//!   `message`, `validator`, `validator_value`, `path_no_number`, `header` and more) and the
//!   places (`path`, and `value` unless it is an array or an object), sorted by descriptor.
//! - `validation_errors_count`: the number of schema errors, which decides the exit status.
//! - `common_error_types`, `deprecated_fields`: always empty for OC4IDS 0.9.5.
//! - `structure_warnings`: only when items of arrays with optional ids have none, as
//!   `missing_ids`.
//! - `conformance_checks`: `invalid-project-ids`, with `path_values`.
//! - `additional_checks`: `missing-values`, `missing-currency`, `missing-org-refs`, with
//!   `paths`.
//! - `additional_closed_codelist_values`, `additional_open_codelist_values`: by field, the
//!   codelist and the `values` not in it.
//! - `truncated`: only for huge packages, the lists that were cut (counts stay exact).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeTuple, Serializer};

use crate::codelists::{CODELIST_URL, CodelistFinding};
use crate::descriptor::{ErrorGroup, Place};
use crate::fields::AdditionalField;
use crate::json::Json;
use crate::python;

/// Everything the validator found in one package.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub file_type: &'static str,
    pub version_used: &'static str,
    pub version_display_choices: Vec<[&'static str; 2]>,
    pub version_used_display: &'static str,
    #[serde(serialize_with = "serialize_additional_fields")]
    pub additional_fields: Vec<AdditionalField>,
    pub additional_fields_count: u64,
    pub schema_url: &'static str,
    pub extensions: Option<()>,
    pub validation_errors: Vec<ErrorGroup>,
    pub validation_errors_count: u64,
    pub common_error_types: Vec<()>,
    pub deprecated_fields: BTreeMap<String, ()>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structure_warnings: Option<StructureWarnings>,
    pub conformance_checks: Vec<ConformanceCheck>,
    pub additional_checks: Vec<AdditionalCheck>,
    #[serde(serialize_with = "serialize_codelist_values")]
    pub additional_closed_codelist_values: Vec<(String, CodelistFinding)>,
    #[serde(serialize_with = "serialize_codelist_values")]
    pub additional_open_codelist_values: Vec<(String, CodelistFinding)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub truncated: Vec<&'static str>,
}

/// Items of arrays whose items may have an `id` but do not.
#[derive(Debug, Clone, Serialize)]
pub struct StructureWarnings {
    pub missing_ids: Vec<String>,
}

/// A check of OC4IDS conformance beyond the schema.
#[derive(Debug, Clone, Serialize)]
pub struct ConformanceCheck {
    pub check_id: &'static str,
    pub message: String,
    pub path_values: Vec<PathValue>,
}

/// A path and the value found there.
#[derive(Debug, Clone, Serialize)]
pub struct PathValue {
    pub path: String,
    pub value: Json,
}

/// One of the official validator's additional checks, with the paths it flags.
#[derive(Debug, Clone, Serialize)]
pub struct AdditionalCheck {
    pub check_id: &'static str,
    pub message: String,
    pub paths: Vec<String>,
}

impl Report {
    /// Whether the package has no schema errors; other findings do not make it invalid.
    pub fn is_valid(&self) -> bool {
        self.validation_errors_count == 0
    }

    /// Writes the plain-text summary: the counts, then each finding with its path.
    pub fn write_summary(&self, out: &mut dyn Write, source: &str) -> io::Result<()> {
        writeln!(out, "OC4IDS {} review of {source}", self.version_used)?;
        self.write_counts(out)?;
        self.write_schema_errors(out)?;
        self.write_codelists(out)?;
        self.write_additional_fields(out)?;
        self.write_checks(out)?;
        if !self.truncated.is_empty() {
            writeln!(
                out,
                "\nSome lists were cut for size: {}.",
                self.truncated.join(", ")
            )?;
        }
        let verdict = if self.is_valid() {
            "valid: no schema errors".to_owned()
        } else {
            format!("invalid: {} schema errors", self.validation_errors_count)
        };
        writeln!(out, "\nResult: {verdict}")
    }

    fn write_counts(&self, out: &mut dyn Write) -> io::Result<()> {
        let closed: usize = self
            .additional_closed_codelist_values
            .iter()
            .map(|(_, f)| f.values.len())
            .sum();
        let open: usize = self
            .additional_open_codelist_values
            .iter()
            .map(|(_, f)| f.values.len())
            .sum();
        writeln!(
            out,
            "  schema errors:                    {}",
            self.validation_errors_count
        )?;
        writeln!(out, "  values outside closed codelists:  {closed}")?;
        writeln!(out, "  values outside open codelists:    {open}")?;
        writeln!(
            out,
            "  additional fields:                {}",
            self.additional_fields_count
        )?;
        for check in &self.additional_checks {
            writeln!(
                out,
                "  {:<34}{}",
                format!("{}:", check.check_id),
                check.paths.len()
            )?;
        }
        for check in &self.conformance_checks {
            writeln!(
                out,
                "  {:<34}{}",
                format!("{}:", check.check_id),
                check.path_values.len()
            )?;
        }
        Ok(())
    }

    fn write_schema_errors(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.validation_errors.is_empty() {
            return Ok(());
        }
        writeln!(out, "\nSchema errors")?;
        for group in &self.validation_errors {
            for place in &group.places {
                let shown = match &place.value {
                    Some(value) => format!(" (value: {})", python::json_dumps(value)),
                    None => String::new(),
                };
                let path = if place.path.is_empty() {
                    "(package)"
                } else {
                    &place.path
                };
                writeln!(out, "  {path}: {}{shown}", group.message)?;
            }
        }
        Ok(())
    }

    fn write_codelists(&self, out: &mut dyn Write) -> io::Result<()> {
        let sections = [
            (
                "Values outside closed codelists (errors in the data)",
                &self.additional_closed_codelist_values,
            ),
            (
                "Values outside open codelists (new codes, check them)",
                &self.additional_open_codelist_values,
            ),
        ];
        for (title, findings) in sections {
            if findings.is_empty() {
                continue;
            }
            writeln!(out, "\n{title}")?;
            for (path, finding) in findings {
                let values: Vec<&str> = finding.values.iter().map(String::as_str).collect();
                writeln!(
                    out,
                    "  {path} ({}): {}",
                    finding.codelist,
                    values.join(", ")
                )?;
            }
        }
        Ok(())
    }

    fn write_additional_fields(&self, out: &mut dyn Write) -> io::Result<()> {
        let roots: Vec<&AdditionalField> = self
            .additional_fields
            .iter()
            .filter(|field| field.inside.is_none())
            .collect();
        if roots.is_empty() {
            return Ok(());
        }
        writeln!(out, "\nAdditional fields (not in the schema)")?;
        for field in roots {
            writeln!(out, "  {} ({} times)", field.path, field.usage.count)?;
        }
        Ok(())
    }

    fn write_checks(&self, out: &mut dyn Write) -> io::Result<()> {
        for check in &self.additional_checks {
            writeln!(out, "\n{}: {}", check.check_id, check.message)?;
            for path in &check.paths {
                writeln!(out, "  {path}")?;
            }
        }
        for check in &self.conformance_checks {
            writeln!(out, "\n{}: {}", check.check_id, check.message)?;
            for found in &check.path_values {
                writeln!(
                    out,
                    "  {}: {}",
                    found.path,
                    python::json_dumps(&found.value)
                )?;
            }
        }
        Ok(())
    }
}

impl Serialize for ErrorGroup {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut pair = serializer.serialize_tuple(2)?;
        pair.serialize_element(&self.descriptor)?;
        pair.serialize_element(&self.places)?;
        pair.end()
    }
}

impl Serialize for Place {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("path", &self.path)?;
        if let Some(value) = &self.value {
            map.serialize_entry("value", value)?;
        }
        map.end()
    }
}

/// One additional field as the official report writes it; `descendants` only for a root.
#[derive(Serialize)]
struct AdditionalFieldEntry<'a> {
    count: u64,
    examples: &'a [Json],
    root_additional_field: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    additional_field_descendance: Option<Descendants<'a>>,
    path: &'a str,
    field_name: &'a str,
}

/// The additional fields inside one root additional field, by path.
struct Descendants<'a> {
    fields: &'a [AdditionalField],
    root: usize,
}

impl Serialize for Descendants<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for field in self
            .fields
            .iter()
            .filter(|field| field.inside == Some(self.root))
        {
            map.serialize_entry(&field.path, &entry(self.fields, field, None))?;
        }
        map.end()
    }
}

fn entry<'a>(
    fields: &'a [AdditionalField],
    field: &'a AdditionalField,
    index: Option<usize>,
) -> AdditionalFieldEntry<'a> {
    let (path, field_name) = field.path.rsplit_once('/').unwrap_or(("", &field.path));
    AdditionalFieldEntry {
        count: field.usage.count,
        examples: &field.usage.examples,
        root_additional_field: field.inside.is_none(),
        additional_field_descendance: index.map(|root| Descendants { fields, root }),
        path,
        field_name,
    }
}

fn serialize_additional_fields<S: Serializer>(
    fields: &[AdditionalField],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(fields.len()))?;
    for (index, field) in fields.iter().enumerate() {
        let root = field.inside.is_none().then_some(index);
        map.serialize_entry(&field.path, &entry(fields, field, root))?;
    }
    map.end()
}

/// One field's values outside its codelist, as the official report writes it.
#[derive(Serialize)]
struct CodelistEntry<'a> {
    path: &'a str,
    field: &'a str,
    codelist: &'a str,
    codelist_url: String,
    codelist_amend_urls: [(); 0],
    isopen: bool,
    values: Vec<&'a str>,
    extension_codelist: bool,
}

fn serialize_codelist_values<S: Serializer>(
    findings: &[(String, CodelistFinding)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(findings.len()))?;
    for (path, finding) in findings {
        let (parent, field) = path.rsplit_once('/').unwrap_or(("", path));
        let entry = CodelistEntry {
            path: parent,
            field,
            codelist: &finding.codelist,
            codelist_url: format!("{CODELIST_URL}{}", finding.codelist),
            codelist_amend_urls: [],
            isopen: finding.open,
            values: finding.values.iter().map(String::as_str).collect(),
            extension_codelist: false,
        };
        map.serialize_entry(path, &entry)?;
    }
    map.end()
}
