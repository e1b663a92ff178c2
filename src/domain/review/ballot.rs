//! Quorum and the pass rule. domain.md §6.2: a meeting may vote when `present × 3 ≥ members × 2`,
//! and a candidate passes when `yes × 3 ≥ attending × 2`, where `attending` counts the present
//! members who are not recused from that candidate. Chinese "以上" includes the boundary, so
//! both comparisons are `≥`; the shares come from configuration.

use serde::{Deserialize, Serialize};

/// A share as a fraction `num / den` (0 < num ≤ den), compared in integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub num: u32,
    pub den: u32,
}

impl Share {
    /// `None` unless `0 < num ≤ den`.
    pub fn new(num: u32, den: u32) -> Option<Share> {
        (num > 0 && num <= den).then_some(Share { num, den })
    }

    /// Whether `part` is at least this share of `whole` (the boundary included).
    pub fn reached(self, part: u32, whole: u32) -> bool {
        u64::from(part) * u64::from(self.den) >= u64::from(whole) * u64::from(self.num)
    }
}

/// A candidate's ballot count: one choice per attending member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tally {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
}

impl Tally {
    pub fn cast(self) -> u32 {
        self.yes + self.no + self.abstain
    }
}

/// Why a ballot cannot be decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BallotError {
    #[error("{present} of {members} members present: no quorum")]
    NoQuorum { present: u32, members: u32 },
    #[error("{recused} recused but only {present} present")]
    TooManyRecused { present: u32, recused: u32 },
    #[error("{cast} ballots for {attending} attending members")]
    TooManyBallots { cast: u32, attending: u32 },
    #[error("{missing} attending members have not voted")]
    Incomplete { missing: u32 },
    #[error("every present member is recused from this candidate")]
    NoneAttending,
}

/// The meeting's attendance: members of the committee, and those present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meeting {
    pub members: u32,
    pub present: u32,
}

impl Meeting {
    /// Quorum is computed on everyone present (recusals do not break it).
    pub fn quorum(self, share: Share) -> Result<(), BallotError> {
        if self.present <= self.members && share.reached(self.present, self.members) {
            Ok(())
        } else {
            Err(BallotError::NoQuorum {
                present: self.present,
                members: self.members,
            })
        }
    }

    /// The members who vote on a candidate: the present ones not recused from them.
    pub fn attending(self, recused: u32) -> Result<u32, BallotError> {
        self.present
            .checked_sub(recused)
            .ok_or(BallotError::TooManyRecused {
                present: self.present,
                recused,
            })
    }
}

/// The outcome of one candidate's ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Passed,
    Failed,
}

/// Decides a candidate's ballot: the meeting must be quorate, every attending member must have
/// voted exactly once, and the candidate passes with at least `pass` of the attending members'
/// yes votes (abstentions count against, as they are part of the attending).
pub fn decide(
    meeting: Meeting,
    recused: u32,
    tally: Tally,
    quorum: Share,
    pass: Share,
) -> Result<Verdict, BallotError> {
    meeting.quorum(quorum)?;
    let attending = meeting.attending(recused)?;
    if attending == 0 {
        return Err(BallotError::NoneAttending);
    }
    let cast = tally.cast();
    if cast > attending {
        return Err(BallotError::TooManyBallots { cast, attending });
    }
    if cast < attending {
        return Err(BallotError::Incomplete {
            missing: attending - cast,
        });
    }
    Ok(if pass.reached(tally.yes, attending) {
        Verdict::Passed
    } else {
        Verdict::Failed
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_thirds() -> Share {
        Share::new(2, 3).unwrap()
    }

    fn vote(yes: u32, no: u32, abstain: u32) -> Tally {
        Tally { yes, no, abstain }
    }

    fn decide_21(recused: u32, tally: Tally) -> Result<Verdict, BallotError> {
        let meeting = Meeting {
            members: 25,
            present: 21,
        };
        decide(meeting, recused, tally, two_thirds(), two_thirds())
    }

    #[test]
    fn fourteen_of_twenty_one_passes_thirteen_does_not() {
        assert_eq!(decide_21(0, vote(14, 7, 0)), Ok(Verdict::Passed));
        assert_eq!(decide_21(0, vote(13, 8, 0)), Ok(Verdict::Failed));
        // Abstentions are part of the attending: they count against.
        assert_eq!(decide_21(0, vote(13, 0, 8)), Ok(Verdict::Failed));
    }

    #[test]
    fn a_recusal_changes_the_denominator() {
        // 20 attending: 14 is needed (13 × 3 = 39 < 40), the boundary is 40/3 → 14.
        assert_eq!(decide_21(1, vote(13, 7, 0)), Ok(Verdict::Failed));
        assert_eq!(decide_21(1, vote(14, 6, 0)), Ok(Verdict::Passed));
        // 18 attending: exactly two thirds (12) passes.
        assert_eq!(decide_21(3, vote(12, 6, 0)), Ok(Verdict::Passed));
        assert_eq!(decide_21(3, vote(11, 7, 0)), Ok(Verdict::Failed));
    }

    #[test]
    fn quorum_counts_everyone_present() {
        let share = two_thirds();
        // 25 members: 17 present is 51 ≥ 50, 16 is 48 < 50.
        assert!(
            Meeting {
                members: 25,
                present: 17
            }
            .quorum(share)
            .is_ok()
        );
        assert_eq!(
            Meeting {
                members: 25,
                present: 16
            }
            .quorum(share),
            Err(BallotError::NoQuorum {
                present: 16,
                members: 25
            })
        );
        // Recusals do not break the quorum, they only shrink the candidate's denominator.
        let m = Meeting {
            members: 25,
            present: 17,
        };
        assert_eq!(
            decide(m, 5, vote(8, 4, 0), share, share),
            Ok(Verdict::Passed)
        );
        assert!(matches!(
            decide(
                Meeting {
                    members: 25,
                    present: 16
                },
                0,
                vote(16, 0, 0),
                share,
                share
            ),
            Err(BallotError::NoQuorum { .. })
        ));
        // More present than members is not a meeting.
        assert!(
            Meeting {
                members: 11,
                present: 12
            }
            .quorum(share)
            .is_err()
        );
    }

    #[test]
    fn every_attending_member_votes_exactly_once() {
        assert_eq!(
            decide_21(0, vote(14, 6, 0)),
            Err(BallotError::Incomplete { missing: 1 })
        );
        assert_eq!(
            decide_21(2, vote(14, 6, 0)),
            Err(BallotError::TooManyBallots {
                cast: 20,
                attending: 19
            })
        );
        assert_eq!(
            decide_21(22, vote(0, 0, 0)),
            Err(BallotError::TooManyRecused {
                present: 21,
                recused: 22
            })
        );
    }

    #[test]
    fn shares_are_configurable_and_checked() {
        assert_eq!(Share::new(0, 3), None);
        assert_eq!(Share::new(4, 3), None);
        let half = Share::new(1, 2).unwrap();
        let m = Meeting {
            members: 11,
            present: 6,
        };
        assert_eq!(decide(m, 0, vote(3, 3, 0), half, half), Ok(Verdict::Passed));
        assert_eq!(
            decide(m, 0, vote(3, 3, 0), half, two_thirds()),
            Ok(Verdict::Failed)
        );
        // Integer arithmetic: no rounding at large counts.
        assert!(two_thirds().reached(u32::MAX / 3 * 2, u32::MAX / 3 * 3));
    }

    #[test]
    fn a_candidate_nobody_may_vote_on_is_not_decided() {
        let m = Meeting {
            members: 11,
            present: 8,
        };
        let s = two_thirds();
        assert_eq!(
            decide(m, 8, vote(0, 0, 0), s, s),
            Err(BallotError::NoneAttending)
        );
    }
}
