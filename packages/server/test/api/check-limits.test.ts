// A check's limits are defined once (checks/limits.ts): the API's schema and the validation of every other way in
// (monitors as code, other services' management APIs) accept and refuse the same values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NUMBER_LIMITS, TEXT_LIMITS } from '../../src/checks/limits.js';
import { validateInput, type CheckInput } from '../../src/checks/settings.js';
import { CreateCheckSchema, UpdateCheckSchema } from '../../src/api/schemas.js';
import { DAY_S } from '../../src/core/index.js';
import { OverdueError } from '../../src/errors.js';
import { startTestServer, type TestServer } from '../support/server.js';

const numberFields = Object.keys(NUMBER_LIMITS).filter((field) => field !== 'period_s') as Array<
  Exclude<keyof typeof NUMBER_LIMITS, 'period_s'>
>;

function refusal(input: CheckInput): OverdueError | null {
  try {
    validateInput(input, true);
    return null;
  } catch (error) {
    return error as OverdueError;
  }
}

describe('check limits, defined once', () => {
  it('the API schema carries the minimum and maximum of every number setting, as checks/settings.ts enforces them', () => {
    for (const schema of [CreateCheckSchema, UpdateCheckSchema]) {
      for (const field of numberFields) {
        const property = (schema.properties as Record<string, { minimum?: number; maximum?: number }>)[field];
        expect({ field, minimum: property.minimum, maximum: property.maximum }).toEqual({
          field,
          ...NUMBER_LIMITS[field],
          integer: undefined,
        });
      }
    }
  });

  it('grace_s and max_runtime_s go up to 366 days; cooldown_s and realert_s up to 30 days', () => {
    expect(NUMBER_LIMITS.grace_s.maximum).toBe(366 * DAY_S);
    expect(NUMBER_LIMITS.max_runtime_s.maximum).toBe(366 * DAY_S);
    expect(NUMBER_LIMITS.cooldown_s.maximum).toBe(30 * DAY_S);
    expect(NUMBER_LIMITS.realert_s.maximum).toBe(30 * DAY_S);
  });

  it('validation outside the API accepts each limit and refuses one past it, naming the field', () => {
    for (const field of numberFields) {
      const { minimum, maximum } = NUMBER_LIMITS[field];
      expect(refusal({ name: 'x', [field]: minimum }), field).toBeNull();
      expect(refusal({ name: 'x', [field]: maximum }), field).toBeNull();
      expect(refusal({ name: 'x', [field]: maximum + 1 })?.message, field).toContain(field);
      expect(refusal({ name: 'x', [field]: minimum - 1 })?.message, field).toContain(field);
    }
    expect(refusal({ name: 'x'.repeat(TEXT_LIMITS.name) })).toBeNull();
    expect(refusal({ name: 'x'.repeat(TEXT_LIMITS.name + 1) })?.message).toContain('name');
  });

  describe('through the API', () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer();
    });
    afterAll(async () => {
      await t.close();
    });

    it('a grace of 366 days is taken; one second more is a 400 that names grace_s and its maximum', async () => {
      const taken = await t.api('POST', '/api/v1/checks', { name: 'yearly', grace_s: 366 * DAY_S });
      expect(taken.status).toBe(201);
      expect(taken.body.grace_s).toBe(366 * DAY_S);
      const refused = await t.api('POST', '/api/v1/checks', { name: 'too long', grace_s: 366 * DAY_S + 1 });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toMatch(new RegExp(`grace_s must be at most ${366 * DAY_S}`));
    });

    it('the OpenAPI document states the maxima the server enforces', async () => {
      const doc = (await t.api('GET', '/api/v1/openapi.json', undefined, null)).body;
      const create = doc.paths['/api/v1/checks'].post.requestBody.content['application/json'].schema.properties;
      expect(create.grace_s.maximum).toBe(NUMBER_LIMITS.grace_s.maximum);
      expect(create.realert_s).toMatchObject({ minimum: NUMBER_LIMITS.realert_s.minimum, maximum: NUMBER_LIMITS.realert_s.maximum });
    });
  });
});
