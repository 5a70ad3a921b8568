//! A local stand-in for the Register of Damaged and Destroyed Property, for tests: it serves
//! damage records at `/rddp/1.0/records/{id}`. Faults are planned through
//! [`FakeRddp::register`].

use crate::fake::FakeRegister;

const NOT_FOUND: &str = r#"{"error": "record not found"}"#;

/// The running fake; it stops when dropped.
#[derive(Debug)]
pub struct FakeRddp {
    register: FakeRegister,
}

impl FakeRddp {
    pub async fn start() -> std::io::Result<Self> {
        Ok(Self {
            register: FakeRegister::start("/rddp/1.0", NOT_FOUND).await?,
        })
    }

    pub fn base_url(&self) -> String {
        self.register.base_url()
    }

    /// The server underneath, to plan faults and count requests.
    pub fn register(&self) -> &FakeRegister {
        &self.register
    }

    /// Serves `body` as the record `id`, replacing an earlier version.
    pub fn put_record(&self, id: &str, body: impl Into<String>) {
        self.register.put(&format!("/records/{id}"), &[], body);
    }
}
