// Channel secrets stay with their destination: an edit that points a channel somewhere else must supply every
// stored secret anew (400 secret_required otherwise), so whoever may edit a channel cannot read an admin's secrets
// by redirecting it to their own server (audit finding 6).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlerting, type Alerting } from './support/alerting.js';
import { joinByInvitation } from '../support/session.js';

let a: Alerting;
beforeAll(async () => {
  a = await startAlerting();
});
afterAll(async () => {
  await a.close();
});

interface Row {
  /** The config an admin saved, with every secret set. */
  config: (url: string) => Record<string, unknown>;
  /** A change of destination only. */
  move: (url: string) => Record<string, unknown>;
  /** The secrets that move would carry along (config.… names the 400 must list). */
  carried: string[];
  /** The same move with every secret given anew. */
  anew: (url: string) => Record<string, unknown>;
}

const TABLE: Record<string, Row> = {
  webhook: {
    config: (u) => ({ url: `${u}/wh`, headers: { Authorization: 'Bearer hdr-secret-0123456789' }, secret: 'whsec-0123456789abcdef' }),
    move: (u) => ({ url: `${u}/elsewhere` }),
    carried: ['config.secret', 'config.headers.Authorization'],
    anew: (u) => ({ url: `${u}/elsewhere`, secret: 'whsec-new-0123456789ab', headers: { Authorization: 'Bearer new-0123456789' } }),
  },
  slack: {
    config: (u) => ({ webhook_url: `${u}/sl` }),
    move: (u) => ({ webhook_url: `${u}/sl2` }),
    carried: [],
    anew: (u) => ({ webhook_url: `${u}/sl3` }),
  },
  discord: {
    config: (u) => ({ webhook_url: `${u}/dc` }),
    move: (u) => ({ webhook_url: `${u}/dc2` }),
    carried: [],
    anew: (u) => ({ webhook_url: `${u}/dc3` }),
  },
  teams: {
    config: (u) => ({ webhook_url: `${u}/tm` }),
    move: (u) => ({ webhook_url: `${u}/tm2` }),
    carried: [],
    anew: (u) => ({ webhook_url: `${u}/tm3` }),
  },
  telegram: {
    config: (u) => ({ bot_token: '123:tg-secret-token-0001', chat_id: '1', api_url: `${u}/tg` }),
    move: (u) => ({ api_url: `${u}/tg2` }),
    carried: ['config.bot_token'],
    anew: (u) => ({ api_url: `${u}/tg2`, bot_token: '123:tg-new-token-0002' }),
  },
  ntfy: {
    config: (u) => ({ server_url: `${u}/ntfy`, topic: 'alerts-topic-secret-0001', token: 'tk_ntfy-secret-0001' }),
    move: (u) => ({ server_url: `${u}/ntfy2` }),
    carried: ['config.token', 'config.topic'],
    anew: (u) => ({ server_url: `${u}/ntfy2`, topic: 'alerts-topic-new-0002', token: 'tk_ntfy-new-0002' }),
  },
  pagerduty: {
    config: (u) => ({ routing_key: 'R0123456789ABCDEF0123456789ABCDE', api_url: `${u}/pd` }),
    move: (u) => ({ api_url: `${u}/pd2` }),
    carried: ['config.routing_key'],
    anew: (u) => ({ api_url: `${u}/pd2`, routing_key: 'RNEW456789ABCDEF0123456789ABCDE' }),
  },
  opsgenie: {
    config: (u) => ({ api_key: 'og-key-0123456789abcdef', api_url: `${u}/og` }),
    move: (u) => ({ api_url: `${u}/og2` }),
    carried: ['config.api_key'],
    anew: (u) => ({ api_url: `${u}/og2`, api_key: 'og-new-0123456789abcdef' }),
  },
  pushover: {
    config: (u) => ({ token: 'app-token-0123456789', user: 'user-key-0123456789', api_url: `${u}/po` }),
    move: (u) => ({ api_url: `${u}/po2` }),
    carried: ['config.token', 'config.user'],
    anew: (u) => ({ api_url: `${u}/po2`, token: 'app-new-0123456789', user: 'user-new-0123456789' }),
  },
  matrix: {
    config: (u) => ({ homeserver_url: `${u}/mx`, access_token: 'syt_matrix_secret_token', room_id: '!ops:example.org' }),
    move: (u) => ({ homeserver_url: `${u}/mx2` }),
    carried: ['config.access_token'],
    anew: (u) => ({ homeserver_url: `${u}/mx2`, access_token: 'syt_matrix_new_token' }),
  },
  email: {
    config: () => ({
      host: '127.0.0.1',
      port: 2525,
      security: 'none',
      username: 'alerts@corp.example',
      password: 'CORP-SMTP-PASSWORD-9',
      from: 'a@example.test',
      to: ['b@example.test'],
    }),
    move: () => ({ host: 'localhost' }),
    carried: ['config.password'],
    anew: () => ({ host: 'localhost', password: 'CORP-SMTP-PASSWORD-10' }),
  },
};

async function read(id: string) {
  const res = await a.t.api('GET', `/api/v1/channels/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

describe('moving a channel to another destination', () => {
  it('the table covers every channel kind', async () => {
    const kinds = (await a.t.api('GET', '/api/v1/channels')).body.kinds as string[];
    expect(Object.keys(TABLE).sort()).toEqual([...kinds].sort());
  });

  for (const [kind, row] of Object.entries(TABLE)) {
    it(`${kind}: needs every stored secret anew, and refuses the echoed mask with 400 secret_required naming them`, async () => {
      const url = a.receiver.url;
      const channel = await a.channel(kind, row.config(url), { is_default: false });
      const before = await read(channel.id);
      const moved = await a.t.api('PATCH', `/api/v1/channels/${channel.id}`, { config: { ...before.config, ...row.move(url) } });
      if (row.carried.length === 0) {
        // The URL is the only secret: a new URL is a new secret, nothing travels along.
        expect(moved.status, JSON.stringify(moved.body)).toBe(200);
        return;
      }
      expect(moved.status, JSON.stringify(moved.body)).toBe(400);
      expect(moved.body.error.code).toBe('secret_required');
      for (const field of row.carried) expect(moved.body.error.message).toContain(field);
      // Leaving the secrets out altogether is the same move with the same answer.
      const omitted = await a.t.api('PATCH', `/api/v1/channels/${channel.id}`, { config: row.move(url) });
      expect(omitted.body.error?.code).toBe('secret_required');
      // Nothing was written.
      expect((await read(channel.id)).config).toEqual(before.config);

      const anew = await a.t.api('PATCH', `/api/v1/channels/${channel.id}`, { config: { ...before.config, ...row.anew(url) } });
      expect(anew.status, JSON.stringify(anew.body)).toBe(200);
    });
  }

  it('an edit that keeps the destination still keeps the secrets sent back masked', async () => {
    const channel = await a.channel(
      'telegram',
      { bot_token: '123:kept-secret-token-01', chat_id: '1', api_url: `${a.receiver.url}/tg-keep` },
      { is_default: false },
    );
    const before = await read(channel.id);
    const changed = await a.t.api('PATCH', `/api/v1/channels/${channel.id}`, { config: { ...before.config, chat_id: '2' } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    await a.t.api('POST', `/api/v1/channels/${channel.id}/test`);
    expect(a.receiver.at('/tg-keep/bot123:kept-secret-token-01/sendMessage')).toHaveLength(1);
  });
});

describe("the audit's repro: an editor redirects an admin's channel", () => {
  it('webhook: the authorization header never reaches the new URL', async () => {
    const channel = await a.channel(
      'webhook',
      { url: `${a.receiver.url}/legit`, headers: { Authorization: 'Bearer ADMIN-ONLY-TOKEN-42' } },
      { is_default: false },
    );
    const editor = await a.t.keyWithScope('write');
    const seen = await a.t.api('GET', `/api/v1/channels/${channel.id}`, undefined, editor);
    expect(JSON.stringify(seen.body)).not.toContain('ADMIN-ONLY-TOKEN-42');
    const patched = await a.t.api(
      'PATCH',
      `/api/v1/channels/${channel.id}`,
      { config: { ...seen.body.config, url: `${a.receiver.url}/steal` } },
      editor,
    );
    expect(patched.status).toBe(400);
    expect(patched.body.error.code).toBe('secret_required');
    expect(patched.body.error.message).toContain('config.headers.Authorization');
    await a.t.api('POST', `/api/v1/channels/${channel.id}/test`, undefined, editor);
    expect(a.receiver.at('/steal')).toEqual([]);
    expect(a.receiver.at('/legit')[0].headers.authorization).toBe('Bearer ADMIN-ONLY-TOKEN-42');
  });

  it('e-mail: a new host, port or TLS setting needs the SMTP password again', async () => {
    const channel = await a.channel('email', TABLE.email.config(''), { is_default: false });
    const editor = await a.t.keyWithScope('write');
    const seen = await a.t.api('GET', `/api/v1/channels/${channel.id}`, undefined, editor);
    for (const move of [{ host: 'attacker.example' }, { port: 18296 }, { security: 'tls' }, { tls_reject_unauthorized: false }]) {
      const patched = await a.t.api('PATCH', `/api/v1/channels/${channel.id}`, { config: { ...seen.body.config, ...move } }, editor);
      expect(patched.status, JSON.stringify(move)).toBe(400);
      expect(patched.body.error).toMatchObject({ code: 'secret_required' });
      expect(patched.body.error.message).toContain('config.password');
    }
    expect((await read(channel.id)).config).toEqual(seen.body.config);
    // Clearing the login is a valid way to move: no secret travels.
    const cleared = await a.t.api(
      'PATCH',
      `/api/v1/channels/${channel.id}`,
      { config: { host: 'attacker.example', username: null, password: null } },
      editor,
    );
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
  });
});

describe('settings that work like secrets (audit finding 13)', () => {
  it('an ntfy topic is masked for everyone and kept when sent back masked', async () => {
    const channel = await a.channel(
      'ntfy',
      { server_url: `${a.receiver.url}/ntfy-topic`, topic: 'private-topic-name-is-the-secret' },
      { is_default: false },
    );
    for (const scope of ['read', 'write'] as const) {
      const seen = await a.t.api('GET', `/api/v1/channels/${channel.id}`, undefined, await a.t.keyWithScope(scope));
      expect(JSON.stringify(seen.body), scope).not.toContain('private-topic-name-is-the-secret');
    }
    const seen = await read(channel.id);
    expect((await a.t.api('PATCH', `/api/v1/channels/${channel.id}`, { name: 'renamed', config: seen.config })).status).toBe(200);
    await a.t.api('POST', `/api/v1/channels/${channel.id}/test`);
    expect(a.receiver.at('/ntfy-topic')[0].json.topic).toBe('private-topic-name-is-the-secret');
  });

  it('a webhook body template and an SMTP login are masked for read keys and viewers, shown to editors', async () => {
    const hook = await a.channel(
      'webhook',
      { url: `${a.receiver.url}/tpl`, body_template: '{"token":"TEMPLATESECRET","text":"{{summary}}"}' },
      { is_default: false },
    );
    const mail = await a.channel('email', TABLE.email.config(''), { is_default: false });
    const viewer = await viewerSession();
    const reads = [
      (await a.t.api('GET', '/api/v1/channels', undefined, await a.t.keyWithScope('read'))).body,
      (await a.t.api('GET', `/api/v1/channels/${hook.id}`, undefined, await a.t.keyWithScope('read'))).body,
      (await a.t.api('GET', `/api/v1/channels/${mail.id}`, undefined, await a.t.keyWithScope('read'))).body,
      (await viewer.request('GET', '/api/v1/channels')).body,
    ];
    for (const body of reads) {
      const text = JSON.stringify(body);
      expect(text).not.toContain('TEMPLATESECRET');
      expect(text).not.toContain('alerts@corp.example');
    }
    const editor = await a.t.api('GET', `/api/v1/channels/${hook.id}`, undefined, await a.t.keyWithScope('write'));
    expect(editor.body.config.body_template).toContain('TEMPLATESECRET');
  });
});

/** A signed-in viewer of the workspace. */
async function viewerSession() {
  const email = `viewer-${Math.random().toString(36).slice(2, 8)}@secrets.test`;
  return joinByInvitation(a.t, email, 'viewer', 'secrets-viewer-password');
}
