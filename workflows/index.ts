// Every workflow type the worker registers. Keep this file to exports only.
export { shopLifecycle } from './shopLifecycle';
