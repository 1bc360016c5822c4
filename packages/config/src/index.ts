/**
 * `@spark-snn/config`: zod schemas of every Spark module config and of BrainConfig, the module
 * registry, whole-brain validation, `.scfg` / `.sge` files and JSON Schema export.
 *
 * @module
 */
export {
  createBrainConfig,
  getModuleSpec,
  listModules,
  type ModuleSpecsInit,
  moduleJsonSchema,
  moduleSpecs,
  type ParseResult,
  parseModuleConfig,
  portMap,
  registerModule,
  registerNeuronFromConfig,
  registerNeuronFromConfigFile,
  withOverrides,
} from './api.ts';
export {
  BRAIN_FIELDS,
  BUILTIN_DEFINITIONS,
  DEFAULT_FIELDS,
  INITIALIZER_DTYPES,
  initializerDefault,
  MODULE_DTYPES,
  NEURON_FIELDS,
  randomSeed,
} from './builtins/index.ts';
export {
  type DecodeContext,
  decodeBody,
  decodeField,
  decodeModuleSpecs,
  decodePortMap,
  decodePortSpecs,
  encodeBody,
  encodeModuleSpecs,
  encodePortMap,
  encodePortSpecs,
  fillDefaults,
  suggest,
  unknownModuleHint,
} from './codec.ts';
export { generateModulesMarkdown } from './docs.ts';
export {
  alifModNeuronConfig,
  alifModNeuronDocument,
  registerAlifModNeuron,
} from './examples/alif_mod_neuron.ts';
export {
  acceptsText,
  arrayField,
  boolField,
  checkFieldValue,
  type EditorHint,
  type FieldKind,
  type FieldOptions,
  type FieldSpec,
  floatField,
  floatTupleField,
  intField,
  isNumberList,
  isSparkArray,
  isTypedConfig,
  paramField,
  shapeField,
  VALIDATOR_TEXT,
  type Validator,
} from './fields.ts';
export {
  type JsonLimits,
  PyFloat,
  pyFloatRepr,
  pyJsonDumps,
  type SafeJsonResult,
  safeJsonParse,
} from './json.ts';
export { applyOverrides, CONFIG_DELIMITER, type OverrideResult, SHARED_PREFIX } from './paths.ts';
export {
  createRegistry,
  defaultRegistry,
  derivePorts,
  type ModuleDefinition,
  type ModuleKind,
  type ModuleSpec,
  moduleSpecsSchema,
  normalizeName,
  type PortDef,
  type PortSignature,
  portMapSchema,
  portSpecsSchema,
  type Registry,
} from './registry.ts';
export {
  checkResources,
  DEFAULT_MEMORY_FRACTION,
  defaultMemoryBudget,
  estimateResources,
  FALLBACK_MEMORY_BUDGET,
  formatBytes,
  MAX_BUFFER_ELEMENTS,
  type ModuleResources,
  type ResourceBackend,
  type ResourceEstimate,
  type ResourceOptions,
  SYNAPSE_ARRAYS,
  UNIT_ARRAYS,
} from './resources.ts';
export {
  type ConfigDocument,
  decodeFileText,
  documentFromJson,
  documentToJson,
  FORMAT_NAME,
  FORMAT_VERSION,
  PROVENANCE_KEY,
  type ReadOptions,
  type ReadResult,
  readScfg,
  readSession,
  type Session,
  scfgText,
  validateDocument,
  type WriteOptions,
  writeScfg,
  writeSession,
} from './scfg.ts';
export {
  type Behaviour,
  type ConcretePayloadType,
  type ConfigBody,
  type ConfigIssue,
  hasErrors,
  type IssueCode,
  type IssueSeverity,
  type JsonObject,
  type JsonValue,
  type ModuleSpecs,
  type NumberList,
  PAYLOAD_REGISTRY_NAMES,
  type PayloadType,
  type PortMap,
  type PortSpecs,
  type Provenance,
  payloadFromRegistryName,
  type SparkArray,
  type Subregistry,
  type TypedConfigValue,
} from './types.ts';
export {
  drivesItself,
  hasRecurrentContract,
  portsOf,
  type ValidateOptions,
  validateConfigBody,
} from './validate.ts';
export { isUnsafeName } from './validate-context.ts';
export {
  FLOAT32_MAX,
  INT32_MAX,
  modulePrecisions,
  type Precision,
  precisionOf,
  SEED_MAX,
} from './validate-fields.ts';
export {
  crc32,
  crc64,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  isXz,
  type XzCompressOptions,
  type XzDecompressOptions,
  XzError,
  xzCompress,
  xzDecompress,
} from './xz.ts';
