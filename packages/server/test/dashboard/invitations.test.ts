// Joining a workspace: an admin invites an address, the person accepts a single-use link. Nobody else's say creates
// an account or a membership, and no answer tells whether an address has an account (audit finding 3).
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestServer, type TestServer } from '../support/server.js';
import { asBrowser, cookieOf, joinByInvitation, setupAdmin, signIn, tokenOf, type Browserish } from '../support/session.js';

const DAY = 86_400_000;
const accept = (t: TestServer, body: Record<string, unknown>) => t.api('POST', '/api/v1/invitations/accept', body, null);
const usersWith = async (t: TestServer, email: string) =>
  t.server.runtime.store.db.selectFrom('users').selectAll().where('email', '=', email).execute();

describe("the audit's pre-hijacking repro", () => {
  let t: TestServer;
  let alice: Browserish;
  let bob: Browserish;
  beforeAll(async () => {
    // The worst case: everyone may create workspaces, so bob is an admin somewhere.
    t = await startTestServer({ env: { OVERDUE_ALLOW_WORKSPACE_CREATION: 'true' } });
    alice = await setupAdmin(t, 'alice@a.test');
    bob = await joinByInvitation(t, 'bob@b.test', 'viewer', 'bob password', alice);
    expect((await bob.request('POST', '/api/v1/workspaces', { name: 'B' })).status).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it("bob cannot make new.hire's account with his password; alice adding new.hire lets nobody in", async () => {
    // 1. bob tries to create the account with a password of his choosing, as the audit did.
    const preCreate = await bob.request('POST', '/api/v1/members', {
      email: 'new.hire@a.test',
      role: 'viewer',
      password: 'attacker-chosen-pw',
    });
    expect(preCreate.status).toBe(400);
    expect(await usersWith(t, 'new.hire@a.test')).toEqual([]);
    // 2. alice adds new.hire: an invitation, no account, no membership.
    const add = await alice.request('POST', '/api/v1/members', { email: 'new.hire@a.test', role: 'editor' });
    expect(add.status).toBe(201);
    expect(add.body.invitation).toMatchObject({ email: 'new.hire@a.test', role: 'editor' });
    expect((await alice.request('GET', '/api/v1/members')).body.items.map((m: { email: string }) => m.email)).not.toContain(
      'new.hire@a.test',
    );
    // 3. bob signs in as new.hire with his password: there is no such account.
    const login = await t.api('POST', '/api/v1/auth/login', { email: 'new.hire@a.test', password: 'attacker-chosen-pw' }, null);
    expect(login.status).toBe(401);
  });

  it("an account bob made for new.hire through his own invitation never joins alice's workspace", async () => {
    // bob invites the address to his workspace B and accepts his own link with his password (no mail is configured).
    const mine = await bob.request('POST', '/api/v1/members', { email: 'new.hire2@a.test', role: 'viewer' });
    expect(mine.status).toBe(201);
    const squat = await accept(t, { token: tokenOf(mine.body.accept_url), name: 'New Hire', password: 'attacker-chosen-pw' });
    expect(squat.status).toBe(201);
    const squatter = asBrowser(t, cookieOf(squat.headers), squat.body.csrf_token, squat.body);
    expect((await bob.request('DELETE', `/api/v1/members/${squatter.session.user.id}`)).status).toBe(204);
    // alice adds the address to her workspace: only an invitation, whose link bob never sees.
    const add = await alice.request('POST', '/api/v1/members', { email: 'new.hire2@a.test', role: 'editor' });
    expect(add.status).toBe(201);
    const login = await signIn(t, 'new.hire2@a.test', 'attacker-chosen-pw');
    expect(login.session.workspaces).toEqual([]);
    expect((await login.request('GET', '/api/v1/checks')).status).toBe(403);
    expect((await login.request('PUT', '/api/v1/auth/session', { workspace_id: t.workspaceId })).status).toBe(403);
    // The real new hire, given alice's link, cannot take over bob's account with a new password either.
    const takeover = await accept(t, { token: tokenOf(add.body.accept_url), name: 'Real Hire', password: 'the real password' });
    expect(takeover.status).toBe(409);
    expect(takeover.body.error.code).toBe('account_exists');
    expect((await t.api('POST', '/api/v1/auth/login', { email: 'new.hire2@a.test', password: 'the real password' }, null)).status).toBe(
      401,
    );
  });
});

describe('invitations', () => {
  let t: TestServer;
  let admin: Browserish;
  const clock = new ManualClock(Date.parse('2026-03-02T10:00:00Z'));
  beforeAll(async () => {
    t = await startTestServer({ clock });
    admin = await setupAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers inviting an address with an account exactly as one without (no account enumeration)', async () => {
    await joinByInvitation(t, 'has-account@example.com', 'viewer', 'initial password', admin);
    const other = await t.otherWorkspace('write');
    const existing = await t.api('POST', '/api/v1/members', { email: 'has-account@example.com', role: 'editor' }, other.key);
    const unknown = await t.api('POST', '/api/v1/members', { email: 'no-account@example.com', role: 'editor' }, other.key);
    const shape = (body: any) =>
      JSON.stringify(body, (key, value) =>
        ['id', 'email', 'created_at', 'expires_at'].includes(key)
          ? typeof value
          : key === 'accept_url'
            ? value.replace(/#.*/, '#…')
            : value,
      );
    expect(existing.status).toBe(201);
    expect(unknown.status).toBe(201);
    expect(shape(existing.body)).toBe(shape(unknown.body));
    expect(Object.keys(existing.body).sort()).toEqual(['accept_url', 'emailed', 'invitation']);
    expect([...existing.headers.keys()].sort()).toEqual([...unknown.headers.keys()].sort());
  });

  it('shows what a link offers, and a link works once', async () => {
    const invited = await admin.request('POST', '/api/v1/members', { email: 'once@example.com', role: 'editor' });
    expect(invited.body.accept_url).toMatch(new RegExp(`^${t.url}/invite#[A-Za-z0-9_-]{43}$`));
    const token = tokenOf(invited.body.accept_url);
    const view = await t.api('POST', '/api/v1/invitations/view', { token }, null);
    expect(view.body).toMatchObject({ email: 'once@example.com', role: 'editor', workspace: { name: 'Default' }, invited_by: 'Admin' });
    const first = await accept(t, { token, name: 'Once', password: 'my own password' });
    expect(first.status).toBe(201);
    expect(first.body.workspace).toMatchObject({ id: t.workspaceId, role: 'editor' });
    for (const again of [
      await accept(t, { token, name: 'Twice', password: 'another password' }),
      await t.api('POST', '/api/v1/invitations/view', { token }, null),
    ]) {
      expect(again.status).toBe(404);
      expect(again.body.error.code).toBe('invitation_not_found');
    }
    expect(await usersWith(t, 'once@example.com')).toHaveLength(1);
    expect((await signIn(t, 'once@example.com', 'my own password')).session.workspace.role).toBe('editor');
  });

  it('two accepts of one link at once make one account; the other is refused', async () => {
    const invited = await admin.request('POST', '/api/v1/members', { email: 'race@example.com', role: 'viewer' });
    const token = tokenOf(invited.body.accept_url);
    const answers = await Promise.all([1, 2, 3].map((n) => accept(t, { token, name: `Racer ${n}`, password: `password number ${n}` })));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 404, 404]);
    expect(await usersWith(t, 'race@example.com')).toHaveLength(1);
  });

  it('refuses a link after 7 days', async () => {
    const invited = await admin.request('POST', '/api/v1/members', { email: 'late@example.com', role: 'viewer' });
    const token = tokenOf(invited.body.accept_url);
    clock.advance(7 * DAY + 1);
    const late = await accept(t, { token, name: 'Late', password: 'my own password' });
    expect(late.status).toBe(410);
    expect(late.body.error).toMatchObject({ code: 'invitation_expired', message: expect.stringContaining('Ask an admin') });
    expect(await usersWith(t, 'late@example.com')).toEqual([]);
    expect(
      (await admin.request('GET', '/api/v1/invitations')).body.items.find((i: { email: string }) => i.email === 'late@example.com').expired,
    ).toBe(true);
    // A renewed link works for 7 more days; the old one no longer does.
    const id = invited.body.invitation.id;
    const renewed = await admin.request('POST', `/api/v1/invitations/${id}/renew`);
    expect(renewed.status).toBe(200);
    expect((await accept(t, { token, name: 'Late', password: 'my own password' })).status).toBe(404);
    expect((await accept(t, { token: tokenOf(renewed.body.accept_url), name: 'Late', password: 'my own password' })).status).toBe(201);
  });

  it('a revoked link stops working', async () => {
    const invited = await admin.request('POST', '/api/v1/members', { email: 'revoked@example.com', role: 'viewer' });
    expect((await admin.request('DELETE', `/api/v1/invitations/${invited.body.invitation.id}`)).status).toBe(204);
    expect((await accept(t, { token: tokenOf(invited.body.accept_url), name: 'R', password: 'my own password' })).status).toBe(404);
    expect((await admin.request('GET', '/api/v1/invitations')).body.items.map((i: { email: string }) => i.email)).not.toContain(
      'revoked@example.com',
    );
  });

  it('someone with an account accepts signed in as the invited address; signed in as anyone else, not', async () => {
    const other = await t.otherWorkspace('write');
    const invited = await t.api('POST', '/api/v1/members', { email: 'has-account@example.com', role: 'editor' }, other.key);
    const token = tokenOf(invited.body.accept_url);
    const stranger = await signIn(t, 'once@example.com', 'my own password');
    const wrong = await stranger.request('POST', '/api/v1/invitations/accept', { token });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.message).toContain('This invitation is for has-account@example.com');
    // Not signed in and no password: the owner is told to sign in (an account is never made without one).
    expect((await accept(t, { token })).body.error.code).toBe('account_details_required');
    const owner = await signIn(t, 'has-account@example.com', 'initial password');
    const accepted = await owner.request('POST', '/api/v1/invitations/accept', { token });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.workspace).toMatchObject({ id: other.workspaceId, role: 'editor' });
    expect(accepted.body.workspaces.map((w: { id: string }) => w.id).sort()).toEqual([t.workspaceId, other.workspaceId].sort());
  });
});

describe('invitations by e-mail', () => {
  const mails: Array<{ to: string[]; raw: string }> = [];
  let smtp: SMTPServer;
  let port = 0;
  let refuse = false;
  let t: TestServer;
  let admin: Browserish;
  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(_address, _session, callback) {
        if (refuse) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
        return callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    port = (smtp.server.address() as { port: number }).port;
    t = await startTestServer({
      env: { OVERDUE_SMTP_URL: `smtp://127.0.0.1:${port}?ignoreTLS=true`, OVERDUE_SMTP_FROM: 'Overdue <overdue@example.com>' },
    });
    admin = await setupAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('mails the link to the invited address only; the admin never sees it', async () => {
    const invited = await admin.request('POST', '/api/v1/members', { email: 'mailed@example.com', role: 'viewer' });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    expect(invited.body).toMatchObject({ emailed: true, accept_url: null });
    expect(mails).toHaveLength(1);
    expect(mails[0].to).toEqual(['mailed@example.com']);
    const link = /(http:\/\/\S+\/invite#[A-Za-z0-9_-]+)/.exec(mails[0].raw.replace(/=\r?\n/g, ''))?.[1];
    expect(link, mails[0].raw).toBeDefined();
    expect((await accept(t, { token: tokenOf(link!), name: 'Mailed', password: 'my own password' })).status).toBe(201);
  });

  it('a mail the SMTP server refuses saves nothing and says so', async () => {
    refuse = true;
    try {
      const invited = await admin.request('POST', '/api/v1/members', { email: 'bounced@example.com', role: 'viewer' });
      expect(invited.status).toBe(502);
      expect(invited.body.error).toMatchObject({ code: 'invitation_not_sent', message: expect.stringContaining('OVERDUE_SMTP_URL') });
      expect((await admin.request('GET', '/api/v1/invitations')).body.items).toEqual([]);
    } finally {
      refuse = false;
    }
  });
});

describe('who may create workspaces', () => {
  it('by default only admins of the first workspace; OVERDUE_ALLOW_WORKSPACE_CREATION=true lets everyone', async () => {
    for (const allow of [false, true]) {
      const t = await startTestServer({ env: allow ? { OVERDUE_ALLOW_WORKSPACE_CREATION: 'true' } : {} });
      try {
        const admin = await setupAdmin(t);
        const viewer = await joinByInvitation(t, 'viewer@example.com', 'viewer', 'initial password', admin);
        const res = await viewer.request('POST', '/api/v1/workspaces', {
          name: 'IT Security: re-verify your password at https://evil.example',
        });
        expect(res.status, JSON.stringify(res.body)).toBe(allow ? 201 : 403);
        if (!allow) expect(res.body.error.message).toContain('OVERDUE_ALLOW_WORKSPACE_CREATION');
        expect((await admin.request('POST', '/api/v1/workspaces', { name: 'Staging' })).status).toBe(201);
      } finally {
        await t.close();
      }
    }
  });
});
