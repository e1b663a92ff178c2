//! The review's reasons in words.

use super::{ladder::shortfall, t};
use crate::domain::review::dossier::Reason;
use crate::i18n::Lang;

/// Why a candidate is ineligible, as one sentence.
pub fn reason(r: &Reason, lang: Lang) -> String {
    match r {
        Reason::Title { shortfall: s } => shortfall(s, lang),
        Reason::FailedLastYear { session } => format!(
            "{}（{session}）",
            t(
                lang,
                "上一年度评审未通过，本年度申报须有重大新业绩并经评委会办公室同意",
                "did not pass last year's review; applying again needs major new achievements, accepted by the secretariat"
            )
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::eligibility::Shortfall;

    #[test]
    fn reasons_are_worded_in_both_languages() {
        let failed = Reason::FailedLastYear {
            session: "2025-SH-TT".into(),
        };
        assert!(reason(&failed, Lang::Zh).contains("上一年度评审未通过"));
        assert!(reason(&failed, Lang::En).contains("2025-SH-TT"));
        let locality = Reason::Title {
            shortfall: Shortfall::Locality,
        };
        assert!(reason(&locality, Lang::En).contains("residence permit"));
    }
}
