//! The browser's side (feature `wasm`): the vote page's script calls [`encrypt_ballot`] with
//! the meeting's public key, the context and the member's choice, and sends only the ballot.

use crate::{Choice, Context, MeetingKey, cast};
use wasm_bindgen::prelude::*;

/// Encrypts a choice (`yes`, `no` or `abstain`) and returns `{"ballot": …, "receipt": …}` as
/// JSON: the ballot's wire form to send, and its receipt for the member to keep.
#[wasm_bindgen]
pub fn encrypt_ballot(
    public_key: &str,
    meeting: &str,
    candidate: &str,
    voter: &str,
    choice: &str,
) -> Result<String, JsError> {
    let key = MeetingKey::from_text(public_key).map_err(|e| JsError::new(&e.to_string()))?;
    let number = |s: &str| s.parse::<i64>().map_err(|_| JsError::new("not a number"));
    let ctx = Context {
        meeting: number(meeting)?,
        candidate: number(candidate)?,
        voter,
        key: &key,
    };
    let choice = Choice::parse(choice).ok_or_else(|| JsError::new("not a choice"))?;
    let cast = cast(&ctx, choice, &mut rand_core::OsRng);
    Ok(serde_json::json!({ "ballot": cast.wire, "receipt": cast.receipt }).to_string())
}
