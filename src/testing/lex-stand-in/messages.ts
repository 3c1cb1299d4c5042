// Turns a bot's message groups into the messages the runtime API and code hook events carry, with `{Slot}`
// references replaced by the slots' values as Lex does.
import type { LexMessage, LexSlot } from '../../runtime/lex-types';
import type { BotMessage, BotMessageGroup } from './bot-model';

/** One runtime message per group: the group's first message (Lex picks one of the variations; the stand-in, the first). */
export function groupMessages(groups: readonly BotMessageGroup[] | undefined, slots: Readonly<Record<string, LexSlot | null>> = {}): LexMessage[] {
  return (groups ?? []).map((g) => runtimeMessage(g.message, slots)).filter((m): m is LexMessage => m !== undefined);
}

function runtimeMessage(message: BotMessage, slots: Readonly<Record<string, LexSlot | null>>): LexMessage | undefined {
  const fill = (text: string) => text.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => {
    const v = slots[name]?.value;
    return v ? String(v.interpretedValue ?? v.originalValue ?? '') : whole;
  });
  if (message.plainTextMessage) return { contentType: 'PlainText', content: fill(message.plainTextMessage.value) };
  if (message.ssmlMessage) return { contentType: 'SSML', content: fill(message.ssmlMessage.value) };
  if (message.customPayload) return { contentType: 'CustomPayload', content: fill(message.customPayload.value) };
  if (message.imageResponseCard) {
    const card = message.imageResponseCard;
    return { contentType: 'ImageResponseCard', imageResponseCard: { ...card, title: fill(card.title), buttons: card.buttons?.map((b) => ({ ...b })) } };
  }
  return undefined;
}
