//! D1: curriculum completion (D1a) and continuing-education compliance (D1b).

use super::{CeYearScore, ModuleProgress};
use super::{Ctx, Exclusion, Input, Item, Note, Part, Rule, mul_div};
use crate::domain::evidence::{CeCategory, Mode, PersonEvidence};
use crate::domain::level::Level;
use crate::domain::quantity::{Hours, Points};
use crate::domain::rules::{CurriculumField, curriculum_path};
use chrono::Datelike;
use std::borrow::Cow;

/// The hours each module of `level` requires: the level total split equally (domain.md §5.2).
pub(crate) fn required_per_module(ctx: &Ctx, level: Level) -> Option<Hours> {
    let c = ctx.rules.curricula.get(&level)?;
    let total = c.hours.value()?;
    let n = c.modules.len().max(1) as i64;
    Some(Hours(total.0 / n))
}

/// 100000 × min(done, required) / required (full marks when nothing is required).
fn completion(done: Hours, required: Hours) -> i64 {
    if required.0 <= 0 {
        100_000
    } else {
        mul_div(done.0.min(required.0).max(0), 100_000, required.0)
    }
}

/// D1a: the mean over the level's modules of min(1, done / required) × 100.
pub(crate) fn curriculum(ctx: &Ctx, ev: &PersonEvidence, level: Level) -> Part {
    let modules = ctx
        .rules
        .curricula
        .get(&level)
        .map(|c| c.modules.clone())
        .unwrap_or_default();
    let mut records: Vec<_> = ev.training.iter().collect();
    records.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    let items = records
        .into_iter()
        .map(|r| match ctx.screen(&r.id, r.verification, r.date) {
            Some(why) => Item::excluded(&r.id, why),
            None if !modules.contains(&r.module) => {
                Item::excluded(&r.id, Exclusion::NotInCurriculum)
            }
            None => Item::counted(&r.id, Input::Hours { hours: r.hours }),
        })
        .collect();
    let Some(required) = required_per_module(ctx, level) else {
        return Part {
            raw: Points(0),
            rule: Rule::NotConfigured {
                slot: Cow::Borrowed(curriculum_path(level, CurriculumField::Hours)),
            },
            items,
        };
    };
    let progress: Vec<ModuleProgress> = modules
        .iter()
        .map(|m| ModuleProgress {
            module: *m,
            done: ctx.module_hours[m.index()],
            required,
        })
        .collect();
    let sum: i64 = progress
        .iter()
        .map(|p| completion(p.done, p.required))
        .sum();
    let raw = Points(sum / progress.len().max(1) as i64);
    let c = &ctx.rules.curricula[&level];
    let provisional = c.hours.is_placeholder() || c.modules_placeholder;
    Part {
        raw,
        rule: Rule::Curriculum {
            level,
            modules: progress,
            provisional,
        },
        items,
    }
}

/// The calendar years D1b averages: the last `window` full years before the as-of year, from
/// the year the person started practising; the current year alone if that leaves none.
fn ce_years(ctx: &Ctx, ev: &PersonEvidence) -> Vec<i32> {
    let now = ctx.as_of.year();
    let mut first = now - ctx.rules.window_years as i32;
    if let Some(since) = ev.profile.practice_since {
        first = first.max(since.year());
    }
    let years: Vec<i32> = (first..now).collect();
    if years.is_empty() { vec![now] } else { years }
}

/// Continuing education per year for `years`, with each activity's line; online and
/// self-study hours above the ruleset's share of the annual requirement are not counted.
pub(crate) fn ce_by_year(
    ctx: &Ctx,
    ev: &PersonEvidence,
    years: &[i32],
    lines: bool,
) -> (Vec<CeYearScore>, Vec<Item>) {
    let r = ctx.rules;
    let online_cap = r
        .max_online_share
        .map(|share| Hours(mul_div(r.ce_annual.0, share, 100)));
    let mut records: Vec<_> = ev.continuing_education.iter().collect();
    records.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    // (year, total, professional, online), in year order.
    let mut totals: Vec<(i32, Hours, Hours, Hours)> = years
        .iter()
        .map(|y| (*y, Hours(0), Hours(0), Hours(0)))
        .collect();
    let mut items = Vec::with_capacity(if lines { records.len() } else { 0 });
    let mut push = |item: Item| {
        if lines {
            items.push(item)
        }
    };
    for a in records {
        let year = a.date.year();
        // CE counts by calendar year, not by the window.
        let screened = match ctx.screen(&a.id, a.verification, a.date) {
            Some(Exclusion::OutsideWindow) => None,
            other => other,
        };
        if let Some(why) = screened {
            push(Item::excluded(&a.id, why));
            continue;
        }
        let Some((_, total, professional, online)) = totals.iter_mut().find(|t| t.0 == year) else {
            push(Item::excluded(&a.id, Exclusion::OutsideCeYears));
            continue;
        };
        let mut hours = a.hours;
        let mut notes = Vec::new();
        if let (Some(cap), Mode::Online | Mode::SelfStudy) = (online_cap, a.mode) {
            let room = Hours((cap.0 - online.0).max(0));
            if room.0 == 0 {
                push(Item::excluded(&a.id, Exclusion::Capped));
                continue;
            }
            if hours > room {
                notes.push(Note::OnlineCapped { of: hours });
                hours = room;
            }
            online.0 += hours.0;
        }
        total.0 = total.0.saturating_add(hours.0);
        if a.category == CeCategory::Professional {
            professional.0 = professional.0.saturating_add(hours.0);
        }
        if lines {
            let mut item = Item::counted(&a.id, Input::Hours { hours });
            item.notes = notes;
            push(item);
        }
    }
    let scores = totals
        .into_iter()
        .map(|(year, total, professional, _)| {
            let t = completion(total, r.ce_annual);
            let p = completion(professional, r.ce_professional);
            CeYearScore {
                year,
                total,
                professional,
                points: Points(mul_div(t, p, 100_000)),
            }
        })
        .collect();
    (scores, items)
}

/// D1b: annual CE compliance averaged over the years measured.
pub(crate) fn continuing(ctx: &Ctx, ev: &PersonEvidence) -> Part {
    let years = ce_years(ctx, ev);
    let (scores, items) = ce_by_year(ctx, ev, &years, true);
    let sum: i64 = scores.iter().map(|y| y.points.0).sum();
    Part {
        raw: Points(sum / scores.len().max(1) as i64),
        rule: Rule::ContinuingEducation {
            annual: ctx.rules.ce_annual,
            professional: ctx.rules.ce_professional,
            years: scores,
        },
        items,
    }
}
