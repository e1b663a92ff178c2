//! `ladder score --format text`: the report as a committee member reads it.

use super::{
    contribution_kind, decimal, dimension, exclusion, hint, hours, indicator, level, minimum,
    module, money, note, outcome_kind, pad, pts, requirement, role, shortfall, t, wan,
};
use crate::domain::evidence::PersonEvidence;
use crate::domain::quantity::Points;
use crate::domain::rules::RuleSet;
use crate::domain::score::{Effect, Input, Rule, ScoreReport, TierValue};
use crate::i18n::Lang;
use std::fmt::Write;

/// What a record is, for a reader who does not know its id.
pub(super) fn label(ev: &PersonEvidence, id: &str, lang: Lang) -> String {
    if let Some(r) = ev.training.iter().find(|r| r.id == id) {
        return format!("{} {}", r.date, module(r.module, lang));
    }
    if let Some(r) = ev.continuing_education.iter().find(|r| r.id == id) {
        return format!("{} {}", r.date, r.provider);
    }
    if let Some(r) = ev.deals.iter().find(|r| r.id == id) {
        return format!("{} {}", r.date().0, r.contract_name);
    }
    if let Some(r) = ev.cases.iter().find(|r| r.id == id) {
        return format!("{} {}", r.date, r.title);
    }
    if let Some(r) = ev.outcomes.iter().find(|r| r.id == id) {
        return format!("{} {}", r.date, outcome_kind(r.kind, lang));
    }
    if let Some(r) = ev.contributions.iter().find(|r| r.id == id) {
        return format!("{} {}", r.date, contribution_kind(&r.kind, lang));
    }
    String::new()
}

fn milli(v: i64) -> String {
    format!("{}.{:03}", v / 1000, v % 1000)
}

pub(super) fn input(i: &Input, lang: Lang) -> String {
    match i {
        Input::Hours { hours: h } => hours(*h, lang),
        Input::WeightedCount { role: r, weight } => {
            format!("{} × {}", role(*r, lang), milli(*weight))
        }
        Input::WeightedAmount {
            amount,
            role: r,
            weight,
            share,
            weighted,
        } => format!(
            "{} {} × {} ({}) × {}% = {} {}",
            amount.wan_display(),
            wan(lang),
            milli(*weight),
            role(*r, lang),
            Points(share.saturating_mul(100)).display(),
            weighted.wan_display(),
            wan(lang),
        ),
        Input::Received {
            received,
            contract,
            ratio,
        } => format!(
            "{} {} / {} {} = {}",
            t(lang, "到账", "received"),
            received.wan_display(),
            contract.wan_display(),
            wan(lang),
            milli(*ratio)
        ),
        Input::Points { points } => format!("{} {}", pts(*points), t(lang, "分", "points")),
    }
}

pub(super) fn rule(r: &Rule, rules: &RuleSet, lang: Lang) -> String {
    match r {
        Rule::Curriculum {
            level: l,
            modules,
            provisional,
        } => {
            let parts: Vec<String> = modules
                .iter()
                .map(|m| format!("{} {}/{}", module(m.module, lang), m.done, m.required))
                .collect();
            let mark = if *provisional {
                t(
                    lang,
                    "（学时要求或模块设置为占位值，结果暂定）",
                    " (the hours or the modules are a placeholder: provisional)",
                )
            } else {
                ""
            };
            match lang {
                Lang::Zh => format!(
                    "{}课程各模块 min(1, 已完成/要求) 的平均 × 100：{}{mark}",
                    level(Some(*l), lang),
                    parts.join("，")
                ),
                Lang::En => format!(
                    "mean over the {} modules of min(1, done/required) × 100: {}{mark}",
                    level(Some(*l), lang),
                    parts.join(", ")
                ),
            }
        }
        Rule::ContinuingEducation {
            annual,
            professional,
            years,
        } => {
            let parts: Vec<String> = years
                .iter()
                .map(|y| {
                    format!(
                        "{} {}/{} → {}",
                        y.year,
                        y.total,
                        y.professional,
                        pts(y.points)
                    )
                })
                .collect();
            match lang {
                Lang::Zh => format!(
                    "每年总学时 ≥ {annual} 且专业科目 ≥ {professional} 得 100，否则 100 × min(1, 总/{annual}) × min(1, 专业/{professional})，逐年平均：{}",
                    parts.join("；")
                ),
                Lang::En => format!(
                    "each year 100 if total ≥ {annual} and professional ≥ {professional}, else 100 × min(1, total/{annual}) × min(1, professional/{professional}); averaged: {}",
                    parts.join("; ")
                ),
            }
        }
        Rule::Tier { value, row, .. } => {
            // In the reader's words, not the ruleset's keys: 交易合同数分档第 2 档（≥ 1 → 40 分）.
            let short = |p: Points| pts(p).trim_end_matches(".0").to_string();
            let (name, shown, bound) = match value {
                TierValue::Count { value } => (
                    t(lang, "交易合同数分档", "deal-count tiers"),
                    decimal(*value).trim_end_matches(".0").to_string(),
                    row.and_then(|r| rules.count_tiers.rows().get(r - 1))
                        .map(|t| {
                            (
                                decimal(t.from).trim_end_matches(".0").to_string(),
                                short(t.points),
                            )
                        }),
                ),
                TierValue::Amount { value } => (
                    t(lang, "技术交易额分档", "deal-amount tiers"),
                    money(*value, lang),
                    row.and_then(|r| rules.amount_tiers.rows().get(r - 1))
                        .map(|t| (money(t.from, lang), short(t.points))),
                ),
            };
            match (lang, row, bound) {
                (Lang::Zh, Some(r), Some((from, p))) => {
                    format!("{name}第 {r} 档（≥ {from} → {p} 分），取值 {shown}")
                }
                (Lang::En, Some(r), Some((from, p))) => {
                    format!("{name}, row {r} (≥ {from} → {p} points) for {shown}")
                }
                (Lang::Zh, _, _) => format!("{name}：{shown} 低于第一档，0 分"),
                (Lang::En, _, _) => format!("{name}: {shown} is below the first row, 0 points"),
            }
        }
        Rule::PerItem { each, counted, cap } => match lang {
            Lang::Zh => format!(
                "每项 {} 分，上限 {}：计入 {counted} 项",
                pts(*each),
                pts(*cap)
            ),
            Lang::En => format!(
                "{} per item, capped at {}: {counted} counted",
                pts(*each),
                pts(*cap)
            ),
        },
        Rule::ContractPerformance {
            deals,
            mean_ratio,
            disputes,
            penalty,
        } => match lang {
            Lang::Zh => format!(
                "100 × 平均到账率 {}（{deals} 项合同）− {} × 纠纷 {disputes} 项，最低 0",
                milli(*mean_ratio),
                pts(*penalty)
            ),
            Lang::En => format!(
                "100 × mean received ratio {} ({deals} deals) − {} × {disputes} disputes, at least 0",
                milli(*mean_ratio),
                pts(*penalty)
            ),
        },
        Rule::CaseMean {
            cases,
            min_reviewers,
            trim_from,
        } => match lang {
            Lang::Zh => format!(
                "已评审案例的平均分（每个案例至少 {min_reviewers} 份评审取平均，{trim_from} 份及以上去掉最高分和最低分）：{cases} 个案例"
            ),
            Lang::En => format!(
                "mean of the reviewed cases (each the mean of ≥ {min_reviewers} reviews, highest and lowest dropped from {trim_from}): {cases} cases"
            ),
        },
        Rule::Contribution { teaching_cap, cap } => match lang {
            Lang::Zh => format!(
                "按类别计分，授课最多 {}，合计上限 {}",
                pts(*teaching_cap),
                pts(*cap)
            ),
            Lang::En => format!(
                "points per kind, teaching at most {}, the sum capped at {}",
                pts(*teaching_cap),
                pts(*cap)
            ),
        },
        Rule::NotConfigured { slot } => match lang {
            Lang::Zh => format!("规则未配置 {slot}，本项无法计算，按 0 分"),
            Lang::En => {
                format!("{slot} is not configured: this indicator cannot be computed and gives 0")
            }
        },
    }
}

/// The whole report as text: scores, the ledger with every record, gates, both ladders.
/// Why the report awards no score, when a gate blocks it (domain.md §5.5): "不计分：…" with
/// the records behind it.
pub fn blocked(r: &ScoreReport, lang: Lang) -> Option<String> {
    let gate = r.blocked?;
    let records = r
        .gates
        .iter()
        .find(|g| g.gate == gate)
        .map(|g| g.records.join("；"))
        .unwrap_or_default();
    Some(match (gate, lang) {
        (crate::domain::score::GateKind::Integrity, Lang::Zh) => {
            format!("不计分：评价期内有诚信记录（{records}）")
        }
        (crate::domain::score::GateKind::Integrity, Lang::En) => {
            format!("not scored: an integrity record in the window ({records})")
        }
        (crate::domain::score::GateKind::DealEvidence, _) => {
            t(lang, "不计分", "not scored").to_string()
        }
    })
}

pub fn report_text(r: &ScoreReport, ev: &PersonEvidence, rules: &RuleSet, lang: Lang) -> String {
    let mut s = String::new();
    let yes_no = |b: bool| {
        if b {
            t(lang, "✓", "✓")
        } else {
            t(lang, "✗", "✗")
        }
    };
    let semi = t(lang, "；", "; ");
    let _ = writeln!(
        s,
        "{} — {} v{} ({})",
        t(lang, "评分报告", "Score report"),
        r.ruleset.id,
        r.ruleset.version,
        r.ruleset.jurisdiction
    );
    let _ = writeln!(
        s,
        "{} {}{semi}{} {} – {}",
        t(lang, "评价日期", "As of"),
        r.as_of,
        t(lang, "评价期", "window"),
        r.window.from,
        r.window.to
    );
    match blocked(r, lang) {
        Some(why) => {
            let _ = writeln!(s, "{}: {why}", t(lang, "总分", "Total"));
        }
        None => {
            let _ = writeln!(s, "{}: {}", t(lang, "总分", "Total"), pts(r.total));
        }
    }
    if r.provisional {
        let _ = writeln!(
            s,
            "{}: {}",
            t(
                lang,
                "暂定结果，使用了占位值",
                "Provisional: placeholder values used"
            ),
            r.provisional_slots().join(", ")
        );
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{}",
        t(
            lang,
            "维度得分（0–100）× 权重 = 计入总分",
            "Dimensions (0–100) × weight = part of the total"
        )
    );
    for d in &r.dimensions {
        let name = pad(
            dimension(d.dimension, lang),
            if lang == Lang::Zh { 16 } else { 34 },
        );
        let _ = writeln!(
            s,
            "  {name} {:>5}  × {:>3}% = {:>5}",
            pts(d.subscore),
            d.weight,
            pts(d.points)
        );
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{}",
        t(
            lang,
            "明细：每一分的来源",
            "Ledger: where every point comes from"
        )
    );
    for e in &r.ledger {
        let _ = writeln!(
            s,
            "{} {} — {} {} × {}% × {}% = {}",
            e.indicator.code(),
            indicator(e.indicator, lang),
            t(lang, "原始分", "raw"),
            pts(e.raw),
            e.share,
            e.weight,
            pts(e.points)
        );
        let _ = writeln!(
            s,
            "    {}: {}",
            t(lang, "规则", "rule"),
            rule(&e.rule, rules, lang)
        );
        for item in &e.items {
            let what = match &item.effect {
                Effect::Counted(i) => format!("+ {}", input(i, lang)),
                Effect::Excluded(x) => format!(
                    "{}: {}",
                    t(lang, "未计入", "not counted"),
                    exclusion(x, lang)
                ),
            };
            let _ = writeln!(
                s,
                "    - {} {}  {what}",
                item.record,
                label(ev, &item.record, lang)
            );
            for n in &item.notes {
                let _ = writeln!(s, "        ({})", note(n, lang));
            }
        }
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "{}", t(lang, "门槛", "Gates"));
    for g in &r.gates {
        let name = match g.gate {
            crate::domain::score::GateKind::Integrity => t(lang, "诚信", "integrity"),
            crate::domain::score::GateKind::DealEvidence => t(
                lang,
                "交易凭证（未计入的交易）",
                "deal evidence (deals left out)",
            ),
        };
        let _ = writeln!(s, "  {} {name} {}", yes_no(g.passed), g.records.join("; "));
    }
    let _ = writeln!(s);
    let p = &r.position;
    let _ = writeln!(s, "{}", t(lang, "能力等级", "Capability level"));
    let _ = writeln!(
        s,
        "  {}: {}{semi}{}: {}{semi}{}: {}",
        t(lang, "已持证", "certified"),
        level(p.held, lang),
        t(lang, "已达到", "reached"),
        level(p.reached, lang),
        t(lang, "下一级", "next"),
        p.next.map_or("—", |l| level(Some(l), lang))
    );
    for check in &r.levels {
        let _ = writeln!(s, "  {} {}", yes_no(check.met), level(check.level, lang));
        for (req, ok) in &check.requirements {
            let _ = writeln!(s, "      {} {}", yes_no(*ok), requirement(req, lang));
        }
    }
    if p.next.is_some() && !(p.gaps.is_empty() && p.hints.is_empty()) {
        let _ = writeln!(
            s,
            "  {}",
            t(lang, "升至下一级尚缺：", "Still needed for the next level:")
        );
        for g in &p.gaps {
            let _ = writeln!(s, "    - {}", requirement(g, lang));
        }
        for h in &p.hints {
            let _ = writeln!(s, "    · {}", hint(h, lang));
        }
    }
    let _ = writeln!(
        s,
        "  {} {}",
        t(lang, "优秀标识：", "Outstanding flag:"),
        if r.outstanding.met {
            t(lang, "是", "yes")
        } else {
            t(lang, "否", "no")
        }
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{}",
        t(
            lang,
            "高级职称（建议，以评委会表决为准）",
            "Senior title (advice; the committee's vote decides)"
        )
    );
    let _ = writeln!(
        s,
        "  {} {}",
        yes_no(r.title.prescreen.met),
        t(lang, "预审", "pre-screen")
    );
    for (req, ok) in &r.title.prescreen.requirements {
        let _ = writeln!(s, "      {} {}", yes_no(*ok), requirement(req, lang));
    }
    let el = &r.title.eligibility;
    let _ = writeln!(
        s,
        "  {} {}",
        yes_no(el.eligible()),
        t(lang, "申报条件", "eligibility")
    );
    if el.waived_seniority {
        let _ = writeln!(
            s,
            "      {}",
            t(
                lang,
                "破格：免除学历与年限要求",
                "exceptional track: education × years waived"
            )
        );
    }
    for f in &el.shortfalls {
        let _ = writeln!(s, "      ✗ {}", shortfall(f, lang));
    }
    for m in &r.title.minimums {
        let mark = m.met().map_or("?", yes_no);
        let _ = writeln!(s, "  {mark} {}", minimum(m, lang));
    }
    if !r.problems.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{}",
            t(lang, "记录问题（未计入）", "Problems (records left out)")
        );
        for p in &r.problems {
            let _ = writeln!(s, "  - {p}");
        }
    }
    let unconfigured = rules.unconfigured();
    if !unconfigured.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{}: {}",
            t(lang, "规则中未配置的值", "Not configured in the ruleset"),
            unconfigured.join(", ")
        );
    }
    s
}
