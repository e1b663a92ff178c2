//! Integration tests: the database suite (each case on SQLite and on PostgreSQL), the HTTP
//! surface (security headers, cross-site refusal, rate limit, status codes) and the
//! authorization matrix over every server function and role.

mod authz;
mod catalog;
mod cli;
mod common;
mod concurrency;
mod db;
mod display;
mod engine;
mod faults;
mod files;
mod http;
mod imports;
mod instances;
mod names;
mod observe;
mod overview;
mod profile;
mod records;
mod review;
mod rulesets;
mod scope;
mod trust;
