// Create or change a check: name and place, schedule (with the cron helper), grace, thresholds, incidents, methods,
// channels. Each group of settings is a section or fieldset of its own, so more can be added beside them.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, get } from '../api/client';
import type { Channel, Check } from '../api/types';
import { Link, navigate } from '../router';
import { checksStore } from '../state/checks';
import { Button, Field, FormError, toast, useAction } from '../components/ui';
import { localZone, timeZones } from '../format/cron';
import { usePageTitle } from './page-title';
import { DurationInput, seconds, split } from './duration-input';
import { IncidentFieldset, type IncidentSettings } from './check-form-incidents';
import { RunShapeFieldset, runShapeBody, runShapeOf } from './check-form-run-shape';
import { RateQuorumFieldset, rateQuorumBody, rateQuorumOf } from './check-form-rate-quorum';
import { DependsOnFieldset } from './check-form-dependencies';
import {
  ChannelsFieldset,
  KeywordsFieldset,
  MethodsFieldset,
  ScheduleFields,
  type Keywords,
  type ScheduleKind,
} from './check-form-choices';

export function CheckFormPage({ id }: { id?: string }) {
  const editing = id != null;
  usePageTitle(editing ? 'Edit check' : 'New check');
  const [check, setCheck] = useState<Check | null>(null);
  const [channels, setChannels] = useState<Channel[] | null>(null);
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [description, setDescription] = useState('');
  const [project, setProject] = useState('');
  const [service, setService] = useState('');
  const [tags, setTags] = useState('');
  const [kind, setKind] = useState<ScheduleKind>('interval');
  const [period, setPeriod] = useState({ value: '5', unit: 60 });
  const [expr, setExpr] = useState('0 2 * * *');
  const [tz, setTz] = useState(localZone());
  const [grace, setGrace] = useState({ value: '5', unit: 60 });
  const [graceMode, setGraceMode] = useState<'fixed' | 'multiple'>('fixed');
  const [multiplier, setMultiplier] = useState('1.5');
  const [incidents, setIncidents] = useState<IncidentSettings>({ severity: '', realert: split(null), cooldown: split(null) });
  const [rateQuorum, setRateQuorum] = useState(rateQuorumOf(null));
  const [maxRuntime, setMaxRuntime] = useState({ value: '', unit: 60 });
  const [runShape, setRunShape] = useState(() => runShapeOf(null));
  const [failureThreshold, setFailureThreshold] = useState('1');
  const [recoveryThreshold, setRecoveryThreshold] = useState('1');
  const [methods, setMethods] = useState<string[]>(['GET', 'HEAD', 'POST']);
  const [manualResume, setManualResume] = useState(false);
  const [alertFirst, setAlertFirst] = useState(false);
  const [selected, setSelected] = useState<string[] | null>(null);
  const [dependsOn, setDependsOn] = useState<string[]>([]);
  const [keywords, setKeywords] = useState<Keywords>({
    filter_http_body: false,
    filter_default_fail: false,
    start_kw: '',
    success_kw: '',
    failure_kw: '',
  });
  const zones = useMemo(timeZones, []);

  useEffect(() => {
    get<{ items: Channel[] }>('/channels').then(
      (r) => setChannels(r.items),
      () => setChannels([]),
    );
    if (!id) return;
    get<Check>(`/checks/${encodeURIComponent(id)}`).then(
      (c) => {
        setCheck(c);
        setName(c.name);
        setSlug(c.slug);
        setDescription(c.description);
        setProject(c.project ?? '');
        setService(c.service?.name ?? '');
        setTags(c.tags.join(', '));
        setKind(c.schedule.kind);
        if (c.schedule.kind === 'interval') setPeriod(split(c.schedule.period_s));
        else {
          setExpr(c.schedule.expr);
          setTz(c.schedule.tz);
        }
        setGrace(split(c.effective_grace_s));
        setMaxRuntime(split(c.max_runtime_s));
        setRunShape(runShapeOf(c));
        if (c.grace_s == null && c.grace_multiplier != null) {
          setGraceMode('multiple');
          setMultiplier(String(c.grace_multiplier));
        }
        setIncidents({ severity: c.severity ?? '', realert: split(c.realert_s), cooldown: split(c.cooldown_s) });
        setRateQuorum(rateQuorumOf(c));
        setFailureThreshold(String(c.failure_threshold));
        setRecoveryThreshold(String(c.recovery_threshold));
        setMethods(c.methods ?? ['GET', 'HEAD', 'POST']);
        setManualResume(c.manual_resume);
        setAlertFirst(c.alert_before_first_ping);
        setSelected(c.channels);
        setDependsOn((c.depends_on ?? []).map((p) => p.id));
        setKeywords({
          filter_http_body: c.filter_http_body ?? false,
          filter_default_fail: c.filter_default_fail ?? false,
          start_kw: c.start_kw ?? '',
          success_kw: c.success_kw ?? '',
          failure_kw: c.failure_kw ?? '',
        });
      },
      (e) => toast(e.message, true),
    );
  }, [id]);

  const save = useAction(async () => {
    const body: Record<string, unknown> = {
      name: name.trim(),
      description,
      project: project.trim() || null,
      service: service.trim() || null,
      tags: tags
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
      schedule: kind === 'interval' ? { kind, period_s: seconds(period) } : { kind, expr: expr.trim(), tz },
      ...(graceMode === 'fixed'
        ? { grace_s: seconds(grace) ?? 0, grace_multiplier: null }
        : { grace_s: null, grace_multiplier: Number(multiplier) }),
      max_runtime_s: seconds(maxRuntime) || null,
      ...runShapeBody(runShape),
      severity: incidents.severity || null,
      realert_s: seconds(incidents.realert) || null,
      cooldown_s: seconds(incidents.cooldown) || null,
      failure_threshold: Number(failureThreshold),
      recovery_threshold: Number(recoveryThreshold),
      methods: methods.length === 3 ? null : methods,
      manual_resume: manualResume,
      alert_before_first_ping: alertFirst,
      ...keywords,
      ...rateQuorumBody(rateQuorum),
    };
    if (editing || slug.trim()) body.slug = slug.trim();
    if (selected) body.channels = selected;
    if (editing || dependsOn.length) body.depends_on = dependsOn;
    const saved = await api<Check>(editing ? 'PATCH' : 'POST', editing ? `/checks/${check!.id}` : '/checks', body);
    checksStore.upsert([saved]);
    toast(editing ? 'Saved.' : `Created "${saved.name}". Ping its URL to bring it up.`);
    navigate(`/checks/${saved.id}`);
  });

  if (editing && !check) return <div aria-busy="true" class="skeleton" style={{ width: '240px', height: '28px' }} />;
  const chosen = selected ?? (channels ?? []).filter((c) => c.is_default).map((c) => c.id);
  return (
    <>
      <div class="page-head">
        <div class="title">
          <nav class="crumbs" aria-label="Breadcrumb">
            <Link href="/">Checks</Link>
            {check && (
              <>
                <span aria-hidden="true">/</span>
                <Link href={`/checks/${check.id}`}>{check.name}</Link>
              </>
            )}
          </nav>
          <h1>{editing ? 'Edit check' : 'New check'}</h1>
        </div>
      </div>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
        style={{ maxWidth: '860px' }}
      >
        <section class="card">
          <div class="card-body form">
            <h2>What it watches</h2>
            <div class="form-grid">
              <Field label="Name">
                {(fid) => (
                  <input
                    id={fid}
                    class="input"
                    required
                    maxLength={200}
                    value={name}
                    onInput={(e) => setName(e.currentTarget.value)}
                    placeholder="nightly backup"
                  />
                )}
              </Field>
              <Field
                label={editing ? 'Slug' : 'Slug (optional)'}
                hint={
                  editing ? 'Used in /ping/{ping key}/{slug} URLs.' : 'Used in /ping/{ping key}/{slug} URLs; empty: made from the name.'
                }
              >
                {(fid, d) => (
                  <input
                    id={fid}
                    class="input mono"
                    required={editing}
                    pattern="[a-z0-9][a-z0-9_\-]*"
                    maxLength={100}
                    aria-describedby={d}
                    value={slug}
                    onInput={(e) => setSlug(e.currentTarget.value)}
                    placeholder={editing ? undefined : 'nightly-backup'}
                  />
                )}
              </Field>
              <Field label="Project">
                {(fid) => (
                  <input
                    id={fid}
                    class="input"
                    maxLength={200}
                    value={project}
                    onInput={(e) => setProject(e.currentTarget.value)}
                    placeholder="billing"
                  />
                )}
              </Field>
              <Field label="Service">
                {(fid) => (
                  <input
                    id={fid}
                    class="input"
                    maxLength={200}
                    value={service}
                    onInput={(e) => setService(e.currentTarget.value)}
                    placeholder="invoices-worker"
                  />
                )}
              </Field>
              <Field label="Tags" hint="Comma separated.">
                {(fid, d) => (
                  <input
                    id={fid}
                    class="input"
                    aria-describedby={d}
                    value={tags}
                    onInput={(e) => setTags(e.currentTarget.value)}
                    placeholder="prod, backups"
                  />
                )}
              </Field>
            </div>
            <Field label="Description">
              {(fid) => (
                <textarea
                  id={fid}
                  class="input"
                  style={{ fontFamily: 'var(--font)' }}
                  maxLength={4000}
                  value={description}
                  onInput={(e) => setDescription(e.currentTarget.value)}
                />
              )}
            </Field>
          </div>
        </section>

        <section class="card">
          <div class="card-body form">
            <h2>When it runs</h2>
            <ScheduleFields
              kind={kind}
              onKind={setKind}
              period={period}
              onPeriod={setPeriod}
              expr={expr}
              onExpr={setExpr}
              tz={tz}
              onTz={setTz}
              zones={zones}
            />
            <div class="segmented" role="group" aria-label="How the grace is set">
              <button type="button" aria-pressed={graceMode === 'fixed'} onClick={() => setGraceMode('fixed')}>
                Fixed grace
              </button>
              <button type="button" aria-pressed={graceMode === 'multiple'} onClick={() => setGraceMode('multiple')}>
                Grace as a multiple of the period
              </button>
            </div>
            <div class="form-grid">
              {graceMode === 'fixed' ? (
                <DurationInput label="Grace" hint="How late a beat may be before the check goes down." value={grace} onChange={setGrace} />
              ) : (
                <Field
                  label="Deadline as a multiple of the period"
                  hint="1.5: a beat may come half a period late. Follows the gaps of a cron schedule."
                >
                  {(fid, d) => (
                    <input
                      id={fid}
                      class="input"
                      type="number"
                      min={1}
                      step="any"
                      required
                      aria-describedby={d}
                      value={multiplier}
                      onInput={(e) => setMultiplier(e.currentTarget.value)}
                    />
                  )}
                </Field>
              )}
              <DurationInput
                label="Max run time"
                hint="A started run open longer than this times out. Empty: the grace."
                value={maxRuntime}
                onChange={setMaxRuntime}
                optional
              />
            </div>
            <RunShapeFieldset value={runShape} onChange={setRunShape} />
          </div>
        </section>

        <section class="card">
          <div class="card-body form">
            <h2>Alerting</h2>
            <div class="form-grid">
              <Field label="Down after this many failures in a row">
                {(fid) => (
                  <input
                    id={fid}
                    class="input"
                    type="number"
                    min={1}
                    max={1000}
                    required
                    value={failureThreshold}
                    onInput={(e) => setFailureThreshold(e.currentTarget.value)}
                  />
                )}
              </Field>
              <Field label="Up again after this many successes">
                {(fid) => (
                  <input
                    id={fid}
                    class="input"
                    type="number"
                    min={1}
                    max={1000}
                    required
                    value={recoveryThreshold}
                    onInput={(e) => setRecoveryThreshold(e.currentTarget.value)}
                  />
                )}
              </Field>
            </div>
            <IncidentFieldset value={incidents} onChange={setIncidents} />
            <RateQuorumFieldset value={rateQuorum} onChange={setRateQuorum} />
            <DependsOnFieldset value={dependsOn} onChange={setDependsOn} selfId={check?.id} />
            <ChannelsFieldset channels={channels} chosen={chosen} onChange={setSelected} />
            <MethodsFieldset value={methods} onChange={setMethods} />
            <KeywordsFieldset value={keywords} onChange={setKeywords} />
            <label class="check-line">
              <input type="checkbox" checked={manualResume} onChange={(e) => setManualResume(e.currentTarget.checked)} />
              <span>Stay paused when a ping arrives (resume by hand)</span>
            </label>
            <label class="check-line">
              <input type="checkbox" checked={alertFirst} onChange={(e) => setAlertFirst(e.currentTarget.checked)} />
              <span>Alert if the first ping never comes</span>
            </label>
          </div>
        </section>

        <FormError error={save.error} />
        <div class="row">
          <Button type="submit" variant="primary" busy={save.busy}>
            {editing ? 'Save changes' : 'Create check'}
          </Button>
          <Link class="btn ghost" href={check ? `/checks/${check.id}` : '/'}>
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
