//! The invariants a ruleset must hold for the formulas to work, each problem located by its
//! path in the file and all of them reported at once.

use super::{CONTRIBUTION_KINDS, Dimension, LevelCurriculum, RuleSet, RuleSetError, Threshold};
use crate::domain::level::Level;
use crate::domain::quantity::Hours;

fn check_hundred<'a>(
    path: &str,
    parts: impl IntoIterator<Item = (&'a str, i64)>,
    out: &mut Vec<RuleSetError>,
) {
    let mut sum: i128 = 0;
    for (name, value) in parts {
        check_range(format!("{path}.{name}"), value, 0, 100, out);
        sum += i128::from(value);
    }
    if sum != 100 {
        out.push(RuleSetError::NotHundred {
            path: path.into(),
            sum: sum.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64,
        });
    }
}

fn check_range(path: String, value: i64, min: i64, max: i64, out: &mut Vec<RuleSetError>) {
    if !(min..=max).contains(&value) {
        out.push(RuleSetError::OutOfRange {
            path,
            value,
            min,
            max,
        });
    }
}

fn check_threshold(path: &str, t: &Threshold, out: &mut Vec<RuleSetError>) {
    check_range(format!("{path}.min_total"), t.min_total, 0, 100, out);
    for (d, floor) in &t.floors {
        check_range(format!("{path}.floors.{}", d.code()), *floor, 0, 100, out);
    }
}

fn check_curriculum(level: Level, c: &LevelCurriculum, out: &mut Vec<RuleSetError>) {
    let path = format!("curriculum.{}", level.code());
    if c.modules.is_empty() {
        out.push(RuleSetError::Invalid {
            path: format!("{path}.modules"),
            message: "needs at least one module".into(),
        });
    }
    let mut seen = Vec::new();
    for m in &c.modules {
        if seen.contains(m) {
            out.push(RuleSetError::Invalid {
                path: format!("{path}.modules"),
                message: format!("{} is listed twice", m.code()),
            });
        }
        seen.push(*m);
    }
    if let (Some(total), Some(practicum)) = (c.hours.value(), c.practicum_hours.value())
        && practicum > total
    {
        out.push(RuleSetError::Invalid {
            path: format!("{path}.practicum_hours"),
            message: "cannot exceed the level's hours".into(),
        });
    }
    check_range(
        format!("{path}.practice_years"),
        i64::from(c.practice_years),
        0,
        50,
        out,
    );
}

impl RuleSet {
    /// Every invariant the scoring formulas rely on; empty when the ruleset is usable.
    pub fn problems(&self) -> Vec<RuleSetError> {
        let mut out = Vec::new();
        for d in Dimension::ALL {
            if !self.weights.contains_key(&d) {
                out.push(RuleSetError::Missing {
                    path: format!("weights.{}", d.code()),
                });
            }
        }
        check_range(
            "meta.version".into(),
            i64::from(self.version),
            1,
            i64::from(i32::MAX),
            &mut out,
        );
        check_hundred(
            "weights",
            self.weights.iter().map(|(d, w)| (d.code(), *w)),
            &mut out,
        );
        check_hundred(
            "training",
            [
                ("curriculum", self.d1_curriculum),
                ("continuing_education", self.d1_ce),
            ],
            &mut out,
        );
        check_hundred(
            "deals",
            [("count", self.d2_count), ("amount", self.d2_amount)],
            &mut out,
        );
        check_hundred(
            "outcomes",
            [
                ("events", self.d3_events),
                ("performance", self.d3_performance),
            ],
            &mut out,
        );
        check_hundred(
            "case_quality.rubric",
            self.case_rubric.iter().map(|(k, v)| (k.as_str(), *v)),
            &mut out,
        );
        let t = &self.title_eligibility;
        check_range(
            "title_eligibility.ce_years".into(),
            i64::from(t.ce_years),
            0,
            10,
            &mut out,
        );
        for (education, years) in &t.min_years {
            check_range(
                format!(
                    "title_eligibility.years_after_intermediate.{}",
                    education.code()
                ),
                i64::from(*years),
                0,
                50,
                &mut out,
            );
        }
        check_range(
            "title_eligibility.social_insurance_months".into(),
            i64::from(t.social_insurance_months),
            0,
            24,
            &mut out,
        );
        check_range(
            "window.years".into(),
            i64::from(self.window_years),
            1,
            30,
            &mut out,
        );
        if self.ce_annual <= Hours(0) {
            out.push(RuleSetError::Invalid {
                path: "training.ce_annual_hours".into(),
                message: "must be above 0".into(),
            });
        }
        if let Some(share) = self.max_online_share {
            check_range("training.max_online_share".into(), share, 0, 100, &mut out);
        }
        if self.ce_professional > self.ce_annual {
            out.push(RuleSetError::Invalid {
                path: "training.ce_professional_hours".into(),
                message: "cannot exceed ce_annual_hours".into(),
            });
        }
        let r = self.roles;
        for (name, w) in [
            ("lead", r.lead),
            ("co_lead", r.co_lead),
            ("participant", r.participant),
        ] {
            check_range(format!("roles.{name}"), w, 1, 1000, &mut out);
        }
        if !(r.lead >= r.co_lead && r.co_lead >= r.participant) {
            out.push(RuleSetError::RoleOrder {
                path: "roles".into(),
            });
        }
        check_range(
            "outcomes.points_per_event".into(),
            self.points_per_event,
            0,
            100,
            &mut out,
        );
        check_range(
            "outcomes.events_cap".into(),
            self.events_cap,
            1,
            100,
            &mut out,
        );
        check_range(
            "outcomes.dispute_penalty".into(),
            self.dispute_penalty,
            0,
            100,
            &mut out,
        );
        check_range(
            "case_quality.min_reviewers".into(),
            i64::from(self.min_reviewers),
            1,
            99,
            &mut out,
        );
        // Dropping the highest and lowest must still leave the minimum number of scores.
        check_range(
            "case_quality.trim_from_reviewers".into(),
            i64::from(self.trim_from_reviewers),
            i64::from(self.min_reviewers) + 2,
            99,
            &mut out,
        );
        for (k, p) in &self.contribution_points {
            if CONTRIBUTION_KINDS.contains(&k.as_str()) {
                check_range(format!("contribution.points.{k}"), *p, 0, 100, &mut out);
            } else {
                out.push(RuleSetError::Invalid {
                    path: format!("contribution.points.{k}"),
                    message: format!("unknown kind (expected {})", CONTRIBUTION_KINDS.join(", ")),
                });
            }
        }
        for k in CONTRIBUTION_KINDS {
            if !self.contribution_points.contains_key(k) {
                out.push(RuleSetError::Missing {
                    path: format!("contribution.points.{k}"),
                });
            }
        }
        check_range(
            "contribution.teaching_cap".into(),
            self.teaching_cap,
            0,
            100,
            &mut out,
        );
        check_range(
            "contribution.cap".into(),
            self.contribution_cap,
            1,
            100,
            &mut out,
        );
        for level in Level::ALL {
            match self.curricula.get(&level) {
                None => out.push(RuleSetError::Missing {
                    path: format!("curriculum.{}", level.code()),
                }),
                Some(c) => check_curriculum(level, c, &mut out),
            }
            match self.levels.get(&level) {
                Some(t) => check_threshold(&format!("levels.{}", level.code()), t, &mut out),
                None => out.push(RuleSetError::Missing {
                    path: format!("levels.{}", level.code()),
                }),
            }
        }
        check_threshold("outstanding", &self.outstanding, &mut out);
        check_threshold("title_prescreen", &self.title_prescreen, &mut out);
        out
    }
}
