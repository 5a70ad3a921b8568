//! The two languages of the public pages: which one a URL asks for, and how numbers, money,
//! dates and plurals read in each. Ukrainian is the default and lives at the root of the
//! site; English lives under `/en`. The words of the pages are in `labels`.

use dream_domain::Currency;

/// A language the pages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Uk,
    En,
}

impl Lang {
    /// The language code, for `<html lang>` and `hreflang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Uk => "uk",
            Lang::En => "en",
        }
    }

    /// The start of every path in this language: nothing for Ukrainian, `/en` for English.
    pub fn prefix(self) -> &'static str {
        match self {
            Lang::Uk => "",
            Lang::En => "/en",
        }
    }

    /// The other language, which the switch in the header leads to.
    pub fn other(self) -> Lang {
        match self {
            Lang::Uk => Lang::En,
            Lang::En => Lang::Uk,
        }
    }

    /// Picks the text of this language from a Ukrainian and an English one.
    pub fn pick<'a>(self, uk: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Uk => uk,
            Lang::En => en,
        }
    }

    /// The path of `path` (which starts with `/` and has no language prefix) in this language.
    pub fn path(self, path: &str) -> String {
        match (self, path) {
            (Lang::En, "/") => "/en".to_owned(),
            _ => format!("{}{path}", self.prefix()),
        }
    }

    /// A count with its noun in the right plural form: `forms` are (one, few, many) in
    /// Ukrainian, and (one, other, other) in English.
    pub fn count(self, n: i64, uk: [&str; 3], en: [&str; 2]) -> String {
        let noun = match self {
            Lang::Uk => uk[ukrainian_plural(n)],
            Lang::En if n == 1 => en[0],
            Lang::En => en[1],
        };
        format!("{} {noun}", self.integer(n))
    }

    /// An integer with its thousands grouped as readers of the language expect.
    pub fn integer(self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let separator = match self {
            Lang::Uk => "\u{a0}",
            Lang::En => ",",
        };
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2 + 1);
        if n < 0 {
            out.push('−');
        }
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(separator);
            }
            out.push(digit);
        }
        out
    }

    /// A number with one decimal, the decimal mark as the language writes it.
    fn one_decimal(self, value: f64) -> String {
        let text = format!("{value:.1}");
        match self {
            Lang::Uk => text.replace('.', ","),
            Lang::En => text,
        }
    }

    /// An amount in whole units of its currency: `1 234 567 грн`, `UAH 1,234,567`.
    pub fn money(self, amount_minor: i64, currency: &str) -> String {
        let whole = (amount_minor + 50).div_euclid(minor_per_major(currency));
        self.with_currency(&self.integer(whole), currency)
    }

    /// A large amount shortened for a total or a chart: `12,3 млн грн`, `UAH 12.3 million`.
    pub fn money_short(self, amount_minor: i64, currency: &str) -> String {
        let major = amount_minor as f64 / minor_per_major(currency) as f64;
        let (scaled, unit) = if major.abs() >= 1e9 {
            (major / 1e9, self.pick("млрд", "billion"))
        } else if major.abs() >= 1e6 {
            (major / 1e6, self.pick("млн", "million"))
        } else if major.abs() >= 1e3 {
            (major / 1e3, self.pick("тис.", "thousand"))
        } else {
            return self.money(amount_minor, currency);
        };
        let number = format!("{} {unit}", self.one_decimal(scaled));
        self.with_currency(&number, currency)
    }

    fn with_currency(self, number: &str, currency: &str) -> String {
        match (self, currency) {
            (Lang::Uk, "UAH") => format!("{number}\u{a0}грн"),
            (Lang::Uk, _) => format!("{number}\u{a0}{currency}"),
            (Lang::En, _) => format!("{currency}\u{a0}{number}"),
        }
    }

    /// A date as a reader writes it: `3 грудня 2026`, `3 December 2026`.
    pub fn date(self, date: time::Date) -> String {
        let month = usize::from(u8::from(date.month())) - 1;
        let name = match self {
            Lang::Uk => MONTHS_UK_GENITIVE[month],
            Lang::En => MONTHS_EN[month],
        };
        format!("{} {name} {}", date.day(), date.year())
    }

    /// A month of a year, `2026-03` → `бер. 2026`, `Mar 2026`: the label of a chart column.
    pub fn month(self, year_month: &str) -> String {
        let (year, month) = year_month.split_once('-').unwrap_or((year_month, "01"));
        let index = month.parse::<usize>().unwrap_or(1).clamp(1, 12) - 1;
        let name = match self {
            Lang::Uk => MONTHS_UK_SHORT[index],
            Lang::En => &MONTHS_EN[index][..3],
        };
        format!("{name} {year}")
    }

    /// A share as a percentage with no decimals.
    pub fn percent(self, part: i64, whole: i64) -> String {
        if whole <= 0 {
            return "—".to_owned();
        }
        let share = (part as f64 / whole as f64 * 100.0).round() as i64;
        format!("{}\u{a0}%", self.integer(share))
    }
}

/// How many minor units make one major unit of a currency; the registry keeps two decimal
/// places for every currency it accepts except those without minor units.
fn minor_per_major(currency: &str) -> i64 {
    Currency::parse(currency).map_or(100, |c| 10_i64.pow(u32::from(c.minor_digits())))
}

/// The Ukrainian plural form of `n`: 0 for one (1, 21, 101), 1 for few (2–4, 22–24), and
/// 2 for many (0, 5–20, 25–30, 11–14).
pub fn ukrainian_plural(n: i64) -> usize {
    let n = n.unsigned_abs();
    match (n % 10, n % 100) {
        (1, tens) if tens != 11 => 0,
        (2..=4, tens) if !(12..=14).contains(&tens) => 1,
        _ => 2,
    }
}

const MONTHS_UK_GENITIVE: [&str; 12] = [
    "січня",
    "лютого",
    "березня",
    "квітня",
    "травня",
    "червня",
    "липня",
    "серпня",
    "вересня",
    "жовтня",
    "листопада",
    "грудня",
];
const MONTHS_UK_SHORT: [&str; 12] = [
    "січ.",
    "лют.",
    "бер.",
    "квіт.",
    "трав.",
    "черв.",
    "лип.",
    "серп.",
    "вер.",
    "жовт.",
    "лист.",
    "груд.",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ukrainian_nouns_take_the_form_their_number_asks_for() {
        let forms = ["проєкт", "проєкти", "проєктів"];
        let said = |n| Lang::Uk.count(n, forms, ["project", "projects"]);
        assert_eq!(said(1), "1 проєкт");
        assert_eq!(said(3), "3 проєкти");
        assert_eq!(said(5), "5 проєктів");
        assert_eq!(said(11), "11 проєктів");
        assert_eq!(said(12), "12 проєктів");
        assert_eq!(said(21), "21 проєкт");
        assert_eq!(said(22), "22 проєкти");
        assert_eq!(said(111), "111 проєктів");
        assert_eq!(said(1004), "1\u{a0}004 проєкти");
        assert_eq!(
            Lang::En.count(1, forms, ["project", "projects"]),
            "1 project"
        );
        assert_eq!(
            Lang::En.count(2000, forms, ["project", "projects"]),
            "2,000 projects"
        );
    }

    #[test]
    fn money_reads_in_each_language() {
        assert_eq!(
            Lang::Uk.money(123_456_789, "UAH"),
            "1\u{a0}234\u{a0}568\u{a0}грн"
        );
        assert_eq!(Lang::En.money(123_456_789, "UAH"), "UAH\u{a0}1,234,568");
        assert_eq!(
            Lang::Uk.money_short(1_234_000_000 * 100, "UAH"),
            "1,2 млрд\u{a0}грн"
        );
        assert_eq!(
            Lang::En.money_short(45_600_000 * 100, "EUR"),
            "EUR\u{a0}45.6 million"
        );
        assert_eq!(Lang::En.money_short(999 * 100, "USD"), "USD\u{a0}999");
    }

    #[test]
    fn dates_and_months_read_in_each_language() {
        let date = time::macros::date!(2026 - 12 - 03);
        assert_eq!(Lang::Uk.date(date), "3 грудня 2026");
        assert_eq!(Lang::En.date(date), "3 December 2026");
        assert_eq!(Lang::Uk.month("2026-03"), "бер. 2026");
        assert_eq!(Lang::En.month("2026-03"), "Mar 2026");
    }

    #[test]
    fn paths_keep_their_page_in_the_other_language() {
        assert_eq!(Lang::En.path("/"), "/en");
        assert_eq!(Lang::Uk.path("/"), "/");
        assert_eq!(
            Lang::En.path("/projects?sector=health"),
            "/en/projects?sector=health"
        );
    }
}
