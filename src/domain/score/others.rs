//! D3a (commercialisation events), D4 (case quality) and D5 (professional contribution).

use super::{Ctx, Exclusion, Input, Item, Note, Part, Rule, mul_div};
use crate::domain::evidence::{Case, ContributionKind, PersonEvidence};
use crate::domain::quantity::Points;

/// Adds `points` to a running total under `cap`; the item says what counted.
fn capped(id: &str, points: Points, running: &mut Points, cap: Points) -> Item {
    let room = Points((cap.0 - running.0).max(0));
    if room.0 == 0 && points.0 > 0 {
        return Item::excluded(id, Exclusion::Capped);
    }
    let counted = Points(points.0.min(room.0));
    running.0 += counted.0;
    let mut item = Item::counted(id, Input::Points { points: counted });
    if counted < points {
        item.notes.push(Note::PartlyCapped { of: points });
    }
    item
}

/// D3a: so many points per verified event in the window, up to the ruleset's cap (100).
pub(crate) fn events(ctx: &Ctx, ev: &PersonEvidence) -> Part {
    let each = Points::whole(ctx.rules.points_per_event);
    let cap = Points::whole(ctx.rules.events_cap);
    let mut records: Vec<_> = ev.outcomes.iter().collect();
    records.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    let mut total = Points(0);
    let mut counted = 0u32;
    let items = records
        .into_iter()
        .map(|o| match ctx.screen(&o.id, o.verification, o.date) {
            Some(why) => Item::excluded(&o.id, why),
            None => {
                let item = capped(&o.id, each, &mut total, cap);
                if matches!(item.effect, super::Effect::Counted(_)) {
                    counted += 1;
                }
                item
            }
        })
        .collect();
    Part {
        raw: total,
        rule: Rule::PerItem { each, counted, cap },
        items,
    }
}

/// One case's score: the mean of its reviews' totals, dropping the highest and the lowest
/// once there are `trim_from` reviews. Reviews that do not match the rubric are left out.
fn case_score(ctx: &Ctx, c: &Case) -> Item {
    let rubric = &ctx.rules.case_rubric;
    // Both maps are sorted by criterion, so they match pairwise or not at all.
    let fits = |r: &std::collections::BTreeMap<String, i64>| {
        r.len() == rubric.len()
            && r.iter()
                .zip(rubric)
                .all(|((k, v), (criterion, max))| k == criterion && (0..=*max).contains(v))
    };
    let mut totals: Vec<i64> = c
        .reviews
        .iter()
        .filter(|r| fits(r))
        .map(|r| r.values().sum::<i64>() * 1000)
        .collect();
    let off = (c.reviews.len() - totals.len()) as u32;
    let have = totals.len() as u32;
    let mut notes = Vec::new();
    if off > 0 {
        notes.push(Note::ReviewsOffRubric { count: off });
    }
    if have < ctx.rules.min_reviewers {
        let mut item = Item::excluded(
            &c.id,
            Exclusion::TooFewReviews {
                have,
                need: ctx.rules.min_reviewers,
            },
        );
        item.notes = notes;
        return item;
    }
    totals.sort_unstable();
    let kept = if have >= ctx.rules.trim_from_reviewers {
        notes.push(Note::Trimmed { reviews: have });
        &totals[1..totals.len() - 1]
    } else {
        &totals[..]
    };
    let mean = kept.iter().sum::<i64>() / kept.len().max(1) as i64;
    let mut item = Item::counted(
        &c.id,
        Input::Points {
            points: Points(mean),
        },
    );
    item.notes = notes;
    item
}

/// D4: the mean score of the verified, sufficiently reviewed cases in the window.
pub(crate) fn cases(ctx: &Ctx, ev: &PersonEvidence) -> Part {
    let mut records: Vec<_> = ev.cases.iter().collect();
    records.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    let items: Vec<Item> = records
        .into_iter()
        .map(|c| match ctx.screen(&c.id, c.verification, c.date) {
            Some(why) => Item::excluded(&c.id, why),
            None => case_score(ctx, c),
        })
        .collect();
    let scores: Vec<i64> = items
        .iter()
        .filter_map(|i| match i.effect {
            super::Effect::Counted(Input::Points { points }) => Some(points.0),
            _ => None,
        })
        .collect();
    let raw = scores.iter().sum::<i64>() / scores.len().max(1) as i64;
    Part {
        raw: Points(raw),
        rule: Rule::CaseMean {
            cases: scores.len() as u32,
            min_reviewers: ctx.rules.min_reviewers,
            trim_from: ctx.rules.trim_from_reviewers,
        },
        items,
    }
}

/// D5: points per item by kind; teaching per 学时 up to its own cap; the sum up to the
/// ruleset's cap (100).
pub(crate) fn contributions(ctx: &Ctx, ev: &PersonEvidence) -> Part {
    let price = |k: &str| Points::whole(ctx.rules.contribution_points.get(k).copied().unwrap_or(0));
    let teaching_cap = Points::whole(ctx.rules.teaching_cap);
    let cap = Points::whole(ctx.rules.contribution_cap);
    let mut records: Vec<_> = ev.contributions.iter().collect();
    records.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    let (mut total, mut teaching) = (Points(0), Points(0));
    let items = records
        .into_iter()
        .map(|c| {
            if let Some(why) = ctx.screen(&c.id, c.verification, c.date) {
                return Item::excluded(&c.id, why);
            }
            let points = match &c.kind {
                ContributionKind::ReportAdopted => price("report_adopted"),
                ContributionKind::StandardDrafter => price("standard_drafter"),
                ContributionKind::Paper => price("paper"),
                ContributionKind::Mentoring => price("mentoring"),
                ContributionKind::Award => price("award"),
                ContributionKind::Teaching { hours } => {
                    // Hours are hundredths and points thousandths: hours × price / 100.
                    let full = Points(mul_div(hours.0, price("teaching_per_hour").0, 100));
                    let allowed = Points(full.0.min((teaching_cap.0 - teaching.0).max(0)));
                    teaching.0 += allowed.0;
                    if allowed.0 == 0 && full.0 > 0 {
                        return Item::excluded(&c.id, Exclusion::Capped);
                    }
                    let mut item = capped(&c.id, allowed, &mut total, cap);
                    if allowed < full && matches!(item.effect, super::Effect::Counted(_)) {
                        item.notes = vec![Note::PartlyCapped { of: full }];
                    }
                    return item;
                }
            };
            capped(&c.id, points, &mut total, cap)
        })
        .collect();
    Part {
        raw: total,
        rule: Rule::Contribution { teaching_cap, cap },
        items,
    }
}
