//! The treasury's transactions register over HTTP (the public-finance portal's API v2):
//! the payments of one payer, or of one payer under one contract.

use dream_domain::Edrpou;

use crate::http::{ConfigError, RegisterConfig, RegisterError, RegisterHttp};

use super::mapping::{self, Payment, belongs_to_contract};

/// The root of the public-finance portal's API.
pub const PUBLIC_API: &str = "https://api.spending.gov.ua/api/v2";

/// A client of the treasury's transactions register.
#[derive(Debug)]
pub struct TreasuryClient {
    http: RegisterHttp,
}

impl TreasuryClient {
    pub fn new(config: RegisterConfig) -> Result<Self, ConfigError> {
        Ok(Self {
            http: RegisterHttp::new(config)?,
        })
    }

    /// Every payment `payer` made, as `GET /api/transactions/?payers_edrpous=` lists it.
    pub async fn by_payer(&self, payer: &Edrpou) -> Result<Vec<Payment>, RegisterError> {
        self.transactions(&[("payers_edrpous", payer.as_str())])
            .await
    }

    /// The payments `payer` made under the contract numbered `contract_number`. The number
    /// is sent along, and each payment is checked against it here too, so a register that
    /// ignores the number still gives only the contract's payments.
    pub async fn by_contract(
        &self,
        payer: &Edrpou,
        contract_number: &str,
    ) -> Result<Vec<Payment>, RegisterError> {
        let query = [
            ("payers_edrpous", payer.as_str()),
            ("contract_number", contract_number.trim()),
        ];
        let payments = self.transactions(&query).await?;
        Ok(payments
            .into_iter()
            .filter(|payment| belongs_to_contract(payment, contract_number))
            .collect())
    }

    async fn transactions(&self, query: &[(&str, &str)]) -> Result<Vec<Payment>, RegisterError> {
        // The register's path ends with a slash.
        let url = self.http.url(&["api", "transactions", ""], query);
        let body = self.http.get(&url).await?;
        mapping::payments_from_json(&body).map_err(|e| e.at(&url))
    }
}
