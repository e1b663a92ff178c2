//! Ladder's secret ballot (domain.md §6.2, the Helios model): a committee member's yes / no /
//! abstain is encrypted in their browser under the meeting's public key, with zero-knowledge
//! proofs that it is exactly one of the three; the server checks the proofs and stores the
//! ciphertext; at close only each candidate's homomorphic sum is decrypted, with a proof that
//! the decryption is correct; anyone holding the bulletin board rechecks all of it.
//!
//! Every piece of cryptography comes from `elastic-elgamal` (ElGamal on Ristretto255 and its
//! proofs); this crate only chooses the encoding and the transcripts.
//!
//! **The encoding.** A choice is a number `v` — 0 yes, 1 no, 2 abstain — encrypted twice: as
//! `Enc(v)` with a [`RangeProof`] that `v ∈ [0, 3)`, and as `Enc(v²)` with a
//! [`SumOfSquaresProof`] that the second holds the square of the first (the two proofs the
//! library's own quadratic-voting ballot is built from). Over `n` ballots the sums are
//! `Σv = no + 2·abstain` and `Σv² = no + 4·abstain`, so the two decrypted sums and `n` give all
//! three counts, and no single ballot is ever decrypted.
//!
//! **The binding.** Both proofs are made on one Fiat–Shamir transcript that starts with the
//! meeting, the candidate, the voter's tag and the public key ([`Context`]), so a ballot copied
//! to another member, another candidate or another meeting does not verify. (The library's
//! `EncryptedChoice` would give a one-of-n choice too, but its transcripts are fixed inside the
//! library and its ring-proof verifier is private, so it cannot carry this context; its
//! `RangeProof` and `SumOfSquaresProof` take the caller's transcript.)

use elastic_elgamal::group::{Ristretto, ScalarOps};
use elastic_elgamal::{
    CandidateDecryption, Ciphertext, CiphertextWithValue, DiscreteLogTable, Keypair,
    LogEqualityProof, PreparedRange, PublicKey, RangeDecomposition, RangeProof, SecretKey,
    SumOfSquaresProof, VerifiableDecryption,
};
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[cfg(feature = "wasm")]
mod wasm;

pub mod board;

/// The group: Ristretto255 (curve25519-dalek underneath).
type G = Ristretto;

/// The number of choices: yes, no, abstain.
const CHOICES: u64 = 3;

/// A member's choice on one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Choice {
    Yes,
    No,
    Abstain,
}

impl Choice {
    pub const ALL: [Choice; 3] = [Choice::Yes, Choice::No, Choice::Abstain];

    /// The number a choice is encrypted as.
    fn value(self) -> u64 {
        match self {
            Choice::Yes => 0,
            Choice::No => 1,
            Choice::Abstain => 2,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Choice::Yes => "yes",
            Choice::No => "no",
            Choice::Abstain => "abstain",
        }
    }

    pub fn parse(code: &str) -> Option<Choice> {
        Choice::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// What can be wrong with a ballot, a key, a sum's decryption or a board.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BallotError {
    #[error("the ballot is not a ballot: {0}")]
    Malformed(String),
    #[error("the ballot is not written in its one canonical form")]
    NotCanonical,
    #[error("the ballot's range proof does not verify for this meeting, candidate, voter and key")]
    Range,
    #[error("the ballot's square proof does not verify for this meeting, candidate, voter and key")]
    Square,
    #[error("not a meeting public key")]
    Key,
    #[error("not a meeting secret key")]
    Secret,
    #[error("the decryption proof of the {0} sum does not verify")]
    Decryption(&'static str),
    #[error("the decrypted {0} sum is outside what {1} ballots can add up to")]
    OutOfRange(&'static str, u32),
    #[error("the decrypted sums do not make whole counts for {0} ballots")]
    Inconsistent(u32),
}

/// The meeting's public key, which members encrypt their choices under.
#[derive(Clone, PartialEq)]
pub struct MeetingKey(PublicKey<G>);

impl std::fmt::Debug for MeetingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MeetingKey({})", self.to_text())
    }
}

impl MeetingKey {
    /// The key as 64 hex digits (its compressed Ristretto point).
    pub fn to_text(&self) -> String {
        hex::encode(self.0.as_bytes())
    }

    pub fn from_text(text: &str) -> Result<MeetingKey, BallotError> {
        let bytes = hex::decode(text.trim()).map_err(|_| BallotError::Key)?;
        let key = PublicKey::from_bytes(&bytes).map_err(|_| BallotError::Key)?;
        Ok(MeetingKey(key))
    }

    /// A short fingerprint to read aloud or print: the first 16 hex digits of SHA-256.
    pub fn fingerprint(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))[..16].to_string()
    }
}

/// The meeting's key pair. Only the server holds it, sealed; it is erased once every sum of
/// the meeting is decrypted.
pub struct MeetingSecret(Keypair<G>);

impl MeetingSecret {
    pub fn generate<R: CryptoRng + RngCore>(rng: &mut R) -> MeetingSecret {
        MeetingSecret(Keypair::generate(rng))
    }

    pub fn public(&self) -> MeetingKey {
        MeetingKey(self.0.public().clone())
    }

    /// The secret scalar's 32 bytes, to be sealed (the caller zeroes them after use).
    pub fn to_bytes(&self) -> [u8; 32] {
        let mut bytes = [0u8; 32];
        G::serialize_scalar(self.0.secret().expose_scalar(), &mut bytes);
        bytes
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<MeetingSecret, BallotError> {
        let secret = SecretKey::<G>::from_bytes(bytes).ok_or(BallotError::Secret)?;
        Ok(MeetingSecret(Keypair::from(secret)))
    }
}

/// Who votes on what, under which key: the start of every proof's transcript.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub meeting: i64,
    pub candidate: i64,
    /// The voter's tag in this meeting (not their name).
    pub voter: &'a str,
    pub key: &'a MeetingKey,
}

impl Context<'_> {
    fn transcript(&self) -> Transcript {
        let mut t = Transcript::new(b"ladder.ballot/1");
        t.append_message(b"meeting", &self.meeting.to_be_bytes());
        t.append_message(b"candidate", &self.candidate.to_be_bytes());
        t.append_message(b"voter", self.voter.as_bytes());
        t.append_message(b"key", self.key.0.as_bytes());
        t
    }
}

fn range() -> PreparedRange<G> {
    PreparedRange::from(RangeDecomposition::optimal(CHOICES))
}

/// One encrypted choice with its proofs. Its JSON form ([`Ballot::to_wire`]) is what is sent,
/// stored, hashed into the receipt and published on the board.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ballot {
    /// `Enc(v)`: 0 yes, 1 no, 2 abstain.
    value: Ciphertext<G>,
    /// `Enc(v²)`.
    square: Ciphertext<G>,
    /// `v ∈ [0, 3)`.
    range: RangeProof<G>,
    /// `square` holds the square of `value`.
    squares: SumOfSquaresProof<G>,
}

impl std::fmt::Debug for Ballot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Ballot({})", receipt(&self.to_wire()))
    }
}

/// A ballot as cast: its wire form and receipt, computed before it is sent.
#[derive(Debug, Clone)]
pub struct Cast {
    pub ballot: Ballot,
    pub wire: String,
    pub receipt: String,
}

/// Encrypts `choice` for the context's candidate under its meeting key.
pub fn cast<R: CryptoRng + RngCore>(ctx: &Context<'_>, choice: Choice, rng: &mut R) -> Cast {
    let key = &ctx.key.0;
    let v = choice.value();
    let mut t = ctx.transcript();
    let (value, range_proof) = RangeProof::new(key, &range(), v, &mut t, rng);
    let value = value.generalize();
    let square = CiphertextWithValue::new(v * v, key, rng).generalize();
    let squares = SumOfSquaresProof::new(std::iter::once(&value), &square, key, &mut t, rng);
    let ballot = Ballot {
        value: *value.inner(),
        square: *square.inner(),
        range: range_proof,
        squares,
    };
    let wire = ballot.to_wire();
    Cast {
        receipt: receipt(&wire),
        ballot,
        wire,
    }
}

/// The receipt of a ballot: SHA-256 of its wire form, in hex.
pub fn receipt(wire: &str) -> String {
    hex::encode(Sha256::digest(wire.as_bytes()))
}

impl Ballot {
    /// The canonical JSON form.
    pub fn to_wire(&self) -> String {
        serde_json::to_string(self).expect("a ballot always serialises")
    }

    /// Reads a ballot from its wire form, which must be canonical (so its receipt is unique).
    pub fn from_wire(wire: &str) -> Result<Ballot, BallotError> {
        let ballot: Ballot =
            serde_json::from_str(wire).map_err(|e| BallotError::Malformed(e.to_string()))?;
        if ballot.to_wire() != wire {
            return Err(BallotError::NotCanonical);
        }
        Ok(ballot)
    }

    /// Checks both proofs against the context: the ballot holds exactly one of the three
    /// choices, for this meeting, candidate, voter and key.
    pub fn verify(&self, ctx: &Context<'_>) -> Result<(), BallotError> {
        let key = &ctx.key.0;
        let mut t = ctx.transcript();
        self.range
            .verify(key, &range(), self.value, &mut t)
            .map_err(|_| BallotError::Range)?;
        self.squares
            .verify(std::iter::once(&self.value), &self.square, key, &mut t)
            .map_err(|_| BallotError::Square)?;
        Ok(())
    }

    /// The first ciphertext's bytes in hex: two ballots with the same one are the same ballot.
    pub fn ciphertext_id(&self) -> String {
        hex::encode(self.value.to_bytes())
    }
}

/// A candidate's encrypted sums: what is decrypted at close.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Sums {
    value: Ciphertext<G>,
    square: Ciphertext<G>,
    /// How many ballots were added.
    pub ballots: u32,
}

impl Sums {
    /// Adds the ballots homomorphically (their proofs must have been checked).
    pub fn of<'a>(ballots: impl IntoIterator<Item = &'a Ballot>) -> Sums {
        let mut sums = Sums {
            value: Ciphertext::zero(),
            square: Ciphertext::zero(),
            ballots: 0,
        };
        for b in ballots {
            sums.value += b.value;
            sums.square += b.square;
            sums.ballots += 1;
        }
        sums
    }
}

/// The three counts of a candidate's ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counts {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
}

/// One decrypted sum: the decryption share and the proof that it was made with the meeting's
/// secret key.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Part {
    share: CandidateDecryption<G>,
    proof: LogEqualityProof<G>,
}

/// Both sums decrypted, with their proofs.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Opening {
    value: Part,
    square: Part,
}

fn tally_transcript(meeting: i64, candidate: i64, key: &MeetingKey, part: &str) -> Transcript {
    let mut t = Transcript::new(b"ladder.tally/1");
    t.append_message(b"meeting", &meeting.to_be_bytes());
    t.append_message(b"candidate", &candidate.to_be_bytes());
    t.append_message(b"key", key.0.as_bytes());
    t.append_message(b"part", part.as_bytes());
    t
}

/// Decrypts a candidate's sums with the meeting's secret, proving each decryption; returns the
/// opening to publish and the counts.
pub fn open<R: CryptoRng + RngCore>(
    secret: &MeetingSecret,
    meeting: i64,
    candidate: i64,
    sums: &Sums,
    rng: &mut R,
) -> Result<(Opening, Counts), BallotError> {
    let key = secret.public();
    let mut part = |name: &str, c: Ciphertext<G>| {
        let mut t = tally_transcript(meeting, candidate, &key, name);
        let (share, proof) = VerifiableDecryption::new(c, &secret.0, &mut t, rng);
        Part {
            share: share.into(),
            proof,
        }
    };
    let opening = Opening {
        value: part("value", sums.value),
        square: part("square", sums.square),
    };
    let counts = check_opening(&key, meeting, candidate, sums, &opening)?;
    Ok((opening, counts))
}

/// Checks an opening against the sums and the public key alone, and gives the counts.
pub fn check_opening(
    key: &MeetingKey,
    meeting: i64,
    candidate: i64,
    sums: &Sums,
    opening: &Opening,
) -> Result<Counts, BallotError> {
    let n = sums.ballots;
    let table = DiscreteLogTable::<G>::new(0..=4 * u64::from(n));
    let decrypt = |name: &'static str, part: &Part, c: Ciphertext<G>| {
        let mut t = tally_transcript(meeting, candidate, key, name);
        let d = part
            .share
            .verify(c, &key.0, &part.proof, &mut t)
            .map_err(|_| BallotError::Decryption(name))?;
        d.decrypt(c, &table).ok_or(BallotError::OutOfRange(name, n))
    };
    let s1 = decrypt("value", &opening.value, sums.value)?;
    let s2 = decrypt("square", &opening.square, sums.square)?;
    counts(s1, s2, n)
}

/// `Σv = no + 2·abstain`, `Σv² = no + 4·abstain`, and the rest said yes.
fn counts(s1: u64, s2: u64, n: u32) -> Result<Counts, BallotError> {
    let bad = || BallotError::Inconsistent(n);
    let twice_abstain = s2.checked_sub(s1).ok_or_else(bad)?;
    if twice_abstain % 2 != 0 {
        return Err(bad());
    }
    let abstain = twice_abstain / 2;
    let no = s1.checked_sub(2 * abstain).ok_or_else(bad)?;
    let yes = u64::from(n).checked_sub(no + abstain).ok_or_else(bad)?;
    let c = |x: u64| u32::try_from(x).map_err(|_| bad());
    Ok(Counts {
        yes: c(yes)?,
        no: c(no)?,
        abstain: c(abstain)?,
    })
}

/// The digest of a candidate's ballots: SHA-256 over the meeting, the candidate and the
/// receipts in sorted order (so it does not depend on the order they were cast in).
pub fn ballots_digest<'a>(
    meeting: i64,
    candidate: i64,
    receipts: impl IntoIterator<Item = &'a str>,
) -> String {
    let mut sorted: Vec<&str> = receipts.into_iter().collect();
    sorted.sort_unstable();
    let mut h = Sha256::new();
    h.update(format!("ladder.ballots/1|meeting {meeting}|candidate {candidate}").as_bytes());
    for r in sorted {
        h.update(b"|");
        h.update(r.as_bytes());
    }
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests;
