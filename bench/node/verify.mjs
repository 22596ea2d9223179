// Verifies every token of a file (one a line) with aws-jwt-verify's
// CognitoJwtVerifier, JWKS given offline with cacheJwks, verifySync: the
// reference that scripts/bench.sh compares `cogtool verify --batch` with.
//
// Usage: node verify.mjs TOKENS_FILE JWKS_FILE USER_POOL_ID CLIENT_ID
//
// Prints "bench: loop_ms=N" (the verification loop alone, start-up and
// file reading excluded) and the counts to stderr; exits 1 if any token
// was rejected, so a broken setup cannot pass for a fast one.
import { readFileSync } from "node:fs";
import { CognitoJwtVerifier } from "aws-jwt-verify";

const [tokensFile, jwksFile, userPoolId, clientId] = process.argv.slice(2);
if (!clientId) {
  console.error("usage: node verify.mjs TOKENS_FILE JWKS_FILE USER_POOL_ID CLIENT_ID");
  process.exit(2);
}
const tokens = readFileSync(tokensFile, "utf8").split("\n").filter((l) => l.trim() !== "");
const jwks = JSON.parse(readFileSync(jwksFile, "utf8"));

const verifier = CognitoJwtVerifier.create({ userPoolId, tokenUse: "access", clientId });
verifier.cacheJwks(jwks);

let valid = 0;
let firstError = "";
const start = process.hrtime.bigint();
for (const token of tokens) {
  try {
    verifier.verifySync(token);
    valid++;
  } catch (err) {
    if (!firstError) firstError = String(err && err.message);
  }
}
const loopMs = Number(process.hrtime.bigint() - start) / 1e6;
console.error(`bench: loop_ms=${loopMs.toFixed(1)}`);
console.error(`bench: valid=${valid} rejected=${tokens.length - valid}${firstError ? " first error: " + firstError : ""}`);
process.exit(valid === tokens.length ? 0 : 1);
