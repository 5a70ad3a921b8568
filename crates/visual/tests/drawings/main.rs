//! Tests of the drawings as a page would use them: each is parsed as XML and checked for what
//! a person or a screen reader would find in it.

mod charts;
mod maps;
mod qr;
mod support;
