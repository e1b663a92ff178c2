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
        Role::Hrss => Key::RoleHrss,
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

/// The capability levels as a form's choices (code, label), lowest first.
pub fn level_options() -> Vec<(&'static str, Key)> {
    Level::ALL
        .into_iter()
        .map(|l| (l.code(), level_key(l)))
        .collect()
}

pub fn record_kind_key(k: crate::domain::records::RecordKind) -> Key {
    use crate::domain::records::RecordKind::*;
    match k {
        Training => Key::KindTraining,
        Ce => Key::KindCe,
        Deal => Key::KindDeal,
        Case => Key::KindCase,
        Outcome => Key::KindOutcome,
        Contribution => Key::KindContribution,
    }
}

pub fn record_status_key(s: crate::domain::records::Status) -> Key {
    use crate::domain::records::Status::*;
    match s {
        Unverified => Key::StatusUnverified,
        BaseVerified => Key::StatusBaseVerified,
        RegistryVerified => Key::StatusRegistryVerified,
        Rejected => Key::StatusRejected,
        Withdrawn => Key::StatusWithdrawn,
    }
}

/// The codes and labels of the training and CE modes, in form order.
pub const MODES: [(&str, Key); 5] = [
    ("onsite", Key::ModeOnsite),
    ("online", Key::ModeOnline),
    ("practicum", Key::ModePracticum),
    ("conference", Key::ModeConference),
    ("self_study", Key::ModeSelfStudy),
];

pub const CE_CATEGORIES: [(&str, Key); 2] = [
    ("professional", Key::CeProfessional),
    ("public", Key::CePublic),
];

pub const CONTRACT_TYPES: [(&str, Key); 5] = [
    ("development", Key::CtDevelopment),
    ("transfer", Key::CtTransfer),
    ("license", Key::CtLicense),
    ("consulting", Key::CtConsulting),
    ("service", Key::CtService),
];

pub const MANAGER_ROLES: [(&str, Key); 3] = [
    ("lead", Key::RoleLead),
    ("co_lead", Key::RoleCoLead),
    ("participant", Key::RoleParticipant),
];

/// The form code and label of each value (the codes are the serde names the server reads).
pub fn mode_label(m: crate::domain::evidence::Mode) -> (&'static str, Key) {
    use crate::domain::evidence::Mode::*;
    MODES[match m {
        Onsite => 0,
        Online => 1,
        Practicum => 2,
        Conference => 3,
        SelfStudy => 4,
    }]
}

pub fn ce_label(c: crate::domain::evidence::CeCategory) -> (&'static str, Key) {
    use crate::domain::evidence::CeCategory::*;
    CE_CATEGORIES[match c {
        Professional => 0,
        Public => 1,
    }]
}

pub fn contract_type_label(c: crate::domain::evidence::ContractType) -> (&'static str, Key) {
    use crate::domain::evidence::ContractType::*;
    CONTRACT_TYPES[match c {
        Development => 0,
        Transfer => 1,
        License => 2,
        Consulting => 3,
        Service => 4,
    }]
}

pub fn manager_role_label(r: crate::domain::evidence::ManagerRole) -> (&'static str, Key) {
    use crate::domain::evidence::ManagerRole::*;
    MANAGER_ROLES[match r {
        Lead => 0,
        CoLead => 1,
        Participant => 2,
    }]
}

/// The label of a case stage code (`CASE_STAGES`).
pub fn stage_key(code: &str) -> Key {
    match code {
        "mining" => Key::StageMining,
        "cultivation" => Key::StageCultivation,
        "incubation" => Key::StageIncubation,
        "maturation" => Key::StageMaturation,
        "evaluation" => Key::StageEvaluation,
        "promotion" => Key::StagePromotion,
        "transaction" => Key::StageTransaction,
        "finance" => Key::StageFinance,
        "legal" => Key::StageLegal,
        _ => Key::StageIp,
    }
}

pub const CONFIDENTIALITY: [(&str, Key); 3] = [
    ("panel_only", Key::ConfPanelOnly),
    ("public", Key::ConfPublic),
    ("private", Key::ConfPrivate),
];

/// The label of a case-rubric criterion of the default rubric; other rulesets' criteria are
/// shown by their code.
pub fn criterion_key(code: &str) -> Option<Key> {
    match code {
        "complexity" => Some(Key::RubricComplexity),
        "personal_contribution" => Some(Key::RubricPersonalContribution),
        "professional_method" => Some(Key::RubricProfessionalMethod),
        "outcome" => Some(Key::RubricOutcome),
        "reflection" => Some(Key::RubricReflection),
        _ => None,
    }
}

/// An application's state in the review procedure.
pub fn state_key(s: crate::domain::review::procedure::State) -> Key {
    use crate::domain::review::procedure::{Appealed, State::*};
    match s {
        Draft => Key::StDraft,
        Submitted => Key::StSubmitted,
        UnitPublicNotice => Key::StUnitPublicNotice,
        UnitObjectionReview => Key::StUnitObjectionReview,
        RejectedAtUnit => Key::StRejectedAtUnit,
        Recommended => Key::StRecommended,
        FormalCheck => Key::StFormalCheck,
        SupplementRequested => Key::StSupplementRequested,
        NotAccepted => Key::StNotAccepted,
        PanelAssigned => Key::StPanelAssigned,
        ExpertReview => Key::StExpertReview,
        AwaitingVote => Key::StAwaitingVote,
        Voting => Key::StVoting,
        PassedPendingNotice => Key::StPassedPendingNotice,
        NotPassed => Key::StNotPassed,
        ResultPublicNotice => Key::StResultPublicNotice,
        ResultObjectionReview => Key::StResultObjectionReview,
        HrssConfirmation => Key::StHrssConfirmation,
        Certified => Key::StCertified,
        AppealReview(Appealed::NotPassed) => Key::StAppealNotPassed,
        AppealReview(Appealed::NotAccepted) => Key::StAppealNotAccepted,
        Withdrawn => Key::StWithdrawn,
        Revoked => Key::StRevoked,
    }
}

/// The badge tone of a state: ended badly, ended well, waiting on someone.
pub fn state_tone(s: crate::domain::review::procedure::State) -> &'static str {
    use crate::domain::review::procedure::State::*;
    match s {
        RejectedAtUnit | NotAccepted | NotPassed | Withdrawn | Revoked => "badge--danger",
        Certified | PassedPendingNotice => "badge--ok",
        Draft | SupplementRequested | UnitObjectionReview | ResultObjectionReview => "badge--warn",
        _ => "badge--muted",
    }
}

/// Who took a step of the procedure (a role, never a name).
pub fn actor_key(code: &str) -> Key {
    match code {
        "candidate" => Key::ActorCandidate,
        "unit" => Key::ActorUnit,
        "secretariat" => Key::ActorSecretariat,
        "chair" => Key::ActorChair,
        "authority" => Key::ActorAuthority,
        "public" => Key::ActorPublic,
        _ => Key::ActorClock,
    }
}
