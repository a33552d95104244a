// The channel form's opt-in to early "late" warnings: a message when a check is past its expected time, before the
// down alert that follows after its grace. Off by default, so a channel hears only about incidents unless asked.
export function LateWarningOption({ checked, onChange }: { checked: boolean; onChange(checked: boolean): void }) {
  return (
    <label class="check-line">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.currentTarget.checked)} />
      <span>
        Also warn when a check is late <span class="muted small">(past its expected time, before the down alert; no incident)</span>
      </span>
    </label>
  );
}
