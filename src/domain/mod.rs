//! The pure core. Nothing here performs I/O, reads the clock or knows about the web framework,
//! so every rule can be tested as a plain function and also compiles for the browser.

pub mod access;
pub mod audit;
pub mod eligibility;
pub mod evidence;
pub mod explain;
pub mod id_number;
pub mod level;
pub mod privacy;
pub mod profile;
pub mod quantity;
pub mod records;
pub mod review;
pub mod role;
pub mod rules;
pub mod score;
pub mod tiers;
pub mod whatif;
pub mod zone;
