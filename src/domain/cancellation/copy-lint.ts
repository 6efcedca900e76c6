/**
 * Lints customer-facing cancellation copy against the deny-list of confirm-shaming and false-urgency
 * phrases, for the screens and e-mails built on this layer (and their tests).
 */
import { COPY_DENY_LIST } from './copy-deny-list.ts';

/** Lower case, one kind of apostrophe and dash, single spaces: so "Last  CHANCE" and "you’ll" match. */
export function normalizeCopy(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'")
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One matcher per phrase: whole words only (so "commonly today" is not "only today"), any whitespace between words. */
function compile(phrase: string): RegExp {
  const body = normalizeCopy(phrase).split(' ').map(escape).join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'u');
}

const COMPILED: ReadonlyArray<{ phrase: string; re: RegExp }> = COPY_DENY_LIST.map((phrase) => ({ phrase, re: compile(phrase) }));

/**
 * The deny-listed phrases found in `text`, in deny-list order, each once. Empty means the copy passes.
 * Pass `denyList` to lint against another list (e.g. a tenant's additions).
 */
export function lintCopy(text: string, denyList?: readonly string[]): string[] {
  const normalized = normalizeCopy(text);
  const matchers = denyList === undefined ? COMPILED : denyList.map((phrase) => ({ phrase, re: compile(phrase) }));
  const found: string[] = [];
  for (const { phrase, re } of matchers) if (re.test(normalized) && !found.includes(phrase)) found.push(phrase);
  return found;
}
