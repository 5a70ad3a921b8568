//! The registers' desk for the agency's administrators, `/cabinet/registers`: the latest
//! syncs of each state register (what was new, what changed, what failed and why) and the
//! conflicts waiting for a person, where a register disagrees with a value a person entered.
//! A conflict is settled here by keeping DREAM's value or taking the register's, as
//! `dream conflicts` does; taking it is a revision signed by the administrator.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use dream_registers::conflicts::{Choice, resolve};
use serde::Deserialize;

use super::forms::{administrator, csrf_ok, refused_form};
use super::{Chrome, Lang, Problem, Reader, both, render};
use crate::AppState;
use crate::auth::SignedIn;

pub fn router() -> Router<AppState> {
    let router = both(Router::new(), "/cabinet/registers", get(desk));
    both(router, "/cabinet/registers/conflicts/{id}", post(settle))
}

/// The registers DREAM syncs with, by the code their sync log uses, and their names.
const REGISTERS: [(&str, &str, &str); 4] = [
    ("prozorro", "Prozorro", "Prozorro"),
    (
        "edr",
        "Єдиний державний реєстр юридичних осіб",
        "Unified register of legal entities",
    ),
    (
        "rddp",
        "Реєстр пошкодженого та знищеного майна",
        "Register of damaged and destroyed property",
    ),
    ("treasury", "Казначейські платежі", "Treasury payments"),
];

/// Sync runs shown per register.
const RUNS_SHOWN: u32 = 5;

struct RunView {
    started: String,
    seconds: String,
    new: i64,
    changed: i64,
    unchanged: i64,
    failed: i64,
    log: Vec<String>,
}

struct RegisterView {
    name: String,
    runs: Vec<RunView>,
}

struct ConflictView {
    id: String,
    register: String,
    record: String,
    field: String,
    ours: String,
    theirs: String,
    since: String,
}

#[derive(Template)]
#[template(path = "registers.html")]
struct RegistersPage {
    chrome: Chrome,
    csrf: String,
    here: String,
    registers: Vec<RegisterView>,
    conflicts: Vec<ConflictView>,
}

/// The registers' desk is the agency administrators' alone.
fn administrator_only(reader: &Reader, signed_in: &SignedIn) -> Result<(), Box<Response>> {
    administrator(
        reader,
        signed_in,
        "Журнал реєстрів і конфлікти бачать адміністратори Агентства відновлення.",
        "The registers' log and conflicts are for administrators of the Restoration Agency.",
    )
}

async fn desk(State(state): State<AppState>, reader: Reader, signed_in: SignedIn) -> Response {
    if let Err(page) = administrator_only(&reader, &signed_in) {
        return *page;
    }
    let lang = reader.lang;
    let mut registers = Vec::with_capacity(REGISTERS.len());
    for (code, uk, en) in REGISTERS {
        let runs = match state.store.sync_runs(code, RUNS_SHOWN).await {
            Ok(runs) => runs,
            Err(error) => return Problem::from_store(&reader, error),
        };
        registers.push(RegisterView {
            name: lang.pick(uk, en).to_owned(),
            runs: runs
                .into_iter()
                .map(|run| RunView {
                    started: moment(lang, run.started_at.0),
                    seconds: format!(
                        "{:.1}",
                        (run.finished_at.0 - run.started_at.0).as_seconds_f64()
                    ),
                    new: run.new,
                    changed: run.changed,
                    unchanged: run.unchanged,
                    failed: run.failed,
                    log: run.log,
                })
                .collect(),
        });
    }
    let conflicts = match state.store.open_conflicts(None).await {
        Ok(conflicts) => conflicts,
        Err(error) => return Problem::from_store(&reader, error),
    };
    let none = lang.pick("(порожньо)", "(empty)");
    render(&RegistersPage {
        chrome: Chrome::new(&reader, lang.pick("Реєстри", "Registers"), "cabinet"),
        csrf: signed_in.session.csrf_token.clone(),
        here: lang.path("/cabinet/registers"),
        registers,
        conflicts: conflicts
            .into_iter()
            .map(|c| ConflictView {
                id: c.id,
                register: c.register.to_uppercase(),
                record: c.record_key,
                field: c.field,
                ours: c.our_value.unwrap_or_else(|| none.to_owned()),
                theirs: c.register_value,
                since: moment(lang, c.first_seen.0),
            })
            .collect(),
    })
}

/// A moment as the page's language writes it, to the minute, in UTC.
fn moment(lang: Lang, at: time::OffsetDateTime) -> String {
    format!(
        "{} {:02}:{:02} UTC",
        lang.date(at.date()),
        at.hour(),
        at.minute()
    )
}

#[derive(Deserialize)]
struct SettleForm {
    csrf: String,
    choice: String,
}

async fn settle(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<SettleForm>,
) -> Response {
    if !csrf_ok(&headers, &signed_in, &form.csrf) {
        return refused_form(&reader);
    }
    if let Err(page) = administrator_only(&reader, &signed_in) {
        return *page;
    }
    let choice = match form.choice.as_str() {
        "keep" => Choice::Keep,
        "take" => Choice::Take,
        _ => {
            return Problem::respond(
                &reader,
                StatusCode::BAD_REQUEST,
                "Оберіть: залишити значення DREAM або взяти значення реєстру.",
                "Choose: keep DREAM's value or take the register's.",
            );
        }
    };
    let who = crate::api::steps::signature(&signed_in.session.user);
    match resolve(&state.store, &id, choice, &who).await {
        Ok(conflict) => {
            tracing::info!(conflict.id = %conflict.id, "conflict {} settled", conflict.id);
            Redirect::to(&reader.lang.path("/cabinet/registers")).into_response()
        }
        Err(error) => Problem::from_store(&reader, error),
    }
}
