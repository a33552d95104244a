// Notification channels: where alerts go. Add one with a form for its kind, edit it, send a test, subscribe
// existing checks, delete it. A webhook's signing secret is shown once, right after it is made.
import { useState } from 'preact/hooks';
import { api, get } from '../api/client';
import type { Channel } from '../api/types';
import { useCan } from '../state/session';
import { Button, Confirm, CopyButton, Empty, toast, useAction, useLoad } from '../components/ui';
import { absolute } from '../format/time';
import { channelSummary, formOfKind } from '../format/channel-fields';
import { ChannelForm, type Saved } from './channel-form';
import { SubscribeChecks } from './channel-subscribe';
import { usePageTitle } from './page-title';

export function ChannelsPage() {
  usePageTitle('Channels');
  const can = useCan();
  const { data, error, reload } = useLoad(() => get<{ items: Channel[] }>('/channels').then((r) => r.items), []);
  const [removing, setRemoving] = useState<Channel | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [subscribing, setSubscribing] = useState<Channel | null>(null);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const remove = useAction(async () => {
    await api('DELETE', `/channels/${removing!.id}`);
    toast(`Deleted channel "${removing!.name}".`);
    setRemoving(null);
    await reload();
  });
  const saved =
    (verb: string) =>
    ({ channel, secret: shown }: Saved) => {
      toast(`${verb} channel "${channel.name}".`);
      setSecret(shown ? { name: channel.name, secret: shown } : null);
      setEditing(null);
      void reload();
    };
  return (
    <>
      <div class="page-head">
        <div class="title">
          <h1>Channels</h1>
          <p class="muted small">Where Overdue tells you a check went down or came back.</p>
        </div>
      </div>
      <div class="stack">
        {secret && (
          <div class="card" role="status" data-testid="channel-secret">
            <div class="card-body stack">
              <p class="small">
                <strong>Copy the signing secret of "{secret.name}" now.</strong> It is not shown again. Your receiver checks{' '}
                <code>X-Overdue-Signature</code> (sha256 HMAC of the body) with it.
              </p>
              <div class="secret">
                <code data-testid="channel-secret-value">{secret.secret}</code>
                <CopyButton text={secret.secret} />
              </div>
              <div>
                <Button variant="small ghost" onClick={() => setSecret(null)}>
                  I have stored it
                </Button>
              </div>
            </div>
          </div>
        )}
        {can.write && (
          <section class="card" aria-labelledby="h-new-channel">
            <div class="card-head">
              <h2 id="h-new-channel">Add a channel</h2>
            </div>
            <div class="card-body">
              <ChannelForm onSaved={saved('Added')} />
            </div>
          </section>
        )}
        <section class="card" aria-labelledby="h-channels">
          <div class="card-head">
            <h2 id="h-channels">Channels</h2>
          </div>
          {error ? (
            <p class="form-error">{error}</p>
          ) : !data ? (
            <div class="card-body">
              <div class="skeleton" />
            </div>
          ) : data.length === 0 ? (
            <Empty title="No channels yet">
              <p>{can.write ? 'Add one above and new checks will notify it.' : 'An editor or admin can add one.'}</p>
            </Empty>
          ) : (
            <ul class="channel-list">
              {data.map((c) => (
                <li key={c.id} data-channel={c.name}>
                  {editing === c.id ? (
                    <ChannelForm channel={c} onSaved={saved('Saved')} onCancel={() => setEditing(null)} />
                  ) : (
                    <ChannelRow
                      channel={c}
                      canWrite={can.write}
                      onEdit={() => setEditing(c.id)}
                      onSubscribe={() => setSubscribing(c)}
                      onDelete={() => setRemoving(c)}
                    />
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      {subscribing && <SubscribeChecks channel={subscribing} onClose={() => setSubscribing(null)} />}
      <Confirm
        open={removing != null}
        title={`Delete "${removing?.name ?? ''}"?`}
        confirm="Delete channel"
        danger
        busy={remove.busy}
        onCancel={() => setRemoving(null)}
        onConfirm={() => void remove.run()}
      >
        Checks stop notifying it. {remove.error && <span class="form-error">{remove.error}</span>}
      </Confirm>
    </>
  );
}

interface TestResult {
  ok: boolean;
  status_code: number | null;
  error: string | null;
  latency_ms: number;
}

function ChannelRow({
  channel: c,
  canWrite,
  onEdit,
  onSubscribe,
  onDelete,
}: {
  channel: Channel;
  canWrite: boolean;
  onEdit(): void;
  onSubscribe(): void;
  onDelete(): void;
}) {
  const [result, setResult] = useState<TestResult | null>(null);
  const test = useAction(async () => {
    setResult(null);
    setResult(await api<TestResult>('POST', `/channels/${c.id}/test`));
  });
  return (
    <div class="channel-row">
      <div class="channel-main">
        <div class="row">
          <strong class="truncate">{c.name}</strong>
          <span class="tag">{formOfKind(c.kind)?.label ?? c.kind}</span>
          <span class="small muted">{c.is_default ? 'new checks subscribe' : 'opt-in'}</span>
          {c.notify_late && <span class="small muted">· late warnings</span>}
        </div>
        <div class="mono small muted channel-target">{channelSummary(c.kind, c.config)}</div>
        <div class="xs faint">added {absolute(c.created_at, false)}</div>
        {result && (
          <p class={`small ${result.ok ? 'c-up' : 'c-down'}`} role="status" data-testid="channel-test-result">
            {result.ok
              ? `Test sent: the receiver answered${result.status_code != null ? ` ${result.status_code}` : ''} in ${result.latency_ms} ms.`
              : `Test failed: ${result.error ?? `the receiver answered ${result.status_code}`}`}
          </p>
        )}
        {test.error && (
          <p class="form-error" role="alert">
            {test.error}
          </p>
        )}
      </div>
      {canWrite && (
        <div class="row channel-actions">
          <Button variant="small" busy={test.busy} onClick={() => void test.run()} aria-label={`Send a test to ${c.name}`}>
            Send test
          </Button>
          <Button variant="small" onClick={onSubscribe} aria-label={`Subscribe checks to ${c.name}`}>
            Checks…
          </Button>
          <Button variant="small" onClick={onEdit} aria-label={`Edit channel ${c.name}`}>
            Edit
          </Button>
          <Button variant="small danger" onClick={onDelete} aria-label={`Delete channel ${c.name}`}>
            Delete
          </Button>
        </div>
      )}
    </div>
  );
}
