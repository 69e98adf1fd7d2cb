// Types for image-node-options.js, which stays plain JavaScript so `node bench/run.js` needs no build.

/** NODE_OPTIONS set by ENV in the last stage of a Dockerfile's text, or '' when it sets none. */
export function imageNodeOptions(dockerfileText: string): string;

/** The image's NODE_OPTIONS read from this repository's Dockerfile (or the one at `dockerfile`). */
export function readImageNodeOptions(dockerfile?: string): string;
