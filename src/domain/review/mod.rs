//! The senior-title review's rules (issue 6, domain.md §6): the application's procedure as a
//! state machine (procedure), the meeting's quorum and the secret ballot's two-thirds rule with
//! recusals (ballot), the working-day calendar public notices are counted in (calendar), the
//! frozen dossier (dossier), conflicts of interest (conflicts), the assignment of reviewers
//! (assign), their independent score sheets (scoring), the optional defense with its own
//! scores (defense), and the result's public notice with its objections and certificates
//! (notice), and the session's own schedule (schedule).
//! Every threshold is a parameter (the committee's rules are configuration); all arithmetic is
//! in integers, never floats.

pub mod assign;
pub mod ballot;
pub mod calendar;
pub mod conflicts;
pub mod defense;
pub mod dossier;
pub mod meeting;
pub mod notice;
pub mod procedure;
pub mod rules;
pub mod schedule;
pub mod scoring;
