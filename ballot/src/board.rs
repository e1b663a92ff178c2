//! The bulletin board: everything needed to recheck a meeting's ballots without the server —
//! the public key, each ballot (voter tag, receipt, ciphertexts and proofs; no names, in
//! receipt order), each candidate's encrypted sums, their decryption with its proofs, the
//! counts and the digest the chair certified. [`verify`] redoes every check from the board
//! alone: `ladder ballot verify --board FILE` and the auditor's page both call it.

use crate::{
    Ballot, BallotError, Context, Counts, MeetingKey, Opening, Sums, ballots_digest, check_opening,
    receipt,
};
use serde::{Deserialize, Serialize};

/// The format's name and version, first in every board file.
pub const FORMAT: &str = "ladder.board/1";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Board {
    pub format: String,
    pub meeting: i64,
    /// The meeting's public key (hex).
    pub public_key: String,
    pub candidates: Vec<Candidate>,
}

/// How a candidate's ballot was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Encrypted ballots, their sums decrypted with proofs.
    Encrypted,
    /// Paper ballots counted by the secretariat (no ballots on the board).
    Paper,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    /// The application's number.
    pub candidate: i64,
    pub method: Method,
    /// Members entitled to vote on the candidate (present, not recused).
    pub attending: u32,
    pub ballots: Vec<Posted>,
    /// The sums, once counted.
    pub sums: Option<Sums>,
    pub opening: Option<Opening>,
    /// The certified counts, once counted.
    pub counts: Option<Counts>,
    /// The certified digest of the ballots, once counted.
    pub digest: Option<String>,
}

/// A ballot as posted: the voter's tag (not their name), its receipt and the ballot.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Posted {
    pub voter: String,
    pub receipt: String,
    pub ballot: Ballot,
}

/// What a board check found, per candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub candidate: i64,
    pub method: Method,
    pub ballots: u32,
    /// The counts, when the candidate's ballot was counted and everything checked.
    pub counts: Option<Counts>,
    pub problems: Vec<String>,
}

/// The whole board's check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub meeting: i64,
    pub key_fingerprint: String,
    pub candidates: Vec<Checked>,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.candidates.iter().all(|c| c.problems.is_empty())
    }
}

/// Rechecks every ballot's proofs, every receipt, the sums, their decryption and the counts.
/// An unreadable key is the only error; everything else is reported per candidate.
pub fn verify(board: &Board) -> Result<Report, BallotError> {
    if board.format != FORMAT {
        return Err(BallotError::Malformed(format!(
            "format {} (expected {FORMAT})",
            board.format
        )));
    }
    let key = MeetingKey::from_text(&board.public_key)?;
    let candidates = board
        .candidates
        .iter()
        .map(|c| check_candidate(board.meeting, &key, c))
        .collect();
    Ok(Report {
        meeting: board.meeting,
        key_fingerprint: key.fingerprint(),
        candidates,
    })
}

fn check_candidate(meeting: i64, key: &MeetingKey, c: &Candidate) -> Checked {
    let mut problems = Vec::new();
    let mut voters = std::collections::BTreeSet::new();
    let mut seen = std::collections::BTreeSet::new();
    for p in &c.ballots {
        let wire = p.ballot.to_wire();
        if receipt(&wire) != p.receipt {
            problems.push(format!(
                "ballot {}: the receipt does not match it",
                p.receipt
            ));
        }
        if !voters.insert(p.voter.as_str()) {
            problems.push(format!("voter {} has more than one ballot", p.voter));
        }
        if !seen.insert(p.ballot.ciphertext_id()) {
            problems.push(format!("ballot {} appears twice", p.receipt));
        }
        let ctx = Context {
            meeting,
            candidate: c.candidate,
            voter: &p.voter,
            key,
        };
        if let Err(e) = p.ballot.verify(&ctx) {
            problems.push(format!("ballot {}: {e}", p.receipt));
        }
    }
    let n = u32::try_from(c.ballots.len()).unwrap_or(u32::MAX);
    if n > c.attending {
        problems.push(format!("{n} ballots for {} attending members", c.attending));
    }
    if c.method == Method::Paper && n > 0 {
        problems.push("a candidate counted on paper has online ballots".into());
    }
    let mut counts = None;
    if let (Method::Encrypted, Some(sums), Some(opening)) = (c.method, c.sums, c.opening) {
        let recomputed = Sums::of(c.ballots.iter().map(|p| &p.ballot));
        if recomputed.ballots != sums.ballots
            || recomputed.value.to_bytes() != sums.value.to_bytes()
            || recomputed.square.to_bytes() != sums.square.to_bytes()
        {
            problems.push("the published sums are not the sums of the ballots".into());
        }
        match check_opening(key, meeting, c.candidate, &recomputed, &opening) {
            Ok(k) => {
                if c.counts != Some(k) {
                    problems.push(format!(
                        "the decrypted sums give {} yes, {} no, {} abstain, not the published counts",
                        k.yes, k.no, k.abstain
                    ));
                }
                counts = Some(k);
            }
            Err(e) => problems.push(e.to_string()),
        }
        let digest = ballots_digest(
            meeting,
            c.candidate,
            c.ballots.iter().map(|p| p.receipt.as_str()),
        );
        if c.digest.as_deref() != Some(digest.as_str()) {
            problems.push("the certified digest is not the digest of these ballots".into());
        }
    } else if c.method == Method::Paper {
        counts = c.counts;
    }
    Checked {
        candidate: c.candidate,
        method: c.method,
        ballots: n,
        counts,
        problems,
    }
}
