// Checks a code hook's answer against the Lex V2 response format, so tests catch what Lex would reject at run time.
// Each rule names where it is written: the Lex V2 developer guide ("Response format", in "Lambda functions"), the
// Lex V2 runtime API reference (data types "SessionState", "DialogAction", "Intent", "Slot", "Value", "Message",
// "ImageResponseCard", "Button") and the Amazon Lex quotas.

const DIALOG_ACTIONS = new Set(['Close', 'ConfirmIntent', 'Delegate', 'ElicitIntent', 'ElicitSlot']);
const INTENT_STATES = new Set(['Failed', 'Fulfilled', 'FulfillmentInProgress', 'InProgress', 'ReadyForFulfillment', 'Waiting']);
const CONFIRMATION_STATES = new Set(['Confirmed', 'Denied', 'None']);
const CONTENT_TYPES = new Set(['PlainText', 'SSML', 'CustomPayload', 'ImageResponseCard']);

/** Runtime API reference, "Message": `content` 1-1,024 characters. */
const MESSAGE_MAX_CHARS = 1024;
/** Runtime API reference, "RecognizeText" response: `messages` holds at most 10 items. */
const MAX_MESSAGES = 10;
/** Runtime API reference, "ImageResponseCard": title, subtitle and imageUrl 1-250 characters, 0-5 buttons. */
const CARD = { textMax: 250, maxButtons: 5 } as const;
/** Runtime API reference, "Button": text and value 1-50 characters. */
const BUTTON_MAX_CHARS = 50;
/** Runtime API reference, "DialogAction": `slotToElicit` 1-100 characters. */
const SLOT_NAME_MAX_CHARS = 100;
/**
 * Amazon Lex quotas: a Lambda function's output is at most 25 KB, of which 12 KB may be session attributes. The
 * figures are those the Lex quotas page gives for Lambda output; they are assumed to hold for V2 code hooks.
 */
const RESPONSE_MAX_BYTES = 25 * 1024;
const SESSION_ATTRIBUTES_MAX_BYTES = 12 * 1024;

/**
 * The ways a Lambda response breaks the Lex V2 response format: an empty list means Lex accepts it. Checks the
 * dialog action and what each action needs, the intent (state, confirmation state, slots), the session attributes
 * (strings, size) and the messages (content type, length, count, response cards), and the response's size.
 */
export function lexResponseProblems(response: unknown): string[] {
  if (response === null || typeof response !== 'object' || Array.isArray(response)) return ['response must be an object'];
  const r = response as Record<string, any>;
  const state = r.sessionState;
  if (!state || typeof state !== 'object' || Array.isArray(state)) return ['sessionState is required (Response format)'];
  const problems: string[] = [];
  const type = state.dialogAction?.type;
  const intent = state.intent;

  // Response format: every response has a dialog action; Close, ConfirmIntent and ElicitSlot act on an intent,
  // Delegate may leave it out (Lex then carries on with the current one).
  if (!DIALOG_ACTIONS.has(type)) problems.push(`sessionState.dialogAction.type must be one of ${[...DIALOG_ACTIONS].join(', ')}, got ${JSON.stringify(type)} (DialogAction)`);
  if ((type === 'Close' || type === 'ConfirmIntent' || type === 'ElicitSlot') && !(intent && typeof intent.name === 'string' && intent.name !== '')) {
    problems.push(`dialogAction ${type} needs sessionState.intent with a name (Response format)`);
  }
  if (intent !== undefined && intent !== null) problems.push(...intentProblems(intent));
  if (type === 'Close' && intent && !['Fulfilled', 'Failed', 'InProgress'].includes(intent.state)) {
    problems.push('Close needs sessionState.intent.state Fulfilled, Failed or InProgress (Response format)');
  }
  // Response format, Session state > intent: "state – Required. The state can only be ReadyForFulfillment if
  // dialogAction.type is Delegate." Lex fills in a missing state only where it carries on itself (Delegate).
  if ((type === 'ConfirmIntent' || type === 'ElicitSlot' || type === 'ElicitIntent') && intent && typeof intent === 'object' && intent.state === undefined) {
    problems.push(`dialogAction ${type} needs sessionState.intent.state (Response format: state is required)`);
  }
  if (intent && typeof intent === 'object' && intent.state === 'ReadyForFulfillment' && type !== 'Delegate') {
    problems.push(`sessionState.intent.state ReadyForFulfillment is allowed only with dialogAction Delegate, not ${type} (Response format)`);
  }
  if (type === 'ElicitSlot') {
    const slot = state.dialogAction.slotToElicit;
    if (typeof slot !== 'string' || slot === '' || slot.length > SLOT_NAME_MAX_CHARS) {
      problems.push(`ElicitSlot needs dialogAction.slotToElicit, a slot name of 1 to ${SLOT_NAME_MAX_CHARS} characters (DialogAction)`);
    } else if (intent?.slots && typeof intent.slots === 'object' && !(slot in intent.slots)) {
      problems.push(`ElicitSlot names slot '${slot}', which sessionState.intent.slots does not have (Response format)`);
    }
  }
  // Response format: ConfirmIntent asks the user a yes/no question, ElicitIntent asks what they want next; without a
  // message the user hears nothing (ConfirmIntent falls back to the intent's confirmation prompt only if it has one).
  const hasMessages = Array.isArray(r.messages) && r.messages.length > 0;
  if (type === 'ElicitIntent' && !hasMessages) problems.push('ElicitIntent needs a message, or the user hears nothing (Response format)');
  if (type === 'ConfirmIntent' && !hasMessages) problems.push('ConfirmIntent needs a message that asks the user to confirm (Response format)');

  problems.push(...sessionAttributeProblems(state.sessionAttributes));
  if (r.messages !== undefined && r.messages !== null) problems.push(...messageProblems(r.messages));

  const bytes = Buffer.byteLength(JSON.stringify(response));
  if (bytes > RESPONSE_MAX_BYTES) problems.push(`the response is ${bytes} bytes; Lex accepts at most ${RESPONSE_MAX_BYTES} from a code hook (quotas)`);
  return problems;
}

function intentProblems(intent: any): string[] {
  const problems: string[] = [];
  if (typeof intent !== 'object' || Array.isArray(intent)) return ['sessionState.intent must be an object (Intent)'];
  if (intent.state !== undefined && !INTENT_STATES.has(intent.state)) {
    problems.push(`sessionState.intent.state ${JSON.stringify(intent.state)} is not a Lex intent state (Intent)`);
  }
  if (intent.confirmationState !== undefined && !CONFIRMATION_STATES.has(intent.confirmationState)) {
    problems.push(`sessionState.intent.confirmationState ${JSON.stringify(intent.confirmationState)} must be Confirmed, Denied or None (Intent)`);
  }
  if (intent.slots !== undefined && intent.slots !== null) {
    if (typeof intent.slots !== 'object' || Array.isArray(intent.slots)) {
      problems.push('sessionState.intent.slots must be an object of slot name to slot (Intent)');
    } else {
      for (const [name, slot] of Object.entries(intent.slots)) problems.push(...slotProblems(`sessionState.intent.slots.${name}`, slot));
    }
  }
  return problems;
}

/** Slot and Value: a slot is null (empty), a value with a non-empty interpretedValue, or a list of such slots. */
function slotProblems(where: string, slot: any): string[] {
  if (slot === null) return [];
  if (typeof slot !== 'object' || Array.isArray(slot)) return [`${where} must be an object or null (Slot)`];
  if (Array.isArray(slot.values)) return slot.values.flatMap((v: unknown, i: number) => slotProblems(`${where}.values[${i}]`, v));
  if (slot.value === undefined) return slot.subSlots ? [] : [`${where} needs a value, values or subSlots, or null for an empty slot (Slot)`];
  const v = slot.value?.interpretedValue;
  return typeof v === 'string' && v !== '' ? [] : [`${where}.value.interpretedValue must be a non-empty string (Value)`];
}

/** SessionState: a map of strings; quotas: at most 12 KB of them in a code hook's output. `null` counts as none. */
function sessionAttributeProblems(attributes: unknown): string[] {
  if (attributes === undefined || attributes === null) return [];
  if (typeof attributes !== 'object' || Array.isArray(attributes)) return ['sessionState.sessionAttributes must be an object (SessionState)'];
  const problems = Object.entries(attributes)
    .filter(([, v]) => typeof v !== 'string')
    .map(([k]) => `sessionState.sessionAttributes.${k} must be a string (SessionState)`);
  const bytes = Buffer.byteLength(JSON.stringify(attributes));
  if (bytes > SESSION_ATTRIBUTES_MAX_BYTES) problems.push(`sessionState.sessionAttributes are ${bytes} bytes; at most ${SESSION_ATTRIBUTES_MAX_BYTES} (quotas)`);
  return problems;
}

function messageProblems(messages: unknown): string[] {
  if (!Array.isArray(messages)) return ['messages must be an array (Response format)'];
  const problems: string[] = [];
  if (messages.length > MAX_MESSAGES) problems.push(`messages may hold at most ${MAX_MESSAGES} messages, got ${messages.length} (RecognizeText)`);
  messages.forEach((m: any, i: number) => {
    const where = `messages[${i}]`;
    if (!CONTENT_TYPES.has(m?.contentType)) {
      problems.push(`${where}.contentType ${JSON.stringify(m?.contentType)} is not a Lex content type (Message)`);
    } else if (m.contentType === 'ImageResponseCard') {
      problems.push(...cardProblems(`${where}.imageResponseCard`, m.imageResponseCard));
    } else if (typeof m.content !== 'string' || m.content.length === 0 || m.content.length > MESSAGE_MAX_CHARS) {
      problems.push(`${where}.content must be a string of 1 to ${MESSAGE_MAX_CHARS} characters, got ${typeof m.content === 'string' ? m.content.length : typeof m.content} (Message)`);
    }
  });
  return problems;
}

function cardProblems(where: string, card: any): string[] {
  if (!card || typeof card !== 'object') return [`${where} is required for an ImageResponseCard message (Message)`];
  const problems: string[] = [];
  const text = (field: string, max: number, required: boolean) => {
    const v = card[field];
    if (v === undefined && !required) return;
    if (typeof v !== 'string' || v.length === 0 || v.length > max) problems.push(`${where}.${field} must be a string of 1 to ${max} characters (ImageResponseCard)`);
  };
  text('title', CARD.textMax, true);
  text('subtitle', CARD.textMax, false);
  text('imageUrl', CARD.textMax, false);
  if (card.buttons !== undefined) {
    if (!Array.isArray(card.buttons) || card.buttons.length > CARD.maxButtons) {
      problems.push(`${where}.buttons must be a list of at most ${CARD.maxButtons} buttons (ImageResponseCard)`);
    } else {
      card.buttons.forEach((b: any, i: number) => {
        for (const field of ['text', 'value']) {
          const v = b?.[field];
          if (typeof v !== 'string' || v.length === 0 || v.length > BUTTON_MAX_CHARS) {
            problems.push(`${where}.buttons[${i}].${field} must be a string of 1 to ${BUTTON_MAX_CHARS} characters (Button)`);
          }
        }
      });
    }
  }
  return problems;
}
