/**
 * The tutorial's custom neuron `ALIFModNeuron` (see `src/examples/alif_mod_neuron.ts`, also exported
 * from the package entry). `alif_mod_neuron.scfg` beside this file is the same neuron written as a
 * Spark `.scfg` (regenerate with `pnpm --filter @spark-snn/config gen:examples`).
 */
export { alifModNeuronConfig, alifModNeuronDocument, registerAlifModNeuron } from '../src/index.ts';
