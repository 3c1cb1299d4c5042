// FastLexBot: a Lex V2 bot and its answers from one definition, written in code or exported from the Lex console.
export { FastLexBot } from './fast-lex-bot';
export type { FastLexBotFromExportProps, FastLexExportWorkflow } from './fast-lex-bot';
export type {
  FastLexBotProps, FastLexConfirmation, FastLexFulfillmentOptions, FastLexIntent, FastLexLocale, FastLexSlot, FastLexSlotType,
  FastLexSlotValue, FastLexVoice, FastLexWorkflowStart,
} from './props';
