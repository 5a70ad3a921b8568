//! DREAM's registry as open data: the projects written in the formats other registries and
//! monitoring tools read, starting with OC4IDS 0.9.5 project packages.

pub mod bulk;
pub mod dream_api;
pub mod oc4ids;
pub mod package;
mod stored;
