export { NEAREST_STDP, QUADRATIC_SOMA, RATE_ENCODER } from './definitions.ts';
export { type CustomSetup, customBrain, registerCustomModules } from './network.ts';
