// healthchecks.io answers a ping whose method the check does not accept (GET on a POST-only check) with 200 and
// logs it as ignored, so `curl -fsS` in a crontab does not fail every run. Overdue does the same.
import type { Runtime } from '../runtime.js';
import type { IncomingSignal } from '../ingest/incoming-signal.js';
import type { IngestOutcome } from '../ingest/apply-batch.js';

/** Submits a signal; when the check refuses its method, stores it as an `ignored` signal instead (the method in its metadata). */
export async function submitIgnoringRefusedMethod(runtime: Runtime, sig: IncomingSignal): Promise<IngestOutcome & { ignored?: true }> {
  const outcome = await runtime.ingest.submit(sig);
  if (outcome.kind !== 'method_not_allowed') return outcome;
  // Without a method the check's method rule does not apply; the method is kept in the metadata instead.
  // The signal's metadata was serialised (and bounded) when it was built; two short fields are added to it here.
  const previous = sig.metadata ? (JSON.parse(sig.metadata) as Record<string, unknown>) : {};
  const metadata = {
    ...previous,
    ignored: `method ${sig.method} is not allowed for this check (allowed: ${outcome.allowed.join(', ')})`,
    method: sig.method,
  };
  const stored = await runtime.ingest.submit({
    ...sig,
    kind: 'ignored',
    method: null,
    progress: null,
    exitCode: null,
    createWith: null,
    metadata: JSON.stringify(metadata),
  });
  return { ...stored, ignored: true };
}
