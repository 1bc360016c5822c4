export { CARTPOLE, CartPole, type CartPoleOptions, type CartPoleStep } from './env.ts';
