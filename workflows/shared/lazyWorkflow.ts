/**
 * A workflow function whose module is required on its first call (workflows/index.ts says why). The function keeps
 * the workflow type's name, which Temporal registers it under and clients start it by.
 */
export function lazyWorkflow<M, K extends keyof M & string>(type: K, load: () => M): M[K] {
  const run = (...args: unknown[]): unknown => (load()[type] as (...a: unknown[]) => unknown)(...args);
  Object.defineProperty(run, 'name', { value: type });
  return run as M[K];
}
