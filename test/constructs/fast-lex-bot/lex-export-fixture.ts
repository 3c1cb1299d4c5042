// A bot exported from the Lex V2 console, written for the tests from the documented export format
// (https://docs.aws.amazon.com/lexv2/latest/dg/import-export-format.html): manifest.json, <Bot>/Bot.json,
// BotLocales/<locale>/BotLocale.json, Intents/<intent>/Intent.json with Slots/<slot>/Slot.json, SlotTypes/<type>/SlotType.json.
// The files use the page's key names (messageGroupList, confirmationPrompt, slotValueElicitationSetting,
// valueSelectionStrategy, idleSessionTTLInSeconds), nulls included, as the console writes them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

const message = (value: string) => ({ messageGroupList: [{ message: { plainTextMessage: { value }, ssmlMessage: null, customPayload: null, imageResponseCard: null }, variations: null }] });

function slot(name: string, slotTypeName: string, prompt: string, maxRetries = 2) {
  return {
    name, identifier: `S${name.toUpperCase().slice(0, 9)}`, description: null, multipleValuesSetting: { allowMutlipleValues: false }, slotTypeName,
    obfuscationSetting: null, slotConstraint: 'Required', defaultValueSpec: null,
    slotValueElicitationSetting: { promptSpecification: { ...message(prompt), maxRetries }, sampleValueElicitingUtterances: null, waitAndContinueSpecification: null },
  };
}

function intent(name: string, utterances: string[], extra: Record<string, unknown> = {}) {
  return {
    name, identifier: `I${name.toUpperCase().slice(0, 9)}`, description: null, parentIntentSignature: null,
    sampleUtterances: utterances.map((utterance) => ({ utterance })),
    intentConfirmationSetting: null, intentClosingSetting: null, inputContexts: null, outputContexts: null, kendraConfiguration: null,
    dialogCodeHook: null, fulfillmentCodeHook: null, slotPriorities: [], ...extra,
  };
}

/** The export's files by path: a pizza bot with three intents, two custom slot types, a confirmation and the fallback. */
export function pizzaBotExport(change: (files: Record<string, any>) => void = () => {}): Record<string, any> {
  const root = 'PizzaBot';
  const locale = `${root}/BotLocales/en_US`;
  const files: Record<string, any> = {
    'manifest.json': { metadata: { schemaVersion: '1.0', fileFormat: 'LexJson', resourceType: 'Bot' } },
    [`${root}/Bot.json`]: { name: 'PizzaBot', identifier: 'PIZZABOT01', version: 'DRAFT', description: 'Orders pizza', dataPrivacy: { childDirected: false }, idleSessionTTLInSeconds: 600 },
    [`${locale}/BotLocale.json`]: { name: 'English (US)', identifier: 'en_US', version: null, description: null, voiceSettings: { voiceId: 'Ivy' }, nluConfidenceThreshold: 0.5 },
    [`${locale}/Intents/GreetingIntent/Intent.json`]: intent('GreetingIntent', ['hello', 'hi there']),
    [`${locale}/Intents/OpeningHoursIntent/Intent.json`]: intent('OpeningHoursIntent', ['when are you open', 'what are your opening hours']),
    [`${locale}/Intents/OrderPizzaIntent/Intent.json`]: intent('OrderPizzaIntent', ['i want a pizza', 'order a {Size} pizza', 'a {Crust} crust pizza please'], {
      intentConfirmationSetting: {
        confirmationPrompt: { ...message('A {Size} pizza with {Crust} crust, is that right?'), maxRetries: 1 },
        declinationResponse: message('Okay, I have cancelled the order.'),
      },
      slotPriorities: [{ slotName: 'Crust', priority: 2 }, { slotName: 'Size', priority: 1 }],
    }),
    [`${locale}/Intents/OrderPizzaIntent/Slots/Size/Slot.json`]: slot('Size', 'PizzaSize', 'What size: small, medium or large?'),
    [`${locale}/Intents/OrderPizzaIntent/Slots/Crust/Slot.json`]: slot('Crust', 'CrustType', 'Thin or thick crust?', 1),
    [`${locale}/Intents/FallbackIntent/Intent.json`]: { ...intent('FallbackIntent', []), parentIntentSignature: 'AMAZON.FallbackIntent' },
    [`${locale}/SlotTypes/PizzaSize/SlotType.json`]: {
      name: 'PizzaSize', identifier: 'TPIZZASIZE', description: 'Sizes we bake', parentSlotTypeSignature: null, slotTypeConfiguration: null,
      slotTypeValues: [{ sampleValue: { value: 'small' }, synonyms: null }, { sampleValue: { value: 'medium' }, synonyms: [{ value: 'regular' }] }, { sampleValue: { value: 'large' }, synonyms: null }],
      valueSelectionStrategy: 'TOP_RESOLUTION',
    },
    [`${locale}/SlotTypes/CrustType/SlotType.json`]: {
      name: 'CrustType', identifier: 'TCRUSTTYPE', description: null, parentSlotTypeSignature: null, slotTypeConfiguration: null,
      slotTypeValues: [{ sampleValue: { value: 'thin' }, synonyms: null }, { sampleValue: { value: 'thick' }, synonyms: [{ value: 'deep dish' }] }],
      valueSelectionStrategy: 'TOP_RESOLUTION',
    },
  };
  change(files);
  return files;
}

/** Writes the export's files under `dir`, as unzipping the console's download does. */
export function writeExportFolder(dir: string, files: Record<string, any>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), JSON.stringify(content, null, 2));
  }
  return dir;
}

/** Writes the export as a .zip (deflated entries, PKWARE APPNOTE layout), as the console's download is. */
export function writeExportZip(file: string, files: Record<string, any>): string {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [path, content] of Object.entries(files)) {
    const data = Buffer.from(JSON.stringify(content));
    const packed = deflateRawSync(data);
    const name = Buffer.from(path);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14); local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16); central.writeUInt32LE(packed.length, 20); central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(Object.keys(files).length, 8); end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12); end.writeUInt32LE(offset, 16);
  writeFileSync(file, Buffer.concat([...locals, directory, end]));
  return file;
}
