//! The rules engine against the shipped ruleset: table tests of every formula and boundary of
//! domain.md §5 (`tables`) and properties over generated evidence and rulesets (`props`).

mod dashboard;
mod fixtures;
mod props;
mod tables;
