//! Files into domain values, with every problem located the way the file's author sees it.

pub mod attendance;
pub mod evidence;
pub mod report;
pub mod roster;
pub mod ruleset;
pub mod sheet;
