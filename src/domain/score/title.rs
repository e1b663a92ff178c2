//! The senior professional title (高级经济师, domain.md §4.2): the score pre-screen, the
//! eligibility table and the performance minima ("not configured" until entered).

use super::ladder::{Check, threshold_check};
use super::training::ce_by_year;
use super::{Ctx, DimensionScore, Gate, Indicator, LedgerEntry, SlotPath, TierValue};
use crate::domain::eligibility::{self, Applicant, CeYear, Education, Eligibility};
use crate::domain::evidence::{ContributionKind, PersonEvidence};
use crate::domain::quantity::{Money, Points};
use crate::domain::rules::TITLE_MINIMUM_PATHS;
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A senior-title performance minimum ([NF] until the official criteria are entered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Minimum {
    NotConfigured { slot: SlotPath },
    RegisteredDeals { needs: i64, has: i64 },
    TechTransactionAmount { needs: Money, has: Money },
    Cases { needs: i64, has: i64 },
    Reports { needs: i64, has: i64 },
}

impl Minimum {
    pub fn met(&self) -> Option<bool> {
        match self {
            Minimum::NotConfigured { .. } => None,
            Minimum::RegisteredDeals { needs, has }
            | Minimum::Cases { needs, has }
            | Minimum::Reports { needs, has } => Some(has >= needs),
            Minimum::TechTransactionAmount { needs, has } => Some(has >= needs),
        }
    }
}

/// The senior professional title (高级经济师): advice only, the committee's vote decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TitleCheck {
    pub prescreen: Check,
    pub eligibility: Eligibility,
    pub minimums: Vec<Minimum>,
}

/// The senior title: pre-screen on the score, eligibility (education × years, CE, locality),
/// and the performance minima.
pub(crate) fn title(
    ctx: &Ctx,
    ev: &PersonEvidence,
    dims: &[DimensionScore],
    total: Points,
    ledger: &[LedgerEntry],
    integrity: &Gate,
) -> TitleCheck {
    let rule = &ctx.rules.title_eligibility;
    let years: Vec<i32> = (1..=rule.ce_years as i32)
        .map(|k| ctx.as_of.year() - k)
        .collect();
    let (ce, _) = ce_by_year(ctx, ev, &years, false);
    let p = &ev.profile;
    let applicant = Applicant {
        education: p.education.unwrap_or(Education::Other),
        intermediate_title_on: p.intermediate_title_on,
        ce: ce
            .iter()
            .map(|y| CeYear {
                year: y.year,
                total: y.total,
                professional: y.professional,
            })
            .collect(),
        locality: p.locality,
        exceptional_track: p.exceptional_track,
    };
    let eligibility = eligibility::senior_title(rule, &applicant, ctx.as_of);
    let counted = |i: Indicator| {
        ledger
            .iter()
            .filter(|e| e.indicator == i)
            .flat_map(|e| &e.items)
            .filter(|it| matches!(it.effect, super::Effect::Counted(_)))
            .count() as i64
    };
    let m = &ctx.rules.title_minimums;
    let amount = ledger
        .iter()
        .find_map(|e| match e.rule {
            super::Rule::Tier {
                value: TierValue::Amount { value },
                ..
            } => Some(value),
            _ => None,
        })
        .unwrap_or_default();
    let reports = ev
        .contributions
        .iter()
        .filter(|c| {
            matches!(
                c.kind,
                ContributionKind::ReportAdopted | ContributionKind::Paper
            )
        })
        .filter(|c| ctx.screen(&c.id, c.verification, c.date).is_none())
        .count() as i64;
    let slot = |i: usize| Minimum::NotConfigured {
        slot: Cow::Borrowed(TITLE_MINIMUM_PATHS[i]),
    };
    let minimums = vec![
        m.registered_deals
            .map_or(slot(0), |needs| Minimum::RegisteredDeals {
                needs,
                has: counted(Indicator::DealCount),
            }),
        m.tech_transaction_amount
            .map_or(slot(1), |needs| Minimum::TechTransactionAmount {
                needs,
                has: amount,
            }),
        m.cases.map_or(slot(2), |needs| Minimum::Cases {
            needs,
            has: counted(Indicator::CaseQuality),
        }),
        m.reports.map_or(slot(3), |needs| Minimum::Reports {
            needs,
            has: reports,
        }),
    ];
    TitleCheck {
        prescreen: threshold_check(&ctx.rules.title_prescreen, dims, total, integrity.passed),
        eligibility,
        minimums,
    }
}
