'use strict';
// Writes vectors.json: SRP reference vectors for internal/flows/srp.go,
// produced by AWS's own Cognito SRP client (amazon-cognito-identity-js,
// pinned in package.json) so the Go port is checked against the real thing
// rather than against itself.
//
// Each vector drives the real CognitoUser.authenticateUser (USER_SRP_AUTH)
// deterministically:
//   - AuthenticationHelper.prototype.generateRandomSmallA returns a fixed a;
//   - the clock seen by DateHelper.getNowString is fixed;
//   - pool.client.request is stubbed: InitiateAuth answers with fixed SALT,
//     SRP_B, SECRET_BLOCK and USER_ID_FOR_SRP, RespondToAuthChallenge records
//     the PASSWORD_VERIFIER responses and stops.
// SRP_B is computed as a server would (B = k*v + g^b mod N, v = g^x), and the
// server's side of the exchange, S = (A * v^u)^b mod N, is checked to give the
// same key as the client's, so every vector is a valid exchange.
//
// Some vectors search b (or a) for the edge cases a port gets wrong: an odd
// length A, a u or S with a leading zero byte (shorter than their width), a
// salt with leading zero bytes, a salt with its top bit set, a SECRET_BLOCK
// that is not standard base64.
//
// Run: npm ci && node gen-vectors.js   (writes vectors.json beside this file)

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const lib = 'amazon-cognito-identity-js/lib/';
const BigInteger = require(lib + 'BigInteger').default;
const AuthenticationHelper = require(lib + 'AuthenticationHelper').default;
const { CognitoUserPool, CognitoUser, AuthenticationDetails } = require('amazon-cognito-identity-js');
const libVersion = require('amazon-cognito-identity-js/package.json').version;

function modPow(base, e, m) {
  let out;
  base.modPow(e, m, (err, r) => {
    if (err) throw err;
    out = r;
  });
  return out;
}

// Deterministic bytes for secret blocks: SHA-256 in counter mode over a label.
function detBytes(label, n) {
  const chunks = [];
  for (let i = 0; chunks.length * 32 < n; i++) {
    chunks.push(crypto.createHash('sha256').update(label + '/' + i).digest());
  }
  return Buffer.concat(chunks).subarray(0, n);
}

// A helper for the reference's own arithmetic (padHex, hash, k, N, g).
let fixedSmallA = null;
const realGenerate = AuthenticationHelper.prototype.generateRandomSmallA;
AuthenticationHelper.prototype.generateRandomSmallA = function () {
  return fixedSmallA !== null ? fixedSmallA : realGenerate.call(this);
};
const H = new AuthenticationHelper('x');

function serverB(x, b) {
  const v = modPow(H.g, x, H.N);
  return H.k.multiply(v).add(modPow(H.g, b, H.N)).mod(H.N);
}

function computeX(salt, poolName, userId, password) {
  const inner = H.hash(poolName + userId + ':' + password);
  return new BigInteger(H.hexHash(H.padHex(salt) + inner), 16);
}

function computeU(A, B) {
  return new BigInteger(H.hexHash(H.padHex(A) + H.padHex(B)), 16);
}

// Server side: S = (A * v^u)^b mod N.
function serverS(A, x, u, b) {
  const v = modPow(H.g, x, H.N);
  return modPow(A.multiply(modPow(v, u, H.N)).mod(H.N), b, H.N);
}

function hkdfOf(S, u) {
  return Buffer.from(H.computehkdf(Buffer.from(H.padHex(S), 'hex'), Buffer.from(H.padHex(u), 'hex')));
}

// Capture what the reference computes inside its callbacks.
let captured = {};
const realKey = AuthenticationHelper.prototype.getPasswordAuthenticationKey;
AuthenticationHelper.prototype.getPasswordAuthenticationKey = function (username, password, B, salt, cb) {
  return realKey.call(this, username, password, B, salt, (err, hkdf) => {
    captured.hkdf = hkdf ? Buffer.from(hkdf).toString('hex') : null;
    captured.u = this.UValue ? this.UValue.toString(16) : null;
    cb(err, hkdf);
  });
};
const realS = AuthenticationHelper.prototype.calculateS;
AuthenticationHelper.prototype.calculateS = function (x, B, cb) {
  return realS.call(this, x, B, (err, S) => {
    captured.S = S ? S.toString(16) : null;
    cb(err, S);
  });
};

function withFixedClock(millis, f) {
  const RealDate = global.Date;
  global.Date = class extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(millis);
      else super(...args);
    }
    static now() {
      return millis;
    }
  };
  try {
    return f();
  } finally {
    global.Date = RealDate;
  }
}

// Runs the real client once and returns what it sent.
function runReference(spec, a, srpBHex, secretBlock) {
  fixedSmallA = a;
  captured = {};
  const pool = new CognitoUserPool({ UserPoolId: spec.poolId, ClientId: 'vectorsclientid0000000000' });
  const sent = {};
  pool.client.request = (op, params, cb) => {
    if (op === 'InitiateAuth') {
      sent.initiate = params;
      return cb(null, {
        ChallengeName: 'PASSWORD_VERIFIER',
        Session: 'session-' + spec.name,
        ChallengeParameters: {
          SALT: spec.salt,
          SRP_B: srpBHex,
          SECRET_BLOCK: secretBlock,
          USER_ID_FOR_SRP: spec.userIdForSrp,
          USERNAME: spec.userIdForSrp,
        },
      });
    }
    if (op === 'RespondToAuthChallenge') {
      sent.respond = params;
      return cb(Object.assign(new Error('vector recorded'), { code: 'VectorRecorded' }), null);
    }
    return cb(new Error('unexpected operation ' + op), null);
  };
  const user = new CognitoUser({ Username: spec.username, Pool: pool });
  let failure = null;
  withFixedClock(Date.parse(spec.time), () => {
    user.authenticateUser(new AuthenticationDetails({ Username: spec.username, Password: spec.password }), {
      onSuccess: () => { failure = new Error('unexpected success'); },
      onFailure: (err) => { if (err.code !== 'VectorRecorded') failure = err; },
    });
  });
  fixedSmallA = null;
  if (failure) throw failure;
  if (!sent.respond) throw new Error(spec.name + ': the reference never answered PASSWORD_VERIFIER');
  return { sent, captured: { ...captured } };
}

// Searches for a and b satisfying a vector's edge-case predicates.
function build(spec) {
  const poolName = spec.poolId.split('_')[1];
  const salt = new BigInteger(spec.salt, 16);
  const x = computeX(salt, poolName, spec.userIdForSrp, spec.password);

  let a = new BigInteger(spec.a, 16);
  let tries = 0;
  while (spec.wantA && !spec.wantA(modPow(H.g, a, H.N))) {
    a = a.add(BigInteger.ONE);
    if (++tries > 10000) throw new Error(spec.name + ': no a found');
  }
  const A = modPow(H.g, a, H.N);

  let b = new BigInteger(spec.b, 16);
  let B, u, S;
  for (tries = 0; ; tries++) {
    if (tries > 20000) throw new Error(spec.name + ': no b found');
    B = serverB(x, b);
    u = computeU(A, B);
    if (!u.equals(BigInteger.ZERO)) {
      S = serverS(A, x, u, b);
      if (!spec.wantUS || spec.wantUS(u, S)) break;
    }
    b = b.add(BigInteger.ONE);
  }

  const secretBlock = spec.secretBlock || detBytes('secret-block/' + spec.name, spec.secretBlockLen || 188).toString('base64');
  const { sent, captured: c } = runReference(spec, a, B.toString(16), secretBlock);
  const resp = sent.respond.ChallengeResponses;

  // The exchange is valid: the server's S gives the key the client derived.
  const serverKey = hkdfOf(S, u).toString('hex');
  if (serverKey !== c.hkdf) throw new Error(spec.name + ': server and client keys differ');
  if (c.S !== S.toString(16) || c.u !== u.toString(16)) throw new Error(spec.name + ': S or u differ');
  if (sent.initiate.AuthParameters.SRP_A !== A.toString(16)) throw new Error(spec.name + ': SRP_A differs');

  return {
    name: spec.name,
    edges: spec.edges,
    pool_id: spec.poolId,
    pool_name: poolName,
    username: spec.username,
    user_id_for_srp: spec.userIdForSrp,
    password: spec.password,
    a: a.toString(16),
    b: b.toString(16),
    salt: spec.salt,
    srp_b: B.toString(16),
    secret_block: secretBlock,
    time: spec.time,
    expect: {
      srp_a: sent.initiate.AuthParameters.SRP_A,
      initiate_username: sent.initiate.AuthParameters.USERNAME,
      u: c.u,
      pad_u: H.padHex(u),
      s: c.S,
      pad_s: H.padHex(S),
      hkdf: c.hkdf,
      timestamp: resp.TIMESTAMP,
      signature: resp.PASSWORD_CLAIM_SIGNATURE,
      response_username: resp.USERNAME,
      response_secret_block: resp.PASSWORD_CLAIM_SECRET_BLOCK,
    },
  };
}

const specs = [
  {
    name: 'plain',
    edges: ['day of month below 10 (not padded), hour below 10 (padded)'],
    poolId: 'us-east-1_Abc123XYZ',
    username: 'alice',
    userIdForSrp: 'alice',
    password: 'Correct-Horse-Battery-1',
    a: '3c1f5d2e9a7b60418273a6b5c4d3e2f10123456789abcdef0fedcba987654321',
    b: '6e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a392817060',
    salt: '7d3b1e4f9a2c5d8e0b6a4f2c1e9d7b53',
    time: '2024-03-05T09:07:03Z',
  },
  {
    name: 'alias-odd-A-zero-salt',
    edges: [
      'username typed is an alias: USER_ID_FOR_SRP differs and is what the proof binds',
      'A has an odd number of hex digits (SRP_A sent unpadded)',
      'salt with leading zero bytes (vanish when read as an integer)',
    ],
    poolId: 'eu-west-2_Zq9Rt5Lm1',
    username: 'bob@example.com',
    userIdForSrp: '5b1f0d7e-2c44-4a0b-9e51-7d2f6a8c3b19',
    password: 'S3cret!pass',
    a: '1111111111111111111111111111111111111111111111111111111111111111',
    wantA: (A) => A.toString(16).length % 2 === 1,
    b: '2222222222222222222222222222222222222222222222222222222222222222',
    salt: '0000a1b2c3d4e5f60718293a4b5c6d7e',
    time: '2025-11-23T23:59:59Z',
  },
  {
    name: 'short-u',
    edges: ['u has a leading zero byte: padHex(u) is shorter than 64 hex digits'],
    poolId: 'ap-south-1_p7GD1CkXO',
    username: 'carol',
    userIdForSrp: 'carol',
    password: 'Another-Passw0rd',
    a: '5555555555555555555555555555555555555555555555555555555555555555',
    b: '7777777777777777777777777777777777777777777777777777777777777777',
    wantUS: (u) => H.padHex(u).length < 64,
    salt: '9f8e7d6c5b4a39281706f5e4d3c2b1a0',
    time: '2026-01-31T00:00:00Z',
  },
  {
    name: 'short-S',
    edges: ['S has a leading zero byte: padHex(S) is shorter than 768 hex digits'],
    poolId: 'us-west-2_ShortS001',
    username: 'dave',
    userIdForSrp: 'e0c2a9f4-61d7-4b8e-a3f5-0c9b8d7e6f51',
    password: 'Pa55word-for-dave',
    a: '9999999999999999999999999999999999999999999999999999999999999999',
    b: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    wantUS: (u, S) => H.padHex(S).length < 768,
    salt: '1234567890abcdef1234567890abcdef',
    time: '2024-12-09T14:30:45Z',
  },
  {
    name: 'high-bit-salt-unicode-password',
    edges: [
      'salt with its top bit set (padHex adds 00)',
      'non-ASCII password (hashed as UTF-8)',
      'u with its top bit set',
    ],
    poolId: 'us-east-1_UniCode42',
    username: 'eve',
    userIdForSrp: 'eve',
    password: 'pässwörd-€-ü1',
    a: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
    b: 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef',
    wantUS: (u) => H.padHex(u).startsWith('00'),
    salt: 'f1e2d3c4b5a697887766554433221100',
    time: '2024-02-29T12:00:09Z',
  },
  {
    name: 'uuid-secret-block',
    edges: [
      'SECRET_BLOCK that is not standard base64 (an emulator sends a UUID): decoded as Node does',
    ],
    poolId: 'us-east-1_MotoStyle1',
    username: 'frank',
    userIdForSrp: '0f4e6a2b-93c1-4d7e-b5a8-2c6d9e1f3a47',
    password: 'Frank-Passw0rd!',
    a: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    b: 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210',
    salt: '4f1d2c3b5a69788796a5b4c3d2e1f00f',
    secretBlock: '9f0c1e2a-7b3d-4e5f-8a9b-0c1d2e3f4a5b',
    time: '2025-07-04T18:05:00Z',
  },
];

const vectors = specs.map(build);
const out = {
  comment: 'Generated by gen-vectors.js from amazon-cognito-identity-js; do not edit by hand.',
  generator: 'amazon-cognito-identity-js@' + libVersion,
  n: H.N.toString(16),
  g: H.g.toString(16),
  k: H.k.toString(16),
  vectors,
};
fs.writeFileSync(path.join(__dirname, 'vectors.json'), JSON.stringify(out, null, 2) + '\n');
for (const v of vectors) {
  console.log(`${v.name}: A ${v.expect.srp_a.length} hex digits, padHex(u) ${v.expect.pad_u.length}, padHex(S) ${v.expect.pad_s.length}`);
}
