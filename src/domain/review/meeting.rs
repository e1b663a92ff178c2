//! The committee's meeting (domain.md §6.2, issue 6): who may sit on it, whether the committee
//! is properly composed (odd size, a minimum by how it was built, terms no longer than the
//! rule), and the members' ballots — yes, no or abstain, once per candidate.

use super::ballot::Tally;
use super::rules::ReviewRules;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A member's choice on one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    Yes,
    No,
    Abstain,
}

impl Choice {
    pub const ALL: [Choice; 3] = [Choice::Yes, Choice::No, Choice::Abstain];

    pub fn code(self) -> &'static str {
        match self {
            Choice::Yes => "yes",
            Choice::No => "no",
            Choice::Abstain => "abstain",
        }
    }

    pub fn parse(code: &str) -> Option<Choice> {
        Choice::ALL.into_iter().find(|c| c.code() == code)
    }
}

impl Tally {
    /// The tally with one more ballot for `choice`.
    pub fn with(self, choice: Choice) -> Tally {
        let mut t = self;
        match choice {
            Choice::Yes => t.yes += 1,
            Choice::No => t.no += 1,
            Choice::Abstain => t.abstain += 1,
        }
        t
    }
}

/// How a committee was built: by series (the larger minimum) or by specialty [S-14].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BuiltBy {
    Series,
    Specialty,
}

/// A member's term on the committee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub name: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Term {
    /// Whether the term covers `day`.
    pub fn covers(&self, day: NaiveDate) -> bool {
        matches!((self.from, self.to), (Some(f), Some(t)) if f <= day && day <= t)
    }
}

/// Why the committee may not meet as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Composition {
    #[error("{members} members: the committee's size must be odd")]
    EvenSize { members: u32 },
    #[error("{members} members: at least {min} are required")]
    TooSmall { members: u32, min: u32 },
    #[error("{name}'s term is longer than {max_years} years")]
    TermTooLong { name: String, max_years: u32 },
}

/// The members who sit on `day` (their term covers it), and what is wrong with the committee
/// they form. Members without a term covering the day do not sit and do not count.
pub fn sitting<'a>(
    terms: &'a [Term],
    day: NaiveDate,
    built_by: BuiltBy,
    rules: &ReviewRules,
) -> (Vec<&'a Term>, Vec<Composition>) {
    let sitting: Vec<&Term> = terms.iter().filter(|t| t.covers(day)).collect();
    let members = sitting.len() as u32;
    let mut problems = Vec::new();
    if members.is_multiple_of(2) {
        problems.push(Composition::EvenSize { members });
    }
    let min = match built_by {
        BuiltBy::Series => rules.min_members_series,
        BuiltBy::Specialty => rules.min_members_specialty,
    };
    if members < min {
        problems.push(Composition::TooSmall { members, min });
    }
    for t in &sitting {
        if let (Some(from), Some(to)) = (t.from, t.to) {
            let limit = from
                .checked_add_months(chrono::Months::new(12 * rules.max_term_years))
                .unwrap_or(NaiveDate::MAX);
            if to >= limit {
                problems.push(Composition::TermTooLong {
                    name: t.name.clone(),
                    max_years: rules.max_term_years,
                });
            }
        }
    }
    (sitting, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> ReviewRules {
        crate::domain::review::rules::sample()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn terms(n: usize) -> Vec<Term> {
        (0..n)
            .map(|i| Term {
                name: format!("委员{i}"),
                from: Some(d(2025, 1, 1)),
                to: Some(d(2027, 12, 31)),
            })
            .collect()
    }

    #[test]
    fn an_odd_committee_of_eleven_by_specialty_sits() {
        let t = terms(11);
        let (sitting, problems) = sitting(&t, d(2026, 12, 1), BuiltBy::Specialty, &rules());
        assert_eq!(sitting.len(), 11);
        assert_eq!(problems, vec![]);
        // The same eleven are too few for a committee built by series.
        let (_, problems) = sitting_of(&t, BuiltBy::Series);
        assert_eq!(
            problems,
            vec![Composition::TooSmall {
                members: 11,
                min: 25
            }]
        );
    }

    fn sitting_of(t: &[Term], by: BuiltBy) -> (usize, Vec<Composition>) {
        let (s, p) = sitting(t, d(2026, 12, 1), by, &rules());
        (s.len(), p)
    }

    #[test]
    fn an_expired_term_leaves_the_count_even() {
        let mut t = terms(13);
        t[0].to = Some(d(2026, 11, 30));
        t[1].from = None;
        let (n, problems) = sitting_of(&t, BuiltBy::Specialty);
        assert_eq!(n, 11);
        assert_eq!(problems, vec![]);
        t[2].to = Some(d(2026, 6, 30));
        let (n, problems) = sitting_of(&t, BuiltBy::Specialty);
        assert_eq!(n, 10);
        assert_eq!(
            problems,
            vec![
                Composition::EvenSize { members: 10 },
                Composition::TooSmall {
                    members: 10,
                    min: 11
                }
            ]
        );
    }

    #[test]
    fn a_term_of_more_than_three_years_is_named() {
        let mut t = terms(11);
        // Exactly three years is the longest term allowed; a day more is too long.
        t[3].from = Some(d(2024, 1, 1));
        t[3].to = Some(d(2026, 12, 31));
        assert_eq!(sitting_of(&t, BuiltBy::Specialty).1, vec![]);
        t[3].to = Some(d(2027, 1, 1));
        assert_eq!(
            sitting_of(&t, BuiltBy::Specialty).1,
            vec![Composition::TermTooLong {
                name: "委员3".into(),
                max_years: 3
            }]
        );
    }

    #[test]
    fn choices_count_once_each() {
        let t = Tally::default()
            .with(Choice::Yes)
            .with(Choice::Yes)
            .with(Choice::No)
            .with(Choice::Abstain);
        assert_eq!((t.yes, t.no, t.abstain, t.cast()), (2, 1, 1, 4));
        for c in Choice::ALL {
            assert_eq!(Choice::parse(c.code()), Some(c));
        }
        assert_eq!(Choice::parse("maybe"), None);
    }
}
