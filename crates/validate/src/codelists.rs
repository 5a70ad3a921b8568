//! Values of codelist fields that are not codes of their codelist. The official validator
//! reports them apart from schema errors: for a closed codelist the value is wrong, for an
//! open one it may be a new code. Like libcove, the walk skips empty and false values, opens
//! arrays only when their first item is an object, and compares each value as Python's
//! `str` writes it (so a number `3` is looked up as `"3"`).

use std::collections::BTreeSet;

use foldhash::{HashMap, HashSet};
use std::sync::OnceLock;

use indexmap::IndexMap;

use crate::json::Json;
use crate::python;
use crate::schema::Schema;

/// Where the official validator reads the OC4IDS 0.9 codelists; reported with each finding.
pub const CODELIST_URL: &str = concat!(
    "https://raw.githubusercontent.com/open-contracting/infrastructure/",
    "0.9/schema/project-level/codelists/"
);

/// How many distinct values each field keeps.
pub const MAX_VALUES: usize = 10_000;

macro_rules! codelist_files {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../data/oc4ids/codelists/", $name)))),*]
    };
}

/// The codelist files the schema names, embedded.
const FILES: &[(&str, &str)] = codelist_files![
    "assetClass.csv",
    "classificationScheme.csv",
    "climateMeasure.csv",
    "climateOversightTypes.csv",
    "conservationMeasure.csv",
    "constructionMaterial.csv",
    "contractNature.csv",
    "contractingProcessStatus.csv",
    "costCategory.csv",
    "country.csv",
    "currency.csv",
    "debtRepaymentPriority.csv",
    "documentType.csv",
    "environmentalGoal.csv",
    "environmentalMeasure.csv",
    "financingArrangementType.csv",
    "financingPartyType.csv",
    "geometryType.csv",
    "laborObligations.csv",
    "locationGazetteers.csv",
    "method.csv",
    "metricID.csv",
    "milestoneCode.csv",
    "milestoneStatus.csv",
    "milestoneType.csv",
    "modificationType.csv",
    "partyRole.csv",
    "policyAlignment.csv",
    "projectSector.csv",
    "projectStatus.csv",
    "projectType.csv",
    "relatedProject.csv",
    "relatedProjectScheme.csv",
    "releaseTag.csv",
    "sustainabilityStrategy.csv",
    "unitClassificationScheme.csv",
];

/// The codes of each codelist file, read on first use.
pub fn codes() -> &'static HashMap<&'static str, HashSet<String>> {
    static CODES: OnceLock<HashMap<&'static str, HashSet<String>>> = OnceLock::new();
    CODES.get_or_init(|| {
        FILES
            .iter()
            .map(|(name, text)| (*name, read_codes(name, text)))
            .collect()
    })
}

fn read_codes(name: &str, text: &str) -> HashSet<String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .expect("embedded codelists have a header")
        .clone();
    let column = headers
        .iter()
        .position(|header| header == "Code" || header == "code")
        .unwrap_or_else(|| panic!("codelist {name} has no Code column"));
    reader
        .records()
        .map(|record| record.expect("embedded codelists are valid CSV")[column].to_owned())
        .collect()
}

/// The values found outside their codelist, by field (`projects/status`), in the order the
/// fields were first met.
#[derive(Debug, Default)]
pub struct CodelistFindings {
    fields: IndexMap<String, CodelistFinding, foldhash::fast::RandomState>,
}

/// A field (`projects/status`) and its values outside the codelist.
pub type FieldFinding = (String, CodelistFinding);

/// The values of one field that are not in its codelist.
#[derive(Debug, Clone, PartialEq)]
pub struct CodelistFinding {
    pub codelist: String,
    pub open: bool,
    pub values: BTreeSet<String>,
}

impl CodelistFindings {
    /// Looks at one field of the package other than `projects`.
    pub fn package_field(&mut self, schema: &Schema, key: &str, value: &Json) {
        let mut path = String::new();
        self.member(schema, &mut path, key, value);
    }

    /// Looks at one project; `path` is `projects`.
    pub fn project(&mut self, schema: &Schema, project: &Json) {
        let mut path = String::from("projects");
        self.object(schema, &mut path, project);
    }

    /// The findings, split into closed and open codelists.
    pub fn into_closed_and_open(self) -> (Vec<FieldFinding>, Vec<FieldFinding>) {
        self.fields
            .into_iter()
            .partition(|(_, finding)| !finding.open)
    }

    fn object(&mut self, schema: &Schema, path: &mut String, value: &Json) {
        if let Json::Object(members) = value {
            for (key, member) in members {
                self.member(schema, path, key, member);
            }
        }
    }

    fn member(&mut self, schema: &Schema, path: &mut String, key: &str, value: &Json) {
        if value.is_falsy() {
            return;
        }
        let length = path.len();
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(key);
        match value {
            Json::Array(items) if matches!(items.first(), Some(Json::Object(_))) => {
                for item in items {
                    self.object(schema, path, item);
                }
            }
            Json::Array(items) => self.leaf(schema, path, items),
            Json::Object(_) => self.object(schema, path, value),
            single => self.leaf(schema, path, std::slice::from_ref(single)),
        }
        path.truncate(length);
    }

    fn leaf(&mut self, schema: &Schema, path: &str, values: &[Json]) {
        let Some((codelist, open)) = schema.codelist_fields.get(path) else {
            return;
        };
        let Some(known) = codes().get(codelist.as_str()) else {
            return;
        };
        for value in values {
            let text = python::str(value);
            if known.contains(&text) {
                continue;
            }
            let finding = self
                .fields
                .entry(path.to_owned())
                .or_insert_with(|| CodelistFinding {
                    codelist: codelist.clone(),
                    open: *open,
                    values: BTreeSet::new(),
                });
            if finding.values.len() < MAX_VALUES {
                finding.values.insert(text);
            }
        }
    }
}
