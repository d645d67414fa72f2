import { badInput } from '../errors.ts';

/** Control characters other than tab and newline. */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
/** Bidirectional overrides and isolates, which can make displayed text read unlike what is stored. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

export interface TextRules {
  field: string;
  max: number;
  /** Newlines and tabs allowed (a description), or a single line (a name). */
  multiline?: boolean;
}

/**
 * Free text as the shop stores it: NFC-normalized and trimmed, at most `max` characters, well-formed
 * Unicode, without control or bidirectional-override characters. Anything else is BAD_USER_INPUT
 * naming the field. Markup and SQL-looking text are stored as written: they are data.
 */
export function cleanText(value: string, rules: TextRules): string {
  if (!value.isWellFormed()) throw badInput(`${rules.field} is not valid Unicode text.`, rules.field);
  const text = value.normalize('NFC').trim();
  if (text.length > rules.max) throw badInput(`${rules.field} is at most ${rules.max} characters.`, rules.field);
  if (CONTROL.test(text) || BIDI_CONTROL.test(text) || (!rules.multiline && /[\n\t]/.test(text))) {
    throw badInput(
      `${rules.field} contains ${rules.multiline ? 'control' : 'control or line-break'} characters.`,
      rules.field,
    );
  }
  return text;
}

/** Like cleanText, and not empty. */
export function requiredText(value: string, rules: TextRules): string {
  const text = cleanText(value, rules);
  if (text === '') throw badInput(`${rules.field} must not be empty.`, rules.field);
  return text;
}

/** Like cleanText; absent or blank becomes null. */
export function optionalText(value: string | null | undefined, rules: TextRules): string | null {
  if (value == null) return null;
  const text = cleanText(value, rules);
  return text === '' ? null : text;
}
