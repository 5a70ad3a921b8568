//! How Python writes and compares values. The official validator builds its messages with
//! Python's `repr`, `str` and `json.dumps`, groups errors by a `json.dumps` string and
//! compares values with `==`; to report the same text we have to write values the same way.

use std::fmt::Write;

use unicode_general_category::{GeneralCategory, get_general_category};

use crate::json::{Json, Number};

/// Python's `repr(value)` for a value read by `json.loads`.
pub fn repr(value: &Json) -> String {
    let mut out = String::new();
    write_repr(value, &mut out);
    out
}

/// Python's `str(value)`: a string as it is, anything else as its `repr`.
pub fn str(value: &Json) -> String {
    match value {
        Json::String(text) => text.clone(),
        other => repr(other),
    }
}

fn write_repr(value: &Json, out: &mut String) {
    match value {
        Json::Null => out.push_str("None"),
        Json::Bool(true) => out.push_str("True"),
        Json::Bool(false) => out.push_str("False"),
        Json::Number(number) => out.push_str(&number_text(*number)),
        Json::String(text) => out.push_str(&repr_str(text)),
        Json::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_repr(item, out);
            }
            out.push(']');
        }
        Json::Object(members) => {
            out.push('{');
            for (index, (key, item)) in members.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                out.push_str(&repr_str(key));
                out.push_str(": ");
                write_repr(item, out);
            }
            out.push('}');
        }
    }
}

/// A number as Python prints it: an `int` in full, a `float` by its shortest round-trip
/// digits, with an exponent below 1e-4 and from 1e16 on (`1e+16`, `1e-05`).
pub fn number_text(number: Number) -> String {
    match number {
        Number::Int(int) => int.to_string(),
        Number::Float(float) => float_repr(float),
    }
}

fn float_repr(float: f64) -> String {
    if float.is_nan() {
        return "nan".into();
    }
    if float.is_infinite() {
        return if float > 0.0 { "inf" } else { "-inf" }.into();
    }
    // Rust's `{:e}` gives the same shortest round-trip digits as Python's `repr`.
    let scientific = format!("{:e}", float.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let point = exponent + 1;
    let sign = if float.is_sign_negative() { "-" } else { "" };

    if !(-3..=16).contains(&point) {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        return format!(
            "{sign}{first}{fraction}e{exponent_sign}{:02}",
            exponent.abs()
        );
    }
    let length = digits.len() as i32;
    let body = if point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else if point < length {
        format!(
            "{}.{}",
            &digits[..point as usize],
            &digits[point as usize..]
        )
    } else {
        format!("{digits}{}.0", "0".repeat((point - length) as usize))
    };
    format!("{sign}{body}")
}

/// Python's `repr` of a string: single quotes unless only double quotes avoid escaping,
/// and escapes for backslashes, the quote and characters Python does not print.
pub fn repr_str(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for character in text.chars() {
        match character {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            _ if character == quote => {
                out.push('\\');
                out.push(character);
            }
            _ if is_printable(character) => out.push(character),
            _ => push_escape(character, &mut out),
        }
    }
    out.push(quote);
    out
}

fn push_escape(character: char, out: &mut String) {
    let code = u32::from(character);
    let _ = if code < 0x100 {
        write!(out, "\\x{code:02x}")
    } else if code < 0x10000 {
        write!(out, "\\u{code:04x}")
    } else {
        write!(out, "\\U{code:08x}")
    };
}

/// Python's `str.isprintable` for one character: everything but controls, format
/// characters, surrogates, private use, unassigned code points and separators other
/// than the plain space.
fn is_printable(character: char) -> bool {
    if character == ' ' {
        return true;
    }
    !matches!(
        get_general_category(character),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::Surrogate
            | GeneralCategory::PrivateUse
            | GeneralCategory::Unassigned
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
            | GeneralCategory::SpaceSeparator
    )
}

/// Python's `json.dumps(value)` with its defaults: `", "` and `": "` as separators and every
/// character outside ASCII escaped. The official validator groups errors by this text.
pub fn json_dumps(value: &Json) -> String {
    let mut out = String::new();
    write_json(value, &mut out);
    out
}

fn write_json(value: &Json, out: &mut String) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(true) => out.push_str("true"),
        Json::Bool(false) => out.push_str("false"),
        Json::Number(number) => out.push_str(&number_text(*number)),
        Json::String(text) => write_json_str(text, out),
        Json::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Json::Object(members) => {
            out.push('{');
            for (index, (key, item)) in members.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_json_str(key, out);
                out.push_str(": ");
                write_json(item, out);
            }
            out.push('}');
        }
    }
}

/// A string as `json.dumps` writes it with `ensure_ascii`.
pub fn write_json_str(text: &str, out: &mut String) {
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='\u{7f}' => out.push(character),
            _ => {
                let mut units = [0u16; 2];
                for unit in character.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
}

/// Python's `==` between two values read by `json.loads`: `True == 1 == 1.0`, and arrays and
/// objects equal when their members are.
pub fn loose_eq(left: &Json, right: &Json) -> bool {
    match (left, right) {
        (Json::Null, Json::Null) => true,
        (Json::String(a), Json::String(b)) => a == b,
        (Json::Array(a), Json::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| loose_eq(x, y))
        }
        (Json::Object(a), Json::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, x)| b.get(key).is_some_and(|y| loose_eq(x, y)))
        }
        _ => match (numeric(left), numeric(right)) {
            (Some(a), Some(b)) => numbers_equal(a, b),
            _ => false,
        },
    }
}

/// A value as a Python number: booleans count as 0 and 1.
fn numeric(value: &Json) -> Option<Number> {
    match value {
        Json::Bool(flag) => Some(Number::Int(i128::from(*flag))),
        Json::Number(number) => Some(*number),
        _ => None,
    }
}

/// Exact comparison of an int with a float, as Python does.
pub fn numbers_equal(left: Number, right: Number) -> bool {
    match (left, right) {
        (Number::Float(a), Number::Float(b)) => a == b,
        _ => match (left.as_exact_int(), right.as_exact_int()) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        },
    }
}

/// Python's `str.strip()` emptiness test: whether the text has only whitespace, where
/// Python also counts the information separators U+001C to U+001F as whitespace.
pub fn is_blank(text: &str) -> bool {
    text.chars()
        .all(|character| character.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&character))
}

/// Python's `template.format(*args)` for templates whose only fields are `{}`; `{{` and `}}`
/// stand for braces. Any other field makes Python raise, and then the text stays as it is.
pub fn format_positional(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut next_arg = 0;
    let mut chars = template.chars().peekable();
    while let Some(character) = chars.next() {
        match (character, chars.peek()) {
            ('{', Some('{')) | ('}', Some('}')) => {
                out.push(character);
                chars.next();
            }
            ('{', Some('}')) if next_arg < args.len() => {
                out.push_str(args[next_arg]);
                next_arg += 1;
                chars.next();
            }
            ('{', _) | ('}', _) => return template.to_owned(),
            _ => out.push(character),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn float(value: f64) -> String {
        number_text(Number::Float(value))
    }

    #[test]
    fn floats_are_written_as_python_writes_them() {
        assert_eq!(float(1.0), "1.0");
        assert_eq!(float(-0.0), "-0.0");
        assert_eq!(float(0.1), "0.1");
        assert_eq!(float(123.456), "123.456");
        assert_eq!(float(0.0001), "0.0001");
        assert_eq!(float(0.00001), "1e-05");
        assert_eq!(float(1e15), "1000000000000000.0");
        assert_eq!(float(1e16), "1e+16");
        assert_eq!(float(1.5e300), "1.5e+300");
        assert_eq!(float(-2.5e-7), "-2.5e-07");
    }

    #[test]
    fn strings_are_quoted_and_escaped_as_python_repr_does() {
        assert_eq!(repr_str(""), "''");
        assert_eq!(repr_str("it's"), "\"it's\"");
        assert_eq!(repr_str("it's \"x\""), "'it\\'s \"x\"'");
        assert_eq!(repr_str("a\\b\n"), "'a\\\\b\\n'");
        assert_eq!(repr_str("Київ\u{a0}\u{7f}"), "'Київ\\xa0\\x7f'");
        assert_eq!(repr_str("\u{200b}"), "'\\u200b'");
    }

    #[test]
    fn containers_are_written_as_python_repr_does() {
        let value = crate::json::parse(r#"{"a": [true, null, 1.0, "x"], "b": {}}"#).unwrap();
        assert_eq!(repr(&value), "{'a': [True, None, 1.0, 'x'], 'b': {}}");
    }

    #[test]
    fn json_dumps_escapes_everything_outside_ascii() {
        let value = crate::json::parse(r#"{"m": "doesn’t \"x\" 😀", "v": [1, 2.0]}"#).unwrap();
        assert_eq!(
            json_dumps(&value),
            r#"{"m": "doesn\u2019t \"x\" \ud83d\ude00", "v": [1, 2.0]}"#
        );
    }

    #[test]
    fn equality_follows_python_where_true_equals_one() {
        let parse = |text| crate::json::parse(text).unwrap();
        assert!(loose_eq(&parse("1"), &parse("1.0")));
        assert!(loose_eq(&parse("true"), &parse("1")));
        assert!(!loose_eq(&parse("\"1\""), &parse("1")));
        assert!(loose_eq(
            &parse(r#"{"a":1,"b":2}"#),
            &parse(r#"{"b":2,"a":1.0}"#)
        ));
    }

    #[test]
    fn format_fills_empty_fields_in_order() {
        assert_eq!(
            format_positional("{}'{}' is {}", &["A ", "x", "y"]),
            "A 'x' is y"
        );
        assert_eq!(format_positional("{{}} {x}", &["a"]), "{{}} {x}");
        assert_eq!(format_positional("{{}}", &[]), "{}");
    }

    #[test]
    fn blank_means_python_strip_leaves_nothing() {
        assert!(is_blank(""));
        assert!(is_blank(" \t\n\u{a0}\u{1f}"));
        assert!(!is_blank(" x "));
    }
}
