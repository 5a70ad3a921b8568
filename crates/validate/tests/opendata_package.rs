//! Our own exporter's output passes our validator: a package of demo projects written by
//! `dream-opendata` has no schema errors and no findings that point at the exporter.

use dream_domain::territory::{Territory, TerritoryLevel};
use dream_opendata::oc4ids::{self, Publisher};
use time::macros::{date, datetime};

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

#[test]
fn a_package_of_demo_projects_has_no_schema_errors() {
    let demo = dream_demo::generate(60, 7, &hromadas(), date!(2025 - 06 - 01));
    let publisher = publisher();
    let projects = demo
        .projects
        .iter()
        .map(|(project, _)| oc4ids::project(project, &publisher));
    let mut package = Vec::new();
    let published = datetime!(2025-06-01 12:00 UTC);
    oc4ids::write_package(&mut package, &publisher, published, projects).unwrap();

    let report = dream_validate::validate_reader(package.as_slice()).unwrap();

    let errors: Vec<&str> = report
        .validation_errors
        .iter()
        .map(|g| g.descriptor.as_str())
        .collect();
    assert!(report.is_valid(), "{errors:#?}");
    assert!(
        report.conformance_checks.is_empty(),
        "{:?}",
        report.conformance_checks
    );
    assert!(
        report.additional_closed_codelist_values.is_empty(),
        "{:?}",
        report.additional_closed_codelist_values
    );
    let checks: Vec<&str> = report
        .additional_checks
        .iter()
        .map(|check| check.check_id)
        .collect();
    assert!(
        !checks.contains(&"missing-org-refs"),
        "{:?}",
        report.additional_checks
    );
}
