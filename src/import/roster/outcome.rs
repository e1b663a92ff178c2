//! What an import does with each row, whatever the kind of file: the outcome, the changes
//! shown, the problems, the counts and the digest that ties a commit to its preview.

use super::codes::Issue;
use super::fields::Field;
use super::plan::Writes;
use super::{ParsedRow, Skip};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    New,
    Update,
    Unchanged,
    Error,
    Skipped,
}

/// One field's change, as shown to the clerk (phones masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub field: Field,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Planned {
    pub row: u32,
    pub outcome: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<Skip>,
    /// The person, masked, for the preview table.
    pub who: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<Issue>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Issue>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    pub total: u64,
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub skipped: u64,
    pub error: u64,
}

impl Counts {
    /// Counts one more row (the total is counted as rows are read).
    pub fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::New => self.new += 1,
            Outcome::Update => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
            Outcome::Error => self.error += 1,
            Outcome::Skipped => self.skipped += 1,
        }
    }
}

/// A cohort whose stored people the import would change beyond the share that needs a yes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Share {
    pub cohort: String,
    pub members: i64,
    pub updated: i64,
}

impl Planned {
    /// A row's entry before it is planned: skipped, or in error until shown otherwise. A row in
    /// error shows its name as written (its ID number may be what is wrong), an absent one
    /// whose absence it records; a blank or totals row names nobody.
    pub(crate) fn begin(r: &mut ParsedRow, columns: &HashMap<Field, u32>) -> Planned {
        let names = !matches!(r.skip, Some(Skip::Blank | Skip::Totals));
        Planned {
            row: r.row,
            outcome: if r.skip.is_some() {
                Outcome::Skipped
            } else {
                Outcome::Error
            },
            skipped: r.skip,
            who: columns
                .get(&Field::Name)
                .and_then(|c| r.cells.iter().find(|(col, _)| col == c))
                .filter(|_| names)
                .map(|(_, v)| super::values::text(v))
                .unwrap_or_default(),
            changes: Vec::new(),
            issues: std::mem::take(&mut r.issues),
            warnings: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub rows: Vec<Planned>,
    pub counts: Counts,
    pub over_share: Vec<Share>,
    pub writes: Writes,
    /// SHA-256 over every row's outcome, changes and problem codes.
    pub digest: String,
}

/// SHA-256 over every row's outcome, changes and problem codes (the commit compares it with
/// the preview's).
pub(crate) fn digest(rows: &[Planned]) -> String {
    use std::fmt::Write;
    let mut h = Sha256::new();
    // One buffer for every row: the digest of a 100,000-row file allocates once.
    let mut line = String::new();
    for r in rows {
        line.clear();
        let _ = write!(line, "{}|{:?}|{:?}|", r.row, r.outcome, r.skipped);
        for c in &r.changes {
            let _ = write!(line, "{:?}:{}>{};", c.field, c.before, c.after);
        }
        for i in &r.issues {
            line.push_str(i.code.as_str());
            line.push(',');
        }
        line.push('\n');
        h.update(line.as_bytes());
    }
    hex::encode(h.finalize())
}
