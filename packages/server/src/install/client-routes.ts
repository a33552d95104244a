// The server hands out its own clients, so job hosts need no registry and no checkout: the packed SDK (with the
// `overdue` command) at GET /sdk/overdue-sdk.tgz, and a curl-only POSIX shell script at GET /install/overdue.sh.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { errorBody } from '../errors.js';

/** The server package's directory (this file runs from src/install in tests and dist/install when built). */
const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** Where the build (scripts/build.mjs) packs the SDK. */
export const DEFAULT_SDK_TARBALL = `${PACKAGE_DIR}dist/sdk/overdue-sdk.tgz`;
/** The shell client's source; its placeholder is replaced by the server's public URL when served. */
export const DEFAULT_SHELL_SCRIPT = `${PACKAGE_DIR}assets/overdue.sh`;
export const URL_PLACEHOLDER = '@OVERDUE_URL@';

export interface ClientFiles {
  sdkTarball?: string;
  shellScript?: string;
}

/** The script with this server's address baked in, quoted for the single-quoted assignment it replaces. */
export function bakeShellScript(source: string, publicUrl: string): string {
  return source.replace(URL_PLACEHOLDER, publicUrl.replace(/'/g, `'\\''`));
}

export async function clientRoutes(app: FastifyInstance, publicUrl: string, files: ClientFiles = {}): Promise<void> {
  const tarball = files.sdkTarball ?? DEFAULT_SDK_TARBALL;
  const script = files.shellScript ?? DEFAULT_SHELL_SCRIPT;

  /** The SDK as an npm tarball: `npm i <server>/sdk/overdue-sdk.tgz` or `npx -y <server>/sdk/overdue-sdk.tgz exec …`. */
  app.get('/sdk/overdue-sdk.tgz', { schema: { hide: true } }, async (_request, reply) => {
    let body: Buffer;
    try {
      body = await fs.promises.readFile(tarball);
    } catch {
      return reply
        .code(404)
        .send(
          errorBody(
            'not_built',
            'This server has no packed SDK: run `npm run build` in the Overdue checkout (it packs packages/sdk) and restart the server.',
          ),
        );
    }
    reply.header('cache-control', 'no-cache');
    reply.header('content-disposition', 'attachment; filename="overdue-sdk.tgz"');
    return reply.type('application/gzip').send(body);
  });

  /** The curl-only client: `curl -fsS <server>/install/overdue.sh -o overdue && chmod +x overdue`. */
  app.get('/install/overdue.sh', { schema: { hide: true } }, async (_request, reply) => {
    let source: string;
    try {
      source = await fs.promises.readFile(script, 'utf8');
    } catch {
      return reply
        .code(404)
        .send(errorBody('not_found', `The shell client is missing from this installation (${script}): reinstall Overdue.`));
    }
    reply.header('cache-control', 'no-cache');
    reply.header('x-content-type-options', 'nosniff');
    return reply.type('text/x-shellscript; charset=utf-8').send(bakeShellScript(source, publicUrl));
  });
}
