/**
 * Runs `send`, which issues a request's end-of-request charges (its limiter settlement and its budget
 * addition) synchronously. Returns a promise that resolves once they have been handed to the connection's
 * socket, or undefined when they already have: the request's answer waits for it, so that the next request,
 * on any replica, is checked against a spend that includes this one.
 */
export type WriteTogether = (send: () => void) => Promise<void> | undefined;

/** For stores without a connection (memory): the charges are applied as `send` runs. */
export const writeEach: WriteTogether = (send) => {
  send();
  return undefined;
};
