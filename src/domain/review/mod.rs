//! The senior-title review's arithmetic (issue 6, domain.md §6.2): the meeting's quorum, the
//! secret ballot's tally and its two-thirds rule with recusals, and the working-day calendar
//! that public notices are counted in. Every threshold is a parameter (the committee's rules
//! are configuration); everything is integer arithmetic, never floats.

pub mod ballot;
pub mod calendar;
