/** Argo Workflows validation: `validateResources` and its options, and the registry of ARG001–ARG199 codes. */
export { validateResources, type ValidateOptions } from './validate-resources.js';
export { VALIDATION_CODES, type ValidationCode } from './codes.js';
