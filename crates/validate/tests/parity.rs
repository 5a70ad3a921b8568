//! Parity with the official validator: every fixture in `tests/fixtures/` is validated and
//! our report compared with the output of libcoveoc4ids 0.9.1 committed beside it (the
//! library's own fixtures, two more packages, and `quirks/`, small packages written to probe
//! its rules on types, formats, unique ids, codelists, empty values and references), key by
//! key: the schema error count, every error descriptor and place, the additional fields, the
//! checks and the codelist findings. Only the addresses the official tool was served from
//! are left out of the comparison.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// Each fixture with its official output.
fn fixtures() -> Vec<(PathBuf, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut pairs = Vec::new();
    for folder in ["lib-cove-oc4ids", "cove-check", "quirks"] {
        let expected = root.join(folder).join("expected");
        for entry in std::fs::read_dir(&expected).unwrap() {
            let output = entry.unwrap().path();
            let name = output.file_name().unwrap().to_str().unwrap();
            let stem = name.strip_suffix(".libcoveoc4ids-0.9.1.json").unwrap();
            pairs.push((root.join(folder).join(format!("{stem}.json")), output));
        }
    }
    pairs.sort();
    pairs
}

/// Our report for `input`, as JSON.
fn our_report(input: &Path) -> Value {
    let report = dream_validate::validate_path(input).unwrap();
    serde_json::to_value(&report).unwrap()
}

fn official_report(output: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(output).unwrap()).unwrap()
}

/// Drops the addresses, which depend on where the schema was served from.
fn without_addresses(mut report: Value) -> Value {
    let object = report.as_object_mut().unwrap();
    object.remove("schema_url");
    for key in [
        "additional_closed_codelist_values",
        "additional_open_codelist_values",
    ] {
        for finding in object[key].as_object_mut().unwrap().values_mut() {
            finding.as_object_mut().unwrap().remove("codelist_url");
        }
    }
    report
}

#[test]
fn every_fixture_folder_has_its_official_outputs() {
    // 6 from lib-cove-oc4ids, 2 from cove-check, 18 hand-made quirks.
    assert_eq!(fixtures().len(), 26);
}

#[test]
fn schema_error_counts_match_the_official_validator() {
    for (input, output) in fixtures() {
        let ours = our_report(&input);
        let theirs = official_report(&output);
        assert_eq!(
            ours["validation_errors_count"],
            theirs["validation_errors_count"],
            "{}",
            input.display()
        );
    }
}

#[test]
fn schema_error_paths_match_the_official_validator() {
    for (input, output) in fixtures() {
        let paths = |report: &Value| -> Vec<String> {
            let mut paths: Vec<String> = report["validation_errors"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|group| group[1].as_array().unwrap().clone())
                .map(|place| place["path"].as_str().unwrap().to_owned())
                .collect();
            paths.sort();
            paths
        };
        let ours = paths(&our_report(&input));
        assert_eq!(
            ours,
            paths(&official_report(&output)),
            "{}",
            input.display()
        );
    }
}

#[test]
fn schema_error_descriptors_and_places_match_exactly() {
    for (input, output) in fixtures() {
        let ours = our_report(&input)["validation_errors"].clone();
        let theirs = official_report(&output)["validation_errors"].clone();
        let ours = ours.as_array().unwrap();
        let theirs = theirs.as_array().unwrap();
        for (mine, official) in ours.iter().zip(theirs) {
            assert_eq!(mine, official, "{}", input.display());
        }
        assert_eq!(ours.len(), theirs.len(), "{}", input.display());
    }
}

#[test]
fn codelist_findings_match_the_official_validator() {
    for (input, output) in fixtures() {
        let ours = without_addresses(our_report(&input));
        let theirs = without_addresses(official_report(&output));
        for key in [
            "additional_closed_codelist_values",
            "additional_open_codelist_values",
        ] {
            assert_eq!(ours[key], theirs[key], "{key} of {}", input.display());
        }
    }
}

#[test]
fn additional_fields_and_checks_match_the_official_validator() {
    for (input, output) in fixtures() {
        let ours = our_report(&input);
        let theirs = official_report(&output);
        for key in [
            "additional_fields",
            "additional_fields_count",
            "additional_checks",
            "conformance_checks",
            "deprecated_fields",
            "structure_warnings",
        ] {
            assert_eq!(
                ours.get(key),
                theirs.get(key),
                "{key} of {}",
                input.display()
            );
        }
    }
}

#[test]
fn whole_reports_match_the_official_validator() {
    for (input, output) in fixtures() {
        let ours = without_addresses(our_report(&input));
        let theirs = without_addresses(official_report(&output));
        assert_eq!(ours, theirs, "{}", input.display());
    }
}

#[test]
fn the_invalid_package_reports_the_repeated_contracting_process_id() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cove-check");
    let report = dream_validate::validate_path(&root.join("invalid-package.json")).unwrap();
    let repeated = report
        .validation_errors
        .iter()
        .find(|group| group.message == "Non-unique id values")
        .unwrap();
    assert_eq!(repeated.places[0].path, "projects/0/contractingProcesses");
    assert!(!report.is_valid());
}

/// The tables derived from the schema, as libcove derives them (dumped from libcove 0.32.1
/// into `libcove-schema-tables.json`): known fields, codelist fields and optional ids.
#[test]
fn schema_tables_match_the_ones_libcove_derives() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/libcove-schema-tables.json");
    let tables: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let schema = dream_validate::schema::oc4ids();

    let mut fields: Vec<&str> = schema.fields.iter().map(String::as_str).collect();
    fields.sort();
    let expected: Vec<&str> = tables["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(fields, expected);

    let codelists = tables["codelists"].as_object().unwrap();
    assert_eq!(schema.codelist_fields.len(), codelists.len());
    for (path, entry) in codelists {
        let (file, open) = &schema.codelist_fields[path];
        assert_eq!(entry[0], file.as_str(), "{path}");
        assert_eq!(entry[1], *open, "{path}");
    }

    let mut arrays: Vec<String> = schema
        .optional_id_arrays
        .iter()
        .map(|array| format!("{array}/id"))
        .collect();
    arrays.sort();
    let mut expected: Vec<&str> = tables["non_required_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    expected.sort();
    assert_eq!(arrays, expected);
}
