//! Roles and the scope each one is held in (domain.md §3).
//!
//! One person may hold several roles; most are bound to one training base, unit or committee,
//! and a grant without the right kind of scope cannot be constructed.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Every role Ladder knows. The wire and database form is [`Role::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    Trainee,
    Instructor,
    BaseAdmin,
    UnitReviewer,
    Secretary,
    Reviewer,
    Chair,
    ProgramAuthority,
    /// The human-resources and social-security authority (人社部门): confirms results.
    Hrss,
    Auditor,
    SysAdmin,
}

/// What a role is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ScopeKind {
    /// Held across the whole installation.
    Global,
    /// A training base (实训基地).
    Base,
    /// An employer unit (所在单位).
    Unit,
    /// A title review committee (评委会).
    Committee,
}

/// The concrete thing a grant is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scope {
    Global,
    Base(i64),
    Unit(i64),
    Committee(i64),
}

impl Scope {
    pub fn kind(self) -> ScopeKind {
        match self {
            Scope::Global => ScopeKind::Global,
            Scope::Base(_) => ScopeKind::Base,
            Scope::Unit(_) => ScopeKind::Unit,
            Scope::Committee(_) => ScopeKind::Committee,
        }
    }

    /// A stable text key, used in a unique index so a role is granted once per scope.
    pub fn key(self) -> String {
        match self {
            Scope::Global => String::new(),
            Scope::Base(id) => format!("base:{id}"),
            Scope::Unit(id) => format!("unit:{id}"),
            Scope::Committee(id) => format!("committee:{id}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum RoleError {
    #[error("unknown role `{0}`")]
    UnknownRole(String),
    #[error("role `{role}` must be bound to a {needed:?}")]
    WrongScope { role: Role, needed: ScopeKind },
}

impl Role {
    pub const ALL: [Role; 11] = [
        Role::Trainee,
        Role::Instructor,
        Role::BaseAdmin,
        Role::UnitReviewer,
        Role::Secretary,
        Role::Reviewer,
        Role::Chair,
        Role::ProgramAuthority,
        Role::Hrss,
        Role::Auditor,
        Role::SysAdmin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Trainee => "trainee",
            Role::Instructor => "instructor",
            Role::BaseAdmin => "base_admin",
            Role::UnitReviewer => "unit_reviewer",
            Role::Secretary => "secretary",
            Role::Reviewer => "reviewer",
            Role::Chair => "chair",
            Role::ProgramAuthority => "program_authority",
            Role::Hrss => "hrss",
            Role::Auditor => "auditor",
            Role::SysAdmin => "sys_admin",
        }
    }

    pub fn parse(code: &str) -> Result<Role, RoleError> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == code.trim())
            .ok_or_else(|| RoleError::UnknownRole(code.to_string()))
    }

    /// The kind of scope a grant of this role must carry.
    pub fn scope_kind(self) -> ScopeKind {
        match self {
            Role::Trainee
            | Role::ProgramAuthority
            | Role::Hrss
            | Role::Auditor
            | Role::SysAdmin => ScopeKind::Global,
            Role::Instructor | Role::BaseAdmin => ScopeKind::Base,
            Role::UnitReviewer => ScopeKind::Unit,
            Role::Secretary | Role::Reviewer | Role::Chair => ScopeKind::Committee,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A role held in a scope. Construct with [`Grant::new`], which checks the scope kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Grant {
    role: Role,
    scope: Scope,
}

impl Grant {
    pub fn new(role: Role, scope: Scope) -> Result<Grant, RoleError> {
        let needed = role.scope_kind();
        if scope.kind() == needed {
            Ok(Grant { role, scope })
        } else {
            Err(RoleError::WrongScope { role, needed })
        }
    }

    pub fn global(role: Role) -> Result<Grant, RoleError> {
        Grant::new(role, Scope::Global)
    }

    pub fn role(self) -> Role {
        self.role
    }

    pub fn scope(self) -> Scope {
        self.scope
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Ok(role));
            assert!(seen.insert(role.code()), "duplicate code {}", role.code());
        }
        assert_eq!(
            Role::parse("root"),
            Err(RoleError::UnknownRole("root".into()))
        );
    }

    #[test]
    fn grants_need_the_right_scope() {
        assert!(Grant::new(Role::BaseAdmin, Scope::Base(1)).is_ok());
        assert_eq!(
            Grant::new(Role::BaseAdmin, Scope::Global),
            Err(RoleError::WrongScope {
                role: Role::BaseAdmin,
                needed: ScopeKind::Base
            })
        );
        assert!(Grant::new(Role::Reviewer, Scope::Base(1)).is_err());
        assert!(Grant::new(Role::Reviewer, Scope::Committee(2)).is_ok());
        assert!(Grant::new(Role::SysAdmin, Scope::Unit(2)).is_err());
        assert!(Grant::global(Role::Auditor).is_ok());
    }

    #[test]
    fn scope_keys_distinguish_kinds() {
        assert_ne!(Scope::Base(1).key(), Scope::Unit(1).key());
        assert_eq!(Scope::Global.key(), "");
    }
}
