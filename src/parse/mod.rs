//! Parse: html5ever (through `scraper`) builds the DOM; we cap pathological nesting first and
//! flatten the result into the preorder array every later stage walks.

pub mod dom;
pub mod nesting;
