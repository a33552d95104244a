// Checks for a benchmark, created through the management API.

/** Creates `n` hourly checks (50 requests at a time) and returns their 8-character keys. */
export async function createChecks(url, apiKey, n) {
  const keys = [];
  for (let i = 0; i < n; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, (_, j) =>
        fetch(`${url}/api/v1/checks`, {
          method: 'POST',
          headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `bench ${i + j}`, schedule: { kind: 'interval', period_s: 3600 } }),
        }).then((r) => r.json()),
      ),
    );
    keys.push(...batch.map((c) => c.key));
  }
  return keys;
}
