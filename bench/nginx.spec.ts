import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findExecutable, nginxConfig, prepareNginx } from './nginx';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-nginx-spec-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('nginxConfig', () => {
  const config = nginxConfig({ prefixDir: '/tmp/run/nginx', host: '127.0.0.1', port: 8080, upstreamHost: '127.0.0.1', upstreamPort: 9000, connections: 64 });

  it('proxies everything to the upstream over kept-alive HTTP/1.1 connections', () => {
    expect(config).toMatch(/upstream bench_upstream \{\s+server 127\.0\.0\.1:9000;\s+keepalive 128;/);
    expect(config).toContain('listen 127.0.0.1:8080;');
    expect(config).toContain('proxy_pass http://bench_upstream;');
    expect(config).toContain('proxy_http_version 1.1;');
    expect(config).toContain('proxy_set_header Connection "";');
  });

  it('relays streams unbuffered and accepts large prompts', () => {
    expect(config).toContain('proxy_buffering off;');
    expect(config).toContain('client_max_body_size 16m;');
  });

  it('runs as one foreground process that writes only inside its prefix folder', () => {
    expect(config).toContain('daemon off;');
    expect(config).toContain('worker_processes 1;');
    const paths = [...config.matchAll(/(?:pid|error_log|_temp_path) (\S+?)[;\s]/g)].map((m) => m[1]);
    expect(paths.length).toBeGreaterThanOrEqual(7);
    for (const p of paths) expect(p.startsWith('/tmp/run/nginx/')).toBe(true);
    expect(config).toContain('access_log off;');
  });
});

describe('prepareNginx', () => {
  it('writes the config into the work dir and returns the command that uses it', () => {
    const { configPath, args } = prepareNginx({ binary: '/usr/sbin/nginx', workDir: tmp, host: '127.0.0.1', port: 8081, upstreamUrl: 'http://127.0.0.1:9001', connections: 8 });
    expect(configPath).toBe(path.join(tmp, 'nginx', 'nginx.conf'));
    expect(fs.readFileSync(configPath, 'utf8')).toContain('server 127.0.0.1:9001;');
    expect(args).toEqual(['/usr/sbin/nginx', '-p', path.join(tmp, 'nginx'), '-c', configPath]);
  });
});

describe('findExecutable', () => {
  it('finds an executable file on PATH and nothing else', () => {
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'fake-nginx'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'not-executable'), '', { mode: 0o644 });
    fs.mkdirSync(path.join(bin, 'a-dir'), { recursive: true });
    const pathEnv = ['/nonexistent', bin].join(path.delimiter);
    expect(findExecutable('fake-nginx', pathEnv)).toBe(path.join(bin, 'fake-nginx'));
    expect(findExecutable('not-executable', pathEnv)).toBeNull();
    expect(findExecutable('a-dir', pathEnv)).toBeNull();
    expect(findExecutable('fake-nginx', '')).toBeNull();
  });
});
