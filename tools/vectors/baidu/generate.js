#!/usr/bin/env node
// Generates tests/data/baidu/bce-auth-v1/generated.jsonl: cloudreboot CLI cases for Baidu AI Cloud
// BCC whose expected values are computed by the official Baidu JS SDK signer.
//
//   cd tools/vectors/baidu && npm ci && node generate.js
//
// Versions (pinned in package.json / package-lock.json): @baiducloud/sdk 1.0.7 (the official JS SDK,
// formerly bce-sdk-js), Node.js 20. The SDK's `Auth` class (src/auth.js) computes every expected
// value: generateAuthorization() gives the Authorization header (and so the signature),
// queryStringCanonicalization() and headersCanonicalization() give the canonical query, canonical
// headers and signed-header list. This script only chooses inputs (deterministic, fixed seed) and
// lays out the request the library is expected to send; it never re-implements the algorithm.
//
// The request sent for each case (the library's, see docs/baidu.md):
//   RebootInstance  PUT /v2/instance/{instanceId}?reboot  body {"forceStop":bool}
//   GetInstance     GET /v2/instance/{instanceId}         no body
//   headers: Host, Content-Type: application/json, Content-Length (with a body), x-bce-date,
//   x-bce-security-token (STS only); the SDK's default signed-header set.
// (The JS SDK's own BccClient.restartInstance still uses the old /v1 path without a body; the
// spec and the Python/Go SDKs use /v2 with the body, so the signer is driven with that request.)
'use strict';

const fs = require('fs');
const path = require('path');
const Auth = require('@baiducloud/sdk/src/auth');
const H = require('@baiducloud/sdk/src/headers');

// mulberry32: a small deterministic PRNG (fixed seed, so the file is reproducible).
function prng(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(20261122);
const pick = (list) => list[Math.floor(rand() * list.length)];
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
function chars(alphabet, n) {
  let s = '';
  for (let i = 0; i < n; ++i) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
// Secrets and tokens may hold any printable ASCII; tokens exercise the header-value encoding.
const PRINTABLE = ALNUM + "+/=-_.~!*'()@#$%^&:;,?[]{}|<>\"\\` ";
const TOKEN = ALNUM + '+/=-_.~:';

const regions = ['bj', 'gz', 'su', 'hkg', 'fwh', 'bd', 'sin', 'fsh', 'yq', 'cd', 'nj', 'bjfsg'];
const endpoints = ['', '', '', '', '', 'bcc.bj.baidubce.com', 'bcc.gz.baidubce.com:8443', 'http://127.0.0.1:8080',
                   'http://localhost:80', 'https://bcc.su.baidubce.com:443'];

function hostOf(endpoint, region) {
  if (!endpoint) return { scheme: 'https', authority: 'bcc.' + region + '.baidubce.com' };
  let scheme = 'https';
  let rest = endpoint;
  if (rest.startsWith('http://')) { scheme = 'http'; rest = rest.slice(7); }
  else if (rest.startsWith('https://')) rest = rest.slice(8);
  let [host, port] = rest.split(':');
  // The Host header carries the port only when it is not the scheme's default.
  if (port && !((scheme === 'https' && port === '443') || (scheme === 'http' && port === '80'))) host += ':' + port;
  return { scheme, authority: host };
}

function isoSeconds(t) { return new Date(t * 1000).toISOString().replace(/\.\d+Z$/, 'Z'); }

const lines = [];
const total = 320;
for (let n = 0; n < total; ++n) {
  const action = n % 4 === 3 ? 'GetInstance' : 'RebootInstance';
  const region = pick(regions);
  const endpoint = pick(endpoints);
  const unix = int(1420070400, 1924991999); // 2015 .. 2030
  const ak = n % 5 === 0 ? chars(ALNUM, int(16, 40)) : chars(HEX, 32);
  const sk = n % 3 === 0 ? chars(PRINTABLE, int(8, 48)) : chars(HEX, 32);
  const token = n % 2 === 0 ? chars(TOKEN, int(12, 200)) : '';
  const id = 'i-' + chars(ALNUM + (n % 6 === 0 ? '-_' : ''), int(1, 20));
  const force = pick([true, false, undefined]);

  const theCase = { provider: 'baidu', action, region, time: isoSeconds(unix) };
  if (endpoint) theCase.endpoint = endpoint;
  theCase.credentials = { access_key_id: ak, access_key_secret: sk };
  if (token) theCase.credentials.security_token = token;
  theCase.params = { instanceId: id };
  if (action === 'RebootInstance' && force !== undefined) theCase.params.forceStop = force;

  const method = action === 'RebootInstance' ? 'PUT' : 'GET';
  const resource = '/v2/instance/' + id;
  const params = action === 'RebootInstance' ? { reboot: '' } : {};
  const body = action === 'RebootInstance' ? JSON.stringify({ forceStop: force === true }) : '';
  const where = hostOf(endpoint, region);
  const timestamp = isoSeconds(unix);
  const headers = {};
  headers[H.HOST] = where.authority;
  headers[H.CONTENT_TYPE] = 'application/json';
  if (body) headers[H.CONTENT_LENGTH] = String(Buffer.byteLength(body));
  headers[H.X_BCE_DATE] = timestamp;
  if (token) headers[H.SESSION_TOKEN] = token;

  // Everything below comes from the SDK.
  const auth = new Auth(ak, sk);
  const authorization = auth.generateAuthorization(method, resource, params, headers, unix, 1800);
  const canonicalQuery = auth.queryStringCanonicalization(params);
  const [canonicalHeaders, signedHeaders] = auth.headersCanonicalization(headers);
  const signature = authorization.slice(authorization.lastIndexOf('/') + 1);
  const authStringPrefix = require('util').format('bce-auth-v1/%s/%s/%d', ak, auth.getTimestamp(unix), 1800);
  const signingKey = auth.hash(authStringPrefix, sk);

  const sent = Object.assign({}, headers);
  sent[H.AUTHORIZATION] = authorization;
  const url = where.scheme + '://' + where.authority + resource + (action === 'RebootInstance' ? '?reboot' : '');
  lines.push(JSON.stringify({
    case: theCase,
    expected: {
      signing_key: signingKey,
      canonical_query: canonicalQuery,
      canonical_headers: canonicalHeaders,
      signed_headers: signedHeaders.join(';'),
      signature,
      authorization,
      request: { method, url, headers: sent, body },
    },
  }));
}

const out = path.join(__dirname, '..', '..', '..', 'tests', 'data', 'baidu', 'bce-auth-v1', 'generated.jsonl');
fs.writeFileSync(out, lines.join('\n') + '\n');
console.log('wrote ' + lines.length + ' cases to ' + out);
