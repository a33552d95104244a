// protocol.md §3 bodies: any content type, empty or malformed, is accepted; the first 100 KB is kept; JSON messages are read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCheck, history } from '../support/checks.js';
import { rawRequest } from '../support/http.js';

describe('ping bodies', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  /** POSTs `body` with `contentType` to a fresh check and returns the stored signal (full body). */
  async function postAndRead(body: Buffer | string | undefined, contentType?: string, suffix = '') {
    const check = await createCheck(t);
    const headers: Record<string, string> = {};
    if (contentType !== undefined) headers['content-type'] = contentType;
    const res = await rawRequest(`${t.url}/ping/${check.id}${suffix}`, { method: 'POST', headers, body });
    const [signal] = await history(t, check.id, 'signals', '?full=true');
    return { res, signal, check };
  }

  it('keeps the first 100 KB of a larger body as the log, and reports its kept size', async () => {
    const body = 'a'.repeat(60 * 1024) + 'b'.repeat(90 * 1024);
    const { res, signal, check } = await postAndRead(body, 'text/plain');
    expect(res.status).toBe(200);
    expect(signal.body).toHaveLength(100 * 1024);
    expect(signal.body).toBe(body.slice(0, 100 * 1024));
    expect(signal.body_size).toBe(100 * 1024);
    // Without ?full the list shows an excerpt of the same body.
    const [excerpt] = await history(t, check.id, 'signals');
    expect(body.startsWith(excerpt.body)).toBe(true);
    expect(excerpt.body.length).toBeLessThan(signal.body.length);
  });

  it("keeps a JSON body's metadata too deep to store in the body: the ping is still a 200", async () => {
    const deep = `{"metadata":{"x":${'['.repeat(40)}${']'.repeat(40)}},"message":"nightly"}`;
    const { res, signal } = await postAndRead(deep, 'application/json');
    expect(res.status).toBe(200);
    expect(signal.body).toBe(deep);
    expect(signal.metadata ?? null).toBeNull();
  });

  it('keeps a small body whole', async () => {
    const { signal } = await postAndRead('backup finished: 42 files', 'text/plain');
    expect(signal.body).toBe('backup finished: 42 files');
    expect(signal.message).toBeNull();
  });

  it("takes a JSON object body's message as the signal's message", async () => {
    const { res, signal } = await postAndRead(JSON.stringify({ message: 'copied 12 GB', extra: [1, 2] }), 'application/json');
    expect(res.status).toBe(200);
    expect(signal.message).toBe('copied 12 GB');
    expect(JSON.parse(signal.body)).toEqual({ message: 'copied 12 GB', extra: [1, 2] });
  });

  it('takes msg when there is no message, whatever the content type says', async () => {
    const { signal } = await postAndRead(JSON.stringify({ msg: 'via msg' }), 'text/plain');
    expect(signal.message).toBe('via msg');
  });

  it('a msg or message in the query wins over the body', async () => {
    const check = await createCheck(t);
    await rawRequest(`${t.url}/ping/${check.id}?msg=${encodeURIComponent('from the query')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"message":"from the body"}',
    });
    await t.ping(`/ping/${check.id}?message=plain%20GET`);
    const signals = await history(t, check.id, 'signals');
    expect(signals.map((s) => s.message)).toEqual(['plain GET', 'from the query']);
  });

  it('clips a progress message to 255 characters, but keeps a longer one for other signals', async () => {
    const long = 'p'.repeat(400);
    const progress = await postAndRead(JSON.stringify({ message: long }), 'application/json', '/progress/30');
    expect(progress.res.status).toBe(200);
    expect(progress.signal.message).toBe('p'.repeat(255));
    const viaQuery = await createCheck(t);
    await t.ping(`/ping/${viaQuery.id}/progress?msg=${'q'.repeat(300)}`);
    expect((await history(t, viaQuery.id, 'signals'))[0].message).toHaveLength(255);
    const log = await postAndRead(JSON.stringify({ message: long }), 'application/json', '/log');
    expect(log.signal.message).toBe(long);
  });

  describe('is never refused for its format', () => {
    const cases: Array<[string, Buffer | string | undefined, string | undefined]> = [
      ['malformed JSON with a JSON content type', '{"message": "unterminated', 'application/json'],
      ['a JSON array', '[1,2,3]', 'application/json'],
      ['a JSON string', '"just a string"', 'application/json'],
      ['JSON whose message is not a string', '{"message": {"nested": true}}', 'application/json'],
      ['binary bytes', Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x01, 0x02, 0xc3, 0x28]), 'application/octet-stream'],
      ['an empty body with no content type', undefined, undefined],
      ['an empty body with a JSON content type', '', 'application/json'],
      ['a form-encoded body', 'message=hello+there&status=ok', 'application/x-www-form-urlencoded'],
      [
        'multipart form data',
        '--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--XyZ--\r\n',
        'multipart/form-data; boundary=XyZ',
      ],
      ['an unknown content type', 'whatever', 'application/x-made-up'],
      ['a content type without a subtype ("text")', 'whatever', 'text'],
      ['an empty Content-Type header', 'whatever', ''],
      ['a list of content types', '{"message":"listed"}', 'application/json, text/plain'],
      ['a nonsense content type', 'whatever', ';;;'],
    ];
    for (const [name, body, contentType] of cases) {
      it(name, async () => {
        const { res, signal } = await postAndRead(body, contentType);
        expect(res.status).toBe(200);
        expect(res.body).toBe('OK');
        expect(signal.kind).toBe('success');
        if (body == null || body.length === 0) expect(signal.body).toBeNull();
        else expect(signal.body_size).toBeGreaterThan(0);
      });
    }

    it('a form-encoded body is kept verbatim (not parsed as a message)', async () => {
      const { signal } = await postAndRead('message=hello+there', 'application/x-www-form-urlencoded');
      expect(signal.body).toBe('message=hello+there');
      expect(signal.message).toBeNull();
    });

    it('binary bytes are kept as text with invalid bytes replaced', async () => {
      const { signal } = await postAndRead(Buffer.from([0x41, 0xff, 0x42]), 'application/octet-stream');
      expect(signal.body).toBe('A\uFFFDB');
    });

    it('a JSON content type with an empty body works on the key form too (JSON answer)', async () => {
      const check = await createCheck(t);
      const res = await rawRequest(`${t.url}/ping/${check.key}/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '',
      });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ ok: true, action: 'start' });
    });
  });
});
