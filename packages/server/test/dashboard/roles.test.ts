// Members and roles: viewers read, editors change checks and channels, only admins manage members and keys;
// a session sees only the workspaces its user belongs to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { joinByInvitation, setupAdmin, type Browserish } from '../support/session.js';

describe('roles in a workspace', () => {
  let t: TestServer;
  let admin: Browserish;
  let editor: Browserish;
  let viewer: Browserish;
  beforeAll(async () => {
    t = await startTestServer();
    admin = await setupAdmin(t);
    editor = await joinByInvitation(t, 'ed@example.com', 'editor', 'initial password', admin);
    viewer = await joinByInvitation(t, 'vi@example.com', 'viewer', 'initial password', admin);
    const members = (await admin.request('GET', '/api/v1/members')).body.items;
    expect(members).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ email: 'ed@example.com', role: 'editor', name: 'ed' }),
        expect.objectContaining({ email: 'vi@example.com', role: 'viewer', name: 'vi' }),
      ]),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('a viewer reads everything and changes nothing', async () => {
    expect((await viewer.request('GET', '/api/v1/checks')).status).toBe(200);
    expect((await viewer.request('GET', '/api/v1/members')).status).toBe(200);
    const create = await viewer.request('POST', '/api/v1/checks', { name: 'nope' });
    expect(create.status).toBe(403);
    expect(create.body.error.message).toContain('"viewer"');
    expect(
      (await viewer.request('POST', '/api/v1/channels', { kind: 'webhook', name: 'x', config: { url: 'https://example.com/h' } })).status,
    ).toBe(403);
  });

  it('an editor changes checks and channels but not keys or members', async () => {
    const check = await editor.request('POST', '/api/v1/checks', { name: 'edited by an editor' });
    expect(check.status).toBe(201);
    expect((await editor.request('POST', `/api/v1/checks/${check.body.id}/pause`)).status).toBe(200);
    expect(
      (await editor.request('POST', '/api/v1/channels', { kind: 'webhook', name: 'hook', config: { url: 'https://example.com/h' } }))
        .status,
    ).toBe(201);
    expect((await editor.request('GET', '/api/v1/keys')).status).toBe(403);
    expect((await editor.request('POST', '/api/v1/keys', { name: 'k', scope: 'write' })).status).toBe(403);
    expect((await editor.request('POST', '/api/v1/members', { email: 'x@example.com', role: 'admin' })).status).toBe(403);
    expect((await editor.request('GET', '/api/v1/invitations')).status).toBe(403);
    expect((await editor.request('PATCH', '/api/v1/workspace', { name: 'renamed' })).status).toBe(403);
  });

  it('an admin manages keys (shown once) and members; a write API key still can too', async () => {
    const key = await admin.request('POST', '/api/v1/keys', { name: 'from the dashboard', scope: 'read' });
    expect(key.status).toBe(201);
    expect(key.body.key).toMatch(/^od_/);
    expect(JSON.stringify((await admin.request('GET', '/api/v1/keys')).body)).not.toContain(key.body.key);
    expect((await t.api('GET', '/api/v1/keys')).status).toBe(200);
    expect((await admin.request('PATCH', '/api/v1/workspace', { name: 'Production' })).body).toMatchObject({ name: 'Production' });
  });

  it('a role change takes effect on the next request', async () => {
    const vi = (await admin.request('GET', '/api/v1/members')).body.items.find((m: any) => m.email === 'vi@example.com');
    expect((await admin.request('PATCH', `/api/v1/members/${vi.user_id}`, { role: 'editor' })).body.role).toBe('editor');
    expect((await viewer.request('POST', '/api/v1/checks', { name: 'promoted' })).status).toBe(201);
    expect((await admin.request('PATCH', `/api/v1/members/${vi.user_id}`, { role: 'viewer' })).status).toBe(200);
    expect((await viewer.request('POST', '/api/v1/checks', { name: 'demoted' })).status).toBe(403);
  });

  it('the last admin can be neither demoted nor removed', async () => {
    const me = admin.session.user.id;
    const demote = await admin.request('PATCH', `/api/v1/members/${me}`, { role: 'viewer' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('last_admin');
    expect((await admin.request('DELETE', `/api/v1/members/${me}`)).status).toBe(409);
  });

  it('adding a member twice is a conflict; nobody sets a password or name for someone else', async () => {
    const twice = await admin.request('POST', '/api/v1/members', { email: 'ED@example.com', role: 'viewer' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('already_member');
    const withPassword = await admin.request('POST', '/api/v1/members', {
      email: 'new@example.com',
      role: 'viewer',
      password: 'chosen by the admin',
    });
    expect(withPassword.status).toBe(400);
    expect(withPassword.body.error).toMatchObject({
      code: 'invitation_only',
      message: expect.stringContaining('choose their own name and password'),
    });
    expect(await t.server.runtime.store.db.selectFrom('users').select('id').where('email', '=', 'new@example.com').execute()).toEqual([]);
  });

  it('the same address invited by two requests at once leaves one pending invitation', async () => {
    const invite = () => admin.request('POST', '/api/v1/members', { email: 'twin@example.com', role: 'viewer' });
    const answers = await Promise.all([invite(), invite(), invite()]);
    for (const res of answers) expect([201, 409], JSON.stringify(res.body)).toContain(res.status);
    const pending = (await admin.request('GET', '/api/v1/invitations')).body.items.filter(
      (i: { email: string }) => i.email === 'twin@example.com',
    );
    expect(pending).toHaveLength(1);
  });

  it('the last admin cannot be lost to two admins demoting each other at once', async () => {
    const second = await joinByInvitation(t, 'second-admin@example.com', 'admin', 'initial password', admin);
    for (let round = 0; round < 3; round += 1) {
      const [a, b] = await Promise.all([
        admin.request('PATCH', `/api/v1/members/${second.session.user.id}`, { role: 'viewer' }),
        second.request('PATCH', `/api/v1/members/${admin.session.user.id}`, { role: 'viewer' }),
      ]);
      const admins = (await t.api('GET', '/api/v1/members')).body.items.filter((m: { role: string }) => m.role === 'admin');
      expect(admins.length, `round ${round}: ${a.status} ${b.status}`).toBeGreaterThanOrEqual(1);
      // Put both back as admins for the next round (the bootstrap key is an admin of the workspace).
      for (const id of [admin.session.user.id, second.session.user.id])
        expect((await t.api('PATCH', `/api/v1/members/${id}`, { role: 'admin' })).status).toBe(200);
    }
    expect((await t.api('DELETE', `/api/v1/members/${second.session.user.id}`)).status).toBe(204);
  });

  it('a removed member loses access at once', async () => {
    const temp = await joinByInvitation(t, 'temp@example.com', 'editor', 'initial password', admin);
    expect((await temp.request('GET', '/api/v1/checks')).status).toBe(200);
    expect((await admin.request('DELETE', `/api/v1/members/${temp.session.user.id}`)).status).toBe(204);
    const after = await temp.request('GET', '/api/v1/checks');
    expect(after.status).toBe(403);
    expect((await temp.request('GET', '/api/v1/auth/session')).body.workspace).toBeNull();
  });
});

describe('workspaces through sessions', () => {
  let t: TestServer;
  let admin: Browserish;
  beforeAll(async () => {
    t = await startTestServer();
    admin = await setupAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('a new workspace starts empty, its creator is its admin, and switching moves every request', async () => {
    const inDefault = await admin.request('POST', '/api/v1/checks', { name: 'default job' });
    const created = await admin.request('POST', '/api/v1/workspaces', { name: 'Staging' });
    expect(created.status).toBe(201);
    expect(created.body.workspace).toMatchObject({ name: 'Staging', role: 'admin' });
    expect(created.body.workspaces.map((w: any) => w.name)).toEqual(['Default', 'Staging']);
    expect((await admin.request('GET', '/api/v1/checks')).body.items).toEqual([]);
    expect((await admin.request('GET', `/api/v1/checks/${inDefault.body.id}`)).status).toBe(404);
    const back = await admin.request('PUT', '/api/v1/auth/session', { workspace_id: t.workspaceId });
    expect(back.body.workspace.name).toBe('Default');
    expect((await admin.request('GET', '/api/v1/checks')).body.items.map((c: any) => c.name)).toEqual(['default job']);
  });

  it('a user cannot switch into a workspace they are not a member of, nor read its checks', async () => {
    const other = await t.otherWorkspace();
    const check = await t.api('POST', '/api/v1/checks', { name: 'secret job' }, other.key);
    const refused = await admin.request('PUT', '/api/v1/auth/session', { workspace_id: other.workspaceId });
    expect(refused.status).toBe(403);
    expect((await admin.request('GET', `/api/v1/checks/${check.body.id}`)).status).toBe(404);
    expect((await admin.request('GET', '/api/v1/checks')).body.items.map((c: any) => c.name)).not.toContain('secret job');
  });

  it('the first admin became admin of every workspace that existed at setup', async () => {
    const session = (await admin.request('GET', '/api/v1/auth/session')).body;
    expect(session.workspaces.find((w: any) => w.id === t.workspaceId).role).toBe('admin');
  });
});
