// Every HTTP channel kind, driven end to end against a real local receiver: a check goes down, then recovers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlerting, type Alerting } from './support/alerting.js';
import type { Received } from '../support/http.js';

let a: Alerting;
beforeAll(async () => {
  a = await startAlerting();
});
afterAll(async () => {
  await a.close();
});

/** Creates a channel of `kind`, a check subscribed only to it, fails the check and recovers it; returns both requests. */
async function downThenUp(
  kind: string,
  config: (base: string) => Record<string, unknown>,
  prefix: string,
  checkOptions: Record<string, unknown> = {},
) {
  const channel = await a.channel(kind, config(`${a.receiver.url}${prefix}`), { is_default: false });
  const check = await a.check({ channels: [channel.id], project: 'billing', service: 'invoicer', ...checkOptions });
  await a.ping(check);
  await a.ping(check, 'fail');
  await a.deliver();
  await a.ping(check);
  await a.deliver();
  const incident = (await a.t.api('GET', `/api/v1/incidents?check=${check.id}`)).body.items[0];
  const received = a.receiver.requests.filter((r) => r.path.startsWith(prefix) || r.body.includes(check.id) || r.body.includes(check.name));
  return { channel, check, incident, received };
}

describe('Slack', () => {
  it('posts the summary as text and the facts as Block Kit fields, with a button to the check', async () => {
    const { check, received } = await downThenUp('slack', (url) => ({ webhook_url: url }), '/slack/T000/B000/XXXX');
    expect(received).toHaveLength(2);
    const [down, up] = received.map((r) => r.json);
    expect(down.text).toContain(`${check.name} (billing / invoicer) is DOWN`);
    expect(down.text).toContain('received a failure signal');
    const fields = JSON.stringify(down.blocks);
    expect(fields).toContain('*Expected*');
    expect(fields).toContain('*Last seen*');
    expect(fields).toContain(`${a.t.url}/checks/${check.id}`);
    expect(up.text).toContain('is back UP');
  });
});

describe('Discord', () => {
  it('posts an embed coloured by event with the facts as fields', async () => {
    const { check, received } = await downThenUp('discord', (url) => ({ webhook_url: url }), '/discord/api/webhooks/1/abc');
    expect(received).toHaveLength(2);
    const embed = received[0].json.embeds[0];
    expect(embed.title).toBe(`DOWN: ${check.name}`);
    expect(embed.url).toBe(`${a.t.url}/checks/${check.id}`);
    expect(embed.fields.map((f: any) => f.name)).toEqual(
      expect.arrayContaining(['Check', 'Where', 'Expected', 'Last seen', 'Reason', 'Severity', 'Link']),
    );
    expect(received[0].json.allowed_mentions).toEqual({ parse: [] });
    expect(received[1].json.embeds[0].title).toBe(`UP: ${check.name}`);
  });
});

describe('Microsoft Teams', () => {
  it('posts an Adaptive Card with a fact set and an Open check action', async () => {
    const { check, received } = await downThenUp('teams', (url) => ({ webhook_url: url }), '/teams/webhookb2/xyz');
    expect(received).toHaveLength(2);
    const attachment = received[0].json.attachments[0];
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(attachment.content.type).toBe('AdaptiveCard');
    const facts = attachment.content.body.find((b: any) => b.type === 'FactSet').facts;
    expect(facts).toContainEqual({ title: 'Check', value: check.name });
    expect(attachment.content.actions[0]).toMatchObject({ type: 'Action.OpenUrl', url: `${a.t.url}/checks/${check.id}` });
  });
});

describe('Telegram', () => {
  it('calls sendMessage of the bot at the configured API URL with HTML text for the chat', async () => {
    const { check, received } = await downThenUp(
      'telegram',
      (url) => ({ bot_token: '123456:SECRET-bot-token', chat_id: '-100200300', api_url: url }),
      '/tg',
    );
    const calls = received.filter((r) => r.path === '/tg/bot123456:SECRET-bot-token/sendMessage');
    expect(calls).toHaveLength(2);
    expect(calls[0].json).toMatchObject({ chat_id: '-100200300', parse_mode: 'HTML', disable_web_page_preview: true });
    expect(calls[0].json.text).toContain(`<b>Check:</b> ${check.name}`);
    expect(calls[1].json.text).toContain('back UP');
  });
});

describe('ntfy', () => {
  it('publishes JSON to the server root with topic, title, priority, click link and the access token', async () => {
    const { check, received } = await downThenUp(
      'ntfy',
      (url) => ({ server_url: url, topic: 'ops-alerts', token: 'tk_ntfysecret0001' }),
      '/ntfy',
    );
    expect(received).toHaveLength(2);
    expect(received[0].headers.authorization).toBe('Bearer tk_ntfysecret0001');
    expect(received[0].json).toMatchObject({
      topic: 'ops-alerts',
      title: `DOWN: ${check.name}`,
      priority: 4,
      click: `${a.t.url}/checks/${check.id}`,
    });
    expect(received[1].json).toMatchObject({ priority: 3, tags: ['white_check_mark'] });
  });
});

describe('PagerDuty', () => {
  it('triggers on down and resolves on recovery, with the incident id as dedup key', async () => {
    a.receiver.answers.push(202, 202);
    const { incident, received } = await downThenUp(
      'pagerduty',
      (url) => ({ routing_key: 'R0123456789ABCDEF0123456789ABCDE', api_url: url }),
      '/pd',
      { severity: 'critical' },
    );
    const events = received.filter((r) => r.path === '/pd/v2/enqueue').map((r) => r.json);
    expect(events.map((e) => e.event_action)).toEqual(['trigger', 'resolve']);
    expect(events.every((e) => e.dedup_key === incident.id && e.routing_key === 'R0123456789ABCDEF0123456789ABCDE')).toBe(true);
    expect(events[0].payload).toMatchObject({ severity: 'critical', component: expect.stringMatching(/^job /), source: 'invoicer' });
    expect(events[0].links[0].href).toContain(`/checks/${incident.check_id}`);
  });
});

describe('Opsgenie', () => {
  it('creates an alert aliased by the incident and closes it by alias on recovery', async () => {
    a.receiver.answers.push(202, 202);
    const { incident, received } = await downThenUp('opsgenie', (url) => ({ api_key: 'og-key-0123456789abcdef', api_url: url }), '/og');
    const calls = received.filter((r) => r.path.startsWith('/og/'));
    expect(calls.map((c) => c.path)).toEqual(['/og/v2/alerts', `/og/v2/alerts/${incident.id}/close?identifierType=alias`]);
    expect(calls[0].headers.authorization).toBe('GenieKey og-key-0123456789abcdef');
    expect(calls[0].json).toMatchObject({ alias: incident.id, priority: 'P3', source: 'Overdue' });
    expect(calls[0].json.message.length).toBeLessThanOrEqual(130);
  });
});

describe('Pushover', () => {
  it('posts a form with token, user, title, HTML message and the check link', async () => {
    const { check, received } = await downThenUp(
      'pushover',
      (url) => ({ token: 'app-token-0123456789', user: 'user-key-0123456789', api_url: url }),
      '/po',
    );
    const calls = received.filter((r) => r.path === '/po/1/messages.json');
    expect(calls).toHaveLength(2);
    const form = new URLSearchParams(calls[0].body);
    expect(calls[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(form)).toMatchObject({
      token: 'app-token-0123456789',
      user: 'user-key-0123456789',
      title: `DOWN: ${check.name}`,
      html: '1',
      url: `${a.t.url}/checks/${check.id}`,
      priority: '1',
    });
  });
});

describe('Matrix', () => {
  it('PUTs an m.room.message with the idempotency key as transaction id', async () => {
    const { received } = await downThenUp(
      'matrix',
      (url) => ({ homeserver_url: url, access_token: 'syt_matrix_secret_token', room_id: '!ops:example.org' }),
      '/mx',
    );
    const calls = received.filter((r) => r.path.startsWith('/mx/_matrix/client/v3/rooms/'));
    expect(calls).toHaveLength(2);
    expect(calls[0].method).toBe('PUT');
    expect(calls[0].path).toMatch(/^\/mx\/_matrix\/client\/v3\/rooms\/!ops%3Aexample\.org\/send\/m\.room\.message\/[^/]+%3Adown%3A/);
    expect(calls[0].headers.authorization).toBe('Bearer syt_matrix_secret_token');
    expect(calls[0].json).toMatchObject({ msgtype: 'm.text', format: 'org.matrix.custom.html' });
  });
});

describe('every channel kind', () => {
  it('never shows a secret in API reads', async () => {
    const list = await a.t.api('GET', '/api/v1/channels');
    const text = JSON.stringify(list.body);
    for (const secret of [
      'SECRET-bot-token',
      'tk_ntfysecret0001',
      'R0123456789ABCDEF0123456789ABCDE',
      'og-key-0123456789abcdef',
      'app-token-0123456789',
      'user-key-0123456789',
      'syt_matrix_secret_token',
      'T000/B000/XXXX',
      'webhooks/1/abc',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(list.body.kinds).toEqual(
      expect.arrayContaining([
        'webhook',
        'slack',
        'discord',
        'teams',
        'telegram',
        'ntfy',
        'pagerduty',
        'opsgenie',
        'pushover',
        'matrix',
        'email',
      ]),
    );
  });

  it('rejects a config that misses a required field with a 400 naming it', async () => {
    const res = await a.t.api('POST', '/api/v1/channels', { kind: 'telegram', name: 'tg', config: { chat_id: '1' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_channel');
    expect(res.body.error.message).toContain('config.bot_token');
    const unknown = await a.t.api('POST', '/api/v1/channels', { kind: 'carrier-pigeon', name: 'x', config: {} });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('unknown_channel_kind');
  });

  it('keeps a recorded error free of the secret even when the receiver echoes it back', async () => {
    a.receiver.answers.push({
      status: 400,
      body: '{"description":"Bad Request: chat not found for /tg/bot999:ECHOED-secret-token/sendMessage"}',
    });
    const channel = await a.channel(
      'telegram',
      { bot_token: '999:ECHOED-secret-token', chat_id: '1', api_url: `${a.receiver.url}/tg` },
      { is_default: false },
    );
    const check = await a.check({ channels: [channel.id] });
    await a.ping(check, 'fail');
    await a.deliver();
    const failed = await a.t.api('GET', `/api/v1/notifications?status=failed&channel=${channel.id}`);
    expect(failed.body.items).toHaveLength(1);
    expect(failed.body.items[0].last_error).toContain('receiver answered 400');
    expect(JSON.stringify(failed.body)).not.toContain('ECHOED-secret-token');
  });
});

export type { Received };
