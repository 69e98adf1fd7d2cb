import { readFileSync } from 'node:fs';
import type { LitellmParams } from '@tollgate/config';
import { GatewayError } from '@tollgate/common';
import type { Deployment } from '../provider.types';
import { setting } from '../shared/credentials';
import { underApiBase } from '../shared/api-base-url';

const PROJECT_ENV = ['VERTEXAI_PROJECT', 'VERTEX_PROJECT', 'GOOGLE_CLOUD_PROJECT'];
const LOCATION_ENV = ['VERTEXAI_LOCATION', 'VERTEX_LOCATION'];
const DEFAULT_LOCATION = 'us-central1';

export interface VertexCredentials {
  /** A credential JSON (service account, authorized user, ...); undefined means Application Default Credentials. */
  json?: Record<string, unknown>;
}

export interface VertexSettings {
  project: string;
  location: string;
  credentials: VertexCredentials;
}

const parsedFiles = new Map<string, Record<string, unknown>>();

/**
 * `vertex_credentials` (a JSON string, an object, or a path to a JSON file), else the file named by
 * GOOGLE_APPLICATION_CREDENTIALS, else none (Application Default Credentials). Files are read once.
 */
export function vertexCredentials(params: LitellmParams): VertexCredentials {
  const given = params.vertex_credentials ?? params.vertex_ai_credentials;
  if (given && typeof given === 'object' && !Array.isArray(given)) return { json: given as Record<string, unknown> };
  if (typeof given === 'string' && given.trim().startsWith('{')) return { json: parseJson(given, 'vertex_credentials') };
  const path = typeof given === 'string' && given !== '' ? given : process.env.GOOGLE_APPLICATION_CREDENTIALS;
  if (!path) return {};
  let json = parsedFiles.get(path);
  if (!json) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new Error(`cannot read the credentials file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    json = parseJson(text, `the credentials file ${path}`);
    parsedFiles.set(path, json);
  }
  return { json };
}

function parseJson(text: string, what: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below, without echoing the content (it holds a private key)
  }
  throw new Error(`${what} is not a JSON object`);
}

/** Project, location and credentials for a call; a deployment missing any of them fails with a 500 naming the setting. */
export function vertexSettings(deployment: Deployment): VertexSettings {
  const params = deployment.params;
  let credentials: VertexCredentials;
  try {
    credentials = vertexCredentials(params);
  } catch (err) {
    throw misconfigured(deployment, (err as Error).message);
  }
  const project =
    setting(params, 'vertex_project') ??
    setting(params, 'vertex_ai_project') ??
    fromEnv(PROJECT_ENV) ??
    (typeof credentials.json?.project_id === 'string' ? credentials.json.project_id : undefined);
  if (!project) throw misconfigured(deployment, 'no Google Cloud project: set vertex_project (or VERTEXAI_PROJECT), or use a service-account key that names one');
  return { project, location: vertexLocation(params), credentials };
}

/** `vertex_location` (or VERTEXAI_LOCATION), default us-central1. */
export function vertexLocation(params: LitellmParams): string {
  return setting(params, 'vertex_location') ?? setting(params, 'vertex_ai_location') ?? fromEnv(LOCATION_ENV) ?? DEFAULT_LOCATION;
}

function fromEnv(names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = process.env[name];
    if (value) return value;
  }
  return undefined;
}

function misconfigured(deployment: Deployment, reason: string): GatewayError {
  return new GatewayError(500, 'api_error', `Deployment "${deployment.modelName}" (id ${deployment.id}) is misconfigured for Vertex AI: ${reason}.`, {
    code: 'deployment_misconfigured',
  });
}

/**
 * The regional endpoint (`https://{location}-aiplatform.googleapis.com`, or `https://aiplatform.googleapis.com`
 * for `global`), or `api_base` when set (a private endpoint, a proxy, a test server).
 */
export function vertexHost(params: LitellmParams, location: string): string {
  const base = setting(params, 'api_base');
  if (base) return base;
  return location === 'global' ? 'https://aiplatform.googleapis.com' : `https://${location}-aiplatform.googleapis.com`;
}

/** `{host}/v1/projects/{project}/locations/{location}/publishers/{publisher}/models/{model}:{method}[?{query}]`. */
export function vertexModelUrl(params: LitellmParams, settings: VertexSettings, publisher: string, model: string, method: string, query?: string): string {
  return underApiBase(vertexHost(params, settings.location), (host) => {
    const root = /\/v1(beta1)?$/.test(host) ? host : `${host}/v1`;
    const path = `${root}/projects/${encodeURIComponent(settings.project)}/locations/${encodeURIComponent(settings.location)}/publishers/${publisher}/models/${model}:${method}`;
    return query ? `${path}?${query}` : path;
  });
}
