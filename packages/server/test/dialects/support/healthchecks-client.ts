// A client of the healthchecks.io Management API v3 for tests: JSON in and out, the key in X-Api-Key.
import { expect } from 'vitest';
import type { TestServer } from '../../support/server.js';
import { rawRequest } from '../../support/http.js';

/** `hc(method, path, body?, key?)` answers status, body and parsed json; `make(spec)` creates a check and answers it. */
export function healthchecksClient(server: () => TestServer) {
  const hc = (method: string, path: string, body?: unknown, key: string | null = server().key) =>
    rawRequest(`${server().url}/api/v3${path}`, {
      method,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      headers: { ...(key ? { 'x-api-key': key } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    }).then((r) => {
      let json: any = null;
      try {
        json = JSON.parse(r.body);
      } catch {
        // a text answer
      }
      return { ...r, json };
    });
  const make = async (spec: Record<string, unknown>) => {
    const res = await hc('POST', '/checks/', spec);
    expect(res.status, res.body).toBe(201);
    return res.json;
  };
  return { hc, make };
}
