//! Maps of Ukraine's oblasts: the outlines (`atlas`), how they are projected, simplified and
//! written as path data, and the two maps drawn from them.

mod atlas;
mod choropleth;
mod label;
mod location;
mod path;
mod projection;
mod simplify;

pub use atlas::{OblastShape, oblasts};
pub use choropleth::{MapOptions, MapRegion, oblast_map};
pub use location::location_map;
