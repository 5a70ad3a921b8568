//! `dream validate` as a user runs it: the exit status says whether the package has schema
//! errors, and `--json` prints the report.

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../validate/tests/fixtures")
        .join(name)
}

fn dream_validate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dream"))
        .arg("validate")
        .args(args)
        .env(
            "DATABASE_URL",
            "sqlite://this-file-must-never-be-created.db",
        )
        .output()
        .unwrap()
}

#[test]
fn a_valid_package_exits_zero_and_says_so() {
    let path = fixture("cove-check/example.json");
    let output = dream_validate(&[path.to_str().unwrap()]);

    assert_eq!(output.status.code(), Some(0));
    let summary = String::from_utf8(output.stdout).unwrap();
    assert!(
        summary.contains("schema errors:                    0"),
        "{summary}"
    );
    assert!(summary.contains("Result: valid"), "{summary}");
}

#[test]
fn a_package_with_schema_errors_exits_one_and_lists_them() {
    let path = fixture("cove-check/invalid-package.json");
    let output = dream_validate(&[path.to_str().unwrap()]);

    assert_eq!(output.status.code(), Some(1));
    let summary = String::from_utf8(output.stdout).unwrap();
    assert!(
        summary.contains("projects/0/title: '' should be non-empty"),
        "{summary}"
    );
    assert!(
        summary.contains("Result: invalid: 6 schema errors"),
        "{summary}"
    );
}

#[test]
fn json_output_is_the_whole_report() {
    let path = fixture("lib-cove-oc4ids/validation-errors-package.json");
    let output = dream_validate(&["--json", path.to_str().unwrap()]);

    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["validation_errors_count"], 61);
    assert_eq!(report["additional_fields_count"], 10);
}

#[test]
fn a_missing_file_exits_two_with_a_message() {
    let output = dream_validate(&["/nonexistent/package.json"]);

    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8(output.stderr).unwrap();
    assert!(message.contains("cannot open the file"), "{message}");
    assert!(!std::path::Path::new("this-file-must-never-be-created.db").exists());
}
