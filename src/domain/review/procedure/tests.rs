use super::*;
use State::*;

fn r() -> String {
    "理由".to_string()
}

/// One event of each kind, with its guard satisfied.
fn events() -> Vec<Event> {
    vec![
        Event::Submit { window_open: true },
        Event::UnitReject { reason: r() },
        Event::UnitApprove,
        Event::ObjectionFiled,
        Event::ObjectionUpheld { reason: r() },
        Event::ObjectionDismissed { reason: r() },
        Event::NoticeElapsed {
            working_days: 5,
            required: 5,
        },
        Event::SecretariatReceive,
        Event::Incomplete { what: r() },
        Event::Supplemented,
        Event::DeadlinePassed,
        Event::Ineligible { reason: r() },
        Event::Accepted,
        Event::ConflictsDeclared,
        Event::ReviewComplete {
            scored: 3,
            required: 3,
            outstanding: 0,
            scoring_closed: false,
            defense: None,
        },
        Event::MeetingOpened { quorum: true },
        Event::Tallied(Verdict::Passed),
        Event::Tallied(Verdict::Failed),
        Event::BallotVoided { reason: r() },
        Event::Publish,
        Event::Confirmed,
        Event::Appeal {
            reason: r(),
            in_window: true,
        },
        Event::AppealUpheld { reason: r() },
        Event::AppealDismissed { reason: r() },
        Event::Withdraw,
        Event::MisconductFound { reason: r() },
    ]
}

fn states() -> Vec<State> {
    State::ALL.to_vec()
}

/// domain.md §6.1, every arrow (withdrawal and misconduct are checked separately).
fn arrows() -> Vec<(State, &'static str, State)> {
    vec![
        (Draft, "submit", Submitted),
        (Submitted, "unit_reject", Draft),
        (Submitted, "unit_approve", UnitPublicNotice),
        (UnitPublicNotice, "objection_filed", UnitObjectionReview),
        (UnitObjectionReview, "objection_upheld", RejectedAtUnit),
        (UnitObjectionReview, "objection_dismissed", UnitPublicNotice),
        (UnitPublicNotice, "notice_elapsed", Recommended),
        (Recommended, "secretariat_receive", FormalCheck),
        (FormalCheck, "incomplete", SupplementRequested),
        (SupplementRequested, "supplemented", FormalCheck),
        (SupplementRequested, "deadline_passed", NotAccepted),
        (FormalCheck, "ineligible", NotAccepted),
        (FormalCheck, "accepted", PanelAssigned),
        (PanelAssigned, "conflicts_declared", ExpertReview),
        (ExpertReview, "review_complete", AwaitingVote),
        (AwaitingVote, "meeting_opened", Voting),
        (Voting, "tallied:passed", PassedPendingNotice),
        (Voting, "tallied:failed", NotPassed),
        // The ballot voided (its key lost, or open across the upgrade): a new meeting.
        (Voting, "ballot_voided", AwaitingVote),
        (PassedPendingNotice, "publish", ResultPublicNotice),
        (ResultPublicNotice, "objection_filed", ResultObjectionReview),
        (ResultObjectionReview, "objection_upheld", Revoked),
        (
            ResultObjectionReview,
            "objection_dismissed",
            ResultPublicNotice,
        ),
        (ResultPublicNotice, "notice_elapsed", HrssConfirmation),
        (HrssConfirmation, "confirmed", Certified),
        (NotPassed, "appeal", AppealReview(Appealed::NotPassed)),
        (NotAccepted, "appeal", AppealReview(Appealed::NotAccepted)),
        (
            AppealReview(Appealed::NotPassed),
            "appeal_upheld",
            ExpertReview,
        ),
        (
            AppealReview(Appealed::NotAccepted),
            "appeal_upheld",
            FormalCheck,
        ),
        (
            AppealReview(Appealed::NotPassed),
            "appeal_dismissed",
            NotPassed,
        ),
        (
            AppealReview(Appealed::NotAccepted),
            "appeal_dismissed",
            NotAccepted,
        ),
    ]
}

fn label(e: &Event) -> String {
    match e {
        Event::Tallied(Verdict::Passed) => "tallied:passed".into(),
        Event::Tallied(Verdict::Failed) => "tallied:failed".into(),
        other => other.name().into(),
    }
}

/// Every state against every event: exactly the arrows of §6.1, withdrawal before the vote and
/// misconduct from anywhere are allowed; everything else is refused as "not now".
#[test]
fn every_transition_and_every_illegal_one() {
    let arrows = arrows();
    let mut allowed = 0;
    for state in states() {
        for event in events() {
            let actor = event.actors()[0];
            let got = apply(state, &event, actor);
            let expected = match &event {
                Event::MisconductFound { .. } if state != Revoked => Some(Revoked),
                Event::Withdraw if state.before_vote() => Some(Withdrawn),
                _ => arrows
                    .iter()
                    .find(|(from, e, _)| *from == state && *e == label(&event))
                    .map(|(_, _, to)| *to),
            };
            match expected {
                Some(to) => {
                    allowed += 1;
                    assert_eq!(got, Ok(to), "{state:?} --{}-->", label(&event));
                }
                None => assert_eq!(
                    got,
                    Err(Refused::NotNow {
                        state,
                        event: event.name()
                    }),
                    "{state:?} --{}--> must be refused",
                    label(&event)
                ),
            }
        }
    }
    // 31 arrows (the voided ballot's among them), withdrawal from 10 states, misconduct from 22.
    assert_eq!(allowed, 31 + 10 + 22);
}

#[test]
fn final_states_take_no_event_but_misconduct() {
    for state in states().into_iter().filter(|s| s.is_final()) {
        for event in events() {
            let ok = apply(state, &event, event.actors()[0]).is_ok();
            let misconduct = matches!(event, Event::MisconductFound { .. });
            assert_eq!(ok, misconduct && state != Revoked, "{state:?} {event:?}");
        }
    }
}

#[test]
fn guards_refuse() {
    assert_eq!(
        apply(
            Draft,
            &Event::Submit { window_open: false },
            Actor::Candidate
        ),
        Err(Refused::Guard(Guard::WindowClosed))
    );
    let early = Event::NoticeElapsed {
        working_days: 4,
        required: 5,
    };
    assert!(matches!(
        apply(UnitPublicNotice, &early, Actor::Clock),
        Err(Refused::Guard(_))
    ));
    assert!(matches!(
        apply(ResultPublicNotice, &early, Actor::Clock),
        Err(Refused::Guard(_))
    ));
    assert!(matches!(
        apply(
            AwaitingVote,
            &Event::MeetingOpened { quorum: false },
            Actor::Secretariat
        ),
        Err(Refused::Guard(_))
    ));
    let late = Event::Appeal {
        reason: r(),
        in_window: false,
    };
    assert_eq!(
        apply(NotPassed, &late, Actor::Candidate),
        Err(Refused::Guard(Guard::AppealClosed))
    );
    assert_eq!(
        apply(NotAccepted, &late, Actor::Candidate),
        Err(Refused::Guard(Guard::AppealClosed))
    );
}

#[test]
fn the_public_files_objections_but_never_resolves_them() {
    assert_eq!(
        apply(ResultPublicNotice, &Event::ObjectionFiled, Actor::Public),
        Ok(ResultObjectionReview)
    );
    let dismiss = Event::ObjectionDismissed { reason: r() };
    assert_eq!(
        apply(ResultObjectionReview, &dismiss, Actor::Public),
        Err(Refused::NotYours {
            event: "objection_dismissed",
            actor: Actor::Public
        })
    );
    assert!(apply(ResultPublicNotice, &Event::Publish, Actor::Public).is_err());
}

#[test]
fn the_review_completes_with_enough_sheets_and_nobody_left_or_the_period_closed() {
    let complete = |scored, outstanding, scoring_closed| {
        apply(
            ExpertReview,
            &Event::ReviewComplete {
                scored,
                required: 3,
                outstanding,
                scoring_closed,
                defense: None,
            },
            Actor::Secretariat,
        )
    };
    assert_eq!(complete(3, 0, false), Ok(AwaitingVote));
    // One reviewer still out: wait for them, or for the period to close.
    assert_eq!(
        complete(4, 1, false),
        Err(Refused::Guard(Guard::ScoringOpen))
    );
    assert_eq!(complete(4, 1, true), Ok(AwaitingVote));
    // Too few sheets even after the close: reassign, the review cannot end.
    assert_eq!(
        complete(2, 1, true),
        Err(Refused::Guard(Guard::TooFewScores))
    );
    assert_eq!(
        complete(2, 0, false),
        Err(Refused::Guard(Guard::TooFewScores))
    );
}

#[test]
fn a_session_with_a_defense_waits_for_it_like_the_sheets() {
    let complete = |scheduled, scored, outstanding, scoring_closed| {
        apply(
            ExpertReview,
            &Event::ReviewComplete {
                scored: 3,
                required: 3,
                outstanding: 0,
                scoring_closed,
                defense: Some(DefenseReturns {
                    scheduled,
                    scored,
                    outstanding,
                }),
            },
            Actor::Secretariat,
        )
    };
    assert_eq!(complete(true, 3, 0, false), Ok(AwaitingVote));
    // Not scheduled: the sheets alone do not end the review, even after the close.
    assert_eq!(
        complete(false, 0, 3, true),
        Err(Refused::Guard(Guard::DefenseUnscheduled))
    );
    assert_eq!(
        complete(true, 2, 1, true),
        Err(Refused::Guard(Guard::TooFewDefenseScores))
    );
    // One reviewer still to score the defense: wait for them, or for the close.
    assert_eq!(
        complete(true, 3, 1, false),
        Err(Refused::Guard(Guard::ScoringOpen))
    );
    assert_eq!(complete(true, 3, 1, true), Ok(AwaitingVote));
}

#[test]
fn each_event_has_its_actor() {
    // The secretariat cannot vote (the chair certifies the tally) nor submit for a candidate.
    assert_eq!(
        apply(Voting, &Event::Tallied(Verdict::Passed), Actor::Secretariat),
        Err(Refused::NotYours {
            event: "tallied",
            actor: Actor::Secretariat
        })
    );
    assert!(
        apply(
            Draft,
            &Event::Submit { window_open: true },
            Actor::Secretariat
        )
        .is_err()
    );
    assert!(apply(Submitted, &Event::UnitApprove, Actor::Candidate).is_err());
    assert!(apply(HrssConfirmation, &Event::Confirmed, Actor::Secretariat).is_err());
    assert_eq!(
        apply(HrssConfirmation, &Event::Confirmed, Actor::Authority),
        Ok(Certified)
    );
}

#[test]
fn decisions_need_a_reason() {
    let blank = Event::UnitReject {
        reason: "  ".into(),
    };
    assert_eq!(
        apply(Submitted, &blank, Actor::Unit),
        Err(Refused::NoReason("unit_reject"))
    );
}

#[test]
fn every_state_has_a_code_that_parses_back() {
    let mut codes = std::collections::BTreeSet::new();
    for s in State::ALL {
        assert_eq!(State::parse(s.code()), Some(s));
        assert!(codes.insert(s.code()), "{} twice", s.code());
    }
    assert_eq!(State::parse("approved"), None);
}
