//! Command-line faces of the library that need no database: rulesets, scores, impact.

pub mod rules;
