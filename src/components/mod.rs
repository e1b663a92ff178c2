//! Reusable view pieces. They take props (and read the language and session from context);
//! they never call the server themselves.

pub mod audit_words;
pub mod form;
pub mod labels;
pub mod layout;
pub mod leave;
pub mod pager;
pub mod time;
