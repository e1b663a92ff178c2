//! Command-line faces of the library: rulesets, scores and impact (no database), and imports.

pub mod import;
pub mod rules;
