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

pub fn education_key(e: crate::domain::eligibility::Education) -> Key {
    use crate::domain::eligibility::Education;
    match e {
        Education::Doctorate => Key::EduDoctorate,
        Education::Master => Key::EduMaster,
        Education::Bachelor => Key::EduBachelor,
        Education::Associate => Key::EduAssociate,
        Education::Other => Key::EduOther,
    }
}

/// A title rank as stored (`intermediate`, `deputy_senior`, `full_senior`).
pub fn rank_key(rank: &str) -> Key {
    match rank {
        "deputy_senior" => Key::RankDeputySenior,
        "full_senior" => Key::RankFullSenior,
        _ => Key::RankIntermediate,
    }
}

pub fn module_key(m: crate::domain::rules::Module) -> Key {
    use crate::domain::rules::Module;
    match m {
        Module::PublicKnowledge => Key::ModulePublicKnowledge,
        Module::PolicyLaw => Key::ModulePolicyLaw,
        Module::PracticeSkills => Key::ModulePracticeSkills,
        Module::Capability => Key::ModuleCapability,
    }
}
