#!/usr/bin/env node
// Generates tests/data/tencent/<scheme>/generated.jsonl: CLI cases for RebootInstances with the
// signatures and requests Tencent Cloud's own Node.js SDK code produces.
//
//   cd tools/vectors/tencent && npm ci && node generate.js
//
// Versions (pinned in package.json / package-lock.json): tencentcloud-sdk-nodejs-common 4.1.220,
// Node 20.
//
//   tc3-hmac-sha256  HttpConnection.doRequestWithSign3() runs for real (it flattens GET
//                    parameters, serialises the JSON body, assembles the X-TC-* headers and calls
//                    Sign.sign3), with a fixed clock (global Date) and the HTTP call (http/fetch)
//                    replaced by a capture. Expected: signature, authorization and the request
//                    (method, url, headers, body) exactly as the SDK would send them.
//   hmac-sha256,     AbstractClient.formatSignString() builds the source string and Sign.sign()
//   hmac-sha1        signs it; HttpConnection.doRequest() then renders the query / form body (the
//                    capture again). The parameter set is what AbstractClient.formatRequestData()
//                    assembles (Action, Nonce, Timestamp, Version, SecretId, Region, Token,
//                    SignatureMethod) except RequestClient, which names the SDK itself and which
//                    the library sends only when asked; SignatureMethod is included for
//                    HmacSHA256 only (the library's default, spec section 12). Pairs are passed
//                    in sorted order with Signature last, which is the order the library uses.
//                    Legacy-gateway cases (cvm.api.qcloud.com/v2/index.php) use the seed's
//                    1-based InstanceIds.N and TRUE/FALSE.
//
// Inputs are pseudo-random with a fixed seed (mulberry32), so the output is reproducible. Nothing
// here computes a hash or an HMAC: every expected value comes out of the SDK functions.
'use strict';

const fs = require('fs');
const path = require('path');

const sdkDir = path.join(path.dirname(require.resolve('tencentcloud-sdk-nodejs-common/package.json')),
                         'tencentcloud', 'common');
const fetchModule = require(path.join(sdkDir, 'http', 'fetch.js'));
const { HttpConnection } = require(path.join(sdkDir, 'http', 'http_connection.js'));
const { AbstractClient } = require(path.join(sdkDir, 'abstract_client.js'));
const Sign = require(path.join(sdkDir, 'sign.js')).default;
const sdkVersion = require('tencentcloud-sdk-nodejs-common/package.json').version;

const outDir = path.resolve(__dirname, '../../../tests/data/tencent');
const casesPerScheme = 240;

// mulberry32: a small deterministic generator.
function generator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The HTTP call, captured instead of sent.
let captured = null;
fetchModule.default = async (url, config) => {
  captured = { url, config };
  return { status: 200, headers: new Map(), json: async () => ({ Response: { RequestId: 'x' } }) };
};

// A fixed clock for the SDK's `new Date()`.
const RealDate = Date;
async function withClock(seconds, fn) {
  class FixedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(seconds * 1000);
      else super(...args);
    }
    static now() { return seconds * 1000; }
  }
  global.Date = FixedDate;
  try { return await fn(); } finally { global.Date = RealDate; }
}

const regions = ['ap-guangzhou', 'ap-shanghai', 'ap-beijing', 'ap-chengdu', 'ap-chongqing', 'ap-hongkong',
                 'ap-singapore', 'ap-tokyo', 'ap-seoul', 'ap-mumbai', 'ap-bangkok', 'ap-jakarta', 'eu-frankfurt',
                 'na-siliconvalley', 'na-ashburn', 'sa-saopaulo', 'ap-shanghai-fsi', 'ap-shenzhen-fsi', 'ap-nanjing'];
const idChars = 'abcdefghijklmnopqrstuvwxyz0123456789';
const oddChars = ' +/=!*\'()~-_.&?%#:;,@$[]{}|^`"\\<>';

function pick(rand, list) { return list[Math.floor(rand() * list.length)]; }

function randomText(rand, alphabet, min, max) {
  const length = min + Math.floor(rand() * (max - min + 1));
  let out = '';
  for (let i = 0; i < length; i++) out += pick(rand, alphabet);
  return out;
}

function instanceIds(rand) {
  const r = rand();
  const count = r < 0.4 ? 1 : r < 0.8 ? 2 + Math.floor(rand() * 9) : r < 0.95 ? 11 + Math.floor(rand() * 80) : 100;
  const ids = new Set();
  while (ids.size < count) ids.add('ins-' + randomText(rand, idChars, 8, 8));
  return [...ids];
}

function rfc3339(seconds) { return new RealDate(seconds * 1000).toISOString().replace('.000Z', 'Z'); }

// The case's common inputs.
function makeInputs(rand, scheme, index) {
  const method = index % 2 === 0 ? 'POST' : 'GET';
  const region = pick(rand, regions);
  const ids = instanceIds(rand);
  // Parameter order varies too (the official example writes StopType first): the SDK serialises
  // the object in its own key order, and so must the library.
  const extra = {};
  const choice = rand();
  if (choice < 0.2) extra.ForceReboot = rand() < 0.5;
  else if (choice < 0.85) extra.StopType = pick(rand, ['SOFT', 'HARD', 'SOFT_FIRST']);
  const params = rand() < 0.3 ? { ...extra, InstanceIds: ids } : { InstanceIds: ids, ...extra };
  const seconds = 1420070400 + Math.floor(rand() * 536112000);  // 2015 to 2031
  const nonce = String(1 + Math.floor(rand() * 2147483646));
  const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let secretId = 'AKID' + randomText(rand, alnum, 28, 32);
  if (rand() < 0.1) secretId = secretId.slice(0, 29) + '*******';  // the documentation's masked style
  const secretKey = randomText(rand, alnum + (rand() < 0.3 ? '*+/=' : ''), 24, 40);
  let token = '';
  if (rand() < 0.35) token = randomText(rand, alnum + (scheme === 'tc3-hmac-sha256' ? '+/=' : oddChars), 10, 60);
  let host = 'cvm.tencentcloudapi.com';
  const where = rand();
  if (where < 0.25) host = `cvm.${region}.tencentcloudapi.com`;
  else if (where < 0.3) host = 'cvm.intl.tencentcloudapi.com';
  else if (scheme !== 'tc3-hmac-sha256' && where < 0.4) host = 'cvm.api.qcloud.com';
  return { method, region, params, seconds, nonce, secretId, secretKey, token, host };
}

function caseOf(scheme, inputs) {
  const c = {
    provider: 'tencent',
    action: 'RebootInstances',
    signature: scheme,
    method: inputs.method,
    region: inputs.region,
  };
  if (inputs.host !== 'cvm.tencentcloudapi.com') c.endpoint = inputs.host;
  c.credentials = { access_key_id: inputs.secretId, access_key_secret: inputs.secretKey };
  if (inputs.token) c.credentials.security_token = inputs.token;
  c.time = rfc3339(inputs.seconds);
  c.nonce = inputs.nonce;
  c.params = inputs.params;
  return c;
}

function headersOf(config) {
  const out = {};
  for (const [name, value] of Object.entries(config.headers)) {
    if (value === undefined || value === null) continue;
    out[name] = String(value);
  }
  return out;
}

async function tc3Case(rand, index) {
  const scheme = 'tc3-hmac-sha256';
  const inputs = makeInputs(rand, scheme, index);
  captured = null;
  const call = withClock(inputs.seconds, () => HttpConnection.doRequestWithSign3({
    method: inputs.method,
    url: `https://${inputs.host}/`,
    data: JSON.parse(JSON.stringify(inputs.params)),
    service: inputs.host.split('.')[0],
    action: 'RebootInstances',
    region: inputs.region,
    version: '2017-03-12',
    secretId: inputs.secretId,
    secretKey: inputs.secretKey,
    token: inputs.token || undefined,
    requestClient: undefined,
    language: undefined,
    headers: {},
  }));
  await call;
  const headers = headersOf(captured.config);
  const authorization = headers.Authorization;
  return {
    case: caseOf(scheme, inputs),
    expected: {
      signature: authorization.slice(authorization.lastIndexOf('Signature=') + 10),
      authorization,
      request: { method: inputs.method, url: captured.url, headers, body: captured.config.body || '' },
    },
  };
}

async function v1Case(rand, index, scheme) {
  const inputs = makeInputs(rand, scheme, index);
  const legacy = inputs.host === 'cvm.api.qcloud.com';
  const signMethod = scheme === 'hmac-sha256' ? 'HmacSHA256' : 'HmacSHA1';
  const client = new AbstractClient(inputs.host, '2017-03-12', {
    credential: { secretId: inputs.secretId, secretKey: inputs.secretKey, token: inputs.token || null },
    region: inputs.region,
    profile: { signMethod, httpProfile: { reqMethod: inputs.method } },
  });
  if (legacy) client.path = '/v2/index.php';

  // The action parameters: the SDK's own flattening (mergeData) on API 3.0 hosts; the seed's
  // 1-based, upper-case form on the legacy gateway.
  let params;
  if (legacy) {
    params = {};
    inputs.params.InstanceIds.forEach((id, i) => { params[`InstanceIds.${i + 1}`] = id; });
    if ('ForceReboot' in inputs.params) params.ForceReboot = inputs.params.ForceReboot ? 'TRUE' : 'FALSE';
    if ('StopType' in inputs.params) params.StopType = inputs.params.StopType;
  } else {
    params = client.mergeData(inputs.params);
  }
  // The common parameters formatRequestData() adds, without RequestClient.
  params.Action = 'RebootInstances';
  params.Nonce = inputs.nonce;
  params.Timestamp = inputs.seconds;
  params.Version = '2017-03-12';
  params.SecretId = inputs.secretId;
  params.Region = inputs.region;
  if (inputs.token) params.Token = inputs.token;
  if (signMethod === 'HmacSHA256') params.SignatureMethod = signMethod;

  const source = client.formatSignString(params);
  const signature = Sign.sign(inputs.secretKey, source, signMethod);

  const ordered = {};
  for (const key of Object.keys(params).sort()) ordered[key] = params[key];
  ordered.Signature = signature;
  captured = null;
  await HttpConnection.doRequest({
    method: inputs.method,
    url: `https://${inputs.host}${client.path}`,
    data: ordered,
    headers: {},
  });
  return {
    case: caseOf(scheme, inputs),
    expected: {
      string_to_sign: source,
      signature,
      request: {
        method: inputs.method,
        url: captured.url,
        headers: headersOf(captured.config),
        body: captured.config.body || '',
      },
    },
  };
}

async function main() {
  const plans = [
    ['tc3-hmac-sha256', 0x7c3a11, (rand, i) => tc3Case(rand, i)],
    ['hmac-sha256', 0x5a2560, (rand, i) => v1Case(rand, i, 'hmac-sha256')],
    ['hmac-sha1', 0x5a1001, (rand, i) => v1Case(rand, i, 'hmac-sha1')],
  ];
  for (const [scheme, seed, make] of plans) {
    const rand = generator(seed);
    const lines = [];
    for (let i = 0; i < casesPerScheme; i++) lines.push(JSON.stringify(await make(rand, i)));
    const dir = path.join(outDir, scheme);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'generated.jsonl'), lines.join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'SOURCE.md'),
      `# ${scheme} vectors\n\n` +
      'Folders with `case.json` are RebootInstances vectors of docs/tencent.md ("Test vectors"; each
' +
      'folder\'s SOURCE.md names its vector); folders with `vector.json` are documented vectors of other\n' +
      'actions or options, checked stage by stage by tests/tencent/signing.cpp.\n\n' +
      `\`generated.jsonl\` (${casesPerScheme} cases) is derived, made by Tencent Cloud's own Node.js SDK code:\n\n` +
      '    cd tools/vectors/tencent && npm ci && node generate.js\n\n' +
      `with tencentcloud-sdk-nodejs-common ${sdkVersion} (pinned in package.json / package-lock.json),\n` +
      `Node ${process.versions.node}. See the comment at the top of generate.js for what each scheme calls.\n`);
    console.log(`${scheme}: ${lines.length} cases`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
