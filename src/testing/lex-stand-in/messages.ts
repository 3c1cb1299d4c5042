// Turns a bot's message groups into the messages the runtime API and code hook events carry: one message per group,
// picked among its variations as the prompt's `messageSelectionStrategy` says, with `{Slot}` references replaced by
// the slots' values as Lex does.
import type { LexMessage, LexSlot } from '../../runtime/lex/types';
import type { BotMessage, BotMessageGroup } from './bot-model';

/** How a group's message is picked: `Ordered` takes the attempt's variation, `Random` any of them. */
export interface MessageSelection {
  /** 0 for the first attempt, 1 for Retry1, and so on. @default 0 */
  readonly attempt?: number;
  /** @default 'Random' (Lex's default for a prompt; responses have no strategy and Lex picks at random) */
  readonly strategy?: string;
  /** A number in [0, 1) for the Random strategy. @default Math.random */
  readonly random?: () => number;
}

/**
 * One runtime message per group (PromptSpecification `messageSelectionStrategy`: "Ordered" plays the group's message
 * first, then its variations in order on each retry; "Random" picks one of them each time).
 */
export function groupMessages(groups: readonly BotMessageGroup[] | undefined, slots: Readonly<Record<string, LexSlot | null>> = {}, selection: MessageSelection = {}): LexMessage[] {
  return (groups ?? []).map((g) => runtimeMessage(pick(g, selection), slots)).filter((m): m is LexMessage => m !== undefined);
}

function pick(group: BotMessageGroup, { attempt = 0, strategy = 'Random', random = Math.random }: MessageSelection): BotMessage {
  const all = [group.message, ...(group.variations ?? [])];
  if (all.length === 1) return all[0];
  if (strategy === 'Ordered') return all[attempt % all.length];
  return all[Math.min(all.length - 1, Math.floor(random() * all.length))];
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
