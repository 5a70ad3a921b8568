//! Our own OC4IDS 0.9.5 validator, reporting what the official one (libcoveoc4ids 0.9.1, the
//! library behind the OC4IDS Data Review Tool) reports: schema errors, values outside closed
//! and open codelists, fields the schema does not describe, the additional checks (empty
//! values, amounts without a currency, organisation references missing from the parties) and
//! the project id prefix check. `dream validate FILE [--json]` runs it; see [`cli`].
//!
//! Why our own draft 4 evaluator ([`evaluate`]) rather than the `jsonschema` crate: the
//! official results come from libcove's changes to draft 4 (booleans are not numbers,
//! `uniqueItems` reports repeated ids, enums on codelists are dropped, `format` follows
//! Python's `rfc3339-validator` and `rfc3987`), and its report is built from details of each
//! error (the keyword's value as written, the instance, the path) in Python's own notation.
//! The OC4IDS schema uses only a dozen keywords, so evaluating them ourselves over a value that
//! keeps document order is short and lets every quirk be matched, and it lets the package be
//! streamed project by project ([`package`]), which a whole-document validator cannot do.
//!
//! The schema and codelists are embedded from `data/oc4ids/` (see `data/SOURCES.md`); nothing
//! is read or fetched at run time. Parity is tested against the official outputs committed in
//! `tests/fixtures/`.
//!
//! Measured with `/usr/bin/time target/release/dream validate` on a shared two-core machine:
//! a generated 1 GB package (41,083 copies of the OC4IDS example project, 26 KB each) took
//! 83 s with a peak resident memory of 15 MB when projects were checked on the reading
//! thread; the export of 20,000 demo projects (116 MB, streamed) takes 1.5 s at 36 MB with
//! the checking thread and mimalloc (2.6 s at 15 MB before). `tests/streaming.rs` checks
//! that the peak stays below the size of a 24 MB package.
//!
//! Known differences from the official validator, all on input nobody publishes:
//! JSON nested deeper than 128 levels, `NaN`/`Infinity`, lone surrogates and integers beyond
//! 64 bits are refused or read as floats by `serde_json` where Python reads them; a repeated
//! top-level key is checked twice (see [`package`]).

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

pub mod checks;
pub mod cli;
pub mod codelists;
pub mod descriptor;
pub mod evaluate;
pub mod fields;
pub mod formats;
pub mod json;
pub mod package;
pub mod python;
pub mod report;
pub mod schema;

pub use report::Report;

/// Files up to this size are read whole and parsed from memory, which is about twice as
/// fast; bigger ones are streamed, so memory stays flat however big the package is.
const READ_WHOLE_BYTES: u64 = 64 * 1024 * 1024;

/// Validates the package in the file at `path`.
pub fn validate_path(path: &Path) -> Result<Report, InputError> {
    let mut file = File::open(path).map_err(InputError::Open)?;
    let size = file.metadata().map_err(InputError::Open)?.len();
    if size > READ_WHOLE_BYTES {
        return validate_reader(file);
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.read_to_end(&mut bytes).map_err(InputError::Read)?;
    package::analyse_bytes(&bytes)
}

/// Validates a package read from `reader`, which is read once, as a stream.
pub fn validate_reader(reader: impl Read) -> Result<Report, InputError> {
    package::analyse(reader)
}

/// Why a package could not be validated at all.
#[derive(Debug)]
pub enum InputError {
    /// The file could not be opened.
    Open(io::Error),
    /// Reading failed part way.
    Read(io::Error),
    /// There was nothing to read.
    Empty,
    /// The JSON is well formed, but not an object.
    NotAPackage { found: &'static str },
    /// The text is not JSON, or nests deeper than 128 levels.
    Malformed {
        message: String,
        line: usize,
        column: usize,
    },
}

impl InputError {
    fn from_json(error: serde_json::Error) -> InputError {
        if error.is_io() {
            return InputError::Read(io::Error::other(error.to_string()));
        }
        let text = error.to_string();
        let message = match text.rsplit_once(" at line ") {
            Some((message, _)) => message.to_owned(),
            None => text,
        };
        InputError::Malformed {
            message,
            line: error.line(),
            column: error.column(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        match self {
            InputError::Open(error) => write!(formatter, "cannot open the file: {error}"),
            InputError::Read(error) => write!(formatter, "cannot read the file: {error}"),
            InputError::Empty => write!(formatter, "the file is empty, not an OC4IDS package"),
            InputError::NotAPackage { found } => write!(
                formatter,
                "the file holds {found}, not an OC4IDS project package (a JSON object)"
            ),
            InputError::Malformed {
                message,
                line,
                column,
            } if message.contains("recursion limit") => {
                write!(
                    formatter,
                    "the JSON nests deeper than 128 levels (at line {line}, column {column}), \
                     more than this validator reads"
                )
            }
            InputError::Malformed {
                message,
                line,
                column,
            } => {
                write!(
                    formatter,
                    "not valid JSON at line {line}, column {column}: {message}"
                )
            }
        }
    }
}

impl std::error::Error for InputError {}
