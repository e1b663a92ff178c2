// The vote page's encryption (issue 20). Loaded by the vote page only. When a member presses
// yes, no or abstain, the choice is encrypted here, in the browser, under the meeting's public
// key with proofs bound to the meeting, the candidate and the member's tag (the ladder-ballot
// wasm); only the ballot is put into the form, never the choice. The receipt — the ballot's
// SHA-256 — is computed before anything is sent and kept in this browser, so a member whose
// answer was lost still has it.
import init, { encrypt_ballot } from "/pkg/ballot/ladder_ballot.js";

let ready = false;
// The vote buttons are rendered disabled; they work once the encryption has loaded.
function enableButtons() {
  if (!ready) return;
  document.querySelectorAll("button[data-needs-ballot-script][disabled]").forEach((b) => { b.disabled = false; });
}
const loaded = init()
  .then(() => { ready = true; enableButtons(); })
  .catch((e) => {
    console.error("the ballot encryption could not load", e);
    document.querySelectorAll("[data-ballot-missing]").forEach((el) => { el.hidden = false; });
  });

const receiptKey = (meeting, candidate) => `ladder.receipt.${meeting}.${candidate}`;

function showReceipts() {
  document.querySelectorAll("[data-receipt-slot]").forEach((slot) => {
    const r = localStorage.getItem(receiptKey(slot.dataset.meeting, slot.dataset.candidate));
    const code = slot.querySelector("[data-receipt]");
    // Only a change is written: this runs on every change of the page (the observer below),
    // and rewriting the same text would be a change of its own, again and again.
    if (r && code.textContent !== r) code.textContent = r;
    if (r && slot.hidden) slot.hidden = false;
  });
}

// Capture phase: this runs before the page's own handler reads the form.
document.addEventListener("submit", (ev) => {
  const form = ev.target.closest ? ev.target.closest("form[data-choice]") : null;
  const box = form && form.closest("[data-ballot-key]");
  if (!box) return;
  const field = form.querySelector("input[name=ballot]");
  if (field.value) return;
  if (!ready) {
    // Not loaded yet: nothing is sent; the press takes effect once it has.
    ev.preventDefault();
    ev.stopImmediatePropagation();
    loaded.then(() => { if (ready) form.requestSubmit(); });
    return;
  }
  const { meeting, candidate, voter } = {
    meeting: box.dataset.ballotMeeting,
    candidate: box.dataset.ballotCandidate,
    voter: box.dataset.ballotVoter,
  };
  const out = JSON.parse(encrypt_ballot(box.dataset.ballotKey, meeting, candidate, voter, form.dataset.choice));
  field.value = out.ballot;
  try { localStorage.setItem(receiptKey(meeting, candidate), out.receipt); } catch (_) { /* private mode */ }
  showReceipts();
}, true);

showReceipts();
// The list is re-rendered after each vote: show receipts and enable new buttons each time.
new MutationObserver(() => { showReceipts(); enableButtons(); })
  .observe(document.body, { childList: true, subtree: true });
