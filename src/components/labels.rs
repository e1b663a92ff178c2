//! Display names for domain values.

use crate::domain::level::Level;
use crate::domain::role::Role;
use crate::i18n::Key;

pub fn role_key(role: Role) -> Key {
    match role {
        Role::Trainee => Key::RoleTrainee,
        Role::Instructor => Key::RoleInstructor,
        Role::BaseAdmin => Key::RoleBaseAdmin,
        Role::UnitReviewer => Key::RoleUnitReviewer,
        Role::Secretary => Key::RoleSecretary,
        Role::Reviewer => Key::RoleReviewer,
        Role::Chair => Key::RoleChair,
        Role::ProgramAuthority => Key::RoleProgramAuthority,
        Role::Auditor => Key::RoleAuditor,
        Role::SysAdmin => Key::RoleSysAdmin,
    }
}

pub fn level_key(level: Level) -> Key {
    match level {
        Level::JuniorBroker => Key::LevelJunior,
        Level::IntermediateBroker => Key::LevelIntermediate,
        Level::SeniorManager => Key::LevelSenior,
    }
}
