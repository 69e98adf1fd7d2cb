import { GatewayError } from '@tollgate/common';
import type { UpstreamResponse } from '../shared/streaming-call';
import type { Deployment } from '../provider.types';
import type { Deadline } from '../shared/deadline';
import { extraHeaders } from '../shared/deployment-params';
import { sendUpstream } from '../shared/upstream-http';
import { authenticatedHeaders, bedrockCredentials, missingCredentials } from './bedrock-auth';
import { readBedrockError, withBedrockStatus } from './bedrock-errors';
import { bedrockRegion, bedrockUrl, type BedrockOperation } from './bedrock-settings';

const ACCEPT: Readonly<Record<BedrockOperation, string>> = {
  converse: 'application/json',
  'converse-stream': 'application/vnd.amazon.eventstream',
  invoke: 'application/json',
};

/**
 * POSTs a JSON body to one Bedrock runtime operation for a model, authenticated with the deployment's
 * credentials (SigV4 for service `bedrock`, or a Bedrock API key), and maps a failure to a GatewayError
 * with Bedrock's exception taken into account. Resolves with the 2xx response, whose body the caller
 * must consume or destroy.
 */
export async function postToBedrock(
  deployment: Deployment,
  operation: BedrockOperation,
  modelId: string,
  body: string,
  deadline: Deadline,
  what: { action: string; ms: number },
): Promise<UpstreamResponse> {
  const credentials = bedrockCredentials(deployment.params);
  if (!credentials) throw missingCredentials(deployment);
  const url = bedrockUrl(deployment.params, modelId, operation);
  const headers = await authenticatedHeaders(
    url,
    body,
    { 'content-type': 'application/json', accept: ACCEPT[operation], ...extraHeaders(deployment.params) },
    credentials,
    bedrockRegion(deployment.params),
  );
  let exception: string | undefined;
  try {
    return await sendUpstream(deployment, { url, headers, body }, deadline, what, (text, responseHeaders) => {
      const read = readBedrockError(text, responseHeaders);
      exception = read.exception;
      return read.detail;
    });
  } catch (err) {
    throw err instanceof GatewayError ? withBedrockStatus(err, exception) : err;
  }
}
