//! What an import would do: each row new, update (with its diff), unchanged, error or skipped,
//! and the writes that make it so. Pure: the caller loads the stored state the file touches.
//!
//! Rows apply in file order against a running picture of the data, so a person on two rows (two
//! cohorts) is created once, and the digest of the outcome lets the commit prove that it does
//! exactly what the preview showed.

use super::codes::{Code, Detail, Issue, Kept};
use super::fields::Field;
pub(crate) use super::outcome::digest;
pub use super::outcome::{Change, Counts, Outcome, Plan, Planned, Share};
use super::{Line, Parsed, ParsedRow, RosterLine};
use crate::domain::eligibility::Education;
use crate::domain::privacy::mask_phone;
use crate::domain::quantity::Hours;
use std::collections::{BTreeMap, HashMap};

/// A stored person, as far as a roster speaks of them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PersonNow {
    /// `None` for a person this import creates.
    pub id: Option<i64>,
    pub name: String,
    pub male: Option<bool>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub employer: Option<String>,
    /// The bases whose rosters the person is on.
    pub bases: Vec<i64>,
    /// The person has their own account (a login).
    pub has_account: bool,
}

impl PersonNow {
    /// Whether another base, or the person, answers for this person's identity: then an
    /// import of `base` records the membership but never changes name, gender, phone, e-mail
    /// or employer (issue 20).
    pub fn owned_elsewhere(&self, base: i64) -> bool {
        self.id.is_some() && (self.has_account || self.bases.iter().any(|b| *b != base))
    }
}

/// A stored cohort membership's roster details.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MemberNow {
    pub position: Option<String>,
    pub education: Option<String>,
    pub hours_theory: Option<i64>,
    pub hours_practicum: Option<i64>,
    pub score: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CohortRef {
    pub id: i64,
    pub base_id: i64,
    /// People on the cohort's roster before the import.
    pub members: i64,
}

/// The stored state an import compares with, keyed by normalised ID number and cohort code.
#[derive(Debug, Clone, Default)]
pub struct Stored {
    pub people: HashMap<String, PersonNow>,
    /// (cohort id, ID number) → details.
    pub members: HashMap<(i64, String), MemberNow>,
    pub cohorts: HashMap<String, CohortRef>,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub base_id: i64,
    /// For files without a 培训班次 column.
    pub cohort: Option<String>,
    /// Ask for confirmation when an import updates more than this share of a cohort's people.
    pub confirm_share_percent: u32,
}

/// The final state of everything the valid rows touch.
#[derive(Debug, Clone, Default)]
pub struct Writes {
    /// ID number → the person as they will be (id `None`: to create).
    pub people: BTreeMap<String, PersonNow>,
    /// (cohort id, ID number) → details, for memberships that are new or change.
    pub members: BTreeMap<(i64, String), MemberNow>,
    /// Verified training records an attendance file creates.
    pub training: Vec<crate::import::attendance::plan::TrainingWrite>,
    /// Trainees' own records of the same training that an attendance file verifies.
    pub verify: Vec<crate::import::attendance::plan::Verify>,
}

fn education_label(code: &str) -> &'static str {
    match Education::parse(code) {
        Some(Education::Doctorate) => "博士研究生",
        Some(Education::Master) => "硕士研究生",
        Some(Education::Bachelor) => "大学本科",
        Some(Education::Associate) => "大学专科",
        _ => "其他",
    }
}

fn show(field: Field, v: &Option<String>) -> String {
    match (field, v) {
        (_, None) => String::new(),
        (Field::Mobile, Some(p)) => mask_phone(p),
        (Field::Education, Some(e)) => education_label(e).to_string(),
        (Field::HoursTheory | Field::HoursPracticum, Some(h)) => h
            .parse::<i64>()
            .map(|c| Hours(c).to_string())
            .unwrap_or_default(),
        (_, Some(s)) => s.clone(),
    }
}

/// Replaces `slot` with `new` when the file has a value, recording the change.
fn merge(field: Field, slot: &mut Option<String>, new: Option<String>, changes: &mut Vec<Change>) {
    if let Some(new) = new
        && slot.as_ref() != Some(&new)
    {
        let before = show(field, slot);
        *slot = Some(new);
        changes.push(Change {
            field,
            before,
            after: show(field, slot),
        });
    }
}

/// An identity value shown to another base: the phone masked as everywhere, the name and
/// e-mail address down to their first character; gender and employer as they are.
fn masked(field: Field, shown: &str) -> String {
    let first = |s: &str| {
        s.chars()
            .next()
            .map(|c| {
                format!(
                    "{c}{}",
                    "*".repeat(s.chars().count().saturating_sub(1).min(3))
                )
            })
            .unwrap_or_default()
    };
    match field {
        Field::Name => first(shown),
        Field::Email => match shown.split_once('@') {
            Some((user, domain)) => format!("{}@{domain}", first(user)),
            None => first(shown),
        },
        _ => shown.to_string(),
    }
}

fn gender_text(male: Option<bool>) -> Option<String> {
    male.map(|m| if m { "男" } else { "女" }.to_string())
}

pub(super) fn issue(
    row: u32,
    field: Field,
    code: Code,
    detail: Detail,
    columns: &Columns,
) -> Issue {
    Issue {
        row,
        column: columns
            .get(&field)
            .map(|c| crate::import::sheet::column_letter(*c)),
        field: Some(field),
        code,
        detail,
    }
}

pub(super) type Columns = HashMap<Field, u32>;

/// A row's cohort: the row's 培训班次, else the one chosen for the import; it must exist and
/// belong to the import's base. Rosters and attendance sheets share the rule.
pub(crate) fn cohort_of(
    row: Option<String>,
    chosen: &Option<String>,
    cohorts: &HashMap<String, CohortRef>,
    base_id: i64,
) -> Result<(String, CohortRef), (Code, Detail)> {
    let code = row.or_else(|| chosen.clone());
    match code.map(|c| (cohorts.get(&c).copied(), c)) {
        None => Err((Code::MissingRequired, Detail::NoCohort)),
        Some((None, code)) => Err((Code::UnknownCohort, Detail::Cohort { code })),
        Some((Some(k), code)) if k.base_id != base_id => {
            Err((Code::UnknownCohort, Detail::CohortOfOtherBase { code }))
        }
        Some((Some(k), code)) => Ok((code, k)),
    }
}

/// Plans every row. The valid rows' values move into the plan (a roster's values are most of
/// its memory): afterwards `parsed.rows[..].line` is `None`.
pub fn plan(parsed: &mut Parsed, stored: &Stored, options: &Options) -> Plan {
    let mut planner = Planner::new(options.clone());
    planner.add(&parsed.columns, &mut parsed.rows, stored);
    planner.finish(stored)
}

/// [`plan`] a batch of rows at a time, in file order (an import plans while it reads on).
pub struct Planner {
    options: Options,
    writes: Writes,
    rows: Vec<Planned>,
    counts: Counts,
    updated_members: BTreeMap<String, i64>,
}

impl Planner {
    pub fn new(options: Options) -> Planner {
        Planner {
            options,
            writes: Writes::default(),
            rows: Vec::new(),
            counts: Counts::default(),
            updated_members: BTreeMap::new(),
        }
    }

    /// Plans the next rows; `stored` must hold what they touch.
    pub fn add(&mut self, columns: &Columns, rows: &mut [ParsedRow], stored: &Stored) {
        self.rows.reserve(rows.len());
        for r in rows.iter_mut() {
            self.counts.total += 1;
            let mut planned = Planned::begin(r, columns);
            if let Some(later) = r.later.take() {
                super::later::checks(
                    columns,
                    &later,
                    r.row,
                    stored,
                    &self.options,
                    &self.writes,
                    &mut planned,
                );
            }
            if let Some(line) = r.line.take()
                && let Line::Roster(line) = *line
            {
                planned.who = format!("{} {}", line.name, line.id.masked());
                apply_line(
                    columns,
                    line,
                    r.row,
                    stored,
                    &self.options,
                    &mut self.writes,
                    &mut planned,
                    &mut self.updated_members,
                );
            }
            self.counts.add(planned.outcome);
            self.rows.push(planned);
        }
    }

    pub fn finish(self, stored: &Stored) -> Plan {
        let percent = i64::from(self.options.confirm_share_percent);
        let over_share = self
            .updated_members
            .into_iter()
            .filter_map(|(code, updated)| {
                let members = stored.cohorts.get(&code)?.members;
                (members > 0 && updated * 100 > members * percent).then_some(Share {
                    cohort: code,
                    members,
                    updated,
                })
            })
            .collect();
        let digest = digest(&self.rows);
        Plan {
            rows: self.rows,
            counts: self.counts,
            over_share,
            writes: self.writes,
            digest,
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn apply_line(
    columns: &Columns,
    line: RosterLine,
    row: u32,
    stored: &Stored,
    options: &Options,
    writes: &mut Writes,
    planned: &mut Planned,
    updated_members: &mut BTreeMap<String, i64>,
) {
    let id = line.id.as_str().to_string();
    // The cohort: the row's, else the one chosen for the import.
    let cohort = cohort_of(
        line.cohort,
        &options.cohort,
        &stored.cohorts,
        options.base_id,
    );
    let (code, cohort) = match cohort {
        Ok(c) => c,
        Err((c, d)) => {
            planned
                .issues
                .push(issue(row, Field::Cohort, c, d, columns));
            return;
        }
    };
    // The running picture: what this file wrote so far over what is stored.
    let existing = writes
        .people
        .get(&id)
        .or_else(|| stored.people.get(&id))
        .cloned();
    let is_new = existing.as_ref().is_none_or(|p| p.id.is_none());
    if existing.is_none() {
        for (field, present) in [
            (Field::Gender, line.male.is_some()),
            (Field::Mobile, line.phone.is_some()),
        ] {
            if !present {
                planned.issues.push(issue(
                    row,
                    field,
                    Code::MissingRequired,
                    Detail::Missing { field },
                    columns,
                ));
            }
        }
        if !planned.issues.is_empty() {
            return;
        }
        // Someone new: the row's values as they are, no diff to compute.
        let member = MemberNow {
            position: line.position,
            education: line.education.map(|e| e.code().to_string()),
            hours_theory: line.hours_theory.map(|h| h.0),
            hours_practicum: line.hours_practicum.map(|h| h.0),
            score: line.score,
            note: line.note,
        };
        let person = PersonNow {
            id: None,
            name: line.name,
            male: line.male,
            phone: line.phone,
            email: line.email,
            employer: line.employer,
            ..PersonNow::default()
        };
        writes.members.insert((cohort.id, id.clone()), member);
        writes.people.insert(id, person);
        planned.outcome = Outcome::New;
        return;
    }
    let mut person = existing.clone().unwrap_or_default();
    let mut changes = Vec::new();
    let elsewhere = person.owned_elsewhere(options.base_id);
    if !elsewhere && existing.is_some() && person.name != line.name {
        planned.warnings.push(issue(
            row,
            Field::Name,
            Code::NameChanged,
            Detail::Names {
                stored: person.name.clone(),
                file: line.name.clone(),
            },
            columns,
        ));
    }
    let mut name = Some(person.name.clone()).filter(|n| !n.is_empty());
    merge(Field::Name, &mut name, Some(line.name), &mut changes);
    person.name = name.unwrap_or_default();
    let mut gender = gender_text(person.male);
    merge(
        Field::Gender,
        &mut gender,
        gender_text(line.male),
        &mut changes,
    );
    person.male = line.male.or(person.male);
    merge(Field::Mobile, &mut person.phone, line.phone, &mut changes);
    merge(Field::Email, &mut person.email, line.email, &mut changes);
    merge(
        Field::Employer,
        &mut person.employer,
        line.employer,
        &mut changes,
    );
    if elsewhere {
        // Another base or the person answers for who they are: the identity stays, and the
        // preview says what the file would have changed.
        if !changes.is_empty() {
            planned.warnings.push(issue(
                row,
                changes[0].field,
                Code::KnownElsewhere,
                Detail::KeptAsIs {
                    person: existing.as_ref().and_then(|p| p.id),
                    has_account: existing.as_ref().is_some_and(|p| p.has_account),
                    differences: changes
                        .iter()
                        .map(|c| Kept {
                            field: c.field,
                            stored: masked(c.field, &c.before),
                            file: masked(c.field, &c.after),
                        })
                        .collect(),
                },
                columns,
            ));
        }
        changes.clear();
        person = existing.clone().unwrap_or_default();
    }
    let key = (cohort.id, id.clone());
    let was_member = stored.members.contains_key(&key);
    let before = writes
        .members
        .get(&key)
        .or_else(|| stored.members.get(&key))
        .cloned();
    let mut member = before.clone().unwrap_or_default();
    if before.is_none() && !is_new {
        changes.push(Change {
            field: Field::Cohort,
            before: String::new(),
            after: code.clone(),
        });
    }
    merge(
        Field::Position,
        &mut member.position,
        line.position,
        &mut changes,
    );
    merge(
        Field::Education,
        &mut member.education,
        line.education.map(|e| e.code().to_string()),
        &mut changes,
    );
    let mut theory = member.hours_theory.map(|h| h.to_string());
    merge(
        Field::HoursTheory,
        &mut theory,
        line.hours_theory.map(|h| h.0.to_string()),
        &mut changes,
    );
    member.hours_theory = theory.and_then(|t| t.parse().ok());
    let mut practicum = member.hours_practicum.map(|h| h.to_string());
    merge(
        Field::HoursPracticum,
        &mut practicum,
        line.hours_practicum.map(|h| h.0.to_string()),
        &mut changes,
    );
    member.hours_practicum = practicum.and_then(|t| t.parse().ok());
    merge(
        Field::ExamScore,
        &mut member.score,
        line.score,
        &mut changes,
    );
    merge(Field::Note, &mut member.note, line.note, &mut changes);
    if is_new {
        // A new person's fields are not "changes"; the preview lists them as new. (A fresh
        // Vec: a cleared one would keep its capacity, for every row of a large file.)
        changes = Vec::new();
    }
    planned.outcome = if is_new {
        Outcome::New
    } else if changes.is_empty() && before.is_some() {
        Outcome::Unchanged
    } else {
        Outcome::Update
    };
    if planned.outcome == Outcome::Update && was_member {
        *updated_members.entry(code).or_default() += 1;
    }
    if is_new || existing.as_ref() != Some(&person) {
        writes.people.insert(id, person);
    }
    if before.as_ref() != Some(&member) {
        writes.members.insert(key, member);
    }
    planned.changes = changes;
}
