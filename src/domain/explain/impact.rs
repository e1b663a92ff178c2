//! Text for what-if answers and ruleset impact.

use super::{dimension, level, pts, requirement, t};
use crate::domain::quantity::Points;
use crate::domain::whatif::{Impact, Move, WhatIf};
use crate::i18n::Lang;
use std::fmt::Write;

/// A signed change in points ("+3.5", "-0.2", "±0.0").
fn signed(delta: i64) -> String {
    match delta.signum() {
        1 => format!("+{}", Points(delta).display()),
        -1 => format!("-{}", Points(-delta).display()),
        _ => "±0.0".into(),
    }
}

/// Before and after adding records: the total, each dimension, the level and the gaps.
pub fn what_if_text(w: &WhatIf, lang: Lang) -> String {
    let mut s = String::new();
    let (a, b) = (&w.before, &w.after);
    let _ = writeln!(
        s,
        "{}",
        t(lang, "假如加入这些记录", "If these records are added")
    );
    let _ = writeln!(
        s,
        "  {}: {} → {} ({})",
        t(lang, "总分", "total"),
        pts(a.total),
        pts(b.total),
        signed(w.delta())
    );
    for (x, y) in a.dimensions.iter().zip(&b.dimensions) {
        if x.subscore != y.subscore {
            let _ = writeln!(
                s,
                "  {}: {} → {} ({})",
                dimension(x.dimension, lang),
                pts(x.subscore),
                pts(y.subscore),
                signed(Points::shown_change(x.subscore, y.subscore).0)
            );
        }
    }
    let _ = writeln!(
        s,
        "  {}: {} → {}",
        t(lang, "等级", "level"),
        level(a.level(), lang),
        level(b.level(), lang)
    );
    let closed: Vec<_> = a
        .position
        .gaps
        .iter()
        .filter(|g| !b.position.gaps.iter().any(|h| h.same_condition(g)))
        .collect();
    if b.position.next == a.position.next && !closed.is_empty() {
        let _ = writeln!(s, "  {}", t(lang, "不再欠缺：", "No longer missing:"));
        for g in closed {
            let _ = writeln!(s, "    - {}", requirement(g, lang));
        }
    }
    if !b.position.gaps.is_empty() {
        let _ = writeln!(s, "  {}", t(lang, "仍需：", "Still needed:"));
        for g in &b.position.gaps {
            let _ = writeln!(s, "    - {}", requirement(g, lang));
        }
    }
    s
}

fn move_line(m: &Move, lang: Lang) -> String {
    format!(
        "    {}: {} → {}, {} → {}",
        m.person,
        level(m.from_level, lang),
        level(m.to_level, lang),
        pts(m.from_total),
        pts(m.to_total)
    )
}

/// Who moves up, down or stays when `to` replaces `from`.
pub fn impact_text(i: &Impact, lang: Lang) -> String {
    let mut s = String::new();
    let comma = t(lang, "，", ", ");
    let _ = writeln!(
        s,
        "{}: {} v{} → {} v{}{comma}{} {}{comma}{} {}",
        t(lang, "规则替换影响", "Ruleset impact"),
        i.from.id,
        i.from.version,
        i.to.id,
        i.to.version,
        t(lang, "评价日期", "as of"),
        i.as_of,
        i.people,
        t(lang, "人", "people")
    );
    let mean = if i.people == 0 {
        0
    } else {
        i.total_delta / i.people as i64
    };
    let _ = match lang {
        Lang::Zh => writeln!(
            s,
            "  升级 {}，降级 {}，不变 {}（其中总分变化 {}）",
            i.up.len(),
            i.down.len(),
            i.same,
            i.total_changed
        ),
        Lang::En => writeln!(
            s,
            "  up {}, down {}, same level {} (total changed for {})",
            i.up.len(),
            i.down.len(),
            i.same,
            i.total_changed
        ),
    };
    let _ = writeln!(
        s,
        "  {}: {}",
        t(lang, "平均总分变化", "mean change of the total"),
        signed(mean)
    );
    if !i.up.is_empty() {
        let _ = writeln!(s, "  {}", t(lang, "升级：", "Up:"));
        for m in &i.up {
            let _ = writeln!(s, "{}", move_line(m, lang));
        }
    }
    if !i.down.is_empty() {
        let _ = writeln!(s, "  {}", t(lang, "降级：", "Down:"));
        for m in &i.down {
            let _ = writeln!(s, "{}", move_line(m, lang));
        }
    }
    if !i.outstanding_gained.is_empty() {
        let _ = writeln!(
            s,
            "  {}: {}",
            t(lang, "新获优秀标识", "Outstanding gained"),
            i.outstanding_gained.join(", ")
        );
    }
    if !i.outstanding_lost.is_empty() {
        let _ = writeln!(
            s,
            "  {}: {}",
            t(lang, "失去优秀标识", "Outstanding lost"),
            i.outstanding_lost.join(", ")
        );
    }
    s
}
