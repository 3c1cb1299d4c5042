// Reads a bot exported from the Lex V2 console (LexJson: the zip, or its files unzipped) into FastLexBot locales.
// Format: "JSON format for importing and exporting bots in Lex V2",
// https://docs.aws.amazon.com/lexv2/latest/dg/import-export-format.html. Whatever the export sets that FastLexBot cannot
// build is named in an error, never dropped.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FALLBACK_INTENT_NAME, FastLexBotError } from './bot-locales';
import type { FastLexConfirmation, FastLexSlot, FastLexSlotType, FastLexVoice } from './props';
import { readZip } from './zip';

/** An intent of the export: everything but the answer, which is added in code. */
export interface ExportedIntent {
  readonly intentName: string;
  readonly utterances: string[];
  readonly description?: string;
  readonly slots?: FastLexSlot[];
  readonly confirmation?: FastLexConfirmation;
}

/** A locale of the export. */
export interface ExportedLocale {
  readonly localeId: string;
  readonly intents: ExportedIntent[];
  readonly slotTypes: FastLexSlotType[];
  readonly nluConfidenceThreshold?: number;
  readonly voice?: FastLexVoice;
}

/** The bot of an export. */
export interface ExportedBot {
  readonly name: string;
  readonly description?: string;
  readonly childDirected: boolean;
  readonly idleSessionTtlInSeconds?: number;
  readonly locales: ExportedLocale[];
}

type Json = Record<string, any>;

const UNSUPPORTED_FIX = 'Remove it in the Lex console and export again, or build this bot with lex.CfnBot and CachedLexFulfillment, which take every Lex setting.';

/** Every file of the export by its path inside the export, from a .zip file or a folder. */
function exportFiles(path: string): Map<string, string> {
  if (!existsSync(path)) throw new FastLexBotError(`FastLexBot.fromLexExport: '${path}' does not exist. Give the .zip the Lex console exported, or the folder it unzips to.`);
  const out = new Map<string, string>();
  if (statSync(path).isDirectory()) {
    const walk = (dir: string) => {
      for (const name of readdirSync(dir).sort()) {
        const full = join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (name.endsWith('.json')) out.set(relative(path, full).split('\\').join('/'), readFileSync(full, 'utf8'));
      }
    };
    walk(path);
  } else {
    for (const [name, data] of readZip(readFileSync(path), path)) if (name.endsWith('.json')) out.set(name, data.toString('utf8'));
  }
  // One order whatever the source (a zip lists entries as written): intents and slot types come out sorted by path.
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function parse(label: string, file: string, text: string): Json {
  try {
    const value = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch { /* reported below */ }
  throw new FastLexBotError(`FastLexBot.fromLexExport: ${label}/${file} is not a JSON object.`);
}

const isEmpty = (v: unknown): boolean => v === null || v === undefined || (Array.isArray(v) && v.length === 0)
  || (typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every(isEmpty));

/** Refuses any key with a value that is neither read (`read`) nor metadata (`ignored`: ids, versions, timestamps). */
function onlyKnown(file: string, obj: Json, read: readonly string[], ignored: readonly string[] = []): void {
  for (const [key, value] of Object.entries(obj)) {
    if (read.includes(key) || ignored.includes(key) || isEmpty(value)) continue;
    const shown = JSON.stringify(value);
    throw new FastLexBotError(`FastLexBot.fromLexExport: ${file} sets '${key}' (${shown.length > 80 ? shown.slice(0, 77) + '...' : shown}), `
      + `which FastLexBot does not support. ${UNSUPPORTED_FIX}`);
  }
}

/** The one plain-text message of a prompt or response (the documented `messageGroupList`, or the API's `messageGroupsList`). */
function plainText(file: string, what: string, spec: Json | undefined): string | undefined {
  if (isEmpty(spec)) return undefined;
  const groups = (spec!.messageGroupsList ?? spec!.messageGroupList) as Json[] | undefined;
  if (!Array.isArray(groups) || groups.length !== 1) {
    throw new FastLexBotError(`FastLexBot.fromLexExport: ${file}: ${what} has ${Array.isArray(groups) ? groups.length : 'no'} message groups; `
      + `FastLexBot writes one plain-text message. ${UNSUPPORTED_FIX}`);
  }
  onlyKnown(`${file} (${what})`, groups[0], ['message']);
  onlyKnown(`${file} (${what} message)`, groups[0].message ?? {}, ['plainTextMessage']);
  const value = groups[0].message?.plainTextMessage?.value;
  if (typeof value !== 'string') throw new FastLexBotError(`FastLexBot.fromLexExport: ${file}: ${what} has no plain-text message. ${UNSUPPORTED_FIX}`);
  return value;
}

function readSlot(file: string, slot: Json): FastLexSlot {
  onlyKnown(file, slot, ['name', 'slotTypeName', 'slotConstraint', 'slotValueElicitationSetting', 'valueElicitationSetting', 'multipleValuesSetting', 'obfuscationSetting'],
    ['identifier', 'description', 'creationDateTime', 'lastUpdatedDateTime']);
  const multiple = slot.multipleValuesSetting ?? {};
  if ((multiple.allowMultipleValues ?? multiple.allowMutlipleValues) === true) {
    throw new FastLexBotError(`FastLexBot.fromLexExport: ${file} allows multiple values, which FastLexBot does not support. ${UNSUPPORTED_FIX}`);
  }
  const obfuscation = slot.obfuscationSetting?.obfuscationSettingType;
  if (obfuscation !== undefined && obfuscation !== null && obfuscation !== 'None') {
    throw new FastLexBotError(`FastLexBot.fromLexExport: ${file} sets obfuscationSetting ${obfuscation}, which FastLexBot does not support. ${UNSUPPORTED_FIX}`);
  }
  const elicitation: Json = slot.valueElicitationSetting ?? slot.slotValueElicitationSetting ?? {};
  onlyKnown(`${file} (value elicitation)`, elicitation, ['promptSpecification', 'slotConstraint']);
  const prompt = elicitation.promptSpecification ?? {};
  onlyKnown(`${file} (prompt)`, prompt, ['messageGroupsList', 'messageGroupList', 'maxRetries', 'allowInterrupt']);
  const text = plainText(file, 'the slot prompt', prompt);
  if (text === undefined) throw new FastLexBotError(`FastLexBot.fromLexExport: ${file} has no prompt; Lex needs one to ask for the slot.`);
  const constraint = slot.slotConstraint ?? elicitation.slotConstraint ?? 'Required';
  return {
    name: slot.name,
    slotTypeName: slot.slotTypeName,
    prompt: text,
    maxRetries: prompt.maxRetries ?? undefined,
    allowInterrupt: prompt.allowInterrupt ?? undefined,
    optional: constraint === 'Optional' ? true : undefined,
  };
}

function readIntent(label: string, dir: string, files: Map<string, string>): ExportedIntent | undefined {
  const file = `${dir}/Intent.json`;
  const intent = parse(label, file, files.get(file)!);
  const read = ['name', 'parentIntentSignature', 'sampleUtterances', 'intentConfirmationSetting', 'slotPriorities', 'fulfillmentCodeHook', 'dialogCodeHook', 'slots'];
  onlyKnown(file, intent, read, ['identifier', 'description', 'version', 'creationDateTime', 'lastUpdatedDateTime']);
  if (intent.dialogCodeHook?.enabled === true) {
    throw new FastLexBotError(`FastLexBot.fromLexExport: ${file} turns the dialog code hook on; FastLexBot answers at fulfillment only. ${UNSUPPORTED_FIX}`);
  }
  onlyKnown(`${file} (fulfillmentCodeHook)`, intent.fulfillmentCodeHook ?? {}, ['enabled', 'active']);
  if (intent.parentIntentSignature === 'AMAZON.FallbackIntent') {
    // FastLexBot adds the fallback intent itself (answered with `fallbackAnswer`); the console's is the same one.
    if (intent.name !== FALLBACK_INTENT_NAME) {
      throw new FastLexBotError(`FastLexBot.fromLexExport: ${file} names the fallback intent '${intent.name}'; FastLexBot names it '${FALLBACK_INTENT_NAME}'. Rename it in the console and export again.`);
    }
    return undefined;
  }
  if (!isEmpty(intent.parentIntentSignature)) {
    throw new FastLexBotError(`FastLexBot.fromLexExport: ${file} is built on ${intent.parentIntentSignature}; FastLexBot builds custom intents only. ${UNSUPPORTED_FIX}`);
  }
  const slotFiles = [...files.keys()].filter((f) => f.startsWith(`${dir}/Slots/`) && f.endsWith('/Slot.json'));
  const inline = Array.isArray(intent.slots) ? intent.slots as Json[] : [];
  const bySlotName = new Map<string, FastLexSlot>();
  for (const f of slotFiles) { const s = readSlot(f, parse(label, f, files.get(f)!)); bySlotName.set(s.name, s); }
  inline.forEach((s, i) => { const slot = readSlot(`${file} (slot ${i})`, s); bySlotName.set(slot.name, slot); });
  const priority = new Map<string, number>((intent.slotPriorities ?? []).map((p: Json) => [p.slotName, p.priority]));
  const slots = [...bySlotName.values()].sort((a, b) => (priority.get(a.name) ?? Infinity) - (priority.get(b.name) ?? Infinity));

  let confirmation: FastLexConfirmation | undefined;
  const c: Json | undefined = intent.intentConfirmationSetting;
  if (!isEmpty(c)) {
    if (c!.active === false) throw new FastLexBotError(`FastLexBot.fromLexExport: ${file} has an inactive confirmation; remove it or make it active in the console.`);
    onlyKnown(`${file} (intentConfirmationSetting)`, c!, ['promptSpecification', 'confirmationPrompt', 'declinationResponse', 'active']);
    const spec: Json = c!.promptSpecification ?? c!.confirmationPrompt ?? {};
    onlyKnown(`${file} (confirmation prompt)`, spec, ['messageGroupsList', 'messageGroupList', 'maxRetries', 'allowInterrupt']);
    const declination = plainText(file, 'the declination response', c!.declinationResponse);
    const prompt = plainText(file, 'the confirmation prompt', spec);
    if (prompt === undefined || declination === undefined) {
      throw new FastLexBotError(`FastLexBot.fromLexExport: ${file}'s confirmation needs a prompt and a declination response. Add both in the console.`);
    }
    confirmation = { prompt, declination, maxRetries: spec.maxRetries ?? undefined };
  }
  return {
    intentName: intent.name,
    description: intent.description ?? undefined,
    utterances: (intent.sampleUtterances ?? []).map((u: Json) => u.utterance),
    slots: slots.length ? slots : undefined,
    confirmation,
  };
}

function readSlotType(file: string, type: Json): FastLexSlotType {
  onlyKnown(file, type, ['name', 'slotTypeValues', 'valueSelectionStrategy', 'valueSelectionSetting'],
    ['identifier', 'description', 'version', 'creationDateTime', 'lastUpdatedDateTime']);
  onlyKnown(`${file} (valueSelectionSetting)`, type.valueSelectionSetting ?? {}, ['resolutionStrategy']);
  const strategy = type.valueSelectionSetting?.resolutionStrategy ?? type.valueSelectionStrategy ?? 'ORIGINAL_VALUE';
  if (strategy !== 'ORIGINAL_VALUE' && strategy !== 'TOP_RESOLUTION') {
    throw new FastLexBotError(`FastLexBot.fromLexExport: ${file} resolves values by ${strategy}; FastLexBot supports ORIGINAL_VALUE and TOP_RESOLUTION. ${UNSUPPORTED_FIX}`);
  }
  return {
    name: type.name,
    description: type.description ?? undefined,
    keepOriginalValue: strategy === 'ORIGINAL_VALUE' ? undefined : false,
    values: (type.slotTypeValues ?? []).map((v: Json) => ({
      value: v.sampleValue?.value,
      ...(Array.isArray(v.synonyms) && v.synonyms.length ? { synonyms: v.synonyms.map((s: Json) => s.value) } : {}),
    })),
  };
}

/** The bot of a Lex V2 export (`.zip` or folder), with what FastLexBot cannot build refused by name. */
export function readLexExport(path: string): ExportedBot {
  const files = exportFiles(path);
  const manifestFile = [...files.keys()].find((f) => f === 'manifest.json' || f.endsWith('/manifest.json'));
  if (manifestFile) {
    const meta = parse(path, manifestFile, files.get(manifestFile)!).metadata ?? {};
    if (meta.fileFormat !== undefined && meta.fileFormat !== 'LexJson') {
      throw new FastLexBotError(`FastLexBot.fromLexExport: ${path} is a ${meta.fileFormat} export; export the bot as LexJson (the console's default).`);
    }
    if (meta.resourceType !== undefined && meta.resourceType !== 'Bot') {
      throw new FastLexBotError(`FastLexBot.fromLexExport: ${path} is a ${meta.resourceType} export; export the whole bot (resource type Bot).`);
    }
  }
  const botFiles = [...files.keys()].filter((f) => f === 'Bot.json' || f.endsWith('/Bot.json'));
  if (botFiles.length !== 1) {
    throw new FastLexBotError(`FastLexBot.fromLexExport: ${path} holds ${botFiles.length} Bot.json files; a Lex V2 bot export holds one (<BotName>/Bot.json).`);
  }
  const root = botFiles[0].slice(0, -'Bot.json'.length);
  const bot = parse(path, botFiles[0], files.get(botFiles[0])!);
  onlyKnown(botFiles[0], bot, ['name', 'description', 'dataPrivacy', 'idleSessionTTLInSeconds'], ['identifier', 'version', 'botType', 'botMembers']);
  if (bot.botType !== undefined && bot.botType !== null && bot.botType !== 'Bot') {
    throw new FastLexBotError(`FastLexBot.fromLexExport: ${botFiles[0]} is a ${bot.botType}; FastLexBot builds a single bot. ${UNSUPPORTED_FIX}`);
  }
  const localeFiles = [...files.keys()].filter((f) => f.startsWith(`${root}BotLocales/`) && f.endsWith('/BotLocale.json'));
  if (localeFiles.length === 0) throw new FastLexBotError(`FastLexBot.fromLexExport: ${path} has no BotLocales/<locale>/BotLocale.json; export a bot with at least one locale.`);
  const locales = localeFiles.map((localeFile): ExportedLocale => {
    const dir = localeFile.slice(0, -'/BotLocale.json'.length);
    const locale = parse(path, localeFile, files.get(localeFile)!);
    onlyKnown(localeFile, locale, ['identifier', 'localeId', 'nluConfidenceThreshold', 'voiceSettings'], ['name', 'version', 'description']);
    onlyKnown(`${localeFile} (voiceSettings)`, locale.voiceSettings ?? {}, ['voiceId', 'engine']);
    for (const f of files.keys()) {
      if (f.startsWith(`${dir}/CustomVocabulary/`)) throw new FastLexBotError(`FastLexBot.fromLexExport: ${f} is a custom vocabulary, which FastLexBot does not support. ${UNSUPPORTED_FIX}`);
    }
    const intentDirs = [...files.keys()].filter((f) => f.startsWith(`${dir}/Intents/`) && /^[^/]+\/Intent\.json$/.test(f.slice(`${dir}/Intents/`.length)))
      .map((f) => f.slice(0, -'/Intent.json'.length));
    const slotTypeFiles = [...files.keys()].filter((f) => f.startsWith(`${dir}/SlotTypes/`) && f.endsWith('/SlotType.json'));
    return {
      localeId: locale.identifier ?? locale.localeId,
      nluConfidenceThreshold: locale.nluConfidenceThreshold ?? undefined,
      voice: locale.voiceSettings?.voiceId ? { voiceId: locale.voiceSettings.voiceId, engine: locale.voiceSettings.engine ?? undefined } : undefined,
      intents: intentDirs.map((d) => readIntent(path, d, files)).filter((i): i is ExportedIntent => i !== undefined),
      slotTypes: slotTypeFiles.map((f) => readSlotType(f, parse(path, f, files.get(f)!))),
    };
  });
  return {
    name: bot.name,
    description: bot.description ?? undefined,
    childDirected: bot.dataPrivacy?.childDirected === true,
    idleSessionTtlInSeconds: bot.idleSessionTTLInSeconds ?? undefined,
    locales,
  };
}
