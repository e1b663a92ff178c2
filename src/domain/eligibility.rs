//! Senior-title (高级经济师) eligibility, domain.md §4.2 and §10: education × whole years since
//! the intermediate title, continuing education in each recent year, and the locality rule.
//! Every condition is checked and reported, so an applicant sees all that is missing at once.
//! The parameters are data (a ruleset supplies them); `Default` holds domain.md's defaults.

use super::quantity::Hours;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

mod frozen;
pub use frozen::either_form;

/// Highest education, as the eligibility table distinguishes it, highest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Education {
    /// 博士
    Doctorate,
    /// 硕士 / 第二学士 / 研究生班
    Master,
    /// 本科
    Bachelor,
    /// 大专
    Associate,
    /// Below 大专: no row in the table.
    Other,
}

impl Education {
    pub const ALL: [Education; 5] = [
        Education::Doctorate,
        Education::Master,
        Education::Bachelor,
        Education::Associate,
        Education::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Education::Doctorate => "doctorate",
            Education::Master => "master",
            Education::Bachelor => "bachelor",
            Education::Associate => "associate",
            Education::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Education> {
        Education::ALL.into_iter().find(|e| e.code() == code.trim())
    }

    /// At least `floor` ("大专 or above" is `meets(Associate)`).
    pub fn meets(self, floor: Education) -> bool {
        self <= floor
    }
}

/// Years required after the intermediate title, per education (人社部发〔2019〕53号 via [S-10]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TitleEligibilityRule {
    pub min_years: Vec<(Education, u32)>,
    /// Continuing education required in each of this many most recent full years. No source
    /// fixes the number ([NF] in domain.md §10); the default checks the last full year [A].
    pub ce_years: u32,
    pub ce_annual: Hours,
    pub ce_professional: Hours,
    /// Social-insurance months in the last two years that satisfy the locality rule (from the
    /// sibling 2023 Shanghai notice, assumed to apply [A]).
    pub social_insurance_months: u32,
}

impl Default for TitleEligibilityRule {
    fn default() -> Self {
        TitleEligibilityRule {
            min_years: vec![
                (Education::Doctorate, 2),
                (Education::Master, 5),
                (Education::Bachelor, 5),
                (Education::Associate, 10),
            ],
            ce_years: 1,
            ce_annual: Hours::whole(90),
            ce_professional: Hours::whole(60),
            social_insurance_months: 12,
        }
    }
}

/// Continuing education of one calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CeYear {
    pub year: i32,
    pub total: Hours,
    pub professional: Hours,
}

/// Where the applicant belongs (户籍 / 居住证 / social insurance).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Locality {
    pub hukou: bool,
    pub residence_permit: bool,
    pub social_insurance_months_last_two_years: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub education: Education,
    /// The date the intermediate title (经济师) was obtained; None if not held.
    pub intermediate_title_on: Option<NaiveDate>,
    pub ce: Vec<CeYear>,
    pub locality: Locality,
    /// 破格: the committee waives the education × seniority rule.
    pub exceptional_track: bool,
}

/// One unmet condition, with what would meet it. Written in the documented form (snake_case,
/// tagged by `kind`, docs/score-format.md). Dossiers frozen before hold serde's default form
/// (`"NoIntermediateTitle"`, `{"ContinuingEducation": {…}}`) and are immutable: the fields
/// that hold a shortfall read both ([`either_form`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Shortfall {
    NoIntermediateTitle,
    EducationNotInTable,
    Seniority {
        has_years: u32,
        needs_years: u32,
        eligible_on: NaiveDate,
    },
    ContinuingEducation {
        year: i32,
        total: Hours,
        professional: Hours,
    },
    Locality,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    #[serde(deserialize_with = "frozen::either_forms")]
    pub shortfalls: Vec<Shortfall>,
    /// The seniority rule was waived by the exceptional track.
    pub waived_seniority: bool,
}

impl Eligibility {
    pub fn eligible(&self) -> bool {
        self.shortfalls.is_empty()
    }
}

/// Whole years from `from` to `to` (a year is complete on its anniversary; 29 February
/// anniversaries fall on 1 March in common years).
pub fn whole_years(from: NaiveDate, to: NaiveDate) -> u32 {
    to.years_since(from).unwrap_or(0)
}

/// The first day on which `whole_years(date, day) >= years` (chrono clamps 29 February to the
/// 28th, which is still a day short).
pub fn add_years(date: NaiveDate, years: u32) -> NaiveDate {
    let day = date
        .checked_add_months(chrono::Months::new(years.saturating_mul(12)))
        .unwrap_or(date);
    if whole_years(date, day) < years {
        day.succ_opt().unwrap_or(day)
    } else {
        day
    }
}

/// Checks every condition on `as_of` (the application deadline).
pub fn senior_title(rule: &TitleEligibilityRule, a: &Applicant, as_of: NaiveDate) -> Eligibility {
    let mut shortfalls = Vec::new();
    let needs = rule
        .min_years
        .iter()
        .find(|(e, _)| *e == a.education)
        .map(|(_, y)| *y);
    match (a.intermediate_title_on, needs) {
        (None, _) => shortfalls.push(Shortfall::NoIntermediateTitle),
        (Some(_), _) if a.exceptional_track => {}
        (Some(_), None) => shortfalls.push(Shortfall::EducationNotInTable),
        (Some(since), Some(needs_years)) => {
            let has_years = whole_years(since, as_of);
            if has_years < needs_years {
                shortfalls.push(Shortfall::Seniority {
                    has_years,
                    needs_years,
                    eligible_on: add_years(since, needs_years),
                });
            }
        }
    }
    for offset in 1..=rule.ce_years as i32 {
        let year = as_of.year() - offset;
        let done =
            a.ce.iter()
                .find(|c| c.year == year)
                .copied()
                .unwrap_or(CeYear {
                    year,
                    total: Hours(0),
                    professional: Hours(0),
                });
        if done.total < rule.ce_annual || done.professional < rule.ce_professional {
            shortfalls.push(Shortfall::ContinuingEducation {
                year,
                total: done.total,
                professional: done.professional,
            });
        }
    }
    let l = a.locality;
    if !(l.hukou
        || l.residence_permit
        || l.social_insurance_months_last_two_years >= rule.social_insurance_months)
    {
        shortfalls.push(Shortfall::Locality);
    }
    Eligibility {
        shortfalls,
        waived_seniority: a.exceptional_track && a.intermediate_title_on.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The documented form is written (snake_case, tagged by `kind`), and both it and the
    /// form dossiers frozen before it hold are read.
    #[test]
    fn shortfalls_are_written_documented_and_read_in_both_forms() {
        let ce = Shortfall::ContinuingEducation {
            year: 2025,
            total: Hours(6000),
            professional: Hours(3000),
        };
        let e = Eligibility {
            shortfalls: vec![Shortfall::NoIntermediateTitle, ce.clone()],
            waived_seniority: false,
        };
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"shortfalls":[{"kind":"no_intermediate_title"},{"kind":"continuing_education","year":2025,"total":6000,"professional":3000}],"waived_seniority":false}"#
        );
        assert_eq!(serde_json::from_str::<Eligibility>(&json).unwrap(), e);
        let frozen = r#"{"shortfalls":["NoIntermediateTitle",{"ContinuingEducation":{"year":2025,"total":6000,"professional":3000}},{"Seniority":{"has_years":3,"needs_years":5,"eligible_on":"2028-09-01"}}],"waived_seniority":true}"#;
        let read: Eligibility = serde_json::from_str(frozen).unwrap();
        assert_eq!(read.shortfalls[..2], e.shortfalls[..]);
        assert_eq!(
            read.shortfalls[2],
            Shortfall::Seniority {
                has_years: 3,
                needs_years: 5,
                eligible_on: NaiveDate::from_ymd_opt(2028, 9, 1).unwrap(),
            }
        );
        // A dossier's reason holds one, in either form.
        use crate::domain::review::dossier::Reason;
        for text in [
            r#"{"kind":"title","shortfall":"Locality"}"#,
            r#"{"kind":"title","shortfall":{"kind":"locality"}}"#,
        ] {
            assert_eq!(
                serde_json::from_str::<Reason>(text).unwrap(),
                Reason::Title {
                    shortfall: Shortfall::Locality
                },
                "{text}"
            );
        }
        // Neither form: refused, not guessed.
        assert!(
            serde_json::from_str::<Eligibility>(
                r#"{"shortfalls":["Nothing"],"waived_seniority":false}"#
            )
            .is_err()
        );
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn applicant(education: Education, since: NaiveDate) -> Applicant {
        Applicant {
            education,
            intermediate_title_on: Some(since),
            ce: vec![CeYear {
                year: 2025,
                total: Hours::whole(90),
                professional: Hours::whole(60),
            }],
            locality: Locality {
                hukou: true,
                ..Locality::default()
            },
            exceptional_track: false,
        }
    }

    #[test]
    fn seniority_boundaries_per_education() {
        let rule = TitleEligibilityRule::default();
        let as_of = d(2026, 8, 31);
        // Exactly five years on the deadline counts; one day short does not.
        assert!(
            senior_title(
                &rule,
                &applicant(Education::Bachelor, d(2021, 8, 31)),
                as_of
            )
            .eligible()
        );
        let short = senior_title(&rule, &applicant(Education::Bachelor, d(2021, 9, 1)), as_of);
        assert_eq!(
            short.shortfalls,
            vec![Shortfall::Seniority {
                has_years: 4,
                needs_years: 5,
                eligible_on: d(2026, 9, 1)
            }]
        );
        assert!(
            senior_title(
                &rule,
                &applicant(Education::Doctorate, d(2024, 8, 31)),
                as_of
            )
            .eligible()
        );
        assert!(
            !senior_title(
                &rule,
                &applicant(Education::Associate, d(2017, 9, 1)),
                as_of
            )
            .eligible()
        );
        assert!(
            senior_title(
                &rule,
                &applicant(Education::Associate, d(2016, 8, 31)),
                as_of
            )
            .eligible()
        );
        assert_eq!(
            senior_title(&rule, &applicant(Education::Other, d(2000, 1, 1)), as_of).shortfalls,
            vec![Shortfall::EducationNotInTable]
        );
    }

    #[test]
    fn exceptional_track_waives_seniority_only() {
        let rule = TitleEligibilityRule::default();
        let mut a = applicant(Education::Associate, d(2025, 1, 1));
        a.exceptional_track = true;
        let e = senior_title(&rule, &a, d(2026, 8, 31));
        assert!(e.eligible() && e.waived_seniority);
        a.intermediate_title_on = None;
        assert_eq!(
            senior_title(&rule, &a, d(2026, 8, 31)).shortfalls,
            vec![Shortfall::NoIntermediateTitle]
        );
    }

    #[test]
    fn continuing_education_and_locality_are_all_reported() {
        let rule = TitleEligibilityRule {
            ce_years: 2,
            ..TitleEligibilityRule::default()
        };
        let mut a = applicant(Education::Master, d(2015, 1, 1));
        a.ce = vec![CeYear {
            year: 2025,
            total: Hours::whole(95),
            professional: Hours::whole(59),
        }];
        a.locality = Locality {
            social_insurance_months_last_two_years: 11,
            ..Locality::default()
        };
        let e = senior_title(&rule, &a, d(2026, 8, 31));
        assert_eq!(
            e.shortfalls,
            vec![
                Shortfall::ContinuingEducation {
                    year: 2025,
                    total: Hours::whole(95),
                    professional: Hours::whole(59)
                },
                Shortfall::ContinuingEducation {
                    year: 2024,
                    total: Hours(0),
                    professional: Hours(0)
                },
                Shortfall::Locality,
            ]
        );
        a.locality.social_insurance_months_last_two_years = 12;
        a.ce = vec![
            CeYear {
                year: 2025,
                total: Hours::whole(90),
                professional: Hours::whole(60),
            },
            CeYear {
                year: 2024,
                total: Hours::whole(120),
                professional: Hours::whole(80),
            },
        ];
        assert!(senior_title(&rule, &a, d(2026, 8, 31)).eligible());
    }

    #[test]
    fn leap_day_titles_complete_their_years_on_the_first_of_march() {
        let rule = TitleEligibilityRule::default();
        let mut a = applicant(Education::Bachelor, d(2020, 2, 29));
        a.ce = vec![CeYear {
            year: 2024,
            total: Hours::whole(90),
            professional: Hours::whole(60),
        }];
        assert_eq!(
            senior_title(&rule, &a, d(2025, 2, 28)).shortfalls,
            vec![Shortfall::Seniority {
                has_years: 4,
                needs_years: 5,
                eligible_on: d(2025, 3, 1)
            }]
        );
        assert!(senior_title(&rule, &a, d(2025, 3, 1)).eligible());
    }
}
