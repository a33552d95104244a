// The check form's "Depends on" picker: the checks of the workspace this one depends on. While one of them is down,
// this check going down is folded into that check's incident instead of paging on its own.
import { useEffect, useState } from 'preact/hooks';
import type { Check } from '../api/types';
import { useChecksStore } from '../state/checks';

/** `value` holds the parents' ids; `selfId` (when editing) is left out of the choices. */
export function DependsOnFieldset({ value, onChange, selfId }: { value: string[]; onChange(ids: string[]): void; selfId?: string }) {
  const store = useChecksStore();
  const [filter, setFilter] = useState('');
  useEffect(() => {
    if (!store.complete && !store.loading) void store.reload();
  }, []);
  const all = [...store.byId.values()].filter((c) => c.id !== selfId).sort((a, b) => a.name.localeCompare(b.name));
  const needle = filter.trim().toLowerCase();
  // Chosen checks always show, so one can be unticked whatever the filter says.
  const shown = all
    .filter((c) => value.includes(c.id) || !needle || c.name.toLowerCase().includes(needle) || c.slug.includes(needle))
    .slice(0, 50);
  const toggle = (c: Check, on: boolean) => onChange(on ? [...value, c.id] : value.filter((id) => id !== c.id));
  return (
    <fieldset data-testid="depends-on">
      <legend>Depends on</legend>
      <p class="small muted">
        While a check it depends on is down (e.g. "db1 alive" for a job on db1), this check going down is folded into that incident instead
        of paging; if the other recovers first, this one pages then.
      </p>
      <input
        class="input"
        type="search"
        placeholder="Find a check"
        aria-label="Find a check to depend on"
        value={filter}
        onInput={(e) => setFilter(e.currentTarget.value)}
      />
      <div class="stack" style={{ maxHeight: '220px', overflow: 'auto', marginTop: '8px' }}>
        {shown.length === 0 ? (
          <p class="small muted">No other checks{needle ? ' match' : ' yet'}.</p>
        ) : (
          shown.map((c) => (
            <label key={c.id} class="check-line">
              <input type="checkbox" checked={value.includes(c.id)} onChange={(e) => toggle(c, e.currentTarget.checked)} /> {c.name}{' '}
              <span class="mono xs muted">{c.slug}</span>
            </label>
          ))
        )}
      </div>
    </fieldset>
  );
}
