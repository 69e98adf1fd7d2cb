import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@tollgate/config';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createTemplates, loadChart, TemplateFailure } from './go-template';
import { checkBlocks, definedNames, hasValuesPath, includedNames, valuesPaths } from './helm-template-checks';
import { validateAgainstSchema, type Schema } from './json-schema-subset';

// Checks on helm/tollgate for a machine without the helm binary: the YAML files parse, the values satisfy the
// schema, every template uses only values, helpers and block structure that exist, and templates rendered by
// a small Go-template interpreter (./go-template) produce what the chart promises.

const root = join(__dirname, '..', '..');
const chartDir = join(root, 'helm', 'tollgate');
const templatesDir = join(chartDir, 'templates');
const readChart = (file: string) => readFileSync(join(chartDir, file), 'utf8');
const templateFiles = readdirSync(templatesDir).sort();
const readTemplate = (file: string) => readFileSync(join(templatesDir, file), 'utf8');

type Values = Record<string, any>;
const values = parse(readChart('values.yaml')) as Values;
const schema = JSON.parse(readChart('values.schema.json')) as Schema;
const withChanges = (change: (copy: Values) => void): Values => {
  const copy = structuredClone(values);
  change(copy);
  return copy;
};

/** The defaults plus the three settings the chart refuses to render without. */
const installable = (change: (copy: Values) => void = () => {}): Values =>
  withChanges((v) => {
    v.masterKey.value = 'sk-chart-test';
    v.database.url = 'postgresql://tollgate:secret@postgres:5432/tollgate';
    v.redis.url = 'redis://redis:6379';
    change(v);
  });
const chart = loadChart(chartDir);
const gatewayContainer = (v: Values): Values => {
  const deployment = parse(chart.render('gateway-deployment.yaml', v)) as Values;
  return (deployment.spec.template.spec.containers as Values[]).find((c) => c.name === 'gateway') as Values;
};

describe('template checkers', () => {
  // The checkers below guard the chart; these cases show they do reject broken input.
  it('find unclosed blocks, stray ends and unclosed actions', () => {
    expect(checkBlocks('{{ if .Values.a }}x{{ end }}{{/* {{ if }} in a comment */}}')).toEqual([]);
    expect(checkBlocks('{{- range .Values.a }}\n{{ with .b }}{{ end }}')).toEqual([
      'line 1: "range .Values.a" is never closed with "end"',
    ]);
    expect(checkBlocks('{{ end }}')).toEqual(['line 1: "end" without an open block']);
    expect(checkBlocks('{{ .Values.a ')).toEqual(['line 1: "{{" is never closed']);
    expect(checkBlocks('{{ "}}" }} }}')).toEqual(['a "}}" appears outside any action']);
  });

  it('extract values paths outside string literals, in every spelling of the root', () => {
    const source = '{{ .Values.a.b }} {{ $.Values.c }} {{ include "x" (dict "ctx" .ctx.Values.d_e) }} {{ fail ".Values.no" }}';
    expect(valuesPaths(source).sort()).toEqual(['a.b', 'c', 'd_e']);
    expect(hasValuesPath({ a: { b: null } }, 'a.b')).toBe(true);
    expect(hasValuesPath({ a: { b: null } }, 'a.c')).toBe(false);
    expect(hasValuesPath({ a: [] }, 'a.0')).toBe(false);
  });

  it('render Go templates as Helm does: trim markers, blocks, variables, includes, fail, number types', () => {
    const render = (source: string, data: unknown = {}, helpers = '') =>
      createTemplates({ 'c/templates/_helpers.tpl': helpers, 'c/templates/t.yaml': source }).render('c/templates/t.yaml', data);
    expect(render('a:\n  {{- if .x }}\n  x\n  {{- else if .y }}\n  y\n  {{- else }}\n  z\n  {{- end }}\nb', { y: 1 })).toBe('a:\n  y\nb');
    expect(render('{{ with .m }}{{ .k }}{{ else }}none{{ end }} {{ range $i, $v := .l }}{{ $i }}={{ $v }};{{ end }}', { m: { k: 'v' }, l: ['p', 'q'] })).toBe(
      'v 0=p;1=q;',
    );
    expect(render('{{- $n := include "h" (dict "ctx" .) -}} [{{ $n | nindent 2 }}] {{ .missing }}|', { a: 'A' }, '{{- define "h" -}}{{ .ctx.a | quote }}{{- end }}')).toBe(
      '[\n  "A"] |',
    );
    expect(() => render('{{ if not .k }}{{ fail "set k" }}{{ end }}')).toThrow(TemplateFailure);
    expect(() => render('{{ if not .k }}{{ fail "set k" }}{{ end }}')).toThrow('set k');
    // values.yaml numbers are float64 in Helm: comparing one with an int literal fails unless cast with int.
    expect(() => render('{{ gt .n 1 }}', { n: 3 })).toThrow(/incompatible types for comparison/);
    expect(render('{{ gt (int .n) 1 }} {{ int .n | quote }} {{ .big }}', { n: 3, big: 1000000 })).toBe('true "3" 1e+06');
    expect(() => render('{{ template "x" }}')).toThrow(/not supported/);
    expect(() => render('{{ unknownFunction 1 }}')).toThrow(/not supported/);
  });

  it('reject values the schema forbids', () => {
    expect(validateAgainstSchema(schema, values)).toEqual([]);
    const broken = withChanges((v) => {
      v.gateway.replicaCount = 'two';
      v.masterKey.value = 'not-a-key';
      v.gateway.unknownSetting = true;
      v.service.port = 70000;
      v.image.pullPolicy = 'Sometimes';
    });
    expect(validateAgainstSchema(schema, broken).sort()).toEqual([
      '$.gateway.replicaCount: expected "integer", got string',
      '$.gateway.unknownSetting: property not allowed',
      '$.image.pullPolicy: "Sometimes" is not one of ["Always","IfNotPresent","Never"]',
      '$.masterKey.value: does not match pattern ^(sk-.+)?$',
      '$.service.port: 70000 > maximum 65535',
    ]);
  });
});

describe('helm/tollgate', () => {
  it('has a v2 Chart.yaml whose appVersion is the package version', () => {
    const chart = parse(readChart('Chart.yaml')) as Record<string, string>;
    const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(chart.apiVersion).toBe('v2');
    expect(chart.name).toBe('tollgate');
    expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(chart.appVersion).toBe(packageJson.version);
  });

  it('has every template the chart promises', () => {
    expect(templateFiles).toEqual(
      expect.arrayContaining([
        '_helpers.tpl',
        'NOTES.txt',
        'configmap.yaml',
        'secret.yaml',
        'gateway-deployment.yaml',
        'worker-deployment.yaml',
        'service.yaml',
        'ingress.yaml',
        'hpa.yaml',
        'pdb.yaml',
        'migration-job.yaml',
        'serviceaccount.yaml',
      ]),
    );
  });

  it('declares every top-level value in values.schema.json', () => {
    const declared = Object.keys(schema.properties as object);
    expect(Object.keys(values).filter((key) => !declared.includes(key))).toEqual([]);
  });

  it('accepts the config as a mapping or as the text of a config file, and nothing else', () => {
    expect(validateAgainstSchema(schema, withChanges((v) => (v.config = 'model_list: []\n')))).toEqual([]);
    expect(validateAgainstSchema(schema, withChanges((v) => (v.config = ['model_list'])))).toHaveLength(1);
  });

  it.each(templateFiles)('%s has balanced actions and blocks', (file) => {
    expect(checkBlocks(readTemplate(file))).toEqual([]);
  });

  it.each(templateFiles)('%s reads only values that values.yaml defines', (file) => {
    const missing = valuesPaths(readTemplate(file)).filter((path) => !hasValuesPath(values, path));
    expect(missing).toEqual([]);
  });

  it.each(templateFiles)('%s includes only helpers that _helpers.tpl defines', (file) => {
    const defined = definedNames(readTemplate('_helpers.tpl'));
    expect(includedNames(readTemplate(file)).filter((name) => !defined.includes(name))).toEqual([]);
  });

  it('probes the gateway on its named port: liveliness for liveness and startup, readiness for readiness', () => {
    const gateway = values.gateway;
    expect(gateway.livenessProbe.httpGet).toEqual({ path: '/health/liveliness', port: 'http' });
    expect(gateway.startupProbe.httpGet).toEqual({ path: '/health/liveliness', port: 'http' });
    expect(gateway.readinessProbe.httpGet).toEqual({ path: '/health/readiness', port: 'http' });
    expect(readTemplate('gateway-deployment.yaml')).toMatch(/- name: http\n\s+containerPort: \{\{ \.Values\.gateway\.port \}\}/);
    expect(readTemplate('service.yaml')).toContain('targetPort: http');
  });

  it('runs pods as a non-root user with a read-only root filesystem', () => {
    expect(values.podSecurityContext.runAsNonRoot).toBe(true);
    expect(values.podSecurityContext.runAsUser).toBeGreaterThan(0);
    expect(values.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(values.securityContext.allowPrivilegeEscalation).toBe(false);
  });

  it('rolls gateway and worker pods when the rendered config or the chart Secret changes', () => {
    const helpers = readTemplate('_helpers.tpl');
    expect(helpers).toContain('checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}');
    expect(helpers).toContain('checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}');
    for (const file of ['gateway-deployment.yaml', 'worker-deployment.yaml']) {
      expect(readTemplate(file), file).toMatch(/annotations:\n\s+\{\{- include "tollgate\.checksums" \. \| nindent 8 \}\}/);
    }
  });

  it('migrates in a pre-install/pre-upgrade hook job that is replaced on rerun and removed on success', () => {
    const job = readTemplate('migration-job.yaml');
    const hookAnnotations = [...job.matchAll(/helm\.sh\/hook: (.+)/g)].map((m) => m[1]);
    expect(hookAnnotations).toEqual(['pre-install,pre-upgrade', 'pre-install,pre-upgrade']);
    expect([...job.matchAll(/helm\.sh\/hook-delete-policy: (.+)/g)].map((m) => m[1])).toEqual([
      'before-hook-creation,hook-succeeded',
      'before-hook-creation,hook-succeeded',
    ]);
    // The hook Secret the job reads on a first install must exist before the job: a lower weight.
    const weights = [...job.matchAll(/helm\.sh\/hook-weight: "(-?\d+)"/g)].map((m) => Number(m[1]));
    expect(weights[0]).toBeLessThan(weights[1]);
    expect(job).toMatch(/args:\n\s+- migrate\n/);
    expect(job).toContain('restartPolicy: Never');
  });

  it('feeds secrets to the pods from Secrets, never as plain env values', () => {
    const helpers = readTemplate('_helpers.tpl');
    for (const variable of ['TOLLGATE_MASTER_KEY', 'DATABASE_URL', 'REDIS_URL']) {
      expect(helpers).toMatch(new RegExp(`include "tollgate\\.secretEnv" \\(dict "name" "${variable}"`));
    }
    expect(helpers).toMatch(/secretKeyRef:/);
  });

  describe('gateway.numWorkers (tollgate start --num_workers)', () => {
    it('defaults to 1, which starts a single gateway process with no --num_workers flag', () => {
      expect(values.gateway.numWorkers).toBe(1);
      expect(gatewayContainer(installable()).args).toEqual(['start', '--config', '/app/config/config.yaml']);
      // 1 renders exactly what a chart without the value rendered.
      const withoutValue = installable((v) => delete v.gateway.numWorkers);
      expect(chart.render('gateway-deployment.yaml', installable())).toBe(chart.render('gateway-deployment.yaml', withoutValue));
      expect(chart.render('NOTES.txt', installable())).not.toContain('processes');
    });

    it('above 1, starts the gateway container with --num_workers N, before extraArgs', () => {
      const cluster = installable((v) => {
        v.gateway.numWorkers = 3;
        v.gateway.extraArgs = ['--with-worker'];
      });
      expect(validateAgainstSchema(schema, cluster)).toEqual([]);
      expect(gatewayContainer(cluster).args).toEqual(['start', '--config', '/app/config/config.yaml', '--num_workers', '3', '--with-worker']);
      // `--set gateway.numWorkers=3` gives Helm an int64 where values.yaml gives a float64: both render the same.
      expect(gatewayContainer(installable((v) => (v.gateway.numWorkers = 3n))).args).toEqual([
        'start',
        '--config',
        '/app/config/config.yaml',
        '--num_workers',
        '3',
      ]);
      expect(chart.render('NOTES.txt', cluster)).toContain('Gateway: 2 replica(s), 3 gateway processes in each (--num_workers)');
    });

    it('accepts only whole numbers of at least 1', () => {
      const check = (numWorkers: unknown) => validateAgainstSchema(schema, installable((v) => (v.gateway.numWorkers = numWorkers)));
      expect(check(1)).toEqual([]);
      expect(check(8)).toEqual([]);
      expect(check(0)).toEqual(['$.gateway.numWorkers: 0 < minimum 1']);
      expect(check(-2)).toEqual(['$.gateway.numWorkers: -2 < minimum 1']);
      expect(check(2.5)).toEqual(['$.gateway.numWorkers: expected "integer", got number']);
      expect(check('4')).toEqual(['$.gateway.numWorkers: expected "integer", got string']);
    });

    it('cannot render without the Redis and external PostgreSQL that several processes need', () => {
      // Not specific to numWorkers: the chart always requires both, which is what cluster mode relies on.
      const noRedis = installable((v) => {
        v.gateway.numWorkers = 3;
        v.redis.url = '';
      });
      expect(() => chart.render('gateway-deployment.yaml', noRedis)).toThrow(TemplateFailure);
      expect(() => chart.render('gateway-deployment.yaml', noRedis)).toThrow(/redis\.url or redis\.existingSecret/);
      const noDatabase = installable((v) => {
        v.gateway.numWorkers = 3;
        v.database.url = '';
      });
      expect(() => chart.render('gateway-deployment.yaml', noDatabase)).toThrow(/database\.url or database\.existingSecret/);
    });
  });

  it('ships a default config that Tollgate loads as it is, even before provider keys are set', () => {
    const folder = mkdtempSync(join(tmpdir(), 'tollgate-chart-config-'));
    try {
      const file = join(folder, 'config.yaml');
      writeFileSync(file, stringify(values.config));
      const config = loadConfig(file, { env: {}, cwd: folder });
      expect(config.model_list.map((m) => m.model_name)).toEqual(values.config.model_list.map((m: Values) => m.model_name));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
