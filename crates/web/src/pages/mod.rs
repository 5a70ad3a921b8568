//! The pages a browser opens. For now the start page: what this installation holds, the
//! latest projects, and where the API is. It is rendered on the server and needs no script.

use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use dream_store::projects::{ProjectFilter, ProjectSort};

use crate::AppState;
use crate::error::ApiError;

mod data;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(start))
        .route("/favicon.svg", get(favicon))
        .merge(data::router())
}

/// The site icon: a blue and yellow square, the colours of the flag.
const FAVICON: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="16" fill="#0057b7"/><rect y="16" width="32" height="16" fill="#ffd700"/>
</svg>"##;

async fn favicon() -> impl axum::response::IntoResponse {
    (
        [
            (axum::http::header::CONTENT_TYPE, "image/svg+xml"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        FAVICON,
    )
}

/// The few styles every page shares: readable width, plain tables, a visible focus.
pub(crate) const STYLE: &str = "
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem;
  padding: 0 1rem; color: #1a1a1a; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd; }
td.money { text-align: right; white-space: nowrap; }
code { font-size: .8rem; word-break: break-all; }
dt { font-weight: 600; }
a { color: #0b4f9c; }
a:focus { outline: 3px solid #f2b705; }
";

/// Escapes text for HTML element content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The gate of a project's route as a Ukrainian reader says it; an unknown code shows as is.
fn stage_uk(code: &str) -> &str {
    match code {
        "initiated" => "Ідея",
        "definition" => "Визначення",
        "defined" => "Визначено",
        "appraisal" => "Оцінювання",
        "appraised" => "Оцінено",
        "structuring" => "Структурування",
        "structured" => "Структуровано",
        "applied" => "Подано на конкурс",
        "refused" => "Відхилено",
        "approved" => "Схвалено",
        "implementation" => "Реалізація",
        other => other,
    }
}

/// Writes minor units of hryvnia as whole hryvnias with thin-space thousands: 1 250 000 ₴.
fn hryvnias(minor: i64) -> String {
    let digits = (minor / 100).to_string();
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push('\u{202f}');
        }
        grouped.push(digit);
    }
    format!("{grouped}\u{a0}₴")
}

async fn start(State(state): State<AppState>) -> Result<Html<String>, ApiError> {
    let page = state
        .store
        .list_projects(&ProjectFilter::default(), ProjectSort::UpdatedDesc, 0, 20)
        .await?;
    let rows: String = page
        .items
        .iter()
        .map(|p| {
            format!(
                "<tr><td><a href=\"/api/v1/projects/{id}\">{title}</a></td><td>{place}</td>\
                 <td>{status}</td><td class=\"money\">{need}</td></tr>",
                id = escape(&p.id),
                title = escape(&p.title_uk),
                place = escape(
                    p.hromada_name
                        .as_deref()
                        .or(p.oblast_name.as_deref())
                        .unwrap_or("")
                ),
                status = escape(stage_uk(&p.status_details)),
                need = hryvnias(p.need_minor),
            )
        })
        .collect();
    Ok(Html(format!(
        r#"<!doctype html>
<html lang="uk">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>DREAM — реєстр проєктів відновлення</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>{STYLE}</style>
</head>
<body>
<main>
<h1>DREAM: проєкти відновлення України</h1>
<p>У реєстрі {total} проєктів. Усі дані доступні через <a href="/api/docs/">JSON API</a> і як <a href="/data">відкриті дані</a>.</p>
<table>
<caption>Нещодавно змінені проєкти</caption>
<thead><tr><th scope="col">Проєкт</th><th scope="col">Громада</th><th scope="col">Етап</th><th scope="col">Потреба</th></tr></thead>
<tbody>{rows}</tbody>
</table>
</main>
</body>
</html>"#,
        total = page.total,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_titles_is_escaped() {
        assert_eq!(
            escape("<b>\"Школа\" & 'сад'</b>"),
            "&lt;b&gt;&quot;Школа&quot; &amp; &#39;сад&#39;&lt;/b&gt;"
        );
    }

    #[test]
    fn every_gate_of_the_route_has_a_ukrainian_name() {
        for gate in dream_domain::codelist::StatusDetails::ALL {
            assert_ne!(stage_uk(gate.as_str()), gate.as_str(), "{gate}");
        }
    }

    #[test]
    fn hryvnias_are_grouped_by_thousands() {
        assert_eq!(hryvnias(125_000_050), "1\u{202f}250\u{202f}000\u{a0}₴");
        assert_eq!(hryvnias(99), "0\u{a0}₴");
    }
}
