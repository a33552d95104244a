// People in workspaces: the signed-in user's own account, creating workspaces, members and their roles.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { badRequest, conflict, notFound, OverdueError } from '../errors.js';
import { iso } from '../core/index.js';
import { newId, newPingKey } from '../store/ids.js';
import { insertWorkspace } from '../store/workspaces.js';
import { checkNewPassword, hashPassword, verifyPassword } from '../auth/passwords.js';
import { ROLES } from '../auth/sessions.js';
import {
  countAdmins, deleteMembership, deleteSessionsOfUser, findMembership, findUser, findUserByEmail, insertMembership, insertUser,
  membersOf, setMembershipRole, updateSession, updateUser,
} from '../store/users.js';
import { keyed, requireSession } from './auth.js';
import { workspaceOf } from './context.js';
import { Email, SessionSchema, sessionView } from './session-routes.js';
import { errorResponses } from './schemas.js';

const RoleSchema = Type.String({ enum: ROLES, description: 'admin (everything), editor (checks and channels) or viewer (read only)' });
const MemberSchema = Type.Object({
  user_id: Type.String(), email: Type.String(), name: Type.String(), role: Type.String(), added_at: Type.String(), last_login_at: Type.Union([Type.String(), Type.Null()]),
});
const UserParams = Type.Object({ user: Type.String({ maxLength: 64 }) });

type MemberRow = Awaited<ReturnType<typeof membersOf>>[number];
const presentMember = (m: MemberRow) => ({
  user_id: m.id, email: m.email, name: m.name, role: m.role, added_at: iso(m.created_at)!, last_login_at: iso(m.last_login_at),
});

export async function memberRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const db = services.store.db;
  const admin = keyed(db, 'admin');

  app.patch('/users/me', {
    schema: {
      tags: ['session'], summary: 'Change your name or password (a new password needs the current one and signs out other sessions)',
      body: Type.Object({
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        current_password: Type.Optional(Type.String({ maxLength: 200 })),
        new_password: Type.Optional(Type.String({ maxLength: 200 })),
      }, { additionalProperties: false }),
      response: { 200: SessionSchema, ...errorResponses },
    },
  }, async (request) => {
    const session = await requireSession(db, request);
    const body = request.body as { name?: string; current_password?: string; new_password?: string };
    const user = (await findUser(db, session.userId))!;
    if (body.new_password != null) {
      checkNewPassword(body.new_password);
      if (!(await verifyPassword(body.current_password ?? '', user.password_hash))) {
        throw new OverdueError(403, 'wrong_password', 'The current password is not right; your password was not changed.');
      }
      await updateUser(db, user.id, { password_hash: await hashPassword(body.new_password) });
      await deleteSessionsOfUser(db, user.id, session.sessionId);
    }
    const name = body.name?.trim();
    if (name) await updateUser(db, user.id, { name });
    return sessionView(services, { ...session, name: name || session.name });
  });

  app.post('/workspaces', {
    schema: {
      tags: ['workspace'], summary: 'Create a workspace (you become its admin) and switch this session to it',
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 201: SessionSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const session = await requireSession(db, request);
    const name = (request.body as { name: string }).name.trim();
    if (!name) throw badRequest('invalid_field', 'name must not be empty.');
    const now = services.clock.now();
    const id = newId();
    await db.transaction().execute(async (trx) => {
      await insertWorkspace(trx, { id, name, ping_key: newPingKey(), settings: '{}', created_at: now });
      await insertMembership(trx, { workspace_id: id, user_id: session.userId, role: 'admin', created_at: now });
      await updateSession(trx, session.sessionId, { workspace_id: id });
    });
    return reply.code(201).send(await sessionView(services, { ...session, workspaceId: id }));
  });

  app.patch('/workspace', {
    onRequest: admin,
    schema: {
      tags: ['workspace'], summary: 'Rename the workspace',
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ id: Type.String(), name: Type.String() }), ...errorResponses },
    },
  }, async (request) => {
    const name = (request.body as { name: string }).name.trim();
    if (!name) throw badRequest('invalid_field', 'name must not be empty.');
    await db.updateTable('workspaces').set({ name }).where('id', '=', workspaceOf(request)).execute();
    return { id: workspaceOf(request), name };
  });

  app.get('/members', {
    onRequest: keyed(db, 'read'),
    schema: { tags: ['workspace'], summary: 'Members of the workspace with their roles', response: { 200: Type.Object({ items: Type.Array(MemberSchema) }), ...errorResponses } },
  }, async (request) => ({ items: (await membersOf(db, workspaceOf(request))).map(presentMember) }));

  app.post('/members', {
    onRequest: admin,
    schema: {
      tags: ['workspace'], summary: 'Add a member by email; a new account needs an initial password',
      body: Type.Object({
        email: Email, role: RoleSchema,
        name: Type.Optional(Type.String({ maxLength: 200 })), password: Type.Optional(Type.String({ maxLength: 200 })),
      }, { additionalProperties: false }),
      response: { 201: MemberSchema, 409: errorResponses[400], ...errorResponses },
    },
  }, async (request, reply) => {
    const body = request.body as { email: string; role: string; name?: string; password?: string };
    const workspaceId = workspaceOf(request);
    const now = services.clock.now();
    const email = body.email.trim().toLowerCase();
    const existing = await findUserByEmail(db, email);
    let created: typeof existing;
    if (!existing) {
      if (body.password == null) throw badRequest('password_required', `${email} has no account yet; give an initial password for it (they can change it later).`);
      checkNewPassword(body.password);
      created = { id: newId(), email, name: body.name?.trim() || email.split('@')[0], password_hash: await hashPassword(body.password), created_at: now, last_login_at: null };
    }
    const userId = (existing ?? created)!.id;
    // The new account and its membership are written together or not at all.
    await db.transaction().execute(async (trx) => {
      if (created) await insertUser(trx, created);
      if (await findMembership(trx, workspaceId, userId)) throw conflict('already_member', `${email} is already a member of this workspace.`);
      await insertMembership(trx, { workspace_id: workspaceId, user_id: userId, role: body.role, created_at: now });
    }).catch((error: { code?: string }) => {
      // Another request created the same account or membership a moment earlier (SQLite / PostgreSQL unique key).
      if (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || error.code === '23505') {
        throw conflict('already_member', `${email} was added by another request just now; reload the member list.`);
      }
      throw error;
    });
    const member = (await membersOf(db, workspaceId)).find((m) => m.id === userId)!;
    return reply.code(201).send(presentMember(member));
  });

  app.patch('/members/:user', {
    onRequest: admin,
    schema: {
      tags: ['workspace'], summary: 'Change a member\'s role', params: UserParams,
      body: Type.Object({ role: RoleSchema }, { additionalProperties: false }), response: { 200: MemberSchema, 409: errorResponses[400], ...errorResponses },
    },
  }, async (request) => {
    const workspaceId = workspaceOf(request);
    const userId = (request.params as { user: string }).user;
    const { role } = request.body as { role: string };
    const member = await findMembership(db, workspaceId, userId);
    if (!member) throw notFound('member_not_found', 'No such member in this workspace.');
    if (member.role === 'admin' && role !== 'admin' && (await countAdmins(db, workspaceId)) <= 1) {
      throw conflict('last_admin', 'This is the workspace\'s only admin; make someone else admin first.');
    }
    await setMembershipRole(db, workspaceId, userId, role);
    return presentMember((await membersOf(db, workspaceId)).find((m) => m.id === userId)!);
  });

  app.delete('/members/:user', {
    onRequest: admin,
    schema: { tags: ['workspace'], summary: 'Remove a member from the workspace', params: UserParams, response: { 204: Type.Null(), 409: errorResponses[400], ...errorResponses } },
  }, async (request, reply) => {
    const workspaceId = workspaceOf(request);
    const userId = (request.params as { user: string }).user;
    const member = await findMembership(db, workspaceId, userId);
    if (!member) throw notFound('member_not_found', 'No such member in this workspace.');
    if (member.role === 'admin' && (await countAdmins(db, workspaceId)) <= 1) {
      throw conflict('last_admin', 'This is the workspace\'s only admin; make someone else admin first.');
    }
    await deleteMembership(db, workspaceId, userId);
    return reply.code(204).send();
  });
}
