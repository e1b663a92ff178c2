//! D2 (deal performance: weighted count D2a, weighted amount D2b), D3b (contract performance)
//! and gate 2 (deal evidence).

use super::{Ctx, Exclusion, Gate, GateKind, Input, Item, Note, Part, Rule, TierValue, mul_div};
use crate::domain::evidence::{Deal, ManagerRole};
use crate::domain::quantity::{Money, Points};
use std::borrow::Cow;

fn role_weight(ctx: &Ctx, role: ManagerRole) -> i64 {
    let r = ctx.rules.roles;
    match role {
        ManagerRole::Lead => r.lead,
        ManagerRole::CoLead => r.co_lead,
        ManagerRole::Participant => r.participant,
    }
}

/// Whether a deal counts in D2 and D3b: valid, verified, registered, documented (when the
/// gate is on) and dated in the window; the notes say how its date was found.
pub(crate) fn screen(ctx: &Ctx, d: &Deal) -> Result<Vec<Note>, Exclusion> {
    let (date, signing) = d.date();
    if let Some(why) = ctx.screen(&d.id, d.verification, date) {
        return Err(why);
    }
    if d.registration_no.is_none() {
        return Err(Exclusion::NotRegistered);
    }
    if ctx.rules.gates.deal_documents && d.documents.is_empty() {
        return Err(Exclusion::NoDocument);
    }
    Ok(if signing {
        vec![Note::SigningDateUsed]
    } else {
        Vec::new()
    })
}

fn weighted_amount(d: &Deal, weight: i64) -> i64 {
    let amount = d.tech_transaction_amount.unwrap_or_default().0;
    let v = i128::from(amount) * i128::from(weight) * i128::from(d.effective_share()) / 1_000_000;
    v.clamp(0, i128::from(i64::MAX)) as i64
}

/// One line per deal: why it does not count, or what `line` makes of a deal that counts (after
/// the notes of its screening).
fn lines(ctx: &Ctx, mut line: impl FnMut(&Deal) -> Item) -> Vec<Item> {
    ctx.deals
        .iter()
        .map(|(d, s)| match s {
            Err(why) => Item::excluded(&d.id, why.clone()),
            Ok(notes) => {
                let mut item = line(d);
                item.notes.splice(0..0, notes.iter().cloned());
                item
            }
        })
        .collect()
}

/// D2a: N = Σ role weight over the deals that count, read in the count tiers.
pub(crate) fn count(ctx: &Ctx) -> Part {
    let mut n = 0i64;
    let items = lines(ctx, |d| {
        let weight = role_weight(ctx, d.role);
        n = n.saturating_add(weight);
        Item::counted(
            &d.id,
            Input::WeightedCount {
                role: d.role,
                weight,
            },
        )
    });
    let hit = ctx.rules.count_tiers.lookup(n);
    Part {
        raw: hit.points,
        rule: Rule::Tier {
            table: Cow::Borrowed("deals.count_tiers"),
            value: TierValue::Count { value: n },
            row: hit.row,
        },
        items,
    }
}

/// D2b: T = Σ role weight × effective share × 技术交易额, read in the amount tiers.
pub(crate) fn amount(ctx: &Ctx) -> Part {
    let mut t = 0i64;
    let items = lines(ctx, |d| {
        let weight = role_weight(ctx, d.role);
        let share = d.effective_share();
        let weighted = weighted_amount(d, weight);
        t = t.saturating_add(weighted);
        let mut item = Item::counted(
            &d.id,
            Input::WeightedAmount {
                amount: d.tech_transaction_amount.unwrap_or_default(),
                role: d.role,
                weight,
                share,
                weighted: Money(weighted),
            },
        );
        if share < d.share {
            item.notes.push(Note::ShareScaled {
                own: d.share,
                claimed_total: d.claimed_shares_total,
                effective: share,
            });
        }
        item
    });
    let hit = ctx.rules.amount_tiers.lookup(Money(t));
    Part {
        raw: hit.points,
        rule: Rule::Tier {
            table: Cow::Borrowed("deals.amount_tiers_wan"),
            value: TierValue::Amount { value: Money(t) },
            row: hit.row,
        },
        items,
    }
}

/// D3b: 100 × the mean of min(1, received / contract amount) over the deals that count, minus
/// the penalty for each disputed deal, floored at 0. "The manager's deals" (domain.md §5.2)
/// are read as the deals D2 counts (registered, documented, verified, in the window), so an
/// unverified claim can neither raise nor lower contract performance.
pub(crate) fn performance(ctx: &Ctx) -> Part {
    let penalty = Points::whole(ctx.rules.dispute_penalty);
    let (mut deals, mut ratios, mut disputes) = (0u32, 0i64, 0u32);
    let items = lines(ctx, |d| {
        if d.contract_amount.0 <= 0 {
            // No ratio to average, but a dispute still costs.
            let mut item = Item::excluded(&d.id, Exclusion::NoContractAmount);
            if d.dispute {
                disputes += 1;
                item.notes.push(Note::Dispute { penalty });
            }
            return item;
        }
        let received = d.amount_received.unwrap_or_default();
        let ratio = mul_div(
            received.0.clamp(0, d.contract_amount.0),
            1000,
            d.contract_amount.0,
        );
        deals += 1;
        ratios += ratio;
        let mut item = Item::counted(
            &d.id,
            Input::Received {
                received,
                contract: d.contract_amount,
                ratio,
            },
        );
        if d.amount_received.is_none() {
            item.notes.push(Note::NoPaymentRecorded);
        }
        if d.dispute {
            disputes += 1;
            item.notes.push(Note::Dispute { penalty });
        }
        item
    });
    let mean_ratio = if deals == 0 {
        0
    } else {
        ratios / i64::from(deals)
    };
    let raw = (mean_ratio * 100 - penalty.0.saturating_mul(i64::from(disputes))).max(0);
    Part {
        raw: Points(raw),
        rule: Rule::ContractPerformance {
            deals,
            mean_ratio,
            disputes,
            penalty,
        },
        items,
    }
}

/// Gate 2: D2 counts only registered, documented, verified deals; the gate lists the deals
/// it left out so a reader sees why.
pub(crate) fn evidence_gate(ctx: &Ctx) -> Gate {
    let mut records: Vec<String> = ctx
        .deals
        .iter()
        .filter(|(_, s)| s.is_err())
        .map(|(d, _)| d.id.clone())
        .collect();
    records.sort();
    Gate {
        gate: GateKind::DealEvidence,
        passed: true,
        records,
    }
}
