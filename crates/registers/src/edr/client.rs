//! The EDR API over HTTP: the record of one legal entity by its EDRPOU code, found in the
//! list of subjects with that code and then read in full.

use reqwest::Url;

use dream_domain::Edrpou;

use crate::http::{ConfigError, RegisterConfig, RegisterError, RegisterHttp};

use super::mapping::{self, EdrRecord};

/// The root of the EDR API that NAIS, the register's holder, runs for the bodies it has a
/// contract with; it asks for `Authorization: Token …` on every request, which the client
/// sends from [`RegisterConfig::authorization`] (`DREAM_EDR_TOKEN`).
pub const PUBLIC_API: &str = "https://zqedr-api.nais.gov.ua/1.0";

/// A client of the EDR API.
#[derive(Debug)]
pub struct EdrClient {
    http: RegisterHttp,
}

impl EdrClient {
    pub fn new(config: RegisterConfig) -> Result<Self, ConfigError> {
        Ok(Self {
            http: RegisterHttp::new(config)?,
        })
    }

    /// The register's record of `code`. A code the register does not list is
    /// [`RegisterError::NotFound`].
    pub async fn fetch(&self, code: &Edrpou) -> Result<EdrRecord, RegisterError> {
        let list_url = self.http.url(&["subjects"], &[("code", code.as_str())]);
        let body = self.http.get(&list_url).await?;
        let subjects = mapping::subjects_from_json(&body).map_err(|e| e.at(&list_url))?;
        let Some(subject) = mapping::pick_subject(&subjects, code) else {
            return Err(RegisterError::NotFound {
                url: list_url.to_string(),
            });
        };

        let id = subject.subject_id.to_string();
        let url = self.http.url(&["subjects", &id], &[]);
        let body = self.http.get(&url).await?;
        let record = mapping::subject_from_json(&body).map_err(|e| e.at(&url))?;
        check_code(&url, code, &record.code)?;
        Ok(record)
    }
}

/// A register answering with another entity than the one asked for is a fault to report,
/// not a record to store under the wrong code.
fn check_code(url: &Url, asked: &Edrpou, got: &Edrpou) -> Result<(), RegisterError> {
    if asked == got {
        return Ok(());
    }
    Err(RegisterError::Invalid {
        url: url.to_string(),
        path: "code".to_owned(),
        message: format!("asked for {asked}, the register answered with {got}"),
    })
}
