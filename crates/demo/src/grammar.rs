//! The little Ukrainian and English grammar the demo texts need: the cases of a hromada's or
//! an oblast's name (a feminine adjective such as Андріївська), numbers with grouped digits
//! and dates written out as each language writes them.

use time::Date;

/// The genitive of a feminine name: Андріївська → Андріївської, Асканія-Нова →
/// Асканії-Нової. Each part of a hyphenated name is declined.
pub(crate) fn genitive(name: &str) -> String {
    decline(name, "ої", "ії")
}

/// The locative of a feminine name: Харківська → Харківській.
pub(crate) fn locative(name: &str) -> String {
    decline(name, "ій", "ії")
}

/// Replaces the ending of every hyphen-separated part: `-а` of an adjective by
/// `adjective_ending`, `-ія` of a noun by `noun_ending`. Other parts stay as they are.
fn decline(name: &str, adjective_ending: &str, noun_ending: &str) -> String {
    let parts: Vec<String> = name
        .split('-')
        .map(|part| {
            if let Some(stem) = part.strip_suffix("ія") {
                format!("{stem}{noun_ending}")
            } else if let Some(stem) = part.strip_suffix('а') {
                format!("{stem}{adjective_ending}")
            } else {
                part.to_owned()
            }
        })
        .collect();
    parts.join("-")
}

/// `text` with its first letter in capitals.
pub(crate) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A whole number with its thousands apart, as Ukrainian writes them: 12 500.
pub(crate) fn number_uk(value: u64) -> String {
    group_digits(value, '\u{a0}')
}

/// A whole number with its thousands apart, as English writes them: 12,500.
pub(crate) fn number_en(value: u64) -> String {
    group_digits(value, ',')
}

fn group_digits(value: u64, separator: char) -> String {
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(separator);
        }
        grouped.push(digit);
    }
    grouped
}

/// A number of tenths with one decimal: 124 → "12,4" in Ukrainian, "12.4" in English.
pub(crate) fn tenths(value: u32, decimal_mark: char) -> String {
    format!("{}{decimal_mark}{}", value / 10, value % 10)
}

/// A date as Ukrainian documents write it: 23.05.2024.
pub(crate) fn date_uk(date: Date) -> String {
    format!(
        "{:02}.{:02}.{}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

/// A date as English prose writes it: 23 May 2024.
pub(crate) fn date_en(date: Date) -> String {
    format!("{} {} {}", date.day(), date.month(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn hromada_names_decline_like_feminine_adjectives() {
        assert_eq!(genitive("Андріївська"), "Андріївської");
        assert_eq!(locative("Харківська"), "Харківській");
        assert_eq!(genitive("Новоград-Волинська"), "Новоград-Волинської");
        assert_eq!(genitive("Асканія-Нова"), "Асканії-Нової");
    }

    #[test]
    fn numbers_and_dates_are_written_the_way_each_language_writes_them() {
        assert_eq!(number_uk(1_250_000), "1\u{a0}250\u{a0}000");
        assert_eq!(number_en(999), "999");
        assert_eq!(number_en(12_500), "12,500");
        assert_eq!(tenths(124, ','), "12,4");
        assert_eq!(date_uk(date!(2024 - 05 - 03)), "03.05.2024");
        assert_eq!(date_en(date!(2024 - 05 - 03)), "3 May 2024");
        assert_eq!(capitalised("ліцей №3"), "Ліцей №3");
    }
}
