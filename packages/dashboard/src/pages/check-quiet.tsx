// On the check page: "in maintenance until …" / "snoozed until …", and the Snooze control (1 h, 2 h, 8 h, 1 day).
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Check } from '../api/types';
import { checksStore } from '../state/checks';
import { Button, toast, useAction } from '../components/ui';
import { Link } from '../router';
import { quietOf, quietText } from '../format/quiet';
import { absolute } from '../format/time';

const LENGTHS: Array<[string, number]> = [
  ['1 hour', 3600],
  ['2 hours', 7200],
  ['4 hours', 14_400],
  ['8 hours', 28_800],
  ['1 day', 86_400],
  ['3 days', 259_200],
  ['1 week', 604_800],
];

/** Says why the check will not alert for a while, and until when. */
export function QuietNotice({ check }: { check: Check }) {
  const quiet = quietOf(check);
  if (!quiet) return null;
  return (
    <div class="notice" role="status" data-testid="quiet-notice">
      <strong>{quietText(check)!.replace(/^./, (c) => c.toUpperCase())}.</strong>{' '}
      {quiet.kind === 'snoozed' ? (
        'It resumes by itself then, its clock starting afresh; Resume ends the snooze now.'
      ) : (
        <>
          Nothing alerts until then; if it is down when the window ends, it alerts then.{' '}
          <Link href="/maintenance">Maintenance windows</Link>
        </>
      )}
    </div>
  );
}

/** A timed pause: pick how long, and the check resumes by itself. */
export function SnoozeControl({ check }: { check: Check }) {
  const [length, setLength] = useState(String(7200));
  const snooze = useAction(async () => {
    const updated = await api<Check>('POST', `/checks/${check.id}/snooze`, { duration_s: Number(length) });
    checksStore.upsert([updated]);
    toast(`Snoozed until ${absolute(updated.snoozed_until, false)}; it resumes by itself then.`);
  });
  return (
    <span class="row snooze-control">
      <label class="sr-only" for="snooze-length">
        Snooze for
      </label>
      <select id="snooze-length" class="input" value={length} onChange={(e) => setLength(e.currentTarget.value)}>
        {LENGTHS.map(([label, s]) => (
          <option key={s} value={String(s)}>
            {label}
          </option>
        ))}
      </select>
      <Button busy={snooze.busy} onClick={() => void snooze.run()}>
        Snooze
      </Button>
      {snooze.error && (
        <span class="form-error" role="alert">
          {snooze.error}
        </span>
      )}
    </span>
  );
}
