// A schema validation failure as a sentence a person can act on: "schedule.period_s must be at least 1." rather than
// Ajv's list of every branch of a union that did not match.
import type { FastifySchemaValidationError } from 'fastify';

/** "schedule.period_s" for /schedule/period_s; the part of the request when the error is about the whole of it. */
function fieldOf(path: string, where: string): string {
  const field = path.split('/').filter(Boolean).join('.');
  return field || where;
}

function sentenceOf(error: FastifySchemaValidationError, where: string): string {
  const field = fieldOf(error.instancePath, where);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'minimum':
      return `${field} must be at least ${params.limit}`;
    case 'maximum':
      return `${field} must be at most ${params.limit}`;
    case 'exclusiveMinimum':
      return `${field} must be more than ${params.limit}`;
    case 'minLength':
      return params.limit === 1 ? `${field} must not be empty` : `${field} must be at least ${params.limit} characters long`;
    case 'maxLength':
      return `${field} must be at most ${params.limit} characters long`;
    case 'required':
      return `${fieldOf(`${error.instancePath}/${params.missingProperty}`, where)} is missing`;
    case 'additionalProperties':
      return field === where ? `there is no field "${params.additionalProperty}"` : `${field} has no field "${params.additionalProperty}"`;
    case 'type':
      return `${field} must be ${/^[aeiou]/.test(String(params.type)) ? 'an' : 'a'} ${params.type}`;
    case 'const':
      return `${field} must be ${JSON.stringify(params.allowedValue)}`;
    case 'enum':
      return `${field} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${field} ${error.message ?? 'is not valid'}`;
  }
}

/** The branch of a union (anyOf/N) an error belongs to, or null. */
function branchOf(error: FastifySchemaValidationError): string | null {
  const match = /^(.*\/anyOf)\/(\d+)\//.exec(error.schemaPath);
  return match ? `${match[1]}/${match[2]}` : null;
}

/**
 * The sentence for a request that failed its schema. Of a union's branches, only the one that matched the request
 * furthest is reported (a `kind: "interval"` schedule hears about period_s, not about the cron branch's `expr`).
 */
export function describeValidation(errors: FastifySchemaValidationError[], where: string): string {
  const depth = (e: FastifySchemaValidationError) => e.instancePath.split('/').length + (e.keyword === 'required' ? 0 : 0.5);
  const byUnion = new Map<string, FastifySchemaValidationError[]>();
  for (const error of errors) {
    const branch = branchOf(error);
    if (!branch) continue;
    const union = branch.slice(0, branch.lastIndexOf('/'));
    byUnion.set(union, [...(byUnion.get(union) ?? []), error]);
  }
  const dropped = new Set<FastifySchemaValidationError>();
  // Branches that got equally far are alternatives the caller may have meant: name each ("…, or …").
  const alternatives: string[] = [];
  for (const members of byUnion.values()) {
    const best = Math.max(...members.map(depth));
    for (const e of members) dropped.add(e);
    alternatives.push([...new Set(members.filter((e) => depth(e) === best).map((e) => sentenceOf(e, where)))].join(', or '));
  }
  const kept = errors.filter((e) => !dropped.has(e) && e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
  const sentences = [...new Set([...kept.map((e) => sentenceOf(e, where)), ...alternatives])];
  if (sentences.length === 0) sentences.push(...errors.map((e) => sentenceOf(e, where)));
  return `Invalid ${where}: ${sentences.join('; ')}.`;
}
