// What the benchmark's measuring clients share: turning a URL, headers and body into undici request
// parts, and naming a failed request in one short label for the status counts.
'use strict';

/** undici pools are per origin; requests name the path (with query). */
function splitUrl(url) {
  const parsed = new URL(url);
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
}

function jsonHeaders(headers = {}) {
  const lower = Object.keys(headers).map((name) => name.toLowerCase());
  return lower.includes('content-type') ? { ...headers } : { 'content-type': 'application/json', ...headers };
}

/**
 * A request body serialized once, so the measured loop only sends bytes. Objects get `overrides` merged in
 * (e.g. `stream: true`); strings are sent exactly as given.
 * @param {string | object} body
 * @param {object} [overrides]
 */
function encodeBody(body, overrides) {
  if (typeof body === 'string') return body;
  return JSON.stringify(overrides ? { ...body, ...overrides } : body);
}

/** 'timeout' for our own deadline, the undici/system error code otherwise ('ECONNREFUSED', 'UND_ERR_SOCKET'). */
function errorLabel(err) {
  if (err?.name === 'TimeoutError') return 'timeout';
  return err?.code ?? err?.cause?.code ?? err?.name ?? 'error';
}

module.exports = { splitUrl, jsonHeaders, encodeBody, errorLabel };
