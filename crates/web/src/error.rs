//! The one error type of the web layer. Each case knows its HTTP status, and every error
//! reaches the client in the same JSON shape:
//!
//! ```json
//! {"error": {"code": "invalid_input", "message": "…", "fields": [{"field": "…", "message": "…"}]}}
//! ```
//!
//! Internal errors are logged once, here, and the client sees only a generic message and
//! the request id to quote.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dream_domain::{FieldError, FieldErrors};
use dream_store::StoreError;
use serde_json::json;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// The request is bigger than what is accepted; the message names the limit.
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    Internal(String),
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Invalid(_) => "invalid_input",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::Conflict(_) => "conflict",
            ApiError::TooLarge(_) => "too_large",
            ApiError::Internal(_) => "internal",
        }
    }

    /// One wrong field, as a complete error.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Invalid(
            FieldError {
                field: field.into(),
                message: message.into(),
            }
            .into(),
        )
    }
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        ApiError::Invalid(errors)
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { .. } => ApiError::NotFound(error.to_string()),
            StoreError::Invalid(errors) => ApiError::Invalid(errors),
            StoreError::Conflict(message) => ApiError::Conflict(message),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let (message, fields) = match &self {
            ApiError::Internal(detail) => {
                tracing::error!(error.detail = %detail, "request failed: {detail}");
                (
                    "internal error; quote the x-request-id header when reporting it".to_owned(),
                    None,
                )
            }
            ApiError::Invalid(errors) => (describe(errors), Some(errors.clone())),
            other => (other.to_string(), None),
        };
        let mut error = json!({"code": self.code(), "message": message});
        if let Some(fields) = fields {
            error["fields"] = json!(fields);
        }
        (status, Json(json!({ "error": error }))).into_response()
    }
}

/// A one-line summary of field errors, for clients that show only the message.
fn describe(errors: &FieldErrors) -> String {
    match errors.len() {
        1 => format!("invalid input: {errors}"),
        n => format!("invalid input: {n} fields are wrong: {errors}"),
    }
}

/// Turns a panic inside a handler into the generic internal error.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a handler panicked");
    ApiError::Internal(format!("panic: {detail}")).into_response()
}
