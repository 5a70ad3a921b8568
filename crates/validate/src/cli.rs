//! `dream validate FILE [--json]`: validates one package file and prints the summary or, with
//! `--json`, the whole report. The exit status tells the result: [`VALID`] when there are no
//! schema errors (other findings do not count), [`INVALID`] with schema errors, and
//! [`UNREADABLE`] when the file cannot be read as a package.

use std::io::Write;
use std::path::Path;

/// No schema errors.
pub const VALID: i32 = 0;
/// At least one schema error.
pub const INVALID: i32 = 1;
/// The file is missing, unreadable, not JSON or not a JSON object.
pub const UNREADABLE: i32 = 2;

/// Validates `path`, writes the result to `out` and problems to `err`, and returns the exit
/// status.
pub fn run(path: &Path, json: bool, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let report = match crate::validate_path(path) {
        Ok(report) => report,
        Err(error) => {
            let _ = writeln!(err, "dream validate: {}: {error}", path.display());
            return UNREADABLE;
        }
    };

    let written = if json {
        serde_json::to_writer_pretty(&mut *out, &report)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
    } else {
        report.write_summary(out, &path.display().to_string())
    };
    if let Err(error) = written.and_then(|()| out.flush()) {
        let _ = writeln!(err, "dream validate: cannot write the report: {error}");
        return UNREADABLE;
    }

    if report.is_valid() { VALID } else { INVALID }
}
