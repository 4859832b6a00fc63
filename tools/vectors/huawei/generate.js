// Generates the SDK-checked vectors for the Huawei Cloud provider:
//   tests/data/huawei/sdk-hmac-sha256/generated.jsonl
//   tests/data/huawei/v11-hmac-sha256/generated.jsonl
//
// Command (from this folder):   npm ci && node generate.js
// Versions (pinned in package.json / package-lock.json):
//   @huaweicloud/huaweicloud-sdk-core 3.1.211, @huaweicloud/huaweicloud-sdk-ecs 3.1.172,
//   uuid 9.0.1 (required by sdk-core at run time but not declared by it); Node.js 20.
//
// Every expected value comes from the official SDK: each case is sent through the real
// EcsClient (batchRebootServers, showJob, showServer) with a frozen clock and a fake transport
// that captures the request the SDK would put on the wire. The SDK's own signer stages
// (AKSKSigner.buildCanonicalRequest, getStringToSign / getStringToSignByInfo, hmacSHA256) are
// observed (wrapped, not reimplemented) to record the canonical request, string to sign and
// signature. The body is the SDK's JSON.stringify of the request model (the bytes it hashes and
// sends); the "documentation" body order is obtained by handing the SDK a body object whose
// members are in documentation order.
//
// Inputs are pseudo-random from a fixed seed (mulberry32), so the output is deterministic.
'use strict';

const fs = require('fs');
const path = require('path');
const core = require('@huaweicloud/huaweicloud-sdk-core');
const ecs = require('@huaweicloud/huaweicloud-sdk-ecs');
const { AKSKSigner } = require('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner');
const { DerivedAKSKSigner } = require('@huaweicloud/huaweicloud-sdk-core/auth/DerivedAKSKSigner');

const CASES_PER_SCHEME = 220;
const OUT_DIR = path.join(__dirname, '..', '..', '..', 'tests', 'data', 'huawei');

// --- deterministic randomness ---------------------------------------------------------------
function mulberry32(seed) {
  return function () {
    seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
let rand = mulberry32(20261122);
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = (list) => list[int(0, list.length - 1)];
const chars = (alphabet, n) => { let s = ''; for (let i = 0; i < n; ++i) s += alphabet[int(0, alphabet.length - 1)]; return s; };
const HEX = '0123456789abcdef';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const TOKEN = ALNUM + '+/=_-';
function uuid() {
  const u = chars(HEX, 8) + '-' + chars(HEX, 4) + '-' + chars(HEX, 4) + '-' + chars(HEX, 4) + '-' + chars(HEX, 12);
  return rand() < 0.05 ? u.toUpperCase() : u;
}
const REGIONS = ['cn-north-1', 'cn-north-4', 'cn-north-9', 'cn-south-1', 'cn-east-3', 'cn-southwest-2',
  'ap-southeast-1', 'ap-southeast-3', 'af-south-1', 'sa-brazil-1', 'la-north-2', 'tr-west-1', 'me-east-1',
  'eu-west-101', 'my-kualalumpur-1', 'ru-moscow-1'];

// --- observing the SDK's own stages ---------------------------------------------------------
let observed = {};
function observe(owner, name, key) {
  const original = owner[name];
  owner[name] = function (...args) {
    const value = original.apply(this, args);
    observed[key] = value;
    return value;
  };
}
observe(AKSKSigner, 'buildCanonicalRequest', 'canonical_request');
observe(AKSKSigner, 'getStringToSign', 'string_to_sign');
observe(DerivedAKSKSigner, 'getStringToSignByInfo', 'string_to_sign');
observe(AKSKSigner, 'hmacSHA256', 'signature');

function rfc3339(ms) { return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'); }

async function runCase(scheme) {
  const ak = chars(UPPER + '0123456789', 20);
  const sk = chars(ALNUM, 40);
  const token = rand() < 0.35 ? chars(TOKEN, int(16, 300)) : '';
  const projectId = chars(HEX, 32);
  const region = pick(REGIONS);
  const timeMs = Date.UTC(2020, 0, 1) + int(0, 10 * 365 * 24 * 3600) * 1000;
  let endpointText = '';
  let sdkEndpoint = `https://ecs.${region}.myhuaweicloud.com`;
  const e = rand();
  if (e < 0.06) { endpointText = `ecs.${pick(REGIONS)}.myhuaweicloud.com`; sdkEndpoint = `https://${endpointText}`; }
  else if (e < 0.10) { endpointText = `http://127.0.0.1:${int(1024, 65535)}`; sdkEndpoint = endpointText; }
  else if (e < 0.13) { endpointText = `https://ecs-internal.${region}.example.com:8443`; sdkEndpoint = endpointText; }

  const which = rand();
  const action = which < 0.6 ? 'BatchRebootServers' : which < 0.8 ? 'ShowJob' : 'ShowServer';
  const params = {};
  let sdkCall;
  if (action === 'BatchRebootServers') {
    const type = rand() < 0.5 ? 'SOFT' : 'HARD';
    const n = rand() < 0.3 ? int(1, 3) : int(1, 100);
    const ids = [];
    while (ids.length < n) { const id = uuid(); if (!ids.some((x) => x.toLowerCase() === id.toLowerCase())) ids.push(id); }
    params.type = type;
    params.servers = rand() < 0.2 ? ids.map((id) => ({ id })) : ids.slice();
    const documentationOrder = rand() < 0.25;
    if (documentationOrder) params.body_order = 'documentation';
    sdkCall = (client) => {
      let body;
      if (documentationOrder) {
        body = { reboot: { type, servers: ids.map((id) => ({ id })) } };
      } else {
        body = new ecs.BatchRebootServersRequestBody().withReboot(
          new ecs.BatchRebootSeversOption().withType(type).withServers(ids.map((id) => new ecs.ServerId().withId(id))));
      }
      return client.batchRebootServers(new ecs.BatchRebootServersRequest().withBody(body));
    };
  } else if (action === 'ShowJob') {
    const jobId = rand() < 0.7 ? chars(HEX, 32) : chars(ALNUM + '-_', int(1, 64));
    params.job_id = jobId;
    sdkCall = (client) => client.showJob(new ecs.ShowJobRequest().withJobId(jobId));
  } else {
    const serverId = uuid();
    params.server_id = serverId;
    sdkCall = (client) => client.showServer(new ecs.ShowServerRequest().withServerId(serverId));
  }

  const cred = new core.BasicCredentials().withAk(ak).withSk(sk).withProjectId(projectId);
  if (token) cred.withSecurityToken(token);
  if (scheme === 'v11-hmac-sha256') cred.withDerivedPredicate(() => true);
  const client = ecs.EcsClient.newBuilder().withCredential(cred).withEndpoint(sdkEndpoint).build();
  if (scheme === 'v11-hmac-sha256') cred.processDerivedAuthParams('ecs', region);
  let captured = null;
  client.hcClient.httpClient.sendRequest = async (request) => {
    captured = request;
    return { statusCode: 200, headers: {}, data: {} };
  };
  observed = {};
  Date.now = () => timeMs;
  try { await sdkCall(client); } catch (err) { /* the fake answer may not satisfy the model; the request is captured */ }
  if (!captured) throw new Error('the SDK sent nothing');

  const caseJson = {
    provider: 'huawei',
    action,
    signature: scheme,
    region,
    project_id: projectId,
    credentials: token ? { access_key_id: ak, access_key_secret: sk, security_token: token }
                       : { access_key_id: ak, access_key_secret: sk },
    time: rfc3339(timeMs),
    params,
  };
  if (rand() < 0.15) caseJson.method = action === 'BatchRebootServers' ? 'POST' : 'GET';
  if (endpointText) caseJson.endpoint = endpointText;

  const headers = {};
  for (const [name, value] of Object.entries(captured.headers)) headers[name] = String(value);
  const body = captured.data === undefined || captured.data === null ? '' : JSON.stringify(captured.data);
  const expected = {
    canonical_request: observed.canonical_request,
    string_to_sign: observed.string_to_sign,
    signature: observed.signature,
    authorization: headers.Authorization,
    request: { method: captured.method, url: captured.endpoint, headers, body },
  };
  return JSON.stringify({ case: caseJson, expected });
}

(async () => {
  for (const scheme of ['sdk-hmac-sha256', 'v11-hmac-sha256']) {
    rand = mulberry32(scheme === 'sdk-hmac-sha256' ? 20261122 : 11112026);
    const lines = [];
    for (let i = 0; i < CASES_PER_SCHEME; ++i) lines.push(await runCase(scheme));
    const dir = path.join(OUT_DIR, scheme);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'generated.jsonl'), lines.join('\n') + '\n');
    console.log(`${scheme}: ${lines.length} cases`);
  }
})();
