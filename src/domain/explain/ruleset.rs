//! `ladder ruleset show`: a ruleset summarised for the people who maintain it.

use super::{decimal, dimension, education, hours, level, module, money, t};
use crate::domain::quantity::Hours;
use crate::domain::rules::{RuleSet, Slot, Threshold};
use crate::i18n::Lang;
use std::fmt::Write;

fn slot_text<T: Copy>(s: Slot<T>, show: impl Fn(T) -> String, lang: Lang) -> String {
    match s {
        Slot::NotConfigured => t(lang, "未配置", "not configured").into(),
        Slot::Placeholder(v) => format!("{}{}", show(v), t(lang, "（占位值）", " (placeholder)")),
        Slot::Set(v) => show(v),
    }
}

fn on_off(on: bool, lang: Lang) -> &'static str {
    if on {
        t(lang, "启用", "on")
    } else {
        t(lang, "停用", "off")
    }
}

fn threshold(th: &Threshold, lang: Lang) -> String {
    let mut parts = vec![format!("{} ≥ {}", t(lang, "总分", "total"), th.min_total)];
    parts.extend(
        th.floors
            .iter()
            .map(|(d, f)| format!("{} ≥ {f}", dimension(*d, lang))),
    );
    parts.join(t(lang, "，", ", "))
}

/// A rubric criterion in words (the file's key when it is not one of the default's).
fn criterion(key: &str, lang: Lang) -> String {
    match key {
        "complexity" => t(lang, "复杂度与规模", "complexity and scale").into(),
        "outcome" => t(lang, "成果与影响", "outcome and impact").into(),
        "personal_contribution" => t(lang, "个人贡献", "personal contribution").into(),
        "professional_method" => t(lang, "专业方法", "professional method").into(),
        "reflection" => t(lang, "反思与可复制性", "reflection").into(),
        other => other.to_string(),
    }
}

/// A contribution kind of the file (`contribution.points`) in words.
fn contribution(key: &str, lang: Lang) -> String {
    use crate::domain::evidence::ContributionKind as K;
    let kind = match key {
        "report_adopted" => K::ReportAdopted,
        "standard_drafter" => K::StandardDrafter,
        "paper" => K::Paper,
        "mentoring" => K::Mentoring,
        "award" => K::Award,
        "teaching" | "teaching_per_hour" => {
            return t(lang, "授课（每学时）", "teaching (per class hour)").into();
        }
        other => return other.to_string(),
    };
    super::contribution_kind(&kind, lang)
}

/// A plain-text summary of a ruleset, including every value that is not configured.
pub fn describe(r: &RuleSet, lang: Lang) -> String {
    let mut s = String::new();
    let sep = t(lang, "，", ", ");
    let _ = writeln!(
        s,
        "{} v{} — {} ({})",
        r.id, r.version, r.name, r.jurisdiction
    );
    let _ = writeln!(
        s,
        "{}: {} {}",
        t(lang, "评价期", "window"),
        r.window_years,
        t(lang, "年", "years")
    );
    let weights: Vec<String> = r
        .weights
        .iter()
        .map(|(d, w)| format!("{} {w}%", dimension(*d, lang)))
        .collect();
    let _ = writeln!(s, "{}: {}", t(lang, "权重", "weights"), weights.join(sep));
    // Every dimension's parts and parameters (issue 21: `ruleset show` showed every part).
    let _ = writeln!(
        s,
        "D1 {}: {} {}%{sep}{} {}%{sep}{} {}",
        t(lang, "分配", "split"),
        t(lang, "课程完成度", "curriculum"),
        r.d1_curriculum,
        t(lang, "继续教育", "continuing education"),
        r.d1_ce,
        t(lang, "每学时分钟数", "minutes per class hour"),
        slot_text(r.minutes_per_hour, |m| m.to_string(), lang)
    );
    let _ = writeln!(
        s,
        "D2 {}: {} {}%{sep}{} {}%",
        t(lang, "分配", "split"),
        t(lang, "合同数", "deal count"),
        r.d2_count,
        t(lang, "交易额", "deal amount"),
        r.d2_amount
    );
    let (open, close) = (t(lang, "（", " ("), t(lang, "）", ")"));
    let _ = writeln!(
        s,
        "D3 {}: {} {}%{open}{} {}{sep}{} {}{close}{sep}{} {}%{open}{} {}{close}",
        t(lang, "分配", "split"),
        t(lang, "转化成效", "commercialisation events"),
        r.d3_events,
        t(lang, "每项", "each"),
        r.points_per_event,
        t(lang, "上限", "cap"),
        r.events_cap,
        t(lang, "合同履约", "contract performance"),
        r.d3_performance,
        t(lang, "每项争议扣", "penalty per dispute"),
        r.dispute_penalty
    );
    let rubric: Vec<String> = r
        .case_rubric
        .iter()
        .map(|(k, p)| format!("{} {p}", criterion(k, lang)))
        .collect();
    let _ = writeln!(
        s,
        "D4 {}: {}{sep}{} {}{sep}{} {}",
        t(lang, "案例评分表", "case rubric"),
        rubric.join(sep),
        t(lang, "至少评分份数", "reviews needed"),
        r.min_reviewers,
        t(lang, "去掉最高最低分自", "drop highest and lowest from"),
        r.trim_from_reviewers
    );
    let prices: Vec<String> = r
        .contribution_points
        .iter()
        .map(|(k, p)| format!("{} {p}", contribution(k, lang)))
        .collect();
    let _ = writeln!(
        s,
        "D5 {}: {}{sep}{} {}{sep}{} {}",
        t(lang, "每项分值", "points each"),
        prices.join(sep),
        t(lang, "授课上限", "teaching cap"),
        r.teaching_cap,
        t(lang, "总上限", "cap"),
        r.contribution_cap
    );
    let _ = writeln!(
        s,
        "{}: {} {}, {} {}, {} {}",
        t(lang, "角色系数", "role weights"),
        t(lang, "主导", "lead"),
        decimal(r.roles.lead),
        t(lang, "共同主导", "co-lead"),
        decimal(r.roles.co_lead),
        t(lang, "参与", "participant"),
        decimal(r.roles.participant)
    );
    let count: Vec<String> = r
        .count_tiers
        .rows()
        .iter()
        .map(|x| format!("≥{} → {}", decimal(x.from), x.points.display()))
        .collect();
    let _ = writeln!(
        s,
        "{}: {}",
        t(lang, "合同数分档", "deal count tiers"),
        count.join("; ")
    );
    let amount: Vec<String> = r
        .amount_tiers
        .rows()
        .iter()
        .map(|x| format!("≥{} → {}", money(x.from, lang), x.points.display()))
        .collect();
    let _ = writeln!(
        s,
        "{}: {}",
        t(lang, "交易额分档", "deal amount tiers"),
        amount.join("; ")
    );
    let _ = writeln!(
        s,
        "{}: {} / {} {}{}",
        t(lang, "继续教育", "continuing education"),
        hours(r.ce_annual, lang),
        r.ce_professional,
        t(lang, "（每年总计 / 专业科目）", "(a year / professional)"),
        r.max_online_share.map_or(String::new(), |p| format!(
            "; {} ≤ {p}%",
            t(lang, "线上", "online")
        ))
    );
    for (l, c) in &r.curricula {
        let modules: Vec<&str> = c.modules.iter().map(|m| module(*m, lang)).collect();
        let placeholder = |yes: bool| {
            if yes {
                t(lang, "（占位值）", " (placeholder)")
            } else {
                ""
            }
        };
        let show_hours = |h: Hours| hours(h, lang);
        let _ = writeln!(
            s,
            "{} {}: {}{}; {} {}; {} {}; {} {}; {} {}{}",
            t(lang, "课程", "curriculum"),
            level(Some(*l), lang),
            modules.join(sep),
            placeholder(c.modules_placeholder),
            t(lang, "学时", "hours"),
            slot_text(c.hours, show_hours, lang),
            t(lang, "实训", "practicum"),
            slot_text(c.practicum_hours, show_hours, lang),
            t(lang, "学历", "education"),
            match c.education {
                Slot::NotConfigured => t(lang, "不限", "no floor").to_string(),
                e => slot_text(e, |e| education(e, lang).to_string(), lang),
            },
            t(lang, "从业年限", "years in practice"),
            c.practice_years,
            placeholder(c.practice_years_placeholder)
        );
    }
    for (l, th) in &r.levels {
        let _ = writeln!(
            s,
            "{} {}: {}",
            t(lang, "推荐", "recommend"),
            level(Some(*l), lang),
            threshold(th, lang)
        );
    }
    let _ = writeln!(
        s,
        "{}: {}",
        t(lang, "优秀标识", "outstanding"),
        threshold(&r.outstanding, lang)
    );
    let _ = writeln!(
        s,
        "{}: {}",
        t(lang, "职称预审", "title pre-screen"),
        threshold(&r.title_prescreen, lang)
    );
    let e = &r.title_eligibility;
    let years: Vec<String> = e
        .min_years
        .iter()
        .map(|(ed, y)| format!("{} {y}", education(*ed, lang)))
        .collect();
    let _ = writeln!(
        s,
        "{}: {}{open}{}{close}{sep}{} {} {} {}{open}{} {}{close}{sep}{} {}",
        t(lang, "职称申报条件", "title eligibility"),
        years.join(sep),
        t(
            lang,
            "取得中级职称后年限",
            "years since the intermediate title"
        ),
        t(lang, "继续教育：最近", "continuing education: the last"),
        e.ce_years,
        t(lang, "个完整年度每年", "full years, each"),
        hours(e.ce_annual, lang),
        t(lang, "专业科目", "professional"),
        hours(e.ce_professional, lang),
        t(
            lang,
            "社保月数（近两年）",
            "social-insurance months (last two years)"
        ),
        e.social_insurance_months
    );
    let m = &r.title_minimums;
    let none = || t(lang, "未配置", "not configured").to_string();
    let _ = writeln!(
        s,
        "{}: {} {}{sep}{} {}{sep}{} {}{sep}{} {}",
        t(lang, "高评委业绩要求", "title performance minima"),
        t(lang, "登记合同数", "registered deals"),
        m.registered_deals.map_or_else(none, |v| v.to_string()),
        t(lang, "技术交易额", "transaction amount"),
        m.tech_transaction_amount
            .map_or_else(none, |v| money(v, lang)),
        t(lang, "案例数", "cases"),
        m.cases.map_or_else(none, |v| v.to_string()),
        t(lang, "报告数", "reports"),
        m.reports.map_or_else(none, |v| v.to_string())
    );
    let _ = writeln!(
        s,
        "{}: {} {}, {} {}",
        t(lang, "门槛", "gates"),
        t(lang, "诚信", "integrity"),
        on_off(r.gates.integrity, lang),
        t(lang, "交易凭证", "deal documents"),
        on_off(r.gates.deal_documents, lang)
    );
    let placeholders = r.placeholders();
    if !placeholders.is_empty() {
        let _ = writeln!(
            s,
            "{} ({}): {}",
            t(lang, "占位值", "placeholders"),
            placeholders.len(),
            placeholders.join(", ")
        );
    }
    let unconfigured = r.unconfigured();
    if unconfigured.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            t(lang, "所有值均已配置", "every value is configured")
        );
    } else {
        let _ = writeln!(
            s,
            "{} ({}): {}",
            t(lang, "未配置", "not configured"),
            unconfigured.len(),
            unconfigured.join(", ")
        );
    }
    s
}

/// One problem of a ruleset file, for the people who maintain it.
pub fn problem(e: &crate::domain::rules::RuleSetError, lang: Lang) -> String {
    use crate::domain::rules::RuleSetError::*;
    match (e, lang) {
        (NotHundred { path, sum }, Lang::Zh) => format!("{path}：各项之和为 {sum}，应为 100"),
        (
            OutOfRange {
                path,
                value,
                min,
                max,
            },
            Lang::Zh,
        ) => {
            format!("{path}：{value} 不在 {min}–{max} 范围内")
        }
        (Missing { path }, Lang::Zh) => format!("{path}：缺少此项"),
        (RoleOrder { path }, Lang::Zh) => {
            format!("{path}：角色系数须满足 主导 ≥ 共同主导 ≥ 参与")
        }
        // Free-text messages (TOML syntax, value formats) come from the parser, in English.
        (Invalid { path, message }, Lang::Zh) => format!("{path}：{message}"),
        (other, Lang::En) => other.to_string(),
    }
}
