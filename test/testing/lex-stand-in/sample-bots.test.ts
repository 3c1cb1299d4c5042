// Two bots AWS documents together with a sample conversation, re-typed as CfnBot in a CDK app, synthesized and played
// through the offline runtime with the real LexRuntimeV2Client: the documented turns, then variations (a slot given up
// front, a "no" at the confirmation, an invalid then a valid value). Each test names the page it follows.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecognizeTextCommand, type LexRuntimeV2Client, type RecognizeTextCommandOutput } from '@aws-sdk/client-lex-runtime-v2';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lex from 'aws-cdk-lib/aws-lex';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLexStandIn, type LexStandIn } from '../../../src/testing/lex-stand-in';
import { lexClient } from './bots';

const say = (value: string) => ({ message: { plainTextMessage: { value } } });
const prompt = (value: string) => ({ maxRetries: 2, messageGroupsList: [say(value)] });
const required = (name: string, slotTypeName: string, question: string) => ({ name, slotTypeName, valueElicitationSetting: { slotConstraint: 'Required', promptSpecification: prompt(question) } });
const fallback = { name: 'FallbackIntent', parentIntentSignature: 'AMAZON.FallbackIntent', intentClosingSetting: { closingResponse: { messageGroupsList: [say("I didn't understand you, what would you like to do?")] } } };
// The day the documented OrderFlowers conversation ran: its "next monday" is 2021-01-04.
const DOC_DAY = Date.UTC(2020, 11, 30, 12);

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'lex-sample-bots-'));
  // BookTrip's code hook, as the exercise's Lambda blueprint uses it: the hotel booking is kept in a session attribute
  // and the car rental starts from it (cross-intent information sharing); fulfillment confirms the booking.
  writeFileSync(join(work, 'index.js'), `exports.handler = async (event) => {
    const intent = event.sessionState.intent;
    const attrs = { ...(event.sessionState.sessionAttributes || {}) };
    const v = (name) => intent.slots[name] && intent.slots[name].value.interpretedValue;
    if (event.invocationSource === 'DialogCodeHook') {
      if (intent.name === 'BookCar' && !intent.slots.PickUpCity && attrs.lastConfirmedReservation) {
        const city = JSON.parse(attrs.lastConfirmedReservation).Location;
        intent.slots.PickUpCity = { value: { originalValue: city, interpretedValue: city, resolvedValues: [city] } };
      }
      return { sessionState: { sessionAttributes: attrs, dialogAction: { type: 'Delegate' }, intent } };
    }
    if (intent.name === 'BookHotel') attrs.lastConfirmedReservation = JSON.stringify({ Location: v('Location'), CheckInDate: v('CheckInDate'), Nights: v('Nights'), RoomType: v('RoomType') });
    const summary = Object.keys(intent.slots).sort().map((k) => k + ':' + v(k)).join(' ');
    return { sessionState: { sessionAttributes: attrs, dialogAction: { type: 'Close' }, intent: { ...intent, state: 'Fulfilled' } }, messages: [{ contentType: 'PlainText', content: summary }] };
  };`);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Synthesizes a one-bot app and starts the offline runtime on it. */
async function play(botLocale: lex.CfnBot.BotLocaleProperty, withCodeHook: boolean): Promise<{ lex: LexStandIn; send: (text: string, sessionId?: string) => Promise<RecognizeTextCommandOutput>; client: LexRuntimeV2Client }> {
  const app = new App({ outdir: mkdtempSync(join(work, 'cdk.out-')) });
  const stack = new Stack(app, 'Samples', { env: { account: '111122223333', region: 'us-east-1' } });
  const bot = new lex.CfnBot(stack, 'Bot', { name: 'Sample', roleArn: 'arn:aws:iam::111122223333:role/lex', dataPrivacy: { ChildDirected: false }, idleSessionTtlInSeconds: 600, botLocales: [botLocale] });
  let codeHookSpecification: lex.CfnBotAlias.CodeHookSpecificationProperty | undefined;
  if (withCodeHook) {
    const fn = new lambda.Function(stack, 'Hook', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(work, { exclude: ['cdk.out-*'] }) });
    const live = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    codeHookSpecification = { lambdaCodeHook: { lambdaArn: live.functionArn, codeHookInterfaceVersion: '1.0' } };
  }
  new lex.CfnBotAlias(stack, 'Alias', { botId: bot.attrId, botAliasName: 'live', botAliasLocaleSettings: [{ localeId: 'en_US', botAliasLocaleSetting: { enabled: true, codeHookSpecification } }] });
  const standIn = await startLexStandIn({ assembly: app.synth().directory, nodeModulesFrom: process.cwd(), clock: () => DOC_DAY, random: () => 0 });
  const client = lexClient(standIn.endpoint);
  const ids = { botId: standIn.botId, botAliasId: standIn.botAliasId, localeId: 'en_US' };
  return { lex: standIn, client, send: (text, sessionId = 'sample-1') => client.send(new RecognizeTextCommand({ ...ids, sessionId, text })) };
}

const answer = (out: RecognizeTextCommandOutput) => (out.messages ?? []).map((m) => m.content).join(' ');
let running: Awaited<ReturnType<typeof play>> | undefined;
afterEach(async () => { running?.client.destroy(); await running?.lex.close(); running = undefined; });

/**
 * OrderFlowers, the example bot of the Lex V2 developer guide: "Exercise 1: Create a bot from an example" and
 * "Exercise 2: Review the conversation flow" (docs.aws.amazon.com/lexv2/latest/dg/exercise-2.html); its prompts and
 * declination as the OrderFlowers.json of the guide gives them. FlowerTypes expands its values (ORIGINAL_VALUE), as
 * the conversation's "dozen roses" with no resolved values shows.
 */
const ORDER_FLOWERS: lex.CfnBot.BotLocaleProperty = {
  localeId: 'en_US',
  nluConfidenceThreshold: 0.4,
  slotTypes: [{ name: 'FlowerTypes', valueSelectionSetting: { resolutionStrategy: 'ORIGINAL_VALUE' }, slotTypeValues: [{ sampleValue: { value: 'lilies' } }, { sampleValue: { value: 'roses' } }, { sampleValue: { value: 'tulips' } }] }],
  intents: [{
    name: 'OrderFlowers',
    sampleUtterances: [{ utterance: 'I would like to pick up flowers' }, { utterance: 'I would like to order some flowers' }, { utterance: 'I would like to order {FlowerType}' }],
    slots: [
      required('FlowerType', 'FlowerTypes', 'What type of flowers would you like to order?'),
      required('PickupDate', 'AMAZON.Date', 'What day do you want the {FlowerType} to be picked up?'),
      required('PickupTime', 'AMAZON.Time', 'At what time do you want the {FlowerType} to be picked up?'),
    ],
    slotPriorities: [{ priority: 1, slotName: 'FlowerType' }, { priority: 2, slotName: 'PickupDate' }, { priority: 3, slotName: 'PickupTime' }],
    intentConfirmationSetting: {
      promptSpecification: prompt('Okay, your {FlowerType} will be ready for pickup by {PickupTime} on {PickupDate}.  Does this sound okay?'),
      declinationResponse: { messageGroupsList: [say('Okay, I will not place your order.')] },
    },
    intentClosingSetting: { closingResponse: { messageGroupsList: [say('Thanks. ')] } },
  }, fallback],
};

describe('OrderFlowers (lexv2/latest/dg/exercise-2.html)', () => {
  it('plays the documented conversation turn by turn, with the documented slot values and messages', async () => {
    running = await play(ORDER_FLOWERS, false);
    const { send } = running;
    const t1 = await send('I would like to order flowers');
    expect(answer(t1)).toBe('What type of flowers would you like to order?');
    expect(t1.sessionState).toMatchObject({ dialogAction: { type: 'ElicitSlot', slotToElicit: 'FlowerType' }, intent: { name: 'OrderFlowers', state: 'InProgress', confirmationState: 'None', slots: { FlowerType: null, PickupDate: null, PickupTime: null } } });
    expect(t1.interpretations?.map((i) => i.intent?.name)).toEqual(['OrderFlowers', 'FallbackIntent']);
    // The guide's user typed "1 dozen roses" and Lex's NLU kept "dozen roses"; lexical matching cannot drop the "1".
    const t2 = await send('dozen roses');
    expect(t2.sessionState?.intent?.slots?.FlowerType?.value).toEqual({ originalValue: 'dozen roses', interpretedValue: 'dozen roses', resolvedValues: [] });
    expect(answer(t2)).toBe('What day do you want the dozen roses to be picked up?');
    const t3 = await send('next monday');
    expect(t3.sessionState?.intent?.slots?.PickupDate?.value).toEqual({ originalValue: 'next monday', interpretedValue: '2021-01-04', resolvedValues: ['2021-01-04'] });
    const t4 = await send('5 in the evening');
    expect(t4.sessionState?.intent?.slots?.PickupTime?.value).toMatchObject({ interpretedValue: '17:00', resolvedValues: ['17:00'] });
    expect(t4.sessionState?.dialogAction?.type).toBe('ConfirmIntent');
    expect(answer(t4)).toBe('Okay, your dozen roses will be ready for pickup by 17:00 on 2021-01-04.  Does this sound okay?');
    const t5 = await send('yes');
    expect(t5.sessionState).toMatchObject({ dialogAction: { type: 'Close' }, intent: { state: 'Fulfilled', confirmationState: 'Confirmed' } });
    expect(answer(t5)).toBe('Thanks. ');
  });

  it('takes the flower type given up front, re-prompts a time it cannot read, and declines on "no"', async () => {
    running = await play(ORDER_FLOWERS, false);
    const { send } = running;
    const first = await send('I would like to order tulips');
    expect(first.sessionState?.intent?.slots?.FlowerType?.value).toEqual({ originalValue: 'tulips', interpretedValue: 'tulips', resolvedValues: ['tulips'] });
    expect(answer(first)).toBe('What day do you want the tulips to be picked up?');
    await send('tomorrow');
    const retry = await send('purple');
    expect(retry.sessionState?.dialogAction).toMatchObject({ type: 'ElicitSlot', slotToElicit: 'PickupTime' });
    expect(answer(retry)).toBe('At what time do you want the tulips to be picked up?');
    expect(answer(await send('9 am'))).toBe('Okay, your tulips will be ready for pickup by 09:00 on 2020-12-31.  Does this sound okay?');
    const declined = await send('no');
    expect(answer(declined)).toBe('Okay, I will not place your order.');
    expect(declined.sessionState?.intent).toMatchObject({ state: 'Failed', confirmationState: 'Denied' });
  });
});

/**
 * BookTrip, the example of the Lex developer guide ("Example Bot: BookTrip", docs.aws.amazon.com/lex/latest/dg/ex-book-trip.html;
 * its blueprint, prompts and sample utterances in "Step 1: Review the Blueprints", ex-book-trip-blueprints.html; its test
 * conversation in "Step 2: Create an Amazon Lex Bot", ex-book-trip-create-bot.html). Re-typed for Lex V2: AMAZON.US_CITY
 * is AMAZON.City there, AMAZON.DATE and AMAZON.NUMBER are AMAZON.Date and AMAZON.Number.
 */
const BOOK_TRIP: lex.CfnBot.BotLocaleProperty = {
  localeId: 'en_US',
  nluConfidenceThreshold: 0.4,
  slotTypes: [
    { name: 'RoomTypes', valueSelectionSetting: { resolutionStrategy: 'TOP_RESOLUTION' }, slotTypeValues: ['king', 'queen', 'deluxe'].map((value) => ({ sampleValue: { value } })) },
    { name: 'CarTypes', valueSelectionSetting: { resolutionStrategy: 'TOP_RESOLUTION' }, slotTypeValues: ['economy', 'standard', 'midsize', 'full size', 'luxury', 'minivan'].map((value) => ({ sampleValue: { value } })) },
  ],
  intents: [{
    name: 'BookHotel',
    // The blueprint's "Book a {Nights} stay in {Location}" gains "night": the offline matcher is lexical, and "3 night"
    // is no AMAZON.Number value.
    sampleUtterances: [{ utterance: 'Book a hotel' }, { utterance: 'I want to make hotel reservations' }, { utterance: 'Book a {Nights} night stay in {Location}' }],
    dialogCodeHook: { enabled: true },
    fulfillmentCodeHook: { enabled: true },
    slots: [
      required('Location', 'AMAZON.City', 'What city will you be staying in?'),
      required('CheckInDate', 'AMAZON.Date', 'What day do you want to check in?'),
      required('Nights', 'AMAZON.Number', 'How many nights will you be staying?'),
      required('RoomType', 'RoomTypes', 'What type of room would you like, queen, king, or deluxe?'),
    ],
    slotPriorities: [{ priority: 1, slotName: 'Location' }, { priority: 2, slotName: 'CheckInDate' }, { priority: 3, slotName: 'Nights' }, { priority: 4, slotName: 'RoomType' }],
    intentConfirmationSetting: {
      promptSpecification: prompt('Okay, I have you down for a {Nights} night stay in {Location} starting {CheckInDate}. Shall I book the reservation?'),
      declinationResponse: { messageGroupsList: [say('Okay, I have cancelled your reservation in progress.')] },
    },
  }, {
    name: 'BookCar',
    sampleUtterances: [{ utterance: 'Book a car' }, { utterance: 'Reserve a car' }, { utterance: 'Make a car reservation' }],
    dialogCodeHook: { enabled: true },
    fulfillmentCodeHook: { enabled: true },
    slots: [
      required('PickUpCity', 'AMAZON.City', 'In what city do you need to rent a car?'),
      required('PickUpDate', 'AMAZON.Date', 'What day do you want to start your rental?'),
      required('ReturnDate', 'AMAZON.Date', 'What day do you want to return this car?'),
      required('DriverAge', 'AMAZON.Number', 'How old is the driver for this rental?'),
      required('CarType', 'CarTypes', 'What type of car would you like to rent? Our most popular options are economy, midsize, and luxury'),
    ],
    slotPriorities: ['PickUpCity', 'PickUpDate', 'ReturnDate', 'DriverAge', 'CarType'].map((slotName, i) => ({ priority: i + 1, slotName })),
    intentConfirmationSetting: {
      promptSpecification: prompt('Okay, I have you down for a {CarType} rental in {PickUpCity} from {PickUpDate} to {ReturnDate}. Should I book the reservation?'),
      declinationResponse: { messageGroupsList: [say('Okay, I have cancelled your reservation in progress.')] },
    },
  }, fallback],
};

describe('BookTrip (lex/latest/dg/ex-book-trip.html)', () => {
  it('books the hotel of the documented test conversation, and the car rental starts from the hotel city the code hook kept', async () => {
    running = await play(BOOK_TRIP, true);
    const { send } = running;
    expect(answer(await send('Book a hotel'))).toBe('What city will you be staying in?');
    expect(answer(await send('Chicago'))).toBe('What day do you want to check in?');
    expect(answer(await send('December 18th'))).toBe('How many nights will you be staying?');
    expect(answer(await send('5'))).toBe('What type of room would you like, queen, king, or deluxe?');
    expect(answer(await send('queen'))).toBe('Okay, I have you down for a 5 night stay in Chicago starting 2021-12-18. Shall I book the reservation?');
    // The page's summary of the booked slots, here written by the fulfillment code hook.
    const booked = await send('yes');
    expect(answer(booked)).toBe('CheckInDate:2021-12-18 Location:Chicago Nights:5 RoomType:queen');
    expect(JSON.parse(booked.sessionState?.sessionAttributes?.lastConfirmedReservation ?? '{}')).toMatchObject({ Location: 'Chicago' });

    const car = await send('Book a car');
    expect(car.sessionState?.intent?.slots?.PickUpCity?.value?.interpretedValue).toBe('Chicago');
    expect(answer(car)).toBe('What day do you want to start your rental?');
  });

  it('takes the nights and the city given up front, re-prompts a city it does not know, and cancels on "no"', async () => {
    running = await play(BOOK_TRIP, true);
    const { send } = running;
    const first = await send('Book a 3 night stay in Seattle');
    expect(first.sessionState?.intent?.slots).toMatchObject({ Nights: { value: { interpretedValue: '3' } }, Location: { value: { interpretedValue: 'Seattle' } } });
    expect(answer(first)).toBe('What day do you want to check in?');
    await send('friday');
    const retry = await send('a big one');
    expect(answer(retry)).toBe('What type of room would you like, queen, king, or deluxe?');
    expect(retry.sessionState?.dialogAction).toMatchObject({ type: 'ElicitSlot', slotToElicit: 'RoomType' });
    expect(answer(await send('king'))).toBe('Okay, I have you down for a 3 night stay in Seattle starting 2021-01-01. Shall I book the reservation?');
    const declined = await send('no');
    expect(answer(declined)).toBe('Okay, I have cancelled your reservation in progress.');
    expect(declined.sessionState?.intent).toMatchObject({ name: 'BookHotel', state: 'Failed', confirmationState: 'Denied' });
    expect(declined.sessionState?.sessionAttributes).toEqual({});
  });

  it('re-prompts a pickup city the gazetteer does not know, then takes a real one', async () => {
    running = await play(BOOK_TRIP, true);
    const { send } = running;
    await send('Reserve a car');
    const retry = await send('Gotham');
    expect(answer(retry)).toBe('In what city do you need to rent a car?');
    expect(answer(await send('Denver'))).toBe('What day do you want to start your rental?');
  });
});
