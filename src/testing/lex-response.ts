// Checks a code hook's answer against the Lex V2 response format, so tests catch what Lex would reject at run time.

const DIALOG_ACTIONS = new Set(['Close', 'ConfirmIntent', 'Delegate', 'ElicitIntent', 'ElicitSlot']);
const INTENT_STATES = new Set(['Failed', 'Fulfilled', 'FulfillmentInProgress', 'InProgress', 'ReadyForFulfillment', 'Waiting']);
const CONTENT_TYPES = new Set(['PlainText', 'SSML', 'CustomPayload', 'ImageResponseCard']);

/**
 * The ways a Lambda response breaks the Lex V2 response format ("Response format" in the Lex V2 developer guide):
 * an empty list means Lex accepts it. Checks the dialog action, the intent each action needs, session attribute
 * values (strings only) and messages (content type, content, at most 10 messages).
 */
export function lexResponseProblems(response: unknown): string[] {
  const problems: string[] = [];
  if (response === null || typeof response !== 'object') return ['response must be an object'];
  const r = response as Record<string, any>;
  const state = r.sessionState;
  if (!state || typeof state !== 'object') return ['sessionState is required'];
  const type = state.dialogAction?.type;
  if (!DIALOG_ACTIONS.has(type)) problems.push(`sessionState.dialogAction.type must be one of ${[...DIALOG_ACTIONS].join(', ')}, got ${JSON.stringify(type)}`);
  const needsIntent = type === 'Close' || type === 'ConfirmIntent' || type === 'Delegate' || type === 'ElicitSlot';
  if (needsIntent) {
    if (!state.intent || typeof state.intent.name !== 'string' || state.intent.name === '') {
      problems.push(`dialogAction ${type} needs sessionState.intent with a name`);
    }
  }
  if (state.intent?.state !== undefined && !INTENT_STATES.has(state.intent.state)) {
    problems.push(`sessionState.intent.state ${JSON.stringify(state.intent.state)} is not a Lex intent state`);
  }
  if (type === 'Close' && state.intent && !['Fulfilled', 'Failed', 'InProgress'].includes(state.intent.state)) {
    problems.push('Close needs sessionState.intent.state Fulfilled, Failed or InProgress');
  }
  if (type === 'ElicitSlot' && typeof state.dialogAction.slotToElicit !== 'string') {
    problems.push('ElicitSlot needs dialogAction.slotToElicit');
  }
  if (state.sessionAttributes !== undefined) {
    if (typeof state.sessionAttributes !== 'object' || Array.isArray(state.sessionAttributes)) {
      problems.push('sessionState.sessionAttributes must be an object');
    } else {
      for (const [k, v] of Object.entries(state.sessionAttributes)) {
        if (typeof v !== 'string') problems.push(`sessionState.sessionAttributes.${k} must be a string`);
      }
    }
  }
  if (r.messages !== undefined) {
    if (!Array.isArray(r.messages)) {
      problems.push('messages must be an array');
    } else {
      if (r.messages.length > 10) problems.push('messages may hold at most 10 messages');
      r.messages.forEach((m: any, i: number) => {
        if (!CONTENT_TYPES.has(m?.contentType)) problems.push(`messages[${i}].contentType ${JSON.stringify(m?.contentType)} is not a Lex content type`);
        else if (m.contentType === 'ImageResponseCard') {
          if (typeof m.imageResponseCard?.title !== 'string') problems.push(`messages[${i}].imageResponseCard.title is required`);
        } else if (typeof m.content !== 'string' || m.content.length === 0) {
          problems.push(`messages[${i}].content must be a non-empty string`);
        }
      });
    }
  }
  if (type === 'ElicitIntent' && !(Array.isArray(r.messages) && r.messages.length > 0)) {
    problems.push('ElicitIntent needs a message, or the user hears nothing');
  }
  return problems;
}
