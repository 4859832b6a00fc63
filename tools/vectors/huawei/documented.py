#!/usr/bin/env python3
"""Writes the documented Huawei vector folders from docs/huawei.md ("Test vectors").

Run from the repository root:  python3 tools/vectors/huawei/documented.py
then (for request.json, made by the official SDK):  node tools/vectors/huawei/documented_requests.js

Every stage value below comes from the source docs/huawei.md names for its vector (canonical requests, hashes, Authorization
headers); string_to_sign is assembled from the documented date and documented hash, and
signature is the documented value inside Authorization. Nothing here is computed by a signer.
"""
import json
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'tests', 'data', 'huawei')
AK = 'QTWAOYTTINDUT2QVKYUC'
SK = 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc'
PROJECT = '77b6a44cba5143ab91d13ab9a8ff44fd'
HOST = 'ecs.cn-north-4.myhuaweicloud.com'
DATE = '20261122T091011Z'
S1 = '616fb98f-46ca-475e-917e-2563e5a8cd19'
S2 = '726fb98f-46ca-475e-917e-2563e5a8cd20'
EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'


def write(folder, files):
    os.makedirs(folder, exist_ok=True)
    for name, text in files.items():
        with open(os.path.join(folder, name), 'w', encoding='utf-8', newline='') as out:
            out.write(text)


def case(action, params, token=None, signature=None):
    creds = {'access_key_id': AK, 'access_key_secret': SK}
    if token:
        creds['security_token'] = token
    c = {'provider': 'huawei', 'action': action}
    if signature:
        c['signature'] = signature
    c.update({'region': 'cn-north-4', 'project_id': PROJECT, 'credentials': creds,
              'time': '2026-11-22T09:10:11Z', 'params': params})
    return json.dumps(c, indent=2) + '\n'


def sdk_stages(cr, cr_hash, auth, body_hash, date=DATE):
    return {
        'canonical_request.txt': cr,
        'hashed_canonical_request.txt': cr_hash,
        'string_to_sign.txt': 'SDK-HMAC-SHA256\n%s\n%s' % (date, cr_hash),
        'signature.txt': auth.rsplit('Signature=', 1)[1],
        'authorization.txt': auth,
        'hashed_payload.txt': body_hash,
    }


def source(section, note=''):
    return ('# Source\n\nDocumented vector: `docs/huawei.md` ("Test vectors"), %s.\n'
            'Stage files written by `python3 tools/vectors/huawei/documented.py`; '
            '`request.json` (where present) printed by the official Node SDK through '
            '`node tools/vectors/huawei/documented_requests.js`.\n%s' % (section, note))


def main():
    sdk = os.path.join(ROOT, 'sdk-hmac-sha256')
    v11 = os.path.join(ROOT, 'v11-hmac-sha256')
    stages = os.path.join(ROOT, 'stages')
    action_path = '/v1/%s/cloudservers/action/' % PROJECT
    std_headers = 'content-type:application/json\nhost:%s\nx-project-id:%s\nx-sdk-date:%s\n' % (HOST, PROJECT, DATE)
    std_signed = 'content-type;host;x-project-id;x-sdk-date'

    # H1: SDK end-to-end, SOFT, two servers, SDK body order (the library's default).
    h1_cr = 'POST\n%s\n\n%s\n%s\n97b0dcfb2d8321c5248d23b9ce56ea3d3d64fab64a8c9d9b8915e7dcf35f6235' % (action_path, std_headers, std_signed)
    files = sdk_stages(h1_cr, '75f8ddcc839fa17771fde9a632026fb0895551a1f406ffc808c430a9380532fd',
                       'SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=df3e3facc51ac61f44dcf2dbb77e8cf36d5173cf969b99e74b019440ddf2943e' % (AK, std_signed),
                       '97b0dcfb2d8321c5248d23b9ce56ea3d3d64fab64a8c9d9b8915e7dcf35f6235')
    files['case.json'] = case('BatchRebootServers', {'type': 'SOFT', 'servers': [S1, S2]})
    files['SOURCE.md'] = source('H1 (SDK end-to-end, SOFT, two servers, SDK body order)')
    write(os.path.join(sdk, 'h1_sdk_soft_two_servers'), files)

    # H2: HARD, one server, temporary credentials.
    tok = 'EXAMPLE-SECURITY-TOKEN'
    h2_headers = std_headers + 'x-security-token:%s\n' % tok
    h2_signed = std_signed + ';x-security-token'
    h2_cr = 'POST\n%s\n\n%s\n%s\nace5e424b479890013470ef281d17ab6aa0730113f43b22f8c1e42ed138ea8f8' % (action_path, h2_headers, h2_signed)
    files = sdk_stages(h2_cr, '040cb42c06b00512fe857f665b06b671c08666199250b0dfc77983becff3a89d',
                       'SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=2fe666285faf7ae04f0d7519dbc73c3066fedc7a26db9048e0fd1ab9236d5a13' % (AK, h2_signed),
                       'ace5e424b479890013470ef281d17ab6aa0730113f43b22f8c1e42ed138ea8f8')
    files['case.json'] = case('BatchRebootServers', {'type': 'HARD', 'servers': [S1]}, token=tok)
    files['SOURCE.md'] = source('H2 (SDK end-to-end, HARD, one server, X-Security-Token)')
    write(os.path.join(sdk, 'h2_sdk_hard_security_token'), files)

    # H3: documentation body order.
    h3_cr = 'POST\n%s\n\n%s\n%s\n63285bafd9b011fe108af4e685192fd3d93ebfd2290f39cf851e4ea1cb73b476' % (action_path, std_headers, std_signed)
    files = sdk_stages(h3_cr, 'b042a09e34c594ca606ae74bfeda77c34a1770a1217c00543769569b5cd34e1c',
                       'SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=c30dd281a33c97038d4a3be45bc8593a4d7e89a52204621f7f03a145a37cadbd' % (AK, std_signed),
                       '63285bafd9b011fe108af4e685192fd3d93ebfd2290f39cf851e4ea1cb73b476')
    files['case.json'] = case('BatchRebootServers', {'type': 'SOFT', 'servers': [S1, S2], 'body_order': 'documentation'})
    files['SOURCE.md'] = source('H3 (documentation body order, SOFT, two servers)',
                                '\nThe case selects the documentation byte form with the extension parameter `"body_order": "documentation"`.\n')
    write(os.path.join(sdk, 'h3_documentation_order'), files)

    # H4: job query.
    job = 'ff80808288d41e1b018990260955686a'
    h4_cr = 'GET\n/v1/%s/jobs/%s/\n\n%s\n%s\n%s' % (PROJECT, job, std_headers, std_signed, EMPTY)
    files = sdk_stages(h4_cr, '254bf56d54ee003ce832ac2c3774a2cd8115d3d1838df6577bff80c8844483c3',
                       'SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=fa8f4b8e19430983d08c551f75af715507637008d12f7cd436e19ce6fd90ca1f' % (AK, std_signed),
                       EMPTY)
    files['case.json'] = case('ShowJob', {'job_id': job})
    files['SOURCE.md'] = source('H4 (job query GET /v1/{project_id}/jobs/{job_id})')
    write(os.path.join(sdk, 'h4_show_job'), files)

    # V1: V11-HMAC-SHA256, same request as H3.
    info = '20261122/cn-north-4/ecs'
    files = {
        'canonical_request.txt': h3_cr,
        'hashed_canonical_request.txt': 'b042a09e34c594ca606ae74bfeda77c34a1770a1217c00543769569b5cd34e1c',
        'credential_scope.txt': info,
        'signing_key.txt': '3c58d90b0d680b72121f0e2378da915fe518bc1b2811d5a78211cf0fc30f9300',
        'string_to_sign.txt': 'V11-HMAC-SHA256\n%s\n%s\nb042a09e34c594ca606ae74bfeda77c34a1770a1217c00543769569b5cd34e1c' % (DATE, info),
        'signature.txt': '136cf9b49c6492633bc415b0f4356572970d7a5d44f88a7ab89d728e57274578',
        'authorization.txt': 'V11-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=136cf9b49c6492633bc415b0f4356572970d7a5d44f88a7ab89d728e57274578' % (AK, info, std_signed),
        'hashed_payload.txt': '63285bafd9b011fe108af4e685192fd3d93ebfd2290f39cf851e4ea1cb73b476',
        'case.json': case('BatchRebootServers', {'type': 'SOFT', 'servers': [S1, S2], 'body_order': 'documentation'},
                          signature='v11-hmac-sha256'),
        'SOURCE.md': source('V1 (V11-HMAC-SHA256, derived key; same request as H3)'),
    }
    write(os.path.join(v11, 'v1_derived_key'), files)

    # Stage-driven vectors (not reboot cases): input.json drives the stage functions directly.
    def stage_folder(name, section, inp, stage_files):
        files = dict(stage_files)
        files['input.json'] = json.dumps(inp, indent=2, ensure_ascii=False) + '\n'
        files['SOURCE.md'] = ('# Source\n\nDocumented vector: `docs/huawei.md` ("Test vectors"), %s. Driven through the '
                              'stage functions by `tests/huawei/signing.cpp` (`input.json` holds method, path, raw query, '
                              'headers to sign, body, X-Sdk-Date and the key pair). Written by '
                              '`python3 tools/vectors/huawei/documented.py`.\n' % section)
        write(os.path.join(stages, name), files)

    d1_cr = ('GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\nlimit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n'
             'content-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\n'
             'content-type;host;x-sdk-date\n' + EMPTY)
    stage_folder('d1_signing_guide', 'D1 (signing guide, "AK/SK signing algorithm")', {
        'method': 'GET', 'path': '/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs',
        'query': [['limit', '2'], ['marker', '13551d6b-755d-4757-b956-536f674975c0']],
        'headers': [['Content-Type', 'application/json'], ['X-Sdk-Date', '20191115T033655Z'], ['host', 'service.region.example.com']],
        'body': '', 'sdk_date': '20191115T033655Z', 'access_key_id': AK, 'secret': SK}, {
        'canonical_request.txt': d1_cr,
        'hashed_canonical_request.txt': 'b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a',
        'string_to_sign.txt': 'SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a',
        'signature.txt': '7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe',
        'authorization.txt': 'SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe',
        'hashed_payload.txt': EMPTY})

    stage_folder('apigw_canonical_request', 'APIGW signer unit tests (canonical request of test_signer.py)', {
        'method': 'POST', 'path': '/app1', 'query': [['a', '1']], 'headers': [['x-stage', 'RELEASE']],
        'body': 'body', 'sdk_date': '', 'access_key_id': '', 'secret': ''}, {
        'canonical_request.txt': 'POST\n/app1/\na=1\nx-stage:RELEASE\n\nx-stage\n230d8358dc8e8890b4c58deeb62912ee2f20357ae92a5cc861b98e68fe31acb5',
        'hashed_payload.txt': '230d8358dc8e8890b4c58deeb62912ee2f20357ae92a5cc861b98e68fe31acb5'})

    min_headers = [['host', HOST], ['X-Sdk-Date', DATE]]
    h5_body = '{"reboot":{"type":"HARD","servers":[{"id":"%s"}]}}' % S1
    h5_cr = 'POST\n%s\n\nhost:%s\nx-sdk-date:%s\n\nhost;x-sdk-date\ne8573bb9a86641a0656e722d80380f6271971a41a1df1f0f27fe31b9b8985a1b' % (action_path, HOST, DATE)
    stage_folder('h5_minimal_headers', 'H5 (minimal signed headers, HARD, one server)', {
        'method': 'POST', 'path': '/v1/%s/cloudservers/action' % PROJECT, 'query': [], 'headers': min_headers,
        'body': h5_body, 'sdk_date': DATE, 'access_key_id': AK, 'secret': SK},
        sdk_stages(h5_cr, 'ef3c95e2704820e4f66182a37405f9e72ea2b016d898e63c7adea8f5c57b9232',
                   'SDK-HMAC-SHA256 Access=%s, SignedHeaders=host;x-sdk-date, Signature=354141071067fd7c69f72a0642ec0cbd81d11e193482501ca95aa4a4955994c2' % AK,
                   'e8573bb9a86641a0656e722d80380f6271971a41a1df1f0f27fe31b9b8985a1b'))

    h6_q = 'B=x&a=1&a=2&empty=&name=a%20b%2Ac~d%2F%C3%A9'
    h6_cr = 'GET\n/v1/%s/cloudservers/detail/\n%s\nhost:%s\nx-sdk-date:%s\n\nhost;x-sdk-date\n%s' % (PROJECT, h6_q, HOST, DATE, EMPTY)
    files = sdk_stages(h6_cr, 'fd6289bfb7ab98e107046e4085e1a8f2e3bedc9e0c5353f28ed0c8dc84eb9d98',
                       'SDK-HMAC-SHA256 Access=%s, SignedHeaders=host;x-sdk-date, Signature=6ce23fc9e68bcfc6cbd82f83d488b1d43a360f9b03f10de0035d2f37dbfbba22' % AK, EMPTY)
    files['canonical_query.txt'] = h6_q
    stage_folder('h6_query_encoding', 'H6 (query-string encoding and sorting)', {
        'method': 'GET', 'path': '/v1/%s/cloudservers/detail' % PROJECT,
        'query': [['name', 'a b*c~d/é'], ['B', 'x'], ['a', '2'], ['a', '1'], ['empty', '']],
        'headers': min_headers, 'body': '', 'sdk_date': DATE, 'access_key_id': AK, 'secret': SK}, files)

    h7_cr = 'POST\n%s\n\nhost:%s\nx-sdk-content-sha256:UNSIGNED-PAYLOAD\nx-sdk-date:%s\n\nhost;x-sdk-content-sha256;x-sdk-date\nUNSIGNED-PAYLOAD' % (action_path, HOST, DATE)
    stage_folder('h7_unsigned_payload', 'H7 (unsigned payload)', {
        'method': 'POST', 'path': '/v1/%s/cloudservers/action' % PROJECT, 'query': [],
        'headers': min_headers + [['X-Sdk-Content-Sha256', 'UNSIGNED-PAYLOAD']],
        'body': h5_body, 'sdk_date': DATE, 'access_key_id': AK, 'secret': SK},
        sdk_stages(h7_cr, 'f7a032f37f92032d3979eeb36aec295305b70bbd4b60f633bd88c5b6d4aea1b2',
                   'SDK-HMAC-SHA256 Access=%s, SignedHeaders=host;x-sdk-content-sha256;x-sdk-date, Signature=fbb81560d85812612a0cc0c9eb5d033cfa74d61de03b1c39d163eb527da84bc1' % AK,
                   'UNSIGNED-PAYLOAD'))

    # H8: the value is given with surrounding spaces; the guide's (trimmed) signature is expected.
    stage_folder('h8_trimmed_header_value', 'H8 (whitespace trimming; as the signing guide trims, not the Node quirk)', {
        'method': 'GET', 'path': '/v1/%s/jobs/%s' % (PROJECT, job), 'query': [],
        'headers': [['host', HOST], ['X-Project-Id', '  %s  ' % PROJECT], ['X-Sdk-Date', DATE]],
        'body': '', 'sdk_date': DATE, 'access_key_id': AK, 'secret': SK}, {
        'signature.txt': '27ddf66836f4be3c55f6ebdc902c6f678df002ef91c89ccc84c47dca2a27c9c3',
        'signed_headers.txt': 'host;x-project-id;x-sdk-date'})


if __name__ == '__main__':
    main()
