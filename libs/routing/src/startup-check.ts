import { ConfigError, formatConfigProblem, type TollgateConfig } from '@tollgate/config';
import type { Deployment } from '@tollgate/providers';
import { resolveDeployments } from './deployment-resolver';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/**
 * Refuses configurations that cannot serve: unknown providers, bad provider settings, an open gateway on a
 * network. Lives here rather than in the gateway so that a cluster primary can check before forking without
 * loading the gateway itself.
 */
export function checkStartupConfig(config: TollgateConfig): Deployment[] {
  const { deployments, problems } = resolveDeployments(config);
  const lines = problems.map((p) => formatConfigProblem(config.sourceFile, p.path, p.message));
  if (!config.runtime.masterKey && !LOOPBACK.test(config.runtime.host)) {
    lines.push(
      formatConfigProblem(
        config.sourceFile,
        'general_settings.master_key',
        `no master key is set and the gateway would listen on ${config.runtime.host}, open to the network; ` +
          'set general_settings.master_key or LITELLM_MASTER_KEY, or listen on 127.0.0.1 (--host 127.0.0.1)',
      ),
    );
  }
  if (lines.length > 0) throw new ConfigError(lines);
  return deployments;
}
