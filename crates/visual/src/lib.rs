//! SVG drawings for pages.
