//! The rules of DREAM with no input or output: the project, its object and organisations,
//! the codes that identify places and legal entities, money, codelists and revisions.
//!
//! Every type here refuses values that cannot be right (an EDRPOU with a wrong check digit, a
//! KATOTTG code of the wrong shape, a negative amount), so the crates that store and serve
//! these types never have to check them again.

pub mod calls;
pub mod codelist;
pub mod codes;
pub mod formats;
pub mod ids;
pub mod money;
pub mod object;
pub mod organisation;
pub mod policy;
pub mod project;
pub mod revision;
pub mod territory;
pub mod text;
pub mod timestamp;
pub mod translit;
pub mod validation;
pub mod workflow;

pub use codes::{Edrpou, Katottg};
pub use ids::{ObjectId, ProjectId};
pub use money::{Currency, Money};
pub use validation::{FieldError, FieldErrors};
