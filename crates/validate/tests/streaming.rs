//! A package far larger than one project is read project by project: memory stays near the
//! size of one project, and checks across projects (a repeated project id) still work.
//!
//! The package here is about 24 MB, so that the test stays quick in a debug build; the
//! figures for the release binary on a 1 GB package are in the crate documentation
//! (`src/lib.rs`). A package held whole in memory would need several times its size.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use serde_json::Value;

const PROJECTS: usize = 900;

/// Writes a package of `PROJECTS` copies of the example's project, each with its own id,
/// except the last, which repeats the first id and has a title that is not a string.
fn write_big_package(path: &Path) -> u64 {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let example: Value =
        serde_json::from_slice(&std::fs::read(fixtures.join("cove-check/example.json")).unwrap())
            .unwrap();
    let mut project = example["projects"][0].clone();

    let mut out = BufWriter::new(File::create(path).unwrap());
    write!(
        out,
        "{{\"version\":\"0.9\",\"uri\":\"https://example.org/big.json\","
    )
    .unwrap();
    write!(
        out,
        "\"publishedDate\":\"2025-01-01T00:00:00Z\",\"publisher\":{{\"name\":\"X\"}},"
    )
    .unwrap();
    write!(out, "\"projects\":[").unwrap();
    for index in 0..PROJECTS {
        let last = index + 1 == PROJECTS;
        let number = if last { 0 } else { index };
        project["id"] = format!("oc4ids-bu3kcz-{number:06}").into();
        if last {
            project["title"] = 42.into();
        }
        if index > 0 {
            out.write_all(b",\n").unwrap();
        }
        serde_json::to_writer(&mut out, &project).unwrap();
    }
    out.write_all(b"]}").unwrap();
    out.flush().unwrap();
    std::fs::metadata(path).unwrap().len()
}

/// The peak resident memory of this process so far, in bytes (Linux).
fn peak_memory() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .unwrap();
    let kilobytes: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kilobytes * 1024
}

#[test]
fn a_large_package_is_validated_in_memory_smaller_than_the_file() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("big.json");
    let size = write_big_package(&path);
    assert!(size > 20_000_000, "the package is only {size} bytes");

    // `validate_path` reads a file this small whole, which is faster; a reader is streamed
    // whatever its size, as `validate_path` streams files beyond 64 MiB.
    let report = dream_validate::validate_reader(File::open(&path).unwrap()).unwrap();

    let messages: Vec<(&str, &str)> = report
        .validation_errors
        .iter()
        .flat_map(|group| {
            group
                .places
                .iter()
                .map(|place| (group.message.as_str(), place.path.as_str()))
        })
        .collect();
    let last = format!("projects/{}/title", PROJECTS - 1);
    assert_eq!(
        messages,
        [
            (
                "'title' is not a string. Check that the value is not null, and has quotes at the \
              start and end. Escape any quotes in the value with '\\'",
                last.as_str()
            ),
            ("Non-unique id values", "projects"),
        ]
    );
    assert_eq!(report.validation_errors_count, 2);
    let peak = peak_memory();
    assert!(
        peak < size,
        "peak memory {peak} bytes for a package of {size} bytes"
    );
}
