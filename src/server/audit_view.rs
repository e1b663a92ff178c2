//! The audit page's rows with the people, records and sessions they concern named, not
//! numbered: "record 44" is shown as 记录 C44, "user 10" by the user's name.

use crate::api::AppError;
use crate::api::audit::AuditEntry;
use crate::db::Db;
use crate::db::audit::{self, AuditRow};
use crate::domain::records::{RecordKind, ledger_id};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The rows as the page shows them.
pub async fn entries(db: &Db, rows: Vec<AuditRow>) -> Result<Vec<AuditEntry>, AppError> {
    // The ids each page row names, by type (the actors are users too).
    let mut wanted: BTreeMap<&str, BTreeSet<i64>> = BTreeMap::new();
    for r in &rows {
        if let Ok(id) = r.entity_id.parse::<i64>() {
            wanted.entry(r.entity_type.as_str()).or_default().insert(id);
        }
        if let Some(id) = r.actor_user_id {
            wanted.entry("user").or_default().insert(id);
        }
    }
    let mut names: HashMap<(String, i64), String> = HashMap::new();
    for (kind, ids) in &wanted {
        let ids: Vec<i64> = ids.iter().copied().collect();
        for (id, name, extra) in audit::references(db, kind, &ids).await? {
            names.insert(((*kind).to_string(), id), reference(kind, id, name, extra));
        }
    }
    let named =
        |kind: &str, id: Option<i64>| id.and_then(|id| names.get(&(kind.to_string(), id)).cloned());
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            at: r.at,
            actor_name: named("user", r.actor_user_id),
            actor: r.actor_label,
            entity_ref: named(&r.entity_type, r.entity_id.parse().ok()),
            action: r.action,
            entity_type: r.entity_type,
            entity_id: r.entity_id,
            before: r.before_summary,
            after: r.after_summary,
        })
        .collect())
}

/// How an entity is named: a user or person by name, a record by its ledger id (D19), an
/// application as "#7 张伟 · 2026-R1", the rest by their code.
fn reference(kind: &str, id: i64, name: String, extra: Option<String>) -> String {
    match (kind, extra) {
        ("record", _) => match RecordKind::parse(&name) {
            Some(k) => ledger_id(k, id),
            None => format!("#{id}"),
        },
        ("application", Some(session)) => format!("#{id} {name} · {session}"),
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_name_what_an_id_only_numbered() {
        assert_eq!(
            reference("user", 10, "张伟".into(), Some("zhangwei".into())),
            "张伟"
        );
        assert_eq!(reference("record", 19, "deal".into(), None), "D19");
        assert_eq!(reference("record", 44, "ce".into(), None), "C44");
        assert_eq!(
            reference("application", 7, "张伟".into(), Some("2026-R1".into())),
            "#7 张伟 · 2026-R1"
        );
        assert_eq!(
            reference("cohort", 3, "2026-SH-JR-01".into(), None),
            "2026-SH-JR-01"
        );
    }
}
