// Every workflow type the worker registers. Keep this file to exports only.
export { shopConnection } from './shopConnection';
export { shopLifecycle } from './shopLifecycle';
