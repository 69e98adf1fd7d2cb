import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayError } from '@tollgate/common';
import type { LitellmParams } from '@tollgate/config';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Deployment } from '../provider.types';
import { CREDENTIALS_FILE_RECHECK_MS, credentialFilesChecked, resetVertexCredentialsCache, vertexCredentials, vertexModelUrl, vertexSettings } from './vertex-settings';

const KEY = { type: 'service_account', project_id: 'from-key', client_email: 'sa@from-key.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n' };
const dir = mkdtempSync(join(tmpdir(), 'vertex-settings-'));
const keyFile = join(dir, 'key.json');
writeFileSync(keyFile, JSON.stringify(KEY));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => resetVertexCredentialsCache());

const deployment = (params: Partial<LitellmParams>): Deployment => ({
  id: 'd',
  modelName: 'm',
  provider: 'vertex_ai',
  upstreamModel: 'gemini-2.5-pro',
  timeoutMs: 1000,
  streamTimeoutMs: 1000,
  params: { model: 'vertex_ai/gemini-2.5-pro', ...params },
});

describe('vertex settings', () => {
  it('reads vertex_credentials as a JSON string, an object or a file path', () => {
    expect(vertexCredentials({ model: 'x', vertex_credentials: JSON.stringify(KEY) }).json).toEqual(KEY);
    expect(vertexCredentials({ model: 'x', vertex_credentials: KEY }).json).toEqual(KEY);
    expect(vertexCredentials({ model: 'x', vertex_credentials: keyFile }).json).toEqual(KEY);
    expect(() => vertexCredentials({ model: 'x', vertex_credentials: '{not json' })).toThrow(/not a JSON object/);
    expect(() => vertexCredentials({ model: 'x', vertex_credentials: join(dir, 'missing.json') })).toThrow(/cannot read/);
  });

  it('takes the project from the settings, else from the key; the location defaults to us-central1', () => {
    expect(vertexSettings(deployment({ vertex_credentials: keyFile }))).toMatchObject({ project: 'from-key', location: 'us-central1' });
    expect(vertexSettings(deployment({ vertex_credentials: keyFile, vertex_project: 'explicit', vertex_location: 'europe-west4' }))).toMatchObject({
      project: 'explicit',
      location: 'europe-west4',
    });
  });

  it('fails with a 500 naming the setting when no project can be found, without echoing the key', () => {
    const saved = { ...process.env };
    for (const name of ['VERTEXAI_PROJECT', 'VERTEX_PROJECT', 'GOOGLE_CLOUD_PROJECT', 'GOOGLE_APPLICATION_CREDENTIALS']) delete process.env[name];
    try {
      const err = (() => {
        try {
          vertexSettings(deployment({}));
        } catch (e) {
          return e as GatewayError;
        }
        throw new Error('expected a failure');
      })();
      expect([err.status, err.options.code]).toEqual([500, 'deployment_misconfigured']);
      expect(err.message).toContain('vertex_project');
    } finally {
      Object.assign(process.env, saved);
    }
  });

  it('builds regional, global and api_base URLs', () => {
    const settings = { project: 'p', location: 'us-east5', credentials: {} };
    expect(vertexModelUrl({ model: 'x' }, settings, 'anthropic', 'claude-sonnet-4-5@20250929', 'rawPredict')).toBe(
      'https://us-east5-aiplatform.googleapis.com/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict',
    );
    expect(vertexModelUrl({ model: 'x' }, { ...settings, location: 'global' }, 'google', 'gemini-2.5-pro', 'generateContent')).toBe(
      'https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google/models/gemini-2.5-pro:generateContent',
    );
    expect(vertexModelUrl({ model: 'x', api_base: 'https://proxy.internal/v1/' }, settings, 'google', 'g', 'predict')).toBe(
      'https://proxy.internal/v1/projects/p/locations/us-east5/publishers/google/models/g:predict',
    );
  });

  describe('a credentials file', () => {
    /** Replaces the file the way a Kubernetes Secret update does: a new file renamed over the old path. */
    const replace = (path: string, content: string) => {
      writeFileSync(`${path}.next`, content);
      renameSync(`${path}.next`, path);
    };
    const ROTATED = { ...KEY, client_email: 'rotated@from-key.iam.gserviceaccount.com' };

    it('is read once, then not touched again until the recheck interval has passed', () => {
      const path = join(dir, 'once.json');
      writeFileSync(path, JSON.stringify(KEY));
      const t0 = 1_000_000;
      expect(vertexCredentials({ model: 'x', vertex_credentials: path }, t0)).toEqual({ json: KEY, source: `file:${path}` });
      rmSync(path);
      // Gone from the disk: a call that read it again would throw "cannot read".
      expect(vertexCredentials({ model: 'x', vertex_credentials: path }, t0 + CREDENTIALS_FILE_RECHECK_MS - 1).json).toEqual(KEY);
    });

    it('picks up a rotated key after the recheck interval, in the background', async () => {
      const path = join(dir, 'rotating.json');
      writeFileSync(path, JSON.stringify(KEY));
      const t0 = 2_000_000;
      const params = { model: 'x', vertex_credentials: path };
      expect(vertexCredentials(params, t0).json).toEqual(KEY);
      replace(path, JSON.stringify(ROTATED));
      expect(vertexCredentials(params, t0 + 1_000).json).toEqual(KEY);
      // The call that finds the interval passed does not wait for the disk: it still answers with the old key.
      expect(vertexCredentials(params, t0 + CREDENTIALS_FILE_RECHECK_MS).json).toEqual(KEY);
      await credentialFilesChecked();
      expect(vertexCredentials(params, t0 + CREDENTIALS_FILE_RECHECK_MS + 1).json).toEqual(ROTATED);
    });

    it('keeps the last good key while the file is broken or missing, and takes the next good one', async () => {
      const path = join(dir, 'flaky.json');
      writeFileSync(path, JSON.stringify(KEY));
      const t0 = 3_000_000;
      const params = { model: 'x', vertex_credentials: path };
      vertexCredentials(params, t0);
      replace(path, '{"type": "service_acc'); // caught half-written
      vertexCredentials(params, t0 + CREDENTIALS_FILE_RECHECK_MS);
      await credentialFilesChecked();
      expect(vertexCredentials(params, t0 + CREDENTIALS_FILE_RECHECK_MS + 1).json).toEqual(KEY);
      rmSync(path);
      vertexCredentials(params, t0 + 2 * CREDENTIALS_FILE_RECHECK_MS);
      await credentialFilesChecked();
      expect(vertexCredentials(params, t0 + 2 * CREDENTIALS_FILE_RECHECK_MS + 1).json).toEqual(KEY);
      writeFileSync(path, JSON.stringify(ROTATED));
      vertexCredentials(params, t0 + 3 * CREDENTIALS_FILE_RECHECK_MS);
      await credentialFilesChecked();
      expect(vertexCredentials(params, t0 + 3 * CREDENTIALS_FILE_RECHECK_MS + 1).json).toEqual(ROTATED);
    });

    it('returns the same key object while the file is unchanged, so its OAuth client is reused', async () => {
      const path = join(dir, 'steady.json');
      writeFileSync(path, JSON.stringify(KEY));
      const t0 = 4_000_000;
      const params = { model: 'x', vertex_credentials: path };
      const first = vertexCredentials(params, t0).json;
      vertexCredentials(params, t0 + CREDENTIALS_FILE_RECHECK_MS);
      await credentialFilesChecked();
      expect(vertexCredentials(params, t0 + CREDENTIALS_FILE_RECHECK_MS + 1).json).toBe(first);
      expect(vertexCredentials({ model: 'x', vertex_credentials: JSON.stringify(KEY) }).json).toBe(vertexCredentials({ model: 'x', vertex_credentials: JSON.stringify(KEY) }).json);
    });
  });
});
