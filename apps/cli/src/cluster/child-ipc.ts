/** What sending needs of a cluster child (node:cluster's Worker and child_process's ChildProcess have it). */
export interface MessageTarget {
  send(message: unknown, callback: (error: Error | null) => void): unknown;
}

/**
 * Sends a message to a child whose channel may be closing. A child that has just exited can still look
 * connected until its `disconnect` event is processed; a send without a callback then reports the failed
 * write (EPIPE) as an `error` event, and in the primary nothing else would catch it: the whole cluster would
 * exit 1. The failure is handed to `onFailed` instead (the child's exit is handled where it is watched).
 */
export function sendToChild(child: MessageTarget, message: unknown, onFailed: (error: Error) => void = ignore): void {
  child.send(message, (error) => {
    if (error) onFailed(error);
  });
}

function ignore(): void {}
