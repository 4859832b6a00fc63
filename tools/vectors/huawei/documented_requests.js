// Writes request.json into the documented vector folders whose request is a reboot-family call
// (H1-H4, V1 of docs/huawei.md ("Test vectors")): the request exactly as the official Node
// SDK (EcsClient, frozen clock, fake transport) would send it.
// Command (from this folder, after `npm ci`):  node documented_requests.js
// Versions: see package.json (@huaweicloud/huaweicloud-sdk-core 3.1.211, -ecs 3.1.172).
'use strict';

const fs = require('fs');
const path = require('path');
const core = require('@huaweicloud/huaweicloud-sdk-core');
const ecs = require('@huaweicloud/huaweicloud-sdk-ecs');

const ROOT = path.join(__dirname, '..', '..', '..', 'tests', 'data', 'huawei');
const AK = 'QTWAOYTTINDUT2QVKYUC';
const SK = 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc';
const PROJECT = '77b6a44cba5143ab91d13ab9a8ff44fd';
const S1 = '616fb98f-46ca-475e-917e-2563e5a8cd19';
const S2 = '726fb98f-46ca-475e-917e-2563e5a8cd20';

async function capture({ token, derived, call }) {
  const cred = new core.BasicCredentials().withAk(AK).withSk(SK).withProjectId(PROJECT);
  if (token) cred.withSecurityToken(token);
  if (derived) cred.withDerivedPredicate(() => true);
  const client = ecs.EcsClient.newBuilder().withCredential(cred).withEndpoint('https://ecs.cn-north-4.myhuaweicloud.com').build();
  if (derived) cred.processDerivedAuthParams('ecs', 'cn-north-4');
  let captured = null;
  client.hcClient.httpClient.sendRequest = async (request) => { captured = request; return { statusCode: 200, headers: {}, data: {} }; };
  Date.now = () => Date.UTC(2026, 10, 22, 9, 10, 11);
  try { await call(client); } catch (err) { /* the fake answer is irrelevant */ }
  const headers = {};
  for (const [name, value] of Object.entries(captured.headers)) headers[name] = String(value);
  const body = captured.data === undefined || captured.data === null ? '' : JSON.stringify(captured.data);
  return JSON.stringify({ method: captured.method, url: captured.endpoint, headers, body }, null, 2) + '\n';
}

const sdkBody = (type, ids) => new ecs.BatchRebootServersRequestBody().withReboot(
  new ecs.BatchRebootSeversOption().withType(type).withServers(ids.map((id) => new ecs.ServerId().withId(id))));
const docBody = (type, ids) => ({ reboot: { type, servers: ids.map((id) => ({ id })) } });
const reboot = (body) => (client) => client.batchRebootServers(new ecs.BatchRebootServersRequest().withBody(body));

(async () => {
  const jobs = [
    ['sdk-hmac-sha256/h1_sdk_soft_two_servers', { call: reboot(sdkBody('SOFT', [S1, S2])) }],
    ['sdk-hmac-sha256/h2_sdk_hard_security_token', { token: 'EXAMPLE-SECURITY-TOKEN', call: reboot(sdkBody('HARD', [S1])) }],
    ['sdk-hmac-sha256/h3_documentation_order', { call: reboot(docBody('SOFT', [S1, S2])) }],
    ['sdk-hmac-sha256/h4_show_job', { call: (c) => c.showJob(new ecs.ShowJobRequest().withJobId('ff80808288d41e1b018990260955686a')) }],
    ['v11-hmac-sha256/v1_derived_key', { derived: true, call: reboot(docBody('SOFT', [S1, S2])) }],
  ];
  for (const [folder, spec] of jobs) {
    fs.writeFileSync(path.join(ROOT, folder, 'request.json'), await capture(spec));
    console.log(folder);
  }
})();
