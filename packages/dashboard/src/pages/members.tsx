// The workspace's members and their roles, and the invitations that bring new ones in (Settings page).
import { useState } from 'preact/hooks';
import { api, get } from '../api/client';
import type { Invitation, Invited, Member, Role, Session } from '../api/types';
import { adopt, useCan } from '../state/session';
import { Button, Confirm, CopyButton, Field, FormError, toast, useAction, useLoad } from '../components/ui';
import { absolute } from '../format/time';

export const ROLE_HELP: Record<Role, string> = {
  admin: 'everything, including members and API keys',
  editor: 'checks and channels',
  viewer: 'read only',
};

export function MembersSection({ session }: { session: Session }) {
  const can = useCan();
  const { data, error, reload } = useLoad(() => get<{ items: Member[] }>('/members').then((r) => r.items), [session.workspace!.id]);
  const [removing, setRemoving] = useState<Member | null>(null);
  const change = useAction(async (member: Member, next: Role) => {
    await api('PATCH', `/members/${member.user_id}`, { role: next });
    toast(`${member.email} is now ${next}.`);
    await reload();
    if (member.user_id === session.user.id) adopt(await get<Session>('/auth/session'));
  });
  const remove = useAction(async () => {
    await api('DELETE', `/members/${removing!.user_id}`);
    toast(`Removed ${removing!.email}.`);
    setRemoving(null);
    await reload();
  });
  return (
    <section class="card" aria-labelledby="h-members">
      <div class="card-head">
        <h2 id="h-members">Members</h2>
        <span class="small muted">
          admin: {ROLE_HELP.admin} · editor: {ROLE_HELP.editor} · viewer: {ROLE_HELP.viewer}
        </span>
      </div>
      <div class="card-body stack">
        <FormError error={error ?? change.error} />
        {data && (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Email</th>
                  <th>Role</th>
                  <th>Last sign-in</th>
                  {can.admin && (
                    <th>
                      <span class="sr-only">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {data.map((m) => (
                  <tr key={m.user_id}>
                    <td>
                      {m.name}
                      {m.user_id === session.user.id && <span class="muted small"> (you)</span>}
                    </td>
                    <td>{m.email}</td>
                    <td>
                      {can.admin ? (
                        <select
                          class="input"
                          style={{ width: '120px', height: '30px' }}
                          aria-label={`Role of ${m.email}`}
                          value={m.role}
                          onChange={(e) => void change.run(m, e.currentTarget.value as Role)}
                        >
                          {(['admin', 'editor', 'viewer'] as Role[]).map((r) => (
                            <option key={r} value={r}>
                              {r}
                            </option>
                          ))}
                        </select>
                      ) : (
                        m.role
                      )}
                    </td>
                    <td class="small">{absolute(m.last_login_at, false)}</td>
                    {can.admin && (
                      <td class="r">
                        <Button variant="small danger" onClick={() => setRemoving(m)} aria-label={`Remove ${m.email}`}>
                          Remove
                        </Button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {can.admin && <Invitations workspaceId={session.workspace!.id} />}
      </div>
      <Confirm
        open={removing != null}
        title={`Remove ${removing?.email ?? ''}?`}
        confirm="Remove member"
        danger
        busy={remove.busy}
        onCancel={() => setRemoving(null)}
        onConfirm={() => void remove.run()}
      >
        They lose access to this workspace at once. {remove.error && <span class="form-error">{remove.error}</span>}
      </Confirm>
    </section>
  );
}

/** Inviting people, and the invitations still waiting to be accepted (admins only). */
function Invitations({ workspaceId }: { workspaceId: string }) {
  const { data, error, reload } = useLoad(() => get<{ items: Invitation[] }>('/invitations').then((r) => r.items), [workspaceId]);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  // The latest link to pass on by hand (only when the server sends no mail); never stored, so shown once.
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const shown = (invited: Invited) => {
    if (invited.accept_url) setLink({ email: invited.invitation.email, url: invited.accept_url });
    else {
      setLink(null);
      toast(`Invitation e-mailed to ${invited.invitation.email}.`);
    }
  };
  const invite = useAction(async () => {
    shown(await api<Invited>('POST', '/members', { email: email.trim(), role }));
    setEmail('');
    await reload();
  });
  const renew = useAction(async (invitation: Invitation) => {
    shown(await api<Invited>('POST', `/invitations/${invitation.id}/renew`));
    await reload();
  });
  const revoke = useAction(async () => {
    await api('DELETE', `/invitations/${revoking!.id}`);
    toast(`Invitation of ${revoking!.email} revoked.`);
    if (link?.email === revoking!.email) setLink(null);
    setRevoking(null);
    await reload();
  });
  return (
    <>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          void invite.run();
        }}
      >
        <h3>Invite someone</h3>
        <p class="small muted">
          They get a link that works once, for 7 days, and choose their own name and password (or accept with the account they have).
        </p>
        <div class="form-grid">
          <Field label="Email">
            {(id) => <input id={id} class="input" type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}
          </Field>
          <Field label="Role">
            {(id) => (
              <select id={id} class="input" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
                {(['viewer', 'editor', 'admin'] as Role[]).map((r) => (
                  <option key={r} value={r}>
                    {r} — {ROLE_HELP[r]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <FormError error={invite.error} />
        <div>
          <Button type="submit" variant="primary" busy={invite.busy}>
            Invite
          </Button>
        </div>
      </form>
      {link && (
        <div class="field" role="status">
          <span class="label">Send this link to {link.email}</span>
          <div class="row">
            <input
              class="input mono grow"
              readOnly
              aria-label={`Invitation link for ${link.email}`}
              value={link.url}
              onFocus={(e) => e.currentTarget.select()}
            />
            <CopyButton text={link.url} label="Copy link" />
          </div>
          <span class="hint">
            This server sends no e-mail (OVERDUE_SMTP_URL is not set). The link is shown only now; "New link" makes another.
          </span>
        </div>
      )}
      <FormError error={error ?? renew.error} />
      {data && data.length > 0 && (
        <div class="table-wrap">
          <table class="table" aria-label="Pending invitations">
            <thead>
              <tr>
                <th>Invited</th>
                <th>Role</th>
                <th>By</th>
                <th>Expires</th>
                <th>
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.map((i) => (
                <tr key={i.id}>
                  <td>{i.email}</td>
                  <td>{i.role}</td>
                  <td class="small">{i.invited_by ?? 'an API key'}</td>
                  <td class="small">{i.expired ? <span class="muted">expired</span> : absolute(i.expires_at, false)}</td>
                  <td class="r row" style={{ justifyContent: 'flex-end' }}>
                    <Button variant="small" busy={renew.busy} onClick={() => void renew.run(i)} aria-label={`New link for ${i.email}`}>
                      New link
                    </Button>
                    <Button variant="small danger" onClick={() => setRevoking(i)} aria-label={`Revoke the invitation of ${i.email}`}>
                      Revoke
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Confirm
        open={revoking != null}
        title={`Revoke the invitation of ${revoking?.email ?? ''}?`}
        confirm="Revoke"
        danger
        busy={revoke.busy}
        onCancel={() => setRevoking(null)}
        onConfirm={() => void revoke.run()}
      >
        Its link stops working at once. {revoke.error && <span class="form-error">{revoke.error}</span>}
      </Confirm>
    </>
  );
}
