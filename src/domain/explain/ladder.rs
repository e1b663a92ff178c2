//! Words for the ladders: a level's requirements and gaps, deal hints, senior-title
//! shortfalls and minima.

use super::{dimension, education, hours, level, module, pts, pts_against, t};
use crate::domain::eligibility::Shortfall;
use crate::domain::quantity::Hours;
use crate::domain::score::{Hint, Minimum, Requirement};
use crate::i18n::Lang;

/// A requirement, worded as what is needed ("16 more 学时 of practice skills").
pub fn requirement(r: &Requirement, lang: Lang) -> String {
    match r {
        Requirement::Certificate { level: l } => match lang {
            Lang::Zh => format!("持有{}证书", level(Some(*l), lang)),
            Lang::En => format!("hold the {} certificate", level(Some(*l), lang)),
        },
        Requirement::PracticeYears { needs, has, met_on } => {
            let on = met_on.map(|d| d.to_string()).unwrap_or_default();
            match lang {
                Lang::Zh if on.is_empty() => {
                    format!("从业满 {needs} 年（现 {has} 年，未登记从业起始日期）")
                }
                Lang::Zh => format!("从业满 {needs} 年（现 {has} 年，{on} 满）"),
                Lang::En if on.is_empty() => {
                    format!("{needs} years in practice (has {has}; no start date recorded)")
                }
                Lang::En => format!("{needs} years in practice (has {has}; reached on {on})"),
            }
        }
        Requirement::Education { needs, has } => {
            let has = has.map_or(t(lang, "未登记", "not recorded"), |e| education(e, lang));
            match lang {
                Lang::Zh => format!("学历{}及以上（现：{has}）", education(*needs, lang)),
                Lang::En => format!("{} or above (has: {has})", education(*needs, lang)),
            }
        }
        Requirement::Integrity => t(
            lang,
            "评价期内无失信或违纪记录",
            "no dishonesty or discipline record in the window",
        )
        .into(),
        Requirement::ModuleHours {
            module: m,
            needs,
            has,
        } => {
            let more = Hours((needs.0 - has.0).max(0));
            match lang {
                Lang::Zh if more.0 > 0 => format!(
                    "{}还需 {}（已完成 {} / {}）",
                    module(*m, lang),
                    hours(more, lang),
                    has,
                    needs
                ),
                Lang::Zh => format!("{} {} / {}", module(*m, lang), has, hours(*needs, lang)),
                Lang::En if more.0 > 0 => format!(
                    "{more} more class hours of {} (done {has} of {needs})",
                    module(*m, lang)
                ),
                Lang::En => format!("{} {} of {}", module(*m, lang), has, hours(*needs, lang)),
            }
        }
        Requirement::PracticumHours { needs, has } => {
            let more = Hours((needs.0 - has.0).max(0));
            match lang {
                Lang::Zh if more.0 > 0 => format!(
                    "实训还需 {}（已完成 {} / {}）",
                    hours(more, lang),
                    has,
                    needs
                ),
                Lang::Zh => format!("实训 {} / {}", has, hours(*needs, lang)),
                Lang::En if more.0 > 0 => {
                    format!("{more} more class hours of practicum (done {has} of {needs})")
                }
                Lang::En => format!("practicum {has} of {}", hours(*needs, lang)),
            }
        }
        Requirement::NotConfigured { slot } => match lang {
            Lang::Zh => format!("规则未配置 {slot}，无法判断"),
            Lang::En => format!("{slot} is not configured in the ruleset: cannot be judged"),
        },
        Requirement::Total { needs, has } => match lang {
            Lang::Zh => format!("总分 ≥ {}（现 {}）", pts(*needs), pts_against(*has, *needs)),
            Lang::En => format!(
                "total ≥ {} (has {})",
                pts(*needs),
                pts_against(*has, *needs)
            ),
        },
        Requirement::Floor {
            dimension: d,
            needs,
            has,
        } => match lang {
            Lang::Zh => format!(
                "{} ≥ {}（现 {}）",
                dimension(*d, lang),
                pts(*needs),
                pts_against(*has, *needs)
            ),
            Lang::En => format!(
                "{} ≥ {} (has {})",
                dimension(*d, lang),
                pts(*needs),
                pts_against(*has, *needs)
            ),
        },
    }
}

pub fn hint(h: &Hint, lang: Lang) -> String {
    match h {
        Hint::LeadDeals { more, points } => match (lang, more) {
            (Lang::Zh, _) => format!(
                "再以主导身份完成 {more} 项登记技术合同，合同数指标升至 {} 分",
                pts(*points)
            ),
            (Lang::En, 1) => format!(
                "one more registered deal as lead lifts the contract count to {}",
                pts(*points)
            ),
            (Lang::En, _) => format!(
                "{more} more registered deals as lead lift the contract count to {}",
                pts(*points)
            ),
        },
        Hint::Amount { more, points } => match lang {
            Lang::Zh => format!(
                "再主导 {} 万元技术交易额（独立主导计），交易额指标升至 {} 分",
                more.wan_display(),
                pts(*points)
            ),
            Lang::En => format!(
                "{} ×10k CNY more technology transaction amount as sole lead lifts the amount to {}",
                more.wan_display(),
                pts(*points)
            ),
        },
    }
}

pub fn shortfall(s: &Shortfall, lang: Lang) -> String {
    match s {
        Shortfall::NoIntermediateTitle => t(
            lang,
            "未取得经济师（中级）职称",
            "no intermediate title (经济师)",
        )
        .into(),
        Shortfall::EducationNotInTable => t(
            lang,
            "学历不在规则的申报条件表内，或未登记学历",
            "education not in the ruleset's eligibility table, or not recorded",
        )
        .into(),
        Shortfall::Seniority {
            has_years,
            needs_years,
            eligible_on,
        } => match lang {
            Lang::Zh => format!(
                "取得中级职称后需满 {needs_years} 年（现 {has_years} 年，{eligible_on} 起符合）"
            ),
            Lang::En => format!(
                "{needs_years} years after the intermediate title (has {has_years}; eligible from {eligible_on})"
            ),
        },
        Shortfall::ContinuingEducation {
            year,
            total,
            professional,
        } => match lang {
            Lang::Zh => {
                format!("{year} 年继续教育 {total} 学时（专业科目 {professional}），未达标")
            }
            Lang::En => format!(
                "continuing education in {year}: {total} class hours ({professional} professional), short"
            ),
        },
        Shortfall::Locality => t(
            lang,
            "不满足本市户籍、居住证或社保条件",
            "neither hukou, residence permit nor enough local social insurance",
        )
        .into(),
    }
}

pub fn minimum(m: &Minimum, lang: Lang) -> String {
    match m {
        Minimum::NotConfigured { slot } => match lang {
            Lang::Zh => format!("{slot}：未配置（官方标准未录入）"),
            Lang::En => format!("{slot}: not configured (official criteria not entered)"),
        },
        Minimum::RegisteredDeals { needs, has } => match lang {
            Lang::Zh => format!("登记技术合同 ≥ {needs} 项（现 {has} 项）"),
            Lang::En => format!("registered contracts ≥ {needs} (has {has})"),
        },
        Minimum::TechTransactionAmount { needs, has } => match lang {
            Lang::Zh => format!(
                "技术交易额 ≥ {} 万元（现 {} 万元）",
                needs.wan_display(),
                has.wan_display()
            ),
            Lang::En => format!(
                "technology transaction amount ≥ {} ×10k CNY (has {})",
                needs.wan_display(),
                has.wan_display()
            ),
        },
        Minimum::Cases { needs, has } => match lang {
            Lang::Zh => format!("评审通过的案例 ≥ {needs} 个（现 {has} 个）"),
            Lang::En => format!("reviewed cases ≥ {needs} (has {has})"),
        },
        Minimum::Reports { needs, has } => match lang {
            Lang::Zh => format!("报告或论文 ≥ {needs} 篇（现 {has} 篇）"),
            Lang::En => format!("reports or papers ≥ {needs} (has {has})"),
        },
    }
}
