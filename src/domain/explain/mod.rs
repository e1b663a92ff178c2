//! Words for the engine's structured results, in Chinese and English: the text reports of
//! `ladder score`, `ladder ruleset show` and `ladder ruleset impact`, and the phrases pages
//! reuse (gap lists, exclusion reasons). Pure functions of their inputs.

mod dashboard;
mod impact;
mod ladder;
mod report;
mod review;
mod ruleset;

pub use dashboard::{Dashboard, DimensionLine, ItemLine, LedgerLine, ProgressLine, dashboard};
pub use impact::{impact_text, what_if_text};
pub use ladder::{hint, minimum, requirement, shortfall};
pub use report::{blocked, report_text};
pub use review::reason as review_reason;
pub use ruleset::{describe, problem as ruleset_problem};

use super::eligibility::Education;
use super::evidence::{ContributionKind, ManagerRole, OutcomeKind};
use super::level::Level;
use super::quantity::{Hours, Points};
use super::rules::{Dimension, Module};
use super::score::{Exclusion, Indicator, Note};
use crate::i18n::Lang;

/// Picks the phrase of the language.
fn t(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

pub fn dimension(d: Dimension, lang: Lang) -> &'static str {
    match d {
        Dimension::Training => t(lang, "培训与继续教育", "Training and continuing education"),
        Dimension::Deals => t(lang, "交易绩效", "Deal performance"),
        Dimension::Outcomes => t(lang, "转化成效", "Transfer outcomes"),
        Dimension::CaseQuality => t(lang, "案例质量", "Case quality"),
        Dimension::Contribution => t(lang, "专业贡献", "Professional contribution"),
    }
}

pub fn indicator(i: Indicator, lang: Lang) -> &'static str {
    match i {
        Indicator::Curriculum => t(lang, "等级课程完成度", "Level curriculum completion"),
        Indicator::ContinuingEducation => {
            t(lang, "年度继续教育达标", "Annual continuing education")
        }
        Indicator::DealCount => t(
            lang,
            "登记技术合同数（按角色加权）",
            "Registered contracts, role-weighted",
        ),
        Indicator::DealAmount => t(
            lang,
            "技术交易额（按角色与份额加权）",
            "Technology transaction amount, role- and share-weighted",
        ),
        Indicator::OutcomeEvents => t(lang, "转化事件", "Commercialisation events"),
        Indicator::ContractPerformance => t(
            lang,
            "合同履行（到账率、纠纷）",
            "Contract performance (received, disputes)",
        ),
        Indicator::CaseQuality => t(lang, "案例评审得分", "Case review score"),
        Indicator::Contribution => t(lang, "专业贡献", "Professional contribution"),
    }
}

pub fn module(m: Module, lang: Lang) -> &'static str {
    match m {
        Module::PublicKnowledge => t(lang, "公共知识", "public knowledge"),
        Module::PolicyLaw => t(lang, "政策法规", "policy and law"),
        Module::PracticeSkills => t(lang, "实务技能", "practice skills"),
        Module::Capability => t(lang, "能力提升", "capability"),
    }
}

pub fn level(l: Option<Level>, lang: Lang) -> &'static str {
    match l {
        None => t(lang, "学员（未定级）", "trainee (no level)"),
        Some(Level::JuniorBroker) => t(lang, "初级技术经纪人", "junior technology broker"),
        Some(Level::IntermediateBroker) => {
            t(lang, "中级技术经纪人", "intermediate technology broker")
        }
        Some(Level::SeniorManager) => t(lang, "高级技术经理人", "senior technology manager"),
    }
}

pub fn education(e: Education, lang: Lang) -> &'static str {
    match e {
        Education::Doctorate => t(lang, "博士", "doctorate"),
        Education::Master => t(lang, "硕士", "master's degree"),
        Education::Bachelor => t(lang, "本科", "bachelor's degree"),
        Education::Associate => t(lang, "大专", "associate degree"),
        Education::Other => t(lang, "其他", "other"),
    }
}

pub fn role(r: ManagerRole, lang: Lang) -> &'static str {
    match r {
        ManagerRole::Lead => t(lang, "主导", "lead"),
        ManagerRole::CoLead => t(lang, "共同主导", "co-lead"),
        ManagerRole::Participant => t(lang, "参与", "participant"),
    }
}

pub fn outcome_kind(k: OutcomeKind, lang: Lang) -> &'static str {
    match k {
        OutcomeKind::CompanyFormed => t(lang, "孵化企业（取得营业执照）", "company formed"),
        OutcomeKind::Product => t(lang, "产品或工艺投产", "product or process in production"),
        OutcomeKind::Financing => t(lang, "完成融资", "financing closed"),
        OutcomeKind::LicenseIncome => t(lang, "收到许可费", "licence income received"),
    }
}

pub fn contribution_kind(k: &ContributionKind, lang: Lang) -> String {
    match k {
        ContributionKind::ReportAdopted => t(lang, "报告被采纳", "report adopted").into(),
        ContributionKind::StandardDrafter => t(lang, "参与起草标准", "standard drafter").into(),
        ContributionKind::Paper => t(lang, "论文或著作章节", "paper or book chapter").into(),
        ContributionKind::Teaching { hours: h } => match lang {
            Lang::Zh => format!("授课 {}", hours(*h, lang)),
            Lang::En => format!("teaching, {}", hours(*h, lang)),
        },
        ContributionKind::Mentoring => t(
            lang,
            "带教（学员已取得证书）",
            "mentoring (mentee certified)",
        )
        .into(),
        ContributionKind::Award => {
            t(lang, "市级及以上奖励或荣誉", "municipal award or honour").into()
        }
    }
}

/// Terminal columns a string takes (CJK and full-width characters take two).
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// `s` padded with spaces to `columns` terminal columns.
pub fn pad(s: &str, columns: usize) -> String {
    format!("{s}{}", " ".repeat(columns.saturating_sub(width(s))))
}

/// Points with one decimal.
pub fn pts(p: Points) -> String {
    p.display()
}

/// The unit of money in reports: 万元 (ten thousand yuan).
pub fn wan(lang: Lang) -> &'static str {
    t(lang, "万元", "×10k CNY")
}

/// An amount in 万元 with two decimals and the unit.
pub fn money(m: super::quantity::Money, lang: Lang) -> String {
    format!("{} {}", m.wan_display(), wan(lang))
}

/// A thousandths value as a short decimal: 1000 → `1.0`, 600 → `0.6`, 250 → `0.25`.
pub fn decimal(milli: i64) -> String {
    let sign = if milli < 0 { "-" } else { "" };
    let m = milli.unsigned_abs();
    let frac = format!("{:03}", m % 1000);
    let frac = frac.trim_end_matches('0');
    format!(
        "{sign}{}.{}",
        m / 1000,
        if frac.is_empty() { "0" } else { frac }
    )
}

/// `has` beside `needs`: one decimal, or three where one decimal would hide that a value
/// just short of the bound does not reach it (59.95 is not 60).
pub fn pts_against(has: Points, needs: Points) -> String {
    if has < needs && pts(has) == pts(needs) {
        format!("{}.{:03}", has.0 / 1000, has.0 % 1000)
    } else {
        pts(has)
    }
}

/// Hours as 学时 (`16` or `12.5`).
pub fn hours(h: Hours, lang: Lang) -> String {
    format!("{h} {}", t(lang, "学时", "class hours"))
}

pub fn exclusion(e: &Exclusion, lang: Lang) -> String {
    match e {
        Exclusion::Invalid => t(
            lang,
            "记录有误（见“记录问题”）",
            "the record is broken (see problems)",
        )
        .into(),
        Exclusion::Unverified => t(lang, "未核验", "not verified").into(),
        Exclusion::Rejected => t(lang, "已驳回", "rejected").into(),
        Exclusion::AfterAsOf => t(lang, "晚于评价日期", "dated after the evaluation date").into(),
        Exclusion::OutsideWindow => t(lang, "不在评价期内", "outside the evaluation window").into(),
        Exclusion::NotInCurriculum => t(
            lang,
            "不属于本级课程模块",
            "not a module of this level's curriculum",
        )
        .into(),
        Exclusion::OutsideCeYears => t(
            lang,
            "不在计算的继续教育年度内",
            "not in a year being measured",
        )
        .into(),
        Exclusion::NotRegistered => t(
            lang,
            "未登记（无技术合同登记编号）",
            "not registered (no registration number)",
        )
        .into(),
        Exclusion::NoDocument => t(
            lang,
            "缺少合同或登记证明",
            "no contract copy or registration certificate",
        )
        .into(),
        Exclusion::Capped => t(lang, "已达上限", "the cap was already reached").into(),
        Exclusion::NoContractAmount => {
            t(lang, "合同金额为零", "the contract amount is zero").into()
        }
        Exclusion::TooFewReviews { have, need } => match lang {
            Lang::Zh => format!("评审意见不足（{have} 份，需 {need} 份）"),
            Lang::En => format!("too few reviews ({have}, needs {need})"),
        },
    }
}

pub fn note(n: &Note, lang: Lang) -> String {
    let share = |milli: &i64| Points(milli.saturating_mul(100)).display();
    match n {
        Note::ShareScaled {
            own,
            claimed_total,
            effective,
        } => match lang {
            Lang::Zh => format!(
                "同一合同各方份额合计 {}%，本人份额 {}% 按比例折算为 {}%",
                share(claimed_total),
                share(own),
                share(effective)
            ),
            Lang::En => format!(
                "claims on this contract total {}%: own share {}% scaled to {}%",
                share(claimed_total),
                share(own),
                share(effective)
            ),
        },
        Note::SigningDateUsed => t(
            lang,
            "无登记日期，按签订日期计",
            "no registration date: the signing date was used",
        )
        .into(),
        Note::PartlyCapped { of } => match lang {
            Lang::Zh => format!("受上限限制，{} 分中部分计入", pts(*of)),
            Lang::En => format!("partly counted under the cap (of {})", pts(*of)),
        },
        Note::OnlineCapped { of } => match lang {
            Lang::Zh => format!("线上学时超出比例上限，{} 中部分计入", hours(*of, lang)),
            Lang::En => format!(
                "online hours above the allowed share: part of {} counted",
                hours(*of, lang)
            ),
        },
        Note::NoPaymentRecorded => t(
            lang,
            "未登记到账，按 0 计",
            "no payment recorded: counted as none",
        )
        .into(),
        Note::Dispute { penalty } => match lang {
            Lang::Zh => format!("存在归因于服务的纠纷或解除，扣 {} 分", pts(*penalty)),
            Lang::En => format!(
                "a dispute attributable to the service: minus {}",
                pts(*penalty)
            ),
        },
        Note::Trimmed { reviews } => match lang {
            Lang::Zh => format!("{reviews} 份评审，去掉最高分和最低分"),
            Lang::En => format!("{reviews} reviews: highest and lowest dropped"),
        },
        Note::ReviewsOffRubric { count } => match lang {
            Lang::Zh => format!("{count} 份评审与评分细则不符，未采用"),
            Lang::En => format!("{count} reviews do not match the rubric and were left out"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_just_short_of_a_bound_show_that_they_are_short() {
        assert_eq!(pts_against(Points(59_950), Points(60_000)), "59.950");
        assert_eq!(pts_against(Points(59_940), Points(60_000)), "59.9");
        assert_eq!(pts_against(Points(60_000), Points(60_000)), "60.0");
        assert_eq!(pts_against(Points(61_960), Points(60_000)), "62.0");
    }

    #[test]
    fn decimals_drop_trailing_zeros_but_keep_one() {
        assert_eq!(decimal(1000), "1.0");
        assert_eq!(decimal(600), "0.6");
        assert_eq!(decimal(250), "0.25");
        assert_eq!(decimal(0), "0.0");
    }

    #[test]
    fn text_widths_count_chinese_as_two_columns() {
        assert_eq!(width("交易绩效"), 8);
        assert_eq!(pad("交易绩效", 10), "交易绩效  ");
        assert_eq!(width("Deals"), 5);
    }
}
