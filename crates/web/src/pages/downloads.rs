//! The catalogue's downloads: the whole filtered list of projects as CSV (streamed page by
//! page as the database gives it, so memory stays flat at any length) or as an Excel
//! workbook (its rows kept on disk while it is written, then sent as one file).

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use dream_domain::{Currency, Money};
use dream_store::Store;
use dream_store::projects::{ProjectFilter, ProjectSummary};
use futures_util::StreamExt;
use rust_xlsxwriter::{Workbook, XlsxError};

use super::filters::ListQuery;
use super::i18n::Lang;
use crate::AppState;
use crate::error::ApiError;

/// How many projects one read from the database brings.
const BATCH: u32 = 1000;

/// The columns of a download, the same in both formats.
const HEADER: [&str; 19] = [
    "id",
    "title_uk",
    "title_en",
    "status",
    "status_details",
    "sector",
    "subsector",
    "purpose",
    "project_type",
    "oblast",
    "oblast_name",
    "hromada",
    "hromada_name",
    "initiator_edrpou",
    "initiator_name",
    "currency",
    "need",
    "secured",
    "updated_at",
];

/// The columns holding amounts, written as numbers in a workbook.
const AMOUNTS: [usize; 2] = [16, 17];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/projects.csv", get(csv_download))
        .route("/projects.xlsx", get(xlsx_download))
}

fn row(p: &ProjectSummary) -> [String; 19] {
    let amount = |minor: i64| match Currency::parse(&p.currency).map(|c| Money::new(minor, c)) {
        Ok(Ok(money)) => money.major_text(),
        _ => minor.to_string(),
    };
    [
        p.id.clone(),
        p.title_uk.clone(),
        p.title_en.clone().unwrap_or_default(),
        p.status.clone(),
        p.status_details.clone(),
        p.sector.clone(),
        p.subsector.clone().unwrap_or_default(),
        p.purpose.clone(),
        p.project_type.clone(),
        p.oblast.clone(),
        p.oblast_name.clone().unwrap_or_default(),
        p.hromada.clone().unwrap_or_default(),
        p.hromada_name.clone().unwrap_or_default(),
        p.initiator.clone(),
        p.initiator_name.clone(),
        p.currency.clone(),
        amount(p.need_minor),
        amount(p.secured_minor),
        p.updated_at
            .0
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
    ]
}

/// The filter of a download's query; a value it cannot use is refused, since a file that
/// silently ignored part of its filter would mislead whoever opens it.
fn filter_of(pairs: Vec<(String, String)>) -> Result<ProjectFilter, ApiError> {
    let query = ListQuery::parse(pairs, Lang::En);
    match query.problems.first() {
        Some((name, reason)) => Err(ApiError::BadRequest(format!("parameter `{name}` {reason}"))),
        None => Ok(query.filter),
    }
}

fn attachment(name: &str) -> String {
    format!("attachment; filename=\"{name}\"")
}

async fn csv_download(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let filter = filter_of(pairs)?;
    let mut head = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    head.write_record(HEADER)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let head = head
        .into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let pages = futures_util::stream::unfold(
        Some((state.store.clone(), filter, None::<ProjectSummary>)),
        |cursor| async move {
            let (store, filter, after) = cursor?;
            match csv_batch(&store, &filter, after.as_ref()).await {
                Ok((bytes, Some(last))) => Some((Ok(bytes), Some((store, filter, Some(last))))),
                Ok((bytes, None)) => Some((Ok(bytes), None)),
                Err(error) => {
                    tracing::error!(error = %error, "a CSV download stopped half way");
                    Some((Err(std::io::Error::other(error.to_string())), None))
                }
            }
        },
    );
    // Fused, because a compressing layer may poll the body once more after its end.
    let body = futures_util::stream::once(async { Ok(Bytes::from(head)) })
        .chain(pages)
        .fuse();
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                attachment("dream-projects.csv"),
            ),
        ],
        Body::from_stream(body),
    )
        .into_response())
}

/// One batch of rows as CSV text, and the last project of it when more may follow.
async fn csv_batch(
    store: &Store,
    filter: &ProjectFilter,
    after: Option<&ProjectSummary>,
) -> Result<(Bytes, Option<ProjectSummary>), ApiError> {
    let items = store.projects_after(filter, after, BATCH).await?;
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(items.len() * 300));
    for item in &items {
        writer
            .write_record(row(item))
            .map_err(|e| ApiError::Internal(e.to_string()))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let more = (items.len() == BATCH as usize)
        .then(|| items.into_iter().next_back())
        .flatten();
    Ok((Bytes::from(bytes), more))
}

async fn xlsx_download(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let filter = filter_of(pairs)?;
    let xlsx = |e: XlsxError| ApiError::Internal(format!("workbook: {e}"));
    let mut workbook = Workbook::new();
    let mut sheet = workbook
        .new_worksheet_with_constant_memory()
        .map_err(xlsx)?;
    sheet.set_name("projects").map_err(xlsx)?;
    for (column, title) in HEADER.iter().enumerate() {
        sheet.write_string(0, column as u16, *title).map_err(xlsx)?;
    }
    let mut line = 1;
    let mut after: Option<ProjectSummary> = None;
    loop {
        let items = state
            .store
            .projects_after(&filter, after.as_ref(), BATCH)
            .await?;
        for item in &items {
            for (column, value) in row(item).iter().enumerate() {
                let number = AMOUNTS
                    .contains(&column)
                    .then(|| value.parse::<f64>().ok())
                    .flatten();
                match number {
                    Some(number) => sheet.write_number(line, column as u16, number),
                    None => sheet.write_string(line, column as u16, value),
                }
                .map_err(xlsx)?;
            }
            line += 1;
        }
        if items.len() < BATCH as usize {
            break;
        }
        after = items.into_iter().next_back();
    }
    workbook.push_worksheet(sheet);
    let bytes = tokio::task::spawn_blocking(move || workbook.save_to_buffer())
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(xlsx)?;
    Ok((
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                attachment("dream-projects.xlsx"),
            ),
        ],
        bytes,
    )
        .into_response())
}
