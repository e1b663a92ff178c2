//! The capability-level ladder's rungs (domain.md §4.1). A cohort trains one level.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Level {
    /// 初级技术经纪人
    #[serde(rename = "junior")]
    JuniorBroker,
    /// 中级技术经纪人
    #[serde(rename = "intermediate")]
    IntermediateBroker,
    /// 高级技术经理人
    #[serde(rename = "senior")]
    SeniorManager,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("unknown level `{0}` (expected junior, intermediate or senior)")]
pub struct UnknownLevel(pub String);

impl Level {
    pub const ALL: [Level; 3] = [
        Level::JuniorBroker,
        Level::IntermediateBroker,
        Level::SeniorManager,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Level::JuniorBroker => "junior",
            Level::IntermediateBroker => "intermediate",
            Level::SeniorManager => "senior",
        }
    }

    pub fn parse(code: &str) -> Result<Level, UnknownLevel> {
        Level::ALL
            .into_iter()
            .find(|l| l.code() == code.trim())
            .ok_or_else(|| UnknownLevel(code.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for level in Level::ALL {
            assert_eq!(Level::parse(level.code()), Ok(level));
        }
        assert_eq!(Level::parse("expert"), Err(UnknownLevel("expert".into())));
    }
}
