//! Evidence files (JSON, docs/evidence-format.md) into [`PersonEvidence`]. Syntax errors say
//! line and column; every unknown key is an error (a misspelt field must not silently drop a
//! record's data). Record-level rules are not errors here: the score lists broken records
//! and leaves them out, so one bad record does not hide the rest of a person's evidence.

use crate::domain::evidence::PersonEvidence;

/// Everything wrong with an evidence file, one problem a line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.join("\n"))]
pub struct EvidenceFileErrors(pub Vec<String>);

pub fn parse(text: &str) -> Result<PersonEvidence, EvidenceFileErrors> {
    let mut unknown = Vec::new();
    let mut de = serde_json::Deserializer::from_str(text);
    let evidence: PersonEvidence =
        serde_ignored::deserialize(&mut de, |path| unknown.push(path.to_string()))
            .map_err(|e| EvidenceFileErrors(vec![e.to_string()]))?;
    de.end()
        .map_err(|e| EvidenceFileErrors(vec![e.to_string()]))?;
    if unknown.is_empty() {
        Ok(evidence)
    } else {
        Err(EvidenceFileErrors(
            unknown
                .into_iter()
                .map(|p| format!("{p}: unknown key"))
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_parses() {
        let e = parse(include_str!("../../examples/evidence/zhang-wei.json")).expect("valid");
        assert_eq!(e.deals.len(), 2);
    }

    #[test]
    fn syntax_errors_and_unknown_keys_are_located() {
        let err = parse("{\n  \"deals\": [\n}").expect_err("broken JSON");
        assert!(err.to_string().contains("line 3"), "{err}");
        let err = parse(r#"{"training": [], "trainings": [], "profile": {"educaton": "master"}}"#)
            .expect_err("unknown keys");
        assert_eq!(
            err.0,
            vec!["trainings: unknown key", "profile.educaton: unknown key"]
        );
        let err = parse(r#"{"deals": [{"id": "d1"}]}"#).expect_err("missing fields");
        assert!(err.to_string().contains("missing field"), "{err}");
    }
}
