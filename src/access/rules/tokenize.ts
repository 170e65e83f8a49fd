import { RuleSyntaxError } from './rule-error.ts';

export type Token =
  | { type: 'ident'; value: string; pos: number }
  | { type: 'string'; value: string; pos: number }
  | { type: 'number'; value: number; pos: number }
  | { type: 'punct'; value: string; pos: number }
  | { type: 'eof'; value: ''; pos: number };

// Longest first, so `!=` wins over `!` and `?[` is one token.
const punctuation = ['==', '!=', '<=', '>=', '&&', '||', '?[', '![', '^[', '<', '>', '!', '(', ')', '[', ']', ',', '.', '-'];

/** Splits an annotation's argument text into tokens; `offset` is where `text` starts in the line. */
export function tokenize(text: string, offset = 0): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const pos = offset + i;
    if (ch === '"' || ch === "'") {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== ch; j++) {
        if (text[j] === '\\' && j + 1 < text.length) value += unescape(text[++j]!);
        else value += text[j];
      }
      if (j >= text.length) throw new RuleSyntaxError(`Unterminated string`, pos, `a closing ${ch}`);
      tokens.push({ type: 'string', value, pos });
      i = j + 1;
      continue;
    }
    const number = /^\d+(\.\d+)?/.exec(text.slice(i));
    if (number) {
      tokens.push({ type: 'number', value: Number(number[0]), pos });
      i += number[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (ident) {
      tokens.push({ type: 'ident', value: ident[0], pos });
      i += ident[0].length;
      continue;
    }
    const punct = punctuation.find((p) => text.startsWith(p, i));
    if (!punct) throw new RuleSyntaxError(`Unexpected character "${ch}"`, pos, 'an operator: == != < <= > >= && || ! in');
    tokens.push({ type: 'punct', value: punct, pos });
    i += punct.length;
  }
  tokens.push({ type: 'eof', value: '', pos: offset + text.length });
  return tokens;
}

const unescape = (ch: string) => ({ n: '\n', t: '\t' })[ch] ?? ch;
