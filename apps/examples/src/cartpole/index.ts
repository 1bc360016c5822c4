export {
  AB_BRAIN_INPUT_SHAPES,
  AB_BRAIN_SPIKE_PORTS,
  type AgentOptions,
  CartPoleAgent,
  type EpisodeResult,
  loadAbBrain,
  type Modulation,
  processObservation,
  punishment,
  type StepView,
  summarise,
  type TrainingSummary,
  TUTORIAL,
} from './agent.ts';
export { CARTPOLE, CartPole, type CartPoleOptions, type CartPoleStep } from './env.ts';
