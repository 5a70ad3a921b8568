//! Words the drawings write themselves, in the portal's two languages, and a rough measure of
//! how wide a piece of text will be, since an SVG string cannot ask the browser.

/// The language of the few words a drawing writes on its own, such as "no data".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Uk,
    En,
}

impl Language {
    /// Shown in place of a chart or in a map legend when there are no values.
    pub(crate) fn no_data(self) -> &'static str {
        match self {
            Language::Uk => "Немає даних",
            Language::En => "No data",
        }
    }
}

/// Estimates the width of `text` at `font_size`, in the same units.
///
/// The factors are averages of common sans-serif faces for Latin and Cyrillic letters. They
/// err on the wide side, so labels may get a little more room than they need but rarely less.
pub(crate) fn estimate_width(text: &str, font_size: f64) -> f64 {
    let ems: f64 = text.chars().map(character_width).sum();
    ems * font_size
}

fn character_width(character: char) -> f64 {
    match character {
        ' ' | '\u{a0}' | '\u{202f}' => 0.28,
        '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'i' | 'l' | 'j' | 'і' | 'ї' | 'I' | 'І' => {
            0.3
        }
        'f' | 't' | 'r' | '(' | ')' | '-' => 0.38,
        'm' | 'w' | 'M' | 'W' | 'м' | 'ш' | 'щ' | 'ж' | 'ю' | 'Ш' | 'Щ' | 'Ж' | 'Ю' | 'М' => {
            0.85
        }
        '0'..='9' => 0.56,
        c if c.is_uppercase() => 0.68,
        _ => 0.56,
    }
}

/// Breaks `text` into at most `max_lines` lines that fit `max_width`, at spaces where possible.
/// Text that still does not fit is cut and ends with an ellipsis; the caller keeps the full
/// text in a `<title>` so nothing is lost for people who hover or use a screen reader.
pub(crate) fn wrap(text: &str, font_size: f64, max_width: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if estimate_width(&candidate, font_size) <= max_width || current.is_empty() {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_owned()));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }

    if lines.len() > max_lines {
        let rest = lines.split_off(max_lines - 1).join(" ");
        lines.push(rest);
    }
    for line in &mut lines {
        *line = truncate(line, font_size, max_width);
    }
    lines
}

/// Shortens one line to fit `max_width`, ending it with an ellipsis when anything was cut.
fn truncate(line: &str, font_size: f64, max_width: f64) -> String {
    if estimate_width(line, font_size) <= max_width {
        return line.to_owned();
    }
    let budget = max_width - estimate_width("…", font_size);
    let mut kept = String::new();
    for character in line.chars() {
        if estimate_width(&kept, font_size) + character_width(character) * font_size > budget {
            break;
        }
        kept.push(character);
    }
    format!("{}…", kept.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_oblast_name_wraps_at_the_space() {
        let lines = wrap("Дніпропетровська область", 13.0, 130.0, 2);
        assert_eq!(lines, ["Дніпропетровська", "область"]);
    }

    #[test]
    fn text_beyond_the_last_line_is_cut_with_an_ellipsis() {
        let lines = wrap("один два три чотири пʼять шість сім", 13.0, 60.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert!(lines.iter().all(|line| estimate_width(line, 13.0) <= 60.0));
    }

    #[test]
    fn short_text_stays_on_one_line() {
        assert_eq!(wrap("Київ", 13.0, 100.0, 2), ["Київ"]);
    }
}
