use super::board::{self, Board, Candidate, Method, Posted};
use super::*;
use rand_core::OsRng;

fn key_pair() -> (MeetingSecret, MeetingKey) {
    let secret = MeetingSecret::generate(&mut OsRng);
    let key = secret.public();
    (secret, key)
}

fn ctx<'a>(key: &'a MeetingKey, candidate: i64, voter: &'a str) -> Context<'a> {
    Context {
        meeting: 7,
        candidate,
        voter,
        key,
    }
}

#[test]
fn a_ballot_verifies_in_its_context_and_nowhere_else() {
    let (_, key) = key_pair();
    let (_, other_key) = key_pair();
    for choice in Choice::ALL {
        let cast = cast(&ctx(&key, 3, "v1"), choice, &mut OsRng);
        let ballot = Ballot::from_wire(&cast.wire).unwrap();
        assert_eq!(receipt(&cast.wire), cast.receipt);
        ballot.verify(&ctx(&key, 3, "v1")).unwrap();
        // Copied to another member, candidate, meeting or key, it does not verify.
        assert!(ballot.verify(&ctx(&key, 3, "v2")).is_err());
        assert!(ballot.verify(&ctx(&key, 4, "v1")).is_err());
        let mut moved = ctx(&key, 3, "v1");
        moved.meeting = 8;
        assert!(ballot.verify(&moved).is_err());
        assert!(ballot.verify(&ctx(&other_key, 3, "v1")).is_err());
    }
}

#[test]
fn every_ballot_has_the_same_size_whatever_the_choice() {
    let (_, key) = key_pair();
    let sizes: std::collections::BTreeSet<usize> = (0..5)
        .flat_map(|_| Choice::ALL)
        .map(|c| cast(&ctx(&key, 1, "v"), c, &mut OsRng).wire.len())
        .collect();
    assert_eq!(sizes.len(), 1, "{sizes:?}");
}

#[test]
fn a_ballot_outside_yes_no_abstain_is_refused() {
    // A cheating browser encrypts 3 (or −1) with a proof made for another value: the
    // range proof fails. Forge it by swapping in another ballot's ciphertext.
    let (_, key) = key_pair();
    let c = ctx(&key, 1, "v");
    let a = cast(&c, Choice::Yes, &mut OsRng);
    let b = cast(&c, Choice::No, &mut OsRng);
    let mut forged = a.ballot.clone();
    forged.value = b.ballot.value;
    assert_eq!(forged.verify(&c), Err(BallotError::Range));
    let mut forged = a.ballot.clone();
    forged.square = b.ballot.square;
    assert_eq!(forged.verify(&c), Err(BallotError::Square));
    // Two yes ballots added into one ciphertext would count twice: its proofs fail.
    let mut doubled = a.ballot.clone();
    doubled.value += b.ballot.value;
    assert!(doubled.verify(&c).is_err());
}

#[test]
fn a_non_canonical_or_foreign_wire_form_is_refused() {
    let (_, key) = key_pair();
    let cast = cast(&ctx(&key, 1, "v"), Choice::Abstain, &mut OsRng);
    let spaced = cast.wire.replace(",", ", ");
    assert_eq!(
        Ballot::from_wire(&spaced).unwrap_err(),
        BallotError::NotCanonical
    );
    assert!(matches!(
        Ballot::from_wire("{\"value\":1}"),
        Err(BallotError::Malformed(_))
    ));
    assert!(matches!(
        Ballot::from_wire("yes"),
        Err(BallotError::Malformed(_))
    ));
}

#[test]
fn sums_decrypt_to_the_counts_and_the_opening_verifies_from_the_public_key() {
    let (secret, key) = key_pair();
    // 43 members: 29 yes, 9 no, 5 abstain.
    let choices: Vec<Choice> = (0..43)
        .map(|i| match i {
            0..29 => Choice::Yes,
            29..38 => Choice::No,
            _ => Choice::Abstain,
        })
        .collect();
    let tags: Vec<String> = (0..43).map(|i| format!("voter-{i}")).collect();
    let ballots: Vec<Ballot> = choices
        .iter()
        .zip(&tags)
        .map(|(c, t)| cast(&ctx(&key, 5, t), *c, &mut OsRng).ballot)
        .collect();
    let sums = Sums::of(&ballots);
    assert_eq!(sums.ballots, 43);
    let (opening, counts) = open(&secret, 7, 5, &sums, &mut OsRng).unwrap();
    assert_eq!(
        counts,
        Counts {
            yes: 29,
            no: 9,
            abstain: 5
        }
    );
    assert_eq!(check_opening(&key, 7, 5, &sums, &opening), Ok(counts));
    // Bound to its candidate and key: moved elsewhere it does not verify.
    assert!(check_opening(&key, 7, 6, &sums, &opening).is_err());
    let (_, other) = key_pair();
    assert!(check_opening(&other, 7, 5, &sums, &opening).is_err());
    // A sum with one ballot left out does not match the opening.
    let fewer = Sums::of(&ballots[1..]);
    assert!(check_opening(&key, 7, 5, &fewer, &opening).is_err());
}

#[test]
fn the_secret_survives_its_bytes_and_an_empty_sum_counts_nothing() {
    let (secret, key) = key_pair();
    let again = MeetingSecret::from_bytes(&secret.to_bytes()).unwrap();
    assert_eq!(again.public(), key);
    assert_eq!(MeetingKey::from_text(&key.to_text()).unwrap(), key);
    assert!(MeetingKey::from_text("00").is_err());
    assert!(MeetingSecret::from_bytes(&[1, 2, 3]).is_err());
    let (_, counts) = open(&secret, 1, 1, &Sums::of([]), &mut OsRng).unwrap();
    assert_eq!(counts, Counts::default());
}

#[test]
fn counts_refuse_sums_no_ballots_can_make() {
    assert!(counts(3, 2, 5).is_err());
    assert!(counts(1, 2, 5).is_err());
    assert!(counts(9, 9, 3).is_err());
    assert_eq!(
        counts(3, 5, 4),
        Ok(Counts {
            yes: 2,
            no: 1,
            abstain: 1
        })
    );
}

fn a_board() -> (Board, MeetingSecret) {
    let (secret, key) = key_pair();
    let choices = [Choice::Yes, Choice::Yes, Choice::No, Choice::Abstain];
    let mut ballots: Vec<Posted> = choices
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let voter = format!("tag{i}");
            let cast = cast(&ctx(&key, 2, &voter), *c, &mut OsRng);
            Posted {
                voter,
                receipt: cast.receipt,
                ballot: cast.ballot,
            }
        })
        .collect();
    ballots.sort_by(|a, b| a.receipt.cmp(&b.receipt));
    let sums = Sums::of(ballots.iter().map(|p| &p.ballot));
    let (opening, counts) = open(&secret, 7, 2, &sums, &mut OsRng).unwrap();
    let digest = ballots_digest(7, 2, ballots.iter().map(|p| p.receipt.as_str()));
    let board = Board {
        format: board::FORMAT.into(),
        meeting: 7,
        public_key: key.to_text(),
        candidates: vec![Candidate {
            candidate: 2,
            method: Method::Encrypted,
            attending: 5,
            ballots,
            sums: Some(sums),
            opening: Some(opening),
            counts: Some(counts),
            digest: Some(digest),
        }],
    };
    (board, secret)
}

#[test]
fn a_board_rechecks_whole_and_survives_its_json() {
    let (board, _) = a_board();
    let json = serde_json::to_string(&board).unwrap();
    let read: Board = serde_json::from_str(&json).unwrap();
    let report = board::verify(&read).unwrap();
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(
        report.candidates[0].counts,
        Some(Counts {
            yes: 2,
            no: 1,
            abstain: 1
        })
    );
}

#[test]
fn a_tampered_board_is_caught() {
    // A changed count.
    let (mut board, _) = a_board();
    board.candidates[0].counts = Some(Counts {
        yes: 3,
        no: 0,
        abstain: 1,
    });
    assert!(!board::verify(&board).unwrap().is_clean());
    // A ballot left out: the sums, the opening and the digest no longer agree.
    let (mut board, _) = a_board();
    board.candidates[0].ballots.pop();
    let report = board::verify(&board).unwrap();
    assert!(report.candidates[0].problems.len() >= 2, "{report:?}");
    // A ballot moved to another voter's tag.
    let (mut board, _) = a_board();
    board.candidates[0].ballots[0].voter = "tag9".into();
    assert!(!board::verify(&board).unwrap().is_clean());
    // A wrong receipt.
    let (mut board, _) = a_board();
    board.candidates[0].ballots[1].receipt = "00".repeat(32);
    assert!(!board::verify(&board).unwrap().is_clean());
    // Another key.
    let (mut board, _) = a_board();
    board.public_key = key_pair().1.to_text();
    assert!(!board::verify(&board).unwrap().is_clean());
}
