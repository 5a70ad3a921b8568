//! Documents and photos that the people who may edit a project attach to it, shared by the
//! API (`api/documents.rs`) and the cabinet's form (`pages/uploads.rs`): reading an upload
//! sent as `multipart/form-data`, deciding its format by its bytes, keeping the file in the
//! file store under a name made from the project and the file's SHA-256, and adding the
//! document to the project as a revision by the person who sent it.
//!
//! Nothing is kept from a refused upload: every field is checked before the file is stored,
//! and the stored file is deleted again when the revision cannot be written.
//!
//! FIXME: the whole request, upload included, must end within the 30-second request timeout
//! of `lib.rs`, so a file of 20 MiB needs a link of about 6 Mbit/s; slower senders get 408.
//! An upload held in memory whole also bounds how many can arrive at once.

use std::fmt::Write as _;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, header};
use dream_domain::ProjectId;
use dream_domain::codelist::{AccessDetails, DocumentType};
use dream_domain::formats::{Claims, FileFormat, check_file};
use dream_domain::policy::{Action, Actor, ProjectFacts, can};
use dream_domain::project::{Document, Project};
use dream_domain::text::Text;
use dream_domain::workflow::{Step, transition};
use dream_files::{FileStore, Key};
use dream_store::StoreError;
use dream_store::revisions::Change;
use futures_util::StreamExt;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::ApiError;

/// The largest file accepted when the configuration names no other limit.
pub const DEFAULT_LIMIT_BYTES: u64 = 20 * 1024 * 1024;

/// Room in a request beside the file: its text fields and the multipart framing.
const FRAMING_BYTES: u64 = 256 * 1024;

/// The longest text field read; a title or a reason needs far less.
const TEXT_FIELD_BYTES: usize = 8 * 1024;

/// The most parts an upload may have: the file, its type, two titles, a reason, a form token.
const MAX_PARTS: usize = 12;

/// The longest title, in characters, in either language.
const TITLE_CHARS: usize = 300;

/// The longest reason, in characters, as for every other write of the API.
const REASON_CHARS: usize = 1000;

/// Where the files of documents live in the file store, beside the open data.
const FOLDER: &str = "documents";

/// Why an upload was refused: the HTTP status, the field at fault if one is, and the reason
/// in both languages, so that the API and the Ukrainian and English pages can each say it.
#[derive(Debug)]
pub struct Refused {
    pub status: StatusCode,
    pub field: Option<&'static str>,
    pub message: Text,
    /// What went wrong inside, for the log; the person sees only a generic message.
    pub detail: Option<String>,
}

impl Refused {
    fn new(status: StatusCode, field: Option<&'static str>, uk: String, en: String) -> Self {
        Refused {
            status,
            field,
            message: Text::new(uk, en),
            detail: None,
        }
    }

    fn field(field: &'static str, uk: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(field),
            uk.into(),
            en.into(),
        )
    }

    fn malformed(en: String) -> Self {
        let uk = format!("Запит не вдалося прочитати як форму з файлом ({en}).");
        Self::new(StatusCode::BAD_REQUEST, None, uk, en)
    }

    fn too_large(limit_bytes: u64) -> Self {
        let (uk, en) = size_in_words(limit_bytes);
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            Some("file"),
            format!("Файл більший за дозволені {uk} ({limit_bytes} байтів)."),
            format!("the file is larger than the limit of {en} ({limit_bytes} bytes)"),
        )
    }

    fn internal(detail: String) -> Self {
        Refused {
            detail: Some(detail),
            ..Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                None,
                "Не вдалося зберегти документ. Спробуйте ще раз за хвилину.".into(),
                "the document could not be saved; please try again in a minute".into(),
            )
        }
    }
}

/// A size as a person reads it, in Ukrainian and English: whole MiB or KiB where it is one.
pub fn size_in_words(bytes: u64) -> (String, String) {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        (
            format!("{} МіБ", bytes / MIB),
            format!("{} MiB", bytes / MIB),
        )
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        (
            format!("{} КіБ", bytes / KIB),
            format!("{} KiB", bytes / KIB),
        )
    } else {
        (format!("{bytes} байтів"), format!("{bytes} bytes"))
    }
}

impl From<StoreError> for Refused {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { entity, id } => Self::new(
                StatusCode::NOT_FOUND,
                None,
                format!("Запису {id} у реєстрі немає."),
                format!("{entity} {id} does not exist"),
            ),
            StoreError::Conflict(message) => Self::new(
                StatusCode::CONFLICT,
                None,
                "Проєкт щойно змінив хтось інший. Відкрийте його ще раз і повторіть.".into(),
                message,
            ),
            StoreError::Invalid(errors) => {
                let en = errors.to_string();
                let uk = format!("Проєкт у нинішньому стані не можна зберегти: {en}");
                Self::new(StatusCode::UNPROCESSABLE_ENTITY, None, uk, en)
            }
            other => Self::internal(other.to_string()),
        }
    }
}

impl From<Refused> for ApiError {
    fn from(refused: Refused) -> Self {
        let en = refused.message.in_lang("en").to_owned();
        match refused.status {
            StatusCode::UNPROCESSABLE_ENTITY => {
                ApiError::field(refused.field.unwrap_or("project"), en)
            }
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge(format!("file: {en}")),
            StatusCode::FORBIDDEN => ApiError::Forbidden(en),
            StatusCode::NOT_FOUND => ApiError::NotFound(en),
            StatusCode::CONFLICT => ApiError::Conflict(en),
            StatusCode::BAD_REQUEST => ApiError::BadRequest(en),
            _ => ApiError::Internal(refused.detail.unwrap_or(en)),
        }
    }
}

/// A document and its file as sent, checked and ready to be kept.
pub struct Upload {
    pub document_type: DocumentType,
    pub title: Text,
    /// Why the document is added, in the sender's words; a default names the document.
    pub reason: Option<String>,
    pub format: FileFormat,
    pub bytes: Bytes,
}

/// What the parts of an upload said, before they are checked: a form shown again after a
/// refusal fills in what was typed from here.
#[derive(Default)]
pub struct Sent {
    file: Option<(Vec<u8>, Option<String>, Option<String>)>,
    texts: Vec<(String, String)>,
    /// The first thing found wrong while the parts were read (a file over the limit, a
    /// field too long); the rest was read all the same, to answer the sender.
    refused: Option<Refused>,
}

impl Sent {
    /// The text sent in the field `name`, or nothing.
    pub fn text(&self, name: &str) -> &str {
        self.texts
            .iter()
            .find(|(field, _)| field == name)
            .map_or("", |(_, value)| value.as_str())
    }

    /// Checks every part: a known type, a Ukrainian title, and a file within the limit whose
    /// bytes are a kept format that agrees with its name, its declared type and the document
    /// type. The fields named in `allowed` (a form token) are the caller's to check.
    pub fn check(mut self, allowed: &[&str]) -> Result<Upload, Refused> {
        match self.refused.take() {
            Some(refused) => Err(refused),
            None => check_upload(self, allowed),
        }
    }

    fn refuse(&mut self, refused: Refused) {
        self.refused.get_or_insert(refused);
    }
}

/// Reads an upload from a `multipart/form-data` request: the file may hold `limit_bytes`,
/// and the fields `documentType`, `title.uk`, `title.en` (optional) and `reason`
/// (optional) go with it. A file over the limit is read to its end (and no further than
/// the limit allows) before [`Sent::check`] refuses it, so that the sender sees the answer
/// rather than a connection closed in the middle of sending.
pub async fn read_upload(
    headers: &HeaderMap,
    body: Body,
    limit_bytes: u64,
) -> Result<Sent, Refused> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| Refused::malformed("send the document as multipart/form-data".to_owned()))?;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit_bytes + FRAMING_BYTES) {
        return Err(Refused::too_large(limit_bytes));
    }
    read_parts(body, &boundary, limit_bytes).await
}

async fn read_parts(body: Body, boundary: &str, limit_bytes: u64) -> Result<Sent, Refused> {
    let limits = multer::SizeLimit::new().whole_stream(limit_bytes + FRAMING_BYTES);
    let constraints = multer::Constraints::new().size_limit(limits);
    let mut multipart =
        multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);
    let mut sent = Sent::default();
    let mut count = 0;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return Ok(sent),
            Err(error) => return Err(stream_error(error, limit_bytes, &sent)),
        };
        count += 1;
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let declared = field
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let cap = if name == "file" {
            limit_bytes as usize
        } else {
            TEXT_FIELD_BYTES
        };
        let (bytes, over) = match read_field(&mut field, cap).await {
            Ok(read) => read,
            Err(error) => return Err(stream_error(error, limit_bytes, &sent)),
        };
        if count > MAX_PARTS {
            sent.refuse(Refused::malformed(format!(
                "an upload has at most {MAX_PARTS} parts"
            )));
        } else if name == "file" {
            if over {
                sent.refuse(Refused::too_large(limit_bytes));
            }
            sent.file = Some((bytes, file_name, declared));
        } else if over {
            sent.refuse(Refused::field(
                field_name(&name),
                format!("Поле «{name}» задовге: щонайбільше {TEXT_FIELD_BYTES} байтів."),
                format!("at most {TEXT_FIELD_BYTES} bytes"),
            ));
        } else {
            match String::from_utf8(bytes) {
                Ok(text) => sent.texts.push((name, text)),
                Err(_) => sent.refuse(Refused::field(
                    field_name(&name),
                    format!("Поле «{name}» має бути текстом UTF-8."),
                    "must be UTF-8 text",
                )),
            }
        }
    }
}

/// The bytes of one part up to `cap`, and whether there were more; the rest of a part over
/// the cap is read and dropped.
async fn read_field(
    field: &mut multer::Field<'static>,
    cap: usize,
) -> Result<(Vec<u8>, bool), multer::Error> {
    let mut bytes = Vec::new();
    let mut over = false;
    while let Some(chunk) = field.chunk().await? {
        if over || bytes.len() + chunk.len() > cap {
            over = true;
        } else {
            bytes.extend_from_slice(&chunk);
        }
    }
    Ok((bytes, over))
}

/// The answer to a request that ended while its parts were read.
fn stream_error(error: multer::Error, limit_bytes: u64, sent: &Sent) -> Refused {
    let over = sent
        .refused
        .as_ref()
        .is_some_and(|refused| refused.status == StatusCode::PAYLOAD_TOO_LARGE);
    match error {
        multer::Error::StreamSizeExceeded { .. } => Refused::too_large(limit_bytes),
        _ if over => Refused::too_large(limit_bytes),
        other => Refused::malformed(format!("the form cannot be read: {other}")),
    }
}

/// The static name of a field the upload knows, for errors about it.
fn field_name(name: &str) -> &'static str {
    match name {
        "documentType" => "documentType",
        "title.uk" => "title.uk",
        "title.en" => "title.en",
        "reason" => "reason",
        "file" => "file",
        _ => "form",
    }
}

fn check_upload(sent: Sent, allowed: &[&str]) -> Result<Upload, Refused> {
    let mut document_type = None;
    let mut title = Text {
        uk: String::new(),
        en: None,
    };
    let mut reason = None;
    for (name, value) in sent.texts {
        let value = value.trim().to_owned();
        match name.as_str() {
            "documentType" => document_type = Some(value),
            "title.uk" => title.uk = value,
            "title.en" => title.en = Some(value).filter(|en| !en.is_empty()),
            "reason" => reason = Some(value).filter(|reason| !reason.is_empty()),
            other if allowed.contains(&other) => {}
            other => {
                return Err(Refused::field(
                    "form",
                    format!("Невідоме поле «{other}»."),
                    format!("unknown field {other:?}"),
                ));
            }
        }
    }

    let document_type = parse_type(document_type.as_deref())?;
    check_title(&title)?;
    let reason_chars = reason
        .as_ref()
        .map_or(0, |reason: &String| reason.chars().count());
    if reason_chars > REASON_CHARS {
        return Err(Refused::field(
            "reason",
            format!("Причина задовга: щонайбільше {REASON_CHARS} символів."),
            format!("at most {REASON_CHARS} characters, got {reason_chars}"),
        ));
    }
    let Some((bytes, file_name, declared)) = sent.file else {
        return Err(Refused::field(
            "file",
            "Оберіть файл.",
            "send the file in a part named \"file\"",
        ));
    };
    let claims = Claims {
        file_name: file_name.as_deref().filter(|name| !name.is_empty()),
        declared_type: declared.as_deref(),
    };
    let format = check_file(&bytes, claims, document_type).map_err(|problem| {
        let message = problem.message();
        let en = message.in_lang("en").to_owned();
        Refused::field("file", message.uk, en)
    })?;
    Ok(Upload {
        document_type,
        title,
        reason,
        format,
        bytes: Bytes::from(bytes),
    })
}

fn parse_type(given: Option<&str>) -> Result<DocumentType, Refused> {
    let given = given.unwrap_or_default();
    given.parse().map_err(|_| {
        let expected = DocumentType::expected();
        let (uk, en) = if given.is_empty() {
            (
                "Оберіть тип документа.".to_owned(),
                format!("required; one of {expected}"),
            )
        } else {
            (
                format!("Невідомий тип документа «{given}»."),
                format!("unknown document type {given:?}; one of {expected}"),
            )
        };
        Refused::field("documentType", uk, en)
    })
}

fn check_title(title: &Text) -> Result<(), Refused> {
    if title.uk.is_empty() {
        return Err(Refused::field(
            "title.uk",
            "Назва українською обов'язкова.",
            "the Ukrainian title is required",
        ));
    }
    for (field, text) in [
        ("title.uk", Some(&title.uk)),
        ("title.en", title.en.as_ref()),
    ] {
        let chars = text.map_or(0, |text| text.chars().count());
        if chars > TITLE_CHARS {
            return Err(Refused::field(
                field,
                format!("Назва задовга: щонайбільше {TITLE_CHARS} символів, а не {chars}."),
                format!("at most {TITLE_CHARS} characters, got {chars}"),
            ));
        }
    }
    Ok(())
}

/// Whether `actor` may attach documents to `project`, and where the project's stage goes.
/// While a project is prepared, whoever may edit it attaches documents, and attaching one to
/// an idea makes it a project being defined, as any edit does. Once it is approved, its
/// initiator reports the works in progress and completed (`ReportProgress`), which moves
/// nothing.
pub fn authorise(
    actor: &Actor,
    project: &Project,
) -> Result<dream_domain::codelist::StatusDetails, Refused> {
    let facts = ProjectFacts::of(project, None);
    let edit = transition(actor, &Step::Edit, &facts);
    if let Ok(moved) = edit {
        return Ok(moved.to);
    }
    let report = can(actor, Action::ReportProgress, &facts);
    if report.is_ok() {
        return Ok(facts.stage);
    }
    let refusal = match report {
        // A refusal for the stage says what editing needs; one for the person says why not.
        Err(refusal) if refusal.kind != dream_domain::policy::RefusalKind::WrongStage => refusal,
        _ => edit
            .err()
            .unwrap_or_else(|| unreachable!("the edit was refused above")),
    };
    Err(Refused {
        status: StatusCode::FORBIDDEN,
        field: None,
        detail: None,
        message: refusal.message,
    })
}

/// Reads and drops what is left of a refused request, up to what an upload may hold, so that
/// the sender receives the refusal instead of a broken connection.
pub async fn drain(body: Body, limit_bytes: u64) {
    let mut stream = body.into_data_stream();
    let mut read = 0u64;
    while let Some(Ok(chunk)) = stream.next().await {
        read += chunk.len() as u64;
        if read > limit_bytes + FRAMING_BYTES {
            break;
        }
    }
}

/// The key a document's file is stored under: the project, then the file's SHA-256, so that
/// a file is never stored twice for one project and its name cannot be chosen by a sender.
pub fn file_key(project: &ProjectId, sha256: &str) -> Result<Key, Refused> {
    Key::new(format!("{FOLDER}/{project}/{sha256}"))
        .map_err(|error| Refused::internal(error.to_string()))
}

/// The address a document's file is served at, under the installation's public address.
pub fn file_url(state: &AppState, project: &ProjectId, document: &str) -> String {
    let site = state.publisher.uri.trim_end_matches('/');
    format!("{site}/api/v1/projects/{project}/documents/{document}")
}

/// The file store documents are kept in: the one store of the installation.
pub fn file_store(state: &AppState) -> Result<&FileStore, Refused> {
    state.files.as_ref().ok_or_else(|| {
        Refused::internal("this installation has no file store (DREAM_FILES) for documents".into())
    })
}

fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Keeps the file and adds the document to the project as a revision by `actor`. The
/// project is read again here, after the upload arrived, and the policy asked again: the
/// write names the revision read, so that a change made meanwhile is never overwritten.
pub async fn attach(
    state: &AppState,
    actor: &Actor,
    id: &ProjectId,
    upload: Upload,
) -> Result<Document, Refused> {
    let (project, revision) = state.store.project(id).await?;
    let stage = authorise(actor, &project)?;
    let sha256 = sha256_hex(&upload.bytes);
    if let Some(same) = kept_as(&project, &sha256) {
        return Err(Refused::new(
            StatusCode::CONFLICT,
            Some("file"),
            format!("Цей файл уже додано до проєкту як документ {}.", same.id),
            format!("this file is already document {} of the project", same.id),
        ));
    }
    let files = file_store(state)?;
    let key = file_key(id, &sha256)?;
    let document = Document {
        url: Some(file_url(state, id, &sha256[..16])),
        id: sha256[..16].to_owned(),
        document_type: upload.document_type,
        title: upload.title,
        format: upload.format.media_type().to_owned(),
        date_published: dream_store::now().date(),
        access_details: AccessDetails::Open,
        size_bytes: Some(upload.bytes.len() as u64),
        sha256: Some(sha256.clone()),
    };
    let mut patch = vec![json!({"op": "add", "path": "/documents/-", "value": document})];
    if stage != project.content.status_details {
        patch.push(json!({"op": "replace", "path": "/statusDetails", "value": stage}));
    }
    let change = Change {
        author: actor.name.clone(),
        reason: upload.reason.clone().unwrap_or_else(|| {
            let kind = document.document_type.as_str();
            format!("added {kind} {}: {}", document.id, document.title.uk)
        }),
    };

    files
        .put(&key, upload.bytes)
        .await
        .map_err(|error| Refused::internal(error.to_string()))?;
    let written = state
        .store
        .patch_project(id, &json!(patch), Some(revision), &change)
        .await;
    if let Err(error) = written {
        forget_file(state, files, id, &key, &sha256).await;
        return Err(error.into());
    }
    tracing::info!(project.id = %id, document.id = %document.id,
        "document {} attached to project {id}", document.id);
    Ok(document)
}

/// The document of `project` whose file has this SHA-256, if there is one.
fn kept_as<'a>(project: &'a Project, sha256: &str) -> Option<&'a Document> {
    project
        .content
        .documents
        .iter()
        .find(|document| document.sha256.as_deref() == Some(sha256))
}

/// Deletes a file stored for a write that failed, unless the project holds it all the same
/// (the same file sent twice at once, one of them written); when that cannot be read, the
/// file stays, since a file too many is harmless and a missing one is not.
async fn forget_file(state: &AppState, files: &FileStore, id: &ProjectId, key: &Key, sha: &str) {
    let needed = match state.store.project(id).await {
        Ok((project, _)) => kept_as(&project, sha).is_some(),
        Err(_) => true,
    };
    if needed {
        return;
    }
    if let Err(error) = files.delete(key).await {
        tracing::warn!(file.key = %key, "cannot delete {key} after a refused write: {error}");
    }
}
