//! An application's way through the senior-title review (domain.md §6.1) as a state machine:
//! each event names who may cause it and the guard it needs; an event the state does not allow,
//! or whose guard fails, is refused, never a silent change. The caller records every accepted
//! transition in the audit log.

use super::ballot::Verdict;
use super::defense::DefenseReturns;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Draft,
    Submitted,
    UnitPublicNotice,
    UnitObjectionReview,
    RejectedAtUnit,
    Recommended,
    FormalCheck,
    SupplementRequested,
    NotAccepted,
    PanelAssigned,
    ExpertReview,
    AwaitingVote,
    Voting,
    PassedPendingNotice,
    NotPassed,
    ResultPublicNotice,
    ResultObjectionReview,
    HrssConfirmation,
    Certified,
    /// An appeal against the state it names (not passed, or not accepted).
    AppealReview(Appealed),
    Withdrawn,
    Revoked,
}

/// What an appeal is against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Appealed {
    NotPassed,
    NotAccepted,
}

/// Who causes an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Candidate,
    /// The candidate's employer (单位): approval and its public notice.
    Unit,
    Secretariat,
    Chair,
    /// The calendar: a notice period ends.
    Clock,
    /// The human-resources authority (人社部门).
    Authority,
    /// Anyone, on the public notice page: files an objection to a result.
    Public,
}

/// Something that happens to an application, with what its guard needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Submit {
        window_open: bool,
    },
    UnitReject {
        reason: String,
    },
    UnitApprove,
    ObjectionFiled,
    ObjectionUpheld {
        reason: String,
    },
    ObjectionDismissed {
        reason: String,
    },
    /// A notice ends: at least `required` working days have passed.
    NoticeElapsed {
        working_days: u32,
        required: u32,
    },
    SecretariatReceive,
    Incomplete {
        what: String,
    },
    Supplemented,
    DeadlinePassed,
    Ineligible {
        reason: String,
    },
    Accepted,
    ConflictsDeclared,
    /// The expert review ends: `scored` sheets are in (at least `required`), and either
    /// none of the assigned reviewers is `outstanding` or the scoring period has closed. A
    /// session with a defense (`defense` is then `Some`) waits for it in the same way: held
    /// (scheduled), at least `required` scores, none outstanding unless scoring has closed.
    ReviewComplete {
        scored: u32,
        required: u32,
        outstanding: u32,
        scoring_closed: bool,
        defense: Option<DefenseReturns>,
    },
    MeetingOpened {
        quorum: bool,
    },
    Tallied(Verdict),
    /// The meeting's ballot cannot be counted (its key was lost, or it was open when the
    /// ballot changed): the candidate waits for a new meeting.
    BallotVoided {
        reason: String,
    },
    Publish,
    Confirmed,
    /// The candidate appeals a decision; `in_window` says the appeal period has not ended.
    Appeal {
        reason: String,
        in_window: bool,
    },
    AppealUpheld {
        reason: String,
    },
    AppealDismissed {
        reason: String,
    },
    Withdraw,
    MisconductFound {
        reason: String,
    },
}

/// A guard that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Guard {
    #[error("the application window is closed")]
    WindowClosed,
    #[error("the public notice has not run its working days")]
    NoticeRunning,
    #[error("the meeting has no quorum")]
    NoQuorum,
    #[error("fewer score sheets than the rules require")]
    TooFewScores,
    #[error("reviewers are still scoring and the scoring period is open")]
    ScoringOpen,
    #[error("the defense has not been scheduled")]
    DefenseUnscheduled,
    #[error("fewer defense scores than the rules require")]
    TooFewDefenseScores,
    #[error("the appeal period has ended")]
    AppealClosed,
}

/// Why an event was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("{event} is not possible in state {state:?}")]
    NotNow { state: State, event: &'static str },
    #[error("{event} may not be done by {actor:?}")]
    NotYours { event: &'static str, actor: Actor },
    #[error("{0}")]
    Guard(Guard),
    #[error("{0} needs a reason")]
    NoReason(&'static str),
}

impl Event {
    pub fn name(&self) -> &'static str {
        match self {
            Event::Submit { .. } => "submit",
            Event::UnitReject { .. } => "unit_reject",
            Event::UnitApprove => "unit_approve",
            Event::ObjectionFiled => "objection_filed",
            Event::ObjectionUpheld { .. } => "objection_upheld",
            Event::ObjectionDismissed { .. } => "objection_dismissed",
            Event::NoticeElapsed { .. } => "notice_elapsed",
            Event::SecretariatReceive => "secretariat_receive",
            Event::Incomplete { .. } => "incomplete",
            Event::Supplemented => "supplemented",
            Event::DeadlinePassed => "deadline_passed",
            Event::Ineligible { .. } => "ineligible",
            Event::Accepted => "accepted",
            Event::ConflictsDeclared => "conflicts_declared",
            Event::ReviewComplete { .. } => "review_complete",
            Event::MeetingOpened { .. } => "meeting_opened",
            Event::Tallied(_) => "tallied",
            Event::BallotVoided { .. } => "ballot_voided",
            Event::Publish => "publish",
            Event::Confirmed => "confirmed",
            Event::Appeal { .. } => "appeal",
            Event::AppealUpheld { .. } => "appeal_upheld",
            Event::AppealDismissed { .. } => "appeal_dismissed",
            Event::Withdraw => "withdraw",
            Event::MisconductFound { .. } => "misconduct_found",
        }
    }

    /// Who may cause the event. Objections come from the public (on the result notice's
    /// public page) or are recorded by the unit or the secretariat; only they resolve them.
    pub fn actors(&self) -> &'static [Actor] {
        use Actor::*;
        match self {
            Event::Submit { .. } | Event::Supplemented | Event::Withdraw | Event::Appeal { .. } => {
                &[Candidate]
            }
            Event::UnitReject { .. } | Event::UnitApprove => &[Unit],
            Event::ObjectionFiled => &[Unit, Secretariat, Public],
            Event::ObjectionUpheld { .. } | Event::ObjectionDismissed { .. } => {
                &[Unit, Secretariat]
            }
            Event::NoticeElapsed { .. } | Event::DeadlinePassed => &[Clock],
            Event::Tallied(_) => &[Chair],
            Event::Confirmed => &[Authority],
            Event::MisconductFound { .. } => &[Secretariat, Authority],
            _ => &[Secretariat],
        }
    }

    fn reason(&self) -> Option<&str> {
        match self {
            Event::UnitReject { reason }
            | Event::ObjectionUpheld { reason }
            | Event::ObjectionDismissed { reason }
            | Event::Ineligible { reason }
            | Event::Appeal { reason, .. }
            | Event::AppealUpheld { reason }
            | Event::AppealDismissed { reason }
            | Event::MisconductFound { reason }
            | Event::BallotVoided { reason } => Some(reason),
            Event::Incomplete { what } => Some(what),
            _ => None,
        }
    }
}

impl State {
    /// Every state, in the order of the procedure (for dashboards and filters).
    pub const ALL: [State; 23] = [
        State::Draft,
        State::Submitted,
        State::UnitPublicNotice,
        State::UnitObjectionReview,
        State::RejectedAtUnit,
        State::Recommended,
        State::FormalCheck,
        State::SupplementRequested,
        State::NotAccepted,
        State::PanelAssigned,
        State::ExpertReview,
        State::AwaitingVote,
        State::Voting,
        State::PassedPendingNotice,
        State::NotPassed,
        State::ResultPublicNotice,
        State::ResultObjectionReview,
        State::HrssConfirmation,
        State::Certified,
        State::AppealReview(Appealed::NotPassed),
        State::AppealReview(Appealed::NotAccepted),
        State::Withdrawn,
        State::Revoked,
    ];

    /// The stored and wire form.
    pub fn code(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Submitted => "submitted",
            State::UnitPublicNotice => "unit_public_notice",
            State::UnitObjectionReview => "unit_objection_review",
            State::RejectedAtUnit => "rejected_at_unit",
            State::Recommended => "recommended",
            State::FormalCheck => "formal_check",
            State::SupplementRequested => "supplement_requested",
            State::NotAccepted => "not_accepted",
            State::PanelAssigned => "panel_assigned",
            State::ExpertReview => "expert_review",
            State::AwaitingVote => "awaiting_vote",
            State::Voting => "voting",
            State::PassedPendingNotice => "passed_pending_notice",
            State::NotPassed => "not_passed",
            State::ResultPublicNotice => "result_public_notice",
            State::ResultObjectionReview => "result_objection_review",
            State::HrssConfirmation => "hrss_confirmation",
            State::Certified => "certified",
            State::AppealReview(Appealed::NotPassed) => "appeal_review_not_passed",
            State::AppealReview(Appealed::NotAccepted) => "appeal_review_not_accepted",
            State::Withdrawn => "withdrawn",
            State::Revoked => "revoked",
        }
    }

    pub fn parse(code: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.code() == code)
    }

    /// No event but misconduct moves the application on.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            State::RejectedAtUnit | State::Certified | State::Withdrawn | State::Revoked
        )
    }

    /// The application's reviewers read its dossier: from the locked recusals on, through the
    /// vote and its outcome.
    pub fn reviewers_read(self) -> bool {
        matches!(
            self,
            State::ExpertReview
                | State::AwaitingVote
                | State::Voting
                | State::PassedPendingNotice
                | State::NotPassed
                | State::ResultPublicNotice
                | State::ResultObjectionReview
                | State::AppealReview(Appealed::NotPassed)
        )
    }

    /// Before the vote: the candidate may still withdraw.
    fn before_vote(self) -> bool {
        matches!(
            self,
            State::Draft
                | State::Submitted
                | State::UnitPublicNotice
                | State::UnitObjectionReview
                | State::Recommended
                | State::FormalCheck
                | State::SupplementRequested
                | State::PanelAssigned
                | State::ExpertReview
                | State::AwaitingVote
        )
    }
}

/// The state `event`, caused by `actor`, leads to from `state`.
pub fn apply(state: State, event: &Event, actor: Actor) -> Result<State, Refused> {
    use State::*;
    let name = event.name();
    if !event.actors().contains(&actor) {
        return Err(Refused::NotYours { event: name, actor });
    }
    if event.reason().is_some_and(|r| r.trim().is_empty()) {
        return Err(Refused::NoReason(name));
    }
    let next = match (state, event) {
        (s, Event::MisconductFound { .. }) if s != Revoked => Revoked,
        (s, Event::Withdraw) if s.before_vote() => Withdrawn,
        (Draft, Event::Submit { window_open }) => {
            if !window_open {
                return Err(Refused::Guard(Guard::WindowClosed));
            }
            Submitted
        }
        (Submitted, Event::UnitReject { .. }) => Draft,
        (Submitted, Event::UnitApprove) => UnitPublicNotice,
        (UnitPublicNotice, Event::ObjectionFiled) => UnitObjectionReview,
        (UnitObjectionReview, Event::ObjectionUpheld { .. }) => RejectedAtUnit,
        (UnitObjectionReview, Event::ObjectionDismissed { .. }) => UnitPublicNotice,
        (
            UnitPublicNotice | ResultPublicNotice,
            Event::NoticeElapsed {
                working_days,
                required,
            },
        ) => {
            if working_days < required {
                return Err(Refused::Guard(Guard::NoticeRunning));
            }
            if state == UnitPublicNotice {
                Recommended
            } else {
                HrssConfirmation
            }
        }
        (Recommended, Event::SecretariatReceive) => FormalCheck,
        (FormalCheck, Event::Incomplete { .. }) => SupplementRequested,
        (SupplementRequested, Event::Supplemented) => FormalCheck,
        (SupplementRequested, Event::DeadlinePassed) => NotAccepted,
        (FormalCheck, Event::Ineligible { .. }) => NotAccepted,
        (FormalCheck, Event::Accepted) => PanelAssigned,
        (PanelAssigned, Event::ConflictsDeclared) => ExpertReview,
        (
            ExpertReview,
            Event::ReviewComplete {
                scored,
                required,
                outstanding,
                scoring_closed,
                defense,
            },
        ) => {
            if scored < required {
                return Err(Refused::Guard(Guard::TooFewScores));
            }
            if let Some(d) = defense {
                if !d.scheduled {
                    return Err(Refused::Guard(Guard::DefenseUnscheduled));
                }
                if d.scored < *required {
                    return Err(Refused::Guard(Guard::TooFewDefenseScores));
                }
            }
            let defense_out = defense.map_or(0, |d| d.outstanding);
            if (*outstanding > 0 || defense_out > 0) && !scoring_closed {
                return Err(Refused::Guard(Guard::ScoringOpen));
            }
            AwaitingVote
        }
        (AwaitingVote, Event::MeetingOpened { quorum }) => {
            if !quorum {
                return Err(Refused::Guard(Guard::NoQuorum));
            }
            Voting
        }
        (Voting, Event::Tallied(Verdict::Passed)) => PassedPendingNotice,
        (Voting, Event::Tallied(Verdict::Failed)) => NotPassed,
        (Voting, Event::BallotVoided { .. }) => AwaitingVote,
        (PassedPendingNotice, Event::Publish) => ResultPublicNotice,
        (ResultPublicNotice, Event::ObjectionFiled) => ResultObjectionReview,
        (ResultObjectionReview, Event::ObjectionUpheld { .. }) => Revoked,
        (ResultObjectionReview, Event::ObjectionDismissed { .. }) => ResultPublicNotice,
        (HrssConfirmation, Event::Confirmed) => Certified,
        (NotPassed | NotAccepted, Event::Appeal { in_window, .. }) => {
            if !in_window {
                return Err(Refused::Guard(Guard::AppealClosed));
            }
            AppealReview(if state == NotPassed {
                Appealed::NotPassed
            } else {
                Appealed::NotAccepted
            })
        }
        (AppealReview(Appealed::NotPassed), Event::AppealUpheld { .. }) => ExpertReview,
        (AppealReview(Appealed::NotAccepted), Event::AppealUpheld { .. }) => FormalCheck,
        (AppealReview(Appealed::NotPassed), Event::AppealDismissed { .. }) => NotPassed,
        (AppealReview(Appealed::NotAccepted), Event::AppealDismissed { .. }) => NotAccepted,
        _ => return Err(Refused::NotNow { state, event: name }),
    };
    Ok(next)
}

#[cfg(test)]
mod tests;
