//! The senior-title review's rules (issue 6, domain.md §6): the application's procedure as a
//! state machine (procedure), the meeting's quorum and the secret ballot's two-thirds rule with
//! recusals (ballot), and the working-day calendar public notices are counted in (calendar).
//! Every threshold is a parameter (the committee's rules are configuration); all arithmetic is
//! in integers, never floats.

pub mod ballot;
pub mod calendar;
pub mod dossier;
pub mod procedure;
pub mod rules;
