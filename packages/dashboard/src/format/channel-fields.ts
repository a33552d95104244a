// What each channel kind asks for, field by field, for the channel form. It mirrors the server's validators
// (packages/server/src/alerts/channels/*.ts, one file per kind, built from alerts/channels/fields.ts) and the
// table in docs/alerts.md; the server still validates everything and its 400 names the field it refuses.

export type FieldType = 'text' | 'url' | 'number' | 'select' | 'list' | 'headers' | 'textarea' | 'checkbox';

export interface ChannelField {
  name: string;
  label: string;
  type: FieldType;
  required?: boolean;
  /** Stored as a secret: API reads show it masked, so an edit leaves it empty ("unchanged") unless retyped. */
  secret?: boolean;
  placeholder?: string;
  hint?: string;
  options?: string[];
  min?: number;
  max?: number;
  /** Rarely changed: shown under "More settings". */
  advanced?: boolean;
  /** For checkboxes: the value when the config does not say. */
  defaultChecked?: boolean;
}

export interface ChannelKindForm {
  kind: string;
  label: string;
  /** One sentence: what the channel sends where, and where to get its settings. */
  intro: string;
  namePlaceholder: string;
  fields: ChannelField[];
}

const incomingWebhook = (kind: string, label: string, where: string, example: string): ChannelKindForm => ({
  kind,
  label,
  intro: `Posts each alert to a ${label} channel through an incoming webhook (${where}).`,
  namePlaceholder: `#ops on ${label}`,
  fields: [
    {
      name: 'webhook_url',
      label: 'Incoming webhook URL',
      type: 'url',
      required: true,
      secret: true,
      placeholder: example,
      hint: 'The URL is the credential: it is stored as a secret.',
    },
  ],
});

const apiUrl = (fallback: string): ChannelField => ({
  name: 'api_url',
  label: 'API URL',
  type: 'url',
  placeholder: fallback,
  hint: `Only for a proxy or another region; default ${fallback}.`,
  advanced: true,
});

export const CHANNEL_FORMS: ChannelKindForm[] = [
  {
    kind: 'webhook',
    label: 'Webhook',
    namePlaceholder: 'ops webhook',
    intro: 'POSTs each alert as JSON (or your template) to a URL, signed with a secret in X-Overdue-Signature.',
    fields: [
      {
        name: 'url',
        label: 'URL',
        type: 'url',
        required: true,
        secret: true,
        placeholder: 'https://example.com/hooks/overdue',
        hint: 'Overdue sends the notification here. Stored as a secret: it may carry a token.',
      },
      { name: 'method', label: 'Method', type: 'select', options: ['POST', 'PUT', 'PATCH'], advanced: true },
      {
        name: 'headers',
        label: 'Headers',
        type: 'headers',
        secret: true,
        hint: 'Sent with every request, e.g. Authorization. Values are stored as secrets.',
        advanced: true,
      },
      { name: 'content_type', label: 'Content type', type: 'text', placeholder: 'application/json', advanced: true },
      {
        name: 'body_template',
        label: 'Body template',
        type: 'textarea',
        placeholder: '{"text": "{{summary}}"}',
        hint: 'Leave empty to send the notification JSON. Variables such as {{summary}}, {{check.name}} and {{action}} are filled in (see the alerts documentation).',
        advanced: true,
      },
      {
        name: 'secret',
        label: 'Signing secret',
        type: 'text',
        secret: true,
        placeholder: 'leave empty to get a generated one',
        hint: 'At least 16 characters. It is shown once after saving, to verify X-Overdue-Signature.',
        advanced: true,
      },
    ],
  },
  incomingWebhook('slack', 'Slack', 'Slack app → Incoming Webhooks', 'https://hooks.slack.com/services/T000/B000/XXXX'),
  incomingWebhook('discord', 'Discord', 'channel settings → Integrations → Webhooks', 'https://discord.com/api/webhooks/123/abc'),
  incomingWebhook('teams', 'Microsoft Teams', 'an Incoming Webhook or a Workflows URL', 'https://example.webhook.office.com/webhookb2/…'),
  {
    kind: 'telegram',
    label: 'Telegram',
    namePlaceholder: 'on-call group',
    intro: 'Sends each alert as a message from your bot to a chat or group.',
    fields: [
      {
        name: 'bot_token',
        label: 'Bot token',
        type: 'text',
        required: true,
        secret: true,
        placeholder: '123456:ABC-DEF…',
        hint: 'From @BotFather.',
      },
      {
        name: 'chat_id',
        label: 'Chat id',
        type: 'text',
        required: true,
        placeholder: '-1001234567890',
        hint: 'The chat or group the bot posts to; the bot must be a member.',
      },
      apiUrl('https://api.telegram.org'),
    ],
  },
  {
    kind: 'ntfy',
    label: 'ntfy',
    namePlaceholder: 'phone push',
    intro: 'Publishes each alert to an ntfy topic, for push notifications on phones and desktops.',
    fields: [
      {
        name: 'topic',
        label: 'Topic',
        type: 'text',
        required: true,
        secret: true,
        placeholder: 'overdue-alerts',
        hint: 'On a public ntfy server the topic is the password: pick a long, unguessable one.',
      },
      {
        name: 'server_url',
        label: 'Server URL',
        type: 'url',
        placeholder: 'https://ntfy.sh',
        hint: 'Your own ntfy server, or empty for ntfy.sh.',
      },
      { name: 'token', label: 'Access token', type: 'text', secret: true, placeholder: 'tk_…', hint: 'Only for a protected topic.' },
      {
        name: 'priority',
        label: 'Priority',
        type: 'number',
        min: 1,
        max: 5,
        placeholder: 'by event',
        hint: '1 (min) to 5 (max); empty: chosen by the event.',
        advanced: true,
      },
    ],
  },
  {
    kind: 'pagerduty',
    label: 'PagerDuty',
    namePlaceholder: 'PagerDuty on-call',
    intro: 'Triggers a PagerDuty incident when a check goes down and resolves it when the check recovers (Events API v2).',
    fields: [
      {
        name: 'routing_key',
        label: 'Integration key',
        type: 'text',
        required: true,
        secret: true,
        placeholder: 'R0123456789ABCDEF0123456789ABCDE',
        hint: 'The Events API v2 integration key of a PagerDuty service.',
      },
      apiUrl('https://events.pagerduty.com'),
    ],
  },
  {
    kind: 'opsgenie',
    label: 'Opsgenie',
    namePlaceholder: 'Opsgenie on-call',
    intro: 'Creates an Opsgenie alert when a check goes down and closes it when the check recovers.',
    fields: [
      {
        name: 'api_key',
        label: 'API key',
        type: 'text',
        required: true,
        secret: true,
        placeholder: '01234567-89ab-cdef-0123-456789abcdef',
        hint: 'The key of an API integration.',
      },
      {
        name: 'priority',
        label: 'Priority',
        type: 'select',
        options: ['', 'P1', 'P2', 'P3', 'P4', 'P5'],
        hint: "Empty: from the check's severity.",
      },
      { ...apiUrl('https://api.opsgenie.com'), hint: 'EU accounts: https://api.eu.opsgenie.com.' },
    ],
  },
  {
    kind: 'pushover',
    label: 'Pushover',
    namePlaceholder: 'Pushover',
    intro: 'Sends each alert as a Pushover message to a user or a group.',
    fields: [
      {
        name: 'token',
        label: 'Application token',
        type: 'text',
        required: true,
        secret: true,
        placeholder: 'azGDORePK8gMaC0QOYAMyEEuzJnyUi',
      },
      {
        name: 'user',
        label: 'User or group key',
        type: 'text',
        required: true,
        secret: true,
        placeholder: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG',
      },
      { name: 'device', label: 'Device', type: 'text', placeholder: 'all devices', advanced: true },
      {
        name: 'priority',
        label: 'Priority',
        type: 'number',
        min: -2,
        max: 1,
        placeholder: 'by event',
        hint: '−2 (lowest) to 1 (high); empty: high for down, normal for up.',
        advanced: true,
      },
      apiUrl('https://api.pushover.net'),
    ],
  },
  {
    kind: 'matrix',
    label: 'Matrix',
    namePlaceholder: '#ops on Matrix',
    intro: 'Posts each alert to a Matrix room as a bot user.',
    fields: [
      { name: 'homeserver_url', label: 'Homeserver URL', type: 'url', required: true, placeholder: 'https://matrix.example.org' },
      {
        name: 'access_token',
        label: 'Access token',
        type: 'text',
        required: true,
        secret: true,
        placeholder: 'syt_…',
        hint: 'Of the account that posts; it must have joined the room.',
      },
      { name: 'room_id', label: 'Room id', type: 'text', required: true, placeholder: '!abcdefgh:example.org' },
    ],
  },
  {
    kind: 'email',
    label: 'Email',
    namePlaceholder: 'on-call mail',
    intro: 'Sends each alert as an email through your SMTP server.',
    fields: [
      {
        name: 'to',
        label: 'To',
        type: 'list',
        required: true,
        placeholder: 'oncall@example.com, ops@example.com',
        hint: 'One or more addresses, separated by commas.',
      },
      { name: 'from', label: 'From', type: 'text', required: true, placeholder: 'Overdue <overdue@example.com>' },
      { name: 'host', label: 'SMTP host', type: 'text', required: true, placeholder: 'smtp.example.com' },
      {
        name: 'security',
        label: 'Security',
        type: 'select',
        options: ['starttls', 'tls', 'none'],
        hint: 'starttls requires the upgrade; none only for a relay on a trusted network.',
      },
      { name: 'port', label: 'Port', type: 'number', min: 1, max: 65535, placeholder: '587 (465 for tls, 25 for none)' },
      { name: 'username', label: 'Username', type: 'text', placeholder: 'none' },
      {
        name: 'password',
        label: 'Password',
        type: 'text',
        secret: true,
        placeholder: 'none',
        hint: 'Give both a username and a password, or neither.',
      },
      {
        name: 'tls_ca',
        label: 'CA certificate (PEM)',
        type: 'textarea',
        placeholder: '-----BEGIN CERTIFICATE-----',
        hint: 'Only for a server whose certificate comes from a private CA.',
        advanced: true,
      },
      { name: 'tls_reject_unauthorized', label: 'Refuse an invalid certificate', type: 'checkbox', defaultChecked: true, advanced: true },
    ],
  },
];

export function formOfKind(kind: string): ChannelKindForm | undefined {
  return CHANNEL_FORMS.find((f) => f.kind === kind);
}

/** What the form holds for one field: text for inputs, a flag for checkboxes, name/value rows for headers. */
export type FieldValue = string | boolean | Array<[string, string]>;

/** The form's starting values: empty for a new channel; for an edit the stored config, with every secret left empty. */
export function initialValues(form: ChannelKindForm, config: Record<string, unknown> | null): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {};
  for (const field of form.fields) {
    const stored = config?.[field.name];
    if (field.type === 'checkbox') values[field.name] = stored == null ? (field.defaultChecked ?? false) : stored === true;
    else if (field.type === 'headers')
      values[field.name] = Object.keys((stored ?? {}) as object).map((name) => [
        name,
        field.secret && config ? '' : String((stored as Record<string, unknown>)[name]),
      ]);
    else if (field.secret && config) values[field.name] = '';
    else if (field.type === 'list') values[field.name] = Array.isArray(stored) ? stored.join(', ') : '';
    else if (field.type === 'select') values[field.name] = stored == null ? field.options![0] : String(stored);
    else values[field.name] = stored == null ? '' : String(stored);
  }
  return values;
}

/** What reads show in place of each header value (sent back, it keeps the stored value). */
const MASKED_HEADER = '****';

/**
 * The config to send. A new channel: every field that has a value. An edit: every plain field (an emptied one as
 * null, so the server's default applies again), and a secret only when it was typed, so stored secrets are kept.
 */
export function configToSend(
  form: ChannelKindForm,
  values: Record<string, FieldValue>,
  editing: boolean,
  original: Record<string, FieldValue> | null,
): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const field of form.fields) {
    const value = values[field.name];
    if (field.type === 'checkbox') {
      config[field.name] = value === true;
    } else if (field.type === 'headers') {
      const rows = (value as Array<[string, string]>).filter(([name]) => name.trim() !== '');
      if (editing && JSON.stringify(value) === JSON.stringify(original?.[field.name])) continue;
      config[field.name] = Object.fromEntries(rows.map(([name, v]) => [name.trim(), editing && v === '' ? MASKED_HEADER : v]));
    } else {
      const text = String(value).trim();
      if (field.secret && editing && text === '') continue;
      if (text === '') {
        if (editing) config[field.name] = null;
        continue;
      }
      config[field.name] =
        field.type === 'number'
          ? Number(text)
          : field.type === 'list'
            ? text
                .split(/[,\n]/)
                .map((v) => v.trim())
                .filter(Boolean)
            : text;
    }
  }
  return config;
}

/** A channel's settings in one line for the list: where it sends, with secrets as the API masked them. */
export function channelSummary(kind: string, config: Record<string, unknown>): string {
  const form = formOfKind(kind);
  const isEmpty = (v: unknown) => v == null || v === '' || (typeof v === 'object' && Object.keys(v as object).length === 0);
  const order = form ? form.fields.filter((f) => !f.advanced).map((f) => f.name) : Object.keys(config);
  return order
    .filter((k) => !isEmpty(config[k]))
    .map((k) => {
      const v = config[k];
      const label = form?.fields.find((f) => f.name === k)?.label ?? k;
      return `${label}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? v : JSON.stringify(v)}`;
    })
    .join(' · ');
}
