// Sandbox-safe: what a failure says at its root, for the messages a workflow gives people.

/** The innermost message of a failure (TikTok's reason, not "Activity task failed"). */
export function innermost(err: unknown): string {
  let e = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}
