// Replays documented example requests as their tools would send them: a curl command line (curl's defaults
// included) or an axios call, with only the host swapped for the test server's.
import { rawRequest } from '../../support/http.js';

export interface Replayed {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: any;
  /** What was sent, for assertions about curl's habits. */
  sent: { method: string; url: string; headers: Record<string, string>; body: string | undefined };
}

/** Splits a shell command into words: quotes, backslash-newline continuations and $VAR / ${VAR} expansion. */
export function shellWords(command: string, env: Record<string, string>): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const text = command.replace(/\\\r?\n/g, ' ');
  const expand = (): string => {
    const braced = text[i + 1] === '{';
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + (braced ? 2 : 1)));
    if (!match) {
      i += 1;
      return '$';
    }
    i += match[0].length + (braced ? 3 : 1);
    if (!(match[0] in env)) throw new Error(`the example uses $${match[0]}; give it a value`);
    return env[match[0]];
  };
  while (i < text.length) {
    const c = text[i];
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      word += text.slice(i + 1, end);
      i = end + 1;
      inWord = true;
    } else if (c === '"') {
      i += 1;
      while (text[i] !== '"') {
        if (text[i] === '\\' && ['"', '\\', '$'].includes(text[i + 1])) {
          word += text[i + 1];
          i += 2;
        } else if (text[i] === '$') word += expand();
        else word += text[i++];
      }
      i += 1;
      inWord = true;
    } else if (c === '$') {
      word += expand();
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i += 1;
    } else {
      word += c;
      inWord = true;
      i += 1;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The example's URL with the test server in place of its scheme and host. */
export function onServer(url: string, base: string): string {
  return url.replace(/^https?:\/\/[^/]+/, base);
}

async function send(
  base: string,
  method: string,
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<Replayed> {
  const target = onServer(url, base);
  const res = await rawRequest(target, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
    body,
  });
  let json: unknown = null;
  try {
    json = JSON.parse(res.body);
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, body: res.body, json, sent: { method, url: target, headers, body } };
}

/**
 * Sends what `curl …` would: GET unless -X or data say otherwise; -d makes a POST with a form
 * Content-Type unless a header names one; several -d join with "&".
 */
export async function curl(base: string, command: string, env: Record<string, string> = {}): Promise<Replayed> {
  const words = shellWords(command.trim(), env);
  if (words[0] !== 'curl') throw new Error(`not a curl command: ${command}`);
  let method: string | null = null;
  let url: string | null = null;
  const headers: Record<string, string> = { 'user-agent': 'curl/8.5.0', accept: '*/*' };
  const data: string[] = [];
  for (let i = 1; i < words.length; i += 1) {
    const w = words[i];
    if (w === '-X' || w === '--request') method = words[++i];
    else if (w === '-H' || w === '--header') {
      const h = words[++i];
      const colon = h.indexOf(':');
      headers[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
    } else if (['-d', '--data', '--data-raw', '--data-binary'].includes(w)) data.push(words[++i]);
    else if (['-m', '--max-time', '--retry', '--connect-timeout'].includes(w)) i += 1;
    else if (/^-[a-zA-Z]+$/.test(w) || w.startsWith('--')) continue;
    else url = w;
  }
  if (!url) throw new Error(`no URL in: ${command}`);
  const body = data.length ? data.join('&') : undefined;
  if (body !== undefined && !('content-type' in headers)) headers['content-type'] = 'application/x-www-form-urlencoded';
  return send(base, method ?? (body !== undefined ? 'POST' : 'GET'), url, headers, body);
}

/** axios's query encoding: encodeURIComponent, with spaces as "+" and a few characters left readable. */
function axiosParams(params: Record<string, string | number | boolean>): string {
  const encode = (v: string) => encodeURIComponent(v).replace(/%3A/gi, ':').replace(/%24/g, '$').replace(/%2C/gi, ',').replace(/%20/g, '+');
  return Object.entries(params)
    .map(([k, v]) => `${encode(k)}=${encode(String(v))}`)
    .join('&');
}

/** Sends what axios.get / post / put / delete would: JSON bodies for objects, params in the query. */
export async function axios(
  base: string,
  method: 'get' | 'post' | 'put' | 'delete',
  url: string,
  options: { data?: unknown; params?: Record<string, string | number | boolean>; headers?: Record<string, string> } = {},
): Promise<Replayed> {
  const headers: Record<string, string> = { accept: 'application/json, text/plain, */*', 'user-agent': 'axios/1.7.9' };
  for (const [k, v] of Object.entries(options.headers ?? {})) headers[k.toLowerCase()] = v;
  let body: string | undefined;
  if (options.data !== undefined) {
    body = JSON.stringify(options.data);
    headers['content-type'] ??= 'application/json';
  }
  const query = options.params ? axiosParams(options.params) : '';
  const target = query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url;
  return send(base, method.toUpperCase(), target, headers, body);
}
