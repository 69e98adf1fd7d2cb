const DEFAULT_API_VERSION = 'v1beta';

/** `models/<model>`, or the model as given when it is already a resource name (`tunedModels/<id>`). */
export function resourceName(model: string): string {
  return model.includes('/') ? model : `models/${model}`;
}

/**
 * `{api_base}/{version}/models/{model}:{method}`; an `api_base` that already ends in an API version
 * (`.../v1beta`) is used as it is.
 */
export function geminiMethodUrl(apiBase: string, apiVersion: string | undefined, model: string, method: string): string {
  const base = apiBase.replace(/\/+$/, '');
  const root = /\/v\d+(?:alpha|beta)?\d*$/.test(base) ? base : `${base}/${apiVersion ?? DEFAULT_API_VERSION}`;
  return `${root}/${resourceName(model)}:${method}`;
}
