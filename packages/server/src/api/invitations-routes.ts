// Invitations: how a person joins a workspace. An admin invites an address; the person opens the single-use link
// and accepts, signed in as that address or by creating their own account with a password they choose. Nobody
// else's say ever creates an account or a membership (audit finding 3: account pre-hijacking).
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { OverdueError, badRequest, conflict, forbidden, notFound } from '../errors.js';
import { iso, DAY_MS } from '../core/index.js';
import { newId } from '../store/ids.js';
import {
  deleteInvitation,
  findInvitation,
  findInvitationByToken,
  invitationsOf,
  replaceInvitation,
  takeInvitation,
  updateInvitation,
} from '../store/invitations.js';
import { findMembership, findUser, findUserByEmail, insertMembership, insertUser, updateSession } from '../store/users.js';
import type { InvitationRow } from '../store/schema.js';
import { checkNewPassword, hashPassword } from '../auth/passwords.js';
import { smtpMailer, type Mailer } from '../auth/mailer.js';
import { SignInLimits } from '../auth/sign-in-limits.js';
import { keyed, sessionOf } from './auth.js';
import { workspaceOf } from './context.js';
import { SessionSchema, sessionView, startSession } from './session-routes.js';
import { errorResponses } from './schemas.js';
import { inTransaction } from '../store/transaction.js';

/** An invitation link works for 7 days. */
export const INVITATION_TTL_MS = 7 * DAY_MS;

export const InvitationSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: Type.String(),
  invited_by: Type.Union([Type.String(), Type.Null()], { description: "the inviting admin's name; null when an API key invited" }),
  created_at: Type.String(),
  expires_at: Type.String(),
  expired: Type.Boolean(),
});
/** The answer to inviting: the same shape whether or not the address has an account (nothing to learn from it). */
export const InvitedSchema = Type.Object({
  invitation: InvitationSchema,
  accept_url: Type.Union([Type.String(), Type.Null()], {
    description: 'the link to pass on when the server sends no mail (OVERDUE_SMTP_URL unset); null when it was e-mailed',
  }),
  emailed: Type.Boolean({ description: 'whether the link went out by e-mail' }),
});
const Token = Type.String({ minLength: 1, maxLength: 200 });
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
const INVALID_LINK =
  'This invitation link is not valid: it was used, revoked or replaced by a newer one. Ask an admin of the workspace to invite you again.';

function present(row: InvitationRow & { invited_by_name?: string | null }, now: number) {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    invited_by: row.invited_by_name ?? null,
    created_at: iso(row.created_at)!,
    expires_at: iso(row.expires_at)!,
    expired: row.expires_at <= now,
  };
}

/** Where the invited person accepts: the token rides in the fragment, which browsers never send to a server. */
const acceptUrlOf = (publicUrl: string, token: string) => `${publicUrl}/invite#${token}`;

/** Invitations as members-routes and these routes make them: stored, then mailed (or the link handed back). */
export class Inviter {
  private readonly mailer: Mailer | null;

  constructor(private readonly runtime: Runtime) {
    const { smtp, deliveryTimeoutMs } = runtime.config;
    this.mailer = smtpMailer(smtp.url, smtp.from, deliveryTimeoutMs);
  }

  /** Invites `email` to the caller's workspace with `role`; an earlier pending invitation of the address is replaced. */
  async invite(request: FastifyRequest, email: string, role: string) {
    const db = this.runtime.store.db;
    const workspaceId = workspaceOf(request);
    const now = this.runtime.clock.now();
    // Only this workspace's own members are named here (the admin sees them anyway); whether the address has an
    // account anywhere is never looked at, so the answer cannot tell.
    const member = await db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select('users.id')
      .where('memberships.workspace_id', '=', workspaceId)
      .where('users.email', '=', email)
      .executeTakeFirst();
    if (member) throw conflict('already_member', `${email} is already a member of this workspace.`);
    const token = randomBytes(32).toString('base64url');
    const row: InvitationRow = {
      id: newId(),
      workspace_id: workspaceId,
      email,
      role,
      token_hash: hashOf(token),
      invited_by: request.auth?.userId ?? null,
      created_at: now,
      expires_at: now + INVITATION_TTL_MS,
    };
    await inTransaction(db, (trx) => replaceInvitation(trx, row), {
      noRetry: 'a unique key taken means another request invited this address: answered 409',
    }).catch((error: { code?: string }) => {
      if (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === '23505')
        throw conflict('already_invited', `${email} was invited by another request just now; reload the list.`);
      throw error;
    });
    return this.deliver(row, token, async () => {
      await deleteInvitation(db, workspaceId, row.id);
    });
  }

  /** A fresh link (and 7 more days) for a pending invitation; the old link stops working. */
  async renew(request: FastifyRequest, id: string) {
    const db = this.runtime.store.db;
    const row = await findInvitation(db, workspaceOf(request), id);
    if (!row) throw notFound('invitation_not_found', 'No such invitation in this workspace; it may have been accepted or revoked.');
    const token = randomBytes(32).toString('base64url');
    const fresh = { token_hash: hashOf(token), expires_at: this.runtime.clock.now() + INVITATION_TTL_MS };
    await updateInvitation(db, id, fresh);
    return this.deliver({ ...row, ...fresh }, token, () =>
      updateInvitation(db, id, { token_hash: row.token_hash, expires_at: row.expires_at }),
    );
  }

  /**
   * Mails the link, or hands it to the admin when the server sends no mail. With mail, the admin never sees the
   * link: whoever accepts has shown they read that mailbox. A mail that cannot be sent undoes the change (`undo`).
   */
  private async deliver(row: InvitationRow, token: string, undo: () => Promise<void>) {
    const db = this.runtime.store.db;
    const now = this.runtime.clock.now();
    const inviter = row.invited_by ? await findUser(db, row.invited_by) : undefined;
    const answer = (emailed: boolean) => ({
      invitation: present({ ...row, invited_by_name: inviter?.name ?? null }, now),
      accept_url: emailed ? null : acceptUrlOf(this.runtime.config.publicUrl, token),
      emailed,
    });
    if (!this.mailer) return answer(false);
    const workspace = await db.selectFrom('workspaces').select('name').where('id', '=', row.workspace_id).executeTakeFirstOrThrow();
    try {
      await this.mailer.send({
        to: row.email,
        subject: `You are invited to the Overdue workspace "${workspace.name}"`,
        text:
          `${inviter ? `${inviter.name} (${inviter.email})` : 'An admin'} invited you to the workspace "${workspace.name}" on Overdue as ${row.role}.\n\n` +
          `Accept within 7 days: ${acceptUrlOf(this.runtime.config.publicUrl, token)}\n\n` +
          'If you did not expect this, ignore this mail: nothing happens unless you open the link.\n',
      });
    } catch (error) {
      await undo();
      this.runtime.log.warn({ err: error, invitation: row.id }, 'invitation e-mail could not be sent');
      throw new OverdueError(
        502,
        'invitation_not_sent',
        `The invitation e-mail could not be sent (${(error as Error).message}); nothing was saved. Check OVERDUE_SMTP_URL, then try again.`,
      );
    }
    return answer(true);
  }
}

export async function invitationRoutes(app: HttpApp, runtime: Runtime, inviter: Inviter): Promise<void> {
  const db = runtime.store.db;
  const tags = ['workspace'];
  const admin = keyed(db, 'admin');
  // Tokens are 256-bit, so guessing is hopeless; the limit keeps a client from making the server hash passwords.
  const limits = new SignInLimits();

  /** The invitation a token stands for, or 404 / 410 a person can act on. */
  async function invitationOf(request: FastifyRequest, token: string): Promise<InvitationRow> {
    limits.other('invitation', request.ip, runtime.clock.now());
    const row = await findInvitationByToken(db, hashOf(token));
    if (!row) throw notFound('invitation_not_found', INVALID_LINK);
    if (row.expires_at <= runtime.clock.now()) {
      throw new OverdueError(
        410,
        'invitation_expired',
        'This invitation has expired (links work for 7 days). Ask an admin of the workspace for a new one.',
      );
    }
    return row;
  }

  app.get(
    '/invitations',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'Pending invitations of the workspace (admin)',
        response: { 200: Type.Object({ items: Type.Array(InvitationSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const now = runtime.clock.now();
      return { items: (await invitationsOf(db, workspaceOf(request))).map((row) => present(row, now)) };
    },
  );

  app.delete(
    '/invitations/:id',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'Revoke an invitation: its link stops working (admin)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!(await deleteInvitation(db, workspaceOf(request), request.params.id))) {
        throw notFound('invitation_not_found', 'No such invitation in this workspace; it may have been accepted or revoked.');
      }
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/invitations/:id/renew',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'A new link for an invitation, valid 7 more days; the old link stops working (admin)',
        params: IdParams,
        response: { 200: InvitedSchema, ...errorResponses },
      },
    },
    async (request) => inviter.renew(request, request.params.id),
  );

  app.post(
    '/invitations/view',
    {
      schema: {
        tags,
        summary: "What an invitation link offers (workspace, address, role); needs only the link's token",
        body: Type.Object({ token: Token }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            email: Type.String(),
            role: Type.String(),
            workspace: Type.Object({ name: Type.String() }),
            invited_by: Type.Union([Type.String(), Type.Null()]),
            expires_at: Type.String(),
          }),
          410: errorResponses[400],
          429: errorResponses[400],
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const row = await invitationOf(request, request.body.token);
      const workspace = await db.selectFrom('workspaces').select('name').where('id', '=', row.workspace_id).executeTakeFirstOrThrow();
      const inviter = row.invited_by ? await findUser(db, row.invited_by) : undefined;
      reply.header('cache-control', 'no-store');
      return { email: row.email, role: row.role, workspace, invited_by: inviter?.name ?? null, expires_at: iso(row.expires_at)! };
    },
  );

  app.post(
    '/invitations/accept',
    {
      schema: {
        tags,
        summary: 'Accept an invitation: signed in as the invited address, or with a name and password for a new account (then signed in)',
        body: Type.Object(
          {
            token: Token,
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            password: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: SessionSchema,
          201: SessionSchema,
          409: errorResponses[400],
          410: errorResponses[400],
          429: errorResponses[400],
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const row = await invitationOf(request, body.token);
      const now = runtime.clock.now();
      const session = await sessionOf(db, request);
      if (session) {
        if (session.email !== row.email) {
          throw forbidden(
            `This invitation is for ${row.email}, and you are signed in as ${session.email}. Sign out and open the link again, or ask the admin to invite the address you use.`,
          );
        }
        await inTransaction(db, async (trx) => {
          // Taking the row is what makes the link single-use, also against a second request racing this one.
          if (!(await takeInvitation(trx, row.id, row.token_hash))) throw notFound('invitation_not_found', INVALID_LINK);
          if (!(await findMembership(trx, row.workspace_id, session.userId))) {
            await insertMembership(trx, { workspace_id: row.workspace_id, user_id: session.userId, role: row.role, created_at: now });
          }
          await updateSession(trx, session.sessionId, { workspace_id: row.workspace_id });
        });
        return sessionView(runtime, { ...session, workspaceId: row.workspace_id });
      }
      const name = body.name?.trim();
      if (!name || body.password == null) {
        throw badRequest(
          'account_details_required',
          'Choose your name and a password to create your account, or sign in first if you already have one.',
        );
      }
      checkNewPassword(body.password);
      const user = { id: newId(), email: row.email, name };
      const passwordHash = await hashPassword(body.password);
      await inTransaction(db, async (trx) => {
        if (!(await takeInvitation(trx, row.id, row.token_hash))) throw notFound('invitation_not_found', INVALID_LINK);
        // The address's owner already has an account: they prove it by signing in, never by a new password.
        if (await findUserByEmail(trx, row.email)) {
          throw conflict('account_exists', `${row.email} already has an account: sign in with it, then open this link again.`);
        }
        await insertUser(trx, { ...user, password_hash: passwordHash, created_at: now, last_login_at: null });
        await insertMembership(trx, { workspace_id: row.workspace_id, user_id: user.id, role: row.role, created_at: now });
      }).catch((error: { code?: string }) => {
        if (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === '23505') {
          throw conflict('account_exists', `${row.email} already has an account: sign in with it, then open this link again.`);
        }
        throw error;
      });
      return reply.code(201).send(await startSession(runtime, request, reply, user, row.workspace_id));
    },
  );
}
