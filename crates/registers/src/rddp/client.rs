//! The Register of Damaged and Destroyed Property over HTTP: one damage record by its id.

use crate::http::{ConfigError, RegisterConfig, RegisterError, RegisterHttp};

use super::ids::DamageRecordId;
use super::mapping::{self, DamageRecord};

/// Where this connector looks for the register by default.
///
/// FIXME: the register has no published open API (see [`super::mapping`]); this address is
/// an assumption, to be replaced through `DREAM_RDDP_URL` by the one its holder grants.
pub const PUBLIC_API: &str = "https://api.e-construction.gov.ua/rddp/1.0";

/// A client of the Register of Damaged and Destroyed Property.
#[derive(Debug)]
pub struct RddpClient {
    http: RegisterHttp,
}

impl RddpClient {
    pub fn new(config: RegisterConfig) -> Result<Self, ConfigError> {
        Ok(Self {
            http: RegisterHttp::new(config)?,
        })
    }

    /// `GET /records/{id}`.
    pub async fn fetch(&self, id: &DamageRecordId) -> Result<DamageRecord, RegisterError> {
        let url = self.http.url(&["records", id.as_str()], &[]);
        let body = self.http.get(&url).await?;
        let record = mapping::record_from_json(&body).map_err(|e| e.at(&url))?;
        if record.id != *id {
            return Err(RegisterError::Invalid {
                url: url.to_string(),
                path: "data.id".to_owned(),
                message: format!("asked for {id}, the register answered with {}", record.id),
            });
        }
        Ok(record)
    }
}
