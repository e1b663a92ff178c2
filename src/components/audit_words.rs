//! The audit log in the page's words. Its rows are evidence and never change, so they keep
//! the codes they were written with ("record.create", "passed_pending_notice",
//! "ce 2026-10-20 Public 3 学时"); the page puts those codes in words when it shows them, and
//! leaves free text (a reason someone typed) as it was.

use super::labels::{
    ce_label, manager_role_label, module_key, record_kind_key, record_status_key, state_key,
};
use crate::domain::evidence::{CeCategory, ManagerRole, OutcomeKind};
use crate::domain::records::{RecordKind, Status, percent};
use crate::domain::review::procedure::State;
use crate::domain::rules::Module;
use crate::i18n::{Key, Lang};

/// The action's words; `None` for a code this build does not know (shown as recorded).
pub fn action_key(code: &str) -> Option<Key> {
    if code.starts_with("application.") && code != "application.panel" {
        return Some(Key::AuActApplicationState);
    }
    ACTIONS.iter().find(|(c, _)| *c == code).map(|(_, k)| *k)
}

/// The program's own actors (the review clock, the command line, …) in words.
pub fn system_actor_key(label: &str) -> Option<Key> {
    Some(match label {
        "clock" => Key::AuActorClock,
        "cli" => Key::AuActorCli,
        "demo" => Key::AuActorDemo,
        "keys" => Key::AuActorKeys,
        "sign-in" => Key::AuActorSignIn,
        "ballot" => Key::AuActorBallot,
        "public" => Key::AuActorPublic,
        "upgrade" => Key::AuActorUpgrade,
        _ => return None,
    })
}

/// The entity type's words.
pub fn entity_key(code: &str) -> Option<Key> {
    ENTITIES.iter().find(|(c, _)| *c == code).map(|(_, k)| *k)
}

/// A recorded change (before or after) in words: state and status codes, record kinds,
/// categories, roles and units. `action` says what kind of text it is.
pub fn change_words(lang: Lang, action: &str, text: &str) -> String {
    if action.starts_with("application.") && action != "application.panel" {
        // "passed_pending_notice" or "not_accepted: the reason typed".
        let (state, reason) = match text.split_once(": ") {
            Some((s, r)) => (s, Some(r)),
            None => (text, None),
        };
        return match State::parse(state) {
            Some(s) => match reason {
                Some(r) => format!("{}{}{r}", lang.text(state_key(s)), colon(lang)),
                None => lang.text(state_key(s)).to_string(),
            },
            None => text.to_string(),
        };
    }
    if action.starts_with("record.") {
        return text
            .split(' ')
            .map(|token| record_token(lang, token).unwrap_or_else(|| token.to_string()))
            .collect::<Vec<_>>()
            .join(" ");
    }
    text.to_string()
}

fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "：",
        Lang::En => ": ",
    }
}

/// One word of a record's summary (`server::records::summary`) in the page's words.
fn record_token(lang: Lang, token: &str) -> Option<String> {
    let word = |key: Key| Some(lang.text(key).to_string());
    if let Some(kind) = RecordKind::parse(token) {
        return word(record_kind_key(kind));
    }
    if let Some(status) = Status::parse(token) {
        return word(record_status_key(status));
    }
    if let Some(module) = Module::parse(token) {
        return word(module_key(module));
    }
    // "v3": the record's version.
    if let Some(n) = token.strip_prefix('v').filter(|n| n.parse::<u32>().is_ok()) {
        return Some(match lang {
            Lang::Zh => format!("第 {n} 版"),
            Lang::En => format!("version {n}"),
        });
    }
    // "600‰": a share in thousandths.
    if let Some(share) = token.strip_suffix('‰').and_then(|n| n.parse::<i64>().ok()) {
        return Some(format!("{}%", percent(share)));
    }
    if let Some(flag) = token.strip_prefix("practicum=") {
        let yes = flag == "true";
        return Some(format!(
            "{}{}{}",
            lang.text(Key::ModePracticum),
            colon(lang),
            lang.text(if yes { Key::Yes } else { Key::No })
        ));
    }
    match token {
        "学时" => word(Key::Hours),
        "万元" => word(Key::Wan),
        "share" => word(Key::AuShare),
        "external" => word(Key::AuExternalCourse),
        "unregistered" => word(Key::AuUnregistered),
        "Public" => word(ce_label(CeCategory::Public).1),
        "Professional" => word(ce_label(CeCategory::Professional).1),
        "Lead" => word(manager_role_label(ManagerRole::Lead).1),
        "CoLead" => word(manager_role_label(ManagerRole::CoLead).1),
        "Participant" => word(manager_role_label(ManagerRole::Participant).1),
        "CompanyFormed" => {
            Some(crate::domain::explain::outcome_kind(OutcomeKind::CompanyFormed, lang).into())
        }
        "Product" => Some(crate::domain::explain::outcome_kind(OutcomeKind::Product, lang).into()),
        "Financing" => {
            Some(crate::domain::explain::outcome_kind(OutcomeKind::Financing, lang).into())
        }
        "LicenseIncome" => {
            Some(crate::domain::explain::outcome_kind(OutcomeKind::LicenseIncome, lang).into())
        }
        _ => None,
    }
}

const ACTIONS: [(&str, Key); 76] = [
    ("application.panel", Key::AuActApplicationPanel),
    ("base.create", Key::AuActBaseCreate),
    ("calendar.import", Key::AuActCalendarImport),
    ("case.review", Key::AuActCaseReview),
    ("certificate.issued", Key::AuActCertificateIssued),
    ("cohort.attendance", Key::AuActCohortAttendance),
    ("cohort.create", Key::AuActCohortCreate),
    ("cohort.schedule", Key::AuActCohortSchedule),
    ("cohort.unschedule", Key::AuActCohortUnschedule),
    ("committee.create", Key::AuActCommitteeCreate),
    ("committee.panels", Key::AuActCommitteePanels),
    ("course.create", Key::AuActCourseCreate),
    ("demo.load", Key::AuActDemoLoad),
    ("evidence.attach", Key::AuActEvidenceAttach),
    ("evidence.detach", Key::AuActEvidenceDetach),
    ("evidence.download", Key::AuActEvidenceDownload),
    ("identity.corrected", Key::AuActIdentityCorrected),
    (
        "identity.correction.closed",
        Key::AuActIdentityCorrectionClosed,
    ),
    (
        "identity.correction.requested",
        Key::AuActIdentityCorrectionRequested,
    ),
    ("objection.filed", Key::AuActObjectionFiled),
    ("objection.unmask_contact", Key::AuActObjectionUnmaskContact),
    ("person.unmask_id_number", Key::AuActPersonUnmaskIdNumber),
    ("profile.contact.set", Key::AuActProfileContactSet),
    ("profile.entry.remove", Key::AuActProfileEntryRemove),
    ("record.create", Key::AuActRecordCreate),
    ("record.withdraw", Key::AuActRecordWithdraw),
    ("review.assign", Key::AuActReviewAssign),
    ("review.ballot.board_export", Key::AuActBallotBoardExport),
    ("review.ballot.certified", Key::AuActBallotCertified),
    ("review.ballot.key_erased", Key::AuActBallotKeyErased),
    ("review.ballot.paper_counted", Key::AuActBallotPaperCounted),
    ("review.ballot.voided", Key::AuActBallotVoided),
    ("review.ballot.voted", Key::AuActBallotVoted),
    ("review.conflict.declared", Key::AuActConflictDeclared),
    ("review.conflict.found", Key::AuActConflictFound),
    ("review.defense.scheduled", Key::AuActDefenseScheduled),
    ("review.defense.scored", Key::AuActDefenseScored),
    ("review.meeting.opened", Key::AuActMeetingOpened),
    ("review.results.export", Key::AuActResultsExport),
    ("review.score.reminded", Key::AuActScoreReminded),
    ("review.score.submitted", Key::AuActScoreSubmitted),
    ("review_session.create", Key::AuActSessionCreate),
    ("review_session.reschedule", Key::AuActSessionReschedule),
    ("role.grant", Key::AuActRoleGrant),
    ("role.revoke", Key::AuActRoleRevoke),
    ("ruleset.activate", Key::AuActRulesetActivate),
    ("session.sign_in", Key::AuActSignIn),
    ("session.sign_in_failed", Key::AuActSignInFailed),
    ("session.sign_out", Key::AuActSignOut),
    ("user.change_password", Key::AuActChangePassword),
    ("user.create", Key::AuActUserCreate),
    ("user.reset_password", Key::AuActResetPassword),
    ("cohort.export", Key::AuActCohortExport),
    ("cohort.export.unmasked", Key::AuActCohortExportUnmasked),
    ("course.restore", Key::AuActCourseRestore),
    ("course.retire", Key::AuActCourseRetire),
    ("import.attendance.commit", Key::AuActImportAttendance),
    ("import.roster.commit", Key::AuActImportRoster),
    ("keys.first_use", Key::AuActKeysFirstUse),
    ("keys.rotated", Key::AuActKeysRotated),
    ("objection.upheld", Key::AuActObjectionUpheld),
    ("objection.dismissed", Key::AuActObjectionDismissed),
    ("profile.education.add", Key::AuActProfileEducationAdd),
    ("profile.employer.add", Key::AuActProfileEmployerAdd),
    ("profile.locality.set", Key::AuActProfileLocalitySet),
    ("profile.title.add", Key::AuActProfileTitleAdd),
    ("record.accept_correction", Key::AuActRecordAcceptCorrection),
    ("record.edit", Key::AuActRecordEdit),
    ("record.refuse_correction", Key::AuActRecordRefuseCorrection),
    ("record.reject", Key::AuActRecordReject),
    (
        "record.request_correction",
        Key::AuActRecordRequestCorrection,
    ),
    ("record.verify", Key::AuActRecordVerify),
    ("ruleset.import", Key::AuActRulesetImport),
    ("ruleset.replace_draft", Key::AuActRulesetReplaceDraft),
    ("user.activate", Key::AuActUserActivate),
    ("user.deactivate", Key::AuActUserDeactivate),
];

const ENTITIES: [(&str, Key); 19] = [
    ("account", Key::AuEntAccount),
    ("application", Key::AuEntApplication),
    ("cohort", Key::AuEntCohort),
    ("cohort_session", Key::AuEntCohortSession),
    ("committee", Key::AuEntCommittee),
    ("course", Key::AuEntCourse),
    ("evidence_file", Key::AuEntEvidenceFile),
    ("import", Key::AuEntImport),
    ("installation", Key::AuEntInstallation),
    ("objection", Key::AuEntObjection),
    ("person", Key::AuEntPerson),
    ("record", Key::AuEntRecord),
    ("review_meeting", Key::AuEntReviewMeeting),
    ("review_session", Key::AuEntReviewSession),
    ("ruleset", Key::AuEntRuleset),
    ("server_key", Key::AuEntServerKey),
    ("training_base", Key::AuEntTrainingBase),
    ("user", Key::AuEntUser),
    ("work_calendar", Key::AuEntWorkCalendar),
];
