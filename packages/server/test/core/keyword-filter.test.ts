// healthchecks.io's keyword rules for HTTP ping bodies, as a pure function.
import { describe, expect, it } from 'vitest';
import { classifyBody, containsKeyword, keywordFilterOf } from '../../src/core/keyword-filter.js';

describe('keyword filter', () => {
  const filter = { start_kw: 'Starting', success_kw: 'OK, done', failure_kw: 'ERROR', default_fail: false };

  it('failure beats success beats start; no match is ignored, or a failure with default_fail', () => {
    expect(classifyBody('Starting ... OK ... ERROR', filter)).toBe('fail');
    expect(classifyBody('Starting ... done', filter)).toBe('success');
    expect(classifyBody('Starting now', filter)).toBe('start');
    expect(classifyBody('nothing to see', filter)).toBe('ignored');
    expect(classifyBody('', { ...filter, default_fail: true })).toBe('fail');
  });

  it('keywords are comma-separated, trimmed, case-sensitive; empty ones match nothing', () => {
    expect(containsKeyword('backup done', ' done ,x')).toBe(true);
    expect(containsKeyword('backup DONE', 'done')).toBe(false);
    expect(containsKeyword('anything', ' , ,')).toBe(false);
  });

  it('is on only when filter_http_body is true', () => {
    expect(keywordFilterOf({ success_kw: 'OK' })).toBeNull();
    expect(keywordFilterOf({ filter_http_body: true, success_kw: 'OK', filter_default_fail: true })).toEqual({
      start_kw: '',
      success_kw: 'OK',
      failure_kw: '',
      default_fail: true,
    });
  });
});
