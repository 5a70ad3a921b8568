//! A local stand-in for the EDR API, for tests: given a subject's full record, it serves the
//! record at `/1.0/subjects/{id}` and lists it at `/1.0/subjects?code={code}`, as NAIS does.
//! Faults are planned through [`FakeEdr::register`].

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde_json::{Value, json};

use crate::fake::FakeRegister;

/// The register's answer to an address it does not know.
const NOT_FOUND: &str = r#"{"errors": [{"code": "not_found", "message": "Not found"}]}"#;

/// The running fake; it stops when dropped.
#[derive(Debug)]
pub struct FakeEdr {
    register: FakeRegister,
    /// The list entries served for each code, by subject id.
    lists: Mutex<BTreeMap<String, BTreeMap<u64, Value>>>,
}

impl FakeEdr {
    pub async fn start() -> std::io::Result<Self> {
        Ok(Self {
            register: FakeRegister::start("/1.0", NOT_FOUND).await?,
            lists: Mutex::new(BTreeMap::new()),
        })
    }

    pub fn base_url(&self) -> String {
        self.register.base_url()
    }

    /// The server underneath, to plan faults and count requests.
    pub fn register(&self) -> &FakeRegister {
        &self.register
    }

    /// Serves a subject's full record and lists it under its code, replacing an earlier
    /// version of the same subject. Panics on a record without `id`, `code` or `state`,
    /// which is a mistake in the test, not in the connector.
    pub fn put_subject(&self, body: &str) {
        let subject: Value = serde_json::from_str(body).expect("a subject is JSON");
        let id = subject["id"].as_u64().expect("a subject has a numeric id");
        let code = subject["code"].as_str().expect("a subject has a code");
        let entry = json!({
            "id": id,
            "state": subject["state"],
            "state_text": subject["state_text"],
            "code": code,
            "name": subject["names"]["name"],
            "url": format!("{}/subjects/{id}", self.base_url()),
        });
        let mut lists = self
            .lists
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let list = lists.entry(code.to_owned()).or_default();
        list.insert(id, entry);
        let listed = Value::Array(list.values().cloned().collect()).to_string();
        self.register.put("/subjects", &[("code", code)], listed);
        self.register
            .put(&format!("/subjects/{id}"), &[], body.to_owned());
    }

    /// Serves `body` as it is for the list of `code`, such as broken JSON or `[]`.
    pub fn put_list(&self, code: &str, body: &str) {
        self.register.put("/subjects", &[("code", code)], body);
    }
}
