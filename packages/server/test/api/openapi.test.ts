// GET /api/v1/openapi.json: a well-formed OpenAPI 3 document that lists every route of protocol.md §6.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Ajv comes with Fastify (its validator); used here only to check that the published schemas compile.
import { Ajv } from 'ajv';
import { startTestServer, type TestServer } from '../support/server.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

describe('the OpenAPI document', () => {
  let t: TestServer;
  let doc: any;
  beforeAll(async () => {
    t = await startTestServer();
    const res = await t.api('GET', '/api/v1/openapi.json', undefined, null);
    expect(res.status).toBe(200);
    doc = res.body;
  });
  afterAll(async () => {
    await t.close();
  });

  it('is OpenAPI 3 with info, servers and the key and session security schemes', () => {
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.servers[0].url).toBe(t.url);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKey', 'bearer', 'session']);
  });

  it('lists every route of the management API', () => {
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => METHODS.includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    const expected = [
      'POST /api/v1/checks',
      'GET /api/v1/checks',
      'GET /api/v1/checks/{check}',
      'PATCH /api/v1/checks/{check}',
      'DELETE /api/v1/checks/{check}',
      'POST /api/v1/checks/{check}/pause',
      'POST /api/v1/checks/{check}/resume',
      'GET /api/v1/checks/{check}/runs',
      'GET /api/v1/checks/{check}/signals',
      'GET /api/v1/checks/{check}/flips',
      'GET /api/v1/checks/{check}/stats',
      'GET /api/v1/checks/{check}/timeline',
      'POST /api/v1/channels',
      'GET /api/v1/channels',
      'DELETE /api/v1/channels/{id}',
      'GET /api/v1/incidents',
    ];
    for (const route of expected) expect(routes, route).toContain(route);
  });

  it('every operation has a summary, responses, and declares its path parameters', () => {
    for (const [path, item] of Object.entries(doc.paths as Record<string, any>)) {
      const declared = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const method of Object.keys(item).filter((m) => METHODS.includes(m))) {
        const op = item[method];
        expect(op.summary, `${method} ${path}`).toBeTypeOf('string');
        expect(Object.keys(op.responses ?? {}).length, `${method} ${path}`).toBeGreaterThan(0);
        const params = [...(item.parameters ?? []), ...(op.parameters ?? [])];
        for (const name of declared) {
          expect(
            params.some((p: any) => p.in === 'path' && p.name === name && p.required === true),
            `${method} ${path} {${name}}`,
          ).toBe(true);
        }
        for (const p of params) expect(['path', 'query', 'header', 'cookie']).toContain(p.in);
      }
    }
  });

  it('every $ref resolves inside the document', () => {
    const refs: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref' && typeof v === 'string') refs.push(v);
          else walk(v);
        }
      }
    };
    walk(doc);
    for (const ref of refs) {
      expect(ref, ref).toMatch(/^#\//);
      const target = ref
        .slice(2)
        .split('/')
        .reduce((n: any, part) => n?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
      expect(target, ref).toBeDefined();
    }
  });

  it('every schema in it compiles as a JSON schema', () => {
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const schemas: unknown[] = [];
    for (const item of Object.values(doc.paths as Record<string, any>)) {
      for (const method of Object.keys(item).filter((m) => METHODS.includes(m))) {
        const op = item[method];
        for (const p of op.parameters ?? []) if (p.schema) schemas.push(p.schema);
        for (const media of Object.values(op.requestBody?.content ?? {}) as any[]) schemas.push(media.schema);
        for (const response of Object.values(op.responses ?? {}) as any[]) {
          for (const media of Object.values(response.content ?? {}) as any[]) schemas.push(media.schema);
        }
      }
    }
    expect(schemas.length).toBeGreaterThan(20);
    // Refs point into the document: give Ajv the document's components so they resolve.
    ajv.addSchema({ components: doc.components }, 'doc');
    for (const schema of schemas) {
      const rewritten = JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"doc#/components/'));
      expect(() => ajv.compile(rewritten)).not.toThrow();
    }
  });

  it('the create schema documents the settings of a check', () => {
    const create = doc.paths['/api/v1/checks'].post.requestBody.content['application/json'].schema;
    const props = create.properties ?? {};
    for (const field of [
      'name',
      'schedule',
      'grace_s',
      'grace_multiplier',
      'max_runtime_s',
      'failure_threshold',
      'recovery_threshold',
      'manual_resume',
      'methods',
      'tags',
      'project',
      'service',
    ]) {
      expect(props, field).toHaveProperty(field);
    }
    expect(create.required).toEqual(['name']);
  });
});
