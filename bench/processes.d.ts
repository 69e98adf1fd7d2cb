// Types for the part of processes.js that specs use; the file stays plain JavaScript.

export function tollgateCommand(args: string, options?: { cpuProfDir?: string | null }): string;
export function onInterrupt(cleanup: () => unknown): () => void;
