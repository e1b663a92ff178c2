//! The dashboard's words for a report: every point traced to a record, in both languages.

use super::fixtures::{as_of, rules};
use ladder::domain::evidence::PersonEvidence;
use ladder::domain::explain::dashboard;
use ladder::i18n::Lang;

#[test]
fn every_point_of_the_example_is_in_the_ledger_with_its_record() {
    let ev: PersonEvidence =
        serde_json::from_str(include_str!("../../../examples/evidence/zhang-wei.json"))
            .expect("example");
    let rules = rules();
    let report = ladder::domain::score::score(&ev, &rules, as_of());
    for lang in [Lang::Zh, Lang::En] {
        let d = dashboard(&report, &ev, &rules, lang);
        let sum: i64 = d.ledger.iter().map(|l| l.points.0).sum();
        assert_eq!(sum, report.total.0, "the ledger adds up to the total");
        assert_eq!(d.dimensions.len(), 5);
        let records: usize = d.ledger.iter().map(|l| l.items.len()).sum();
        assert!(records > 0);
        // Every record the engine looked at is named, with a label a reader recognises.
        for line in &d.ledger {
            assert!(!line.rule.is_empty());
            for item in &line.items {
                assert!(!item.label.is_empty(), "{} has no label", item.record);
                assert!(!item.effect.is_empty());
            }
        }
        assert!(d.next.is_some());
        assert!(!d.progress.is_empty());
        assert!(d.progress.iter().any(|p| p.permille.is_some()));
    }
}
