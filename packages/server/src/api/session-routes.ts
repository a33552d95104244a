// Dashboard sign-in: first-run setup of the admin, sign in and out, the session (its user, workspace and CSRF
// token) and switching workspace. Everything else the dashboard does goes through the public API.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { OverdueError, conflict, forbidden } from '../errors.js';
import { newId } from '../store/ids.js';
import { iso } from '../core/index.js';
import { SignInLimits } from '../auth/sign-in-limits.js';
import { checkNewPassword, hashPassword, needsRehash, verifyPassword } from '../auth/passwords.js';
import { verifyApiKey } from '../auth/api-keys.js';
import { clearedSessionCookie, openSession, sessionCookie } from '../auth/sessions.js';
import {
  countUsers,
  deleteSession,
  findMembership,
  findUserByEmail,
  insertMembership,
  insertUser,
  updateSession,
  updateUser,
  workspacesOfUser,
} from '../store/users.js';
import { requireSession, type SessionCaller } from './auth.js';
import { errorResponses } from './schemas.js';
import { inTransaction } from '../store/transaction.js';

export const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' });
const Password = Type.String({ minLength: 1, maxLength: 200 });
const WorkspaceRef = Type.Object({ id: Type.String(), name: Type.String(), role: Type.String() });
export const SessionSchema = Type.Object({
  user: Type.Object({ id: Type.String(), email: Type.String(), name: Type.String() }),
  workspace: Type.Union([WorkspaceRef, Type.Null()]),
  workspaces: Type.Array(WorkspaceRef),
  csrf_token: Type.String({ description: 'send it as X-CSRF-Token on every request that changes something' }),
  server_time: Type.String(),
});

/** The session as the dashboard reads it. */
export async function sessionView(
  runtime: Runtime,
  session: Pick<SessionCaller, 'userId' | 'email' | 'name' | 'workspaceId' | 'csrfToken'>,
) {
  const workspaces = (await workspacesOfUser(runtime.store.db, session.userId)).map((w) => ({ id: w.id, name: w.name, role: w.role }));
  return {
    user: { id: session.userId, email: session.email, name: session.name },
    workspace: workspaces.find((w) => w.id === session.workspaceId) ?? null,
    workspaces,
    csrf_token: session.csrfToken,
    server_time: iso(runtime.clock.now())!,
  };
}

function secureCookies(runtime: Runtime, request: FastifyRequest): boolean {
  return runtime.config.publicUrl.startsWith('https:') || request.protocol === 'https';
}

/** Opens a session for `user` acting in `workspaceId`: sets the cookie and answers the session view. */
export async function startSession(
  runtime: Runtime,
  request: FastifyRequest,
  reply: FastifyReply,
  user: { id: string; email: string; name: string },
  workspaceId: string | null,
) {
  const now = runtime.clock.now();
  const { secret, csrfToken } = await openSession(runtime.store.db, user.id, workspaceId, now);
  await updateUser(runtime.store.db, user.id, { last_login_at: now });
  reply.header('set-cookie', sessionCookie(request.server.overdueSessionCookie, secret, secureCookies(runtime, request)));
  reply.header('cache-control', 'no-store');
  return sessionView(runtime, { userId: user.id, email: user.email, name: user.name, workspaceId, csrfToken });
}

export async function sessionRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  const db = runtime.store.db;
  const tags = ['session'];
  const limits = new SignInLimits();

  app.get(
    '/auth/setup',
    {
      schema: {
        tags,
        summary: 'Whether the first admin still has to be created (first run)',
        response: { 200: Type.Object({ setup_required: Type.Boolean() }) },
      },
    },
    async () => ({ setup_required: (await countUsers(db)) === 0 }),
  );

  app.post(
    '/auth/setup',
    {
      schema: {
        tags,
        summary: 'First run: create the admin user (admin of every existing workspace) and sign in; needs an admin API key',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            email: Email,
            password: Password,
            setup_key: Type.String({
              minLength: 1,
              maxLength: 512,
              description: 'a write-scope API key, such as the one printed on first start',
            }),
          },
          { additionalProperties: false },
        ),
        response: { 201: SessionSchema, 409: errorResponses[400], 429: errorResponses[400], ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      limits.other('setup', request.ip, runtime.clock.now());
      // Whoever reaches the server first must not become its admin: setup proves access to the server's first-start
      // output (or OVERDUE_BOOTSTRAP_KEY) by presenting an admin key.
      const key = await verifyApiKey(db, body.setup_key);
      if (!key || key.scope !== 'write') {
        throw new OverdueError(
          403,
          'invalid_setup_key',
          'That is not an admin API key of this Overdue. Use the key printed when the server first started (or OVERDUE_BOOTSTRAP_KEY), or make one with `overdue key create`.',
        );
      }
      checkNewPassword(body.password);
      const passwordHash = await hashPassword(body.password);
      const now = runtime.clock.now();
      const user = { id: newId(), email: body.email.trim().toLowerCase(), name: body.name.trim() || body.email };
      const firstWorkspace = await inTransaction(db, async (trx) => {
        // Touching every workspace row serialises concurrent setups on PostgreSQL; SQLite serialises writers anyway.
        await trx
          .updateTable('workspaces')
          .set((eb) => ({ name: eb.ref('name') }))
          .execute();
        if ((await countUsers(trx)) > 0) throw conflict('setup_done', 'Overdue already has an admin; sign in instead.');
        await insertUser(trx, { ...user, password_hash: passwordHash, created_at: now, last_login_at: null });
        const workspaces = await trx.selectFrom('workspaces').select('id').orderBy('created_at').orderBy('id').execute();
        for (const ws of workspaces) await insertMembership(trx, { workspace_id: ws.id, user_id: user.id, role: 'admin', created_at: now });
        return workspaces[0]?.id ?? null;
      });
      return reply.code(201).send(await startSession(runtime, request, reply, user, firstWorkspace));
    },
  );

  app.post(
    '/auth/login',
    {
      schema: {
        tags,
        summary: 'Sign in with email and password; sets an HttpOnly session cookie',
        body: Type.Object({ email: Type.String({ maxLength: 254 }), password: Password }, { additionalProperties: false }),
        response: { 200: SessionSchema, 429: errorResponses[400], ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const email = body.email.trim().toLowerCase();
      limits.attempt(email, request.ip, runtime.clock.now());
      const user = await findUserByEmail(db, email);
      const ok = await verifyPassword(body.password, user?.password_hash ?? null);
      if (!user || !ok) throw new OverdueError(401, 'invalid_credentials', 'That email and password do not match an account.');
      // A hash made with older, weaker parameters is replaced now that the password is at hand.
      if (needsRehash(user.password_hash)) await updateUser(db, user.id, { password_hash: await hashPassword(body.password) });
      const workspaces = await workspacesOfUser(db, user.id);
      return startSession(runtime, request, reply, user, workspaces[0]?.id ?? null);
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: { tags, summary: 'Sign out: ends this session', response: { 204: Type.Null(), ...errorResponses } },
    },
    async (request, reply) => {
      const session = await requireSession(db, request);
      await deleteSession(db, session.sessionId);
      reply.header('set-cookie', clearedSessionCookie(app.overdueSessionCookie, secureCookies(runtime, request)));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/auth/session',
    {
      schema: {
        tags,
        summary: 'The signed-in user, the current workspace, the workspaces they belong to, and the CSRF token',
        response: { 200: SessionSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = await requireSession(db, request);
      let workspaceId = session.workspaceId;
      if (!workspaceId) {
        // The member was removed from the workspace the session acted in: move to another one they still have.
        workspaceId = (await workspacesOfUser(db, session.userId))[0]?.id ?? null;
        if (workspaceId) await updateSession(db, session.sessionId, { workspace_id: workspaceId });
      }
      reply.header('cache-control', 'no-store');
      return sessionView(runtime, { ...session, workspaceId });
    },
  );

  app.put(
    '/auth/session',
    {
      schema: {
        tags,
        summary: 'Switch the workspace this session acts in',
        body: Type.Object({ workspace_id: Type.String({ maxLength: 64 }) }, { additionalProperties: false }),
        response: { 200: SessionSchema, ...errorResponses },
      },
    },
    async (request) => {
      const session = await requireSession(db, request);
      const { workspace_id: workspaceId } = request.body;
      if (!(await findMembership(db, workspaceId, session.userId))) throw forbidden('You are not a member of that workspace.');
      await updateSession(db, session.sessionId, { workspace_id: workspaceId });
      return sessionView(runtime, { ...session, workspaceId });
    },
  );
}
