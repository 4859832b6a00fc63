#!/usr/bin/env node
// Generates tests/data/alibaba/<scheme>/generated.jsonl: CLI cases for RebootInstances and
// RebootInstance with the signatures Alibaba Cloud's own JavaScript SDK code computes.
//
//   cd tools/vectors/alibaba && npm ci && node generate.js
//
// Versions (pinned in package.json / package-lock.json):
//   @alicloud/pop-core     1.8.0  RPC v1 (HMAC-SHA1): the real RPCClient.request() runs with a
//                                 fixed clock (global Date), a fixed nonce (kitx.makeNonce) and
//                                 httpx.request() replaced by a capture, so the URL, form body
//                                 and Signature are exactly what the client would send.
//   @alicloud/openapi-util 0.3.3  ACS3-HMAC-SHA256: Client.getAuthorization() over the request the
//                                 V3 SDK builds for ECS (parameters in the query, empty body,
//                                 host / x-acs-* headers); the payload hash from Client.hash().
// Node 20. Inputs are pseudo-random with a fixed seed, so the output is reproducible.
//
// Nothing here signs by itself: every expected value comes out of the vendor functions. What the
// script builds is the input (the query and headers the V3 SDK would pass in) and, for RPC, the
// JSON rendering of the captured request. The SDK also sends unsigned headers (user-agent,
// x-sdk-client, x-acs-action, x-acs-version for RPC; user-agent, accept for V3) that the library
// leaves out; the expected request keeps only content-type for RPC POST.
'use strict';

const fs = require('fs');
const path = require('path');

const popCoreDir = path.dirname(require.resolve('@alicloud/pop-core/package.json'));
const fromPopCore = (name) => require(require.resolve(name, { paths: [popCoreDir] }));
const httpx = fromPopCore('httpx');
const kitx = fromPopCore('kitx');
const RPCClient = require('@alicloud/pop-core').RPCClient;
const OpenApiUtil = require('@alicloud/openapi-util').default;

const outDir = path.resolve(__dirname, '../../../tests/data/alibaba');
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

function makeInputs(random) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
  const chars = (alphabet, n) => Array.from({ length: n }, () => pick(alphabet)).join('');
  const alnum = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const idAlphabet = alnum + '-_.*';
  const secretAlphabet = alnum + '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ ';
  const tokenAlphabet = alnum + '/+=._-';
  const regions = ['cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'ap-southeast-1', 'eu-central-1', 'us-west-1',
    'cn-north-2-gov-1', 'ap-southeast-6', 'cn-wulanchabu', 'rus-west-1-pop'];
  const endpoints = [null, null, null, null, 'ecs.aliyuncs.com', 'ecs-vpc.{r}.aliyuncs.com',
    'http://127.0.0.1:8080', 'ecs.{r}.aliyuncs.com:8443'];

  const instanceId = () => {
    switch (int(0, 3)) {
      case 0: return 'i-' + chars('abcdefghijklmnopqrstuvwxyz0123456789', 20);
      case 1: return 'i-bp67acfmxazb4ph' + chars('0123456789', 5);
      case 2: return 'i-bp67acfmxazb4ph****';
      default: return chars(idAlphabet, int(1, 40));
    }
  };
  return { pick, int, chars, alnum, secretAlphabet, tokenAlphabet, regions, endpoints, instanceId };
}

function makeCase(random, g, scheme, index) {
  const action = index % 3 === 2 ? 'RebootInstance' : 'RebootInstances';
  const method = index % 2 === 0 ? 'POST' : 'GET';
  const withToken = Math.floor(index / 2) % 2 === 1;
  const region = g.pick(g.regions);
  const endpointPattern = g.pick(g.endpoints);
  const endpoint = endpointPattern ? endpointPattern.replace('{r}', region) : null;
  const seconds = g.int(946684800, 4102444799);  // 2000..2099
  const time = new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
  const nonce = g.int(0, 1) === 0 ? g.chars('0123456789abcdef', 32)
    : [8, 4, 4, 4, 12].map((n) => g.chars('0123456789abcdef', n)).join('-');
  const credentials = {
    access_key_id: 'LTAI' + g.chars(g.alnum, g.int(12, 20)),
    access_key_secret: g.chars(g.secretAlphabet, g.int(1, 40)),
  };
  if (withToken) credentials.security_token = 'CAIS' + g.chars(g.tokenAlphabet, g.int(8, 200));

  const params = {};
  if (action === 'RebootInstances') {
    // Counts 1..100, with the edges always present.
    const count = index % 40 === 0 ? 100 : index % 40 === 1 ? 1 : g.int(1, 100);
    const ids = [];
    while (ids.length < count) {
      const id = g.instanceId();
      if (!ids.includes(id)) ids.push(id);
    }
    params.InstanceId = ids;
    if (random() < 0.7) params.ForceReboot = random() < 0.5;
    if (random() < 0.7) params.BatchOptimization = random() < 0.5 ? 'AllTogether' : 'SuccessFirst';
    if (random() < 0.7) params.DryRun = random() < 0.5;
  } else {
    params.InstanceId = g.instanceId();
    if (random() < 0.7) params.ForceStop = random() < 0.5;
    if (random() < 0.7) params.DryRun = random() < 0.5;
  }
  const c = { provider: 'alibaba', action, signature: scheme, method, region };
  if (endpoint) c.endpoint = endpoint;
  c.credentials = credentials;
  c.time = time;
  c.nonce = nonce;
  c.params = params;
  return c;
}

// The wire parameters the SDKs send for an action (arrays flattened by the SDK itself).
function actionParams(c) {
  const params = {};
  if (c.action === 'RebootInstances') params.RegionId = c.region;
  for (const [key, value] of Object.entries(c.params)) params[key] = value;
  return params;
}

function endpointUrl(c) {
  const host = c.endpoint || `ecs.${c.region}.aliyuncs.com`;
  return host.startsWith('http://') || host.startsWith('https://') ? host : `https://${host}`;
}

// ---- RPC v1: run pop-core's RPCClient.request() with the clock, nonce and transport captured.
async function signRpc(c) {
  const RealDate = global.Date;
  const fixed = new RealDate(c.time).getTime();
  class FixedDate extends RealDate {
    constructor(...args) { if (args.length === 0) super(fixed); else super(...args); }
    static now() { return fixed; }
  }
  const realNonce = kitx.makeNonce;
  const realRequest = httpx.request;
  let captured = null;
  global.Date = FixedDate;
  kitx.makeNonce = () => c.nonce;
  httpx.request = async (url, opts) => { captured = { url, opts }; throw new Error('captured'); };
  try {
    const client = new RPCClient({
      endpoint: endpointUrl(c),
      apiVersion: '2014-05-26',
      accessKeyId: c.credentials.access_key_id,
      accessKeySecret: c.credentials.access_key_secret,
      securityToken: c.credentials.security_token,
    });
    // pop-core flattens arrays itself (InstanceId.1 ...), so the params go in unflattened.
    await client.request(c.action, actionParams(c), { method: c.method, formatParams: false }).catch((e) => {
      if (e.message !== 'captured') throw e;
    });
  } finally {
    global.Date = RealDate;
    kitx.makeNonce = realNonce;
    httpx.request = realRequest;
  }
  if (!captured) throw new Error('pop-core sent nothing');
  const wire = c.method === 'POST' ? captured.opts.data : captured.url.slice(captured.url.indexOf('?') + 1);
  const encodedSignature = /(?:^|&)Signature=([^&]*)/.exec(wire)[1];
  const headers = {};
  if (captured.opts.headers && captured.opts.headers['content-type'])
    headers['content-type'] = captured.opts.headers['content-type'];
  return {
    signature: decodeURIComponent(encodedSignature),
    request: { method: c.method, url: captured.url, headers, body: c.method === 'POST' ? captured.opts.data : '' },
  };
}

// ---- ACS3: openapi-util's getAuthorization() over the request the V3 SDK builds.
function flatten(params) {
  const out = {};
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) value.forEach((item, i) => { out[`${key}.${i + 1}`] = String(item); });
    else out[key] = String(value);
  }
  return out;
}

function signAcs3(c) {
  const url = new URL(endpointUrl(c));
  const payloadHash = OpenApiUtil.hexEncode(OpenApiUtil.hash(Buffer.from('', 'utf8'), 'ACS3-HMAC-SHA256'));
  const headers = {
    host: url.host,
    'x-acs-action': c.action,
    'x-acs-version': '2014-05-26',
    'x-acs-date': c.time,
    'x-acs-signature-nonce': c.nonce,
    'x-acs-content-sha256': payloadHash,
  };
  if (c.credentials.security_token) headers['x-acs-security-token'] = c.credentials.security_token;
  const request = { method: c.method, pathname: '/', query: flatten(actionParams(c)), headers };
  const authorization = OpenApiUtil.getAuthorization(request, 'ACS3-HMAC-SHA256', payloadHash,
    c.credentials.access_key_id, c.credentials.access_key_secret);
  const signature = /Signature=([0-9a-f]+)$/.exec(authorization)[1];
  const signedHeaders = /SignedHeaders=([^,]*),/.exec(authorization)[1];
  return { signature, authorization, signed_headers: signedHeaders, hashed_payload: payloadHash };
}

async function main() {
  const schemes = [
    { name: 'rpc-hmac-sha1', seed: 0x5eed0001, sign: signRpc },
    { name: 'acs3-hmac-sha256', seed: 0x5eed0002, sign: async (c) => signAcs3(c) },
  ];
  for (const scheme of schemes) {
    const random = generator(scheme.seed);
    const g = makeInputs(random);
    const lines = [];
    for (let i = 0; i < casesPerScheme; ++i) {
      const c = makeCase(random, g, scheme.name, i);
      lines.push(JSON.stringify({ case: c, expected: await scheme.sign(c) }));
    }
    const file = path.join(outDir, scheme.name, 'generated.jsonl');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, lines.join('\n') + '\n');
    console.log(`${file}: ${lines.length} cases`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
