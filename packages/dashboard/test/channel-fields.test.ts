// The channel form's description of each kind mirrors the server's validators: these tests hold the two together,
// and pin what an edit sends (a stored secret is never sent back unless retyped).
import { describe, expect, it } from 'vitest';
import { channelKind, channelKinds } from '../../server/src/alerts/channels/index.js';
import { CHANNEL_FORMS, channelSummary, configToSend, formOfKind, initialValues, type FieldValue } from '../src/format/channel-fields';

/** A new channel's form with every required field filled with its example. */
function filledExample(kind: string): Record<string, FieldValue> {
  const form = formOfKind(kind)!;
  const values = initialValues(form, null);
  for (const f of form.fields) if (f.required) values[f.name] = f.placeholder!;
  return values;
}

describe('the channel form of each kind', () => {
  it('exists for every kind the server knows, and for no other', () => {
    expect(CHANNEL_FORMS.map((f) => f.kind).sort()).toEqual(channelKinds().sort());
  });

  it.each(channelKinds())('%s: its examples make a config the server accepts, with no field the server does not know', (kind) => {
    const config = configToSend(formOfKind(kind)!, filledExample(kind), false, null);
    const parsed = channelKind(kind)!.parseConfig(config);
    for (const field of formOfKind(kind)!.fields) expect(Object.keys(parsed), field.name).toContain(field.name);
  });

  it.each(channelKinds())('%s: marks as secret exactly the fields the server masks', (kind) => {
    const server = channelKind(kind)!;
    const secret = formOfKind(kind)!
      .fields.filter((f) => f.secret)
      .map((f) => f.name)
      .sort();
    expect(secret).toEqual([...server.secrets, ...(server.secretMaps ?? [])].sort());
  });

  it.each(channelKinds())('%s: a form with a required field left empty is refused by the server, naming that field', (kind) => {
    const form = formOfKind(kind)!;
    for (const field of form.fields.filter((f) => f.required)) {
      const values = { ...filledExample(kind), [field.name]: '' };
      expect(() => channelKind(kind)!.parseConfig(configToSend(form, values, false, null))).toThrow(`config.${field.name}`);
    }
  });
});

describe('what the form sends', () => {
  const webhook = formOfKind('webhook')!;
  const stored = {
    url: 'https://hooks.example.com/…',
    method: 'PUT',
    headers: { Authorization: '****' },
    body_template: null,
    content_type: 'application/json',
    secret: '****abcd',
  };

  it('for a new channel: only the fields that have a value', () => {
    const values = { ...initialValues(webhook, null), url: 'https://hooks.example.com/x' };
    expect(configToSend(webhook, values, false, null)).toEqual({ url: 'https://hooks.example.com/x', method: 'POST', headers: {} });
  });

  it('for an edit: stored secrets start empty and are not sent back when left alone', () => {
    const values = initialValues(webhook, stored);
    expect(values.url).toBe('');
    expect(values.secret).toBe('');
    expect(values.method).toBe('PUT');
    const config = configToSend(webhook, values, true, values);
    expect(config).not.toHaveProperty('url');
    expect(config).not.toHaveProperty('secret');
    expect(config).not.toHaveProperty('headers');
    expect(config).toMatchObject({ method: 'PUT', content_type: 'application/json', body_template: null });
  });

  it('for an edit: a retyped secret is sent', () => {
    const original = initialValues(webhook, stored);
    expect(configToSend(webhook, { ...original, url: 'https://new.example.com/hook' }, true, original).url).toBe(
      'https://new.example.com/hook',
    );
  });

  it("for an edit: an emptied plain field is sent as null, so the server's default applies again", () => {
    // The topic is a secret (masked by the server): left untouched, it is not sent, and the stored one stays.
    const ntfy = formOfKind('ntfy')!;
    const original = initialValues(ntfy, { topic: '****opic', server_url: 'https://ntfy.example.com', token: null, priority: 4 });
    expect(configToSend(ntfy, { ...original, priority: '' }, true, original)).toEqual({
      server_url: 'https://ntfy.example.com',
      priority: null,
    });
  });

  it('for an edit: header values left empty keep the stored value, a new one is sent, a removed header goes', () => {
    const original = initialValues(webhook, { ...stored, headers: { Authorization: '****', 'X-Team': '****' } });
    expect(original.headers).toEqual([
      ['Authorization', ''],
      ['X-Team', ''],
    ]);
    const config = configToSend(
      webhook,
      {
        ...original,
        headers: [
          ['Authorization', ''],
          ['X-Env', 'prod'],
        ],
      },
      true,
      original,
    );
    expect(config.headers).toEqual({ Authorization: '****', 'X-Env': 'prod' });
  });

  it("an email channel's recipients as a list", () => {
    const email = formOfKind('email')!;
    const config = configToSend(email, { ...filledExample('email'), to: 'a@example.com,\nb@example.com' }, false, null);
    expect(config.to).toEqual(['a@example.com', 'b@example.com']);
  });
});

describe('a channel in the list', () => {
  it('shows its main settings by their labels, without empty ones', () => {
    expect(
      channelSummary('webhook', {
        url: 'https://hooks.example.com/…',
        method: 'POST',
        headers: {},
        body_template: null,
        secret: '****abcd',
      }),
    ).toBe('URL: https://hooks.example.com/…');
    expect(
      channelSummary('email', { host: 'smtp.example.com', to: ['a@example.com', 'b@example.com'], from: 'x@example.com', username: null }),
    ).toBe('To: a@example.com, b@example.com · From: x@example.com · SMTP host: smtp.example.com');
  });
});
