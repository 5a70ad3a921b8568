//! The drawings that the portal's server-rendered pages embed: the oblast map, a project's
//! location map, bar and time charts, the funding bar, and QR codes of page addresses.
//!
//! Every drawing is a pure function from values to an SVG string. Nothing is read at run time
//! (the oblast outlines are compiled in), and nothing needs JavaScript: hover texts are
//! `<title>` elements and links are plain `<a>` elements. Each drawing has a `<title>` and,
//! where it helps, a `<desc>`, and all text from the caller is escaped. The caller formats
//! numbers and money, because that depends on the page's language.

mod charts;
mod map;
mod qr;
mod scale;
mod svg;
mod text;

pub use charts::bar::{Bar, bar_chart};
pub use charts::funding::{Funding, FundingAmount, funding_bar};
pub use charts::time::{TimePoint, time_chart};
pub use map::{MapOptions, MapRegion, OblastShape, location_map, oblast_map, oblasts};
pub use qr::{QrCodeError, qr_code};
pub use text::Language;
