//! A local stand-in for the treasury's transactions register, for tests: it serves lists of
//! transactions at `/api/v2/api/transactions/` for a payer, or for a payer and a contract
//! number. Faults are planned through [`FakeTreasury::register`].

use crate::fake::FakeRegister;

const NOT_FOUND: &str = r#"{"status": 404, "error": "Not Found"}"#;
/// The path of the transactions list under the API root.
pub const TRANSACTIONS: &str = "/api/transactions/";

/// The running fake; it stops when dropped.
#[derive(Debug)]
pub struct FakeTreasury {
    register: FakeRegister,
}

impl FakeTreasury {
    pub async fn start() -> std::io::Result<Self> {
        Ok(Self {
            register: FakeRegister::start("/api/v2", NOT_FOUND).await?,
        })
    }

    pub fn base_url(&self) -> String {
        self.register.base_url()
    }

    /// The server underneath, to plan faults and count requests.
    pub fn register(&self) -> &FakeRegister {
        &self.register
    }

    /// Serves `body` as the payer's transactions under `contract_number`.
    pub fn put_contract(&self, payer: &str, contract_number: &str, body: impl Into<String>) {
        let query = [
            ("payers_edrpous", payer),
            ("contract_number", contract_number),
        ];
        self.register.put(TRANSACTIONS, &query, body);
    }

    /// Serves `body` as all of the payer's transactions.
    pub fn put_payer(&self, payer: &str, body: impl Into<String>) {
        self.register
            .put(TRANSACTIONS, &[("payers_edrpous", payer)], body);
    }
}
