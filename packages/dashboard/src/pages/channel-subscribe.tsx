// Subscribe existing checks to a channel (new checks subscribe by themselves when the channel says so).
import { useState } from 'preact/hooks';
import { api, get } from '../api/client';
import type { Channel } from '../api/types';
import { useChecksStore } from '../state/checks';
import { Confirm, toast, useAction, useLoad } from '../components/ui';

export function SubscribeChecks({ channel, onClose }: { channel: Channel; onClose(): void }) {
  const store = useChecksStore();
  const { data: subscribed } = useLoad(
    () => get<Channel & { checks: string[] }>(`/channels/${channel.id}`).then((c) => new Set(c.checks)),
    [channel.id],
  );
  const [chosen, setChosen] = useState<string[]>([]);
  const [filter, setFilter] = useState('');
  const checks = [...store.byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.slug.localeCompare(b.slug));
  const shown = checks.filter((c) => `${c.name} ${c.slug} ${c.project ?? ''}`.toLowerCase().includes(filter.trim().toLowerCase()));
  const save = useAction(async () => {
    const result = await api<{ subscribed: number }>('POST', `/channels/${channel.id}/checks`, { checks: chosen });
    toast(`Subscribed ${result.subscribed} check${result.subscribed === 1 ? '' : 's'} to "${channel.name}".`);
    onClose();
  });
  return (
    <Confirm
      open
      title={`Checks that notify "${channel.name}"`}
      confirm={chosen.length ? `Subscribe ${chosen.length} check${chosen.length === 1 ? '' : 's'}` : 'Subscribe'}
      busy={save.busy}
      onCancel={onClose}
      onConfirm={() => (chosen.length ? void save.run() : onClose())}
    >
      <p class="small">
        Tick the checks that should send their alerts here. To stop a check notifying it, untick the channel on the check's edit page.
      </p>
      <input
        class="input"
        type="search"
        aria-label="Filter checks"
        placeholder="Filter checks…"
        value={filter}
        onInput={(e) => setFilter(e.currentTarget.value)}
        style={{ margin: 'var(--s2) 0' }}
      />
      {!subscribed ? (
        <p class="small">Loading…</p>
      ) : checks.length === 0 ? (
        <p class="small">No checks yet.</p>
      ) : (
        <div class="stack subscribe-list">
          {shown.map((c) => {
            const already = subscribed.has(c.id);
            return (
              <label key={c.id} class="check-line">
                <input
                  type="checkbox"
                  disabled={already}
                  checked={already || chosen.includes(c.id)}
                  onChange={(e) => setChosen(e.currentTarget.checked ? [...chosen, c.id] : chosen.filter((id) => id !== c.id))}
                />
                <span>
                  {c.name} <span class="muted small mono">{c.slug}</span>
                  {already && <span class="muted small"> · subscribed</span>}
                </span>
              </label>
            );
          })}
        </div>
      )}
      {save.error && <p class="form-error">{save.error}</p>}
    </Confirm>
  );
}
