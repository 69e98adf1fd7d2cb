import { underApiBase } from '../shared/api-base-url';

const DEFAULT_API_VERSION = 'v1beta';

/** `models/<model>`, or the model as given when it is already a resource name (`tunedModels/<id>`). */
export function resourceName(model: string): string {
  return model.includes('/') ? model : `models/${model}`;
}

/**
 * `{api_base}/{version}/models/{model}:{method}`; an `api_base` that already ends in an API version
 * (`.../v1beta`) is used as it is. `query` (such as `alt=sse`) goes before any query the base carries.
 */
export function geminiMethodUrl(apiBase: string, apiVersion: string | undefined, model: string, method: string, query?: string): string {
  return underApiBase(apiBase, (base) => {
    const root = /\/v\d+(?:alpha|beta)?\d*$/.test(base) ? base : `${base}/${apiVersion ?? DEFAULT_API_VERSION}`;
    return `${root}/${resourceName(model)}:${method}${query ? `?${query}` : ''}`;
  });
}
