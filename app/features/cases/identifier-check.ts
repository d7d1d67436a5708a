/**
 * The platform stores no patient identity or contact data. Free text is
 * checked for what looks like a Chinese resident identity number, a phone
 * number or an email address before a case can be submitted.
 */
export type IdentifierKind = "residentId" | "phone" | "email";

const RESIDENT_ID = /(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const CN_MOBILE = /(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)/g;
const LANDLINE = /(?<!\d)(?:\+?86[\s-]?)?0\d{2,3}[\s-]\d{7,8}(?!\d)/g;
const INTERNATIONAL = /(?<![\w+])\+\d{1,3}[\s-]?\(?\d{1,4}\)?(?:[\s-]?\d{2,4}){2,4}(?!\d)/g;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";

/** ISO 7064 MOD 11-2 check digit of GB 11643-1999 identity numbers. */
export function residentIdChecksumValid(id: string): boolean {
  const sum = ID_WEIGHTS.reduce((acc, weight, i) => acc + weight * Number(id[i]), 0);
  return ID_CHECK[sum % 11] === id[17].toUpperCase();
}

export function findIdentifiers(text: string): IdentifierKind[] {
  const found = new Set<IdentifierKind>();
  for (const match of text.matchAll(RESIDENT_ID)) if (residentIdChecksumValid(match[0])) found.add("residentId");
  if (EMAIL.test(text)) found.add("email");
  EMAIL.lastIndex = 0;
  for (const pattern of [CN_MOBILE, LANDLINE, INTERNATIONAL]) {
    pattern.lastIndex = 0;
    if (pattern.test(text)) found.add("phone");
    pattern.lastIndex = 0;
  }
  return [...found];
}

export const IDENTIFIER_ERROR_KEYS: Record<IdentifierKind, string> = {
  residentId: "cases:errors.identifierResidentId",
  phone: "cases:errors.identifierPhone",
  email: "cases:errors.identifierEmail",
};
