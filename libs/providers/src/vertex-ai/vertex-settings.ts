import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { Logger } from '@nestjs/common';
import type { LitellmParams } from '@tollgate/config';
import { BoundedCache, GatewayError } from '@tollgate/common';
import type { Deployment } from '../provider.types';
import { setting } from '../shared/credentials';
import { underApiBase } from '../shared/api-base-url';

const PROJECT_ENV = ['VERTEXAI_PROJECT', 'VERTEX_PROJECT', 'GOOGLE_CLOUD_PROJECT'];
const LOCATION_ENV = ['VERTEXAI_LOCATION', 'VERTEX_LOCATION'];
const DEFAULT_LOCATION = 'us-central1';
const logger = new Logger('VertexAI');

export interface VertexCredentials {
  /** A credential JSON (service account, authorized user, ...); undefined means Application Default Credentials. */
  json?: Record<string, unknown>;
  /**
   * Where the JSON came from when that place can hold a newer one later (`file:<path>`): a rotated key then
   * replaces its predecessor's OAuth client instead of adding one.
   */
  source?: string;
}

export interface VertexSettings {
  project: string;
  location: string;
  credentials: VertexCredentials;
}

/**
 * How often a credentials file is looked at again. Kubernetes updates a mounted Secret in place (a new file
 * behind the same path), so a rotated key is picked up within this long, without a restart.
 */
export const CREDENTIALS_FILE_RECHECK_MS = 30_000;

interface CredentialsFile {
  json: Record<string, unknown>;
  /** Inode, size and modification time when `json` was read: a different one means the file was replaced. */
  version: string;
  checkedAt: number;
  /** The background look at the file in progress, if any. */
  refreshing?: Promise<void>;
}

const credentialFiles = new Map<string, CredentialsFile>();
/** Inline JSON strings already parsed: config values, so few, but a reload may bring new ones. */
const parsedInline = new BoundedCache<string, Record<string, unknown>>(64);

/**
 * `vertex_credentials` (a JSON string, an object, or a path to a JSON file), else the file named by
 * GOOGLE_APPLICATION_CREDENTIALS, else none (Application Default Credentials). A file is read when first
 * used, then looked at again in the background every CREDENTIALS_FILE_RECHECK_MS: calls never wait for the
 * disk after the first, and a replacement that cannot be read or parsed leaves the last good key in use.
 */
export function vertexCredentials(params: LitellmParams, now: number = Date.now()): VertexCredentials {
  const given = params.vertex_credentials ?? params.vertex_ai_credentials;
  if (given && typeof given === 'object' && !Array.isArray(given)) return { json: given as Record<string, unknown> };
  if (typeof given === 'string' && given.trim().startsWith('{')) return { json: inlineJson(given) };
  const path = typeof given === 'string' && given !== '' ? given : process.env.GOOGLE_APPLICATION_CREDENTIALS;
  if (!path) return {};
  return { json: credentialsFile(path, now), source: `file:${path}` };
}

function inlineJson(text: string): Record<string, unknown> {
  return parsedInline.getOrSet(text, (json) => parseJson(json, 'vertex_credentials'));
}

function credentialsFile(path: string, now: number): Record<string, unknown> {
  const known = credentialFiles.get(path);
  if (!known) {
    const read = readCredentialsFileSync(path);
    credentialFiles.set(path, { json: read.json, version: read.version, checkedAt: now });
    return read.json;
  }
  if (!known.refreshing && now - known.checkedAt >= CREDENTIALS_FILE_RECHECK_MS) {
    known.checkedAt = now;
    known.refreshing = refreshCredentialsFile(path, known).finally(() => (known.refreshing = undefined));
  }
  return known.json;
}

function fileVersion(stats: { ino: number; size: number; mtimeMs: number }): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

function readCredentialsFileSync(path: string): { json: Record<string, unknown>; version: string } {
  let text: string;
  let version: string;
  try {
    version = fileVersion(statSync(path));
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the credentials file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return { json: parseJson(text, `the credentials file ${path}`), version };
}

async function refreshCredentialsFile(path: string, known: CredentialsFile): Promise<void> {
  try {
    const stats = await stat(path);
    const version = fileVersion(stats);
    if (version === known.version) return;
    const json = parseJson(await readFile(path, 'utf8'), `the credentials file ${path}`);
    known.json = json;
    known.version = version;
  } catch (err) {
    // Possibly a replacement caught half-written: keep the key that works and look again next time.
    logger.warn(`Keeping the Vertex AI credentials read earlier from ${path}: ${(err as Error).message}`);
  }
}

/** Waits for the background looks at credentials files in progress (tests). */
export async function credentialFilesChecked(): Promise<void> {
  await Promise.all([...credentialFiles.values()].map((file) => file.refreshing));
}

/** Forgets every credentials file and inline key read so far (tests). */
export function resetVertexCredentialsCache(): void {
  credentialFiles.clear();
  parsedInline.clear();
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
