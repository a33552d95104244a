// Management API for monitors as code: apply a file (with a plan and a dry run) and export the workspace as one.
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Runtime } from '../runtime.js';
import type { HttpApp } from '../http-app.js';
import { applyDocument, DocumentError } from '../as-code/apply.js';
import { exportDocument, documentYaml } from '../as-code/export.js';
import type { SchemaCompiler } from '../as-code/document.js';
import { errorBody } from '../errors.js';
import { keyed } from './auth.js';
import { workspaceOf } from './context.js';
import { ErrorSchema, errorResponses } from './schemas.js';

const ApplyBodySchema = Type.Object(
  {
    document: Type.Union([
      Type.String({ description: 'the file as YAML (or JSON) text' }),
      Type.Record(Type.String(), Type.Any(), { description: 'the file as a JSON object' }),
    ]),
    prune: Type.Optional(
      Type.Boolean({ description: 'delete the checks, channels and windows that the sections of the file do not name (default false)' }),
    ),
    dry_run: Type.Optional(Type.Boolean({ description: 'only work out the plan; change nothing (default false)' })),
  },
  { additionalProperties: false },
);

const PlanEntrySchema = Type.Object({
  section: Type.String({ description: 'checks, channels or windows' }),
  name: Type.String({ description: "the check's slug, the channel's or the window's name" }),
  action: Type.String({ enum: ['create', 'change', 'delete', 'unchanged'] }),
  changes: Type.Optional(
    Type.Array(Type.Object({ field: Type.String(), old: Type.Any(), new: Type.Any() }), {
      description: 'for a change: each field, old → new (secrets masked)',
    }),
  ),
  warnings: Type.Optional(
    Type.Array(Type.String(), { description: 'a channel saved with a loopback or private destination: why alerts to it will be refused' }),
  ),
});

const ApplyResultSchema = Type.Object({
  plan: Type.Array(PlanEntrySchema),
  applied: Type.Boolean({ description: 'false on a dry run' }),
});

const InvalidDocumentSchema = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    problems: Type.Optional(
      Type.Array(
        Type.Object({ path: Type.String({ description: 'e.g. checks[3].schedule.expr' }), code: Type.String(), message: Type.String() }),
      ),
    ),
  }),
});

const ExportQuery = Type.Object({
  format: Type.Optional(Type.String({ enum: ['yaml', 'json'], default: 'yaml', description: 'yaml (text/yaml, default) or json' })),
});

/** The API's own validator (same Ajv, same options) for checking a file's entries field by field. */
function compilerOf(request: FastifyRequest): SchemaCompiler {
  return (schema) => {
    const validate = request.compileValidationSchema(schema as Record<string, unknown>);
    return (value) => {
      if (validate(value)) return null;
      const error = validate.errors?.[0];
      return { path: error?.instancePath ?? '', message: error?.message ?? 'is not valid' };
    };
  };
}

export async function asCodeRoutes(app: HttpApp, runtime: Runtime): Promise<void> {
  const db = runtime.store.db;
  const tags = ['monitors as code'];

  /** Makes a monitors-as-code file true for the key's workspace, in one transaction; answers the plan. */
  app.post(
    '/apply',
    {
      onRequest: keyed(db, 'write'),
      schema: {
        tags,
        summary: 'Apply a monitors-as-code file (checks and channels) in one transaction; dry_run answers the plan only',
        body: ApplyBodySchema,
        response: { 200: ApplyResultSchema, ...errorResponses, 400: InvalidDocumentSchema, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      try {
        const outcome = await applyDocument(runtime, compilerOf(request), {
          workspaceId: workspaceOf(request),
          document: body.document,
          prune: body.prune === true,
          dryRun: body.dry_run === true,
        });
        return { plan: outcome.plan, applied: outcome.applied };
      } catch (error) {
        if (!(error instanceof DocumentError)) throw error;
        return reply.code(400).send({ error: { ...errorBody(error.code, error.message).error, problems: error.problems } });
      }
    },
  );

  /** The key's workspace as a monitors-as-code file (secrets masked); applying it back changes nothing. */
  app.get(
    '/export',
    {
      onRequest: keyed(db, 'read'),
      schema: {
        tags,
        summary: 'Export the workspace as a monitors-as-code file (YAML by default; channel secrets masked)',
        querystring: ExportQuery,
        response: {
          200: {
            description: 'the file: text/yaml, or the same document as JSON with format=json',
            content: { 'text/yaml': { schema: Type.String() }, 'application/json': { schema: Type.Record(Type.String(), Type.Any()) } },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      // As GET /channels: viewers and read keys see reader secrets (a webhook's body template) masked.
      const doc = await exportDocument(db, workspaceOf(request), request.auth?.scope === 'write' ? 'editor' : 'reader');
      if (request.query.format === 'json') return reply.type('application/json').send(doc);
      return reply.type('text/yaml; charset=utf-8').send(documentYaml(doc));
    },
  );
}
