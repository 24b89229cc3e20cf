// User-supplied regular expressions for matches()/extract(). JavaScript's engine backtracks, so patterns
// that can take exponential time (nested or alternated quantified groups, backreferences, lookaround) are
// refused, and inputs are capped in length. Compiled patterns are cached.
import { fault } from './errors.js';
import { MAX_REGEX_INPUT, MAX_REGEX_PATTERN } from './limits.js';

const cache = new Map<string, RegExp>();

function checkPattern(p: string): void {
  if (p.length > MAX_REGEX_PATTERN) fault(`Regular expression too long (limit ${MAX_REGEX_PATTERN} characters)`);
  if (/\\[1-9k]|\(\?<?[=!]/.test(p)) fault('Backreferences and lookaround are not supported in regular expressions');
  // Walk groups: a quantified group may not itself contain a quantifier or an alternation.
  const stack: { risky: boolean }[] = [];
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') stack.push({ risky: false });
    else if (c === '|' || c === '*' || c === '+' || c === '{' || (c === '?' && p[i - 1] !== '(')) {
      const top = stack[stack.length - 1];
      if (top) top.risky = true;
    } else if (c === ')') {
      const g = stack.pop();
      const next = p[i + 1];
      const quantified = next === '*' || next === '+' || next === '{' || next === '?';
      if (g?.risky && quantified) fault('Regular expression has a quantified group containing a quantifier or alternation (possible catastrophic backtracking)');
      const parent = stack[stack.length - 1];
      if (parent && (g?.risky || quantified)) parent.risky = true;
    }
  }
}

export function regexFor(pattern: unknown): RegExp {
  if (typeof pattern !== 'string') return fault('Regular expression must be a string');
  let re = cache.get(pattern);
  if (re === undefined) {
    checkPattern(pattern);
    try {
      re = new RegExp(pattern, 'u');
    } catch (e) {
      return fault(`Invalid regular expression: ${(e as Error).message}`);
    }
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

export function checkRegexInput(s: string): void {
  if (s.length > MAX_REGEX_INPUT) fault(`String too long for a regular expression (limit ${MAX_REGEX_INPUT} characters)`);
}
