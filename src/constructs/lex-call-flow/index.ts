// LexCallFlow: the Amazon Connect flow, bot association and caller id that join an outbound call to a Lex V2 bot.
export { LexCallFlow, PhoneNumberType } from './lex-call-flow';
export type { IOutboundCallFlow, LexCallFlowProps, LexCallFlowBaseProps, LexCallFlowFromJsonProps, PhoneNumberClaim } from './lex-call-flow';
export type { VoiceInputTiming } from './voice-timing';
