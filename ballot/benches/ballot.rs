//! The secret ballot's cost for a committee of 43 (issue 20): a member's encryption with its
//! proofs (native here; `bench/ballot-wasm.mjs` times the wasm the vote page loads), the
//! server's check of one ballot as it arrives, and the count at close — the 43 ciphertexts
//! added, the sums decrypted with a proof and that proof checked.
//! Run: `cargo bench -p ladder-ballot`.

use ladder_ballot::{
    Ballot, Choice, Context, MeetingKey, MeetingSecret, Sums, cast, check_opening, open,
};
use rand_core::OsRng;

const MEMBERS: usize = 43;
const MEETING: i64 = 7;
const CANDIDATE: i64 = 11;

fn main() {
    divan::main();
}

fn tag(i: usize) -> String {
    format!("{i:032x}")
}

fn choice(i: usize) -> Choice {
    [Choice::Yes, Choice::No, Choice::Abstain][i % 3]
}

/// The context a member's ballot is bound to.
fn ctx<'a>(voter: &'a str, key: &'a MeetingKey) -> Context<'a> {
    Context {
        meeting: MEETING,
        candidate: CANDIDATE,
        voter,
        key,
    }
}

/// A meeting's key and 43 members' ballots, as wire text.
fn meeting() -> (MeetingSecret, Vec<String>) {
    let secret = MeetingSecret::generate(&mut OsRng);
    let key = secret.public();
    let wires = (0..MEMBERS)
        .map(|i| {
            let voter = tag(i);
            cast(&ctx(&voter, &key), choice(i), &mut OsRng).wire
        })
        .collect();
    (secret, wires)
}

/// One member's ballot: Enc(v), Enc(v²), the range proof and the sum-of-squares proof.
#[divan::bench]
fn encrypt_one_ballot(bencher: divan::Bencher) {
    let key = MeetingSecret::generate(&mut OsRng).public();
    let voter = tag(0);
    bencher.bench(|| cast(&ctx(&voter, &key), Choice::No, &mut OsRng));
}

/// The server, as a ballot arrives: parse the wire form and check both proofs in context.
#[divan::bench]
fn check_one_ballot(bencher: divan::Bencher) {
    let (secret, wires) = meeting();
    let key = secret.public();
    let voter = tag(0);
    bencher.bench(|| {
        let ballot = Ballot::from_wire(&wires[0]).expect("canonical");
        ballot.verify(&ctx(&voter, &key)).expect("valid")
    });
}

/// Close: the 43 ballots added, the sums decrypted with a proof (and the discrete logs looked
/// up), the opening checked as the board's verifier does.
#[divan::bench]
fn count_43_ballots(bencher: divan::Bencher) {
    let (secret, wires) = meeting();
    let key = secret.public();
    let ballots: Vec<Ballot> = wires
        .iter()
        .map(|w| Ballot::from_wire(w).expect("canonical"))
        .collect();
    bencher.bench(|| {
        let sums = Sums::of(&ballots);
        let (opening, counts) =
            open(&secret, MEETING, CANDIDATE, &sums, &mut OsRng).expect("opens");
        let checked = check_opening(&key, MEETING, CANDIDATE, &sums, &opening).expect("checks");
        assert_eq!(checked, counts);
        counts
    });
}
