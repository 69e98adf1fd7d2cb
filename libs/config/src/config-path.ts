/**
 * Paths inside the document in the form users read in error messages: `model_list[2].litellm_params.model`.
 * Keys that are not plain identifiers (dots, spaces, ...) are quoted so the path stays unambiguous.
 */
const PLAIN_KEY = /^[A-Za-z0-9_\-/*:]+$/;

export function childPath(parent: string, key: string): string {
  if (!PLAIN_KEY.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}
