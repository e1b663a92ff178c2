//! The database's checks of a roster row that already has problems of its own (issue 21): its
//! cohort, and the gender and phone someone new needs, so the clerk sees every problem of the
//! row at once rather than one round at a time.

use super::LaterChecks;
use super::codes::{Code, Detail};
use super::fields::Field;
use super::outcome::Planned;
use super::plan::{Columns, Options, Stored, Writes, cohort_of, issue};

/// The database's checks of a row that already has problems of its own, so all of them are
/// reported at once: its cohort, and — for someone not yet stored (or whose ID number is
/// itself wrong, so nobody can be found) — the gender and phone a new person needs.
pub(super) fn checks(
    columns: &Columns,
    later: &LaterChecks,
    row: u32,
    stored: &Stored,
    options: &Options,
    writes: &Writes,
    planned: &mut Planned,
) {
    if !planned
        .issues
        .iter()
        .any(|i| i.field == Some(Field::Cohort))
        && let Err((c, d)) = cohort_of(
            later.cohort.clone(),
            &options.cohort,
            &stored.cohorts,
            options.base_id,
        )
    {
        planned
            .issues
            .push(issue(row, Field::Cohort, c, d, columns));
    }
    let known = later.id.as_ref().is_some_and(|id| {
        writes.people.contains_key(id.as_str()) || stored.people.contains_key(id.as_str())
    });
    if !known {
        for (field, present) in [
            (Field::Gender, later.has_gender),
            (Field::Mobile, later.has_phone),
        ] {
            // A value that is there but wrong was reported already.
            if !present && !planned.issues.iter().any(|i| i.field == Some(field)) {
                planned.issues.push(issue(
                    row,
                    field,
                    Code::MissingRequired,
                    Detail::Missing { field },
                    columns,
                ));
            }
        }
    }
}
