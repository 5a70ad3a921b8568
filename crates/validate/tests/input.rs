//! Input that is not a package gets a clear message and the exit status 2, never a crash:
//! malformed JSON (with its line and column), JSON that is not an object, an empty or
//! missing file, and JSON nested far deeper than any package.

use std::io::Write;
use std::path::Path;

use dream_validate::{InputError, cli, validate_reader};

fn validate_text(text: &str) -> Result<dream_validate::Report, InputError> {
    validate_reader(text.as_bytes())
}

/// Runs the command on a file holding `text` and returns the exit status and the message.
fn run_on(text: &[u8]) -> (i32, String) {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("package.json");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(text)
        .unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = cli::run(&path, false, &mut out, &mut err);
    (status, String::from_utf8(err).unwrap())
}

#[test]
fn malformed_json_is_reported_with_its_line_and_column() {
    let error = validate_text("{\n  \"version\": \"0.9\",\n  \"uri\": }").unwrap_err();
    let InputError::Malformed { line, column, .. } = &error else {
        panic!("not a syntax error: {error}");
    };
    assert_eq!((*line, *column), (3, 10));
    assert!(
        error
            .to_string()
            .starts_with("not valid JSON at line 3, column 10: expected value")
    );
}

#[test]
fn a_json_array_is_not_a_package() {
    let error = validate_text(" [{\"id\": \"x\"}]").unwrap_err();
    assert_eq!(
        error.to_string(),
        "the file holds an array, not an OC4IDS project package (a JSON object)"
    );
    for (text, found) in [("\"x\"", "a string"), ("12", "a number"), ("null", "null")] {
        let error = validate_text(text).unwrap_err();
        assert!(
            matches!(error, InputError::NotAPackage { found: f } if f == found),
            "{text}"
        );
    }
}

#[test]
fn an_empty_file_is_not_a_package() {
    assert!(matches!(validate_text(""), Err(InputError::Empty)));
    assert!(matches!(
        validate_text("  \n"),
        Err(InputError::Malformed { .. })
    ));
}

#[test]
fn text_after_the_package_is_refused() {
    let error = validate_text("{\"projects\": []} {}").unwrap_err();
    assert!(error.to_string().contains("trailing characters"), "{error}");
}

#[test]
fn a_byte_order_mark_is_accepted_as_python_accepts_it() {
    let report = validate_reader(&b"\xef\xbb\xbf{\"hello\": 1}"[..]).unwrap();
    assert_eq!(report.validation_errors_count, 5);
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let depth = 200_000;
    let inside_a_field = format!("{{\"a\":{}{}}}", "[".repeat(depth), "]".repeat(depth));
    let inside_a_project = format!(
        "{{\"projects\":[{}{}]}}",
        "{\"a\":".repeat(depth),
        "}".repeat(depth)
    );
    for text in [inside_a_field, inside_a_project] {
        let error = validate_text(&text).unwrap_err();
        assert!(
            error.to_string().contains("nests deeper than 128 levels"),
            "{error}"
        );
    }
}

#[test]
fn nesting_within_the_limit_is_validated() {
    let text = format!(
        "{{\"projects\":[{{\"id\":\"oc4ids-abc123-1\",\"x\":{}1{}}}]}}",
        "[".repeat(120),
        "]".repeat(120)
    );
    let report = validate_text(&text).unwrap();
    assert_eq!(report.additional_fields_count, 1);
}

#[test]
fn the_command_exits_two_with_a_message_for_unreadable_input() {
    let (status, message) = run_on(b"{\"uri\": \"x\",");
    assert_eq!(status, cli::UNREADABLE);
    assert!(
        message.contains("not valid JSON at line 1, column 12"),
        "{message}"
    );

    let (status, message) = run_on(b"[1, 2]");
    assert_eq!(status, cli::UNREADABLE);
    assert!(message.contains("holds an array"), "{message}");

    let (status, message) = run_on(b"{\"a\": \"\xff\"}");
    assert_eq!(status, cli::UNREADABLE);
    assert!(message.contains("not valid JSON"), "{message}");
}

#[test]
fn the_command_exits_two_for_a_missing_file() {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = cli::run(
        Path::new("/nonexistent/package.json"),
        true,
        &mut out,
        &mut err,
    );
    assert_eq!(status, cli::UNREADABLE);
    assert!(out.is_empty());
    let message = String::from_utf8(err).unwrap();
    assert!(
        message.contains("cannot open the file: No such file"),
        "{message}"
    );
}

#[test]
fn the_command_exits_by_schema_errors_only() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let (mut out, mut err) = (Vec::new(), Vec::new());

    // The example has codelist findings but no schema errors.
    let valid = fixtures.join("cove-check/example.json");
    assert_eq!(cli::run(&valid, false, &mut out, &mut err), cli::VALID);
    let invalid = fixtures.join("lib-cove-oc4ids/rubbish.json");
    assert_eq!(cli::run(&invalid, true, &mut out, &mut err), cli::INVALID);
    assert!(err.is_empty());
}
