//! Full-text search with one meaning on both databases: every word the user typed must
//! start a word of the project, in any language. SQLite answers from an FTS5 table,
//! PostgreSQL from a `tsvector` column; this module turns free text into each one's query.

use crate::Backend;

/// The words of a search, cleaned of everything that either query language would read as
/// an operator.
pub(crate) struct SearchQuery {
    words: Vec<String>,
}

/// More words than this add nothing but cost.
const MAX_WORDS: usize = 8;

impl SearchQuery {
    /// Splits free text into words of letters and digits; `None` when nothing is left.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .take(MAX_WORDS)
            .map(|word| stem(&word.to_lowercase()))
            .collect();
        (!words.is_empty()).then_some(Self { words })
    }

    /// The query in the backend's own syntax: prefix terms joined by AND.
    pub(crate) fn for_backend(&self, backend: Backend) -> String {
        match backend {
            Backend::Sqlite => {
                let terms: Vec<String> = self.words.iter().map(|w| format!("\"{w}\"*")).collect();
                terms.join(" ")
            }
            Backend::Postgres => {
                let terms: Vec<String> = self.words.iter().map(|w| format!("{w}:*")).collect();
                terms.join(" & ")
            }
        }
    }
}

/// Ukrainian inflects nouns by their endings (ліцей, ліцею, ліцеї), so a Cyrillic search
/// word loses up to two final vowels, `й` or `ь` (keeping at least four letters) and then
/// matches as a prefix every form of the word.
fn stem(word: &str) -> String {
    const ENDINGS: &str = "аеєиіїйоуюяь";
    let mut letters: Vec<char> = word.chars().collect();
    let cyrillic = letters.iter().any(|c| ('\u{400}'..='\u{4ff}').contains(c));
    for _ in 0..2 {
        match letters.last() {
            Some(last) if cyrillic && letters.len() > 4 && ENDINGS.contains(*last) => {
                letters.pop();
            }
            _ => break,
        }
    }
    letters.into_iter().collect()
}

/// At most this many matches count as rare: sorting them is cheaper than walking an index
/// in list order and testing every project on the way.
pub(crate) const RARE_MATCHES: i64 = 5_000;

/// The SQL condition that keeps the projects matching the query bound at `$index`.
///
/// On PostgreSQL the planner cannot tell how rare a prefix search is, and for a rare word
/// it may walk the whole list index testing each row's `tsvector`, which takes a second at
/// 100,000 projects. The count, taken first, tells: when the matches are `rare`, they are
/// read from the search index behind a fence (`OFFSET 0`) and sorted; when they are many,
/// walking the list index finds a page of them within a few rows.
pub(crate) fn condition(backend: Backend, index: usize, rare: bool) -> String {
    match backend {
        Backend::Sqlite => {
            format!("p.id IN (SELECT id FROM project_search WHERE project_search MATCH ${index})")
        }
        Backend::Postgres if rare => format!(
            "p.id IN (SELECT s.id FROM projects s \
             WHERE s.search @@ to_tsquery('simple', ${index}) OFFSET 0)"
        ),
        Backend::Postgres => format!("p.search @@ to_tsquery('simple', ${index})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_and_quotes_never_reach_the_query_language() {
        let query = SearchQuery::parse("Школа\" OR * (NEAR) -лікарня").unwrap();
        assert_eq!(
            query.for_backend(Backend::Sqlite),
            "\"школ\"* \"or\"* \"near\"* \"лікарн\"*"
        );
        assert_eq!(
            query.for_backend(Backend::Postgres),
            "школ:* & or:* & near:* & лікарн:*"
        );
        assert!(SearchQuery::parse(" -- ** ").is_none());
    }

    #[test]
    fn ukrainian_words_match_in_every_case() {
        let stems: Vec<String> = ["ліцей", "ліцею", "лікарня", "мосту", "school", "дах"]
            .into_iter()
            .map(stem)
            .collect();
        assert_eq!(stems, ["ліце", "ліце", "лікарн", "мост", "school", "дах"]);
    }
}
