//! Pieces shared by every drawing: XML escaping, compact numbers, and the opening of an
//! accessible `<svg>` element with its `<title>` and `<desc>`.
//!
//! The drawings are written as plain strings because they are small and fixed in shape; a
//! document model would cost more code than it saves.

use std::fmt::Write;

/// The colour of text and outlines; near black rather than black so it reads softer on white.
// FIXME: the drawings assume a light page; a dark theme would need text in `currentColor` and
// a second set of fills, or the pages must keep a light background behind the drawings.
pub(crate) const INK: &str = "#1a1a1a";

/// Grey for secondary text such as axis labels; 9.7:1 against white.
pub(crate) const MUTED_INK: &str = "#4d4d4d";

/// Escapes text for use both in element content and in double- or single-quoted attributes.
pub(crate) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            // Control characters other than tab and newlines are not allowed in XML 1.0 at all,
            // so a stray one from user input would make the whole page unparseable as XML.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// Writes a coordinate with at most one decimal and without a trailing `.0`, which is plenty
/// for drawings whose viewBox is a few hundred units wide and keeps the markup short.
pub(crate) fn num(value: f64) -> String {
    let tenths = (value * 10.0).round() as i64;
    tenths_to_string(tenths)
}

/// Writes a whole number of tenths as a decimal (`-12` becomes `-1.2`, `30` becomes `3`).
pub(crate) fn tenths_to_string(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let magnitude = tenths.unsigned_abs();
    let (whole, fraction) = (magnitude / 10, magnitude % 10);
    if fraction == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    }
}

/// What the opening `<svg>` element of a drawing says about itself.
pub(crate) struct Head<'a> {
    /// A class naming the kind of drawing, also used to derive the element ids.
    pub kind: &'a str,
    /// `img` for pictures, `group` when the drawing contains links that must stay reachable.
    pub role: &'a str,
    pub width: f64,
    pub height: f64,
    pub title: &'a str,
    pub description: &'a str,
}

/// Opens an `<svg>` with a title and description wired up through ARIA, and returns the markup
/// together with the id prefix so that the drawing can give its own definitions unique ids.
pub(crate) fn open(head: &Head) -> (String, String) {
    let id = element_id(head);
    let mut out = String::new();
    let described_by = if head.description.is_empty() {
        String::new()
    } else {
        format!(r#" aria-describedby="{id}-d""#)
    };
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" \
            role=\"{role}\" aria-labelledby=\"{id}-t\"{described_by} class=\"dv {kind}\" \
            font-family=\"system-ui,sans-serif\" fill=\"{INK}\"><title id=\"{id}-t\">\
            {title}</title>",
        width = num(head.width),
        height = num(head.height),
        role = head.role,
        kind = head.kind,
        title = escape(head.title),
    );
    if !head.description.is_empty() {
        let _ = write!(
            out,
            r#"<desc id="{id}-d">{}</desc>"#,
            escape(head.description)
        );
    }
    (out, id)
}

/// Derives an id from what the drawing shows. A counter would make the output differ from call
/// to call, which defeats caching and snapshot tests; two identical drawings on one page share
/// ids, but then they also share the text those ids point to.
fn element_id(head: &Head) -> String {
    // FNV-1a: tiny, stable across Rust releases (unlike `DefaultHasher`), and good enough to
    // keep different drawings on one page apart.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [head.kind, head.title, head.description] {
        for byte in part.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("dv{:08x}", hash as u32)
}

/// A centred note shown instead of a drawing's content when there is nothing to draw, so
/// that the page says so in words rather than showing an empty frame.
pub(crate) fn no_data_note(x: f64, y: f64, font_size: f64, text: &str) -> String {
    format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"middle\" fill=\"{MUTED_INK}\" \
            class=\"dv-no-data\">{}</text>",
        num(x),
        num(y),
        num(font_size),
        escape(text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_quotes_and_ampersands() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn escaping_drops_control_characters_that_xml_forbids() {
        assert_eq!(escape("a\u{0}b\u{1b}c\td"), "abc\td");
    }

    #[test]
    fn numbers_have_one_decimal_at_most_and_no_negative_zero() {
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(-1.25), "-1.3");
        assert_eq!(num(0.05), "0.1");
    }

    #[test]
    fn ids_differ_between_drawings_and_repeat_for_the_same_drawing() {
        let head = |title| Head {
            kind: "dv-bars",
            role: "img",
            width: 1.0,
            height: 1.0,
            title,
            description: "",
        };
        assert_eq!(element_id(&head("A")), element_id(&head("A")));
        assert_ne!(element_id(&head("A")), element_id(&head("B")));
    }
}
