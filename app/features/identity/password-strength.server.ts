/**
 * Refuses passwords that are easy to guess: zxcvbn-ts with its common and English dictionaries
 * (whose `passwords-common` list is drawn from breached-password corpora), the account's own
 * email and name as extra words, and a minimum score of 3 ("safely unguessable").
 */
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";

const MIN_SCORE = 3;
/** zxcvbn's matching is quadratic in length; beyond this the prefix decides. */
const CHECKED_LENGTH = 100;

let checker: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  checker ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...en.dictionary }, graphs: common.adjacencyGraphs, translations: en.translations });
  return checker;
}

/** True when the password is too easy to guess, given words that belong to the account itself. */
export function isWeakPassword(password: string, accountWords: string[] = []): boolean {
  const words = accountWords.flatMap((value) => {
    const lower = value.toLowerCase();
    const parts = lower.split(/[^\p{L}\p{N}]+/u).filter((part) => part.length >= 3);
    return [lower, lower.split("@")[0], parts.join(""), ...parts];
  });
  return zxcvbn().check(password.slice(0, CHECKED_LENGTH), words).score < MIN_SCORE;
}
