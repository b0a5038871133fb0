/** The unified social credit code (统一社会信用代码, GB 32100-2015), checked as the server does
 * (backend/jiebang/organisations/credit_code.py), so that a typo is named before saving. */

// the code's 31 characters: digits and capitals without I, O, S, V, Z
export const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

export function checkCharacter(body: string): string {
  let total = 0
  for (let i = 0; i < 17; i++) total += ALPHABET.indexOf(body[i]) * WEIGHTS[i]
  return ALPHABET[(31 - (total % 31)) % 31]
}

export type CreditCodeProblem =
  | { kind: 'length'; length: number }
  | { kind: 'character'; char: string; position: number }
  | { kind: 'checksum'; expected: string; given: string }

/** What is wrong with a code (upper-cased, trimmed), or null when it is valid or empty. */
export function creditCodeProblem(raw: string): CreditCodeProblem | null {
  const code = raw.trim().toUpperCase()
  if (!code) return null
  if (code.length !== 18) return { kind: 'length', length: code.length }
  for (let i = 0; i < code.length; i++) {
    if (!ALPHABET.includes(code[i])) return { kind: 'character', char: code[i], position: i + 1 }
  }
  const expected = checkCharacter(code.slice(0, 17))
  return expected === code[17] ? null : { kind: 'checksum', expected, given: code[17] }
}
