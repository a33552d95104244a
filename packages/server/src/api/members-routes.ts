// People in workspaces: the signed-in user's own account, creating workspaces, members and their roles. Members
// join through invitations (invitations-routes.ts).
import { Type } from 'typebox';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { badRequest, conflict, forbidden, notFound, OverdueError } from '../errors.js';
import type { Db } from '../store/db.js';
import { iso } from '../core/index.js';
import { newId, newPingKey } from '../store/ids.js';
import { insertWorkspace } from '../store/workspaces.js';
import { checkNewPassword, hashPassword, verifyPassword } from '../auth/passwords.js';
import { ROLES } from '../auth/sessions.js';
import {
  countAdmins,
  deleteMembership,
  deleteSessionsOfUser,
  findMembership,
  findUser,
  insertMembership,
  membersOf,
  setMembershipRole,
  updateSession,
  updateUser,
} from '../store/users.js';
import { keyed, requireSession } from './auth.js';
import { workspaceOf } from './context.js';
import { Email, SessionSchema, sessionView } from './session-routes.js';
import { errorResponses } from './schemas.js';
import { InvitedSchema, Inviter, invitationRoutes } from './invitations-routes.js';
import { inTransaction } from '../store/transaction.js';

const RoleSchema = Type.String({ enum: ROLES, description: 'admin (everything), editor (checks and channels) or viewer (read only)' });
const MemberSchema = Type.Object({
  user_id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.String(),
  added_at: Type.String(),
  last_login_at: Type.Union([Type.String(), Type.Null()]),
});
const UserParams = Type.Object({ user: Type.String({ maxLength: 64 }) });

type MemberRow = Awaited<ReturnType<typeof membersOf>>[number];
const presentMember = (m: MemberRow) => ({
  user_id: m.id,
  email: m.email,
  name: m.name,
  role: m.role,
  added_at: iso(m.created_at)!,
  last_login_at: iso(m.last_login_at),
});

/**
 * Runs `change` on a member in one transaction with the check that the workspace keeps an admin (when the change
 * takes the member's admin role away). The workspace row is locked first, so two admins demoting each other at
 * once are serialised on PostgreSQL too (SQLite serialises writers anyway): one wins, the other gets 409.
 */
async function changeMembersKeepingAnAdmin(
  db: Db,
  workspaceId: string,
  userId: string,
  removesAdmin: boolean,
  change: (trx: Db) => Promise<unknown>,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('workspaces')
      .set((eb) => ({ name: eb.ref('name') }))
      .where('id', '=', workspaceId)
      .execute();
    const member = await findMembership(trx, workspaceId, userId);
    if (!member) throw notFound('member_not_found', 'No such member in this workspace.');
    if (removesAdmin && member.role === 'admin' && (await countAdmins(trx, workspaceId)) <= 1) {
      throw conflict('last_admin', "This is the workspace's only admin; make someone else admin first.");
    }
    await change(trx);
  });
}

/** Whether the user is an admin of the oldest workspace (the one made at first start): the server's own admins. */
async function adminsTheFirstWorkspace(db: Db, userId: string): Promise<boolean> {
  const first = await db.selectFrom('workspaces').select('id').orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  return first != null && (await findMembership(db, first.id, userId))?.role === 'admin';
}

export async function memberRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  const db = runtime.store.db;
  const admin = keyed(db, 'admin');
  const inviter = new Inviter(runtime);
  await invitationRoutes(app, runtime, inviter);

  app.patch(
    '/users/me',
    {
      schema: {
        tags: ['session'],
        summary: 'Change your name or password (a new password needs the current one and signs out other sessions)',
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            current_password: Type.Optional(Type.String({ maxLength: 200 })),
            new_password: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: SessionSchema, ...errorResponses },
      },
    },
    async (request) => {
      const session = await requireSession(db, request);
      const body = request.body;
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
      return sessionView(runtime, { ...session, name: name || session.name });
    },
  );

  app.post(
    '/workspaces',
    {
      schema: {
        tags: ['workspace'],
        summary: 'Create a workspace (you become its admin) and switch this session to it',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 201: SessionSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = await requireSession(db, request);
      const name = request.body.name.trim();
      if (!name) throw badRequest('invalid_field', 'name must not be empty.');
      if (!runtime.config.allowWorkspaceCreation && !(await adminsTheFirstWorkspace(db, session.userId))) {
        throw forbidden(
          "Only admins of this server's first workspace may create workspaces; ask one of them (or the operator, who can allow everyone with OVERDUE_ALLOW_WORKSPACE_CREATION=true).",
        );
      }
      const now = runtime.clock.now();
      const id = newId();
      await inTransaction(db, async (trx) => {
        await insertWorkspace(trx, { id, name, ping_key: newPingKey(), settings: '{}', created_at: now });
        await insertMembership(trx, { workspace_id: id, user_id: session.userId, role: 'admin', created_at: now });
        await updateSession(trx, session.sessionId, { workspace_id: id });
      });
      return reply.code(201).send(await sessionView(runtime, { ...session, workspaceId: id }));
    },
  );

  app.patch(
    '/workspace',
    {
      onRequest: admin,
      schema: {
        tags: ['workspace'],
        summary: 'Rename the workspace',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ id: Type.String(), name: Type.String() }), ...errorResponses },
      },
    },
    async (request) => {
      const name = request.body.name.trim();
      if (!name) throw badRequest('invalid_field', 'name must not be empty.');
      await db.updateTable('workspaces').set({ name }).where('id', '=', workspaceOf(request)).execute();
      return { id: workspaceOf(request), name };
    },
  );

  app.get(
    '/members',
    {
      onRequest: keyed(db, 'read'),
      schema: {
        tags: ['workspace'],
        summary: 'Members of the workspace with their roles',
        response: { 200: Type.Object({ items: Type.Array(MemberSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ items: (await membersOf(db, workspaceOf(request))).map(presentMember) }),
  );

  app.post(
    '/members',
    {
      onRequest: admin,
      schema: {
        tags: ['workspace'],
        summary:
          'Invite someone by email: they accept through a single-use link (e-mailed, or answered here to pass on when the server sends no mail)',
        body: Type.Object(
          {
            email: Email,
            role: RoleSchema,
            name: Type.Optional(Type.Unknown({ description: 'not accepted: the person chooses it when accepting' })),
            password: Type.Optional(Type.Unknown({ description: 'not accepted: the person chooses it when accepting' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: InvitedSchema, 409: errorResponses[400], 502: errorResponses[400], ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (body.name !== undefined || body.password !== undefined) {
        throw badRequest(
          'invitation_only',
          'Members choose their own name and password when they accept the invitation; send only email and role.',
        );
      }
      return reply.code(201).send(await inviter.invite(request, body.email.trim().toLowerCase(), body.role));
    },
  );

  app.patch(
    '/members/:user',
    {
      onRequest: admin,
      schema: {
        tags: ['workspace'],
        summary: "Change a member's role",
        params: UserParams,
        body: Type.Object({ role: RoleSchema }, { additionalProperties: false }),
        response: { 200: MemberSchema, 409: errorResponses[400], ...errorResponses },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const userId = request.params.user;
      const { role } = request.body;
      await changeMembersKeepingAnAdmin(db, workspaceId, userId, role !== 'admin', (trx) =>
        setMembershipRole(trx, workspaceId, userId, role),
      );
      return presentMember((await membersOf(db, workspaceId)).find((m) => m.id === userId)!);
    },
  );

  app.delete(
    '/members/:user',
    {
      onRequest: admin,
      schema: {
        tags: ['workspace'],
        summary: 'Remove a member from the workspace',
        params: UserParams,
        response: { 204: Type.Null(), 409: errorResponses[400], ...errorResponses },
      },
    },
    async (request, reply) => {
      const workspaceId = workspaceOf(request);
      const userId = request.params.user;
      await changeMembersKeepingAnAdmin(db, workspaceId, userId, true, (trx) => deleteMembership(trx, workspaceId, userId));
      return reply.code(204).send(null);
    },
  );
}
