//! The OC4IDS package of a demo registry, checked by the official OC4IDS validator
//! (libcoveoc4ids, run by `shared/tools/oc4ids-review`): it must have no schema errors.

use std::process::Command;

use dream_domain::territory::{Territory, TerritoryLevel};
use dream_opendata::oc4ids::{self, Publisher};
use serde_json::Value;
use time::macros::{date, datetime};

const VALIDATOR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/tools/oc4ids-review"
);

/// The codifier's hromadas: lines of category `H`, whose own code is the third level.
fn hromadas() -> Vec<Territory> {
    let units = dream_domain::territory::codifier().into_iter();
    units
        .filter(|unit| unit.level == TerritoryLevel::Hromada)
        .collect()
}

fn publisher() -> Publisher {
    Publisher {
        name: "DREAM".into(),
        uri: "https://dream.gov.ua".into(),
        prefix: "ua0001".into(),
        license: "https://creativecommons.org/licenses/by/4.0/".into(),
        publication_policy: Some("https://dream.gov.ua/opendata/policy".into()),
    }
}

/// Writes the package of `count` demo projects to a file and returns its path.
fn demo_package(count: usize, file_name: &str) -> std::path::PathBuf {
    let demo = dream_demo::generate(count, 42, &hromadas(), date!(2025 - 06 - 01));
    let publisher = publisher();
    let projects = demo
        .projects
        .iter()
        .map(|(project, _)| oc4ids::project(project, &publisher));

    let path = std::env::temp_dir().join(file_name);
    let file = std::fs::File::create(&path).unwrap();
    let published = datetime!(2025-06-01 12:00 UTC);
    let written = oc4ids::write_package(file, &publisher, published, projects).unwrap();
    assert_eq!(written, count);
    path
}

#[test]
fn the_package_is_one_json_document_with_every_project() {
    let path = demo_package(20, "dream-oc4ids-shape.json");
    let package: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();

    assert_eq!(package["version"], "0.9");
    assert_eq!(package["publishedDate"], "2025-06-01T12:00:00.000000Z");
    let projects = package["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 20);
    for project in projects {
        assert!(
            project["id"]
                .as_str()
                .unwrap()
                .starts_with("oc4ids-ua0001-DREAM-UA-")
        );
        assert_eq!(project["language"], "uk");
    }
}

#[test]
fn every_party_a_project_references_is_among_its_parties() {
    let path = demo_package(100, "dream-oc4ids-parties.json");
    let package: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();

    for project in package["projects"].as_array().unwrap() {
        let parties: Vec<&str> = project["parties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|party| party["id"].as_str().unwrap())
            .collect();
        let mut references = vec![&project["publicAuthority"]["id"]];
        references.extend(
            project["budget"]["finance"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|finance| &finance["financingParty"]["id"]),
        );
        for reference in references.into_iter().filter_map(Value::as_str) {
            assert!(
                parties.contains(&reference),
                "{reference} in {}",
                project["id"]
            );
        }
    }
}

#[test]
fn the_official_validator_finds_no_schema_errors_in_300_demo_projects() {
    let path = demo_package(300, "dream-oc4ids-review.json");

    let output = Command::new(VALIDATOR)
        .arg("--json")
        .arg(&path)
        .output()
        .unwrap_or_else(|error| {
            panic!("cannot run the official validator at {VALIDATOR} (shared/ beside the clone): {error}")
        });
    let review: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}", String::from_utf8_lossy(&output.stderr)));

    let errors = &review["validation_errors"];
    assert_eq!(
        review["validation_errors_count"], 0,
        "schema errors: {errors:#}"
    );
    let checks = &review["additional_checks"];
    let no_checks = match checks {
        Value::Null => true,
        Value::Array(list) => list.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    };
    assert!(no_checks, "additional checks: {checks:#}");
}
