// The Atlas Engine bot's language model: intents, sample utterances, slots and the answers the cache starts from.
// Kept as data so the stack and the tests read the same definition; offline, the Lex stand-in reads the synthesized bot.

export interface SlotDefinition {
  readonly name: string;
  readonly slotTypeName: string;
  readonly prompt: string;
}

export interface IntentDefinition {
  readonly name: string;
  readonly utterances: string[];
  readonly slots?: SlotDefinition[];
  /** Asked once every slot is filled; a "no" ends the intent with the declination. */
  readonly confirmation?: { readonly prompt: string; readonly declination: string };
  /** Served at once on a cache miss (and while Bedrock generates a better one). */
  readonly staticAnswer?: string;
  /** Bedrock prompt for the generated answer. */
  readonly prompt?: string;
  /** Each question gets its own answer (the visitor's words go into the prompt and the cache key). */
  readonly perQuestion?: boolean;
}

export const COMPANY_SLOT_TYPE = 'CompanyName';
/** Companies the CompanyName slot type learns from; what a caller says is kept as said. */
export const COMPANY_NAMES = ['Amazon', 'Acme', 'Globex', 'Initech', 'Umbrella'];

export const INTENTS: IntentDefinition[] = [
  {
    name: 'GreetingIntent',
    utterances: ['hello', 'hi', 'hi there', 'good morning', 'hey atlas', 'hello is anyone there'],
    staticAnswer: 'Hello! I am Atlas. Ask me about our technology, or ask for a live demo call.',
    prompt: 'Greet a visitor of the Atlas Engine demo line in one friendly sentence and offer to explain the technology or arrange a demo call.',
  },
  {
    name: 'AboutTechnologyIntent',
    utterances: [
      'what technology do you use', 'how does it work', 'tell me about the technology', 'what is under the hood', 'which AI do you use',
      'how do you use lex', 'do you use machine learning', 'what runs the phone calls', 'which model writes the answers',
    ],
    staticAnswer: 'Atlas runs on Amazon Lex for conversation, Amazon Bedrock for generated answers and Amazon Connect for calls.',
    prompt: 'You answer questions about the technology of the Atlas Engine, in at most two short sentences. The Atlas Engine '
      + 'uses Amazon Lex for the conversation, Amazon Bedrock for generated answers and Amazon Connect for phone calls. '
      + 'If the question is not about the technology, say what you can help with.',
    perQuestion: true,
  },
  {
    name: 'AboutDemoIntent',
    utterances: ['what is the demo', 'what happens in the demo', 'tell me about the demo', 'how does the demo call work'],
    staticAnswer: 'In the demo, Atlas calls you, plays a scenario written for your company, and answers your questions live.',
    prompt: 'In two sentences, describe the Atlas Engine demo: an outbound call with a scenario generated for the caller\'s company.',
  },
  {
    name: 'RequestDemoIntent',
    utterances: ['i want a demo', 'book a demo', 'call me for a demo', 'i would like a demo call', 'can you call me'],
    slots: [
      { name: 'FirstName', slotTypeName: 'AMAZON.FirstName', prompt: 'Great! What is your first name?' },
      { name: 'LastName', slotTypeName: 'AMAZON.LastName', prompt: 'And your last name?' },
      { name: 'Company', slotTypeName: COMPANY_SLOT_TYPE, prompt: 'Which company are you with?' },
      { name: 'PhoneNumber', slotTypeName: 'AMAZON.PhoneNumber', prompt: 'Which number should we call? Outside the US, start with the country code.' },
    ],
    // Before a phone rings, the caller hears the number back and may say no.
    confirmation: {
      prompt: 'Shall we call {PhoneNumber} for your demo, {FirstName}?',
      declination: "Okay, we won't call. Ask for a demo whenever you like.",
    },
  },
];

/** The product's own names: visitors use them and leave them out alike, so they never change a question. */
export const ATLAS_NAMES = ['Atlas', 'Atlas Engine', 'Amazon'];

/** The fallback intent answers open questions with Bedrock, one answer per question. */
export const FALLBACK_PROMPT = 'You are Atlas, the assistant of the Atlas Engine demo line. Answer the visitor in at most two short '
  + 'sentences. If you cannot answer, say that you can explain the technology or arrange a demo call.';

export const FALLBACK_ANSWER = "Sorry, I didn't catch that. You can ask about our technology, the demo, or ask for a demo call.";
export const DEMO_REQUEST_ANSWER = "Thanks! We're preparing your demo and will call you in a moment.";
