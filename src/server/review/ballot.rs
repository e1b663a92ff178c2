//! The encrypted ballot's server side (issue 20; the cryptography is `ladder-ballot`).
//!
//! - **The key.** Opening a meeting makes its key pair; the public key is stored as it is
//!   (the vote page and the bulletin board need it), the secret only sealed with the key
//!   file's sealing key, bound to the meeting and the public key. Before the public key is
//!   used — shown on a vote page, accepting a ballot, counting — the sealed secret is opened
//!   and must be exactly that key's secret, so whoever can write to the database cannot swap
//!   in a key of their own.
//! - **A vote.** The member's browser encrypts the choice with proofs bound to the meeting,
//!   the candidate, the member's tag and the key; the server checks the proofs and stores the
//!   ballot with the member's "has voted" row, in one transaction. No counter moves.
//! - **The count.** When every attending member has voted, the chair's certification adds the
//!   candidate's ballots, decrypts only the sums (with proofs), applies the pass rule and
//!   stores counts, sums, proofs and the ballots' digest. Once no candidate of the meeting is
//!   left to count, the sealed secret is deleted and its pages scrubbed: no copy of the
//!   database made afterwards can decrypt a ballot.
//! - **When it goes wrong.** A member's browser cannot encrypt: the secretariat records the
//!   paper ballots' count for that candidate instead (only before any online ballot). The key
//!   is lost (the key file replaced without its retired keys): the meeting's ballot is voided
//!   and a new meeting opened.

use super::{state_of, step};
use crate::api::AppError;
use crate::db::audit::{self, Actor as Who, Change};
use crate::db::ballot::{self as ballots, BallotRow, SealedSecret, TallyRow};
use crate::db::review as store;
use crate::db::{Db, DbError, Tx};
use crate::domain::review::procedure::{Actor, Event, State};
use crate::i18n::Key;
use crate::service::keys::{KeyError, Keyring, Sealed};
use chrono::{DateTime, Utc};
use ladder_ballot::board::{self, Board, Method};
use ladder_ballot::{Ballot, Context, Counts, MeetingKey, MeetingSecret, Opening, Sums};
use rand_core::{OsRng, RngCore};

/// The longest ballot accepted (one is about 900 bytes).
pub const MAX_WIRE: usize = 4096;

/// The associated data a meeting's secret is sealed with.
fn seal_context(meeting: i64, public_key: &str) -> Vec<u8> {
    format!("ladder.ballot-key/1|meeting {meeting}|{public_key}").into_bytes()
}

/// A member's tag in a meeting: 16 random bytes, hex.
pub fn new_voter_tag() -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Makes the meeting's key pair and stores the public key and the sealed secret.
pub async fn create_key(tx: &mut Tx, keys: &Keyring, meeting: i64) -> Result<(), AppError> {
    let secret = MeetingSecret::generate(&mut OsRng);
    let public = secret.public().to_text();
    let bytes = zeroize::Zeroizing::new(secret.to_bytes());
    let sealed = keys.seal(&seal_context(meeting, &public), bytes.as_ref());
    ballots::insert_key(
        tx,
        meeting,
        &public,
        &SealedSecret {
            key_id: sealed.key_id,
            nonce: sealed.nonce,
            sealed: sealed.ciphertext,
        },
    )
    .await?;
    Ok(())
}

/// Why a meeting's key cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyState {
    /// A meeting from before the encrypted ballot: it has no key.
    None,
    /// Counted and erased.
    Erased,
    /// Sealed with a key the key file no longer holds: the ballot must be voided.
    Lost,
    /// The public key and the sealed secret do not belong together: someone wrote to the
    /// database.
    Tampered,
}

impl From<KeyState> for AppError {
    fn from(k: KeyState) -> AppError {
        match k {
            KeyState::None | KeyState::Erased => AppError::Conflict(crate::api::STATE.into()),
            KeyState::Lost => AppError::Refused(Key::ErrBallotKeyLost),
            KeyState::Tampered => AppError::Refused(Key::ErrBallotKeyTampered),
        }
    }
}

/// The meeting's public key, checked against its sealed secret, and the secret.
pub async fn checked_key(
    db: &Db,
    keys: &Keyring,
    meeting: i64,
) -> Result<Result<(MeetingKey, MeetingSecret), KeyState>, AppError> {
    let Some(public) = ballots::public_key(db, meeting).await? else {
        return Ok(Err(KeyState::None));
    };
    let Some(sealed) = ballots::sealed_secret(db, meeting).await? else {
        return Ok(Err(KeyState::Erased));
    };
    let sealed = Sealed {
        key_id: sealed.key_id,
        nonce: sealed.nonce,
        ciphertext: sealed.sealed,
    };
    let opened = match keys.open(&sealed, &seal_context(meeting, &public)) {
        Ok(bytes) => bytes,
        Err(KeyError::UnknownKey(id)) => {
            tracing::error!(meeting, key = %id, "the meeting's key was sealed with a key the key file no longer holds");
            return Ok(Err(KeyState::Lost));
        }
        Err(_) => {
            tracing::error!(
                meeting,
                "the meeting's public key does not match its sealed record"
            );
            return Ok(Err(KeyState::Tampered));
        }
    };
    let key = MeetingKey::from_text(&public);
    let secret = MeetingSecret::from_bytes(&opened);
    match (key, secret) {
        (Ok(key), Ok(secret)) if secret.public() == key => Ok(Ok((key, secret))),
        _ => {
            tracing::error!(
                meeting,
                "the meeting's sealed secret is not its public key's"
            );
            Ok(Err(KeyState::Tampered))
        }
    }
}

/// The public key a member's browser encrypts under, once it has been checked.
pub async fn public_key_for_voting(
    db: &Db,
    keys: &Keyring,
    meeting: i64,
) -> Result<Option<MeetingKey>, AppError> {
    Ok(checked_key(db, keys, meeting).await?.ok().map(|(k, _)| k))
}

/// Checks a ballot's proofs (on the blocking pool: a few milliseconds of curve arithmetic).
async fn verified(
    wire: String,
    meeting: i64,
    candidate: i64,
    tag: String,
    key: MeetingKey,
) -> Result<Ballot, AppError> {
    tokio::task::spawn_blocking(move || {
        let ballot = Ballot::from_wire(&wire)?;
        ballot.verify(&Context {
            meeting,
            candidate,
            voter: &tag,
            key: &key,
        })?;
        Ok::<_, ladder_ballot::BallotError>(ballot)
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "ballot check did not finish");
        AppError::Internal
    })?
    .map_err(|e| {
        tracing::info!(error = %e, meeting, candidate, "ballot refused");
        AppError::invalid("ballot", Key::ErrBallotInvalid)
    })
}

/// Stores a member's checked ballot with their "has voted" row and the audit row (which names
/// the member and never the choice); returns the receipt.
#[allow(clippy::too_many_arguments)]
pub async fn cast(
    db: &Db,
    keys: &Keyring,
    who: &Who,
    user: i64,
    application: i64,
    tally: &TallyRow,
    wire: &str,
    at: DateTime<Utc>,
) -> Result<String, AppError> {
    match tally.method.as_str() {
        "encrypted" if !tally.counted => {}
        "paper" => return Err(AppError::Refused(Key::ErrBallotOnPaper)),
        _ => return Err(AppError::Conflict(crate::api::STATE.into())),
    }
    let meeting = tally.meeting_id;
    let tag = ballots::voter_tag(db, meeting, user)
        .await?
        .ok_or(AppError::NotFound)?;
    let key = match checked_key(db, keys, meeting).await? {
        Ok((key, _)) => key,
        Err(state) => return Err(state.into()),
    };
    let ballot = verified(wire.to_string(), meeting, application, tag.clone(), key).await?;
    let receipt = ladder_ballot::receipt(wire);
    let mut tx = db.begin_write().await?;
    if !ballots::mark_voted(&mut tx, meeting, application, user).await? {
        return Err(AppError::Refused(Key::ErrAlreadyVoted));
    }
    let row = BallotRow {
        receipt: receipt.clone(),
        voter_tag: tag,
        ballot: wire.to_string(),
    };
    match ballots::insert_ballot(&mut tx, meeting, application, &row, &ballot.ciphertext_id()).await
    {
        Ok(()) => {}
        // The same ciphertext again (a replayed ballot): refused, whoever sends it.
        Err(DbError::Conflict { .. }) => return Err(AppError::Refused(Key::ErrBallotReplayed)),
        Err(e) => return Err(e.into()),
    }
    audit::append(
        &mut tx,
        at,
        who,
        Change {
            action: "review.ballot.voted",
            entity_type: "application",
            entity_id: application.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(receipt)
}

/// A candidate's counted ballot: the counts, and (encrypted) the sums, opening and digest.
pub struct Counted {
    pub counts: Counts,
    pub digest: String,
    pub sums: Option<String>,
    pub opening: Option<String>,
}

/// Counts a candidate's encrypted ballot: every ballot's proofs checked again (a row written
/// into the database by hand is refused here too), the ballots added, and only the sums
/// decrypted, with proofs.
pub async fn count(
    db: &Db,
    keys: &Keyring,
    meeting: i64,
    application: i64,
) -> Result<Counted, AppError> {
    let (key, secret) = match checked_key(db, keys, meeting).await? {
        Ok(k) => k,
        Err(state) => return Err(state.into()),
    };
    let rows = ballots::ballots(db, meeting, application).await?;
    let counted = tokio::task::spawn_blocking(move || {
        let mut list = Vec::with_capacity(rows.len());
        for row in &rows {
            let ballot = Ballot::from_wire(&row.ballot)?;
            ballot.verify(&Context {
                meeting,
                candidate: application,
                voter: &row.voter_tag,
                key: &key,
            })?;
            if ladder_ballot::receipt(&row.ballot) != row.receipt {
                return Err(ladder_ballot::BallotError::NotCanonical);
            }
            list.push(ballot);
        }
        let sums = Sums::of(&list);
        let (opening, counts) =
            ladder_ballot::open(&secret, meeting, application, &sums, &mut OsRng)?;
        let digest = ladder_ballot::ballots_digest(
            meeting,
            application,
            rows.iter().map(|r| r.receipt.as_str()),
        );
        Ok::<_, ladder_ballot::BallotError>(Counted {
            counts,
            digest,
            sums: Some(serde_json::to_string(&sums).unwrap_or_default()),
            opening: Some(serde_json::to_string(&opening).unwrap_or_default()),
        })
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "the count did not finish");
        AppError::Internal
    })?;
    counted.map_err(|e| {
        // Every ballot was checked when it was cast: one that fails now was written into the
        // database some other way.
        tracing::error!(error = %e, meeting, application, "a stored ballot does not verify");
        AppError::Refused(Key::ErrBallotStoredInvalid)
    })
}

/// Deletes the meeting's sealed secret once no candidate of it is left to count, and scrubs
/// the database's pages of it. Returns whether it was erased now.
pub async fn erase_if_done(db: &Db, meeting: i64, at: DateTime<Utc>) -> Result<bool, AppError> {
    let open = ballots::tallies(db, meeting)
        .await?
        .iter()
        .any(|(_, t)| t.method == "encrypted" && !t.counted);
    if open {
        return Ok(false);
    }
    erase(db, meeting, "counted", at).await
}

async fn erase(db: &Db, meeting: i64, why: &str, at: DateTime<Utc>) -> Result<bool, AppError> {
    let mut tx = db.begin_write().await?;
    if !ballots::delete_secret(&mut tx, meeting).await? {
        return Ok(false);
    }
    audit::append(
        &mut tx,
        at,
        &Who::system("ballot"),
        Change {
            action: "review.ballot.key_erased",
            entity_type: "review_meeting",
            entity_id: meeting.to_string(),
            before: None,
            after: Some(why.to_string()),
        },
    )
    .await?;
    tx.commit().await?;
    // Outside the transaction: no page of the database's files keeps the deleted secret.
    if let Err(e) = ballots::scrub_secrets(db).await {
        tracing::warn!(error = %e, meeting, "the erased meeting key's pages could not be scrubbed yet; they are at the next erase");
    }
    Ok(true)
}

/// The secretariat records the count of paper ballots for a candidate whose members could not
/// vote online: only before any online ballot for them, and for every attending member.
#[allow(clippy::too_many_arguments)]
pub async fn record_paper(
    db: &Db,
    who: &Who,
    may: impl Fn(i64) -> bool,
    application: i64,
    counts: Counts,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let app = store::application(db, application)
        .await?
        .filter(|a| may(a.committee_id))
        .ok_or(AppError::NotFound)?;
    if state_of(&app)? != State::Voting {
        return Err(AppError::Conflict(crate::api::STATE.into()));
    }
    let tally = ballots::tally(db, application)
        .await?
        .ok_or(AppError::NotFound)?;
    if tally.counted || tally.method != "encrypted" {
        return Err(AppError::Conflict(crate::api::STATE.into()));
    }
    if ballots::voted(db, tally.meeting_id, application).await? > 0 {
        return Err(AppError::Refused(Key::ErrPaperAfterOnline));
    }
    let n = i64::from(counts.yes) + i64::from(counts.no) + i64::from(counts.abstain);
    if n != i64::from(tally.attending) {
        return Err(AppError::invalid("yes", Key::ErrPaperCountMismatch));
    }
    let c =
        |v: u32| i32::try_from(v).map_err(|_| AppError::invalid("yes", Key::ErrPaperCountMismatch));
    let mut tx = db.begin_write().await?;
    if !ballots::record_counts(
        &mut tx,
        tally.meeting_id,
        application,
        "paper",
        (c(counts.yes)?, c(counts.no)?, c(counts.abstain)?),
        "paper",
        None,
        None,
    )
    .await?
    {
        return Err(AppError::Conflict(crate::api::STATE.into()));
    }
    audit::append(
        &mut tx,
        at,
        who,
        Change {
            action: "review.ballot.paper_counted",
            entity_type: "application",
            entity_id: application.to_string(),
            before: None,
            after: Some(format!(
                "yes {} no {} abstain {} of {} attending",
                counts.yes, counts.no, counts.abstain, tally.attending
            )),
        },
    )
    .await?;
    tx.commit().await?;
    erase_if_done(db, tally.meeting_id, at).await?;
    Ok(())
}

/// Voids the session's open meeting: every candidate still being voted on goes back to
/// awaiting the vote (a new meeting is then opened), its key is erased and its ballots stay,
/// undecryptable, for the record.
pub async fn void(
    db: &Db,
    who: &Who,
    may: impl Fn(i64) -> bool,
    session_id: i64,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid("reason", Key::ErrRequired));
    }
    let s = store::session(db, session_id)
        .await?
        .filter(|s| may(s.committee_id))
        .ok_or(AppError::NotFound)?;
    let meeting = ballots::meetings(db, s.id)
        .await?
        .into_iter()
        .next()
        .filter(|m| m.voided_at.is_none())
        .ok_or(AppError::Conflict(crate::api::STATE.into()))?;
    void_meeting(db, who, Actor::Secretariat, meeting.id, reason, at).await
}

async fn void_meeting(
    db: &Db,
    who: &Who,
    actor: Actor,
    meeting: i64,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let tallies = ballots::tallies(db, meeting).await?;
    let mut tx = db.begin_write().await?;
    let mut voided = 0;
    for (application, tally) in &tallies {
        let Some(mut app) = store::application(db, *application).await? else {
            continue;
        };
        // Counted candidates keep their result; the others wait for the new meeting.
        if tally.counted || state_of(&app)? != State::Voting {
            continue;
        }
        step(
            &mut tx,
            &mut app,
            &Event::BallotVoided {
                reason: reason.to_string(),
            },
            actor,
            who,
            at,
        )
        .await?;
        voided += 1;
    }
    if voided == 0 {
        return Err(AppError::Conflict(crate::api::STATE.into()));
    }
    ballots::void_meeting(&mut tx, meeting, reason, at).await?;
    audit::append(
        &mut tx,
        at,
        who,
        Change {
            action: "review.ballot.voided",
            entity_type: "review_meeting",
            entity_id: meeting.to_string(),
            before: None,
            after: Some(reason.to_string()),
        },
    )
    .await?;
    tx.commit().await?;
    erase(db, meeting, "voided", at).await?;
    Ok(())
}

/// At start-up: a meeting whose candidates were being voted on with the running counter of
/// before the encrypted ballot is voided, so it is opened again with the new ballot. Returns
/// how many were voided.
pub async fn void_open_counter_meetings(db: &Db, at: DateTime<Utc>) -> Result<usize, AppError> {
    let mut meetings = std::collections::BTreeSet::new();
    for row in store::applications_in_state(db, State::Voting.code()).await? {
        if let Some(t) = ballots::tally(db, row.id).await?
            && t.method == "counter"
        {
            meetings.insert(t.meeting_id);
        }
    }
    for m in &meetings {
        void_meeting(
            db,
            &Who::system("upgrade"),
            Actor::Clock,
            *m,
            "the secret ballot became end-to-end verifiable during this meeting: vote again",
            at,
        )
        .await?;
    }
    Ok(meetings.len())
}

/// The meeting's bulletin board: its key, each candidate's ballots (tags, receipts, ballots),
/// and once counted the sums, their opening, the counts and the digest.
pub async fn board(db: &Db, meeting: i64) -> Result<Option<Board>, AppError> {
    let Some(public_key) = ballots::public_key(db, meeting).await? else {
        return Ok(None);
    };
    let mut candidates = Vec::new();
    for (application, t) in ballots::tallies(db, meeting).await? {
        let method = match t.method.as_str() {
            "paper" => Method::Paper,
            _ => Method::Encrypted,
        };
        let mut posted = Vec::new();
        for row in ballots::ballots(db, meeting, application).await? {
            let ballot = Ballot::from_wire(&row.ballot).map_err(|e| {
                tracing::error!(error = %e, meeting, application, "a stored ballot cannot be read");
                AppError::Internal
            })?;
            posted.push(board::Posted {
                voter: row.voter_tag,
                receipt: row.receipt,
                ballot,
            });
        }
        let sums: Option<Sums> = parsed(&t.sums, meeting, application)?;
        let opening: Option<Opening> = parsed(&t.opening, meeting, application)?;
        let n = |v: i32| u32::try_from(v).unwrap_or(0);
        candidates.push(board::Candidate {
            candidate: application,
            method,
            attending: n(t.attending),
            ballots: posted,
            sums,
            opening,
            counts: t.counted.then(|| Counts {
                yes: n(t.yes),
                no: n(t.no),
                abstain: n(t.abstain),
            }),
            digest: (t.counted && method == Method::Encrypted).then(|| t.digest.clone()),
        });
    }
    Ok(Some(Board {
        format: board::FORMAT.into(),
        meeting,
        public_key,
        candidates,
    }))
}

fn parsed<T: serde::de::DeserializeOwned>(
    text: &Option<String>,
    meeting: i64,
    application: i64,
) -> Result<Option<T>, AppError> {
    text.as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| {
            tracing::error!(error = %e, meeting, application, "stored sums or opening cannot be read");
            AppError::Internal
        })
}

/// `ladder check`'s part: every meeting's board rechecked (each counted encrypted ballot's
/// proofs, sums, decryption and counts), and every stored tally compared with the one the
/// audit log certified (the newest certification of each application).
pub async fn check(db: &Db, report: &mut crate::db::check::CheckReport) -> Result<(), AppError> {
    use super::meeting::Certified;
    let mut meetings = std::collections::BTreeSet::new();
    let mut tallies = Vec::new();
    for row in crate::db::check::tally_keys(db).await? {
        meetings.insert(row.0);
        tallies.push(row);
    }
    for meeting in meetings {
        let Some(b) = board(db, meeting).await? else {
            continue;
        };
        let checked = tokio::task::spawn_blocking(move || ladder_ballot::board::verify(&b))
            .await
            .map_err(|_| AppError::Internal)?;
        match checked {
            Ok(r) => {
                for c in r.candidates {
                    for p in c.problems {
                        report.found(
                            "ballots",
                            format!("meeting {meeting}, application {}: {p}", c.candidate),
                        );
                    }
                }
            }
            Err(e) => report.found("ballots", format!("meeting {meeting}: {e}")),
        }
    }
    let certified = crate::db::check::certifications(db).await?;
    for (meeting, application, t) in tallies {
        // Not certified yet (a paper count waits for the chair).
        if !t.counted || state_voting(db, application).await? {
            continue;
        }
        let Some(text) = certified.get(&application) else {
            continue;
        };
        let Some(c) = Certified::parse(text) else {
            report.found(
                "ballots",
                format!(
                    "application {application}: its certification in the audit log cannot be read"
                ),
            );
            continue;
        };
        if c.meeting != 0 && c.meeting != meeting {
            continue;
        }
        let stored = (
            u32::try_from(t.yes).unwrap_or(u32::MAX),
            u32::try_from(t.no).unwrap_or(u32::MAX),
            u32::try_from(t.abstain).unwrap_or(u32::MAX),
        );
        if stored != (c.yes, c.no, c.abstain) || t.digest != c.digest {
            report.found(
                "ballots",
                format!(
                    "meeting {meeting}, application {application}: the stored tally (yes {} no {} abstain {}) is not the certified one (yes {} no {} abstain {})",
                    stored.0, stored.1, stored.2, c.yes, c.no, c.abstain
                ),
            );
        }
    }
    Ok(())
}

async fn state_voting(db: &Db, application: i64) -> Result<bool, AppError> {
    Ok(match store::application(db, application).await? {
        Some(a) => state_of(&a)? == State::Voting,
        None => false,
    })
}
