import { SandboxUnsupportedError } from '../errors.js';

/**
 * CloudWatch Logs' filter patterns for unstructured text: every plain term (or "quoted phrase", with `\"`
 * and `\\` escaped inside it) must appear, `?term`s are alternatives (one must appear), `-term`s must
 * not. JSON (`{ … }`), space-delimited (`[ … ]`) and regex (`%…%`) patterns are not simulated. Matching
 * is case-sensitive, as in AWS.
 */
export function matchesPattern(pattern: string | undefined, message: string): boolean {
  const text = (pattern ?? '').trim();
  if (!text) return true;
  if (/^[{[%]/.test(text)) throw new SandboxUnsupportedError(`the sandbox does not simulate the filter pattern ${text} yet (plain terms, "phrases", ?any and -none only)`);
  // A quoted phrase may hold its own quotes and backslashes escaped: "say \"hi\"".
  const terms = text.match(/[?-]?"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
  const unquote = (t: string) => (/^".*"$/s.test(t) ? t.slice(1, -1).replace(/\\(.)/gs, '$1') : t);
  const required = terms.filter((t) => !/^[?-]/.test(t)).map(unquote);
  const anyOf = terms.filter((t) => t.startsWith('?')).map((t) => unquote(t.slice(1)));
  const noneOf = terms.filter((t) => t.startsWith('-')).map((t) => unquote(t.slice(1)));
  return required.every((t) => message.includes(t)) && (!anyOf.length || anyOf.some((t) => message.includes(t))) && !noneOf.some((t) => message.includes(t));
}
