//! What is known about a person besides their records: the certificates held, education, when
//! they started practising, the intermediate title and locality (for the senior title), and
//! any integrity record. Part of the evidence file (`profile`), every field optional.

use super::eligibility::{Education, Locality};
use super::level::Level;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The ranks of the economics series' professional titles, as stored and sent by forms:
/// 经济师, 高级经济师, 正高级经济师.
pub const TITLE_RANKS: [&str; 3] = ["intermediate", "deputy_senior", "full_senior"];

/// A capability certificate (证书) issued by a training base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    pub level: Level,
    pub date: NaiveDate,
    #[serde(default)]
    pub number: Option<String>,
}

/// An entry in a dishonesty or discipline list (gate 1 of domain.md §5.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrityRecord {
    pub date: NaiveDate,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    pub education: Option<Education>,
    /// When the person started working in technology transfer.
    pub practice_since: Option<NaiveDate>,
    pub certificates: Vec<Certificate>,
    /// The date the intermediate title (经济师) was obtained.
    pub intermediate_title_on: Option<NaiveDate>,
    pub locality: Locality,
    /// 破格: the committee waives the education × seniority rule.
    pub exceptional_track: bool,
    pub integrity_records: Vec<IntegrityRecord>,
}

impl Profile {
    /// The highest level certified on or before `as_of`.
    pub fn certified(&self, as_of: NaiveDate) -> Option<Level> {
        self.certificates
            .iter()
            .filter(|c| c.date <= as_of)
            .map(|c| c.level)
            .max()
    }
}
