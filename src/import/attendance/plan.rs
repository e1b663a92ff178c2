//! What an attendance import would do: each row a new verified training record, unchanged (the
//! person holds the course, or the same training that day, already), an error or skipped.
//! Pure, like the roster's plan: the caller loads the stored state the file touches.

use super::AttendanceLine;
use crate::domain::evidence::Mode;
use crate::domain::quantity::Hours;
use crate::domain::records::{Status, TrainingEntry};
use crate::domain::rules::Module;
use crate::import::roster::codes::{Code, Detail, Issue};
use crate::import::roster::fields::Field;
use crate::import::roster::plan::{
    Change, CohortRef, Counts, Outcome, Plan, Planned, Writes, cohort_of, digest,
};
use crate::import::roster::{Line, Parsed, ParsedRow};
use crate::import::sheet::column_letter;
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// A course of the base's catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseRef {
    pub code: String,
    pub title: String,
    pub module: Module,
    pub hours: Hours,
    pub practicum: bool,
}

/// A person on file, by ID number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRef {
    pub id: i64,
    pub name: String,
}

/// Training already held that is not a catalog course: the same person, day, module, hours and
/// title is the same record.
pub type Logged = (i64, NaiveDate, Module, Hours, String);

/// A training record already held at the base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldRecord {
    pub id: i64,
    pub status: String,
    pub version: i32,
    /// A correction waits for the base's decision.
    pub pending: bool,
    pub hours: Hours,
    pub date: NaiveDate,
}

/// A trainee's own record that the attendance file confirms: verified by the commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verify {
    pub record: i64,
    pub version: i32,
    pub date: NaiveDate,
    pub person_id: i64,
}

/// The stored state an attendance file is compared with.
#[derive(Debug, Clone, Default)]
pub struct Stored {
    /// The base's code: the records' provider.
    pub base_code: String,
    pub cohorts: HashMap<String, CohortRef>,
    pub people: HashMap<String, PersonRef>,
    /// (cohort id, person id) of every roster membership of these people.
    pub members: HashSet<(i64, i64)>,
    /// The base's catalog by course code (retired courses too: past attendance still counts).
    pub courses: HashMap<String, CourseRef>,
    /// (cohort id, course code) → the timetable's sessions (id, day).
    pub sessions: HashMap<(i64, String), Vec<(i64, NaiveDate)>>,
    /// The catalog courses these people hold at the base, by (person id, course code).
    pub held: HashMap<(i64, String), HeldRecord>,
    /// Their other training at the base.
    pub logged: HashMap<Logged, HeldRecord>,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub base_id: i64,
    /// For files without a 培训班次 column.
    pub cohort: Option<String>,
    /// Today in China: attendance is never recorded for a day still to come.
    pub today: NaiveDate,
}

/// A verified training record to create.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingWrite {
    pub row: u32,
    pub person_id: i64,
    pub cohort_id: i64,
    pub session_id: Option<i64>,
    pub entry: TrainingEntry,
}

struct Ctx<'a> {
    row: u32,
    columns: &'a HashMap<Field, u32>,
}

impl Ctx<'_> {
    fn issue(&self, field: Field, code: Code, detail: Detail) -> Issue {
        Issue {
            row: self.row,
            column: self.columns.get(&field).map(|c| column_letter(*c)),
            field: Some(field),
            code,
            detail,
        }
    }
}

/// Plans every row; the valid rows' values move into the plan's writes.
pub fn plan(parsed: &mut Parsed, stored: &Stored, options: &Options) -> Plan {
    let mut planner = Planner::new(options.clone());
    planner.add(&parsed.columns, &mut parsed.rows, stored);
    planner.finish()
}

/// [`plan`] a batch of rows at a time, in file order (an import plans while it reads on).
pub struct Planner {
    options: Options,
    writes: Writes,
    rows: Vec<Planned>,
    counts: Counts,
    // (person, course) and logged training this file records, so that two rows of a person
    // in two cohorts do not record one course twice.
    held: HashSet<(i64, String)>,
    logged: HashSet<Logged>,
}

impl Planner {
    pub fn new(options: Options) -> Planner {
        Planner {
            options,
            writes: Writes::default(),
            rows: Vec::new(),
            counts: Counts::default(),
            held: HashSet::new(),
            logged: HashSet::new(),
        }
    }

    /// Plans the next rows; `stored` must hold what they touch.
    pub fn add(&mut self, columns: &HashMap<Field, u32>, rows: &mut [ParsedRow], stored: &Stored) {
        for r in rows.iter_mut() {
            self.counts.total += 1;
            let mut planned = Planned::begin(r, columns);
            if let Some(line) = r.line.take()
                && let Line::Attendance(line) = *line
            {
                planned.who = format!("{} {}", line.name, line.id.masked());
                let ctx = Ctx {
                    row: r.row,
                    columns,
                };
                match check(&ctx, line, stored, &self.options) {
                    Err(issue) => planned.issues.push(issue),
                    Ok(w) => {
                        planned.changes = summary(&w.entry);
                        // First in this file (a person on two cohorts' rows), and held already?
                        let (first, held) = match &w.entry.course_code {
                            Some(code) => {
                                let key = (w.person_id, code.clone());
                                (self.held.insert(key.clone()), stored.held.get(&key))
                            }
                            None => {
                                let e = &w.entry;
                                let key = (w.person_id, e.date, e.module, e.hours, e.title.clone());
                                (self.logged.insert(key.clone()), stored.logged.get(&key))
                            }
                        };
                        self.place(&mut planned, w, first, held);
                    }
                }
            }
            self.counts.add(planned.outcome);
            self.rows.push(planned);
        }
    }

    /// New, unchanged, or the trainee's own record verified (when it says the same).
    fn place(
        &mut self,
        planned: &mut Planned,
        w: TrainingWrite,
        first: bool,
        held: Option<&HeldRecord>,
    ) {
        planned.outcome = Outcome::Unchanged;
        match held {
            _ if !first => {}
            None => {
                planned.outcome = Outcome::New;
                self.writes.training.push(w);
            }
            Some(h) if h.status == Status::Unverified.code() => {
                if h.pending || h.hours != w.entry.hours {
                    let d = Detail::OwnRecord {
                        hours: h.hours.to_string(),
                    };
                    planned.warnings.push(Issue {
                        row: planned.row,
                        column: None,
                        field: None,
                        code: Code::RecordDiffers,
                        detail: d,
                    });
                    return;
                }
                planned.outcome = Outcome::Update;
                planned.changes = vec![Change {
                    field: Field::Status,
                    before: Status::Unverified.code().to_string(),
                    after: Status::BaseVerified.code().to_string(),
                }];
                self.writes.verify.push(Verify {
                    record: h.id,
                    version: h.version,
                    date: h.date,
                    person_id: w.person_id,
                });
            }
            Some(_) => {}
        }
    }

    pub fn finish(self) -> Plan {
        let digest = digest(&self.rows);
        Plan {
            rows: self.rows,
            counts: self.counts,
            over_share: Vec::new(),
            writes: self.writes,
            digest,
        }
    }
}

/// What the record will say, for the preview (before is empty: a record is only ever added).
fn summary(e: &TrainingEntry) -> Vec<Change> {
    let mut out = Vec::new();
    let mut add = |field, after: String| {
        out.push(Change {
            field,
            before: String::new(),
            after,
        })
    };
    if let Some(code) = &e.course_code {
        add(Field::CourseCode, code.clone());
    }
    if !e.title.is_empty() {
        add(Field::CourseTitle, e.title.clone());
    }
    add(Field::Module, e.module.code().to_string());
    add(Field::HoursTotal, e.hours.to_string());
    add(Field::SessionDate, e.date.to_string());
    out
}

/// The row against the roster, the catalog and the timetable: the record it makes, or why not.
fn check(
    ctx: &Ctx,
    line: AttendanceLine,
    stored: &Stored,
    options: &Options,
) -> Result<TrainingWrite, Issue> {
    let (cohort_code, cohort) = cohort_of(
        line.cohort,
        &options.cohort,
        &stored.cohorts,
        options.base_id,
    )
    .map_err(|(code, d)| ctx.issue(Field::Cohort, code, d))?;
    let person = stored
        .people
        .get(line.id.as_str())
        .filter(|p| stored.members.contains(&(cohort.id, p.id)))
        .ok_or_else(|| {
            let d = Detail::NotMember {
                cohort: cohort_code.clone(),
            };
            ctx.issue(Field::IdNumber, Code::NotInCohort, d)
        })?;
    if person.name != line.name {
        let d = Detail::OtherName {
            stored: person.name.clone(),
            file: line.name,
        };
        return Err(ctx.issue(Field::Name, Code::NameMismatch, d));
    }
    let future = |d: NaiveDate| {
        let value = d.to_string();
        ctx.issue(
            Field::SessionDate,
            Code::BadDate,
            Detail::FutureDate { value },
        )
    };
    if let Some(d) = line.date.filter(|d| *d > options.today) {
        return Err(future(d));
    }
    let (entry, session_id) = match line.course {
        Some(code) => {
            let course = stored.courses.get(&code).ok_or_else(|| {
                let d = Detail::Course { code: code.clone() };
                ctx.issue(Field::CourseCode, Code::UnknownCourse, d)
            })?;
            if line.hours.is_some_and(|h| h.0 > course.hours.0) {
                let d = Detail::CourseHours {
                    code: code.clone(),
                    hours: course.hours.to_string(),
                };
                return Err(ctx.issue(Field::HoursTotal, Code::BadHours, d));
            }
            let sessions = stored
                .sessions
                .get(&(cohort.id, code.clone()))
                .map_or(&[][..], Vec::as_slice);
            // The file's date, else the timetable's when it holds the course exactly once.
            let (date, session) = match (line.date, sessions) {
                (Some(d), _) => (d, sessions.iter().find(|s| s.1 == d).map(|s| s.0)),
                (None, [(id, d)]) if *d <= options.today => (*d, Some(*id)),
                (None, [(_, d)]) => return Err(future(*d)),
                (None, _) => {
                    let d = Detail::NoSessionDate { code: code.clone() };
                    return Err(ctx.issue(Field::SessionDate, Code::MissingRequired, d));
                }
            };
            let entry = TrainingEntry {
                module: course.module,
                mode: if course.practicum {
                    Mode::Practicum
                } else {
                    Mode::Onsite
                },
                // Fewer hours than the course's: the trainee attended part of it.
                hours: line.hours.unwrap_or(course.hours),
                date,
                provider: stored.base_code.clone(),
                course_code: Some(course.code.clone()),
                title: course.title.clone(),
                cohort: Some(cohort_code),
            };
            (entry, session)
        }
        None => {
            // The row reader required these without a course code.
            let (Some(date), Some(module), Some(hours)) = (line.date, line.module, line.hours)
            else {
                return Err(ctx.issue(Field::CourseCode, Code::MissingRequired, Detail::NoCourse));
            };
            let entry = TrainingEntry {
                module,
                mode: line.mode.unwrap_or(Mode::Onsite),
                hours,
                date,
                provider: stored.base_code.clone(),
                course_code: None,
                title: line.title.unwrap_or_default(),
                cohort: Some(cohort_code),
            };
            (entry, None)
        }
    };
    Ok(TrainingWrite {
        row: ctx.row,
        person_id: person.id,
        cohort_id: cohort.id,
        session_id,
        entry,
    })
}
