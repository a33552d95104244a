// Reading channel configs from API input: one helper per field type, each failing with a 400 that says what to send.
import { badRequest } from '../../errors.js';

const invalid = (kind: string, message: string) => badRequest('invalid_channel', `${kind} channel: ${message}`);

export function text(kind: string, config: Record<string, unknown>, field: string, example: string): string {
  const value = config[field];
  if (typeof value !== 'string' || value.trim() === '' || value.length > 2000) {
    throw invalid(kind, `config.${field} is required, a non-empty string, e.g. ${JSON.stringify(example)}.`);
  }
  return value.trim();
}

export function optionalText(kind: string, config: Record<string, unknown>, field: string, max = 2000): string | null {
  const value = config[field];
  if (value == null || value === '') return null;
  if (typeof value !== 'string' || value.length > max)
    throw invalid(kind, `config.${field} must be a string of at most ${max} characters.`);
  return value;
}

export function integer(
  kind: string,
  config: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
  fallback: number | null,
): number | null {
  const value = config[field];
  if (value == null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(kind, `config.${field} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

export function oneOf<T extends string>(
  kind: string,
  config: Record<string, unknown>,
  field: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = config[field];
  if (value == null) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(kind, `config.${field} must be one of ${allowed.join(', ')}.`);
  }
  return value as T;
}

/**
 * An http(s) URL. Where it may point is decided at every send, after DNS resolution (outbound.ts), so a channel
 * saved before the operator allowed private targets works once they are allowed; POST /channels/{id}/test shows it.
 */
export function url(kind: string, config: Record<string, unknown>, field: string, fallback?: string): string {
  const raw = config[field] ?? fallback;
  if (typeof raw !== 'string' || raw.trim() === '') throw invalid(kind, `config.${field} is required: an http:// or https:// URL.`);
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    throw invalid(kind, `config.${field} is not a valid URL.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw invalid(kind, `config.${field} must be an http:// or https:// URL.`);
  return parsed.toString();
}

/** A base URL without a trailing slash, for "{api_url}/v2/enqueue" style joins. */
export function baseUrl(kind: string, config: Record<string, unknown>, field: string, fallback?: string): string {
  return url(kind, config, field, fallback).replace(/\/+$/, '');
}

export function stringMap(kind: string, config: Record<string, unknown>, field: string): Record<string, string> {
  const value = config[field];
  if (value == null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(kind, `config.${field} must be an object of string values.`);
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string' || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/.test(name) || /[\r\n]/.test(v)) {
      throw invalid(kind, `config.${field}.${name} must be a valid header name with a single-line string value.`);
    }
    out[name] = v;
  }
  return out;
}

export function stringList(kind: string, config: Record<string, unknown>, field: string, example: string): string[] {
  const raw = config[field];
  const list = typeof raw === 'string' ? raw.split(',') : raw;
  if (!Array.isArray(list) || list.length === 0 || list.length > 50 || list.some((v) => typeof v !== 'string' || v.trim() === '')) {
    throw invalid(kind, `config.${field} must be a non-empty list of strings, e.g. ${JSON.stringify([example])}.`);
  }
  return list.map((v: string) => v.trim());
}

/** The mask API reads show instead of a secret: enough to recognise which one it is, not to use it. */
export function maskSecret(value: unknown): string {
  if (typeof value !== 'string') return '****';
  try {
    // A URL may carry its token in the path or query: show only where it goes.
    const u = new URL(value);
    if (u.protocol === 'http:' || u.protocol === 'https:')
      return `${u.protocol}//${u.host}${u.pathname.length > 1 || u.search ? '/…' : '/'}`;
  } catch {
    // not a URL
  }
  return value.length >= 16 ? `****${value.slice(-4)}` : '****';
}
