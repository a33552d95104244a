// The check page's integration snippets as tabs, with this check's real ping URL filled in.
import { useState } from 'preact/hooks';
import type { Check } from '../api/types';
import { CopyButton } from '../components/ui';
import { snippetsFor } from '../format/snippets';

export function Snippets({ check }: { check: Check & { ping_url: string; key: string } }) {
  const snippets = snippetsFor(check);
  const [tab, setTab] = useState(0);
  const [, text] = snippets[tab];
  return (
    <div>
      <div class="tabs" role="tablist" aria-label="Integration">
        {snippets.map(([label], i) => (
          <button
            key={label}
            type="button"
            role="tab"
            id={`snippet-tab-${i}`}
            aria-selected={tab === i}
            aria-controls="snippet-panel"
            onClick={() => setTab(i)}
          >
            {label}
          </button>
        ))}
      </div>
      <div class="snippet" role="tabpanel" id="snippet-panel" aria-labelledby={`snippet-tab-${tab}`}>
        <pre>
          <code>{text}</code>
        </pre>
        <CopyButton text={text} />
      </div>
    </div>
  );
}
