//! Who may do what: the single access policy that every server function and every page asks.
//!
//! Deny by default: an action is allowed only when a rule below names one of the caller's
//! grants. Scoped roles (a base admin, a committee secretary) act only inside their scope.

use super::role::{Grant, Role, Scope};
use serde::{Deserialize, Serialize};

/// Operations guarded by the policy. Each server function maps to exactly one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See one's own landing page, profile and tasks (any signed-in user).
    UseOwnAccount,
    /// Create users, grant and revoke roles, reset passwords, deactivate accounts.
    ManageUsers,
    /// List training bases (scoped roles see their own bases only, see [`base_visibility`]).
    ViewBases,
    /// Register a new training base.
    AddBase,
    /// List the cohorts of a base.
    ViewCohorts {
        base: i64,
    },
    /// Add a cohort to a base.
    AddCohort {
        base: i64,
    },
    /// Add, retire and restore the courses of a base's catalog.
    ManageCourses {
        base: i64,
    },
    /// Manage the catalog of at least one base (the gate before the base is known).
    ManageAnyCourses,
    /// Browse the audit log.
    ViewAudit,
    /// List review committees (scoped roles see their own).
    ViewCommittees,
    /// See the stored ruleset versions and their summaries.
    ViewRulesets,
    /// Check, store and activate ruleset versions (the program authority's duty).
    ManageRulesets,
    /// Keep one's own records (training, continuing education, deals) and see one's score.
    KeepOwnRecords,
    /// Verify, reject and correct the records of a base's trainees, and record attendance.
    VerifyRecords {
        base: i64,
    },
    /// Verify records of at least one base (the gate before the record is known).
    VerifyAnyRecords,
    /// See a base's cohorts with their trainees' scores and gaps, and export them.
    ViewOverview {
        base: i64,
    },
    /// See the overview of at least one base.
    ViewAnyOverview,
    /// Score the practical cases of a base's trainees on the case rubric.
    ReviewCases {
        base: i64,
    },
    /// Score cases of at least one base.
    ReviewAnyCases,
    /// Import rosters and attendance into a base's cohorts, and see its import history.
    ImportRosters {
        base: i64,
    },
    /// Import into at least one base (the gate before the base is known).
    ImportAnyRosters,
    /// Apply for the senior title and follow one's own applications.
    ApplyForTitle,
    /// Open a committee's review sessions and run their procedure (the secretariat).
    RunReviews {
        committee: i64,
    },
    /// Run the reviews of at least one committee (the gate before the committee is known).
    RunAnyReviews,
    /// See a committee's sessions, applications and dossiers (secretariat and chair).
    ViewReviews {
        committee: i64,
    },
    ViewAnyReviews,
    /// Approve, publicise or return the applications of a unit's staff (单位推荐).
    RecommendForUnit {
        unit: i64,
    },
    RecommendForAnyUnit,
    /// See one's review assignments, declare conflicts (a committee's reviewers).
    ReviewAsExpert,
    /// Vote in a committee meeting one sits on (reviewers and the chair: the members).
    VoteInMeetings,
    /// Certify a committee's ballot results (its chair).
    ChairReviews {
        committee: i64,
    },
    ChairAnyReviews,
    /// Open a committee's meeting with the members present (domain.md §3: the chair chairs it
    /// and confirms the quorum; the secretariat prepares it): its secretariat or its chair.
    OpenMeeting {
        committee: i64,
    },
    OpenAnyMeeting,
    /// See a meeting's bulletin board (its encrypted ballots, sums and proofs) once counted:
    /// the members who sat on it, the committee's secretariat and chair, and auditors.
    ViewBallotBoard {
        committee: i64,
        /// The caller sat on the meeting.
        sat: bool,
    },
    /// See at least one board (the gate before the meeting is known).
    ViewAnyBallotBoards,
    /// Confirm results after their public notice and issue certificates (人社部门).
    ConfirmResults,
}

/// The pages that appear in the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Area {
    Home,
    Account,
    Profile,
    Users,
    Bases,
    Cohorts,
    Courses,
    Committees,
    Rulesets,
    Audit,
    Progress,
    Records,
    Verify,
    Overview,
    Reviews,
    Imports,
    Title,
    UnitApplications,
    ReviewSessions,
    Expert,
    Vote,
    Confirm,
}

impl Area {
    pub const NAV: [Area; 21] = [
        Area::Home,
        Area::Progress,
        Area::Records,
        Area::Profile,
        Area::Title,
        Area::UnitApplications,
        Area::ReviewSessions,
        Area::Expert,
        Area::Vote,
        Area::Confirm,
        Area::Verify,
        Area::Reviews,
        Area::Overview,
        Area::Imports,
        Area::Users,
        Area::Bases,
        Area::Cohorts,
        Area::Courses,
        Area::Committees,
        Area::Rulesets,
        Area::Audit,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Area::Home => "/",
            Area::Account => "/account",
            Area::Profile => "/profile",
            Area::Users => "/admin/users",
            Area::Bases => "/admin/bases",
            Area::Cohorts => "/admin/cohorts",
            Area::Courses => "/admin/courses",
            Area::Committees => "/committees",
            Area::Rulesets => "/rulesets",
            Area::Audit => "/audit",
            Area::Progress => "/progress",
            Area::Records => "/records",
            Area::Verify => "/verify",
            Area::Overview => "/admin/overview",
            Area::Reviews => "/reviews",
            Area::Imports => "/admin/imports",
            Area::Title => "/title",
            Area::UnitApplications => "/unit/applications",
            Area::ReviewSessions => "/review",
            Area::Expert => "/expert",
            Area::Vote => "/vote",
            Area::Confirm => "/confirm",
        }
    }
}

/// Which rows of a scoped list a caller may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Visibility {
    All,
    Only(Vec<i64>),
    Nothing,
}

impl Visibility {
    pub fn admits(&self, id: i64) -> bool {
        match self {
            Visibility::All => true,
            Visibility::Only(ids) => ids.contains(&id),
            Visibility::Nothing => false,
        }
    }
}

fn has(grants: &[Grant], role: Role) -> bool {
    grants.iter().any(|g| g.role() == role)
}

fn has_in(grants: &[Grant], role: Role, scope: Scope) -> bool {
    grants
        .iter()
        .any(|g| g.role() == role && g.scope() == scope)
}

/// The policy. `grants` are the caller's active grants; an anonymous caller never reaches here
/// (the server answers 401 first), and an account with no grants is allowed only its own account.
pub fn allows(grants: &[Grant], action: Action) -> bool {
    use Role::*;
    match action {
        Action::UseOwnAccount => true,
        Action::ManageUsers => has(grants, SysAdmin),
        Action::ViewBases => !matches!(base_visibility(grants), Visibility::Nothing),
        Action::AddBase => has(grants, SysAdmin) || has(grants, ProgramAuthority),
        Action::ViewCohorts { base } => base_visibility(grants).admits(base),
        Action::AddCohort { base } | Action::ManageCourses { base } => {
            has(grants, SysAdmin) || has_in(grants, BaseAdmin, Scope::Base(base))
        }
        Action::ManageAnyCourses => has(grants, SysAdmin) || has(grants, BaseAdmin),
        Action::ViewAudit => has(grants, SysAdmin) || has(grants, Auditor),
        Action::ViewCommittees => !matches!(committee_visibility(grants), Visibility::Nothing),
        // Rulesets are public rules of an evaluation; the people who keep or check the
        // system read them, and only the program authority changes them.
        Action::ViewRulesets => {
            has(grants, ProgramAuthority) || has(grants, SysAdmin) || has(grants, Auditor)
        }
        Action::ManageRulesets => has(grants, ProgramAuthority),
        Action::KeepOwnRecords => has(grants, Trainee),
        // Verification is the base's judgement: the system admin runs the system but does
        // not vouch for anyone's hours or deals.
        Action::VerifyRecords { base } => has_in(grants, BaseAdmin, Scope::Base(base)),
        Action::VerifyAnyRecords => has(grants, BaseAdmin),
        Action::ViewOverview { base } => {
            has(grants, SysAdmin)
                || has(grants, ProgramAuthority)
                || has_in(grants, BaseAdmin, Scope::Base(base))
        }
        Action::ReviewCases { base } => has_in(grants, Instructor, Scope::Base(base)),
        Action::ReviewAnyCases => has(grants, Instructor),
        // A roster is the base's own list; the system admin imports through the command line.
        Action::ImportRosters { base } => has_in(grants, BaseAdmin, Scope::Base(base)),
        Action::ImportAnyRosters => has(grants, BaseAdmin),
        Action::ViewAnyOverview => {
            has(grants, SysAdmin) || has(grants, ProgramAuthority) || has(grants, BaseAdmin)
        }
        Action::ApplyForTitle => has(grants, Trainee),
        // The procedure is the committee's own: no global role runs or reads it.
        Action::RunReviews { committee } => has_in(grants, Secretary, Scope::Committee(committee)),
        Action::RunAnyReviews => has(grants, Secretary),
        Action::ViewReviews { committee } => {
            has_in(grants, Secretary, Scope::Committee(committee))
                || has_in(grants, Chair, Scope::Committee(committee))
        }
        Action::ViewAnyReviews => has(grants, Secretary) || has(grants, Chair),
        Action::RecommendForUnit { unit } => has_in(grants, UnitReviewer, Scope::Unit(unit)),
        Action::RecommendForAnyUnit => has(grants, UnitReviewer),
        Action::ReviewAsExpert => has(grants, Reviewer),
        Action::VoteInMeetings => has(grants, Reviewer) || has(grants, Chair),
        Action::ChairReviews { committee } => has_in(grants, Chair, Scope::Committee(committee)),
        Action::ChairAnyReviews => has(grants, Chair),
        Action::OpenMeeting { committee } => {
            allows(grants, Action::RunReviews { committee })
                || allows(grants, Action::ChairReviews { committee })
        }
        Action::OpenAnyMeeting => has(grants, Secretary) || has(grants, Chair),
        Action::ViewBallotBoard { committee, sat } => {
            has(grants, Auditor)
                || (sat && allows(grants, Action::VoteInMeetings))
                || allows(grants, Action::ViewReviews { committee })
        }
        Action::ViewAnyBallotBoards => {
            has(grants, Auditor)
                || allows(grants, Action::VoteInMeetings)
                || allows(grants, Action::ViewAnyReviews)
        }
        Action::ConfirmResults => has(grants, Hrss),
    }
}

/// Bases a caller may list: everything for the system admin and the program authority, their
/// own bases for base admins and instructors.
pub fn base_visibility(grants: &[Grant]) -> Visibility {
    scoped_visibility(grants, &[Role::BaseAdmin, Role::Instructor], |s| match s {
        Scope::Base(id) => Some(id),
        _ => None,
    })
}

/// Committees a caller may list: everything for the system admin and the program authority,
/// their own committee for its secretary, chair and reviewers.
pub fn committee_visibility(grants: &[Grant]) -> Visibility {
    scoped_visibility(
        grants,
        &[Role::Secretary, Role::Chair, Role::Reviewer],
        |s| match s {
            Scope::Committee(id) => Some(id),
            _ => None,
        },
    )
}

fn scoped_visibility(
    grants: &[Grant],
    scoped_roles: &[Role],
    id_of: impl Fn(Scope) -> Option<i64>,
) -> Visibility {
    if has(grants, Role::SysAdmin) || has(grants, Role::ProgramAuthority) {
        return Visibility::All;
    }
    let mut ids: Vec<i64> = grants
        .iter()
        .filter(|g| scoped_roles.contains(&g.role()))
        .filter_map(|g| id_of(g.scope()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        Visibility::Nothing
    } else {
        Visibility::Only(ids)
    }
}

/// The bases the caller holds a base-scoped role in and may do `action` in (the bases of a
/// base admin's queue, an instructor's cases). Global roles reach no base this way.
pub fn scoped_bases(grants: &[Grant], action: impl Fn(i64) -> Action) -> Vec<i64> {
    match base_visibility(grants) {
        Visibility::Only(ids) => ids
            .into_iter()
            .filter(|b| allows(grants, action(*b)))
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether a page appears in the navigation and may be opened.
pub fn can_open(grants: &[Grant], area: Area) -> bool {
    match area {
        Area::Home | Area::Account | Area::Profile => true,
        Area::Users => allows(grants, Action::ManageUsers),
        Area::Bases | Area::Cohorts | Area::Courses => allows(grants, Action::ViewBases),
        Area::Committees => allows(grants, Action::ViewCommittees),
        Area::Rulesets => allows(grants, Action::ViewRulesets),
        Area::Audit => allows(grants, Action::ViewAudit),
        Area::Progress | Area::Records => allows(grants, Action::KeepOwnRecords),
        Area::Verify => allows(grants, Action::VerifyAnyRecords),
        Area::Imports => allows(grants, Action::ImportAnyRosters),
        Area::Overview => allows(grants, Action::ViewAnyOverview),
        Area::Reviews => allows(grants, Action::ReviewAnyCases),
        Area::Title => allows(grants, Action::ApplyForTitle),
        Area::UnitApplications => allows(grants, Action::RecommendForAnyUnit),
        Area::ReviewSessions => allows(grants, Action::ViewAnyReviews),
        Area::Expert => allows(grants, Action::ReviewAsExpert),
        Area::Vote => allows(grants, Action::VoteInMeetings),
        Area::Confirm => allows(grants, Action::ConfirmResults),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(role: Role, scope: Scope) -> Grant {
        Grant::new(role, scope).expect("valid grant")
    }

    #[test]
    fn no_grants_allows_only_own_account() {
        let none: [Grant; 0] = [];
        assert!(allows(&none, Action::UseOwnAccount));
        for action in [
            Action::ManageUsers,
            Action::ViewBases,
            Action::AddBase,
            Action::ViewCohorts { base: 1 },
            Action::AddCohort { base: 1 },
            Action::ManageCourses { base: 1 },
            Action::ManageAnyCourses,
            Action::ViewAudit,
            Action::ViewCommittees,
            Action::ViewRulesets,
            Action::ManageRulesets,
            Action::KeepOwnRecords,
            Action::VerifyRecords { base: 1 },
            Action::VerifyAnyRecords,
            Action::ViewOverview { base: 1 },
            Action::ViewAnyOverview,
            Action::ReviewCases { base: 1 },
            Action::ReviewAnyCases,
            Action::ImportRosters { base: 1 },
            Action::ImportAnyRosters,
            Action::ApplyForTitle,
            Action::RunReviews { committee: 1 },
            Action::RunAnyReviews,
            Action::ViewReviews { committee: 1 },
            Action::ViewAnyReviews,
            Action::RecommendForUnit { unit: 1 },
            Action::RecommendForAnyUnit,
            Action::ReviewAsExpert,
            Action::VoteInMeetings,
            Action::ChairReviews { committee: 1 },
            Action::ChairAnyReviews,
            Action::OpenMeeting { committee: 1 },
            Action::OpenAnyMeeting,
            Action::ViewBallotBoard {
                committee: 1,
                sat: true,
            },
            Action::ViewAnyBallotBoards,
            Action::ConfirmResults,
        ] {
            assert!(!allows(&none, action), "{action:?} allowed without grants");
        }
    }

    #[test]
    fn base_admin_is_confined_to_their_base() {
        let grants = [g(Role::BaseAdmin, Scope::Base(3))];
        assert!(allows(&grants, Action::AddCohort { base: 3 }));
        assert!(!allows(&grants, Action::AddCohort { base: 4 }));
        assert!(allows(&grants, Action::ManageCourses { base: 3 }));
        assert!(!allows(&grants, Action::ManageCourses { base: 4 }));
        assert!(allows(&grants, Action::ViewCohorts { base: 3 }));
        assert!(!allows(&grants, Action::ViewCohorts { base: 4 }));
        assert!(!allows(&grants, Action::AddBase));
        assert!(allows(&grants, Action::VerifyRecords { base: 3 }));
        assert!(!allows(&grants, Action::VerifyRecords { base: 4 }));
        assert!(allows(&grants, Action::ImportRosters { base: 3 }));
        assert!(!allows(&grants, Action::ImportRosters { base: 4 }));
        assert!(!allows(&grants, Action::KeepOwnRecords));
        assert_eq!(base_visibility(&grants), Visibility::Only(vec![3]));
        assert_eq!(
            scoped_bases(&grants, |base| Action::VerifyRecords { base }),
            vec![3]
        );
        assert_eq!(
            scoped_bases(&grants, |base| Action::ReviewCases { base }),
            Vec::<i64>::new(),
            "a base admin is no instructor"
        );
    }

    #[test]
    fn program_authority_sees_all_bases_but_adds_no_cohorts() {
        let grants = [g(Role::ProgramAuthority, Scope::Global)];
        assert_eq!(base_visibility(&grants), Visibility::All);
        assert!(allows(&grants, Action::AddBase));
        assert!(!allows(&grants, Action::AddCohort { base: 1 }));
        assert!(!allows(&grants, Action::ManageUsers));
    }

    #[test]
    fn audit_is_for_auditors_and_admins_only() {
        assert!(allows(
            &[g(Role::Auditor, Scope::Global)],
            Action::ViewAudit
        ));
        assert!(allows(
            &[g(Role::SysAdmin, Scope::Global)],
            Action::ViewAudit
        ));
        assert!(!allows(
            &[g(Role::Chair, Scope::Committee(1))],
            Action::ViewAudit
        ));
        assert!(!allows(
            &[g(Role::Trainee, Scope::Global)],
            Action::ViewAudit
        ));
    }

    #[test]
    fn only_the_program_authority_changes_rulesets() {
        let authority = [g(Role::ProgramAuthority, Scope::Global)];
        assert!(allows(&authority, Action::ManageRulesets));
        for role in [Role::SysAdmin, Role::Auditor] {
            let grants = [g(role, Scope::Global)];
            assert!(allows(&grants, Action::ViewRulesets), "{role:?}");
            assert!(!allows(&grants, Action::ManageRulesets), "{role:?}");
        }
        let base_admin = [g(Role::BaseAdmin, Scope::Base(1))];
        assert!(!can_open(&base_admin, Area::Rulesets));
    }

    #[test]
    fn committee_roles_see_their_committee() {
        let grants = [
            g(Role::Reviewer, Scope::Committee(2)),
            g(Role::Chair, Scope::Committee(2)),
        ];
        assert_eq!(committee_visibility(&grants), Visibility::Only(vec![2]));
        assert!(can_open(&grants, Area::Committees));
        assert!(!can_open(&grants, Area::Bases));
        assert!(!can_open(&grants, Area::Users));
    }

    #[test]
    fn the_review_procedure_belongs_to_its_committee_and_units() {
        let secretary = [g(Role::Secretary, Scope::Committee(2))];
        assert!(allows(&secretary, Action::RunReviews { committee: 2 }));
        assert!(!allows(&secretary, Action::RunReviews { committee: 3 }));
        assert!(allows(&secretary, Action::ViewReviews { committee: 2 }));
        let chair = [g(Role::Chair, Scope::Committee(2))];
        assert!(allows(&chair, Action::ViewReviews { committee: 2 }));
        assert!(!allows(&chair, Action::RunReviews { committee: 2 }));
        let reviewer = [g(Role::Reviewer, Scope::Committee(2))];
        assert!(!allows(&reviewer, Action::ViewReviews { committee: 2 }));
        // The chair presides, so the chair opens the meeting too; a reviewer does not.
        for (grants, may) in [(&secretary, true), (&chair, true), (&reviewer, false)] {
            assert_eq!(allows(grants, Action::OpenMeeting { committee: 2 }), may);
            assert!(!allows(grants, Action::OpenMeeting { committee: 3 }));
            assert_eq!(allows(grants, Action::OpenAnyMeeting), may);
        }
        for role in [Role::SysAdmin, Role::ProgramAuthority, Role::Auditor] {
            let grants = [g(role, Scope::Global)];
            assert!(!allows(&grants, Action::RunAnyReviews), "{role:?}");
            assert!(
                !allows(&grants, Action::ViewReviews { committee: 2 }),
                "{role:?}"
            );
        }
        let unit = [g(Role::UnitReviewer, Scope::Unit(5))];
        assert!(allows(&unit, Action::RecommendForUnit { unit: 5 }));
        assert!(!allows(&unit, Action::RecommendForUnit { unit: 6 }));
        assert!(can_open(&unit, Area::UnitApplications));
        assert!(!can_open(&unit, Area::Title));
        assert!(can_open(&[g(Role::Trainee, Scope::Global)], Area::Title));
    }

    #[test]
    fn a_ballot_board_is_for_who_sat_the_committee_and_auditors() {
        let board = |committee, sat| Action::ViewBallotBoard { committee, sat };
        let reviewer = [g(Role::Reviewer, Scope::Committee(2))];
        assert!(allows(&reviewer, board(2, true)));
        assert!(!allows(&reviewer, board(2, false)));
        let secretary = [g(Role::Secretary, Scope::Committee(2))];
        assert!(allows(&secretary, board(2, false)));
        assert!(!allows(&secretary, board(3, false)));
        assert!(allows(&[g(Role::Auditor, Scope::Global)], board(3, false)));
        for role in [Role::SysAdmin, Role::ProgramAuthority, Role::Trainee] {
            let grants = [g(role, Scope::Global)];
            assert!(!allows(&grants, board(2, false)), "{role:?}");
            assert!(!allows(&grants, Action::ViewAnyBallotBoards), "{role:?}");
        }
    }
}
