// Where the intents configuration travels when it is too big for Lambda's 4 KB environment: a JSON file in a Lambda
// layer that CachedLexFulfillment writes at synth and the runtime reads once at init.

/** Environment variable: path of the JSON file holding the intents configuration (`IntentCacheConfigs`). */
export const FAST_LEX_INTENTS_FILE_ENV = 'FAST_LEX_INTENTS_FILE';

/** The file's directory inside the configuration layer; Lambda extracts layers under `/opt`. */
export const CONFIG_LAYER_DIRECTORY = 'fast-lex';

/** The file's name in that directory. */
export const INTENTS_FILE_NAME = 'intents.json';

/** The file's path in the function's filesystem. */
export const CONFIG_LAYER_INTENTS_PATH = `/opt/${CONFIG_LAYER_DIRECTORY}/${INTENTS_FILE_NAME}`;
