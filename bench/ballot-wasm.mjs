// The vote page's encryption, timed in V8 (Chromium's JavaScript engine) with the very wasm the
// page loads: 43 members' ballots, one after another, repeated; prints the median per ballot.
// Run after scripts/build.sh: `node bench/ballot-wasm.mjs` (issue 20; bench/RESULTS.md).
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const pkg = new URL("../target/site/pkg/ballot/", import.meta.url);
const { default: init, encrypt_ballot } = await import(new URL("ladder_ballot.js", pkg));
await init({ module_or_path: readFileSync(new URL("ladder_ballot_bg.wasm", pkg)) });

// Any valid meeting key will do for timing: Ristretto255's base point.
const KEY = "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76";
const MEMBERS = 43;
const ROUNDS = 7;
const choices = ["yes", "no", "abstain"];

const vote = (i) => JSON.parse(encrypt_ballot(KEY, "7", "11", i.toString(16).padStart(32, "0"), choices[i % 3]));
vote(0); // warm-up: the first call compiles
const perBallot = [];
for (let r = 0; r < ROUNDS; r++) {
  const start = performance.now();
  for (let i = 0; i < MEMBERS; i++) {
    const out = vote(i);
    if (!/^[0-9a-f]{64}$/.test(out.receipt)) throw new Error("no receipt");
  }
  perBallot.push((performance.now() - start) / MEMBERS);
}
perBallot.sort((a, b) => a - b);
const median = perBallot[Math.floor(ROUNDS / 2)];
const wasm = readFileSync(new URL("ladder_ballot_bg.wasm", pkg)).length;
console.log(`ballot wasm ${wasm} bytes; ${MEMBERS} ballots x ${ROUNDS} rounds in node ${process.version}`);
console.log(`encrypt one ballot (wasm, V8): median ${median.toFixed(2)} ms, min ${perBallot[0].toFixed(2)} ms, max ${perBallot[ROUNDS - 1].toFixed(2)} ms`);
