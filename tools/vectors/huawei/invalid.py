#!/usr/bin/env python3
"""Writes tests/data/huawei/invalid/*.json: one case per invalid-input rule, with the field the
error must name and a fragment of the rule. Run from the repository root:
    python3 tools/vectors/huawei/invalid.py
"""
import copy
import json
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'tests', 'data', 'huawei', 'invalid')
S1 = '616fb98f-46ca-475e-917e-2563e5a8cd19'
S2 = '726fb98f-46ca-475e-917e-2563e5a8cd20'
BASE = {
    'provider': 'huawei', 'action': 'BatchRebootServers', 'region': 'cn-north-4',
    'project_id': '77b6a44cba5143ab91d13ab9a8ff44fd',
    'credentials': {'access_key_id': 'QTWAOYTTINDUT2QVKYUC', 'access_key_secret': 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc'},
    'time': '2026-11-22T09:10:11Z',
    'params': {'type': 'SOFT', 'servers': [S1, S2]},
}


def uuid_n(i):
    return '%08x-0000-4000-8000-%012x' % (i, i)


def make(name, field, rule, change):
    case = copy.deepcopy(BASE)
    change(case)
    with open(os.path.join(ROOT, name + '.json'), 'w') as out:
        json.dump({'case': case, 'field': field, 'rule': rule}, out, indent=1 if name != 'servers_too_many' else None)
        out.write('\n')


def main():
    os.makedirs(ROOT, exist_ok=True)
    p = lambda **kw: (lambda c: c['params'].update(kw))
    make('servers_empty', 'servers', 'at least one id', p(servers=[]))
    make('servers_too_many', 'servers', 'at most 1000 ids per call (got 1001)', p(servers=[uuid_n(i) for i in range(1001)]))
    make('servers_missing', 'servers', 'is required', lambda c: c['params'].pop('servers'))
    make('servers_not_array', 'servers', 'must be an array', p(servers=S1))
    make('server_id_not_uuid', 'servers[1].id', 'must be a UUID', p(servers=[S1, 'i-bp67acfmxazb4ph00001']))
    make('server_id_bad_hex', 'servers[0].id', 'must be a UUID', p(servers=['616fb98f-46ca-475e-917e-2563e5a8cdzz']))
    make('server_id_empty', 'servers[0].id', 'must not be empty', p(servers=['']))
    make('server_id_not_string', 'servers[0].id', 'must be a string', p(servers=[42]))
    make('server_id_duplicate', 'servers[2].id', 'duplicate of servers[0].id', p(servers=[S1, S2, S1]))
    make('server_id_duplicate_case', 'servers[1].id', 'duplicate of servers[0].id', p(servers=[S1, S1.upper()]))
    make('project_id_missing', 'project_id', 'is required', lambda c: c.pop('project_id'))
    make('project_id_length', 'project_id', 'must be 32 hexadecimal digits', lambda c: c.update(project_id='77b6a44cba5143ab'))
    make('project_id_not_hex', 'project_id', 'must be 32 hexadecimal digits', lambda c: c.update(project_id='77b6a44cba5143ab91d13ab9a8ff44f/'))
    make('type_invalid', 'type', 'must be SOFT or HARD', p(type='SOFT_FIRST'))
    make('type_missing', 'type', 'is required', lambda c: c['params'].pop('type'))
    make('signature_unknown', 'signature', 'must be sdk-hmac-sha256 or v11-hmac-sha256', lambda c: c.update(signature='acs3-hmac-sha256'))
    make('method_unknown', 'method', 'must be GET or POST', lambda c: c.update(method='PUT'))
    make('method_get_for_reboot', 'method', 'sent with POST only', lambda c: c.update(method='GET'))
    make('action_unknown', 'action', 'must be BatchRebootServers, ShowJob or ShowServer', lambda c: c.update(action='RebootInstances'))
    make('region_missing', 'region', 'is required when no endpoint is given', lambda c: c.pop('region'))
    make('region_invalid', 'region', 'lower-case letters, digits', lambda c: c.update(region='CN_North_4'))
    make('body_order_invalid', 'body_order', 'must be sdk or documentation', p(body_order='alphabetical'))
    make('security_token_newline', 'X-Security-Token', 'control characters',
         lambda c: c['credentials'].update(security_token='abc\r\nX-Injected: 1'))

    def show_job(c, job):
        c['action'] = 'ShowJob'
        c['params'] = {'job_id': job}
    make('job_id_invalid', 'job_id', "letters, digits, '-' and '_'", lambda c: show_job(c, 'ff80/../jobs'))
    make('job_id_missing', 'job_id', 'is required', lambda c: c.update(action='ShowJob', params={}))

    def show_server(c, sid):
        c['action'] = 'ShowServer'
        c['params'] = {'server_id': sid}
    make('server_id_show_invalid', 'server_id', 'must be a UUID', lambda c: show_server(c, 'not-a-uuid'))
    make('method_post_for_show_job', 'method', 'sent with GET only',
         lambda c: (show_job(c, 'ff80808288d41e1b018990260955686a'), c.update(method='POST')))


if __name__ == '__main__':
    main()
